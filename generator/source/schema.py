"""JSON Schemas of the source files, derived from the model, for editors' YAML language server.

The schema names the policy's own languages, so an editor completes `ja:` and `en:` under
every translated text and flags a missing translation while the legal team types.
"""
from __future__ import annotations

import json

from generator.core.model import PolicyInfo, Version
from generator.core.schema import object_schema


def source_schemas(languages: tuple[str, ...]) -> dict[str, str]:
    """File name -> schema text, for policy.yaml and the version files."""
    documents = {
        "policy.schema.json": ("policygen policy file", PolicyInfo),
        "version.schema.json": ("policygen version file", Version),
    }
    return {name: json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                              "title": title, **object_schema(cls, languages)},
                             ensure_ascii=False, indent=2) + "\n"
            for name, (title, cls) in documents.items()}

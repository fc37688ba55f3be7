"""The OpenAPI 3.1 description of the static API, and the consent record's schema."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.helpers import copy_project


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("openapi")).build().result.out_dir


def read(path: Path) -> dict:
    return json.loads(path.read_bytes())


def test_the_openapi_description_validates_with_its_schemas_resolved(built):
    path = built / "api/v1/openapi.json"
    validate(read(path), base_uri=path.as_uri())


def test_a_description_naming_a_missing_schema_is_refused(built):
    """The check itself: the validator follows each $ref to the schema files."""
    path = built / "api/v1/openapi.json"
    description = read(path)
    description["paths"]["/current.json"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"] = "schema/missing.schema.json"
    with pytest.raises(Exception, match="missing.schema.json") as refused:
        validate(description, base_uri=path.as_uri())
    assert type(refused.value).__name__ == "Unresolvable"


def test_every_path_it_describes_is_a_file_the_site_serves(built):
    description = read(built / "api/v1/openapi.json")
    index = read(built / "api/v1/policy.json")
    version = index["versions"][-1]
    values = {"{id}": version["id"], "{lang}": "en",
              "{sha256}": version["documents"]["en"]["sha256"]}
    assert description["servers"] == [{"url": "./"}]
    for template, item in description["paths"].items():
        path = template
        for name, value in values.items():
            path = path.replace(name, value)
        assert (built / "api/v1" / path.lstrip("/")).is_file(), template
        [(media, content)] = item["get"]["responses"]["200"]["content"].items()
        if media == "application/ld+json":  # the DPV notice: its shape is its @context's
            assert read(built / "api/v1" / path.lstrip("/"))["@context"][0] == \
                "../../dpv/context.jsonld"
            continue
        assert (built / "api/v1" / content["schema"]["$ref"]).is_file()


def consent_record(built: Path) -> dict:
    current = read(built / "api/v1/current.json")
    index = read(built / "api/v1/policy.json")
    named = current["current"]
    sha = named["sha256"]["en"]
    url = named["by_hash"].replace("{lang}", "en").replace("{sha256}", sha)
    return {"policy": index["policy"]["id"], "version": named["id"],
            "sequence": named["sequence"], "language": "en", "sha256": sha, "url": url,
            "consented_at": "2026-11-25T10:00:00+09:00",
            "notice": {"notice_id": url, "notice_version": named["id"], "notice_language": "en",
                       "notice_hash": sha, "notice_presented_at": "2026-11-25T09:59:30+09:00"}}


def test_a_consent_record_of_the_text_in_force_fits_its_schema(built):
    schema = read(built / "api/v1/schema/consent-record.schema.json")
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    record = consent_record(built)
    assert list(checker.iter_errors(record)) == []
    assert not checker.is_valid({**record, "sha256": "ce431c"})
    assert not checker.is_valid({key: value for key, value in record.items() if key != "url"})
    assert checker.is_valid({**record, "user": "u-1"})  # apps add members of their own

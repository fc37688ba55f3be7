"""An OpenAPI 3.1 description of the static API (api/v1/openapi.json), for tools that read
OpenAPI: every path the site serves under api/v1/, its caching headers, and the schemas of
contract.py by reference, so the description never restates a document's shape."""
from __future__ import annotations

from generator.outputs import hosting
from generator.outputs.routes import API_CURRENT, API_INDEX, API_ROOT, api_paths

OPENAPI_PATH = api_paths()["openapi"]


def _parameter(name: str, description: str, pattern: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": pattern}}


_ID = _parameter("id", "A version's id.", r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_LANG = _parameter("lang", "A language's folder: its tag in lowercase (ja, zh-hans).",
                   r"^[a-z0-9-]+$")
_SHA = _parameter("sha256", "The text's SHA-256.", "^[0-9a-f]{64}$")


def _get(summary: str, schema: str | dict, cache: str | None, conditional: bool = True,
         media: str = "application/json") -> dict:
    headers = {"ETag": {"description": "Send it back in If-None-Match.",
                        "schema": {"type": "string"}},
               **({"Cache-Control": {"schema": {"type": "string", "const": cache}}}
                  if cache else {}),
               "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}}}
    responses = {"200": {"description": summary, "headers": headers, "content": {
        media: {"schema": {"$ref": f"schema/{schema}"} if isinstance(schema, str)
                else schema}}}}
    if conditional:
        responses["304"] = {"description": "Unchanged since the ETag sent in If-None-Match."}
    return {"get": {"summary": summary, "parameters": [
        {"name": "If-None-Match", "in": "header", "required": False,
         "schema": {"type": "string"}}], "responses": responses}}


def description(title: str, site_url: str | None) -> dict:
    """The API as OpenAPI 3.1: paths relative to its server, api/v1/ on the site's host (or,
    with no site_url, the folder this file is in)."""
    def path(of: str) -> str:
        return "/" + of.removeprefix(API_ROOT)

    versions = path(API_ROOT + "versions/{id}/")
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{title}: policy API", "version": "1.0.0", "description":
                 "A static, read-only API: poll current.json, read the index when it "
                 "changes, and store the hash-named URL of the text a user consented to."},
        "servers": [{"url": site_url + API_ROOT if site_url else "./"}],
        "paths": {
            path(API_CURRENT): _get("What is in force and what is announced, and until when.",
                                    "current.schema.json", hosting.SHORT),
            path(API_INDEX): _get("Every version with its documents and hashes.",
                                  "index.schema.json", hosting.SHORT),
            versions + "{lang}.json": {**_get(
                "The latest text of a version in a language (changes with a correction).",
                "version.schema.json", None), "parameters": [_ID, _LANG]},
            versions + "{lang}.{sha256}.json": {**_get(
                "A text by its hash: never changes; what a consent record points to.",
                "version.schema.json", hosting.IMMUTABLE), "parameters": [_ID, _LANG, _SHA]},
            versions + "{lang}.jsonld": {**_get(
                "The version as a privacy notice in the W3C Data Privacy Vocabulary (DPV): "
                "JSON-LD made from its latest text, whose @context (dpv/context.jsonld) is "
                "published beside it.",
                {"type": "object", "required": ["@context", "@id", "@type", "dct:source"]},
                None, media="application/ld+json"), "parameters": [_ID, _LANG]},
            path(API_ROOT + "changes/{id}/{lang}.json"): {**_get(
                "What changed from the version before, in a language.",
                "changes.schema.json", None), "parameters": [_ID, _LANG]},
        },
        "components": {"schemas": {
            "ConsentRecord": {"$ref": "schema/consent-record.schema.json"}}},
    }

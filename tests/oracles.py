"""What several test modules check against, kept here so that no test module imports
another: the API's schemas with every object closed, the site's links walked, and a diff in
the shape compare.js returns."""
from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema

from generator.core import diff
from tests.helpers import read_json
from tests.htmltext import parse


def strict(schema: dict) -> dict:
    """The published schema with every object closed: our own documents must not carry a
    member the contract does not describe (clients may still meet added ones later)."""
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema)
    return schema


def validator(site: Path, document: Path, data: dict) -> jsonschema.Draft202012Validator:
    schema = read_json((document.parent / data["$schema"]).resolve())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(strict(schema),
                                           format_checker=jsonschema.FormatChecker())


LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src",
           "iframe": "src"}
EXTERNAL = ("http", "https", "mailto", "tel")


@cache
def ids(page: Path) -> frozenset[str]:
    return frozenset(attrs["id"] for _, attrs in parse(page).tags if attrs.get("id"))


def target_of(page: Path, reference: str, root: Path) -> Path | None:
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        return None  # external, or the API's absolute links (none without a site_url)
    path = unquote(parts.path)
    if not path:
        return page
    base = root if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if target.is_dir() or path.endswith("/") else target


def walk(site: Path) -> tuple[list[str], int]:
    """Broken references of every page, and how many references were checked."""
    broken, checked = [], 0
    for page in sorted(site.rglob("*.html")):
        for tag, attrs in parse(page).tags:
            reference = attrs.get(LINKING.get(tag, ""), "")
            if not reference or urlsplit(reference).scheme in EXTERNAL:
                continue
            if page.name == "404.html" and reference.startswith("/"):
                continue  # the 404 page is served at any depth, so its links are root-based
            target = target_of(page, reference, site)
            if target is None:
                continue
            checked += 1
            where = f"{page.relative_to(site)}: {tag} {reference}"
            if not target.is_file():
                broken.append(f"{where} -> missing")
            elif (fragment := urlsplit(reference).fragment) and target.suffix == ".html" \
                    and unquote(fragment) not in ids(target):
                broken.append(f"{where} -> no element #{fragment}")
    return broken, checked


def segments(data: list[dict]) -> list[list[str]]:
    return [[g["op"], g["text"]] for g in data]


def body(data: dict) -> dict:
    """A body's changes as compare.js gives them: segments as [op, text] pairs."""
    shaped = {"kind": data["kind"], "segments": segments(data["segments"])}
    if "blocks" in data:
        shaped["blocks"] = [{"segments": segments(block["segments"]), "rows": [
            {"op": row["op"], "cells": [{"segments": segments(cell["segments"])}
                                        for cell in row["cells"]]} for row in block["rows"]]}
            for block in data["blocks"]]
    return shaped


def browser_shape(change: diff.VersionDiff) -> dict:
    """diff.compare's result in the shape compare.js's compare returns."""
    data = diff.to_json(change)

    def section(s: dict) -> dict:
        return {"id": s["id"], "status": s["status"], "oldTitle": s["old_title"],
                "newTitle": s["new_title"], "oldPosition": s["old_position"],
                "newPosition": s["new_position"], "moved": s["moved"],
                "body": body(s["body"]), "fields": s["fields"]}

    return {"sections": [section(s) for s in data["sections"]], "facts": data["facts"],
            "summary": data["summary"]}

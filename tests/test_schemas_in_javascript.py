"""Every published document validates in JavaScript as well: Ajv 8 in strict mode, draft
2020-12, formats checked, as web apps validate, beside Python's jsonschema (test_api.py).
Python's `re` accepts patterns JavaScript's Unicode mode refuses, so only this catches them."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT, copy_project

JS = ROOT / "tests" / "js"


@pytest.fixture(scope="session")
def ajv() -> Path:
    """tests/js/validate.mjs, with the packages tests/js/package-lock.json pins installed."""
    if not (JS / "node_modules" / "ajv" / "package.json").is_file():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, check=True,
                       capture_output=True, timeout=300)
    return JS / "validate.mjs"


def ajv_report(validate: Path, site: Path, *schemas: Path) -> dict:
    run = subprocess.run(["node", str(validate), str(site), *map(str, schemas)],
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("ajv"))
    return project.build().result.out_dir


def test_every_schema_compiles_in_ajv_strict_and_every_document_validates(built, ajv):
    sources = sorted((ROOT / "policy_src" / "schema").glob("*.json"))
    report = ajv_report(ajv, built, *sources)
    assert report["problems"] == []
    assert {Path(name).name for name in report["schemas"]} >= {
        "index.schema.json", "current.schema.json", "version.schema.json",
        "changes.schema.json", "policy.schema.json"}
    named = [path for path in (built / "api/v1").rglob("*.json")
             if "schema" not in path.relative_to(built / "api/v1").parts
             and "$schema" in json.loads(path.read_bytes())]
    assert report["documents"] == len(named) >= 14


def test_ajv_refuses_the_escape_python_accepts(tmp_path, ajv):
    """The check itself: the e-mail pattern as it was, with `\\"`, does not compile."""
    schema_dir = tmp_path / "api/v1/schema"
    schema_dir.mkdir(parents=True)
    (schema_dir / "old.schema.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string",
        "pattern": r"^[^@\s<>\"']+@[^@\s<>\"']+\.[a-zA-Z]{2,}$"}))
    problems = ajv_report(ajv, tmp_path)["problems"]
    assert len(problems) == 1 and "Invalid escape" in problems[0]

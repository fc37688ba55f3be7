"""The API's documents are defined once (generator/outputs/contract.py): the JSON the site
publishes, its JSON Schema and the API page's tables of members all come from that definition."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from generator.core import i18n
from generator.outputs import contract
from generator.outputs.contract import api_schemas
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from tests.helpers import copy_project
    project = copy_project(tmp_path_factory.mktemp("contract"))
    return project.build().result.out_dir


def published_paths(value: object, prefix: str = "") -> set[str]:
    """Member paths of a JSON value, written as contract.members writes them."""
    paths: set[str] = set()
    if isinstance(value, dict):
        per_language = value and all(key in ("ja", "en") for key in value)
        for key, item in value.items():
            path = prefix + ("<lang>" if per_language else key)
            paths.add(path)
            paths |= published_paths(item, path + ".")
    elif isinstance(value, list):
        for item in value:
            paths |= published_paths(item, prefix[:-1] + "[].")
    return paths


def declared(cls: type) -> set[str]:
    """The member paths of a definition, with the containers they sit in: `versions[].id`
    declares `versions` too, and `policy.title.<lang>` declares `policy.title`."""
    paths = set()
    for row in contract.members(cls):
        path = row.path
        paths.add(path)
        while path.endswith(("[]", ".<lang>")):
            path = path[:-2] if path.endswith("[]") else path[:-len(".<lang>")]
            paths.add(path)
    return paths


@pytest.mark.parametrize("name, document", [
    ("index.schema.json", "api/v1/policy.json"),
    ("current.schema.json", "api/v1/current.json"),
    ("version.schema.json", "api/v1/versions/2027-04-01/ja.json"),
    ("changes.schema.json", "api/v1/changes/2027-04-01/en.json"),
])
def test_every_member_published_is_declared_in_the_typed_definition(built, name, document):
    data = json.loads((built / document).read_bytes())
    cls = contract.DOCUMENTS[name][1]
    assert data.pop("$schema")
    undeclared = published_paths(data) - declared(cls)
    assert undeclared == set()
    # `untranslated` is only in a draft's incomplete document (test_partial_translations.py);
    # `processing` only where a version states it (a site built for a day before the
    # example's correction 2 shows its 2027-04-01 without it).
    optional = {"untranslated", "processing"}
    top = {f.metadata.get("json", f.name) for f in dataclasses.fields(cls)}
    assert top - optional <= set(data) <= top  # and every required member is published


def test_each_schema_is_the_typed_definition_rendered():
    schemas = api_schemas()
    assert set(schemas) == set(contract.DOCUMENTS)
    index = schemas["index.schema.json"]
    assert index["required"] == [f.name for f in dataclasses.fields(contract.Index)]
    sha = index["properties"]["versions"]["items"]["properties"]["documents"][
        "additionalProperties"]["properties"]["sha256"]
    assert sha["pattern"] == "^[0-9a-f]{64}$" and "consent record" in sha["description"]
    assert schemas["changes.schema.json"]["properties"]["from"]["pattern"]


def test_a_member_added_to_the_definition_reaches_schema_table_and_json():
    @dataclasses.dataclass(frozen=True)
    class Grown(contract.Announced):
        announced_on: str | None = dataclasses.field(
            default=None, metadata=contract.doc("The day it was announced."))

    from generator.source.schema import object_schema
    assert "announced_on" in object_schema(Grown, None)["required"]
    assert contract.members(Grown)[-1] == contract.Member(
        "announced_on", "string | null", "The day it was announced.")
    import datetime as dt
    value = Grown(id="v2", sequence=2, effective_date=dt.date(2027, 4, 1),
                  effective_at=dt.datetime(2027, 4, 1, tzinfo=dt.timezone(dt.timedelta(hours=9))),
                  reconsent_required=False, draft=False, announced_on="2026-12-01")
    assert contract.to_data(value) == {"id": "v2", "sequence": 2,
                                       "effective_date": "2027-04-01",
                                       "effective_at": "2027-04-01T00:00:00+09:00",
                                       "reconsent_required": False, "draft": False,
                                       "announced_on": "2026-12-01"}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_api_page_tabulates_every_member_in_its_language(built, language):
    html = (built / language / "api" / "index.html").read_text(encoding="utf-8")
    html = html.replace("&#39;", "'").replace("&#x27;", "'")
    gettext = i18n.read_catalog(ROOT / "locales", language).gettext
    for member in contract.members(contract.Index) + contract.members(contract.Current):
        assert f"<code>{member.path.replace('<', '&lt;').replace('>', '&gt;')}</code>" in html
        assert gettext(member.doc) in html
    if language == "ja":
        assert "正文とする言語。" in html and "The language whose text prevails." not in html


def test_one_api_page_template_serves_every_language():
    templates = sorted(p.name for p in (ROOT / "generator" / "templates").glob("api*.j2"))
    assert templates == ["api.md.j2", "api_example.js.j2"]


def test_every_schema_has_an_id_its_url_where_the_site_has_one():
    base = "https://policy.example/api/v1/schema/"
    for name, schema in api_schemas(base).items():
        assert schema["$id"] == base + name
    for name, schema in api_schemas().items():
        assert schema["$id"] == name  # resolved against where the validator read it

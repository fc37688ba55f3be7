"""A policy states only what it states: every fact but the company's name is optional, blocks
are drawn from the facts a version states, labels it does not word come from the catalogs,
and nothing it does not state reaches a page, a PDF, the API or its schemas."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.core import documents
from generator.core.facts import Labels, label
from generator.core.i18n import read_catalog
from generator.outputs import contract
from generator.source import convert
from generator.source.read import display_path
from tests.helpers import (
    MINIMAL_VERSION,
    ROOT,
    Project,
    minimal_project,
)

# What the minimal policy does not state, as words: none may be published for it.
NOT_STATED = ("JIPDEC", "representative", "complaint", "000-0000", "officer")


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory) -> Path:
    """The minimal policy published twice (a redline and the compare page between them)."""
    project = minimal_project(tmp_path_factory.mktemp("minimal"))
    project.write("versions/2026-01-01.yaml", MINIMAL_VERSION.replace("2025-01-01", "2026-01-01")
                  .replace("you give us", "you give us when you write"))
    project.lock()
    project.build()
    return project.root / "site"


def test_a_policy_stating_a_name_and_one_email_validates(tmp_path):
    project = minimal_project(tmp_path)
    policy, warnings = convert.load_with_warnings(project.source)
    version = policy.versions[0]
    assert version.facts.officer is None and version.facts.representative is None
    assert version.facts.complaint_organization is None and version.labels is None
    assert version.facts.inquiry_desk.email == "privacy@acme.example"


def test_its_document_holds_only_the_facts_it_states_and_no_labels(tmp_path):
    policy, _ = convert.load_with_warnings(minimal_project(tmp_path).source)
    data = documents.version_document(policy.info, policy.versions[0], "en").data
    assert data["facts"] == {"company": "Acme Inc.",
                             "inquiry_desk": {"email": "privacy@acme.example"}}
    assert "labels" not in data


def test_a_document_read_back_is_the_version_it_was_made_from(tmp_path):
    policy, _ = convert.load_with_warnings(minimal_project(tmp_path).source)
    version = policy.versions[0]
    data = documents.version_document(policy.info, version, "en").data
    again = documents.read_version({"en": data})
    assert again.facts == version.facts and again.labels is None
    assert again.title == policy.info.title  # the title it was published under


def test_no_page_document_pdf_or_feed_of_it_names_what_it_does_not_state(minimal_site):
    import pypdf

    checked = 0
    for path in minimal_site.rglob("*"):
        if path.suffix == ".pdf":
            text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        elif path.suffix in (".html", ".json", ".xml", ".txt") and "schema" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        checked += 1
        for word in NOT_STATED:
            assert word.lower() not in text.lower(), (path, word)
    assert (minimal_site / "en" / "compare" / "index.html").is_file()
    assert (minimal_site / "en" / "changes" / "2026-01-01" / "index.html").is_file()
    assert checked > 20


def test_its_pages_show_the_catalogs_labels_and_the_facts_it_states(minimal_site):
    page = (minimal_site / "en" / "versions" / "2025-01-01" / "index.html").read_text(
        encoding="utf-8")
    assert "<dt>E-mail:</dt>\n<dd><a href=\"mailto:privacy@acme.example\">" in page
    assert "Purpose of use: To answer your questions." in page
    assert "Enactment date: January 1, 2025" in page
    # no empty name or address
    assert '<address class="pg-contact">\n<dl class="pg-fields">\n<dt>E-mail' in page


def test_the_published_schema_describes_the_general_model_not_one_organization(minimal_site):
    schema = json.loads((minimal_site / "api" / "v1" / "schema" / "version.schema.json")
                        .read_text(encoding="utf-8"))
    text = json.dumps(schema, ensure_ascii=False)
    assert "JIPDEC" not in text and "000-0000" not in text
    facts = schema["properties"]["facts"]
    assert facts["required"] == ["company"]
    assert {"controllers", "representatives", "supervisory_authority", "officer",
            "inquiry_desk", "complaint_organization"} <= set(facts["properties"])
    # A member left out while absent is never null where present.
    assert "anyOf" not in facts["properties"]["officer"]
    assert "labels" not in schema["required"]


def test_the_example_keeps_every_locked_hash():
    policy, _ = convert.load_with_warnings(ROOT / "policy_src")
    lock = json.loads((ROOT / "policy_src" / "policy.lock").read_text(encoding="utf-8"))
    for version in policy.versions:
        latest = lock["versions"][version.id]["revisions"][-1]["documents"]
        for language in version.languages():
            made = documents.version_document(policy.info, version, language)
            assert made.sha256 == latest[language]["sha256"], (version.id, language)


def test_a_version_that_words_a_label_keeps_it_and_the_rest_come_from_the_catalog():
    catalog = read_catalog(ROOT / "locales", "ja")
    from generator.core.model import Localized
    own = Labels(email=Localized((("ja", "電子メール"),)))
    assert label(own, "email", "ja", catalog.gettext) == "電子メール"
    assert label(own, "address", "ja", catalog.gettext) == "住所"
    assert label(None, "address", "en", read_catalog(ROOT / "locales", "en").gettext) == \
        "Address"


def test_every_label_has_a_default_in_the_catalogs_of_japanese_and_english():
    import dataclasses
    for language in ("ja", "en"):
        catalog = read_catalog(ROOT / "locales", language)
        for name in (f.name for f in dataclasses.fields(Labels)):
            default = Labels.__dataclass_fields__[name].metadata["default"]
            if language == "ja":
                assert catalog.gettext(default) != default, name
            assert label(None, name, language, catalog.gettext)


def _errors(project: Project) -> list[str]:
    with pytest.raises(convert.PolicyError) as raised:
        convert.load(project.source)
    return [str(problem) for problem in raised.value.diagnostics]


def test_a_block_naming_a_fact_the_version_does_not_state_is_an_error_at_the_block(tmp_path):
    project = minimal_project(tmp_path, MINIMAL_VERSION.replace("block: inquiry_desk",
                                                        "block: officer"))
    line, column = project.line_of("versions/2025-01-01.yaml", "block: officer")
    found = _errors(project)
    shown = display_path(project.path("versions/2025-01-01.yaml"))
    assert any(f"{shown}:{line}:{column + len('block: ')}" in problem and
               "states no 'officer'" in problem for problem in found), found


def test_an_inquiry_desk_without_any_way_to_reach_it_is_an_error(tmp_path):
    project = minimal_project(tmp_path, MINIMAL_VERSION.replace(
        "    email: privacy@acme.example\n", "    name:\n      en: Privacy team\n"))
    assert any("gives no way to reach it" in problem for problem in _errors(project))


def test_an_empty_labels_mapping_is_an_error_not_an_empty_member(tmp_path):
    project = minimal_project(tmp_path, MINIMAL_VERSION.replace("sections:\n",
                                                        "labels: {}\nsections:\n"))
    assert any("is empty" in problem for problem in _errors(project))


def test_general_facts_are_drawn_in_their_blocks(tmp_path):
    facts = """\
  controllers:
    - name:
        en: Acme Inc.
      registration:
        en: Company number 01234567
    - name:
        en: Acme Europe B.V.
      address:
        en: 1 Canal Street, Amsterdam
  representatives:
    - role:
        en: Representative in the United Kingdom
      name:
        en: Acme UK Ltd
      email: uk@acme.example
  supervisory_authority:
    name:
      en: Autoriteit Persoonsgegevens
    website: https://autoriteitpersoonsgegevens.nl/
"""
    version = MINIMAL_VERSION.replace("sections:\n", "sections:\n" + "".join(
        f"  - id: {block.replace('_', '-')}\n    title:\n      en: {block}\n"
        f"    block: {block}\n"
        for block in ("controllers", "representatives", "supervisory_authority")))
    version = version.replace("  inquiry_desk:\n", facts + "  inquiry_desk:\n")
    project = minimal_project(tmp_path, version)
    project.lock()
    project.build()
    page = (project.root / "site" / "en" / "versions" / "2025-01-01" / "index.html"
            ).read_text(encoding="utf-8")
    assert "Registration: Company number 01234567" in page
    assert "Address: 1 Canal Street, Amsterdam" in page
    assert "Representative in the United Kingdom<br>\nAcme UK Ltd" in page
    assert 'Website: <a href="https://autoriteitpersoonsgegevens.nl/">' in page
    data = json.loads((project.root / "site" / "api" / "v1" / "versions" / "2025-01-01" /
                       "en.json").read_text(encoding="utf-8"))
    assert data["facts"]["controllers"][0] == {"name": "Acme Inc.",
                                               "registration": "Company number 01234567"}
    assert data["facts"]["supervisory_authority"] == {
        "name": "Autoriteit Persoonsgegevens",
        "website": "https://autoriteitpersoonsgegevens.nl/"}


def test_the_contract_describes_labels_as_optional():
    schema = contract.api_schemas()["version.schema.json"]
    assert "labels" in schema["properties"] and "labels" not in schema["required"]


def test_a_changed_item_of_a_list_of_facts_is_reported_by_its_number_and_name(tmp_path):
    import dataclasses

    from generator.core import diff
    from generator.core.facts import Controller
    from generator.core.model import Localized

    policy, _ = convert.load_with_warnings(minimal_project(tmp_path).source)
    old = policy.versions[0]
    name = lambda text: Localized((("en", text),))  # noqa: E731
    with_controllers = lambda *names: dataclasses.replace(  # noqa: E731
        old, facts=dataclasses.replace(old.facts, controllers=tuple(
            Controller(name(n)) for n in names)))
    change = diff.compare(with_controllers("Acme Inc.", "Acme B.V."),
                          with_controllers("Acme Inc.", "Acme Europe B.V."), "en")
    assert [(f.field, f.old, f.new) for f in change.facts] == [
        ("controllers.2.name", "Acme B.V.", "Acme Europe B.V.")]
    gettext = read_catalog(ROOT / "locales", "en").gettext
    assert diff.field_name("controllers.2.name", gettext) == "Controller (2)"


def test_a_version_may_go_by_a_title_of_its_own(tmp_path):
    from generator.core.i18n import read_catalogs
    from generator.core.model import timeline
    from generator.outputs import pdf

    project = minimal_project(tmp_path, MINIMAL_VERSION.replace(
        "reconsent_required: false\n",
        "reconsent_required: false\ntitle:\n  en: Acme Privacy Statement\n"))
    policy, _ = convert.load_with_warnings(project.source)
    version = policy.versions[0]
    data = documents.version_document(policy.info, version, "en").data
    assert data["policy"]["title"] == "Acme Privacy Statement"
    assert "title" not in data["version"]  # said once, where the policy's title was
    line = timeline(policy, version.effective_date)
    texts = {(version.id, "en"): documents.version_document(policy.info, version, "en")}
    html = pdf.documents_html(policy, line, texts, read_catalogs(ROOT / "locales", ("en",)),
                              None)[version.id, "en"]
    assert '<h1 id="pg-title">Acme Privacy Statement</h1>' in html
    assert "<title>Acme Privacy Statement (" in html
    project.lock()
    project.build()
    page = (project.root / "site" / "en" / "versions" / "2025-01-01" / "index.html"
            ).read_text(encoding="utf-8")
    assert '<h1 id="pg-title">Acme Privacy Statement' in page
    current = (project.root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="pg-title">Acme Privacy Statement' in current  # the version in force
    assert "<title>Acme Privacy Statement" in current


def _with_facts(block: str) -> str:
    facts = MINIMAL_VERSION[MINIMAL_VERSION.index("facts:\n"):
                            MINIMAL_VERSION.index("sections:\n")]
    return MINIMAL_VERSION.replace(facts, block)


@pytest.mark.parametrize("where", ["docs/reference.md", "generator/core/facts.py"])
def test_the_documented_shape_of_the_facts_is_a_valid_source(where, tmp_path):
    """What `init`, `import` and a legal team copy from must validate as it is written."""
    import textwrap

    text = (ROOT / where).read_text(encoding="utf-8")
    start = text.index("facts:\n", text.index("company: {en: Example Inc.}") - 40)
    end = text.index("\n```" if where.endswith(".md") else "\n\n", start)
    block = textwrap.dedent(text[text.rindex("\n", 0, start) + 1:end]) + "\n"
    policy, _ = convert.load_with_warnings(minimal_project(tmp_path, _with_facts(block)).source)
    facts = policy.versions[0].facts
    assert facts.controllers and facts.representatives and facts.supervisory_authority
    assert facts.officer and facts.complaint_organization and facts.inquiry_desk.form


def test_a_version_wording_one_label_publishes_that_one_and_shows_the_catalogs_others(
        tmp_path):
    from generator.core.i18n import read_catalogs
    from generator.core.model import timeline
    from generator.outputs import pdf

    project = minimal_project(tmp_path, MINIMAL_VERSION.replace(
        "sections:\n", "labels:\n  email:\n    en: Write to\nsections:\n"))
    policy, _ = convert.load_with_warnings(project.source)
    version = policy.versions[0]
    document = documents.version_document(policy.info, version, "en")
    assert document.data["labels"] == {"email": "Write to"}
    html = pdf.documents_html(policy, timeline(policy, version.effective_date),
                              {(version.id, "en"): document},
                              read_catalogs(ROOT / "locales", ("en",)), None)[version.id, "en"]
    assert '<dt>Write to:</dt>\n<dd><a href="mailto:privacy@acme.example">' in html
    assert "Purpose of use: To answer your questions." in html


def test_a_changed_title_is_the_first_change_a_redline_reports(tmp_path):
    from generator.checks import translations
    from generator.core import diff

    project = minimal_project(tmp_path)
    second = MINIMAL_VERSION.replace("2025-01-01", "2026-01-01")
    project.write("versions/2026-01-01.yaml", second.replace(
        "reconsent_required: false\n",
        "reconsent_required: false\ntitle:\n  en: Acme Privacy Statement\n"))
    policy, _ = convert.load_with_warnings(project.source)
    change = translations.changes(policy, *policy.versions, "en")
    assert [(f.field, f.old, f.new) for f in change.facts] == [
        ("title", "Privacy Notice", "Acme Privacy Statement")]
    assert not change.unchanged
    gettext = read_catalog(ROOT / "locales", "ja").gettext
    assert diff.field_name("title", gettext) == "ポリシーの表題"


def test_compare_js_reports_a_changed_title_and_a_list_item_as_the_redline_does(tmp_path):
    """The compare page diffs the published documents in the browser: it must report what
    the redline reports (the title first, a list of facts item by item)."""
    import subprocess

    from generator.checks import translations
    from generator.core import diff

    node = shutil.which("node")
    assert node, "node is needed for the JavaScript tests: ./dev test installs it as root"
    project = minimal_project(tmp_path)
    project.write("versions/2026-01-01.yaml", MINIMAL_VERSION.replace("2025-01-01", "2026-01-01")
                  .replace("reconsent_required: false\n",
                           "reconsent_required: false\ntitle:\n  en: Acme Privacy Statement\n")
                  .replace("  inquiry_desk:\n", "  controllers:\n    - name:\n        en: Acme"
                           " Inc.\n  inquiry_desk:\n"))
    policy, _ = convert.load_with_warnings(project.source)
    old, new = policy.versions
    texts = [documents.version_document(policy.info, v, "en").data for v in (old, new)]
    (tmp_path / "input.json").write_text(json.dumps(
        {"rules": diff.browser_rules(), "old": texts[0], "new": texts[1]}), encoding="utf-8")
    script = ("const c = require(process.argv[1]); const i = require(process.argv[2]);"
              "process.stdout.write(JSON.stringify(c.compare(i.old, i.new, c.compile(i.rules))"
              ".facts));")
    run = subprocess.run([node, "-e", script, str(ROOT / "site_overrides/assets/javascripts/"
                                                  "compare.js"), str(tmp_path / "input.json")],
                         capture_output=True, text=True, timeout=60, check=True)
    python = translations.changes(policy, old, new, "en").facts
    assert json.loads(run.stdout) == [{"field": f.field, "old": f.old, "new": f.new}
                                      for f in python]
    assert [f.field for f in python] == ["title", "controllers.1.name"]

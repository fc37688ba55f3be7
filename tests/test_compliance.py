"""`policygen check`: checklists as data, coverage named by the source, gaps reported."""
from __future__ import annotations

import json

import pytest

from generator.checks import compliance
from generator.core import documents
from generator.record import store as lockstore
from generator.source.convert import load
from tests.helpers import MINIMAL_VERSION, V2027, minimal_project, without_corrections

DRAFT = "versions/2028-04-01.yaml"
# The sections the issue found could all be deleted from a draft that still validated OK.
DELETED = ("use", "disclosure-requests", "inquiries", "complaint-organization", "officer",
           "overview")


@pytest.fixture
def project(project, monkeypatch):
    monkeypatch.chdir(project.root)
    return project


def without_sections(text: str, ids: tuple[str, ...]) -> str:
    for ident in ids:
        # a section, at the sections' indentation (a processing item may share its id)
        start = text.index(f"\n  - id: {ident}\n") + 1
        ends = [found for found in (text.find("\n  - id: ", start + 1),
                                    text.find("\n\n#", start + 1)) if found >= 0]
        text = text[:start] + (text[min(ends) + 1:] if ends else "")
    return text


def write_draft(project, ids: tuple[str, ...] = ()) -> None:
    text = without_corrections(project.read(V2027))
    text = text.replace("id: 2027-04-01\neffective_date: 2027-04-01",
                        "id: 2028-04-01\neffective_date: 2028-04-01")
    project.write(DRAFT, without_sections(text.replace("status: published", "status: draft"),
                                          ids))


def test_the_example_covers_every_appi_item_and_check_passes(project, cli):
    run = cli("check", cwd=project.root)
    assert run.code == 0, run.out + run.err
    assert "version 2027-04-01: 11 of 11 items covered" in run.out
    assert "appi-2022  operator-address         covered         fact address" in run.out
    assert "joint-use                not applicable" in run.out


def test_check_json_lists_every_item_with_what_the_law_asks(project, cli):
    run = cli("check", "--format", "json", cwd=project.root)
    data = json.loads(run.out)
    assert data["ok"] is True and data["version"] == "2027-04-01"
    items = {item["item"]: item for item in data["items"]}
    assert items["purposes"]["covered_by"] == ["section scope", "section use"]
    assert items["operator-address"]["law"] == "APPI Art. 32(1)(i)"
    assert all(item["asks"] and item["law"] for item in data["items"])


def test_a_draft_without_the_required_sections_fails_check_naming_each_item(project, cli):
    write_draft(project, DELETED)
    run = cli("check", cwd=project.root)
    assert run.code == 1
    for item, section in (("purposes", "use"), ("request-procedures", "disclosure-requests"),
                          ("complaints", "inquiries"), ("officer", "officer"),
                          ("accredited-organization", "complaint-organization")):
        line = next(line for line in run.out.splitlines() if f"  {item} " in line)
        assert "missing" in line and f"section '{section}'" in line, line
    # the signature is gone, so the company's name, address and representative are stated
    # nowhere a reader sees them, though the facts remain in the file
    line = next(line for line in run.out.splitlines() if "  operator-name " in line)
    assert "missing" in line and "no section showing fact 'company'" in line
    assert "how to request disclosure, correction" in run.out
    assert "version 2028-04-01: 3 of 11 items covered; 8 missing or unmapped" in run.out


def test_validate_warns_of_each_gap_and_strict_fails(project, cli):
    write_draft(project, DELETED)
    run = cli("validate", cwd=project.root)
    assert run.code == 0
    assert "warning: appi-2022 item 'purposes' is missing in version 2028-04-01 (this " \
           "version has no section 'use')" in run.err
    assert cli("validate", "--strict", cwd=project.root).code == 2


def test_an_item_no_coverage_names_is_unmapped(project, cli):
    project.replace(V2027, "  - item: officer\n", "  - item: oficer\n")
    run = cli("check", cwd=project.root)
    assert run.code == 1
    assert "officer                  unmapped" in run.out
    assert "the personal information protection officer" in run.out
    assert "coverage names 'oficer', which no checklist of the policy has" in \
        cli("validate", cwd=project.root).err


def test_only_a_conditional_item_can_be_declared_not_applicable(project, cli):
    project.replace(V2027, "  - item: officer\n    sections: [officer]\n    facts: [officer]",
                    "  - item: officer\n    not_applicable: true")
    run = cli("check", cwd=project.root)
    assert run.code == 1 and "marked not applicable, but it always applies" in run.out


def test_an_older_version_is_checked_on_request_and_reports_what_it_lacks(project, cli):
    run = cli("check", "--version", "2018-07-06", cwd=project.root)
    assert run.code == 1
    line = next(line for line in run.out.splitlines() if "operator-address" in line)
    assert "missing" in line and "this version has no fact 'address'" in line


def test_a_second_checklist_is_data_only(project, cli):
    project.write("checklists/house-rules.yaml", "id: house-rules\ntitle: House rules\n"
                  "items:\n  - id: cookies\n    asks: how cookies are used\n"
                  "    law: internal rule 7\n")
    project.replace("policy.yaml", "checklists: [appi-2022]",
                    "checklists: [appi-2022, house-rules]")
    run = cli("check", cwd=project.root)
    assert run.code == 1 and "house-rules  cookies" in run.out
    assert "how cookies are used (internal rule 7)" in run.out
    project.replace(V2027, "coverage:\n", "coverage:\n  - item: cookies\n"
                    "    sections: [cookies]\n")
    assert cli("check", cwd=project.root).code == 0


def test_the_shipped_gdpr_checklist_reads_and_shares_item_ids(project):
    checklists = compliance.read_checklists(project.source)
    gdpr = checklists["gdpr-13-14"]
    assert {"operator-name", "purposes", "foreign-countries"} <= {i.id for i in gdpr.items}
    assert all(item.asks and item.law.startswith("GDPR") for item in gdpr.items)


def test_an_unknown_checklist_is_refused(project, cli):
    project.replace("policy.yaml", "checklists: [appi-2022]", "checklists: [appi-2023]")
    run = cli("check", cwd=project.root)
    assert run.code == 2 and "unknown checklist 'appi-2023'" in run.err
    assert "appi-2022" in run.err


def test_a_text_without_the_head_office_address_keeps_its_published_hash(project):
    """The address joined the model after texts were locked: absent, it is not in the
    document, so the hash of 2018-07-06 is the one locked before it existed."""
    policy = load(project.source)
    version = policy.version("2018-07-06")
    locked = lockstore.read(project.source).versions["2018-07-06"].revisions[0]
    for language in ("ja", "en"):
        made = documents.version_document(policy.info, version, language)
        assert "address" not in made.data["facts"]
        assert made.sha256 == locked.documents[language].sha256
    upcoming = documents.version_document(policy.info, policy.version("2027-04-01"), "ja")
    assert upcoming.data["facts"]["address"].startswith("〒111-0053")


def test_a_checklist_says_which_facts_give_an_item_and_the_unmapped_item_names_them(project,
                                                                                   cli):
    checklists = compliance.read_checklists(project.source)
    items = {item.id: item for item in checklists["gdpr-13-14"].items}
    assert items["complaint-authority"].facts == ("supervisory_authority",)
    assert items["representative-contact"].facts == ("representatives",)
    assert items["retention"].section == "retention"
    project.replace(V2027, "  - item: officer\n", "  - item: oficer\n")
    run = cli("check", cwd=project.root)
    assert "no coverage entry names this item; the facts that can give it: officer" in run.out


def test_a_checklist_naming_a_fact_no_policy_states_is_refused(project):
    project.write("checklists/house-rules.yaml", "id: house-rules\ntitle: House rules\n"
                  "items:\n  - id: dpo\n    asks: the officer\n    law: rule 1\n"
                  "    facts: [oficer]\n")
    with pytest.raises(compliance.PolicyError) as raised:
        compliance.read_checklists(project.source)
    assert "item 'dpo' names the fact 'oficer', which policies do not state" in \
        str(raised.value.diagnostics[0])


def test_a_gdpr_policy_covers_its_controllers_and_authority_by_facts_shown_in_blocks(tmp_path):
    version = MINIMAL_VERSION.replace("  inquiry_desk:\n", "  supervisory_authority:\n    name:\n"
                              "      en: Data Protection Commission\n  inquiry_desk:\n")
    version = version.replace("sections:\n", "coverage:\n  - item: complaint-authority\n"
                              "    facts: [supervisory_authority]\nsections:\n")
    project = minimal_project(tmp_path, version)
    policy = load(project.source)
    gdpr = [compliance.read_checklists(project.source)["gdpr-13-14"]]
    finding = next(f for f in compliance.check(policy.versions[0], gdpr)
                   if f.item.id == "complaint-authority")
    assert finding.status == "missing" and "no section showing fact 'supervisory_authority'" \
        in finding.problem
    project.write("versions/2025-01-01.yaml", version + "  - id: complaints\n    title:\n"
                  "      en: Complaints\n    block: supervisory_authority\n")
    policy = load(project.source)
    finding = next(f for f in compliance.check(policy.versions[0], gdpr)
                   if f.item.id == "complaint-authority")
    assert finding.status == "covered" and finding.by == ("fact supervisory_authority",)

"""The policy as data: a version's `processing` block read into the model, checked with every
mistake located, and carried in the version document (so its hash covers it)."""
from __future__ import annotations

import pytest

from generator.core import documents, processing
from generator.core.diagnostics import PolicyError
from generator.source import convert
from tests.processing_cases import with_processing


def problems_of(project) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        convert.load(project.source)
    return [str(problem) for problem in raised.value.diagnostics]


def test_the_block_is_read_into_the_model_with_names_in_every_language(project):
    with_processing(project)
    version = convert.load(project.source).version("2028-04-01")
    assert version is not None and version.processing is not None
    stated = version.processing
    assert [c.id for c in stated.categories][:3] == ["name", "email", "phone"]
    assert stated.categories[1].dpv == "pd:EmailAddress"
    assert stated.categories[1].name["ja"] == "メールアドレス"
    assert stated.categories[1].name["en"] == "Email address"
    contract = stated.purposes[0]
    assert (contract.id, contract.legal_basis) == ("contract", "contract")
    assert "location" in contract.categories
    assert {r.kind for r in stated.recipients} == {"processor", "third_party"}
    assert [t.country for t in stated.transfers] == ["US"]
    assert stated.retention[0].period is None and stated.retention[0].rule is not None
    assert "access" in [r.id for r in stated.rights]


def test_a_version_without_the_block_has_none_and_its_document_no_member(project):
    policy = convert.load(project.source)
    version = policy.version("2018-07-06")
    assert version is not None and version.processing is None
    made = documents.version_document(policy.info, version, "en")
    assert "processing" not in made.data and "processing" not in made.parts


def test_the_block_is_in_the_hashed_document_and_read_back_from_it(project):
    with_processing(project)
    policy = convert.load(project.source)
    version = policy.version("2028-04-01")
    assert version is not None
    made = {code: documents.version_document(policy.info, version, code) for code in ("ja", "en")}
    assert made["en"].data["processing"]["purposes"][0]["name"] == \
        "To perform and properly manage the contract"
    assert made["en"].data["processing"]["transfers"][0]["country"] == "US"
    assert "processing" in made["en"].parts
    read = documents.read_version({code: doc.data for code, doc in made.items()})
    assert read.processing == version.processing

    with_processing(project)  # written again unchanged: the same hash
    assert documents.version_document(policy.info, convert.load(project.source).version(
        "2028-04-01"), "en").sha256 == made["en"].sha256
    with_processing(project, "legal_basis: contract", "legal_basis: consent")
    changed = convert.load(project.source).version("2028-04-01")
    assert changed is not None
    assert documents.version_document(policy.info, changed, "en").sha256 != made["en"].sha256


MISTAKES = [
    # (what, old, new, needle at the reported place, words of the message)
    ("unknown-category", "categories: [name, business-card]\n      legal_basis: contract",
     "categories: [name, busines-card]\n      legal_basis: contract", "busines-card",
     "'busines-card' names no item of processing's 'categories'"),
    ("purpose-without-category", "      categories: [name, email]\n", "", None,
     "is missing the required field 'categories'"),
    ("purpose-with-empty-categories", "categories: [name, email]", "categories: []", "[]",
     "is an empty list"),
    ("transfer-without-country", "    - country: US\n      safeguard: own_servers",
     "    - safeguard: own_servers", None, "is missing the required field 'country'"),
    ("unknown-country", "country: US", "country: USA", "USA",
     "'USA' is not an ISO 3166-1 alpha-2 country code"),
    ("duplicate-id", "    - id: phone", "    - id: email", None,
     "categories id 'email' is used twice"),
    ("period-not-iso-8601",
     "      rule:\n        ja: 契約終了後も契約内容を適切に管理するために必要な期間\n"
     "        en: After the contract ends, for as long as needed to properly manage its "
     "contents", "      period: 30 days", "30 days", "'30 days' is not a valid duration"),
    ("unknown-recipient", "    - country: US\n", "    - country: US\n      recipients: [cloud]\n",
     "cloud", "'cloud' names no item of processing's 'recipients'"),
    ("unknown-purpose", "purposes: [usage-analysis]", "purposes: [usage-analytics]",
     "usage-analytics", "did you mean 'usage-analysis'?"),
    ("unknown-legal-basis", "legal_basis: contract", "legal_basis: contrat", "contrat",
     "did you mean 'contract'?"),
    ("unknown-right", "    - id: access", "    - id: acess", "acess", "must be access"),
    ("unknown-recipient-kind", "kind: processor", "kind: vendor", "vendor",
     "must be processor, third_party or joint_user"),
    ("malformed-dpv-concept", "dpv: pd:EmailAddress", "dpv: EmailAddress", "EmailAddress",
     "is not a valid dpv"),
    ("retention-of-nothing", "    - purposes: [contract, business-partners]\n      rule:",
     "    - rule:", None, "a retention applies to nothing"),
]


@pytest.mark.parametrize("what, old, new, needle, words", MISTAKES,
                         ids=[case[0] for case in MISTAKES])
def test_each_mistake_is_located_with_its_fix(project, what, old, new, needle, words):
    path = with_processing(project, old, new)
    found = [text for text in problems_of(project) if words in text]
    assert found, problems_of(project)
    if needle is not None:
        text = project.read(path)
        block_line = text[:text.index("\nprocessing:\n")].count("\n") + 2
        line, column = project.line_of(path, needle, start=block_line)
        assert any(f"2028-04-01.yaml:{line}:{column}:" in text for text in found), found
    # each says how to fix it: a hint, or the values it may be
    assert all("; " in text or " must be " in text for text in found)


def test_retention_periods_order_by_their_length():
    assert processing.duration_days("P6M") > processing.duration_days("P90D")
    assert processing.duration_days("P1Y") > processing.duration_days("P11M")
    assert processing.duration_days("PT12H") == 0.5
    assert not processing.is_duration("P") and not processing.is_duration("PT")
    assert not processing.is_duration("P1.5Y") and not processing.is_duration("30D")


def test_every_code_maps_to_a_dpv_concept():
    tables = (processing.LEGAL_BASES, processing.RECIPIENT_KINDS, processing.SAFEGUARDS)
    for table in tables:
        for code, concept in table.items():
            assert concept.split(":")[0] in ("dpv", "eu-gdpr"), code

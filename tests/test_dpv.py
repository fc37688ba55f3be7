"""The policy as linked data: every version's notice in the W3C Data Privacy Vocabulary, made
from its version document, hashed in the index, and expanded offline with pyld against the
@context the site ships. The round trip source -> version document -> JSON-LD must keep every
purpose, category, recipient and transfer of the source as its DPV concept."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pyld import jsonld

from generator.core import processing
from generator.outputs import dpv
from generator.source import convert
from tests.helpers import ROOT, copy_project, read_json

DPV, PD, LOC = dpv.NAMESPACES["dpv"], dpv.NAMESPACES["pd"], dpv.NAMESPACES["loc"]
GDPR = dpv.NAMESPACES["eu-gdpr"]
TYPE = "@type"
# Where the built site stands for the tests: the documents' relative addresses resolve here.
BASE = "https://policy.example/"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("example"))
    project.build()
    return project.root / "site"


def offline(site: Path):
    """A pyld document loader that reads the built site and refuses the network."""
    def load(url: str, options: dict | None = None) -> dict:
        assert url.startswith(BASE), f"JSON-LD asked the network for {url}"
        path = site / url[len(BASE):]
        return {"contextUrl": None, "documentUrl": url,
                "document": json.loads(path.read_bytes())}
    return load


def expanded(site: Path, relative: str) -> list[dict]:
    document = json.loads((site / relative).read_bytes())
    return jsonld.expand(document, {"base": BASE + relative, "documentLoader": offline(site)})


def nodes(graph: object) -> list[dict]:
    """Every node object of an expanded document, however deep."""
    found: list[dict] = []
    if isinstance(graph, list):
        for item in graph:
            found += nodes(item)
    elif isinstance(graph, dict):
        if "@id" in graph:
            found.append(graph)
        for value in graph.values():
            found += nodes(value)
    return found


def iri(compact: str) -> str:
    prefix, _, name = compact.partition(":")
    return dpv.NAMESPACES[prefix] + name


def references(node: dict, compact: str) -> set[str]:
    return {value["@id"] for value in node.get(iri(compact), ())}


def test_every_purpose_category_recipient_and_transfer_of_the_source_is_its_dpv_concept(built):
    version = convert.load(ROOT / "policy_src").version("2027-04-01")
    assert version is not None and version.processing is not None
    stated = version.processing
    url = BASE + "api/v1/versions/2027-04-01/en.jsonld"
    found = {node["@id"]: node for node in nodes(expanded(built,
                                                          "api/v1/versions/2027-04-01/en.jsonld"))}

    notice = found[url]
    assert notice[TYPE] == [DPV + "PrivacyNotice"]
    for category in stated.categories:
        node = found[f"{url}#data-{category.id}"]
        assert DPV + "PersonalData" in node[TYPE] and iri(category.dpv or "") in node[TYPE]
        assert {label["@value"] for label in node[iri("rdfs:label")]} == {category.name["en"]}
    processes = {node["@id"]: node for node in found.values()
                 if node.get(TYPE) == [DPV + "Process"]}
    for purpose in stated.purposes:
        process = processes[f"{url}#process-{purpose.id}"]
        [purpose_node] = process[iri("dpv:hasPurpose")]
        assert iri(purpose.dpv or "") in found[purpose_node["@id"]][TYPE]
        assert references(process, "dpv:hasPersonalData") == {
            f"{url}#data-{ref}" for ref in purpose.categories}
        assert references(process, "dpv:hasLegalBasis") == {
            iri(processing.LEGAL_BASES[purpose.legal_basis or ""])}
    for recipient in stated.recipients:
        node = found[f"{url}#recipient-{recipient.id}"]
        assert node[TYPE] == [iri(processing.RECIPIENT_KINDS[recipient.kind])]
        assert any(f"{url}#recipient-{recipient.id}" in references(process, "dpv:hasRecipient")
                   for process in processes.values())
    for number, transfer in enumerate(stated.transfers, 1):
        node = processes[f"{url}#transfer-{number}"]
        assert references(node, "dpv:hasProcessing") == {DPV + "Transfer"}
        assert references(node, "dpv:hasCountry") == {LOC + transfer.country}
        assert references(node, "dpv:hasLegalBasis") == {
            iri(processing.SAFEGUARDS[transfer.safeguard or ""])}
    rights = {node["@id"] for node in found.values()
              if node.get(TYPE) == [DPV + "DataSubjectRight"]}
    assert rights == {f"{url}#right-{right.id}" for right in stated.rights}
    assert references(found[f"{url}#right-access"], "dct:conformsTo") == {GDPR + "A15"}


def test_each_notice_names_the_exact_version_document_it_was_made_from(built):
    index = read_json(built / "api/v1/policy.json")
    for version in index["versions"]:
        for language, links in version["documents"].items():
            relative = f"api/v1/versions/{version['id']}/{language}.jsonld"
            [notice] = [node for node in expanded(built, relative)
                        if node["@id"] == BASE + relative]
            [source] = notice[iri("dct:source")]
            assert source["@id"] == BASE + f"api/v1/versions/{version['id']}/{language}." \
                f"{links['sha256']}.json"
            [title] = notice[iri("dct:title")]
            assert title["@language"] == language


def test_the_index_hashes_every_notice_and_a_version_stating_no_processing_has_one_too(built):
    index = read_json(built / "api/v1/policy.json")
    for version in index["versions"]:
        for links in version["documents"].values():
            path = built / "api/v1" / links["dpv"]["url"]
            content = path.read_bytes()
            assert links["dpv"]["sha256"] == hashlib.sha256(content).hexdigest()
            assert links["dpv"]["bytes"] == len(content)
    older = json.loads((built / "api/v1/versions/2018-07-06/en.jsonld").read_bytes())
    assert older["dpv:hasDataController"]["rdfs:label"] == "ISAO Corporation"
    assert "dpv:hasProcess" not in older  # it states no processing as data


def test_the_japanese_notice_labels_in_japanese(built):
    found = nodes(expanded(built, "api/v1/versions/2027-04-01/ja.jsonld"))
    [email] = [node for node in found if node["@id"].endswith("#data-email")][:1]
    assert email[iri("rdfs:label")] == [{"@value": "メールアドレス", "@language": "ja"}]


def test_the_shipped_context_is_the_one_the_notices_name(built):
    notice = json.loads((built / "api/v1/versions/2027-04-01/en.jsonld").read_bytes())
    context = (built / "api/v1/versions/2027-04-01" / notice["@context"][0]).resolve()
    assert json.loads(context.read_bytes()) == dpv.context()

"""A version's notice in the W3C Data Privacy Vocabulary (DPV 2.x): JSON-LD made from its
canonical version document alone, so that it says exactly what the hashed document says.

Each purpose is a `dpv:Process` with its purpose, personal data, legal basis, recipients and
storage conditions; each transfer a process whose operation is `dpv:Transfer`, in its
country (DPV's locations, `loc:`); the rights are the notice's. Nodes are named by fragment
(`#purpose-contract`) and the `@context` by a relative address (the one shipped beside the
API), so the document reads the same on any host and expands offline. The codes' concepts
are the tables of core/processing.py.
"""
from __future__ import annotations

from generator.core import documents
from generator.core.processing import LEGAL_BASES, RECIPIENT_KINDS, RIGHTS, SAFEGUARDS

# Where a notice finds its context, relative to itself: fixed by the API's layout (see
# routes.dpv_path and routes.DPV_CONTEXT), never by the host.
CONTEXT_REF = "../../dpv/context.jsonld"
NAMESPACES = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "loc": "https://w3id.org/dpv/loc#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def context() -> dict:
    """The shared @context: the vocabularies' prefixes, and which members hold node
    references (so that "#purpose-contract" and "dpv:Contract" are read as addresses)."""
    node = {"@type": "@id"}
    references = ("dpv:hasDataController", "dpv:hasPersonalData", "dpv:hasLegalBasis",
                  "dpv:hasRecipient", "dpv:hasCountry", "dpv:hasProcessing",
                  "dct:source", "dct:conformsTo")
    return {"@context": {**NAMESPACES, **{name: {"@id": name, **node} for name in references},
                         "dct:valid": {"@id": "dct:valid", "@type": "xsd:date"}}}


def context_bytes() -> bytes:
    return documents.canonical(context())


def notice(document: documents.Document) -> bytes:
    """The JSON-LD of one version document (its exact bytes), in its language: canonical
    JSON (RFC 8785), so its hash in the index is the same on every build."""
    return documents.canonical(_notice(document.data, document.sha256))


def _notice(data: dict, sha256: str) -> dict:
    language, version = data["language"], data["version"]
    stated = data.get("processing") or {}
    controller = {"@id": "#controller", "@type": "dpv:DataController",
                  "rdfs:label": data["facts"]["company"]}
    graph: dict = {
        "@context": [CONTEXT_REF, {"@language": language}],
        "@id": "",
        "@type": "dpv:PrivacyNotice",
        "dct:title": data["policy"]["title"],
        "dct:identifier": version["id"],
        "dct:valid": version["effective_date"],
        "dct:language": {"@value": language, "@type": "xsd:language"},
        # The exact text this notice states, by its hash: a consent record's reference.
        "dct:source": f"{language}.{sha256}.json",
        "dpv:hasDataController": controller,
    }
    categories = {item["id"]: _category(item, stated) for item in stated.get("categories", ())}
    recipients = {item["id"]: _recipient(item) for item in stated.get("recipients", ())}
    retention = [_retention(number, item) for number, item
                 in enumerate(stated.get("retention", ()), 1)]
    processes = [_process(item, stated, categories, recipients, retention)
                 for item in stated.get("purposes", ())]
    processes += [_transfer(number, item, recipients) for number, item
                  in enumerate(stated.get("transfers", ()), 1)]
    if processes:
        graph["dpv:hasProcess"] = processes
    # Data no purpose names is still stated: listed under the notice itself.
    used = {ref for item in stated.get("purposes", ()) for ref in item["categories"]}
    unused = [node for ident, node in categories.items() if ident not in used]
    if unused:
        graph["dpv:hasPersonalData"] = unused
    unnamed = [node for ident, node in recipients.items()
               if not any(ident in _recipients_of(purpose, stated)
                          for purpose in stated.get("purposes", ()))]
    if unnamed:
        graph["dpv:hasRecipient"] = unnamed
    if stated.get("rights"):
        graph["dpv:hasRight"] = [_right(item) for item in stated["rights"]]
    return graph


def _labelled(ident: str, kind: str, name: str, types: list[str]) -> dict:
    return {"@id": f"#{kind}-{ident}", "@type": types if len(types) > 1 else types[0],
            "dct:identifier": ident, "rdfs:label": name}


def _category(item: dict, stated: dict) -> dict:
    types = ["dpv:PersonalData", *([item["dpv"]] if item.get("dpv") else []),
             *(["dpv:SensitivePersonalData"] if item.get("sensitive") else [])]
    node = _labelled(item["id"], "data", item["name"], types)
    sources = [_labelled(source["id"], "source", source["name"], ["dpv:DataSource"])
               for source in stated.get("sources", ()) if item["id"] in source["categories"]]
    if sources:
        node["dpv:hasDataSource"] = sources
    return node


def _recipient(item: dict) -> dict:
    node = _labelled(item["id"], "recipient", item["name"], [RECIPIENT_KINDS[item["kind"]]])
    if item.get("country"):
        node["dpv:hasCountry"] = f"loc:{item['country']}"
    return node


def _recipients_of(purpose: dict, stated: dict) -> list[str]:
    """The recipients that receive data for `purpose`: those naming it, or naming none of
    the purposes but some of its categories."""
    return [item["id"] for item in stated.get("recipients", ())
            if purpose["id"] in item.get("purposes", ()) or
            (not item.get("purposes") and set(item.get("categories", ())) &
             set(purpose["categories"]))]


def _retention(number: int, item: dict) -> dict:
    node: dict = {"@id": f"#retention-{number}", "@type": "dpv:StorageDuration"}
    if item.get("period"):
        node["rdf:value"] = {"@value": item["period"], "@type": "xsd:duration"}
    if item.get("rule"):
        node["dct:description"] = item["rule"]
    return node


def _process(purpose: dict, stated: dict, categories: dict, recipients: dict,
             retention: list[dict]) -> dict:
    types = ["dpv:Purpose", *([purpose["dpv"]] if purpose.get("dpv") else [])]
    node: dict = {
        "@id": f"#process-{purpose['id']}", "@type": "dpv:Process",
        "dpv:hasPurpose": _labelled(purpose["id"], "purpose", purpose["name"], types),
        "dpv:hasPersonalData": [categories[ref] for ref in purpose["categories"]],
        "dpv:hasDataController": "#controller",
    }
    if purpose.get("legal_basis"):
        node["dpv:hasLegalBasis"] = LEGAL_BASES[purpose["legal_basis"]]
    receiving = _recipients_of(purpose, stated)
    if receiving:
        node["dpv:hasRecipient"] = [recipients[ref] for ref in receiving]
    kept = [node for node, item in zip(retention, stated.get("retention", ()), strict=True)
            if purpose["id"] in item.get("purposes", ()) or
            set(item.get("categories", ())) & set(purpose["categories"])]
    if kept:
        node["dpv:hasStorageCondition"] = kept
    return node


def _transfer(number: int, item: dict, recipients: dict) -> dict:
    node: dict = {"@id": f"#transfer-{number}", "@type": "dpv:Process",
                  "dpv:hasProcessing": "dpv:Transfer",
                  "dpv:hasCountry": f"loc:{item['country']}",
                  "dpv:hasDataController": "#controller"}
    if item.get("recipients"):
        node["dpv:hasRecipient"] = [recipients[ref] for ref in item["recipients"]]
    if item.get("safeguard"):
        node["dpv:hasLegalBasis"] = SAFEGUARDS[item["safeguard"]]
    if item.get("information"):
        node["dct:description"] = item["information"]
    return node


def _right(item: dict) -> dict:
    node: dict = {"@id": f"#right-{item['id']}", "@type": "dpv:DataSubjectRight",
                  "dct:identifier": item["id"], "dct:description": item["how"]}
    if RIGHTS[item["id"]]:
        node["dct:conformsTo"] = RIGHTS[item["id"]]
    return node

"""What a version says it does with personal data, as data: categories, purposes, recipients,
retention, transfers, sources and rights, each with an id that the others refer to.

It is a version's optional `processing` block. The texts of its names are Localized like every
text the reader sees; its codes are closed sets, each mapped here to its concept in the W3C
Data Privacy Vocabulary (DPV 2.x), so that the published JSON-LD (outputs/dpv.py) and the
validation read the same table. `problems` checks what the field types cannot: that every id
referred to exists, that ids are unique, and that a retention says what it applies to.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from generator.core.localized import Localized, doc

# ISO 8601 durations as retention periods are written: P30D, P6M, P1Y6M, PT12H; at least one
# part, and a T only before hours, minutes or seconds. Fractions and negatives are refused.
DURATION_PATTERN = r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$"
# A DPV concept as a compact IRI: the core vocabulary (dpv:) or personal data (pd:).
DPV_PATTERN = r"^(dpv|pd):[A-Z][A-Za-z0-9]*$"

# Legal bases: GDPR Art. 6(1)(a)-(f), and the APPI's own grounds (consent, Art. 18(1) and
# 27(1); the exceptions of Art. 18(3) and 27(1)(i)-(vii); use within the purpose published or
# notified, Art. 17 and 21). Each -> its DPV legal basis concept.
LEGAL_BASES = {
    "consent": "dpv:Consent",                                 # GDPR 6(1)(a)
    "contract": "dpv:Contract",                               # 6(1)(b)
    "legal_obligation": "dpv:LegalObligation",                # 6(1)(c)
    "vital_interests": "dpv:VitalInterest",                   # 6(1)(d)
    "public_task": "dpv:OfficialAuthority",                   # 6(1)(e)
    "legitimate_interests": "dpv:LegitimateInterest",         # 6(1)(f)
    "appi_consent": "dpv:Consent",                            # APPI 18(1), 27(1)
    "appi_published_purpose": "dpv:LegalBasis",               # APPI 17, 21: no consent asked
    "appi_laws_and_regulations": "dpv:LegalObligation",       # APPI 18(3)(i), 27(1)(i)
    "appi_protection_of_life": "dpv:VitalInterest",           # APPI 18(3)(ii), 27(1)(ii)
    "appi_public_health": "dpv:PublicInterest",               # APPI 18(3)(iii), 27(1)(iii)
    "appi_public_authority": "dpv:OfficialAuthority",         # APPI 18(3)(iv), 27(1)(iv)
    "appi_academic_research": "dpv:PublicInterest",           # APPI 18(3)(v)-(vi), 27(1)(v)-(vii)
}
# Recipients: a processor (APPI: an entrusted party, Art. 27(5)(i)), a third party, a joint
# user (APPI Art. 27(5)(iii); in DPV, a joint controller).
RECIPIENT_KINDS = {
    "processor": "dpv:DataProcessor",
    "third_party": "dpv:ThirdParty",
    "joint_user": "dpv:JointDataControllers",
}
# Safeguards of a transfer abroad (GDPR Art. 45-49, APPI Art. 28), each -> its concept: DPV's
# core where it has one, else the article in DPV's GDPR extension (eu-gdpr:), else DPV's
# general data transfer legal basis.
SAFEGUARDS = {
    "adequacy": "eu-gdpr:A45-3",                              # GDPR 45(3); APPI 28(1): EU, UK
    "sccs": "dpv:StandardContractualClauses",                 # GDPR 46(2)(c)
    "bcr": "dpv:BindingCorporateRules",                       # GDPR 47
    "consent": "eu-gdpr:A49-1-a",                             # GDPR 49(1)(a)
    "appi_consent": "dpv:Consent",                            # APPI 28(1), told 28(2)'s info
    "appi_equivalent_measures": "dpv:DataTransferLegalBasis",  # APPI 28(1), 28(3)
    "own_servers": "dpv:DataTransferLegalBasis",              # stored abroad by the company
}
# The data subject's rights (GDPR Art. 7(3), 15-21, 77; APPI Art. 33-35), each a
# dpv:DataSubjectRight, with the GDPR article that grants it where there is one.
RIGHTS: dict[str, str | None] = {
    "access": "eu-gdpr:A15",
    "rectification": "eu-gdpr:A16",
    "erasure": "eu-gdpr:A17",
    "restriction": "eu-gdpr:A18",
    "portability": "eu-gdpr:A20",
    "objection": "eu-gdpr:A21",
    "withdraw_consent": "eu-gdpr:A7-3",
    "complaint": "eu-gdpr:A77",
    "disclosure_of_records": None,                            # APPI 33(5): third-party records
    "stop_use": None,                                         # APPI 35: cease use or provision
}


@dataclass(frozen=True, slots=True)
class DataCategory:
    """A category of personal data the version says is processed."""

    id: str = field(metadata=doc("Stable id, referred to by purposes, recipients and "
                                 "retention.", kind="slug"))
    name: Localized = field(metadata=doc("What the category is, for readers.", kind="plain"))
    dpv: str | None = field(default=None, metadata=doc(
        "Its DPV personal data concept, e.g. pd:EmailAddress.", kind="dpv"))
    sensitive: bool = field(default=False, metadata=doc(
        "Special-category (GDPR Art. 9) or special care-required (APPI Art. 2(3)) data."))


@dataclass(frozen=True, slots=True)
class Purpose:
    id: str = field(metadata=doc("Stable id, referred to by recipients and retention.",
                                 kind="slug"))
    name: Localized = field(metadata=doc("The purpose, for readers.", kind="plain"))
    categories: tuple[str, ...] = field(metadata=doc(
        "Ids of the data categories used for it.", kind="slug"))
    legal_basis: str | None = field(default=None, metadata=doc(
        "The legal basis the policy states: " + ", ".join(LEGAL_BASES) + ".",
        choices=tuple(LEGAL_BASES)))
    dpv: str | None = field(default=None, metadata=doc(
        "Its DPV purpose concept, e.g. dpv:ServiceProvision.", kind="dpv"))


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone the data is disclosed to or entrusted with."""

    id: str = field(metadata=doc("Stable id, referred to by transfers.", kind="slug"))
    name: Localized = field(metadata=doc("Who, for readers.", kind="plain"))
    kind: str = field(metadata=doc(
        "processor (entrusted with it), third_party or joint_user.",
        choices=tuple(RECIPIENT_KINDS)))
    country: str | None = field(default=None, metadata=doc(
        "Where it is established: an ISO 3166-1 alpha-2 code, e.g. US.", kind="country"))
    purposes: tuple[str, ...] = field(default=(), metadata=doc(
        "Ids of the purposes it receives data for.", kind="slug"))
    categories: tuple[str, ...] = field(default=(), metadata=doc(
        "Ids of the data categories it receives.", kind="slug"))


@dataclass(frozen=True, slots=True)
class Retention:
    """How long data is kept: a period, or a rule in words."""

    categories: tuple[str, ...] = field(default=(), metadata=doc(
        "Ids of the data categories it applies to.", kind="slug"))
    purposes: tuple[str, ...] = field(default=(), metadata=doc(
        "Ids of the purposes it applies to.", kind="slug"))
    period: str | None = field(default=None, metadata=doc(
        "An ISO 8601 duration: P30D (30 days), P6M, P1Y.", kind="duration"))
    rule: Localized | None = field(default=None, metadata=doc(
        "The rule in words, where no fixed period is stated.", kind="plain"))


@dataclass(frozen=True, slots=True)
class Transfer:
    """Data sent to or stored in another country."""

    country: str = field(metadata=doc(
        "The country: an ISO 3166-1 alpha-2 code, e.g. US.", kind="country"))
    recipients: tuple[str, ...] = field(default=(), metadata=doc(
        "Ids of the recipients there; none where the company stores it there itself.",
        kind="slug"))
    safeguard: str | None = field(default=None, metadata=doc(
        "What makes the transfer lawful: " + ", ".join(SAFEGUARDS) + ".",
        choices=tuple(SAFEGUARDS)))
    information: Localized | None = field(default=None, metadata=doc(
        "What the reader is told of the country's system and the measures taken (APPI "
        "Art. 28(2)), in words.", kind="plain"))


@dataclass(frozen=True, slots=True)
class DataSource:
    """Where data the company did not collect from the reader comes from."""

    id: str = field(metadata=doc("Stable id.", kind="slug"))
    name: Localized = field(metadata=doc("The source, for readers.", kind="plain"))
    categories: tuple[str, ...] = field(metadata=doc(
        "Ids of the data categories obtained from it.", kind="slug"))


@dataclass(frozen=True, slots=True)
class Right:
    id: str = field(metadata=doc("The right: " + ", ".join(RIGHTS) + ".",
                                 choices=tuple(RIGHTS)))
    how: Localized = field(metadata=doc("How to exercise it, for readers.", kind="plain"))


@dataclass(frozen=True, slots=True)
class Processing:
    """What the version states about the processing of personal data, as data."""

    categories: tuple[DataCategory, ...] = field(default=(), metadata=doc(
        "The categories of personal data."))
    purposes: tuple[Purpose, ...] = field(default=(), metadata=doc(
        "The purposes, each naming the categories it uses."))
    recipients: tuple[Recipient, ...] = field(default=(), metadata=doc(
        "Processors, third parties and joint users."))
    retention: tuple[Retention, ...] = field(default=(), metadata=doc(
        "How long data is kept."))
    transfers: tuple[Transfer, ...] = field(default=(), metadata=doc(
        "Transfers to or storage in other countries."))
    sources: tuple[DataSource, ...] = field(default=(), metadata=doc(
        "Where data not collected from the reader comes from."))
    rights: tuple[Right, ...] = field(default=(), metadata=doc(
        "The data subject's rights and how to exercise them."))


# A problem's place: keys and list positions from the `processing` block down, e.g.
# ("purposes", 2, "categories", 0) for the first category id of the third purpose.
Place = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    place: Place
    message: str
    hint: str


_LISTS = ("categories", "purposes", "recipients", "sources", "rights")


def problems(processing: Processing) -> tuple[Problem, ...]:
    """What is wrong across the block's items: duplicate ids, ids referring to nothing, and
    a retention that applies to nothing or states both or neither of period and rule."""
    found: list[Problem] = []
    for name in _LISTS:
        seen: dict[str, int] = {}
        for number, item in enumerate(getattr(processing, name)):
            if item.id in seen:
                found.append(Problem((name, number, "id"), f"{name} id '{item.id}' is used "
                                     f"twice in processing", f"item {seen[item.id] + 1} of "
                                     f"'{name}' has it already; give each its own id"))
            seen.setdefault(item.id, number)
    known = {name: list(dict.fromkeys(item.id for item in getattr(processing, name)))
             for name in ("categories", "purposes", "recipients")}

    def refer(place: Place, ids: tuple[str, ...], kind: str) -> None:
        for number, ref in enumerate(ids):
            if ref not in known[kind]:
                found.append(_unknown(place + (number,), ref, kind, known[kind]))

    for number, purpose in enumerate(processing.purposes):
        refer(("purposes", number, "categories"), purpose.categories, "categories")
    for number, recipient in enumerate(processing.recipients):
        refer(("recipients", number, "purposes"), recipient.purposes, "purposes")
        refer(("recipients", number, "categories"), recipient.categories, "categories")
    for number, source in enumerate(processing.sources):
        refer(("sources", number, "categories"), source.categories, "categories")
    for number, transfer in enumerate(processing.transfers):
        refer(("transfers", number, "recipients"), transfer.recipients, "recipients")
    for number, kept in enumerate(processing.retention):
        refer(("retention", number, "categories"), kept.categories, "categories")
        refer(("retention", number, "purposes"), kept.purposes, "purposes")
        if not kept.categories and not kept.purposes:
            found.append(Problem(("retention", number), "a retention applies to nothing",
                                 "name the data it applies to: 'categories: [id, ...]' or "
                                 "'purposes: [id, ...]'"))
        if (kept.period is None) == (kept.rule is None):
            found.append(Problem(("retention", number), "a retention must state either a "
                                 "period or a rule" + (", not both" if kept.period else ""),
                                 "write 'period: P30D' (an ISO 8601 duration), or the rule "
                                 "in words under 'rule:'"))
    return tuple(found)


def _unknown(place: Place, ref: str, kind: str, known: list[str]) -> Problem:
    close = difflib.get_close_matches(ref, known, n=1)
    return Problem(place, f"'{ref}' names no item of processing's '{kind}'",
                   f"did you mean '{close[0]}'?" if close else
                   (f"the {kind} ids are " + ", ".join(known) if known else
                    f"add it to processing's '{kind}' first"))


_DURATION = re.compile(DURATION_PATTERN)


def is_duration(text: str) -> bool:
    return bool(_DURATION.match(text))


def duration_days(period: str) -> float:
    """An ISO 8601 duration in days, months and years at their average lengths: to order
    periods (is 6 months longer than 90 days?), never to compute a date."""
    match = _DURATION.match(period)
    if not match:
        raise ValueError(f"not an ISO 8601 duration: {period!r}")
    years, months, weeks, days, hours, minutes, seconds = (
        int(part[:-1]) if part else 0
        for number, part in enumerate(match.groups()) if number != 4)  # 4: the T part
    return (years * 365.2425 + months * 30.436875 + weeks * 7 + days
            + hours / 24 + minutes / 1440 + seconds / 86400)

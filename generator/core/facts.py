"""What a version states about who is responsible for the policy and how to reach them (its
facts), and the wording of field names in the blocks that show them (its labels).

Every fact but the company's name is optional, and nothing a version does not state is
published: an absent field is left out of the version document (`omit_when_absent`), never
written as null or as a placeholder; a block is drawn from the facts the version states, and
a section whose block needs a fact the version does not state is an error at that block.

The shape, as a version file writes it (every text in each of the policy's languages):

    facts:
      company: {en: Example Inc.}            # required: the name the policy goes by
      address: {en: "1 Main St, Springfield"}  # the company's head office
      representative:                        # who signs the policy for the company
        title: {en: Chief Executive Officer}
        name: {en: Jane Doe}
      controllers:                           # the controllers, when the policy names them
        - name: {en: Example Inc.}
          address: {en: "1 Main St, Springfield"}
          registration: {en: "Company number 01234567 (England and Wales)"}
          email: privacy@example.com
      representatives:                       # e.g. an EU or UK representative (GDPR Art. 27)
        - role: {en: Representative in the European Union}
          name: {en: Example EU B.V.}
          address: {en: "1 Canal St, Amsterdam"}
          email: eu-rep@example.com
      officer:                               # a data protection / personal information officer
        title: {en: Data Protection Officer}
        name: {en: John Roe}                 # optional: the GDPR asks for contact details only
        email: dpo@example.com
        contact: {en: "(reach the officer through the privacy team below)"}
      inquiry_desk:                          # where readers send inquiries: at least one way
        name: {en: Privacy team}
        email: privacy@example.com
        form: https://example.com/privacy/request
        phone: "+1 555 0100"
        address: {en: "1 Main St, Springfield"}
      supervisory_authority:                 # where readers may lodge a complaint
        name: {en: "Information Commissioner's Office"}
        website: https://ico.org.uk/
      complaint_organization:                # an accredited complaint organization (JIPDEC's kind)
        name: {en: JIPDEC}
        complaint_desk: {en: Consumer consultation}
        address: {en: "Roppongi First Building, Tokyo"}
        phones: [0120-700-779]

The fields the shipped example states (company, address, representative, officer,
inquiry_desk, complaint_organization and all nine labels) keep the names and shapes its
locked documents were hashed with.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from generator.core.i18n import N_
from generator.core.localized import Localized, doc

# No `\"`: JavaScript's Unicode-mode regular expressions (Ajv's) refuse that escape.
EMAIL_PATTERN = r"""^[^@\s<>"']+@[^@\s<>"']+\.[a-zA-Z]{2,}$"""
PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{3,30}$"
WEB_PATTERN = r"""^https?://[^\s<>"'/]+\.[^\s<>"']+$"""


def stated(text: str, **more: object) -> dict:
    """The metadata of a fact that may be absent: left out of the document while it is."""
    return doc(text, omit_when_absent=True, **more)


@dataclass(frozen=True, slots=True)
class Person:
    title: Localized = field(metadata=doc("The person's role, as the policy names it, e.g. "
                                          "代表取締役 or Chief Executive Officer."))
    name: Localized = field(metadata=doc("The person's name in each language."))


@dataclass(frozen=True, slots=True)
class Controller:
    """A legal entity that decides why and how personal information is processed."""

    name: Localized = field(metadata=doc("The controller's legal name."))
    address: Localized | None = field(default=None, metadata=stated(
        "Its registered or postal address."))
    registration: Localized | None = field(default=None, metadata=stated(
        "Its registration as the policy writes it, e.g. \"Company number 01234567 (England "
        "and Wales)\" or 法人番号 1234567890123."))
    email: str | None = field(default=None, metadata=stated(
        "An e-mail address for privacy matters.", kind="email"))


@dataclass(frozen=True, slots=True)
class Representative:
    """A representative of the company in a jurisdiction where it has no establishment."""

    role: Localized = field(metadata=doc("What the representative is, e.g. \"Representative "
                                         "in the European Union (GDPR Art. 27)\"."))
    name: Localized = field(metadata=doc("The representative's name."))
    address: Localized | None = field(default=None, metadata=stated("Postal address."))
    email: str | None = field(default=None, metadata=stated("E-mail address.", kind="email"))
    phone: str | None = field(default=None, metadata=stated("Phone number.", kind="phone"))


@dataclass(frozen=True, slots=True)
class Officer:
    """A data protection officer, personal information officer or the like."""

    title: Localized = field(metadata=doc("The role, e.g. 個人情報保護管理者 or Data "
                                          "Protection Officer."))
    name: Localized | None = field(default=None, metadata=stated(
        "The officer's name, where the policy names the officer."))
    contact: Localized | None = field(default=None, metadata=stated(
        "How to reach the officer, in words, shown after the name."))
    email: str | None = field(default=None, metadata=stated(
        "The officer's e-mail address.", kind="email"))


@dataclass(frozen=True, slots=True)
class InquiryDesk:
    """Where readers send inquiries and requests about their personal information."""

    # At least one way to reach the desk: a desk with none tells a reader nothing.
    ONE_OF: ClassVar[tuple[str, ...]] = ("email", "form", "phone", "address")

    name: Localized | None = field(default=None, metadata=stated(
        "The desk's name, e.g. 個人情報相談窓口 or Privacy team."))
    address: Localized | None = field(default=None, metadata=stated(
        "Postal address in each language."))
    email: str | None = field(default=None, metadata=stated(
        "E-mail address of the desk.", kind="email"))
    form: str | None = field(default=None, metadata=stated(
        "Address of a web form for inquiries and requests.", kind="web"))
    phone: str | None = field(default=None, metadata=stated(
        "Phone number of the desk.", kind="phone"))


@dataclass(frozen=True, slots=True)
class SupervisoryAuthority:
    """The public authority a reader may lodge a complaint with (e.g. under GDPR Art. 77)."""

    name: Localized = field(metadata=doc("The authority's name."))
    address: Localized | None = field(default=None, metadata=stated("Postal address."))
    website: str | None = field(default=None, metadata=stated("Its website.", kind="web"))
    phone: str | None = field(default=None, metadata=stated("Phone number.", kind="phone"))


@dataclass(frozen=True, slots=True)
class ComplaintOrganization:
    """An accredited organization that resolves complaints about its members' handling of
    personal information (in Japan, an authorized personal information protection
    organization such as JIPDEC)."""

    name: Localized = field(metadata=doc("The organization's name."))
    complaint_desk: Localized | None = field(default=None, metadata=stated(
        "Where complaints are to be sent within the organization."))
    address: Localized | None = field(default=None, metadata=stated(
        "Street address of the complaint desk."))
    phones: tuple[str, ...] | None = field(default=None, metadata=stated(
        "Phone numbers of the complaint desk.", kind="phone"))
    website: str | None = field(default=None, metadata=stated("Its website.", kind="web"))


@dataclass(frozen=True, slots=True)
class Facts:
    """What the policy states about the company on this version's day: its name, and
    whichever of the other facts it states."""

    company: Localized = field(metadata=doc("The company's name: the name the policy goes by."))
    representative: Person | None = field(default=None, metadata=stated(
        "The person who signs the policy for the company (shown in the signature block)."))
    officer: Officer | None = field(default=None, metadata=stated(
        "The data protection officer or personal information protection officer."))
    inquiry_desk: InquiryDesk | None = field(default=None, metadata=stated(
        "Where readers send inquiries and requests."))
    complaint_organization: ComplaintOrganization | None = field(default=None, metadata=stated(
        "An accredited complaint organization the company is a member of."))
    address: Localized | None = field(default=None, metadata=stated(
        "The address of the company's head office."))
    controllers: tuple[Controller, ...] | None = field(default=None, metadata=stated(
        "The controllers, one or more, where the policy names them; without them the "
        "company is the controller."))
    representatives: tuple[Representative, ...] | None = field(default=None, metadata=stated(
        "Representatives in other jurisdictions, e.g. in the EU or the UK (GDPR Art. 27)."))
    supervisory_authority: SupervisoryAuthority | None = field(default=None, metadata=stated(
        "The supervisory authority readers may complain to."))


@dataclass(frozen=True, slots=True)
class Labels:
    """The wording of field names in structured blocks. A version that states a label keeps
    it, as legal text; one it does not state is worded by the interface catalogs (`default`,
    a msgid), and is then presentation, outside the version document and its hash."""

    enactment_date: Localized | None = field(default=None, metadata=stated(
        "Label of the enactment date.", default=N_("Enactment date")))
    revision_date: Localized | None = field(default=None, metadata=stated(
        "Label of the last revision date.", default=N_("Last revised")))
    details: Localized | None = field(default=None, metadata=stated(
        "Label of a category's details.", default=N_("Personal information")))
    purpose: Localized | None = field(default=None, metadata=stated(
        "Label of a category's purpose of use.", default=N_("Purpose of use")))
    email: Localized | None = field(default=None, metadata=stated(
        "Label of an e-mail address.", default=N_("E-mail")))
    organization_name: Localized | None = field(default=None, metadata=stated(
        "Label of the complaint organization's name.", default=N_("Complaint organization")))
    complaint_desk: Localized | None = field(default=None, metadata=stated(
        "Label of the complaint desk.", default=N_("Complaint desk")))
    address: Localized | None = field(default=None, metadata=stated(
        "Label of a postal address.", default=N_("Address")))
    phones: Localized | None = field(default=None, metadata=stated(
        "Label of phone numbers.", default=N_("Phone")))
    form: Localized | None = field(default=None, metadata=stated(
        "Label of a web form's address.", default=N_("Web form")))
    registration: Localized | None = field(default=None, metadata=stated(
        "Label of a controller's registration.", default=N_("Registration")))
    website: Localized | None = field(default=None, metadata=stated(
        "Label of a website.", default=N_("Website")))


def label(labels: Labels | None, name: str, language: str,
          gettext: Callable[[str], str]) -> str:
    """A block's field name in `language`: the version's own wording, else the catalog's."""
    own = getattr(labels, name) if labels is not None else None
    if own is not None and language in own.languages():
        return own[language]
    wording = Labels.__dataclass_fields__[name].metadata["default"]
    return gettext(wording)


# The blocks a section may show after its body, each with the facts it shows readers (a
# fact no section's block shows is not in the notice) and the one it cannot be drawn
# without: a block naming a fact the version does not state is an error.
BLOCK_FACTS: dict[str, tuple[str, ...]] = {
    "signature": ("company", "representative", "address"),
    "officer": ("officer",),
    "inquiry_desk": ("inquiry_desk",),
    "complaint_organization": ("complaint_organization",),
    "controllers": ("controllers",),
    "representatives": ("representatives",),
    "supervisory_authority": ("supervisory_authority",),
}
BLOCKS = tuple(BLOCK_FACTS)


def needed_fact(block: str) -> str:
    """The fact a block cannot be drawn without (the signature needs only the company's
    name, which every version states)."""
    return BLOCK_FACTS[block][0]

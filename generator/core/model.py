"""The policy as plain, frozen data: no YAML, no files, no clock.

Field metadata drives validation, the source JSON Schema and the API documents, so a field is
declared once here and nowhere else:
  doc      what the legal team sees in editor completion
  kind     how a text is checked and rendered: "markdown" (safe subset), "plain", "email",
           "phone", "web" (an http(s) address), "slug" (safe as a URL path part),
           "language", "timezone"
  choices  the allowed values of a str field
  omit_when_absent
           the field is left out of the version document while it is absent, instead of
           written as null: a field added after texts were published keeps their hashes, and
           a fact the policy does not state is never published (facts.py)

The facts and labels a version states, and the blocks that show them, are in facts.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from generator.core.facts import BLOCKS, Facts, Labels
from generator.core.languages import TAG_PATTERN
from generator.core.localized import Localized, doc
from generator.core.processing import Processing

# Section ids are the anchors of published pages, which imported policies take from their
# headings: long enough for the longest real ones (a US policy's reached 90 characters).
SLUG_LIMIT = 128
SLUG_PATTERN = rf"^[a-z0-9](?:[a-z0-9-]{{0,{SLUG_LIMIT - 2}}}[a-z0-9])?$"
# Headings nest to HTML's deepest: the page's title is <h1>, a section of level 5 an <h6>.
SECTION_LEVELS = (1, 2, 3, 4, 5)
LANGUAGE_PATTERN = TAG_PATTERN  # BCP 47: ja, en, zh-Hans, pt-BR, es-419 (see languages.py)

Status = Literal["draft", "published"]


@dataclass(frozen=True, slots=True)
class Category:
    """A category of personal information with its purpose of use."""

    id: str = field(metadata=doc("Stable id of the category.", kind="slug"))
    name: Localized = field(metadata=doc("What the category is.", kind="plain"))
    purpose: Localized = field(metadata=doc("Purpose of use.", kind="plain"))
    details: Localized | None = field(
        default=None, metadata=doc("Which information it covers.", kind="plain"))


@dataclass(frozen=True, slots=True)
class Section:
    id: str = field(metadata=doc(
        "Stable id: never change it, even when the title or position changes; diffs and "
        "links follow it.", kind="slug"))
    title: Localized = field(metadata=doc("The heading.", kind="plain"))
    level: int = field(default=1, metadata=doc(
        "1 for a main section, 2 for its subsection, and so on to 5; a section is at most one "
        "level deeper than the one before it.", choices=SECTION_LEVELS))
    body: Localized | None = field(default=None, metadata=doc(
        "The text: paragraphs, lists, *emphasis*, [links](https://...), line breaks and "
        "tables (| a | b |).", kind="markdown"))
    categories: tuple[Category, ...] = field(
        default=(), metadata=doc("Personal information categories, shown after the body."))
    block: str | None = field(default=None, metadata=doc(
        "A structured block of facts shown after the body.", choices=BLOCKS))
    note: Localized | None = field(
        default=None, metadata=doc("A plain-text note shown last.", kind="plain"))


@dataclass(frozen=True, slots=True)
class Correction:
    """A recorded correction of a published text (a typo): the earlier text stays published."""

    date: dt.date = field(metadata=doc("The day the correction was made."))
    reason: Localized = field(metadata=doc("What was corrected and why, for readers.",
                                           kind="plain"))


@dataclass(frozen=True, slots=True)
class Postponement:
    """An announced version's effective date moved later, before it took effect."""

    date: dt.date = field(metadata=doc("The day the postponement was decided."))
    reason: Localized = field(metadata=doc("Why, for readers.", kind="plain"))


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """An announced version withdrawn before it took effect: it never takes effect."""

    date: dt.date = field(metadata=doc("The day the withdrawal was decided."))
    reason: Localized = field(metadata=doc("Why, for readers.", kind="plain"))


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which sections or facts of this version give what an item of a checklist asks."""

    item: str = field(metadata=doc("The checklist item's id (see `policygen check`).",
                                   kind="slug"))
    sections: tuple[str, ...] = field(default=(), metadata=doc(
        "Ids of the sections that cover the item.", kind="slug"))
    facts: tuple[str, ...] = field(default=(), metadata=doc(
        "Facts that cover the item, e.g. company, address, inquiry_desk.address."))
    not_applicable: bool = field(default=False, metadata=doc(
        "True when the item does not apply (e.g. no joint use), stated by the legal team."))


@dataclass(frozen=True, slots=True)
class TranslationCheck:
    """A translator's mark: the authoritative text of `place` changed in this version, and the
    translation was checked and needs no change. It silences that stale-translation warning,
    belongs to this version only, and is dropped by `policygen new-version`."""

    place: str = field(metadata=doc(
        "The place as `policygen translations` names it, e.g. sections.children.body."))
    language: str = field(metadata=doc("The translation that was checked.", kind="language"))
    reason: str = field(metadata=doc(
        "Why the translation needs no change, for the reviewer.", kind="plain"))


@dataclass(frozen=True, slots=True)
class Version:
    id: str = field(metadata=doc("The version's id, used in its permanent URL; the file "
                                 "is named after it.", kind="slug"))
    effective_date: dt.date = field(metadata=doc("The day this version takes effect."))
    status: Status = field(metadata=doc("draft (never public) or published.",
                                        choices=("draft", "published")))
    reconsent_required: bool = field(metadata=doc(
        "Whether users must consent again to this version."))
    facts: Facts = field(metadata=doc("The facts the policy states, as of this version."))
    sections: tuple[Section, ...] = field(metadata=doc("The sections, in reading order."))
    labels: Labels | None = field(default=None, metadata=doc(
        "Wording of field names in structured blocks, where this version words them itself "
        "(legal text); any label it does not state is worded by the interface's catalogs, "
        "and is not part of the version's document."))
    title: Localized | None = field(default=None, metadata=doc(
        "This version's title, where it differs from the policy's (policy.yaml); the "
        "document gives it as policy.title.", kind="plain"))
    summary: Localized | None = field(default=None, metadata=doc(
        "What changed, written for readers.", kind="plain"))
    reconsent_not_required_because: Localized | None = field(default=None, metadata=doc(
        "Why users need not consent again although this version widens the processing (a "
        "new purpose, recipient or transfer, or data kept longer) and reconsent_required is "
        "false: published with the version, it silences `policygen lock`'s warning.",
        kind="plain", omit_when_absent=True))
    corrections: tuple[Correction, ...] = field(default=(), metadata=doc(
        "Corrections of this published text, oldest first; each is recorded with "
        "`policygen lock --correct ID`."))
    postponements: tuple[Postponement, ...] = field(default=(), metadata=doc(
        "Postponements of this announced version, oldest first; each is recorded with "
        "`policygen lock --postpone ID`."))
    withdrawal: Withdrawal | None = field(default=None, metadata=doc(
        "The withdrawal of this announced version, recorded with "
        "`policygen lock --withdraw ID`."))
    coverage: tuple[Coverage, ...] = field(default=(), metadata=doc(
        "Which section or fact covers each item of the policy's checklists "
        "(`policygen check`)."))
    translations_checked: tuple[TranslationCheck, ...] = field(default=(), metadata=doc(
        "Translations checked against this version's change of the authoritative text and "
        "found to need no change; each silences one stale-translation warning."))
    processing: Processing | None = field(default=None, metadata=doc(
        "What the version says is done with personal data, as data: categories, purposes, "
        "recipients, retention, transfers, sources and rights (published in the version "
        "document and as DPV JSON-LD).", omit_when_absent=True))

    def policy_title(self, info: PolicyInfo) -> Localized:
        """The title this version goes by: its own, else the policy's."""
        return self.title or info.title

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def languages(self) -> tuple[str, ...]:
        """The languages this version is written in, in the policy's order. Validation lets
        a locked version lack only a language its lock never had (one added to the policy
        later), and then every text of it lacks that language, so any required text tells."""
        return self.facts.company.languages()


def shared_languages(old: Version, new: Version) -> tuple[str, ...]:
    """The languages both versions are written in: those of a redline from one to the other."""
    return tuple(code for code in new.languages() if code in old.languages())


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    """What never changes: the policy's identity and languages."""

    id: str = field(metadata=doc("The policy's id.", kind="slug"))
    title: Localized = field(metadata=doc("The policy's title.", kind="plain"))
    languages: tuple[str, ...] = field(metadata=doc(
        "Language tags (BCP 47: ja, en, zh-Hans, pt-BR), the authoritative one first.",
        kind="language"))
    authoritative_language: str = field(metadata=doc(
        "The language whose text prevails.", kind="language"))
    enactment_date: dt.date = field(metadata=doc("The day the policy was first enacted."))
    timezone: str = field(default="Asia/Tokyo", metadata=doc(
        "The time zone in which effective dates begin.", kind="timezone"))
    minimum_notice_days: int | None = field(default=None, metadata=doc(
        "The fewest days between a version's announcement (its first lock) and its "
        "effective date; `policygen lock` refuses a version announced later.", minimum=0))
    checklists: tuple[str, ...] = field(default=(), metadata=doc(
        "The compliance checklists the policy must satisfy, e.g. appi-2022 "
        "(`policygen check`).", kind="slug"))


@dataclass(frozen=True, slots=True)
class Policy:
    info: PolicyInfo
    versions: tuple[Version, ...]  # ordered by effective date
    # What the texts' relative links are resolved against (policygen.yml's link_base): a
    # deployment setting, so in no version document; None where relative links are refused.
    link_base: str | None = None

    def visible_versions(self, include_drafts: bool) -> tuple[Version, ...]:
        return tuple(v for v in self.versions if include_drafts or v.status == "published")

    def version(self, version_id: str) -> Version | None:
        return next((v for v in self.versions if v.id == version_id), None)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Which versions are past, in force and upcoming on a given day."""

    as_of: dt.date
    versions: tuple[Version, ...]
    current: Version | None
    upcoming: tuple[Version, ...]
    # Each version's place in `versions`: pages ask for neighbours once per version, and a
    # search of the tuple each time would make a long history cost the square of its length.
    _places: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_places", {v.id: i for i, v in enumerate(self.versions)})

    def state(self, version: Version
              ) -> Literal["current", "superseded", "upcoming", "withdrawn"]:
        if version.withdrawal is not None:
            return "withdrawn"
        if self.current is not None and version.id == self.current.id:
            return "current"
        return "upcoming" if version.effective_date > self.as_of else "superseded"

    def previous(self, version: Version) -> Version | None:
        """The version before, passing over withdrawn ones: they never took effect."""
        index = self._places[version.id] - 1
        while index >= 0 and self.versions[index].withdrawal is not None:
            index -= 1
        return self.versions[index] if index >= 0 else None

    def next(self, version: Version) -> Version | None:
        """The version after, passing over withdrawn ones: the one that ends this one."""
        index = self._places[version.id] + 1
        while index < len(self.versions) and self.versions[index].withdrawal is not None:
            index += 1
        return self.versions[index] if index < len(self.versions) else None

    def pairs(self) -> tuple[tuple[Version, Version], ...]:
        """Each version with the one before it, as redlines compare them: a withdrawn version
        is compared with the one before it, and the version after it with that one too."""
        return tuple((before, version) for version in self.versions
                     if (before := self.previous(version)) is not None)


def timeline(policy: Policy, as_of: dt.date, include_drafts: bool = False) -> Timeline:
    """The versions a reader sees on `as_of`: the last one in effect is the one in force."""
    versions = policy.visible_versions(include_drafts)
    taking_effect = [v for v in versions if v.withdrawal is None]
    in_effect = [v for v in taking_effect if v.effective_date <= as_of]
    upcoming = tuple(v for v in taking_effect if v.effective_date > as_of)
    return Timeline(as_of, versions, in_effect[-1] if in_effect else None, upcoming)

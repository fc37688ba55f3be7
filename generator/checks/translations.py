"""Translations that follow the authoritative text.

A translation is stale at a place when, from one version to the next, the authoritative
text there changed and the translation did not. A translator who checked that no change is
needed says so in the version's `translations_checked`, which silences the place for that
version only. Pure: versions in, findings out; where a place sits in a file is the caller's.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core import diff
from generator.core.model import Localized, Policy, Version

# Fields of a version that are not text a reader reads in each language.
_NOT_TRANSLATED = frozenset({"id", "effective_date", "status", "reconsent_required",
                             "corrections", "translations_checked"})


@dataclass(frozen=True, slots=True)
class Place:
    """A translated text of a version, named by the path of keys leading to it."""

    path: tuple[str, ...]  # e.g. ("sections", "children", "body")

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def section(self) -> str | None:
        return self.path[1] if len(self.path) > 1 and self.path[0] == "sections" else None


@dataclass(frozen=True, slots=True)
class Stale:
    version: str
    previous: str
    language: str
    place: Place
    change: str  # the authoritative change, short: 本サービスは、[-16-]{+18+}歳未満の…


@dataclass(frozen=True, slots=True)
class Coverage:
    """Where one language's translation of one version stands."""

    version: str
    language: str
    places: int
    stale: tuple[Stale, ...]
    missing: tuple[Place, ...]
    checked: tuple[Place, ...]

    @property
    def complete(self) -> bool:
        return not self.stale and not self.missing

    @property
    def percent(self) -> int:
        """Share of places translated and up to date, rounded down (100 only when all are)."""
        good = self.places - len(self.stale) - len(self.missing)
        return 100 * good // self.places if self.places else 100


def places(version: Version) -> dict[Place, Localized]:
    """Every translated text of a version: sections and categories keyed by their ids, so a
    moved section is the same place."""
    return {place: text for place, _, text in _texts_of(None, version)}


def _texts_of(old: Version | None, new: Version, changed: bool = False
              ) -> Iterator[tuple[Place, Localized | None, Localized]]:
    """Each translated text of `new`, beside the text at the same place of `old` (None where
    it has none). With `changed`, a part equal in both is passed over without a walk: most
    of a version is equal to the one before."""
    for name in _fields(Version) or ():
        if name not in _NOT_TRANSLATED:
            yield from _walk(getattr(old, name, None), getattr(new, name), (name,), changed)


def _walk(old: object, new: object, path: tuple[str, ...], changed: bool
          ) -> Iterator[tuple[Place, Localized | None, Localized]]:
    if changed and old == new:
        return
    if isinstance(new, Localized):
        yield Place(path), old if isinstance(old, Localized) else None, new
    elif isinstance(new, tuple):
        before = dict(_keyed(old)) if isinstance(old, tuple) else {}
        for key, item in _keyed(new):
            yield from _walk(before.get(key), item, path + (key,), changed)
    # mypy takes a class for unhashable (python/mypy#11470): it is hashable
    elif (names := _fields(type(new))) is not None:  # type: ignore[arg-type]
        for name in names:
            yield from _walk(getattr(old, name, None), getattr(new, name), path + (name,),
                             changed)


def _keyed(items: tuple) -> Iterator[tuple[str, object]]:
    """A tuple's items, each with the key its places' paths name it by: its id, if any."""
    for index, item in enumerate(items):
        # mypy takes a class for unhashable (python/mypy#11470): it is hashable
        key = getattr(item, "id", None) if _fields(type(item)) is not None else None  # type: ignore[arg-type]
        yield key or str(index), item


@functools.cache
def _fields(cls: type) -> tuple[str, ...] | None:
    """The fields a place's path goes through (all but the id), for a dataclass; else None."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(field.name for field in dataclasses.fields(cls) if field.name != "id")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@dataclass(frozen=True, slots=True)
class Changed:
    """A place whose authoritative text changed from one version to the next: the only kind
    of place where a translation can be stale."""

    place: Place
    old: Localized
    new: Localized


def authoritative_changes(previous: Version, version: Version, authoritative: str
                          ) -> tuple[Changed, ...]:
    """Every place of `version` whose authoritative text changed since `previous`, in the
    version's order. It is the same for every language, so a caller asking for several
    finds it once."""
    return tuple(Changed(place, old, new) for place, old, new in
                 _texts_of(previous, version, changed=True)
                 if old is not None and not _same(old[authoritative], new[authoritative]))


def _stale_places(version: Version, language: str, changes: tuple[Changed, ...]
                  ) -> Iterator[Changed]:
    """The changes `language`'s text did not follow, except those the version marks as
    checked."""
    checked = {c.place for c in version.translations_checked if c.language == language}
    for change in changes:
        if change.place.name not in checked and language in change.old.languages() and \
                language in change.new.languages() and \
                _same(change.old[language], change.new[language]):
            yield change


def stale(previous: Version, version: Version, authoritative: str,
          language: str) -> tuple[Stale, ...]:
    """Places whose authoritative text changed from `previous` while `language`'s did not,
    except those the version marks as checked."""
    changes = authoritative_changes(previous, version, authoritative)
    return tuple(Stale(version.id, previous.id, language, change.place,
                       short_change(change.old[authoritative], change.new[authoritative],
                                    authoritative))
                 for change in _stale_places(version, language, changes))


def changes(policy: Policy, old: Version, new: Version, language: str) -> diff.VersionDiff:
    """What changed from `old` to `new` in `language`, telling the sections whose
    authoritative text changed while this translation did not: its reader should know."""
    return changes_each(policy, old, new, (language,))[language]


def changes_each(policy: Policy, old: Version, new: Version, languages: tuple[str, ...]
                 ) -> dict[str, diff.VersionDiff]:
    """`changes` in each of `languages`, with what is the same in all of them found once."""
    found = diff.compare_each(old, new, languages)
    # The title a version goes by (its own, else the policy's) is legal text: a changed one
    # is the first changed fact, as compare.js reports it from the documents.
    titles = old.policy_title(policy.info), new.policy_title(policy.info)
    for language in languages:
        if titles[0][language] != titles[1][language]:
            found[language] = dataclasses.replace(found[language], facts=(diff.FieldChange(
                "title", titles[0][language], titles[1][language]),) + found[language].facts)
    authoritative = policy.info.authoritative_language
    translated = [language for language in languages if language != authoritative]
    if not translated or new.effective_date < old.effective_date:
        return found
    changes = authoritative_changes(old, new, authoritative)
    for language in translated:
        found[language] = dataclasses.replace(found[language], untranslated=frozenset(
            c.place.section for c in _stale_places(new, language, changes) if c.place.section))
    return found


def short_change(old: str, new: str, language: str, context: int = 12) -> str:
    """The change as one line, `[-deleted-]{+inserted+}`, with a little unchanged context."""
    shown = []
    parts = diff.segments(" ".join(old.split()), " ".join(new.split()), language)
    for index, segment in enumerate(parts):
        if segment.op == "delete":
            shown.append(f"[-{segment.text}-]")
        elif segment.op == "insert":
            shown.append(f"{{+{segment.text}+}}")
        else:
            shown.append(_trimmed(segment.text, index == 0, index == len(parts) - 1, context))
    return re.sub(r"\s+", " ", "".join(shown))


def _trimmed(text: str, first: bool, last: bool, context: int) -> str:
    if first and not last:
        return text if len(text) <= context else "…" + text[-context:]
    if last and not first:
        return text if len(text) <= context else text[:context] + "…"
    return text if len(text) <= 2 * context else text[:context] + "…" + text[-context:]


@dataclass(frozen=True, slots=True)
class Untranslated:
    """A place of a version with no translation in a language: `absent` where the version
    gives none (a draft's; the authoritative text stands in), else the authoritative text
    copied in its place."""

    place: Place
    absent: bool


def untranslated(version: Version, language: str, authoritative: str
                 ) -> tuple[Untranslated, ...]:
    """Every place of `version` that `language` does not translate, in the version's order."""
    found = []
    for place, text in places(version).items():
        if language in text.absent:
            found.append(Untranslated(place, True))
        elif language != authoritative and language in text.languages() and \
                text[language] == text[authoritative] and \
                any(character.isalpha() for character in text[authoritative]):
            # numbers and symbols read the same in every language; words do not
            found.append(Untranslated(place, False))
    return tuple(found)


def coverage(policy: Policy, version: Version, language: str) -> Coverage:
    """How `language`'s translation of `version` stands against the version before it."""
    authoritative = policy.info.authoritative_language
    here = places(version)
    index = policy.versions.index(version)
    found = stale(policy.versions[index - 1], version, authoritative, language) \
        if index > 0 else ()
    missing = tuple(p for p, text in here.items() if language not in text.languages()) + \
        tuple(gap.place for gap in untranslated(version, language, authoritative))
    checked = tuple(Place(tuple(c.place.split("."))) for c in version.translations_checked
                    if c.language == language)
    return Coverage(version.id, language, len(here), found, missing, checked)


def unknown_checks(version: Version) -> tuple[int, ...]:
    """Indexes of `translations_checked` entries naming a place the version does not have."""
    names = {place.name for place in places(version)}
    return tuple(i for i, check in enumerate(version.translations_checked)
                 if check.place not in names)


def translated_languages(policy: Policy) -> tuple[str, ...]:
    return tuple(code for code in policy.info.languages
                 if code != policy.info.authoritative_language)


def report(policy: Policy, versions: tuple[tuple[Version, str], ...],
           languages: tuple[str, ...], locate) -> str:
    """`policygen translations`: per version (with its state) and language, the completion
    figure and every stale, missing and checked place, stale ones at file:line:column."""
    authoritative = policy.info.authoritative_language
    lines = []
    for version, state in versions:
        for language in languages:
            if language not in version.languages():
                lines.append(f"{version.id} ({state}) {language}: not published in this "
                             "language (locked before it was added)")
                continue
            cover = coverage(policy, version, language)
            good = cover.places - len(cover.stale) - len(cover.missing)
            lines.append(f"{version.id} ({state}) {language}: {cover.percent}% up to date "
                         f"({good} of {cover.places} places); {len(cover.stale)} stale, "
                         f"{len(cover.missing)} missing, {len(cover.checked)} checked")
            for found in cover.stale:
                where = locate(version.id, found.place.path + (language,), "", "")
                section = f" (section '{found.place.section}')" if found.place.section else ""
                lines.append(f"  stale    {where.path}:{where.line}:{where.column} "
                             f"{found.place.name}{section}")
                lines.append(f"           {authoritative} since {found.previous}: "
                             f"{found.change}")
            gaps = {gap.place: gap for gap in untranslated(version, language, authoritative)}
            for place in cover.missing:
                where = locate(version.id, place.path + (language,), "", "")
                why = "" if place not in gaps else " (no translation)" if gaps[place].absent \
                    else f" (the '{authoritative}' text, copied)"
                lines.append(f"  missing  {where.path}:{where.line}:{where.column} "
                             f"{place.name}{why}")
            reasons = {c.place: c.reason for c in version.translations_checked
                       if c.language == language}
            lines += [f"  checked  {place.name}: {reasons[place.name]}"
                      for place in cover.checked]
    return "\n".join(lines) + "\n"


def hidden_by_correction(policy: Policy, before: Version) -> tuple[Stale, ...]:
    """Stale translations of the version after `before.id` that its correction hides: stale
    against the text `before` (as it read before the correction), not against the corrected
    text, because the correction gave the authoritative text the later version's wording and
    corrected the translation too, which the later version still gives as it was. A
    correction of the authoritative text alone hides nothing: the translation it kept is
    the one the later version has, rightly."""
    ids = [version.id for version in policy.versions]
    if before.id not in ids or ids.index(before.id) + 1 >= len(ids):
        return ()
    now, later = policy.versions[ids.index(before.id)], policy.versions[ids.index(before.id) + 1]
    authoritative = policy.info.authoritative_language
    hidden = []
    for language in translated_languages(policy):
        if language not in later.languages() or language not in before.languages():
            continue
        still = {found.place for found in stale(now, later, authoritative, language)}
        then, corrected, kept = places(before), places(now), places(later)
        hidden += [found for found in stale(before, later, authoritative, language)
                   if found.place not in still and _translation(then, found.place, language)
                   != _translation(corrected, found.place, language)
                   and _translation(kept, found.place, language)
                   == _translation(then, found.place, language)]
    return tuple(hidden)


def _translation(texts: dict[Place, Localized], place: Place, language: str) -> str | None:
    text = texts.get(place)
    return text[language] if text is not None and language in text.languages() else None

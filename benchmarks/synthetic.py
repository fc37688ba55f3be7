"""Synthetic policy sources of any size, grown from the example policy.

A source has V versions in L languages and 30 sections. Between consecutive versions the
legal team's usual edits happen: a few words in two sections, now and then a section added,
removed or moved, an officer or a phone number changed. Languages beyond the example's two
reuse the English text under their own code, which costs the build the same as a real
translation. Everything is seeded: a size always gives the same source.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path

from generator.core import emit
from generator.core.model import Localized, Version
from generator.record import store as lockstore
from generator.source.convert import load, read
from generator.source.project import PARTS, SOURCE, copy

ROOT = Path(__file__).resolve().parent.parent
LOCKED_ON = dt.date(2026, 11, 25)  # the day the synthetic history is locked: fixed, not the clock
LANGUAGES = ("ja", "en", "fr", "de", "es", "it", "pt", "ko", "zh", "nl")
SECTIONS = 30
WORDS = ("promptly", "carefully", "securely", "lawfully", "properly", "strictly")


def _widen(text: Localized, languages: tuple[str, ...], tag: str = "") -> Localized:
    english = text["en"]
    return Localized(tuple(
        (code, text[code] if code in ("ja", "en") else f"{english}{tag}")
        for code in languages))


def _localize_all(value: object, languages: tuple[str, ...]) -> object:
    """Every Localized inside a model value, given in `languages`."""
    if isinstance(value, Localized):
        return _widen(value, languages)
    if isinstance(value, tuple):
        return tuple(_localize_all(item, languages) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            f.name: _localize_all(getattr(value, f.name), languages)
            for f in dataclasses.fields(value)})
    return value


def _edit(text: Localized, rng: random.Random, number: int) -> Localized:
    """A few words changed in every language, the length kept: what a revision usually is.
    The revision's mark replaces the previous one instead of piling up."""
    word = WORDS[rng.randrange(len(WORDS))]

    def revise(code: str, value: str) -> str:
        kept = value.split(_MARK)[0]
        mark = f"（第{number}版）" if code == "ja" else f" ({word}, revision {number})"
        return kept + _MARK + mark

    return Localized(tuple((code, revise(code, value)) for code, value in text.values))


# An asterism: where the revision's words begin (the source refuses invisible ones).
_MARK = "\u2042"


def versions(count: int, languages: tuple[str, ...]) -> list[Version]:
    example = load(ROOT / "policy_src").version("2018-07-06")
    base = _localize_all(example, languages)
    assert isinstance(base, Version)
    sections = list(base.sections)
    extra = 0
    while len(sections) < SECTIONS:  # the example has 17 sections: grow to 30
        model = base.sections[1 + extra % (len(base.sections) - 1)]
        extra += 1
        sections.append(dataclasses.replace(model, id=f"{model.id}-{extra}"))
    rng = random.Random(20041001)
    current = dataclasses.replace(base, sections=tuple(sections), corrections=())
    start = dt.date(2010, 1, 1)
    result = []
    for number in range(count):
        day = start + dt.timedelta(days=30 * number)
        if number:
            current = _revise(current, rng, number)
        current = dataclasses.replace(
            current, id=day.isoformat(), effective_date=day, status="published",
            summary=_widen(Localized((("ja", f"第{number + 1}版の改定。"),
                                      ("en", f"Revision {number + 1}."))), languages))
        result.append(current)
    return result


def _revise(version: Version, rng: random.Random, number: int) -> Version:
    sections = list(version.sections)
    for index in rng.sample(range(len(sections)), 2):
        section = sections[index]
        if section.body is not None:
            sections[index] = dataclasses.replace(section, body=_edit(section.body, rng,
                                                                       number))
    if number % 7 == 0:
        model = sections[rng.randrange(1, len(sections))]
        sections.insert(rng.randrange(1, len(sections)),
                        dataclasses.replace(model, id=f"added-{number}"))
    if number % 11 == 0 and len(sections) > SECTIONS:
        sections.pop(rng.randrange(1, len(sections) - 1))
    if number % 13 == 0:
        sections.insert(rng.randrange(1, len(sections) - 1), sections.pop(rng.randrange(1, 5)))
    facts = version.facts
    if number % 10 == 0:
        officer = dataclasses.replace(facts.officer, name=Localized(tuple(
            (code, f"{text} {number}") for code, text in facts.officer.name.values)))
        facts = dataclasses.replace(facts, officer=officer)
    return dataclasses.replace(version, sections=tuple(sections), facts=facts)


def write(target: Path, count: int, language_count: int) -> Path:
    """A complete project (source, locked; config; catalogs; theme) under `target`."""
    languages = LANGUAGES[:language_count]
    if target.exists():
        shutil.rmtree(target)
    source = target / "policy_src"
    (source / "versions").mkdir(parents=True)
    copy(ROOT, target, tuple(part for part in PARTS if part != SOURCE))
    info = load(ROOT / "policy_src").info
    info = dataclasses.replace(_localize_all(info, languages), languages=languages)
    (source / "policy.yaml").write_text(emit.dump(emit.source_of(info)), encoding="utf-8")
    for version in versions(count, languages):
        (source / "versions" / f"{version.id}.yaml").write_text(
            emit.dump(emit.source_of(version)), encoding="utf-8")
    policy, _, locate = read(source)
    lockstore.record(policy, source, locate, LOCKED_ON)
    return target

"""The diff's cases: each a change of the example's first version, read by the golden text
diffs (test_diff.py) and by compare.js's tests through the same expected results
(test_diff_rules.py)."""
from __future__ import annotations

import dataclasses

from generator.core.model import Localized, Version
from generator.source.convert import load
from tests.helpers import ROOT

BASE: Version = load(ROOT / "policy_src").versions[0]


def edit(text: Localized, language: str, old: str, new: str) -> Localized:
    assert old in text[language]
    return Localized(tuple((code, value.replace(old, new) if code == language else value)
                           for code, value in text.values))


def with_section(version: Version, section_id: str, **changes) -> Version:
    sections = tuple(dataclasses.replace(s, **changes) if s.id == section_id else s
                     for s in version.sections)
    return dataclasses.replace(version, id="next", sections=sections, summary=None)


def section(version: Version, section_id: str):
    return version.section(section_id)


def english_word_changed() -> Version:
    body = edit(section(BASE, "scope").body, "en", "strictly", "carefully")
    return with_section(BASE, "scope", body=body)


def japanese_characters_changed() -> Version:
    body = edit(section(BASE, "scope").body, "ja", "厳格に取り扱います", "適切に取り扱います")
    return with_section(BASE, "scope", body=body)


def section_added() -> Version:
    added = dataclasses.replace(section(BASE, "children"), id="ai-training",
                                title=Localized((("ja", "AIの学習"), ("en", "AI training"))),
                                body=Localized((("ja", "当社は、個人情報を"
                                                       "AIの学習に利用しません。"),
                                                ("en", "We do not use personal information "
                                                       "to train AI."))))
    return dataclasses.replace(BASE, id="next", summary=None,
                               sections=BASE.sections + (added,))


def section_removed() -> Version:
    return dataclasses.replace(BASE, id="next", summary=None, sections=tuple(
        s for s in BASE.sections if s.id != "analytics"))


def section_moved() -> Version:
    others = [s for s in BASE.sections if s.id != "cookies"]
    others.insert(2, section(BASE, "cookies"))
    return dataclasses.replace(BASE, id="next", summary=None, sections=tuple(others))


def section_retitled() -> Version:
    title = edit(section(BASE, "use").title, "en", "About the use", "Use")
    return with_section(BASE, "use", title=title)


def contact_field_changed() -> Version:
    desk = dataclasses.replace(BASE.facts.inquiry_desk, email="privacy@goalous.com")
    officer = dataclasses.replace(BASE.facts.officer, name=Localized(
        (("ja", "山田 花子"), ("en", "Hanako Yamada"))))
    facts = dataclasses.replace(BASE.facts, inquiry_desk=desk, officer=officer)
    return dataclasses.replace(BASE, id="next", summary=None, facts=facts)


def unchanged() -> Version:
    return dataclasses.replace(BASE, id="next", summary=None)


def whitespace_only() -> Version:
    body = edit(section(BASE, "management").body, "en", "damaged.", "damaged.  \n")
    return with_section(BASE, "management", body=body)


def formatting_only() -> Version:
    body = edit(section(BASE, "management").body, "en", "all of your", "*all* of your")
    return with_section(BASE, "management", body=body)


def table_added() -> Version:
    table = ("\n\n| Information | Purpose |\n|:--|:--|\n| e-mail | *answering* you |\n"
             "| [cookies](#cookies) | analytics |")
    body = edit(section(BASE, "scope").body, "en", "personal information.",
                "personal information." + table)
    return with_section(BASE, "scope", body=body)


def link_added() -> Version:
    body = edit(section(BASE, "management").body, "en", "all of your",
                "[all](https://example.com/security) of your")
    return with_section(BASE, "management", body=body)


CASES = [english_word_changed, japanese_characters_changed, section_added, section_removed,
         section_moved, section_retitled, contact_field_changed, unchanged, whitespace_only,
         formatting_only, table_added, link_added]

"""`policygen init`: a new project's source, policy.yaml and a first draft, that validates
and builds at once. The draft's sections hold text the author must replace (PLACEHOLDER):
`validate` warns about it and `lock` refuses it, so it can never be published.

Pure up to `write`: the choices are checked at the door, the texts are made from them and
from the interface catalogs' strings (handed in as one gettext per language), then written.
"""
from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.core import languages
from generator.core.diagnostics import UsageError
from generator.core.i18n import N_
from generator.source.convert import POLICY_FILE, VERSIONS_DIR
from generator.source.project import SOURCE
from generator.source.slug import slug

# Text the author must replace. A section's text that holds it is never published.
PLACEHOLDER = "REPLACE:"
# The title of a new policy in each language, from the catalogs.
TITLE = N_("Privacy policy")
# The first draft takes effect this many days after the project is made: a draft whose day
# has passed is warned about, and a policy is announced ahead.
FIRST_NOTICE_DAYS = 30

Gettext = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Choices:
    """What `init` asks: the company, its languages (the authoritative one first once
    ordered), the time zone its effective dates begin in, and the checklists to satisfy."""

    company: str
    languages: tuple[str, ...]
    authoritative: str
    timezone: str
    checklists: tuple[str, ...] = ()

    def checked(self, known_checklists: Mapping[str, object]) -> Choices:
        """The choices, the authoritative language first; UsageError naming the first
        mistake and its fix."""
        if not self.company.strip():
            raise UsageError("the company's name is empty", "pass --company 'Example Inc.'")
        if not self.languages:
            raise UsageError("no language given", "pass --languages en (or en,fr,...)")
        for tag in self.languages:
            found = languages.problem(tag)
            if found is not None:
                raise UsageError(f"'{tag}' is not a language tag: {found[0]}", found[1])
        if len(set(self.languages)) != len(self.languages):
            raise UsageError("a language is listed twice", "list each language once")
        if self.authoritative not in self.languages:
            raise UsageError(f"the authoritative language '{self.authoritative}' is not one "
                             "of --languages", f"add it, or pass one of "
                             f"{', '.join(self.languages)}")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"'{self.timezone}' is not a time zone",
                             "pass an IANA name such as Europe/Paris or America/New_York"
                             ) from None
        unknown = [name for name in self.checklists if name not in known_checklists]
        if unknown:
            raise UsageError(f"no checklist '{unknown[0]}'", "the checklists are " +
                             ", ".join(sorted(known_checklists)))
        ordered = (self.authoritative,
                   *(tag for tag in self.languages if tag != self.authoritative))
        return Choices(self.company.strip(), ordered, self.authoritative, self.timezone,
                       self.checklists)


def holds_project(root: Path) -> bool:
    return (root / SOURCE).exists()


def first_effective_date(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=FIRST_NOTICE_DAYS)


def _scalar(value: object) -> str:
    # JSON is YAML: any text is written safely, quoted where YAML would misread it.
    return json.dumps(value, ensure_ascii=False)


def _localized(indent: int, texts: Mapping[str, str]) -> str:
    pad = " " * indent
    return "".join(f"\n{pad}{language}: {_scalar(text)}" for language, text in texts.items())


def policy_text(choices: Choices, policy_id: str, gettext: Mapping[str, Gettext],
                enactment_date: dt.date) -> str:
    title = {language: gettext[language](TITLE) for language in choices.languages}
    checklists = f"""
# The compliance checklists every new version must satisfy: `policygen check`.
checklists: [{', '.join(choices.checklists)}]""" if choices.checklists else ""
    return f"""\
# yaml-language-server: $schema=schema/policy.schema.json
#
# What never changes across versions: the policy's identity, its languages and the day it
# was first enacted. What can change lives in the version files under versions/.
id: {policy_id}
title:{_localized(2, title)}
languages: [{", ".join(choices.languages)}]
authoritative_language: {choices.authoritative}
# The day the policy was first enacted: set it to the first version's effective date, or
# earlier if an older text was in force before (policygen import adds older versions).
enactment_date: {enactment_date.isoformat()}
# Effective dates begin at midnight in this time zone.
timezone: {choices.timezone}{checklists}
"""


def version_text(choices: Choices, effective_date: dt.date,
                 items: tuple[tuple[str, str], ...]) -> str:
    """The first draft: one section per checklist item (its id and what the law asks), or
    one section without checklists, each text to be replaced; of the facts, the company's
    name, the one `init` knows (a policy states only what it states)."""
    def placeholder(what: str) -> dict[str, str]:
        # The language in the text keeps translations from looking untranslated.
        return {language: f"{PLACEHOLDER} {what} ({language})" for language in choices.languages}

    sections = items or (("introduction", "what this policy covers and who is responsible"),)
    written = "".join(f"""
  - id: {item_id}
    title:{_localized(6, placeholder(f"the heading of the section on {asks}"))}
    body:{_localized(6, placeholder(f"the text on {asks}"))}
""" for item_id, asks in sections)
    coverage = "".join(f"\n  - item: {item_id}\n    sections: [{item_id}]"
                       for item_id, _ in items)
    return f"""\
# yaml-language-server: $schema=../schema/version.schema.json
#
# The first draft, made by `policygen init`: replace every text that says {PLACEHOLDER}
# (`policygen validate` lists them; `policygen lock` refuses to publish them), or replace
# the whole file with `policygen import` of the policy the company publishes today.
id: {effective_date.isoformat()}
effective_date: {effective_date.isoformat()}
status: draft
reconsent_required: false

facts:
  company:{_localized(4, {language: choices.company for language in choices.languages})}
  # Every other fact is stated only where the policy states it, and then shown wherever a
  # section names its block (block: inquiry_desk, ...). For instance:
  # inquiry_desk:
  #   email: privacy@example.com
  #   form: https://www.example.com/privacy/request
  # controllers:
  #   - name: {{en: Example Inc.}}
  #     address: {{en: "1 Main St, Springfield"}}
  # officer: {{title: {{en: Data Protection Officer}}, email: dpo@example.com}}
  # supervisory_authority: {{name: {{en: ...}}, website: https://...}}
""" + (f"""
# Which section covers each item of the checklists (`policygen check`).
coverage:{coverage}
""" if items else "") + f"""
sections:{written}"""


def policy_id(company: str) -> str:
    """A slug of the company's name, for the policy's id (its PDFs' names)."""
    return (slug(company)[:48].strip("-") or "company") + "-privacy"


def write(root: Path, choices: Choices, gettext: Mapping[str, Gettext], today: dt.date,
          items: tuple[tuple[str, str], ...] = ()) -> tuple[Path, ...]:
    """Write the new project's policy_src/; refuses a folder that already holds one."""
    if holds_project(root):
        raise UsageError(f"{root / SOURCE} already exists: {root} holds a project",
                         "choose a new folder, or edit that project")
    effective = first_effective_date(today)
    source = root / SOURCE
    (source / VERSIONS_DIR).mkdir(parents=True)
    policy = source / POLICY_FILE
    policy.write_text(policy_text(choices, policy_id(choices.company), gettext, effective),
                      encoding="utf-8")
    version = source / VERSIONS_DIR / f"{effective.isoformat()}.yaml"
    version.write_text(version_text(choices, effective, items), encoding="utf-8")
    return (policy, version)

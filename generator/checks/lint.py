"""Warnings about a policy that is valid but probably not what was meant, and what stands in
the way of publishing a version. Pure: the policy, the day and a locator in; diagnostics out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.checks import translations
from generator.core.diagnostics import Diagnostic
from generator.core.model import Policy, Version
from generator.source.imports.text import TEMPLATE_PLACEHOLDER
from generator.source.start import PLACEHOLDER

Locate = Callable[[str, tuple[str, ...], str, str], Diagnostic]


def warnings(policy: Policy, locate: Locate, as_of: dt.date,
             locked: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Warnings about every version that can still change (a locked text cannot)."""
    found: list[Diagnostic] = []
    for index, version in enumerate(policy.versions):
        if version.id in locked:
            continue
        previous = policy.versions[index - 1] if index else None
        found += [d.as_warning() for d in stale(policy, previous, version, locate)]
        found += _summary_unchanged(previous, version, locate)
        found += _identical_translations(policy, version, locate)
        found += [d.as_warning() for d in absent(policy, version, locate)]
        found += _unknown_checks(version, locate)
        found += [d.as_warning() for d in placeholders(version, locate)]
        found += [d.as_warning() for d in template_placeholders(version, locate)]
        if version.status == "draft" and version.effective_date <= as_of:
            found.append(locate(version.id, ("effective_date",),
                                f"draft {version.id} was to take effect on "
                                f"{version.effective_date}, which has passed (today is {as_of})",
                                "move its effective date (and id) to a day still ahead, or "
                                "publish it").as_warning())
    return found


def stale(policy: Policy, previous: Version | None, version: Version,
          locate: Locate) -> list[Diagnostic]:
    """Each stale translation of `version`, located at the translation's own text."""
    if previous is None:
        return []
    authoritative = policy.info.authoritative_language
    found = []
    for language in translations.translated_languages(policy):
        for place in translations.stale(previous, version, authoritative, language):
            where = f"section '{place.place.section}'" if place.place.section else \
                "the version"
            found.append(locate(
                version.id, place.place.path + (language,),
                f"the '{language}' translation of {place.place.name} ({where}) is stale: the "
                f"'{authoritative}' text changed since {previous.id} ({place.change}) and the "
                f"'{language}' text did not",
                f"update the translation; if it needs no change, add "
                f"{{place: {place.place.name}, language: {language}, reason: ...}} to "
                f"translations_checked"))
    return found


def _summary_unchanged(previous: Version | None, version: Version,
                       locate: Locate) -> list[Diagnostic]:
    if previous is None or version.summary is None or previous.summary is None:
        return []
    return [locate(version.id, ("summary", language),
                   f"the '{language}' summary of {version.id} is the same as {previous.id}'s",
                   "the summary tells readers what changed in this version: rewrite it"
                   ).as_warning()
            for language, text in version.summary.values
            if language in previous.summary.languages() and text == previous.summary[language]]


def _identical_translations(policy: Policy, version: Version,
                            locate: Locate) -> list[Diagnostic]:
    authoritative = policy.info.authoritative_language
    return [locate(version.id, gap.place.path + (language,),
                   f"the '{language}' text of {gap.place.name} is the '{authoritative}' text, "
                   "untranslated", "translate it").as_warning()
            for language in translations.translated_languages(policy)
            for gap in translations.untranslated(version, language, authoritative)
            if not gap.absent]


def absent(policy: Policy, version: Version, locate: Locate) -> list[Diagnostic]:
    """Each place a draft gives no translation in a language: the preview shows the
    authoritative text there, and a published version never does."""
    authoritative = policy.info.authoritative_language
    return [locate(version.id, gap.place.path + (language,),
                   f"{gap.place.name} of {version.id} has no '{language}' translation",
                   f"add a line '{language}: ...' with the translated text (until then the "
                   f"preview shows the '{authoritative}' text there, and `policygen lock` "
                   "refuses the version)")
            for language in translations.translated_languages(policy)
            for gap in translations.untranslated(version, language, authoritative)
            if gap.absent]


def _unknown_checks(version: Version, locate: Locate) -> list[Diagnostic]:
    return [locate(version.id, ("translations_checked",),
                   f"translations_checked entry {index + 1} of {version.id} names "
                   f"'{version.translations_checked[index].place}', which is not a place "
                   "of this version", "write the place as `policygen translations` names "
                   "it, e.g. sections.scope.body").as_warning()
            for index in translations.unknown_checks(version)]


def placeholders(version: Version, locate: Locate) -> list[Diagnostic]:
    """Each text that still holds the placeholder `policygen init` wrote: never published."""
    return [locate(version.id, place.path + (language,),
                   f"the '{language}' text of {place.name} is a placeholder ({PLACEHOLDER} "
                   f"...), not the policy's text", "write the policy's text in its place")
            for place, text in translations.places(version).items()
            for language, value in text.values if PLACEHOLDER in value]


def template_placeholders(version: Version, locate: Locate) -> list[Diagnostic]:
    """Each text holding a placeholder of the site it was imported from ({{ site.x }}): the
    page would show the braces where that site showed a value, so it is never published."""
    return [locate(version.id, place.path + (language,),
                   f"the '{language}' text of {place.name} holds '{shown[:60]}', a template "
                   "placeholder the site it came from filled in; readers would see the braces",
                   "write the value it stood for (e.g. the link it showed) in its place")
            for place, text in translations.places(version).items()
            for language, value in text.values
            for shown in dict.fromkeys(found.replace("\\", "")  # as written, not escaped
                                       for found in TEMPLATE_PLACEHOLDER.findall(value))]


def publish_blockers(policy: Policy, version: Version, locate: Locate,
                     today: dt.date | None = None) -> list[Diagnostic]:
    """Why `version` may not be locked: a placeholder, a text not translated, no summary for
    a version announced ahead, or stale translations (errors). A version already in effect on
    the day it is first locked is history being recorded (`policygen import --published`):
    nothing is announced, so no summary is asked for."""
    found = (placeholders(version, locate) + template_placeholders(version, locate)
             + absent(policy, version, locate))
    announced = today is None or version.effective_date > today
    if version.summary is None and announced:
        found.append(locate(version.id, ("summary",), f"version {version.id} has no summary",
                            "add a 'summary' telling readers what changed, in each language"))
    index = policy.versions.index(version)
    previous = policy.versions[index - 1] if index else None
    found += stale(policy, previous, version, locate)
    return found

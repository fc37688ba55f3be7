"""An Atom feed (RFC 4287) per language of every version: announced, in force, superseded
or withdrawn, each entry titled with its state.

Ids are URNs derived from the policy, version and language, never from the host, so moving
the site does not make every feed reader show every entry again. An entry's `updated` is the
last day it changed that has come (it took effect, was announced, postponed, corrected or
withdrawn), never a day to come, and never the build's day, which would make a daily rebuild
announce the same version again every day.
"""
from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping

from generator.core import i18n, instants
from generator.core.model import Policy, Timeline, Version
from generator.outputs.routes import (
    archive_url,
    changes_url,
    feed_path,
    has_changes,
    link,
    version_url,
)

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("6f1c0f52-4d0e-5b5f-9a53-7c1a8e0c1d2b")  # policygen's, fixed forever


def _urn(*parts: str) -> str:
    return uuid.uuid5(_NAMESPACE, "\x1f".join(parts)).urn


def _stamp(day: dt.date, timezone: str) -> str:
    return instants.rfc3339(instants.start_of(day, timezone))


def _changed(version: Version, state: str, as_of: dt.date,
             announced: Mapping[str, dt.date]) -> dt.date:
    """The last day, up to `as_of`, that what the entry says changed."""
    days = [version.withdrawal.date] if version.withdrawal else \
        [version.effective_date] if state != "upcoming" else \
        [announced.get(version.id), *(step.date for step in version.postponements)]
    days += [correction.date for correction in version.corrections]
    # A draft in a preview has no announcement: the day of the preview.
    return max((day for day in days if day is not None and day <= as_of), default=as_of)


def atom(policy: Policy, timeline: Timeline, language: str, site_url: str | None,
         gettext: Callable[[str], str], announced: Mapping[str, dt.date] = {}) -> bytes:
    """The feed of one language; links are relative to it unless the site has a URL. An
    entry's `published` is the day its version was announced, where the lock records it."""
    info = policy.info
    def href(page_url: str) -> str:
        return link(site_url, feed_path(language), page_url)

    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang":
                                          language})
    _add(root, "id", _urn(info.id, language))
    _add(root, "title", gettext("%(title)s: versions") % {"title": info.title[language]})
    # A version not written in this language has no page in it, so no entry either.
    written = [version for version in timeline.versions if language in version.languages()]
    changed = {version.id: _changed(version, timeline.state(version), timeline.as_of,
                                    announced) for version in written}
    _add(root, "updated", _stamp(max(changed.values(), default=info.enactment_date),
                                 info.timezone))
    # Relative without a site_url: resolved against the feed's own URL, it is that URL.
    _add(root, "link", rel="self", href=href(feed_path(language)), type="application/atom+xml")
    _add(root, "link", rel="alternate", type="text/html", href=href(archive_url(language)))
    latest = written[-1] if written else None
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _add(author, "name", latest.facts.company[language] if latest else info.title[language])
    _add(root, "generator", "policygen")
    for version in reversed(written):
        state = timeline.state(version)
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        date = i18n.format_date(version.effective_date, language)
        title = {"current": gettext("Version of %(date)s: in force"),
                 "superseded": gettext("Version of %(date)s: superseded"),
                 "upcoming": gettext("Version of %(date)s: announced, not yet in force"),
                 "withdrawn": gettext("Version of %(date)s: withdrawn")}[state]
        _add(entry, "id", _urn(info.id, version.id, language))
        title = title % {"date": date}
        _add(entry, "title", gettext("Draft: %(title)s") % {"title": title}
             if version.status == "draft" else title)
        _add(entry, "updated", _stamp(changed[version.id], info.timezone))
        if version.id in announced:
            _add(entry, "published", _stamp(announced[version.id], info.timezone))
        _add(entry, "link", rel="alternate", type="text/html",
             href=href(version_url(language, version.id)))
        if has_changes(timeline, version, language):
            _add(entry, "link", rel="related", type="text/html",
                 title=gettext("What changed"),
                 href=href(changes_url(language, version.id)))
        if version.summary:
            _add(entry, "summary", version.summary[language], type="text")
    ET.indent(root)
    # Written as text and encoded once: ElementTree's UTF-8 writer encodes each of the feed's
    # many small pieces on its own, which cost half of the feed's time.
    return _DECLARATION + ET.tostring(root, encoding="unicode").encode(
        "utf-8", "xmlcharrefreplace") + b"\n"


_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"  # what ElementTree writes for UTF-8


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> None:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text

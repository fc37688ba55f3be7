"""What is wrong with a link in a text of the source, in one place: the links a policy may
not make, those a reader's device could not follow, an unencrypted one, a relative link
without a base, and a link to a #section the version does not have. Pure: the converter
finds the links, places the problems in the file and collects them."""
from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.core.diagnostics import Severity
from generator.core.facts import EMAIL_PATTERN, PHONE_PATTERN
from generator.core.markup import Link

_PHONE, _EMAIL = re.compile(PHONE_PATTERN), re.compile(EMAIL_PATTERN)


@dataclass(frozen=True, slots=True)
class LinkProblem:
    """What is wrong with one link, and how to fix it."""

    message: str
    hint: str
    severity: Severity = "error"


def is_anchor(link: Link) -> bool:
    """A link to a #section, checked once the version's sections are all known."""
    return link.allowed and link.href.strip().startswith("#")


def problem(link: Link, what: str, link_base: str | None) -> LinkProblem | None:
    """What is wrong with `link` in the text `what` names, anchors aside (`anchor_problem`)."""
    target, shown = link.href.strip(), f"'{link.href[:60]}' in {what}"
    if is_anchor(link):
        return None
    if link.relative and not link_base:
        return LinkProblem(f"relative link to {shown} has no base to resolve against",
                           "set 'link_base: https://...' in policygen.yml (relative links are "
                           "resolved against it), or write the whole address")
    if link.relative:
        return None
    if not link.allowed:
        return LinkProblem(f"link to {shown} is not allowed",
                           "links may only use https:, http:, mailto: or tel:, point to a "
                           "#section, or be relative to policygen.yml's link_base")
    if wrong := wrong_address(target):
        return LinkProblem(f"link to {shown} {wrong[0]}", wrong[1])
    if target.lower().startswith("http:"):
        return LinkProblem(f"link to {shown} is not encrypted (http:)",
                           "use https: if the site offers it", "warning")
    return None


def anchor_problem(target: str, what: str, version_id: str,
                   section_ids: Sequence[str]) -> LinkProblem | None:
    """What is wrong with a link to `target` ('#id') in version `version_id`, whose sections
    are `section_ids`: None when it names one of them."""
    if target[1:] in section_ids:
        return None
    close = difflib.get_close_matches(target[1:], list(section_ids), n=1, cutoff=0.5)
    return LinkProblem(
        f"link to '{target[:60]}' in {what} names no section of version {version_id}",
        f"did you mean '#{close[0]}'?" if close else
        "link to a section's id, e.g. #" + section_ids[0])


def wrong_address(href: str) -> tuple[str, str] | None:
    """What is wrong with a tel:, mailto: or web address a reader's device could not use."""
    scheme, _, rest = href.partition(":")
    scheme = scheme.lower()
    if scheme == "tel" and not _PHONE.match(rest):
        return ("does not hold a phone number",
                "write digits with optional spaces, hyphens or a leading +, e.g. "
                "tel:+81-120-700-779")
    if scheme == "mailto" and not _EMAIL.match(rest.split("?")[0]):
        return ("does not hold an email address", "write it as mailto:privacy@example.com")
    if scheme in ("http", "https") and not urlsplit(href).hostname:
        return ("names no web site", f"write the whole address: {scheme}://example.com/...")
    return None

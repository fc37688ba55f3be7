"""A redline that travels: portable Markdown for a pull request or a memo, and one
self-contained HTML file (inline CSS, no script, nothing fetched) to print or send to counsel.
Pure: the versions, their diff and the catalogs' directory in; text out."""
from __future__ import annotations

import re
from gettext import NullTranslations

from markupsafe import Markup

from generator.core import diff, i18n, languages, processing_changes
from generator.core.model import Policy, Version
from generator.outputs.templates import environment

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=])", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def markdown_text(text: str) -> Markup:
    """Plain text that Markdown shows as typed: markup characters escaped, line breaks kept
    as hard breaks."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    escaped = _LIST_NUMBER.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", escaped))
    return Markup(re.sub(r"(?<!\n)\n(?!\n)", "\\\\\n", escaped))


_MARKS = {"delete": ("~~", "~~"), "insert": ("<ins>", "</ins>"), "equal": ("", "")}


def markdown_marked(text: str, op: str) -> Markup:
    """A piece of a redline in Markdown: each paragraph of a deletion or insertion marked on
    its own, with edge spaces outside the marks (`~~in ~~` would not close)."""
    opening, closing = _MARKS[op]
    pieces = []
    for paragraph in text.split("\n\n"):
        core = paragraph.strip()
        if not core or not opening:
            pieces.append(markdown_text(paragraph))
            continue
        lead = paragraph[:len(paragraph) - len(paragraph.lstrip())]
        trail = paragraph[len(paragraph.rstrip()):]
        pieces.append(Markup(lead + opening) + markdown_text(core) + Markup(closing + trail))
    return Markup("\n\n").join(pieces)


def context(old: Version, new: Version, change: diff.VersionDiff,
            gettext) -> dict:
    """What every rendering of a redline needs, the site's page included."""
    backwards = new.effective_date < old.effective_date

    def notes(section: diff.SectionChange) -> list[str]:
        return diff.section_notes(section, gettext, change.untranslated)

    return dict(diff=change, old=old, new=new, backwards=backwards,
                summary=None if backwards else change.summary,
                shown=[s for s in change.sections
                       if s.status != "unchanged" or s.moved or s.id in change.untranslated],
                field_name=lambda field: diff.field_name(field, gettext), notes=notes,
                processing=[processing_changes.sentence(c, gettext) for c in change.processing])


def render(policy: Policy, old: Version, new: Version, change: diff.VersionDiff,
           catalog: NullTranslations, form: str) -> str:
    """`form` is "markdown" or "html"; `catalog` is the language's interface strings."""

    language = change.language
    gettext = catalog.gettext
    env = environment(catalog, language)
    template = {"markdown": "redline.portable.md.j2", "html": "redline.standalone.html.j2"}
    return env.get_template(template[form]).render(
        info=policy.info, lang=language, md=markdown_text, mark=markdown_marked,
        direction=languages.direction(language),
        title=gettext("Changes in the version of %(date)s") % {
            "date": i18n.format_date(new.effective_date, language)},
        **context(old, new, change, gettext))

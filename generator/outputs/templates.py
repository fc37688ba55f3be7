"""The templates' Jinja environment, one per language: autoescape on, the interface's gettext
catalog installed, and the filters that put plain text safely into Markdown and HTML. The
pages, the redlines that travel and the PDFs are all rendered through it."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from generator.core import facts, i18n, languages, localized, markup
from generator.runtime import bytecode

# Characters that Markdown or the attribute-list syntax would read as markup in a heading.
_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~<>&\"'"})


def md_inline(text: str) -> Markup:
    """Plain text made safe to stand in a Markdown heading or link text."""
    return Markup(text.replace("\n", " ").translate(_MARKDOWN_SPECIAL))


@pass_context
def markdown_html(context: Context, text: str) -> Markup:
    """A section's text as HTML, its relative links resolved against the policy's link base:
    the page's context holds the policy, so every page, PDF and redline resolves alike."""
    policy = context.get("policy")
    return Markup(markup.to_html(text, getattr(policy, "link_base", None)))


def plain_html(text: str, strip: bool = True) -> Markup:
    """Plain text as HTML, keeping its line breaks; a piece of a redline keeps its edge
    spaces too, or the words on either side of a change would run together."""
    lines = (text.strip() if strip else text).split("\n")
    return Markup("<br>\n").join(escape(line) for line in lines)


def html_block(html: str) -> Markup:
    """HTML without blank lines, so Markdown keeps it as one raw block; except inside <pre>,
    which Markdown keeps whole and where a blank line is part of the code."""
    lines, in_pre = [], False
    for line in str(html).splitlines():
        if line.strip() or in_pre:
            lines.append(line)
        in_pre = (in_pre or "<pre" in line) and "</pre>" not in line
    return Markup("\n".join(lines))


def code_text(text: str) -> Markup:
    """Text shown in a code block, escaped once: a template rendered with autoescape has
    escaped its values already (user's -> user&#39;s), and escaping that again shows the
    entity to the reader."""
    plain = text.unescape() if isinstance(text, Markup) else text
    return Markup(plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


# Compiled templates shared by every language's environment: a template is compiled once
# per process, and where the build names a folder (the user's cache, as for the engine's
# theme), loaded from there by every later process instead: compiling them took 0.1-0.2 s
# of every build, most of a small site's pages stage.
_BYTECODE = bytecode.Compiled()


def keep_compiled_in(directory: Path | None) -> None:
    """Where compiled templates are kept between builds; None: in memory only."""
    _BYTECODE.directory = directory


@lru_cache(maxsize=32)  # keyed by the catalog object: one environment per language and build
def environment(catalog: NullTranslations, language: str) -> Environment:
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True,
                      bytecode_cache=_BYTECODE, auto_reload=False,
                      extensions=["jinja2.ext.i18n"], undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=lambda d: i18n.format_date(d, language), md_inline=md_inline,
        markdown=markdown_html, text=plain_html, block=html_block,
        code=code_text,
        # A block's field name: the version's own wording, else this catalog's.
        label=lambda labels, name: facts.label(labels, name, language, catalog.gettext),
        language_name=lambda code: i18n.language_name(code, language), folder=languages.folder,
        untranslated=lambda value: localized.lacks(value, language))
    return env

"""A policy in ja, en, zh-Hans and ar (tests/fixtures/many_languages): every page in its
language's folder, written in its language, the right way round."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import ROOT

TAGS = {"ja": "ja", "en": "en", "zh-hans": "zh-Hans", "ar": "ar", "ko": "ko"}  # folder -> tag


def pages_of(site: Path, folder: str) -> list[Path]:
    pages = sorted((site / folder).rglob("*.html"))
    assert len(pages) >= 7, f"{folder}/ holds only {len(pages)} pages"
    return pages


def test_each_language_lives_in_its_folder_named_by_the_lowercase_tag(many_languages):
    site = many_languages.result.out_dir
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["api", "ar", "en", "ja",
                                                                    "ko", "zh-hans"]
    assert (site / "zh-hans/versions/2025-04-01/index.html").is_file()
    assert (site / "api/v1/versions/2026-10-01/zh-hans.json").is_file()
    assert (site / "zh-hans/feed.xml").is_file()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("folder", TAGS)
def test_every_page_names_its_language_by_tag_and_its_direction(request, engine, folder):
    built = request.getfixturevalue("many_languages" if engine == "mkdocs"
                                    else "many_languages_zensical")
    direction = "rtl" if folder == "ar" else "ltr"
    for path in pages_of(built.result.out_dir, folder):
        html = path.read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{TAGS[folder]}"', html), path
        assert re.search(rf'<body dir="{direction}"', html), path


def test_the_api_and_the_feed_write_the_tag_and_link_the_folder(many_languages):
    site = many_languages.result.out_dir
    index = json.loads((site / "api/v1/policy.json").read_text(encoding="utf-8"))
    assert index["languages"] == ["ja", "en", "zh-Hans", "ar", "ko"]
    documents = index["versions"][-1]["documents"]["zh-Hans"]
    assert documents["json"].endswith("versions/2026-10-01/zh-hans.json")
    assert documents["html"].endswith("zh-hans/versions/2026-10-01/")
    document = json.loads((site / "api/v1/versions/2026-10-01/zh-hans.json").read_bytes())
    assert document["language"] == "zh-Hans"
    feed = (site / "zh-hans/feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="zh-Hans"' in feed


def test_the_root_page_offers_each_language_by_tag_at_its_folder(many_languages):
    root = (many_languages.result.out_dir / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="zh-Hans" href="zh-hans/">' in root
    assert '<link rel="alternate" hreflang="ar" href="ar/">' in root


@pytest.mark.parametrize("folder, date", [("zh-hans", "2026年10月1日"),
                                          ("ar", "1 أكتوبر 2026"), ("ko", "2026년 10월 1일"),
                                          ("ja", "2026年10月1日"), ("en", "October 1, 2026")])
def test_dates_are_written_as_the_language_writes_them(many_languages, folder, date):
    page = (many_languages.result.out_dir / folder / "index.html").read_text(encoding="utf-8")
    assert date in page


# --- no English interface string in another language ---------------------------------------

class _Text(HTMLParser):
    """What a reader sees or hears of a page: text outside code, and accessible names."""

    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "svg"):
            self._hidden.append(tag)
        self.chunks.extend(value for name, value in attrs if name in self.SPOKEN and value)

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


def english_interface_strings() -> list[str]:
    """Every interface string as English shows it: policygen's catalog template and the
    site engine's English theme strings."""
    with (ROOT / "locales/messages.pot").open("rb") as source:
        ours = [m.id for m in read_po(source) if m.id]
    theme = Path(__import__("material").__file__).parent / "templates/partials/languages/en.html"
    engine = [value for key, value in re.findall(r'"([\w.]+)": "([^"]+)"', theme.read_text())
              if not key.startswith(("search.config", "language", "direction"))]
    return ours + engine


def as_pattern(message: str) -> re.Pattern:
    parts = re.split(r"%\(\w+\)s|#", message)  # placeholders; Material's "#" counts
    body = r".+?".join(re.escape(part) for part in parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])")


# Strings with English words in them: "%(label)s: %(value)s" is punctuation in any language,
# and "PDF (%(size)s)" names a format every language writes alike.
ENGLISH = [(message, as_pattern(message)) for message in english_interface_strings()
           if re.search(r"[a-z]{3}", re.sub(r"%\(\w+\)s", "", message))]


ENGLISH_PROSE = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){3,}")


@pytest.mark.parametrize("folder", ["ja", "zh-hans", "ar", "ko"])
def test_no_english_interface_string_leaks_into_another_language(many_languages, folder):
    leaks = []
    for path in pages_of(many_languages.result.out_dir, folder):
        reader = _Text()
        reader.feed(path.read_text(encoding="utf-8"))
        for chunk in reader.chunks:
            where = str(path.relative_to(many_languages.result.out_dir))
            leaks += [(where, message, chunk) for message, pattern in ENGLISH
                      if pattern.search(chunk)]
            # Prose from a template that no catalog translates: four English words in a row
            # (the fixture's own texts in these languages have none).
            leaks += [(where, "English prose", chunk) for _ in ENGLISH_PROSE.findall(chunk)]
    assert leaks == []


def test_the_leak_check_finds_an_english_string():
    reader = _Text()
    reader.feed('<p>版本：2026-10-01</p><p>Version: 2026-10-01</p>'
                '<button aria-label="Back to top"></button><code>Compare</code>'
                '<p>SHA-256 の JSON</p><p>Apps can learn which version is in force</p>')
    found = {message for chunk in reader.chunks for message, pattern in ENGLISH
             if pattern.search(chunk)}
    assert found == {"Version: %(id)s", "Version", "Back to top"}
    assert [chunk for chunk in reader.chunks if ENGLISH_PROSE.search(chunk)] == [
        "Apps can learn which version is in force"]

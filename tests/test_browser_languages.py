"""The many-language fixture (ja, en, zh-Hans, ar, ko) as readers use it, in Debian's
chromium: Chinese and the right-to-left Arabic on every page kind, search in Chinese, Arabic
and Korean, and the root page that sends each reader to their language."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser import (
    page_and_window_widths,
    serious_accessibility_violations,
    serve,
    switch_language,
    type_search,
)

FOLDERS = {"zh-Hans": "zh-hans", "ar": "ar", "ja": "ja", "en": "en", "ko": "ko"}
KINDS = {
    "in force": "{folder}/",
    "superseded": "{folder}/versions/2025-04-01/",
    "archive": "{folder}/versions/",
    "redline": "{folder}/changes/2026-10-01/",
    "compare": "{folder}/compare/?from=2025-04-01&to=2026-10-01",
    "api": "{folder}/api/",
}
PAGES = [(kind, lang) for kind in KINDS for lang in ("zh-Hans", "ar")]
IDS = [f"{kind}-{lang}" for kind, lang in PAGES]


@pytest.fixture(scope="module")
def site(many_languages):
    with serve(many_languages.result.out_dir) as base:
        yield base


def url(kind: str, lang: str) -> str:
    return KINDS[kind].format(folder=FOLDERS[lang])


@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_page_loads_in_its_language_and_direction(open_page, kind, lang):
    page = open_page(url(kind, lang))
    page.wait_for_load_state("networkidle")
    assert page.problems == []
    assert page.get_attribute("html", "lang") == lang
    direction = page.evaluate("() => getComputedStyle(document.querySelector('article')).direction")
    assert direction == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_language_switcher_lands_on_the_same_page_in_each_language(open_page, kind, lang):
    for other in FOLDERS:
        if other == lang:
            continue
        page = open_page(url(kind, lang))
        switch_language(page, other)
        assert urlparse(page.url).path == "/" + url(kind, other).split("?")[0]
        assert page.get_attribute("html", "lang") == other


@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_no_serious_or_critical_accessibility_violation(open_page, kind, lang):
    assert serious_accessibility_violations(open_page(url(kind, lang))) == []


@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_nothing_overflows_a_375_pixel_wide_phone(open_page, kind, lang):
    page = open_page(url(kind, lang), viewport={"width": 375, "height": 800},
                     device_scale_factor=2, is_mobile=True, has_touch=True)
    widths = page_and_window_widths(page)
    assert widths[0] <= widths[1], widths


def test_the_redline_marks_chinese_insertions_character_by_character(open_page):
    page = open_page(url("redline", "zh-Hans"))
    inserted = page.eval_on_selector_all(
        "article .pg-redline ins", "marks => marks.map(m => m.textContent)")
    assert any("及新加坡" in text for text in inserted), inserted


# Korean is spaced, and lunr matches each word by its start: 고객 finds 고객의 (customer's).
SEARCHES = {"zh-Hans": "个人信息", "ar": "الشكاوى", "ko": "고객"}


@pytest.mark.parametrize("lang", SEARCHES)
def test_search_finds_a_word_of_the_site_language(open_page, lang):
    page = open_page(url("in force", lang))
    type_search(page, "input.md-search__input", SEARCHES[lang])
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert SEARCHES[lang] in page.inner_text(".md-search-result__list")


@pytest.mark.parametrize("query, found", [("存储", True), ("本公司", True),
                                          ("数据中心", False), ("负责人", False)])
def test_chinese_search_finds_words_that_begin_a_phrase_not_words_inside_one(open_page, query,
                                                                             found):
    """lunr splits Chinese only at spaces and punctuation and matches the start of what it
    split: 存储 begins 存储地点 and 本公司 a sentence, but 数据中心 ends one."""
    page = open_page(url("in force", "zh-Hans"))
    type_search(page, "input.md-search__input", query)
    expected = r"找到 \d+ 个符合条件的结果" if found else "没有找到符合条件的结果"
    page.wait_for_function("([expected]) => new RegExp(expected).test("
                           "document.querySelector('.md-search-result__meta').textContent)",
                           arg=[expected], timeout=15000)


@pytest.mark.parametrize("browser_language, lands_on", [
    ("zh-CN", "zh-hans/"), ("zh-SG", "zh-hans/"), ("zh-TW", "zh-hans/"), ("ar-EG", "ar/"),
    ("en-GB", "en/"), ("ko-KR", "ko/"), ("fr-FR", "ja/")])
def test_the_root_page_sends_a_reader_to_their_language(open_page, browser_language,
                                                        lands_on):
    page = open_page("", locale=browser_language)
    page.wait_for_url(f"**/{lands_on}")
    assert urlparse(page.url).path == "/" + lands_on

"""The site as readers use it, in Debian's chromium: every page kind in every language.

The example gets a third version and is built as of 2027-05-01, so one site holds a
superseded version (2018-07-06), the version in force (2027-04-01) and an announced one
(2028-01-01)."""
from __future__ import annotations

import datetime as dt
import itertools
from urllib.parse import urljoin, urlparse

import pytest

from tests.browser import (
    page_and_window_widths,
    serious_accessibility_violations,
    serve,
    switch_language,
    type_search,
)
from tests.helpers import DISTINCT_ENGINES, ENGINES

LANGUAGES = ("ja", "en")
AS_OF = dt.date(2027, 5, 1)
KINDS = {
    "in force": "{lang}/",
    "superseded": "{lang}/versions/2018-07-06/",
    "upcoming": "{lang}/versions/2028-01-01/",
    "archive": "{lang}/versions/",
    "redline": "{lang}/changes/2027-04-01/",
    "compare": "{lang}/compare/?from=2018-07-06&to=2028-01-01",
    "api": "{lang}/api/",
    "before correction": "{lang}/versions/2027-04-01/before-correction-1/",
    "correction": "{lang}/versions/2027-04-01/correction-1/",
}
PAGES = [(kind, lang) for kind in KINDS for lang in LANGUAGES]
IDS = [f"{kind}-{lang}" for kind, lang in PAGES]


# What readers rely on whatever engine builds the site runs on both distinct engines; the rest
# on mkdocs. ProperDocs, whose site is mkdocs's file for file (tests/test_engines.py), runs
# what proves its build works in a browser: the home page of each language loads every asset
# without an error, and Material's search finds a word of each language in its index.
BOTH_ENGINES = pytest.mark.parametrize("site", DISTINCT_ENGINES, indirect=True)
EVERY_ENGINE = pytest.mark.parametrize("site", ENGINES, indirect=True)
LOADS = [(engine, kind, lang) for engine in DISTINCT_ENGINES for kind, lang in PAGES] + [
    ("properdocs", "in force", lang) for lang in LANGUAGES]


@pytest.fixture(scope="module")
def site(request, three_versions):
    with serve(three_versions(getattr(request, "param", "mkdocs")).result.out_dir) as base:
        yield base


def url(kind: str, lang: str) -> str:
    return KINDS[kind].format(lang=lang)


@pytest.mark.parametrize("site, kind, lang", LOADS, indirect=["site"],
                         ids=[f"{kind}-{lang}-{engine}" for engine, kind, lang in LOADS])
def test_page_loads_with_no_error_and_no_failed_request(open_page, kind, lang):
    page = open_page(url(kind, lang))
    page.wait_for_load_state("networkidle")  # the search index and any fetch included
    assert page.problems == []
    assert page.get_attribute("html", "lang") == lang
    assert page.inner_text("article h1")


@BOTH_ENGINES
@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_language_switcher_lands_on_the_same_page_in_the_other_language(open_page, site,
                                                                        kind, lang):
    other = "en" if lang == "ja" else "ja"
    page = open_page(url(kind, lang))
    switch_language(page, other)
    expected = url(kind, other).split("?")[0]
    assert urlparse(page.url).path == "/" + expected
    assert page.get_attribute("html", "lang") == other


@pytest.mark.parametrize("lang", LANGUAGES)
def test_banners_lead_where_they_say(open_page, site, lang):
    page = open_page(url("superseded", lang))
    banner = page.locator(".pg-banner")
    links = banner.locator("a")
    assert links.count() == 2
    targets = [urlparse(urljoin(page.url, links.nth(i).get_attribute("href"))).path
               for i in range(2)]
    assert targets == [f"/{lang}/changes/2027-04-01/", f"/{lang}/"]
    links.nth(0).click()
    page.wait_for_load_state()
    assert "2027" in page.inner_text(".pg-meta")

    page = open_page(url("upcoming", lang))
    page.locator(".pg-banner a").first.click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"/{lang}/changes/2028-01-01/"

    page = open_page(url("in force", lang))
    notice = page.locator(".pg-upcoming a").first
    notice.click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"/{lang}/versions/2028-01-01/"
    assert "2028-01-01" in page.inner_text(".pg-meta-version")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_version_link_in_the_archive_opens_that_version(open_page, lang):
    page = open_page(url("archive", lang))
    hrefs = page.eval_on_selector_all(".pg-archive tbody tr td:first-child a:not(.pg-pdf-link)",
                                      "links => links.map(a => a.href)")
    assert len(hrefs) == 3
    pdfs = page.eval_on_selector_all(".pg-archive .pg-pdf-link", "links => links.map(a => a.href)")
    assert len(pdfs) == 3
    for href in pdfs:  # each version's PDF, served as a PDF
        assert page.request.get(href).headers["content-type"] == "application/pdf"
    for href in hrefs:
        version = urlparse(href).path.rstrip("/").rsplit("/", 1)[1]
        page.goto(href)
        assert version in page.inner_text(".pg-meta-version")


SEARCHES = {"ja": "安全管理", "en": "beacon"}
# Each engine's search dialog: what opens it, and where it lists results (Zensical's lives
# in a shadow root, which Playwright's selectors enter).
SEARCH_UI = {"mkdocs": ("input.md-search__input", ".md-search-result__list",
                        ".md-search-result__item"),
             "zensical": (".md-search__button", "ol[role=listbox]",
                          "ol[role=listbox] [role=option]")}
SEARCH_UI["properdocs"] = SEARCH_UI["mkdocs"]  # Material's, on both


@EVERY_ENGINE
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_a_word_of_the_site_language(open_page, lang, request):
    opener, results, item = SEARCH_UI[request.node.callspec.params["site"]]
    page = open_page(url("in force", lang))
    type_search(page, opener, SEARCHES[lang])
    page.wait_for_selector(item, timeout=15000)
    assert SEARCHES[lang].lower() in page.inner_text(results).lower()


# A word of a section both the page in force and the upcoming version hold.
STORED = {"ja": "保管", "en": "stored"}
SEARCH_LABELS = {"ja": ("現行のポリシー", "2028年1月1日施行の版：予告（未施行）"),
                 "en": ("The policy in force",
                        "Version of January 1, 2028: announced, not yet in force")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_results_say_their_version_the_text_in_force_first(open_page, lang):
    page = open_page(url("in force", lang))
    type_search(page, "input.md-search__input", STORED[lang])
    page.wait_for_selector(".md-search-result__item .pg-search-label", timeout=15000)
    results = page.eval_on_selector_all(
        ".md-search-result__item > a", """as => as.map(a => [new URL(a.href).pathname,
            (a.querySelector('.pg-search-label') || {}).textContent || null])""")
    pages = [(path, label) for path, label in results if label is not None]
    in_force, upcoming = SEARCH_LABELS[lang]
    assert pages[0] == (f"/{lang}/", in_force)
    assert (f"/{lang}/versions/2028-01-01/", upcoming) in pages
    paths = [path for path, _ in results]
    assert max(i for i, path in enumerate(paths) if path == f"/{lang}/") < \
        min(i for i, path in enumerate(paths) if path.startswith(f"/{lang}/versions/2028"))


@BOTH_ENGINES
@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_no_serious_or_critical_accessibility_violation(open_page, kind, lang):
    assert serious_accessibility_violations(open_page(url(kind, lang))) == []


@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_headings_are_in_order(open_page, kind, lang):
    page = open_page(url(kind, lang))
    levels = page.eval_on_selector_all(
        "article h1, article h2, article h3, article h4, article h5, article h6",
        "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_redline_reads_without_colour(open_page, lang):
    page = open_page(url("redline", lang))
    page.emulate_media(forced_colors="active")
    styles = page.evaluate("""() => ['ins', 'del'].map(tag => {
        const e = document.querySelector('article .pg-redline ' + tag);
        return getComputedStyle(e).textDecorationLine; })""")
    assert styles == ["underline", "line-through"]
    spoken = page.inner_text("article .pg-redline ins .pg-sr")
    assert spoken.strip() in ("[inserted:]", "［追加：］")
    legend = page.inner_text("article .pg-legend")
    assert legend  # the legend says in words what the marks mean


@pytest.mark.parametrize("kind, lang", PAGES, ids=IDS)
def test_nothing_overflows_a_375_pixel_wide_phone(open_page, kind, lang):
    page = open_page(url(kind, lang), viewport={"width": 375, "height": 800},
                     device_scale_factor=2, is_mobile=True, has_touch=True)
    widths = page_and_window_widths(page)
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_correction_notice_leads_to_the_text_before_it_and_to_what_it_changed(open_page, lang):
    page = open_page(f"{lang}/versions/2027-04-01/")
    page.locator(".pg-corrections a").first.click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"/{lang}/versions/2027-04-01/before-correction-1/"
    kept = {"ja": "3ca0329809d5972f", "en": "991ab8c6589c138c"}[lang]  # as first announced
    assert page.inner_text(".pg-hash").startswith(kept)
    signature = page.inner_text("article .pg-signature")  # the text, facts included
    assert "111-0053" not in signature  # the address came with the correction
    page.locator(".pg-before-correction a[href$='correction-1/']").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"/{lang}/versions/2027-04-01/correction-1/"
    assert page.locator("table.pg-field-changes ins").count() == 1  # the address, added


@pytest.mark.parametrize("kind", ["in force", "superseded", "upcoming"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_shows_the_text_version_and_date_and_hides_navigation(open_page, kind, lang):
    page = open_page(url(kind, lang))
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary",
                   ".md-search", ".md-footer", ".md-select"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("article h1", ".pg-meta-date", ".pg-meta-version", "article h2"):
        assert page.locator(shown).first.is_visible(), shown
    assert not page.locator("article .headerlink").first.is_visible()
    assert not page.locator(".pg-permalink").first.is_visible()
    assert page.locator("article .pg-section").count() >= 10
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_archive_table_fits_the_screen_with_each_date_on_one_line(open_page, lang, width):
    page = open_page(url("archive", lang), viewport={"width": width, "height": 800})
    layout = page.evaluate("""() => {
        const table = document.querySelector("table.pg-archive").getBoundingClientRect();
        const caption = document.querySelector("table.pg-archive caption")
            .getBoundingClientRect();
        const lines = [...document.querySelectorAll("table.pg-archive td:first-child > a")]
            .map((a) => a.getClientRects().length);
        return {right: table.right, left: table.left, captionLeft: caption.left,
                width: window.innerWidth, lines};
    }""")
    assert layout["right"] <= layout["width"]
    assert layout["captionLeft"] == layout["left"]  # aligned with the table, not floating
    assert layout["lines"] and set(layout["lines"]) == {1}, layout["lines"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_redline_heading_line_ends_without_a_gap_before_its_period(open_page, lang):
    page = open_page(url("redline", lang))
    margins = page.evaluate("""() => [...document.querySelectorAll("article .pg-meta > a")]
        .map((a) => getComputedStyle(a).marginRight)""")
    assert margins and set(margins) == {"0px"}


# Text in Chinese, Japanese or Korean script: its own font stack, never a synthesized italic.
CJK_ITALICS = """() => [...document.querySelectorAll('article *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === 3 && /[\\u3040-\\u30ff\\u4e00-\\u9fff]/.test(n.data))
    && getComputedStyle(e).fontStyle !== 'normal').map(e => e.tagName + '.' + e.className)"""
JAPANESE_FONTS = ("Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Noto Sans CJK JP",
                  "Yu Gothic", "Meiryo")


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("kind", ["in force", "redline", "compare", "upcoming"])
def test_japanese_text_has_no_italics_and_a_japanese_font_first(open_page, kind, width):
    page = open_page(url(kind, "ja"), viewport={"width": width, "height": 900})
    assert page.evaluate(CJK_ITALICS) == []
    families = page.evaluate("""() => ['article p', 'article h2',
        'article .pg-authority, article .pg-change-notes'].map(s => getComputedStyle(
        document.querySelector(s)).fontFamily)""")
    for family in families:
        assert family.split(",")[0].strip().strip('"') in JAPANESE_FONTS, family
    assert page.evaluate("getComputedStyle(document.querySelector('article p')).lineHeight"
                         " .replace('px', '') / getComputedStyle(document.querySelector("
                         "'article p')).fontSize.replace('px', '')") >= 1.75


def test_english_lines_keep_a_readable_measure(open_page):
    page = open_page(url("in force", "en"), viewport={"width": 1280, "height": 900})
    ratio = page.evaluate("""() => { const p = [...document.querySelectorAll('article p')]
        .sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const probe = document.createElement('span');
        probe.textContent = 'abcdefghijklmnopqrstuvwxyz';
        p.appendChild(probe); const perChar = probe.getBoundingClientRect().width / 26;
        probe.remove(); return p.getBoundingClientRect().width / perChar; }""")
    assert ratio <= 80, ratio  # characters of average width a line holds


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_deletion_and_the_insertion_after_it_are_apart_and_unlike_a_link(open_page, lang,
                                                                           width):
    page = open_page(url("redline", lang), viewport={"width": width, "height": 900})
    gaps = page.evaluate("""() => [...document.querySelectorAll('article del + ins')]
        .filter(ins => ins.previousSibling === ins.previousElementSibling)  // nothing between
        .map(ins => { const d = ins.previousElementSibling.getClientRects(),
                            i = ins.getClientRects()[0], last = d[d.length - 1];
                      return Math.abs(last.top - i.top) < 2 ? i.left - last.right : null; })
        .filter(gap => gap !== null)""")
    assert gaps and min(gaps) >= 3, gaps  # touching pairs exist in the example, all apart
    styles = page.evaluate("""() => { const ins = document.querySelector('article ins'),
        a = document.querySelector('article p a'), s = e => getComputedStyle(e);
        return [s(ins).textDecorationStyle, s(a).textDecorationStyle,
                s(ins, '::before').content, s(ins, '::after').content]; }""")
    assert styles[0] != styles[1]  # an insertion is not underlined the way a link is
    # the gap adds no character to copied text
    assert all(content in ("none", "normal") for content in styles[2:]), styles

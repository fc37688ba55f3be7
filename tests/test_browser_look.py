"""The company's own legal page, as readers see it (issue 24): named in every tab and header,
each version titled by its date and placed at a glance, sections citable in their version,
the upcoming notice first, a way back from a missing page; in ja and en, on a phone and a
desktop, on both distinct engines.

The site is tests/test_browser.py's: the example with a third version, as of 2027-05-01
(2018-07-06 superseded, 2027-04-01 in force, 2028-01-01 announced)."""
from __future__ import annotations

from urllib.parse import urljoin, urlparse

import pytest

from tests.browser import serve
from tests.helpers import DISTINCT_ENGINES

LANGUAGES = ("ja", "en")
WIDTHS = (375, 1280)
COMPANY = {"ja": "株式会社ISAO", "en": "ISAO Corporation"}
TITLE = {"ja": "プライバシーポリシー | 株式会社ISAO", "en": "Privacy Policy - ISAO Corporation"}
VERSION_TITLE = {"ja": "プライバシーポリシー（2027年4月1日施行） | 株式会社ISAO",
                 "en": "Privacy Policy, effective April 1, 2027 - ISAO Corporation"}
VERSIONS = ("2018-07-06", "2027-04-01", "2028-01-01")
IN_FORCE, UPCOMING = "2027-04-01", "2028-01-01"
PAGES = ("{lang}/", "{lang}/versions/2018-07-06/", "{lang}/versions/2028-01-01/",
         "{lang}/versions/", "{lang}/changes/2027-04-01/", "{lang}/api/",
         "{lang}/compare/?from=2018-07-06&to=2028-01-01", "{lang}/404.html")


@pytest.fixture(scope="module", params=DISTINCT_ENGINES)
def site(request, three_versions):
    with serve(three_versions(request.param).result.out_dir) as base:
        yield base


def _on(open_page, path: str, width: int, **context):
    return open_page(path, viewport={"width": width, "height": 900}, **context)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_names_the_company_in_its_title_and_header(open_page, lang, width):
    for path in PAGES:
        page = _on(open_page, path.format(lang=lang), width)
        assert COMPANY[lang] in page.title(), path
        header = page.locator(".md-header__topic").first
        assert header.is_visible() and COMPANY[lang] in header.inner_text(), path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_in_force_is_titled_by_policy_and_company_as_the_language_joins_them(
        open_page, lang):
    assert _on(open_page, f"{lang}/", 1280).title() == TITLE[lang]
    assert _on(open_page, f"{lang}/versions/{IN_FORCE}/", 1280).title() == VERSION_TITLE[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_version_page_has_its_own_title_and_heading(open_page, lang):
    titles, headings = set(), set()
    for version in VERSIONS:
        page = _on(open_page, f"{lang}/versions/{version}/", 1280)
        titles.add(page.title())
        headings.add(page.inner_text("article h1"))
        description = page.get_attribute("meta[name=description]", "content")
        assert description and description.strip()
    assert len(titles) == len(headings) == len(VERSIONS)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_section_links_show_without_hover_and_cite_the_version_in_force_by_its_own_page(
        open_page, lang, width):
    page = _on(open_page, f"{lang}/", width)
    links = page.locator("article .pg-cite-link")
    assert links.count() == page.locator("article h2[id], article h3[id]").count() >= 10
    first = links.first
    assert first.is_visible()  # no hover: the mouse never moved onto the page
    assert first.get_attribute("title")  # a tooltip, in the page's language:
    assert first.inner_text().strip() in {"この条項へのリンク", "Link to this section"}
    heading_id = page.eval_on_selector("article h2[id]", "h => h.id")
    target = urlparse(urljoin(page.url, first.get_attribute("href")))
    assert (target.path, target.fragment) == (f"/{lang}/versions/{IN_FORCE}/", heading_id)
    page.click("article .pg-cite-link")
    page.wait_for_load_state()
    assert page.locator(f"[id='{heading_id}']").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_upcoming_notice_comes_before_the_first_section_at_the_texts_size(
        open_page, lang, width):
    upcoming = _on(open_page, f"{lang}/versions/{UPCOMING}/", width)
    summary = upcoming.inner_text(".pg-summary p:not(.pg-summary-title)").strip()
    page = _on(open_page, f"{lang}/", width)
    notice = page.locator(".pg-upcoming")
    assert notice.count() == 1 and notice.is_visible()
    assert page.evaluate("""() => {
        const notice = document.querySelector('.pg-upcoming');
        const section = document.querySelector('article h2[id]');
        return !!(notice.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    sizes = page.evaluate("""() => [
        getComputedStyle(document.querySelector('.pg-upcoming-changes li')).fontSize,
        getComputedStyle(document.querySelector('.pg-section p')).fontSize]""")
    assert sizes[0] == sizes[1], sizes
    assert page.inner_text(".pg-upcoming-changes li").strip() == summary
    assert page.locator(".pg-upcoming .pg-announced").is_visible()
    assert page.locator(".pg-upcoming .pg-reconsent").inner_text().strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_version_bar_says_where_each_version_stands_and_switches_by_links(open_page, lang):
    states = {"2018-07-06": "superseded", IN_FORCE: "current", UPCOMING: "upcoming"}
    for version, state in states.items():
        page = _on(open_page, f"{lang}/versions/{version}/", 1280)
        bar = page.locator(".pg-version-bar")
        assert bar.is_visible()
        assert bar.locator(f".pg-version-bar__state .pg-status--{state}").is_visible()
        bar.locator(".pg-switcher summary").click()
        listed = {urlparse(urljoin(page.url, href)).path for href in page.eval_on_selector_all(
            ".pg-switcher a", "links => links.map(a => a.getAttribute('href'))")}
        assert listed == {f"/{lang}/versions/{other}/" for other in VERSIONS}
        assert page.get_attribute(".pg-switcher [aria-current=page]", "href") in ("./", "")
        # The hash is below the text, folded: the text comes first.
        assert not page.locator(".pg-hash").is_visible()
        assert page.evaluate("""() => !!(document.querySelector('article h2[id]')
            .compareDocumentPosition(document.querySelector('.pg-verify'))
            & Node.DOCUMENT_POSITION_FOLLOWING)""")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_language_switcher_is_labelled_and_keeps_the_section(open_page, lang):
    other = "en" if lang == "ja" else "ja"
    page = _on(open_page, f"{lang}/", 1280)
    heading_id = page.eval_on_selector_all("article h2[id], article h3[id]", "hs => hs[3].id")
    page.goto(page.url + "#" + heading_id)
    assert page.inner_text(".md-header .pg-language__name").strip() in ("日本語", "English")
    page.click(".md-header__option .md-select button")
    page.click(f".md-select__link[hreflang={other}]")
    page.wait_for_load_state()
    landed = urlparse(page.url)
    assert (landed.path, landed.fragment) == (f"/{other}/", heading_id)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_footer_names_the_company_and_leads_to_archive_feed_and_languages(
        open_page, lang, width):
    page = _on(open_page, f"{lang}/versions/{IN_FORCE}/", width)
    footer = page.locator("footer.pg-footer")
    assert COMPANY[lang] in footer.inner_text()
    hrefs = {urlparse(urljoin(page.url, href)).path for href in page.eval_on_selector_all(
        "footer.pg-footer a", "links => links.map(a => a.getAttribute('href'))")}
    assert {f"/{lang}/versions/", f"/{lang}/feed.xml", f"/{lang}/"} <= hrefs
    assert any(path.endswith(".pdf") for path in hrefs)
    assert "mailto:" in " ".join(page.eval_on_selector_all(
        "footer.pg-footer a", "links => links.map(a => a.href)"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_language_404_leads_to_the_policy_in_force_the_archive_and_the_other_language(
        open_page, lang):
    page = _on(open_page, f"{lang}/404.html", 375)
    hrefs = {urlparse(urljoin(page.url, href)).path for href in page.eval_on_selector_all(
        ".pg-not-found a", "links => links.map(a => a.getAttribute('href'))")}
    other = "en" if lang == "ja" else "ja"
    assert hrefs == {f"/{lang}/", f"/{lang}/versions/", f"/{other}/"}


def test_the_sites_own_404_leads_to_each_languages_policy_and_archive(open_page):
    page = _on(open_page, "404.html", 375)
    hrefs = {urlparse(urljoin(page.url, href)).path for href in page.eval_on_selector_all(
        "a", "links => links.map(a => a.getAttribute('href'))")}
    assert hrefs == {f"/{lang}/{rest}" for lang in LANGUAGES for rest in ("", "versions/")}
    assert page.locator("h1").first.is_visible()
    assert page.problems == []


def test_the_dark_scheme_follows_the_system_and_differs_from_the_light(open_page):
    light = _on(open_page, "en/", 1280, color_scheme="light")
    dark = _on(open_page, "en/", 1280, color_scheme="dark")
    background = "() => getComputedStyle(document.body).backgroundColor"
    assert light.evaluate(background) != dark.evaluate(background)
    assert light.screenshot() != dark.screenshot()

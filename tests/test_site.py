"""The built example site: every page, in every language, as readers and crawlers see it."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator.build import resolve_as_of
from generator.core.i18n import format_date
from generator.site.engines import SiteBuildError
from tests.helpers import (
    DISTINCT_ENGINES,
    ENGINES,
    REFERENCE,
    copy_project,
    without_corrections,
)
from tests.htmltext import article_text, html_lang, normalize, parse, tags

LANGUAGES = ("ja", "en")
VERSIONS = ("2018-07-06", "2027-04-01")


@pytest.fixture(scope="module", params=DISTINCT_ENGINES)
def built(request, tmp_path_factory):
    """The example as each engine builds it: the content tests hold for both."""
    project = copy_project(tmp_path_factory.mktemp(f"example-{request.param}"))
    project.build(engine=request.param)
    return project.root / "site"


def page(site: Path, url: str) -> Path:
    return site / url / "index.html" if not url.endswith(".html") else site / url


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_exists_for_every_language_and_version(built, language):
    assert page(built, f"{language}/").is_file()
    assert page(built, f"{language}/versions/").is_file()
    for version in VERSIONS:
        assert page(built, f"{language}/versions/{version}/").is_file()
    assert (built / "index.html").is_file()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_html_page_declares_its_language(built, language):
    pages = sorted((built / language).rglob("*.html"))
    assert len(pages) >= 4
    assert {html_lang(p) for p in pages} == {language}


def test_sitemaps_give_every_page_its_hreflang_alternates_when_the_site_has_a_url(project):
    project.configure(site_url="https://policy.example/")
    site = project.build().result.out_dir
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
                  "x": "http://www.w3.org/1999/xhtml"}
    urlset = ElementTree.parse(site / "en/sitemap.xml").getroot()
    entries = {url.findtext("s:loc", namespaces=namespaces):
               {link.get("hreflang"): link.get("href")
                for link in url.findall("x:link", namespaces)}
               for url in urlset.findall("s:url", namespaces)}
    page = "https://policy.example/en/versions/2018-07-06/"
    assert entries[page] == {"ja": "https://policy.example/ja/versions/2018-07-06/",
                             "en": page}
    # every English page, 2027-04-01 before each of its 2 corrections too (and what each
    # correction changed)
    assert len(entries) == 11
    assert gzip.decompress((site / "en/sitemap.xml.gz").read_bytes()) == \
        (site / "en/sitemap.xml").read_bytes()
    index = ElementTree.parse(site / "sitemap.xml").getroot()
    assert [loc.text for loc in index.iter(f"{{{namespaces['s']}}}loc")] == [
        "https://policy.example/ja/sitemap.xml", "https://policy.example/en/sitemap.xml"]


def test_pages_link_no_alternate_that_the_theme_would_take_for_a_language_root(built):
    # Material fetches sitemap.xml beside every <link rel="alternate">; only the feed's is.
    links = [link for link in tags(page(built, "ja/versions/2018-07-06/"), "link")
             if link.get("rel") == "alternate"]
    assert [link["type"] for link in links] == ["application/atom+xml"]


def test_language_switcher_keeps_the_reader_on_the_same_version(built):
    switch = [a for a in tags(page(built, "en/versions/2027-04-01/"), "a")
              if "md-select__link" in a.get("class", "")]
    assert [(a["hreflang"], a["href"]) for a in switch] == [
        ("ja", "../../../ja/versions/2027-04-01/"), ("en", "./")]
    target = page(built, "en/versions/2027-04-01/").parent / switch[0]["href"]
    assert (target / "index.html").resolve() == page(built, "ja/versions/2027-04-01/").resolve()


@pytest.mark.parametrize("language", LANGUAGES)
def test_policy_in_force_shows_its_effective_date_and_the_announced_version(built, language):
    text = article_text(page(built, f"{language}/"))
    assert format_date(dt.date(2018, 7, 6), language) in text
    assert format_date(dt.date(2027, 4, 1), language) in text
    links = [a.get("href") for a in tags(page(built, f"{language}/"), "a")]
    assert "versions/2027-04-01/" in links


def test_dates_are_written_as_each_language_writes_them(built):
    assert "施行日：2018年7月6日" in article_text(page(built, "ja/"))
    assert "Effective date: July 6, 2018" in article_text(page(built, "en/"))


def test_upcoming_version_has_a_banner_linking_to_the_version_in_force(built):
    path = page(built, "en/versions/2027-04-01/")
    assert "This version takes effect on April 1, 2027." in article_text(path)
    assert "../../" in [a.get("href") for a in tags(path, "a")]


def test_superseded_version_has_a_banner_once_a_later_version_is_in_force(project, tmp_path):
    project.build(as_of=dt.date(2027, 4, 1))
    path = project.root / "site/en/versions/2018-07-06/index.html"
    assert "This version was in force from July 6, 2018 to March 31, 2027." in article_text(path)
    assert "Read the version in force" in article_text(path)
    current = article_text(project.root / "site/en/index.html")
    assert "Effective date: April 1, 2027" in current


def test_the_day_before_an_effective_date_the_old_version_is_still_in_force(project):
    built = project.build(as_of=dt.date(2027, 3, 31))
    assert built.timeline.current.id == "2018-07-06"


@pytest.mark.parametrize("language", LANGUAGES)
def test_archive_lists_every_version_with_date_status_and_summary(built, language):
    path = page(built, f"{language}/versions/")
    text = article_text(path)
    for version in VERSIONS:
        assert f"versions/{version}/" not in text  # links, not raw URLs
        assert format_date(dt.date.fromisoformat(version), language) in text
    hrefs = [a.get("href") for a in tags(path, "a")]
    assert "2018-07-06/" in hrefs and "2027-04-01/" in hrefs
    assert ("施行中" if language == "ja" else "In force") in text
    assert ("施行予定" if language == "ja" else "Upcoming") in text
    assert ("第三者提供記録" if language == "ja" else "records of provision") in text


def test_the_site_says_which_language_is_authoritative(built):
    assert "本ポリシーは日本語版を正文とします。" in article_text(page(built, "ja/"))
    assert "This text is a translation. The Japanese text is authoritative." in \
        article_text(page(built, "en/"))


def test_english_page_in_force_holds_every_paragraph_of_the_published_text(built):
    text = article_text(page(built, "en/"))
    missing = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^(#+ |- |\d+\. )", "", line.strip())
        # Dates are data, formatted by babel: "October 01, 2004" reads "October 1, 2004".
        line = re.sub(r"(\w+) 0(\d), (\d{4})", r"\1 \2, \3", line)
        if line and line != "----" and normalize(line) not in text:
            missing.append(line)
    assert missing == []


def test_japanese_page_in_force_is_japanese_text(built):
    text = article_text(page(built, "ja/"))
    assert "株式会社ISAO（以下「当社」）は" in text
    assert "認定個人情報保護団体の名称" in text and "0120-700-779" in text


def test_drafts_are_never_public_and_are_marked_in_a_preview(project):
    project.replace("versions/2027-04-01.yaml", "status: published", "status: draft")
    project.write("versions/2027-04-01.yaml",  # a draft never has corrections
                  without_corrections(project.read("versions/2027-04-01.yaml")))
    project.relock()
    public = project.build(out=project.root / "public")
    assert [v.id for v in public.timeline.versions] == ["2018-07-06"]
    assert not (project.root / "public/en/versions/2027-04-01").exists()
    assert "2027" not in article_text(project.root / "public/en/index.html")
    assert "2027-04-01" not in (project.root / "public/en/versions/index.html").read_text()

    project.build(out=project.root / "preview", drafts=True)
    draft = project.root / "preview/en/versions/2027-04-01/index.html"
    assert "This version is a draft. It is not published" in article_text(draft)


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_text_from_the_source_never_becomes_html(project):
    version = "versions/2018-07-06.yaml"
    project.replace(version, "en: Scope of personal information",
                    f"en: {json.dumps(HOSTILE + ' # [x](y) {#id onclick=z}')}")
    # In section text raw HTML is refused by validate (tests/test_markup.py); what reaches
    # the page is markup's own: entities, which stay text once decoded.
    escaped = HOSTILE.replace("<", "&lt;").replace(">", "&gt;")
    project.replace(version, "en: We deal with the following information strictly as "
                    "personal information.",
                    f"en: {json.dumps(escaped + ' *We* deal with it.')}")
    project.replace(version, "en: Added the transmission and storage location of personal "
                    "information, third-party behavior analysis, and use of the service by "
                    "children.", f"en: {json.dumps(HOSTILE)}")
    project.relock()
    project.build()
    path = project.root / "site/en/versions/2018-07-06/index.html"
    html = path.read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    handlers = [(tag, name) for tag, attrs in parse(path).tags for name in attrs
                if name.startswith("on")]
    assert handlers == []
    text = article_text(path)
    assert text.count('<script>alert("x")</script>') == 3  # shown as the text it is
    assert "<em>We</em>" in html  # while the Markdown subset still works in section text


def test_hostile_text_stays_text_in_contacts_the_feed_the_redline_and_the_api(project):
    version = "versions/2018-07-06.yaml"
    project.replace(version, "en: ISAO Corporation", f"en: {json.dumps(HOSTILE)}")
    project.replace(version, "en: Added the transmission and storage location of personal "
                    "information, third-party behavior analysis, and use of the service by "
                    "children.", f"en: {json.dumps(HOSTILE + ' ]]> </summary>')}")
    project.replace("versions/2027-04-01.yaml", "en: ISAO Corporation",
                    f"en: {json.dumps(HOSTILE + ' & more')}")
    project.relock()
    site = project.build().result.out_dir
    for page_url in ("en/", "en/versions/2018-07-06/", "en/changes/2027-04-01/"):
        path = site / page_url / "index.html"
        html = path.read_text()
        assert "<script>alert" not in html and "<img src=x" not in html, page_url
        assert not [name for _, attrs in parse(path).tags for name in attrs
                    if name.startswith("on")]
    feed = ElementTree.parse(site / "en/feed.xml").getroot()  # still well-formed XML
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [e.text for e in feed.iter(f"{atom}summary")]
    assert HOSTILE + " ]]> </summary>" in summaries
    assert feed.find(f"{atom}author/{atom}name").text == HOSTILE + " & more"
    document = json.loads((site / "api/v1/versions/2018-07-06/en.json").read_bytes())
    assert document["facts"]["company"] == HOSTILE


def test_a_failed_build_leaves_the_previous_site_untouched(project):
    project.build()
    site = project.root / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project.root / "site_overrides/mkdocs/main.html").write_text("{% block extrahead %}{% if %}")
    with pytest.raises(SiteBuildError) as raised:
        project.build(as_of=dt.date(2027, 5, 1))
    assert "main.html:1" in str(raised.value)
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".policygen-")] == []


def test_two_builds_of_the_same_source_are_byte_identical(project):
    """Every file, sitemaps, search indexes, feeds, JSON and PDFs included, whatever the clock
    says and however many processes build it. (No PDF cache here: both builds render.)"""
    from generator import build as pipeline
    from generator.source import settings

    project.configure(site_url="https://policy.example/")
    environ = {"SOURCE_DATE_EPOCH": "1795000000"}
    clocks = (dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC),
              dt.datetime(2031, 1, 1, 3, tzinfo=dt.UTC))
    for name, now, jobs in (("one", clocks[0], 1), ("two", clocks[1], 2)):
        pipeline.build(project.layout, pipeline.BuildOptions(
            project.root / name, None, environ, now, jobs=jobs,
            settings=settings.read(project.layout.settings)))
    one, two = project.root / "one", project.root / "two"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    different = [f for f in files if (one / f).read_bytes() != (two / f).read_bytes()]
    assert different == []
    names = {str(f) for f in files}
    for kind in ("en/sitemap.xml", "en/sitemap.xml.gz", "ja/search/search_index.json",
                 "ja/feed.xml", "api/v1/policy.json", "sitemap.xml",
                 "ja/versions/2018-07-06/goalous-privacy-2018-07-06-ja.pdf"):
        assert kind in names
    assert b"<loc>" in (one / "en/sitemap.xml").read_bytes()


def search_index(site: Path, language: str) -> tuple[list[str], list[dict]]:
    """The engine's search index: its languages and its entries (location, text)."""
    material = site / language / "search/search_index.json"
    if material.exists():
        index = json.loads(material.read_bytes())
        return index["config"]["lang"], index["docs"]
    index = json.loads((site / language / "search.json").read_bytes())  # Zensical's
    return index["config"]["lang"], index["items"]


def test_japanese_search_index_holds_japanese_text_and_uses_the_japanese_pipeline(built):
    languages, entries = search_index(built, "ja")
    assert languages == ["ja"]
    assert any("個人情報保護管理者" in entry["text"] for entry in entries)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_covers_the_policy_in_force_the_upcoming_version_the_archive_and_the_api(
        built, language):
    """Older versions, redlines and the version in force's own permanent page (the same text
    as the home page) stay out: a reader finds each sentence once, and the index does not
    grow with the history."""
    pages = {entry["location"].split("#")[0] for entry in search_index(built, language)[1]}
    assert pages == {"", "versions/", "api/", "versions/2027-04-01/"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_archive_is_found_by_its_title_but_its_rows_stay_out_of_the_search_index(
        built, language):
    """One row per version: indexed, they would make every language's index grow with the
    history."""
    archive = [entry for entry in search_index(built, language)[1]
               if entry["location"].split("#")[0] == "versions/"]
    assert archive and all("2018" not in entry["text"] for entry in archive)
    assert "2018" in page(built, f"{language}/versions/").read_text("utf-8")


@pytest.mark.parametrize("environ, expected", [
    ({}, dt.date(2026, 11, 25)),
    ({"SOURCE_DATE_EPOCH": "1806505200"}, dt.date(2027, 4, 1)),  # 2027-04-01 00:00 JST
    ({"SOURCE_DATE_EPOCH": "1806505199"}, dt.date(2027, 3, 31)),
])
def test_build_date_comes_from_source_date_epoch_else_today_in_the_policy_time_zone(
        environ, expected):
    now = dt.datetime(2026, 11, 24, 16, tzinfo=dt.UTC)  # 2026-11-25 01:00 in Tokyo
    assert resolve_as_of(None, environ, now, "Asia/Tokyo") == expected


def test_as_of_argument_wins_over_the_environment():
    assert resolve_as_of(dt.date(2030, 1, 1), {"SOURCE_DATE_EPOCH": "0"},
                         dt.datetime.now(dt.UTC), "Asia/Tokyo") == dt.date(2030, 1, 1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_redline_to_the_upcoming_version_is_built_and_linked(built, language):
    redline = page(built, f"{language}/changes/2027-04-01/")
    inserted = [t for t in tags(redline, "ins")]
    assert len(inserted) >= 3 and len(tags(redline, "del")) >= 2
    text = article_text(redline)
    assert ("［削除：］" if language == "ja" else "[deleted:]") in text  # read without colour
    assert ("アメリカ合衆国" if language == "ja" else "United States of America") in text
    if language == "en":  # the spaces around a change are kept: words never run together
        html = redline.read_text(encoding="utf-8")
        assert "These servers are <del>" in html
    for source in (f"{language}/versions/", f"{language}/versions/2027-04-01/", f"{language}/"):
        hrefs = [a.get("href") for a in tags(page(built, source), "a")]
        target = {f"{language}/versions/": "../changes/2027-04-01/",
                  f"{language}/versions/2027-04-01/": "../../changes/2027-04-01/",
                  f"{language}/": "changes/2027-04-01/"}[source]
        assert target in hrefs, source


# --- how the pages read (issue 16) ------------------------------------------------------------

SITE_NAMES = {"ja": "プライバシーポリシー", "en": "Privacy Policy"}


def html_pages(site: Path, language: str) -> list[Path]:
    return sorted((site / language).rglob("*.html"))


class _CodeBlocks(HTMLParser):
    """The text of every <pre> as a reader sees it (character references decoded once)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self._depth += 1
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.blocks[-1] += data


def code_blocks(path: Path) -> list[str]:
    parser = _CodeBlocks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.blocks


def test_no_code_block_shows_a_character_reference_and_the_example_keeps_its_blank_lines(
        built):
    for path in [p for language in SITE_NAMES for p in html_pages(built, language)]:
        for block in code_blocks(path):
            assert not re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", block), (path, block[:200])
    for language in SITE_NAMES:
        [example] = code_blocks(built / language / "api/index.html")
        assert "user's" in example or "同意記録" in example
        assert "\n\n// " in example  # the steps stay apart
        assert "(v) => v.id" in example


def test_the_text_before_a_correction_is_headed_by_what_it_is_not_the_policy_title(built):
    headings = {language: re.findall(r"<h1[^>]*>(.*?)<", page(
        built, f"{language}/versions/2027-04-01/before-correction-1/").read_text("utf-8"))
        for language in LANGUAGES}
    assert headings == {"ja": ["2027年4月1日版（訂正1前）"],
                        "en": ["Version of April 1, 2027, before correction 1"]}


def test_no_pages_navigation_repeats_the_site_title(built):
    for language, site_name in SITE_NAMES.items():
        for path in html_pages(built, language):
            html = path.read_text(encoding="utf-8")
            nav = html[html.find("md-nav--primary"):html.find("md-sidebar--secondary")]
            items = [item.strip() for item in re.findall(
                r'class="md-nav__link[^"]*">\s*<span class="md-ellipsis">([^<]*)</span>', nav)]
            assert site_name not in items, (path, items)
        home = (built / language / "index.html").read_text(encoding="utf-8")
        assert {"ja": "現行のポリシー", "en": "The policy in force"}[language] in home


COMPANIES = {"ja": "株式会社ISAO", "en": "ISAO Corporation"}
JOINS = {"ja": " | ", "en": " - "}  # the catalogs' "%(page)s - %(company)s"


def test_every_title_names_the_page_then_the_company_once(built):
    for language, company in COMPANIES.items():
        titles = {path.relative_to(built).as_posix(): re.search(
            r"<title>([^<]*)</title>", path.read_text(encoding="utf-8")).group(1)
            for path in html_pages(built, language)}
        assert titles[f"{language}/index.html"] == \
            SITE_NAMES[language] + JOINS[language] + company
        for path, title in titles.items():
            assert title.count(company) == 1, (path, title)
            assert title.endswith(JOINS[language] + company), (path, title)
    assert re.search(r"<title>Privacy Policy, effective July 6, 2018 - ISAO Corporation</title>",
                     (built / "en/versions/2018-07-06/index.html").read_text())
    assert "<title>プライバシーポリシー（2018年7月6日施行） | 株式会社ISAO</title>" in \
        (built / "ja/versions/2018-07-06/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ENGINES)
def test_the_policy_title_is_text_on_every_page_of_every_engine(project, engine):
    # The site engine's themes print the site's name unescaped (Material's header, nav and
    # <title>): a title is the legal team's text, never markup.
    project.replace("policy.yaml", "en: Privacy Policy", f"en: {json.dumps(HOSTILE)}")
    project.relock()
    project.configure(engine=engine)
    site = project.build(drafts=True).result.out_dir
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, path
        tags = parse(path).tags
        assert not [name for _, attrs in tags for name in attrs if name.startswith("on")], path
    home = (site / "en/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in home  # shown as the text it is
    assert "&amp;lt;" not in home  # and escaped once, not twice

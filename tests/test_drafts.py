"""A draft is never mistaken for the live policy: a build with drafts says so on every page,
keeps search engines out, and labels each draft wherever it appears; a build without them
says how many it left out."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests.browser import serve
from tests.helpers import Project, copy_project, without_corrections
from tests.htmltext import article_text, tags

DRAFT = "2028-04-01"
BANNER = {"en": "Preview including drafts: this is not the published policy. Do not publish "
                "this build.",
          "ja": "草案を含むプレビューです。公開中のポリシーではありません。"
                "このビルドを公開しないでください。"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The example with a draft copied from the latest version, built three ways: published,
    previewed on the draft's effective date (the draft in force), and before it (upcoming)."""
    project = copy_project(tmp_path_factory.mktemp("drafts"))
    text = without_corrections(project.read("versions/2027-04-01.yaml"))
    project.write(f"versions/{DRAFT}.yaml", text.replace(
        "id: 2027-04-01\neffective_date: 2027-04-01\nstatus: published",
        f"id: {DRAFT}\neffective_date: {DRAFT}\nstatus: draft").replace(
        "en: Updated for the amended Act", "en: Draft wording. Updated for the amended Act"))
    out = project.root
    project.build(out / "published", as_of=dt.date(2028, 4, 1))
    project.build(out / "in-force", as_of=dt.date(2028, 4, 1), drafts=True)
    project.build(out / "upcoming", as_of=dt.date(2027, 6, 1), drafts=True)
    return {name: out / name for name in ("published", "in-force", "upcoming")}


@pytest.fixture(scope="module")
def zensical_preview(sites) -> Path:
    """The upcoming preview built by Zensical too, for the banner's browser test."""
    project = Project(sites["upcoming"].parent)
    out = project.root / "upcoming-zensical"
    project.build(out, as_of=dt.date(2027, 6, 1), drafts=True, engine="zensical")
    return out


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def noindex(page: Path) -> bool:
    return any(tag.get("name") == "robots" and tag.get("content") == "noindex"
               for tag in tags(page, "meta"))


@pytest.mark.parametrize("name", ["in-force", "upcoming"])
def test_every_page_of_a_preview_carries_the_banner_and_keeps_search_engines_out(sites, name):
    pages = html_pages(sites[name])
    assert len(pages) > 20 and sites[name] / "en/404.html" in pages
    for page in pages:
        language = "en" if "/en/" in page.as_posix() else "ja"
        assert noindex(page), page
        assert BANNER[language] in page.read_text(encoding="utf-8"), page


def test_a_published_build_has_no_banner_and_says_nothing_of_drafts(sites):
    for page in html_pages(sites["published"]):
        html = page.read_text(encoding="utf-8")
        assert not noindex(page) and "pg-preview" not in html and DRAFT not in html, page


def test_a_draft_in_force_is_labelled_as_a_draft_on_the_policy_page(sites):
    for language, label in (("en", "This version is a draft. It is not published"),
                            ("ja", "草案です。公開されておらず")):
        assert label in article_text(sites["in-force"] / language / "index.html")
    assert "This version is a draft" not in article_text(
        sites["in-force"] / "en/versions/2027-04-01/index.html")


def test_an_upcoming_draft_is_labelled_in_the_notice_archive_redline_and_feed(sites):
    site = sites["upcoming"]
    notice = article_text(site / "en/index.html")
    assert "A new version takes effect on April 1, 2028 Draft" in notice
    archive = (site / "en/versions/index.html").read_text(encoding="utf-8")
    row = archive[archive.index(f'id="version-{DRAFT}"'):]
    assert 'class="pg-draft-mark">Draft<' in row[:row.index("</tr>")]
    assert "This version is a draft" in article_text(site / f"en/changes/{DRAFT}/index.html")
    feed = (site / "en/feed.xml").read_text(encoding="utf-8")
    assert "<title>Draft: Version of April 1, 2028: announced, not yet in force</title>" in feed
    assert "<title>Version of April 1, 2027: in force</title>" in feed


def test_the_compare_pages_version_choices_label_the_draft(sites):
    for language, draft, published in (
            ("en", "April 1, 2028 (draft)", "April 1, 2027"),
            ("ja", "2028年4月1日（草案）", "2027年4月1日")):
        page = (sites["upcoming"] / language / "compare/index.html").read_text(encoding="utf-8")
        for select in ("pg-from", "pg-to"):
            options = page[page.index(f'<select id="{select}"'):]
            choices = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>',
                                      options[:options.index("</select>")]))
            assert (choices[DRAFT], choices["2027-04-01"]) == (draft, published)


def test_the_api_of_a_preview_marks_the_draft(sites):
    api = sites["upcoming"] / "api/v1"
    current = json.loads((api / "current.json").read_text())
    assert current["upcoming"]["id"] == DRAFT and current["upcoming"]["draft"] is True
    assert current["current"]["draft"] is False
    index = json.loads((api / "policy.json").read_text())
    assert {v["id"]: v["draft"] for v in index["versions"]}[DRAFT] is True


def test_the_command_line_says_draft_and_counts_the_drafts_it_left_out(sites, cli):
    root = sites["published"].parent
    published = cli("build", "--as-of", "2028-04-01", "--out", "published", cwd=root)
    assert published.code == 0, published.err
    assert f"Left out 1 draft version ({DRAFT}); preview with `policygen serve --drafts`" \
        in published.out
    preview = cli("build", "--as-of", "2028-04-01", "--drafts", "--out", "in-force", cwd=root)
    assert preview.code == 0, preview.err
    assert f"in force {DRAFT} (draft)" in preview.out
    assert "This is a preview with drafts: never publish it" in preview.out
    upcoming = cli("build", "--as-of", "2027-06-01", "--drafts", "--out", "upcoming", cwd=root)
    assert f"upcoming {DRAFT} (draft)" in upcoming.out


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("path", ["en/", "ja/versions/", "en/404.html"])
def test_the_preview_banner_is_the_first_thing_a_reader_sees_whatever_the_engine(
        sites, zensical_preview, browser, engine, path):
    site = sites["upcoming"] if engine == "mkdocs" else zensical_preview
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 375, "height": 700})
        try:
            page.goto(base + path)
            banner = page.locator(".pg-preview")
            assert banner.is_visible()
            assert banner.inner_text().strip() == BANNER["ja" if path.startswith("ja") else "en"]
            box = banner.bounding_box()
            assert box["y"] < 120 and box["x"] >= 0 and box["x"] + box["width"] <= 375
            # Nothing covers it: the element at its centre is the banner or inside it.
            assert page.evaluate("""([x, y]) => {
                const hit = document.elementFromPoint(x, y);
                return !!hit && !!hit.closest('.pg-preview');
            }""", [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        finally:
            page.close()

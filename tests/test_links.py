"""Every internal link and asset on every page of the built site resolves: the whole site,
walked, not a sample. Fragments must name an element of the page they point into."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import DISTINCT_ENGINES
from tests.htmltext import parse
from tests.oracles import walk


@pytest.fixture(scope="module", params=DISTINCT_ENGINES)
def site(request, three_versions) -> Path:
    """The three-version example, as each engine builds it."""
    return three_versions(request.param).result.out_dir


def test_every_internal_link_and_asset_of_every_page_resolves(site):
    assert len(list(site.rglob("*.html"))) >= 2 * 9  # both languages, every page kind
    broken, checked = walk(site)
    assert broken == []
    assert checked > 500


def test_the_walker_reports_a_missing_page_and_a_missing_anchor(three_versions, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(three_versions("mkdocs").result.out_dir, copy)
    page = copy / "en" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'href="versions/"' in html and 'href="#scope"' in html
    page.write_text(html.replace('href="versions/"', 'href="versionz/"', 1)
                    .replace('href="#scope"', 'href="#scoop"', 1), encoding="utf-8")
    broken, _ = walk(copy)
    assert broken == ["en/index.html: link versionz/ -> missing",  # Material's rel=next
                      "en/index.html: a #scoop -> no element #scoop"]


def test_no_page_gives_two_elements_the_same_id(site):
    duplicated = {}
    for page in sorted(site.rglob("*.html")):
        seen: dict[str, int] = {}
        for _, attrs in parse(page).tags:
            if attrs.get("id"):
                seen[attrs["id"]] = seen.get(attrs["id"], 0) + 1
        twice = sorted(name for name, count in seen.items() if count > 1)
        if twice:
            duplicated[str(page.relative_to(site))] = twice
    assert duplicated == {}

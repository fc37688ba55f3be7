"""Every internal link and asset on every page of the built site resolves: the whole site,
walked, not a sample. Fragments must name an element of the page they point into."""
from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.helpers import DISTINCT_ENGINES
from tests.htmltext import parse

LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src",
           "iframe": "src"}
EXTERNAL = ("http", "https", "mailto", "tel")


@pytest.fixture(scope="module", params=DISTINCT_ENGINES)
def site(request, three_versions) -> Path:
    """The three-version example, as each engine builds it."""
    return three_versions(request.param).result.out_dir


@cache
def ids(page: Path) -> frozenset[str]:
    return frozenset(attrs["id"] for _, attrs in parse(page).tags if attrs.get("id"))


def target_of(page: Path, reference: str, root: Path) -> Path | None:
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        return None  # external, or the API's absolute links (none without a site_url)
    path = unquote(parts.path)
    if not path:
        return page
    base = root if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if target.is_dir() or path.endswith("/") else target


def walk(site: Path) -> tuple[list[str], int]:
    """Broken references of every page, and how many references were checked."""
    broken, checked = [], 0
    for page in sorted(site.rglob("*.html")):
        for tag, attrs in parse(page).tags:
            reference = attrs.get(LINKING.get(tag, ""), "")
            if not reference or urlsplit(reference).scheme in EXTERNAL:
                continue
            if page.name == "404.html" and reference.startswith("/"):
                continue  # the 404 page is served at any depth, so its links are root-based
            target = target_of(page, reference, site)
            if target is None:
                continue
            checked += 1
            where = f"{page.relative_to(site)}: {tag} {reference}"
            if not target.is_file():
                broken.append(f"{where} -> missing")
            elif (fragment := urlsplit(reference).fragment) and target.suffix == ".html" \
                    and unquote(fragment) not in ids(target):
                broken.append(f"{where} -> no element #{fragment}")
    return broken, checked


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

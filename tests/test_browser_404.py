"""The engine's 404 page as a server shows it: a site published below the server's root
(https://example.com/policy/), built without a site_url, whose server answers every missing
address with the language's 404.html (nginx's `error_page 404 /policy/ja/404.html;`).

Without a site_url the engines link the page from the server's root (mkdocs#1598), so it
lost its stylesheet there: Material's logo filled the screen."""
from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.browser import _Quiet, serve
from tests.helpers import DISTINCT_ENGINES

MOUNT = "policy"  # the site's folder on the server


class _MissingShows404(_Quiet):
    """Answers a missing address below /policy/<lang>/ with that language's 404 page."""

    def send_error(self, code, message=None, explain=None):
        parts = urlparse(self.path).path.split("/")
        page = Path(self.directory, MOUNT, parts[2] if len(parts) > 3 else "", "404.html")
        if code != 404 or parts[1:2] != [MOUNT] or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def _serve_below_root(site: Path, root: Path):
    (root / MOUNT).symlink_to(site, target_is_directory=True)
    with serve(root, _MissingShows404) as base:
        yield f"{base}{MOUNT}/"


@pytest.fixture(scope="module", params=DISTINCT_ENGINES)
def site(request, three_versions, tmp_path_factory):
    out = three_versions(request.param).result.out_dir
    with _serve_below_root(out, tmp_path_factory.mktemp(f"server-{request.param}")) as base:
        yield base


ADDRESSES = ["ja/404.html", "en/404.html", "ja/versions/2099-01-01/", "en/no/such/page"]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_404_page_is_styled_below_the_root_without_a_site_url(open_page, address, width):
    page = open_page(address, viewport={"width": width, "height": 800})
    page.wait_for_load_state("networkidle")
    # Opened by its own address, nothing fails; at a missing address, only that address
    # and the assets the preload scanner asked for below it before the page's <base> was
    # set: the stylesheets and the search index load from the language's folder.
    asked = page.url.rsplit("/", 1)[0] + "/"
    requests = [p for p in page.problems if not p.startswith("console: Failed to load")]
    if address.endswith("404.html"):
        assert page.problems == []
    else:
        assert f"404: {page.url}" in requests
        assert all(p.startswith((f"404: {asked}", f"failed: {asked}")) for p in requests), requests
    header = page.eval_on_selector(".md-header", "h => [getComputedStyle(h).position, "
                                   "h.getBoundingClientRect().height]")
    assert header[0] == "sticky" and 40 <= header[1] <= 80  # Material's stylesheet applies
    assert page.eval_on_selector(".md-header img, .md-header svg",
                                 "i => i.getBoundingClientRect().height") <= 48
    assert page.eval_on_selector("body", "b => b.scrollWidth") <= width
    assert page.inner_text("article h1").startswith("404 - ")


@pytest.mark.parametrize("address", ["ja/versions/2099-01-01/", "en/no/such/page"])
def test_the_404_page_links_lead_into_the_site_below_the_root(open_page, site, address):
    page = open_page(address)
    language = address.split("/")[0]
    targets = {urlparse(urljoin(page.url, href)).path for href in page.eval_on_selector_all(
        "a[href]:not([href^='#']):not([href^='mailto:'])", "links => links.map(a => a.href)")}
    home = f"/{MOUNT}/{language}/"
    assert home in targets and f"{home}versions/" in targets
    assert all(path.startswith(f"/{MOUNT}/") for path in targets), sorted(targets)
    page.click(".md-tabs a[href$='versions/'], .md-nav a[href$='versions/']")
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"{home}versions/"

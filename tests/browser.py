"""A built site served on loopback and Debian's chromium driven by Playwright.

Browser tests never skip: a machine without chromium fails them, saying how to install it
(`./dev test` installs it when run as root)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and Path("/usr/bin/chromium").exists():
        path = "/usr/bin/chromium"
    if path is None:
        raise RuntimeError("chromium is not installed: run the tests through ./dev test as "
                           "root, or apt-get install chromium")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".json": "application/json", ".xml": "application/xml",
                      ".js": "text/javascript"}

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serving(handler):
    """Answer requests with `handler` (a request handler class or a partial of one) on a free
    loopback port; yields the server's origin, such as http://127.0.0.1:40443."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serve(directory: Path, handler: type = _Quiet):
    """Serve `directory` on a free loopback port; yields the base URL (ending in /)."""
    with serving(functools.partial(handler, directory=str(directory))) as origin:
        yield origin + "/"


@contextlib.contextmanager
def pages_opened(browser, base: str):
    """Yields `visit(path, **context)`, which opens a page as a reader does, recording its
    console errors and failed requests in `page.problems`; a compare page is returned once its
    comparison is shown. Every page opened is closed at the end."""
    opened = []

    def visit(path: str, **context):
        page = browser.new_page(**context)
        page.problems = []
        page.on("console", lambda m: page.problems.append(f"console: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: page.problems.append(f"{r.status}: {r.url}")
                if r.status >= 400 else None)
        page.goto(base + path)
        if "compare/" in path:
            page.wait_for_selector("#pg-compare-result h2")
        opened.append(page)
        return page

    try:
        yield visit
    finally:
        for page in opened:
            page.close()


def switch_language(page, language: str) -> None:
    """Choose `language` in the header's language switcher and wait for the page it opens."""
    page.click(".md-header__option .md-select button")
    page.click(f".md-select__link[hreflang={language}]")
    page.wait_for_load_state()


def serious_accessibility_violations(page) -> list:
    """axe-core's serious and critical findings on the page: (rule, impact, first targets)."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in violations if v["impact"] in ("serious", "critical")]


def page_and_window_widths(page) -> list[int]:
    """The page's scroll width and the window's width: the first exceeds the second when
    something overflows sideways."""
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def type_search(page, opener: str, query: str) -> None:
    """Open the search and type `query` as a reader does."""
    page.wait_for_load_state("networkidle")  # the search index is loaded
    page.click(opener)
    page.keyboard.type(query)
    page.keyboard.press("End")  # typed CJK and Arabic text fires no keyup, which Material awaits

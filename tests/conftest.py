"""The tests' fixtures (a private copy of the example, the CLI's runner, shared built sites,
the browser) and markers by cost; what they share as plain values is in helpers.py."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator import build as pipeline
from generator.cli import main
from generator.source import project as layout
from tests.helpers import (
    PDF_CACHE,
    ROOT,
    THREE_AS_OF,
    Project,
    Run,
    add_third_version,
    copy_project,
)


@pytest.fixture(scope="session")
def three_versions(tmp_path_factory):
    """The example with a third version, built as of 2027-05-01 by the engine asked for:
    each engine's site is built once per session and shared by the tests that only read it."""
    built: dict[str, pipeline.Built] = {}

    def site(engine: str = "mkdocs") -> pipeline.Built:
        if engine not in built:
            project = copy_project(tmp_path_factory.mktemp(f"three-{engine}"))
            add_third_version(project)
            project.lock()
            built[engine] = project.build(as_of=THREE_AS_OF, engine=engine)
        return built[engine]

    return site


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path)


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run policygen as a user would, from a working directory, capturing its output."""

    def run(*args: str, cwd: Path) -> Run:
        monkeypatch.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, through Playwright; one per test session."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(site, browser):
    """A page opener on the `site` fixture of the requesting test module (its served base
    URL); each page records its console errors and failed requests in `page.problems`."""
    from tests.browser import pages_opened

    with pages_opened(browser, site) as visit:
        yield visit


MANY_LANGUAGES = ROOT / "tests" / "fixtures" / "many_languages"
MANY_LANGUAGES_AS_OF = dt.date(2026, 11, 1)  # 2025-04-01 superseded, 2026-10-01 in force


def _many_languages(tmp_path_factory, engine: str) -> pipeline.Built:
    target = tmp_path_factory.mktemp(f"many-languages-{engine}")
    layout.copy(ROOT, target, tuple(part for part in layout.PARTS if part != "policy_src"))
    shutil.copytree(MANY_LANGUAGES / "policy_src", target / "policy_src")
    project = Project(target)
    project.lock()
    return project.build(as_of=MANY_LANGUAGES_AS_OF, engine=engine)


@pytest.fixture(scope="session")
def many_languages(tmp_path_factory) -> pipeline.Built:
    """The fixture policy in ja, en, zh-Hans, ar and ko, built once per test session."""
    return _many_languages(tmp_path_factory, "mkdocs")


@pytest.fixture(scope="session")
def many_languages_zensical(tmp_path_factory) -> pipeline.Built:
    """The same, built by Zensical, once per test session."""
    return _many_languages(tmp_path_factory, "zensical")


# --- markers by cost ----------------------------------------------------------------------
# The modules whose tests check the source, the model and the pure outputs without building a
# site: `./dev test --fast` runs them (less the few marked slow), in about a minute. Every
# other test builds a site, drives a browser or times a process; CI runs all of them.
FAST_MODULES = frozenset({
    "test_catalogs", "test_cli", "test_compliance", "test_contract", "test_corpus",
    "test_diff", "test_diff_rules", "test_diff_shortcuts", "test_help", "test_import",
    "test_init", "test_languages", "test_layers", "test_lock_chain", "test_lock_mistakes",
    "test_markup", "test_model", "test_new_version", "test_properties", "test_pure_core",
    "test_readme_sections", "test_redline", "test_routes", "test_source", "test_status",
    "test_translations", "test_validate", "test_warnings", "test_workers",
})
BROWSER_MODULES = frozenset({"test_browser", "test_browser_404", "test_browser_languages",
                             "test_compare"})


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(PDF_CACHE, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fast", action="store_true",
                     help="run the fast subset: no site built, no browser (./dev test --fast)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        if module in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
        if module not in FAST_MODULES:
            item.add_marker(pytest.mark.slow)
    if config.getoption("--fast"):
        slow = [item for item in items if item.get_closest_marker("slow")]
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]

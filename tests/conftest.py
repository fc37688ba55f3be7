"""Helpers shared by the tests: a private copy of the example project, and the CLI's runner."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import build as pipeline
from generator.cli import main
from generator.source import project as layout
from generator.source import settings

ROOT = Path(__file__).resolve().parent.parent
# The published English text, as the company published it: the oracle of the example.
REFERENCE = ROOT / "tests" / "reference" / "isao-privacy-policy.en.txt"
# One PDF cache for every build of the session (CLI runs read it from the environment): each
# distinct PDF is rendered once per session, never taken from an earlier session nor from the
# developer's own cache (a POLICYGEN_CACHE they set is replaced), and removed at the end.
PDF_CACHE = os.environ["POLICYGEN_CACHE"] = tempfile.mkdtemp(prefix="policygen-test-cache-")
AS_OF = dt.date(2026, 11, 25)  # 2018-07-06 in force, 2027-04-01 announced
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@dataclass
class Project:
    """A writable copy of the example project, with helpers to edit its source as text."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "policy_src"

    def path(self, relative: str) -> Path:
        return self.source / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str | bytes) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def replace(self, relative: str, old: str, new: str, count: int = 1) -> int:
        """Edit a source file; return the 1-based line where the edit starts."""
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        line = text[: text.index(old)].count("\n") + 1
        self.write(relative, text.replace(old, new, count))
        return line

    def line_of(self, relative: str, needle: str, start: int = 1) -> tuple[int, int]:
        for number, line in enumerate(self.read(relative).splitlines(), 1):
            if number >= start and needle in line:
                return number, line.index(needle) + 1
        raise AssertionError(f"{needle!r} not in {relative}")

    def lock(self, correct: str | None = None) -> list[str]:
        """`policygen lock`: lock new published versions, or record a correction."""
        from generator.record import store as lockstore
        from generator.source.convert import read

        policy, _, locate = read(self.source)
        return lockstore.record(policy, self.source, locate, AS_OF, correct)

    def relock(self) -> None:
        """Forget the lock and lock the source as it now stands: for tests whose subject is
        not the lock, as if the edited text had been published like this from the start
        (with each correction a version lists recorded as leaving its text as it was)."""
        import dataclasses

        from generator.record import lock
        from generator.record import store as lockstore
        from generator.source.convert import read

        (self.source / lockstore.LOCK_FILE).unlink()
        shutil.rmtree(self.source / lockstore.PUBLISHED_DIR)
        policy, _, locate = read(self.source)
        plain = dataclasses.replace(policy, versions=tuple(
            dataclasses.replace(v, corrections=(), postponements=()) for v in policy.versions))
        locked, _ = lock.locked_new(plain, lock.EMPTY, lockstore.made_by(policy), AS_OF, locate)
        for version in policy.versions:
            entry = locked.versions.get(version.id)
            if entry is not None and version.corrections:
                first = entry.revisions[0]
                locked.versions[version.id] = dataclasses.replace(entry, revisions=(first,) + tuple(
                    dataclasses.replace(first, correction=number)
                    for number in range(1, len(version.corrections) + 1)))
        lockstore.write(policy, self.source, locked)

    @property
    def layout(self) -> layout.Project:
        return layout.Project.at(self.root)

    def configure(self, **values: str) -> None:
        """Write deployment settings (policygen.yml), e.g. site_url="https://...". """
        self.layout.settings.write_text("".join(f"{key}: {value}\n"
                                                for key, value in values.items()))

    def build(self, out: Path | None = None, as_of: dt.date = AS_OF, drafts: bool = False,
              environ: dict | None = None, engine: str | None = None) -> pipeline.Built:
        chosen = settings.read(self.layout.settings)
        return pipeline.build(self.layout, pipeline.BuildOptions(
            out or self.root / "site", as_of, {"POLICYGEN_CACHE": PDF_CACHE, **(environ or {})},
            NOW, drafts=drafts, jobs=1,
            settings=dataclasses.replace(chosen, engine=engine or chosen.engine)))


def copy_project(target: Path) -> Project:
    layout.copy(ROOT, target)
    return Project(target)


def without_corrections(text: str) -> str:
    """A version file's text without its 'corrections' entries: what a new version copied
    from a corrected one must start from."""
    start = text.index("\ncorrections:\n") + 1
    end = start + len("corrections:\n")
    lines = text[end:].split("\n")
    kept = next((i for i, line in enumerate(lines) if line and not line.startswith(" ")),
                len(lines))
    return text[:start] + "\n".join(lines[kept:])


def add_third_version(project) -> None:
    """A later version that changes what a redline must show: a Japanese number and an
    English word, an officer, a retitled, a moved and a removed section, and whitespace."""
    text = without_corrections(project.read("versions/2027-04-01.yaml"))
    text = text.replace("id: 2027-04-01\neffective_date: 2027-04-01",
                        "id: 2028-01-01\neffective_date: 2028-01-01")
    text = text.replace("16歳未満", "18歳未満").replace("under 16 years", "under 18 years")
    text = text.replace("原崎 雅弘", "山田 花子").replace("Masahiro Harasaki", "Hanako Yamada")
    text = text.replace("ja: お子様によるサービスの利用", "ja: お子様の利用")
    text = text.replace("en: Use of services by children", "en: Children")
    text = text.replace("Also, please do not", "Also,  please do not")
    start, end = text.index("  - id: analytics\n"), text.index("  - id: children\n")
    text = text[:start] + text[end:]
    start, end = text.index("  - id: children\n"), text.index("  - id: acquisition\n")
    children = text[start:end]
    text = text[:start] + text[end:].rstrip("\n") + "\n\n" + children
    project.write("versions/2028-01-01.yaml", text)


ENGINES = settings.ENGINES
THREE_AS_OF = dt.date(2027, 5, 1)  # 2018-07-06 superseded, 2027-04-01 in force, 2028 announced


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


@dataclass
class Run:
    code: int
    out: str
    err: str


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
    "test_diff", "test_diff_rules", "test_diff_shortcuts", "test_help", "test_languages",
    "test_layers", "test_lock_mistakes", "test_model", "test_new_version", "test_properties",
    "test_pure_core", "test_readme_sections", "test_redline", "test_routes", "test_source",
    "test_status", "test_translations", "test_validate", "test_warnings", "test_workers",
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

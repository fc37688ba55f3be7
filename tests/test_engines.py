"""The site engine is behind one boundary: every engine builds the same pages with the same
text, the engine is chosen by a setting or --engine, and only the engine modules know it."""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core import i18n
from generator.core.model import timeline
from generator.outputs import api, pages, routes
from generator.site.engines import SiteBuildError
from generator.source.convert import load
from tests.helpers import ENGINES, ROOT, THREE_AS_OF, files_of
from tests.htmltext import article_text, tags

LANGUAGES = ("ja", "en")
OTHER_ENGINES = [engine for engine in ENGINES if engine != "mkdocs"]


def page_files(site: Path) -> set[str]:
    """Every page policygen planned, as the engine wrote it (its own 404 and search aside)."""
    return {p.relative_to(site).as_posix() for language in LANGUAGES
            for p in (site / language).rglob("index.html")}


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_every_engine_builds_the_pages_of_mkdocs_with_the_same_article_text(three_versions,
                                                                              engine):
    mkdocs, other = (three_versions(name).result.out_dir for name in ("mkdocs", engine))
    files = page_files(mkdocs)
    assert len(files) == 2 * 13  # per language: 3 versions, 2 redlines, 4 others, and
    # 2027-04-01 before each of its two corrections with the redline of each
    assert page_files(other) == files
    different = [name for name in sorted(files)
                 if article_text(mkdocs / name) != article_text(other / name)]
    assert different == []
    assert "安全管理" in article_text(other / "ja/index.html")


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_every_engine_publishes_the_files_policygen_writes_as_mkdocs_does(three_versions,
                                                                            engine):
    mkdocs, other = (three_versions(name).result.out_dir for name in ("mkdocs", engine))
    ours = ["index.html", "api/v1/policy.json", "api/v1/current.json", "ja/feed.xml",
            "en/assets/javascripts/compare.js", "ja/assets/stylesheets/policygen.css"]
    for name in ours:
        assert (mkdocs / name).read_bytes() == (other / name).read_bytes(), name


GENERATOR = re.compile(rb'<meta name="generator" content="mkdocs-([^"]*), mkdocs-material-')


def test_properdocs_builds_the_mkdocs_site_file_for_file_but_for_the_generator_tag(
        three_versions):
    """ProperDocs runs the mkdocs engine's build and Material, so its site is mkdocs's: every
    file, search index and sitemaps included, the same bytes once the tag naming the
    generator is set aside. This is why the tests of what a built site holds run on mkdocs
    and Zensical, and on ProperDocs only a few in the browser (tests/helpers.py)."""
    mkdocs, properdocs = (files_of(three_versions(engine).result.out_dir)
                          for engine in ("mkdocs", "properdocs"))
    assert properdocs.keys() == mkdocs.keys()
    assert {found for body in properdocs.values() for found in GENERATOR.findall(body)} == {
        b"ProperDocs 1.6.7"}
    different = [name for name, body in properdocs.items()
                 if GENERATOR.sub(b"", body) != GENERATOR.sub(b"", mkdocs[name])]
    assert different == []
    search = json.loads(properdocs["ja/search/search_index.json"])["config"]
    assert search["lang"] == ["ja"] and "fields" in search  # Material's search plugin's


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_warning_of_the_engine_fails_the_build_in_strict_mode(project, engine):
    # Logged by the engine's own build code: 'properdocs.commands.build' under ProperDocs.
    with (project.root / "mkdocs.yml").open("a", encoding="utf-8") as look:
        look.write("extra_templates:\n  - missing.html\n")
    with pytest.raises(SiteBuildError) as raised:
        project.build(engine=engine)
    assert "WARNING - Template skipped: 'missing.html' not found in docs_dir." in \
        raised.value.log
    assert "Aborted with 1 warnings in strict mode!" in str(raised.value)
    assert not (project.root / "site").exists()


def test_a_missing_engine_is_named_with_the_extra_that_installs_it(project, cli,
                                                                    monkeypatch):
    from generator.site import engines

    found = engines.importlib.util.find_spec
    monkeypatch.setattr(engines.importlib.util, "find_spec",
                        lambda name, *args: None if name == "properdocs" else found(name, *args))
    run = cli("build", "--engine", "properdocs", cwd=project.root)
    assert run.code == 2
    assert "the site engine 'properdocs' is not installed" in run.err
    assert "pip install 'policygen[properdocs]'" in run.err
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_404_page_names_languages_and_links_them_relative_to_itself(three_versions,
                                                                          engine):
    site = three_versions(engine).result.out_dir
    switcher = {link["hreflang"]: link["href"] for link in tags(site / "en/404.html", "a")
                if "md-select__link" in link.get("class", "")}
    assert switcher == {"ja": "../ja/", "en": "./"}  # never root-absolute (/ja/)
    text = (site / "en/404.html").read_text(encoding="utf-8")
    names = re.findall(r'class="md-select__link"[^>]*>\s*([^<]+?)\s*<', text)
    assert names == ["日本語", "English"]  # not the policy's titles


@pytest.mark.parametrize("engine", ENGINES)
def test_the_404_page_heading_is_in_the_language_of_its_site(three_versions, engine):
    site = three_versions(engine).result.out_dir
    pages = {language: (site / language / "404.html").read_text(encoding="utf-8")
             for language in LANGUAGES}
    headings = {language: re.findall(r"<h1>\s*([^<]*?)\s*</h1>", page)
                for language, page in pages.items()}
    assert headings == {"ja": ["404 - ページが見つかりません"], "en": ["404 - Not found"]}


def test_zensical_pages_carry_no_canonical_link_without_a_site_url(three_versions):
    page = three_versions("zensical").result.out_dir / "en/versions/2018-07-06/index.html"
    assert [t for t in tags(page, "link") if t.get("rel") == "canonical"] == []


def test_the_engine_is_chosen_in_policygen_yml_and_overridden_by_the_command_line(project,
                                                                                   cli):
    project.configure(engine="zensical")
    assert cli("build", "--out", "z", cwd=project.root).code == 0
    assert (project.root / "z/ja/search.json").is_file()  # Zensical's search index
    assert cli("build", "--out", "m", "--engine", "mkdocs", cwd=project.root).code == 0
    assert (project.root / "m/ja/search/search_index.json").is_file()  # Material's


def test_a_wrong_setting_is_reported_at_its_line_and_nothing_is_built(project, cli):
    project.configure(site_url="https://policy.example/", engine="hugo")
    run = cli("build", cwd=project.root)
    assert run.code == 2
    assert "policygen.yml:2:9: unknown engine 'hugo'; choose one of mkdocs, zensical, " \
        "properdocs" in run.err
    assert "Traceback" not in run.err
    assert not (project.root / "site").exists()


def test_a_single_version_site_publishes_no_compare_page_and_no_compare_url():
    policy = load(ROOT / "policy_src")
    policy = dataclasses.replace(policy, versions=policy.versions[:1])
    line = timeline(policy, THREE_AS_OF)
    catalogs = i18n.read_catalogs(ROOT / "locales", policy.info.languages)
    outputs = api.Outputs(api.version_documents(policy, line), {}, {})
    sites = pages.plan_site(policy, line, outputs.documents, {}, catalogs)
    urls = {page.url for site in sites for page in site.pages}
    assert routes.compare_url("en") not in urls and routes.compare_url("ja") not in urls
    assert api.index(policy, line, outputs, None)["compare"] is None


def test_only_the_engine_modules_import_the_engines():
    found = subprocess.run(
        ["grep", "-rlE", r"^\s*(import|from) (mkdocs|properdocs|zensical)\b", "generator"],
        cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert sorted(found) == ["generator/site/engines/mkdocs.py",
                             "generator/site/engines/properdocs.py"]  # Zensical: a process


def test_on_a_known_host_the_404_page_links_every_language_absolutely():
    from generator.outputs.pages import Alternate, LanguageSite
    from generator.site.engines import EngineSettings, languages_home

    homes = (Alternate("ja", "日本語", "ja/"), Alternate("en", "English", "en/"))
    settings = EngineSettings(ROOT / "mkdocs.yml", ROOT / "site_overrides/mkdocs",
                              "https://policy.example/privacy/", 0, homes)
    assert [(entry["href"], entry["current"]) for entry in
            languages_home(LanguageSite("en", "Privacy Policy", ()), settings)] == [
        ("https://policy.example/privacy/ja/", False),
        ("https://policy.example/privacy/en/", True)]


def test_the_templates_both_engines_read_alike_are_written_once_and_reached_without_links():
    """site_overrides/shared/ is read by both engines after their own folder: no copy that
    would drift, and no symbolic link, which a Windows checkout turns into a text file."""
    overrides = ROOT / "site_overrides"
    shared = sorted(p.relative_to(overrides / "shared").as_posix()
                    for p in (overrides / "shared").rglob("*.html"))
    assert shared == ["404.html", "main.html", "partials/alternate.html", "partials/footer.html",
                      "partials/language.html"]
    assert [p for p in overrides.rglob("*") if p.is_symlink()] == []
    for engine in ENGINES:
        assert not any((overrides / engine / name).exists() for name in shared)
    tracked = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True,
                             text=True)
    if tracked.returncode == 0:  # a checkout (CI's clean clone is one)
        assert [line for line in tracked.stdout.splitlines() if line.startswith("120000")] == []


def test_a_template_link_checked_out_as_a_text_file_is_refused_at_its_place(project, cli):
    link = project.root / "site_overrides/mkdocs/main.html"
    link.write_text("../shared/main.html")  # what git writes for a link on Windows
    run = cli("build", cwd=project.root)
    assert run.code == 2 and not (project.root / "site").exists()
    assert "site_overrides/mkdocs/main.html:1:1: this template holds only the path " \
        "'../shared/main.html': a symbolic link checked out as a text file" in run.err
    assert "delete it if it names a file of site_overrides/shared/" in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("package", ["mkdocs", "properdocs"])
def test_the_build_steps_the_mkdocs_engine_copies_are_the_installed_packages_own(package):
    # In a process of its own: ProperDocs is mkdocs there only after its replacement.
    replace = "import properdocs.replacement; " if package == "properdocs" else ""
    changed = subprocess.run(
        [sys.executable, "-c", f"{replace}from generator.site.engines import mkdocs; "
         "print(*mkdocs.changed_since_mirrored())"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert changed == [], f"{package} changed the code _build copies: read it again, then " \
        "record the new hashes in MIRRORED"

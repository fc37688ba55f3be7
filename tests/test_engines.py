"""The site engine is behind one boundary: both engines build the same pages with the same
text, the engine is chosen by a setting or --engine, and only the engine modules know it."""
from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from generator.core import i18n
from generator.core.model import timeline
from generator.outputs import api, pages, routes
from generator.source.convert import load
from tests.helpers import ENGINES, ROOT, THREE_AS_OF
from tests.htmltext import article_text, tags

LANGUAGES = ("ja", "en")


def page_files(site: Path) -> set[str]:
    """Every page policygen planned, as the engine wrote it (its own 404 and search aside)."""
    return {p.relative_to(site).as_posix() for language in LANGUAGES
            for p in (site / language).rglob("index.html")}


def test_both_engines_build_the_same_pages_with_the_same_article_text(three_versions):
    mkdocs, zensical = (three_versions(engine).result.out_dir for engine in ENGINES)
    files = page_files(mkdocs)
    assert len(files) == 2 * 11  # per language: 3 versions, 2 redlines, 4 others, and
    # 2027-04-01 before its correction with the redline of the correction
    assert page_files(zensical) == files
    different = [name for name in sorted(files)
                 if article_text(mkdocs / name) != article_text(zensical / name)]
    assert different == []
    assert "安全管理" in article_text(zensical / "ja/index.html")


def test_both_engines_publish_the_same_files_policygen_writes(three_versions):
    built = [three_versions(engine).result.out_dir for engine in ENGINES]
    ours = ["index.html", "api/v1/policy.json", "api/v1/current.json", "ja/feed.xml",
            "en/assets/javascripts/compare.js", "ja/assets/stylesheets/policygen.css"]
    for name in ours:
        assert (built[0] / name).read_bytes() == (built[1] / name).read_bytes(), name


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
    assert "policygen.yml:2:9: unknown engine 'hugo'; choose one of mkdocs, zensical" in run.err
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


def test_only_the_mkdocs_engine_module_imports_mkdocs():
    found = subprocess.run(["grep", "-rl", r"import mkdocs\|from mkdocs", "generator"],
                           cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert found == ["generator/site/engines/mkdocs.py"]


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
    assert shared == ["404.html", "main.html", "partials/alternate.html", "partials/language.html"]
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


def test_the_build_steps_the_mkdocs_engine_copies_are_the_installed_mkdocs_own():
    import hashlib
    import importlib
    import inspect

    from generator.site.engines import mkdocs as engine

    changed = []
    for name, recorded in engine.MIRRORED.items():
        module, _, function = name.rpartition(".")
        source = inspect.getsource(getattr(importlib.import_module(module), function))
        if hashlib.sha256(source.encode()).hexdigest()[:16] != recorded:
            changed.append(name)
    assert changed == [], "mkdocs changed the code _build copies: read it again, then " \
        "record the new hashes in MIRRORED"

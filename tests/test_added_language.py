"""A language added to the published versions the company chooses: French is listed in
policy.yaml and given to 2027-04-01 only; 2018-07-06, published and locked long before, stays
in Japanese and English, and the French site says so instead of linking what does not exist."""
from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from generator.core import i18n
from generator.outputs.routes import before_correction_url, correction_url
from generator.record import lock
from tests.helpers import AS_OF, copy_project
from tests.htmltext import article_text, tags
from tests.languages_added import add_language, without
from tests.oracles import walk

OLD, NEW = "2018-07-06", "2027-04-01"
HOST = "https://policy.example/"


def locked_hashes(project) -> dict[str, dict[str, str]]:
    data = json.loads(project.read("policy.lock"))
    return {version_id: {language: text["sha256"]
                         for language, text in entry["revisions"][-1]["documents"].items()}
            for version_id, entry in data["versions"].items()}


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    """The example with French added to 2027-04-01, locked, and built with a site URL."""
    project = copy_project(tmp_path_factory.mktemp("french"))
    before = locked_hashes(project)
    add_language(project, "fr", "Politique de confidentialité", (NEW,))
    done = project.lock()
    project.configure(site_url=HOST)
    project.build()
    return project, before, done


@pytest.fixture
def added(project):
    """A private copy with French added to 2027-04-01 and not yet locked, to edit."""
    add_language(project, "fr", "Politique de confidentialité", (NEW,))
    return project


def copy_of(french, target: Path):
    """A private copy of the French project, to edit."""
    project = copy_project(target)
    shutil.rmtree(project.source)
    shutil.copytree(french[0].source, project.source)
    return project


def site(french) -> Path:
    return french[0].root / "site"


def switcher(page: Path) -> list[str]:
    return [a["hreflang"] for a in tags(page, "a") if "md-select__link" in a.get("class", "")]


# --- the rule ---------------------------------------------------------------------------

def test_a_locked_version_may_stay_without_a_language_added_later(added, cli):
    run = cli("validate", cwd=added.root)
    assert run.code == 2  # the new French text is not locked yet, and says how to lock it
    assert f"published version {NEW} has a 'fr' text that is not locked yet" in run.err
    assert OLD not in run.err
    added.lock()
    run = cli("validate", cwd=added.root)
    assert run.code == 0, run.err
    assert run.out == ("policy_src: OK (2 versions, 3 languages)\n"
                       f"'fr' is not in version {OLD} (locked before 'fr' was added): its "
                       "archive lists it as not available, linking the 'ja' text\n")


def test_a_version_translated_in_part_is_refused_text_by_text(added, cli):
    line = added.replace(f"versions/{NEW}.yaml", "    fr: la société ISAO\n", "")
    run = cli("validate", cwd=added.root)
    assert run.code == 2
    assert re.search(rf"versions/{NEW}\.yaml:{line - 2}:\d+: 'company' of 'facts' of version "
                     f"{NEW} has no 'fr' translation: a published version is complete in every "
                     "language it is published in; add a line 'fr: ...'", run.err), run.err


def test_a_draft_not_yet_translated_validates_with_a_warning_at_each_text(added, cli):
    added.lock()
    assert cli("new-version", "2028-04-01", "--from", OLD, cwd=added.root).code == 0
    run = cli("validate", cwd=added.root)
    assert run.code == 0, run.err
    assert "versions/2028-04-01.yaml" in run.err
    assert "warning: facts.company of 2028-04-01 has no 'fr' translation" in run.err
    assert OLD + ".yaml" not in run.err


def test_a_version_is_first_locked_in_every_language(project, cli):
    add_language(project, "fr", "Politique de confidentialité", ())
    assert cli("new-version", "2028-04-01", "--from", NEW, cwd=project.root).code == 0
    relative = "versions/2028-04-01.yaml"
    project.write(relative, project.read(relative).replace("status: draft",
                                                           "status: published").replace(
        "summary:\n", "summary:\n  ja: 改定\n  en: Revised\n"))
    run = cli("lock", cwd=project.root)
    assert run.code == 2
    line = project.line_of(relative, "status: published")[0]
    assert f"{relative}:{line}:9: version 2028-04-01 is locked for the first time but " \
           "has no 'fr' text: a version is first published in every language of the " \
           "policy" in run.err
    assert "2028-04-01" not in project.read("policy.lock")


def test_the_authoritative_text_is_required_even_in_a_locked_version(project, cli):
    relative = f"versions/{OLD}.yaml"
    project.write(relative, without(project.read(relative), "ja"))
    run = cli("validate", cwd=project.root)
    assert run.code == 2
    assert f"'company' of 'facts' of version {OLD} has no 'ja' translation" in run.err


def test_a_locked_language_can_never_be_removed(french, tmp_path, cli):
    project = copy_of(french, tmp_path)
    project.write(f"versions/{NEW}.yaml", without(project.read(f"versions/{NEW}.yaml"), "fr"))
    run = cli("validate", cwd=project.root)
    assert run.code == 2
    line = project.line_of("policy.lock", f'"{NEW}": {{')[0]
    assert f"policy_src/policy.lock:{line}:3: published version {NEW} no longer gives its " \
           "'fr' text, which the lock records: a locked language can never be removed; " \
           f"restore the 'fr' texts of versions/{NEW}.yaml" in run.err


def test_diff_in_a_language_a_version_lacks_says_which_languages_it_has(french, cli):
    run = cli("diff", OLD, NEW, "--lang", "fr", cwd=french[0].root)
    assert run.code == 2 and run.out == ""
    assert run.err == (f"policygen: version {OLD} has no 'fr' text (it was locked before 'fr' "
                       "was added); compare in ja or en\n")


def test_translations_say_the_version_in_force_is_not_published_in_the_language(french, cli):
    run = cli("translations", "--lang", "fr", "--as-of", "2026-11-25", cwd=french[0].root)
    assert run.code == 0
    assert run.out == (f"{OLD} (in force) fr: not published in this language (locked before "
                       "it was added)\n")


# --- the lock ---------------------------------------------------------------------------

def test_lock_records_the_addition_with_its_day_and_leaves_every_other_hash(french):
    project, before, done = french
    assert done == [f"added 'fr' to version {NEW} on {AS_OF}"]
    after = locked_hashes(project)
    assert after[OLD] == before[OLD]  # ja and en of 2018-07-06, and no fr
    assert {code: after[NEW][code] for code in ("ja", "en")} == before[NEW]
    assert set(after[NEW]) == {"ja", "en", "fr"}
    entries = lock.loads(project.read("policy.lock"), "policy.lock").versions
    assert entries[NEW].added == {"fr": AS_OF} and entries[OLD].added == {}


def test_the_added_text_is_then_locked_like_any_other(french, tmp_path, cli):
    project = copy_of(french, tmp_path)
    line = project.replace(f"versions/{NEW}.yaml", "    fr: la société ISAO",
                           "    fr: la société ISAO SA")
    run = cli("validate", cwd=project.root)
    assert run.code == 2
    assert f"versions/{NEW}.yaml:{line}:9: published version {NEW} (fr) differs from its " \
           "locked text" in run.err


# --- the site -----------------------------------------------------------------------------

def test_the_french_page_says_since_when_the_translation_exists(french):
    text = article_text(site(french) / f"fr/versions/{NEW}/index.html")
    assert f"Cette traduction a été ajoutée le {i18n.format_date(AS_OF, 'fr')}." in text
    assert "la société ISAO" in text
    assert "Texte qui fait foi : japonais." in text  # a language named inside a sentence


def test_the_french_archive_lists_the_older_version_as_not_available(french):
    archive = site(french) / "fr/versions/index.html"
    row = next(t for t in re.findall(r"<tr id=\"version-[^\"]+\">.*?</tr>",
                                     archive.read_text(encoding="utf-8"), re.S)
               if f"version-{OLD}" in t)
    assert "pg-unavailable" in row and f'href="../../ja/versions/{OLD}/"' in row
    assert f"versions/{OLD}/" not in row.replace(f"ja/versions/{OLD}/", "")
    assert (site(french) / f"ja/versions/{OLD}/index.html").is_file()
    assert f'href="{NEW}/"' in archive.read_text(encoding="utf-8")


def test_no_french_page_pdf_or_document_exists_for_the_older_version(french):
    root = site(french)
    assert not (root / f"fr/versions/{OLD}").exists()
    assert not (root / f"api/v1/versions/{OLD}/fr.json").exists()
    assert not list(root.glob(f"api/v1/versions/{OLD}/fr.*"))
    assert not (root / f"fr/changes/{NEW}").exists()  # nothing in French before it
    assert (root / f"fr/versions/{NEW}/goalous-privacy-{NEW}-fr.pdf").is_file()
    assert (root / f"en/changes/{NEW}/index.html").is_file()


def test_every_link_of_the_site_resolves(french):
    broken, checked = walk(site(french))
    assert broken == [] and checked > 500


def test_the_switcher_offers_only_the_languages_a_version_has(french):
    root = site(french)
    assert switcher(root / f"ja/versions/{OLD}/index.html") == ["ja", "en"]
    assert switcher(root / f"ja/versions/{NEW}/index.html") == ["ja", "en", "fr"]
    assert switcher(root / f"en/changes/{NEW}/index.html") == ["ja", "en"]
    assert switcher(root / "fr/versions/index.html") == ["ja", "en", "fr"]


def test_a_correction_made_before_french_was_added_has_no_french_earlier_text(french):
    root = site(french)
    before = root / before_correction_url("ja", NEW, 1)
    assert (before / "index.html").is_file()
    assert switcher(before / "index.html") == ["ja", "en"]
    assert not (root / before_correction_url("fr", NEW, 1)).exists()
    assert not (root / correction_url("fr", NEW, 1)).exists()
    page = root / f"fr/versions/{NEW}/index.html"
    assert "pg-corrections" in page.read_text(encoding="utf-8")  # the correction is listed


def test_the_french_home_says_the_version_in_force_is_in_japanese(french):
    home = site(french) / "fr/index.html"
    text = article_text(home)
    assert "pg-original" in home.read_text(encoding="utf-8")
    links = [a["href"] for a in tags(home, "a") if "pg-original" in a.get("class", "")]
    assert links == [f"../ja/versions/{OLD}/"]
    assert "la société ISAO" not in text  # no text of another version passed off as in force


def test_a_postponed_version_without_french_is_announced_on_the_french_home(
        project, cli, monkeypatch):
    """The postponement's reason has no French either: the notice gives the new date and
    links the authoritative text (the build failed with a traceback on the reason)."""
    from tests.helpers import NOW, POSTPONEMENT

    # 2026-11-25, the day the version was announced (1764072000 was 2025-11-25: a build for a
    # day before the announcement, which the record as it stood then does not hold).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    add_language(project, "fr", "Politique de confidentialité", ())
    project.replace(f"versions/{NEW}.yaml", f"effective_date: {NEW}", "effective_date: 2027-05-01")
    project.write(f"versions/{NEW}.yaml", project.read(f"versions/{NEW}.yaml") + POSTPONEMENT)
    assert cli("lock", "--postpone", NEW, cwd=project.root).code == 0
    run = cli("build", cwd=project.root)
    assert run.code == 0, run.err
    home = project.root / "site/fr/index.html"
    notice = article_text(home)
    assert "1 mai 2027" in notice and "Non disponible dans cette langue." in notice
    assert [a["href"] for a in tags(home, "a") if "pg-original" in a.get("class", "")] == [
        f"../ja/versions/{OLD}/", f"../ja/versions/{NEW}/"]


def test_the_french_compare_page_offers_only_what_exists(french):
    page = site(french) / "fr/compare/index.html"
    assert tags(page, "option") == []
    assert len(tags(site(french) / "en/compare/index.html", "option")) == 4


@pytest.mark.parametrize("shared", [f"?from={OLD}&to={NEW}", f"?from={NEW}&to={OLD}"])
def test_a_shared_compare_address_naming_a_version_without_french_says_so(french, browser,
                                                                        shared):
    from tests.browser import serve

    with serve(site(french)) as base:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        failed = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(f"{base}fr/compare/{shared}")
        notice = page.locator("#pg-compare-result .pg-compare-unavailable")
        assert notice.inner_text() == ("La version du 6 juillet 2018 n’est pas disponible dans "
                                       "cette langue. Lire le texte original (japonais)")
        notice.locator("a.pg-original").click()
        page.wait_for_load_state()
        assert page.url == f"{base}ja/versions/{OLD}/"
        assert failed == []
        page.close()


def test_the_api_index_says_which_languages_each_version_has(french):
    root = site(french)
    index = json.loads((root / "api/v1/policy.json").read_bytes())
    versions = {v["id"]: v for v in index["versions"]}
    assert index["languages"] == ["ja", "en", "fr"]
    assert versions[OLD]["languages"] == ["ja", "en"]
    assert set(versions[OLD]["documents"]) == {"ja", "en"}
    assert versions[NEW]["languages"] == ["ja", "en", "fr"]
    assert set(versions[NEW]["changes"]) == {"ja", "en"}
    current = json.loads((root / "api/v1/current.json").read_bytes())
    assert set(current["current"]["sha256"]) == {"ja", "en"}


def test_feed_and_sitemap_of_french_name_only_what_exists(french):
    root = site(french)
    feed = feedparser.parse((root / "fr/feed.xml").read_bytes())
    assert not feed.bozo
    assert [entry.link for entry in feed.entries] == [f"{HOST}fr/versions/{NEW}/"]
    assert all(link.rel != "related" for link in feed.entries[0].links)
    sitemap = gzip.decompress((root / "fr/sitemap.xml.gz").read_bytes()).decode()
    assert f"fr/versions/{OLD}/" not in sitemap and f"fr/versions/{NEW}/" in sitemap
    japanese = (root / "ja/sitemap.xml").read_text(encoding="utf-8")
    assert f'hreflang="fr" href="{HOST}fr/versions/{OLD}/"' not in japanese
    assert f'hreflang="fr" href="{HOST}fr/versions/{NEW}/"' in japanese


def test_status_shows_the_older_version_has_no_french(french, cli):
    run = cli("status", cwd=french[0].root)
    assert re.search(rf"{OLD} .* complete +none\n", run.out), run.out
    assert re.search(rf"{NEW} .* complete +complete\n", run.out), run.out


def test_a_reader_of_the_french_archive_reaches_the_japanese_text_on_a_phone(french, browser):
    from tests.browser import serve

    with serve(site(french)) as base:
        page = browser.new_page(viewport={"width": 375, "height": 800}, is_mobile=True)
        failed = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(base + "fr/versions/")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        row = page.locator(f"#version-{OLD}")
        assert row.locator(".pg-unavailable").inner_text() == "Non disponible dans cette langue."
        row.locator("a.pg-original").click()
        page.wait_for_load_state()
        assert page.url == f"{base}ja/versions/{OLD}/"
        assert page.get_attribute("html", "lang") == "ja"
        assert failed == []
        page.close()

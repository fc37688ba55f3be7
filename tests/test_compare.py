"""Comparing any two versions in the browser: the same diff as generator/core/diff.py, over the
published JSON documents, so it stays static and small with any number of versions."""
from __future__ import annotations

import itertools
import re

import pytest

from generator.core import diff
from tests.browser import serve
from tests.helpers import JA_16, JA_18, add_third_version, copy_project, draft
from tests.htmltext import normalize
from tests.oracles import browser_shape

LANGUAGES = ("ja", "en")
VERSIONS = ("2018-07-06", "2027-04-01", "2028-01-01")


# The third version adds a table to a text and moves a link's target, which the compare page
# must show as the redline page does: the table cell by cell, the link old -> new.
TABLE = ("\n\n        | Data | Purpose |\n        |:--|--:|\n"
         "        | e-mail | *answering* [inquiries](#inquiries) |\n        | phone | calls |")


def with_table_and_link(project) -> None:
    version = "versions/2028-01-01.yaml"
    project.replace(version, "      en: We deal with the following information strictly as "
                    "personal information.", "      en: |\n        We deal with the following "
                    "information strictly as personal information." + TABLE)
    project.replace(version, "https://www.ppc.go.jp/", "https://www.ppc.go.jp/en/", count=2)


@pytest.fixture(scope="module")
def site(tmp_path_factory, browser):
    project = copy_project(tmp_path_factory.mktemp("three"))
    add_third_version(project)
    with_table_and_link(project)
    project.lock()
    built = project.build()
    with serve(built.result.out_dir) as base:
        yield project, built, base


def python_diff(policy, old: str, new: str, language: str) -> dict:
    return browser_shape(diff.compare(policy.version(old), policy.version(new), language))


BROWSER_DIFF = """async ([old, next]) => {
  const form = document.querySelector("form.pg-compare");
  const load = (id) => fetch(form.dataset.documents + id + "/" + form.dataset.folder + ".json")
    .then((response) => response.json());
  const rules = window.policygen.compile(JSON.parse(form.dataset.rules));
  return window.policygen.compare(await load(old), await load(next), rules);
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_browser_compare_equals_the_python_diff_for_every_pair_either_way(site, browser,
                                                                          language):
    project, built, base = site
    page = browser.new_page()
    page.goto(f"{base}{language}/compare/")
    pairs = list(itertools.permutations(VERSIONS, 2))
    for old, new in pairs:
        got = page.evaluate(BROWSER_DIFF, [old, new])
        assert got == python_diff(built.policy, old, new, language), (old, new)
    page.close()


def test_the_third_version_exercises_every_kind_of_change(site):
    _, built, _ = site
    change = python_diff(built.policy, "2018-07-06", "2028-01-01", "ja")
    statuses = {s["id"]: s for s in change["sections"]}
    assert statuses["safety-measures"]["status"] == "added"
    assert statuses["analytics"]["status"] == "removed"
    assert statuses["children"]["moved"] and statuses["children"]["newTitle"] == "お子様の利用"
    # 2027-04-01, copied for the third version, states the head office's address
    assert [f["field"] for f in change["facts"]] == ["officer.name", "address"]
    segments = statuses["children"]["body"]["segments"]
    assert ["delete", "16"] in segments and ["insert", "18"] in segments
    later = {s["id"]: s for s in python_diff(built.policy, "2027-04-01", "2028-01-01", "en")[
        "sections"]}
    [table] = [b for b in later["scope"]["body"]["blocks"] if b["rows"]]
    assert [row["op"] for row in table["rows"]] == ["insert"] * 3
    assert [f["field"] for f in later["storage-location"]["fields"]] == [
        "link:Personal Information Protection Commission"]


def marks(page, selector: str) -> list[str]:
    texts = page.eval_on_selector_all(selector, "els => els.map(e => e.tagName + e.textContent)")
    return [normalize(re.sub(r"\s+", " ", text)).strip() for text in texts]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compare_page_marks_what_the_redline_page_marks(site, browser, language):
    _, _, base = site
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}{language}/compare/?from=2027-04-01&to=2028-01-01")
    page.wait_for_selector("#pg-compare-result h2")
    compared = marks(page, "#pg-compare-result ins:not(.pg-legend *), "
                           "#pg-compare-result del:not(.pg-legend *)")
    notes = marks(page, "#pg-compare-result .pg-change-notes")
    page.goto(f"{base}{language}/changes/2028-01-01/")
    redline = marks(page, "article ins:not(.pg-legend *), article del:not(.pg-legend *)")
    assert compared == redline and len(compared) >= 5
    assert notes == marks(page, "article .pg-change-notes")
    assert errors == []
    page.close()


def test_compare_form_keeps_the_choice_in_the_address_and_refuses_one_version(site, browser):
    _, _, base = site
    page = browser.new_page()
    page.goto(f"{base}en/compare/")
    page.select_option("#pg-from", "2018-07-06")
    page.select_option("#pg-to", "2028-01-01")
    page.click("form.pg-compare button[type=submit]")
    page.wait_for_url("**/compare/?from=2018-07-06&to=2028-01-01")
    page.wait_for_selector("#pg-compare-result h2")
    assert "from=2018-07-06" in page.url and "to=2028-01-01" in page.url
    assert "July 6, 2018" in page.inner_text("#pg-compare-result h2")
    page.goto(f"{base}en/compare/?from=2027-04-01&to=2027-04-01")
    page.wait_for_function("document.getElementById('pg-compare-result').textContent")
    assert page.inner_text("#pg-compare-result") == "Choose two different versions."
    page.close()


def test_compare_page_lists_every_version_and_defaults_to_the_latest_change(site):
    _, built, _ = site
    html = (built.result.out_dir / "en/compare/index.html").read_text(encoding="utf-8")
    assert html.count('<option value="') == 2 * len(VERSIONS)
    assert re.search(r'<option value="2027-04-01" [^>]*selected>', html)
    assert re.search(r'<option value="2028-01-01" [^>]*selected>', html)
    assert "<noscript>" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_latest_change_shows_at_once_headed_by_links_to_both_versions_with_a_legend(
        site, browser, language):
    _, _, base = site
    page = browser.new_page()
    page.goto(f"{base}{language}/compare/")  # no choice made, no button pressed
    page.wait_for_selector("#pg-compare-result h2")
    links = page.eval_on_selector_all("#pg-compare-result h2 a", "as => as.map(a => a.href)")
    assert [link.split("/")[-2] for link in links] == ["2027-04-01", "2028-01-01"]
    legend = page.locator("#pg-compare-result .pg-legend")
    assert legend.locator("del").count() == 1 and legend.locator("ins").count() == 1
    assert page.locator("#pg-compare-result .pg-swapped").count() == 0
    page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reversed_pair_is_swapped_with_a_note_and_the_later_versions_summary(
        site, browser, language):
    project, _, base = site
    from generator.source.convert import load

    summary = load(project.source).version("2028-01-01").summary[language]
    page = browser.new_page()
    page.goto(f"{base}{language}/compare/?from=2028-01-01&to=2018-07-06")
    page.wait_for_selector("#pg-compare-result h2")
    assert page.locator("#pg-compare-result .pg-swapped").is_visible()
    assert [page.input_value("#pg-from"), page.input_value("#pg-to")] == \
        ["2018-07-06", "2028-01-01"]
    # The address now names what is shown: shared or reloaded, it shows the same.
    assert page.url.endswith("compare/?from=2018-07-06&to=2028-01-01")
    assert normalize(page.inner_text("#pg-compare-result .pg-summary")) == normalize(summary)
    links = page.eval_on_selector_all("#pg-compare-result h2 a", "as => as.map(a => a.href)")
    assert [link.split("/")[-2] for link in links] == ["2018-07-06", "2028-01-01"]
    page.reload()
    page.wait_for_selector("#pg-compare-result h2")
    assert page.locator("#pg-compare-result .pg-swapped").count() == 0
    assert "2018-07-06" in page.eval_on_selector("#pg-compare-result h2 a", "a => a.href")
    page.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_selects_are_finger_sized_with_their_labels_beside_them(site, browser, width):
    _, _, base = site
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(f"{base}ja/compare/")
    page.wait_for_selector("#pg-compare-result h2")
    for field in ("pg-from", "pg-to"):
        select = page.locator(f"#{field}").bounding_box()
        label = page.locator(f"label[for={field}]").bounding_box()
        assert select["height"] >= 44
        # on one line: the label beside its select, not above it
        assert label["x"] + label["width"] <= select["x"]
        assert select["y"] <= label["y"] + label["height"] / 2 <= select["y"] + select["height"]
    assert page.locator("form.pg-compare button").bounding_box()["height"] >= 44
    page.close()


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory):
    """A draft whose Japanese text changed where its English did not (a preview build)."""
    project = copy_project(tmp_path_factory.mktemp("stale"))
    draft(project, (JA_16, JA_18))
    built = project.build(out=project.root / "preview", drafts=True)
    with serve(built.result.out_dir) as base:
        yield base


def notes_shown(browser, address: str, selector: str) -> list[str]:
    page = browser.new_page()
    page.goto(address)
    if "compare/" in address:
        page.wait_for_selector("#pg-compare-result h2")
    notes = marks(page, selector)
    page.close()
    return notes


@pytest.mark.parametrize("language", LANGUAGES)
def test_compare_page_says_translation_not_updated_where_the_redline_page_does(
        stale_site, browser, language):
    compared = notes_shown(browser, f"{stale_site}{language}/compare/?from=2027-04-01"
                           "&to=2028-04-01", "#pg-compare-result .pg-change-notes")
    redline = notes_shown(browser, f"{stale_site}{language}/changes/2028-04-01/",
                          "article .pg-change-notes")
    assert compared == redline
    assert ("P" + "translation not updated" in compared) == (language == "en"), compared


def test_compare_page_claims_no_stale_translation_for_a_pair_no_redline_describes(
        stale_site, browser):
    notes = notes_shown(browser, f"{stale_site}en/compare/?from=2018-07-06&to=2028-04-01",
                        "#pg-compare-result .pg-change-notes")
    assert notes and not any("translation not updated" in note for note in notes)

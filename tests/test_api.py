"""The JSON API and the feeds, as an app and a feed reader use them."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from urllib.parse import urljoin, urlparse

import feedparser
import pytest

from generator.core import diff, documents, i18n
from generator.source.convert import load
from tests.helpers import AS_OF, copy_project, read_json, without_corrections
from tests.htmltext import tags
from tests.oracles import validator

LANGUAGES = ("ja", "en")
VERSIONS = ("2018-07-06", "2027-04-01")
HOST = "https://policy.example/"
INDEX_URL = HOST + "api/v1/policy.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("example"))
    project.build()
    return project.root / "site"


def local(site: Path, url: str) -> Path:
    """The file a URL on HOST names in the built site."""
    assert url.startswith(HOST), url
    path = site / urlparse(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def hashes(site: Path) -> dict[tuple[str, str], str]:
    index = read_json(site / "api/v1/policy.json")
    return {(v["id"], code): doc["sha256"]
            for v in index["versions"] for code, doc in v["documents"].items()}


def test_every_published_document_is_valid_against_the_schema_it_names(built):
    published = sorted((built / "api/v1").rglob("*.json"))
    checked = 0
    for path in published:
        if "schema" in path.relative_to(built / "api/v1").parts or path.name == "openapi.json":
            continue  # openapi.json is OpenAPI's to check (test_openapi.py)
        data = read_json(path)
        errors = list(validator(built, path, data).iter_errors(data))
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].path)}"
        checked += 1
    # the index, current.json, 2 versions x 2 languages (also under their hashes, and
    # 2027-04-01's texts before each of its 2 corrections), 2 changes
    assert checked == 1 + 1 + 4 + 4 + 2 * 2 + 2


def test_the_schemas_reject_a_document_that_breaks_the_contract(built):
    path = built / "api/v1/policy.json"
    data = read_json(path)
    data["versions"][0]["documents"]["en"]["sha256"] = "not a hash"
    assert not validator(built, path, data).is_valid(data)


def test_index_tells_an_app_what_is_in_force_and_what_is_announced(built):
    index = read_json(built / "api/v1/policy.json")
    assert index["schema_version"].startswith("1.")
    assert index["current"] == "2018-07-06" and index["upcoming"] == "2027-04-01"
    assert index["languages"] == list(LANGUAGES) and index["authoritative_language"] == "ja"
    assert [v["id"] for v in index["versions"]] == list(VERSIONS)
    assert [v["status"] for v in index["versions"]] == ["current", "upcoming"]
    assert index["versions"][0]["changes"] is None
    assert index["policy"]["title"] == {"ja": "プライバシーポリシー", "en": "Privacy Policy"}


def test_every_hash_in_the_index_is_the_sha256_of_the_published_bytes(built):
    index_path = built / "api/v1/policy.json"
    index = read_json(index_path)
    for version in index["versions"]:
        for entry in version["documents"].values():
            content = local(built, urljoin(INDEX_URL, entry["json"])).read_bytes()
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
            assert len(content) == entry["bytes"]


def test_every_link_in_the_index_resolves_against_the_index_url(built):
    index = read_json(built / "api/v1/policy.json")
    links = [index["feeds"][code] for code in LANGUAGES]
    links += [index["compare"][code] for code in LANGUAGES] + [index["current_document"]]
    for version in index["versions"]:
        for entry in version["documents"].values():
            links += [entry["html"], entry["json"]]
        for entry in (version["changes"] or {}).values():
            links += [entry["html"], entry["json"]]
    assert len(links) == 4 + 1 + 8 + 4
    for link in links:
        assert not urlparse(link).scheme, link  # no site_url configured: relative links
        assert local(built, urljoin(INDEX_URL, link)).is_file(), link


def test_current_document_names_the_text_in_force_and_the_announced_version(built):
    """What an app polls: the same answer as the index, in a fraction of its bytes."""
    current_url = urljoin(INDEX_URL, read_json(built / "api/v1/policy.json")["current_document"])
    assert current_url == HOST + "api/v1/current.json"
    current = read_json(local(built, current_url))
    assert current["current"]["id"] == "2018-07-06"
    assert current["current"]["reconsent_required"] is False
    upcoming = current["upcoming"]
    assert {key: upcoming[key] for key in ("id", "sequence", "effective_date", "effective_at",
                                           "reconsent_required", "draft", "postponed_from")} \
        == {"id": "2027-04-01", "sequence": 2, "effective_date": "2027-04-01",
            "effective_at": "2027-04-01T00:00:00+09:00", "reconsent_required": False,
            "draft": False, "postponed_from": None}
    assert upcoming["sha256"] == {code: hashes(built)["2027-04-01", code] for code in LANGUAGES}
    assert current["current"]["draft"] is False
    assert urljoin(current_url, current["index"]) == INDEX_URL
    for code in LANGUAGES:
        document = urljoin(current_url, current["current"]["document"].replace("{lang}", code))
        assert hashlib.sha256(local(built, document).read_bytes()).hexdigest() == \
            current["current"]["sha256"][code] == hashes(built)["2018-07-06", code]


def test_every_effective_date_comes_with_the_instant_it_begins_in_the_policys_zone(built):
    """A date alone leaves a client in another zone a day off: the instant carries the offset."""
    index = read_json(built / "api/v1/policy.json")
    current = read_json(built / "api/v1/current.json")
    assert index["timezone"] == current["timezone"] == "Asia/Tokyo"
    assert [v["effective_at"] for v in index["versions"]] == [
        "2018-07-06T00:00:00+09:00", "2027-04-01T00:00:00+09:00"]
    assert current["current"]["effective_at"] == "2018-07-06T00:00:00+09:00"
    assert dt.datetime.fromisoformat(current["upcoming"]["effective_at"]) == \
        dt.datetime(2027, 3, 31, 15, tzinfo=dt.UTC)


def test_versions_are_numbered_in_effective_order_and_point_to_their_texts_by_hash(built):
    index = read_json(built / "api/v1/policy.json")
    current = read_json(built / "api/v1/current.json")
    assert [v["sequence"] for v in index["versions"]] == [1, 2]
    assert (current["current"]["sequence"], current["upcoming"]["sequence"]) == (1, 2)
    assert current["current"]["previous"] is None
    assert current["authoritative_language"] == "ja"
    for version in index["versions"]:
        for entry in version["documents"].values():
            assert entry["by_hash"] == entry["json"].replace(".json", f".{entry['sha256']}.json")
            assert local(built, urljoin(INDEX_URL, entry["by_hash"])).read_bytes() == \
                local(built, urljoin(INDEX_URL, entry["json"])).read_bytes()
    for key in ("current", "upcoming"):
        named = current[key]
        for code, sha in named["sha256"].items():
            url = urljoin(HOST + "api/v1/current.json",
                          named["by_hash"].replace("{lang}", code).replace("{sha256}", sha))
            assert hashlib.sha256(local(built, url).read_bytes()).hexdigest() == sha


def test_each_correction_says_it_needs_no_new_consent(built):
    index = read_json(built / "api/v1/policy.json")
    corrections = [c for v in index["versions"] for c in v["corrections"]]
    assert corrections and all(c["reconsent_required"] is False for c in corrections)


def test_current_document_says_until_when_its_answer_holds(built, tmp_path):
    """Read months after its build, current.json must not pass for the truth: its answer
    holds until the announced version takes effect, and says so."""
    current = read_json(built / "api/v1/current.json")
    assert current["valid_until"] == current["upcoming"]["effective_at"]
    project = copy_project(tmp_path / "later")
    later = project.build(as_of=dt.date(2027, 5, 1)).result.out_dir
    current = read_json(later / "api/v1/current.json")
    assert current["current"]["id"] == "2027-04-01" and current["upcoming"] is None
    assert current["valid_until"] is None


def test_no_document_but_current_and_index_changes_from_one_build_day_to_the_next(tmp_path):
    project = copy_project(tmp_path / "days")
    days = [project.build(tmp_path / str(day), as_of=AS_OF + dt.timedelta(days=day))
            .result.out_dir for day in (0, 1)]
    changed = sorted(str(path.relative_to(days[0])) for path in (days[0] / "api").rglob("*")
                     if path.is_file() and path.read_bytes() !=
                     (days[1] / path.relative_to(days[0])).read_bytes())
    assert changed == ["api/v1/current.json", "api/v1/policy.json"]


def test_a_day_whose_midnight_a_clock_change_skips_begins_at_its_first_real_instant():
    from generator.core.instants import rfc3339, start_of
    assert rfc3339(start_of(dt.date(2022, 9, 11), "America/Santiago")) == \
        "2022-09-11T01:00:00-03:00"
    assert rfc3339(start_of(dt.date(2027, 3, 28), "Europe/Paris")) == \
        "2027-03-28T00:00:00+01:00"


def test_current_document_stays_under_a_kilobyte_whatever_the_history(project, tmp_path):
    """Ten more versions leave its size as it was: it names one version's texts."""
    before = len(project.build(tmp_path / "short").result.out_dir.joinpath(
        "api/v1/current.json").read_bytes())
    text = without_corrections(project.read("versions/2027-04-01.yaml")).replace(
        "status: published", "status: draft")
    for year in range(2030, 2040):
        project.write(f"versions/{year}-01-01.yaml", text.replace(
            "id: 2027-04-01\neffective_date: 2027-04-01",
            f"id: {year}-01-01\neffective_date: {year}-01-01"))
    site = project.build(tmp_path / "long", drafts=True).result.out_dir
    index = read_json(site / "api/v1/policy.json")
    assert len(index["versions"]) == 12
    # About a kilobyte at two languages: the instants and the announced version's hashes,
    # what a client needs to decide without the index, cost half of it.
    assert len((site / "api/v1/current.json").read_bytes()) == before < 1536


def test_version_documents_are_canonical_json_with_content_only(built):
    for version in VERSIONS:
        for code in LANGUAGES:
            content = (built / f"api/v1/versions/{version}/{code}.json").read_bytes()
            data = json.loads(content)
            assert documents.canonical(data) == content
            text = content.decode()
            assert "2026-11-25" not in text  # no build date
            assert "/versions/" not in text and "policy.example" not in text  # no URL
            assert data["language"] == code and data["version"]["id"] == version


def test_version_document_holds_the_complete_content(built):
    data = read_json(built / "api/v1/versions/2018-07-06/en.json")
    assert data["facts"]["officer"]["name"] == "Masahiro Harasaki"
    assert data["facts"]["complaint_organization"]["phones"] == ["0120-116-213", "0120-700-779"]
    assert data["facts"]["inquiry_desk"]["email"] == "contact@goalous.com"
    sections = {s["id"]: s for s in data["sections"]}
    purposes = sections["scope"]
    assert purposes["categories"] and all(c["purpose"] for c in purposes["categories"])
    assert all(s["title"] for s in data["sections"])
    assert all(s["text"] is None or "**" not in s["text"] for s in data["sections"])


def test_changes_documents_are_the_diff_model_as_json(built, tmp_path):
    policy = load(Path(__file__).resolve().parent.parent / "policy_src")
    old, new = policy.version("2018-07-06"), policy.version("2027-04-01")
    for code in LANGUAGES:
        data = read_json(built / f"api/v1/changes/2027-04-01/{code}.json")
        gettext = i18n.read_catalog(Path(__file__).resolve().parent.parent / "locales",
                                    code).gettext
        expected = json.loads(json.dumps(diff.to_json(diff.compare(old, new, code), gettext)))
        assert {k: v for k, v in data.items() if k != "$schema"} == expected
    added = [s for s in data["sections"] if s["status"] == "added"]
    assert [s["id"] for s in added] == ["safety-measures"]


def test_presentation_changes_leave_every_hash_unchanged(project, tmp_path):
    before = project.build(tmp_path / "before")
    project.configure(site_url=HOST)
    template = project.root / "site_overrides" / "shared" / "main.html"
    template.write_text(template.read_text() + "{# a presentation-only change #}\n")
    after = project.build(tmp_path / "after")
    assert hashes(after.result.out_dir) == hashes(before.result.out_dir)
    index = read_json(after.result.out_dir / "api/v1/policy.json")
    assert index["versions"][0]["documents"]["en"]["html"] == HOST + "en/versions/2018-07-06/"
    assert index["feeds"]["ja"] == HOST + "ja/feed.xml"


CORRECTION = """corrections:
  - date: 2026-12-01
    reason:
      ja: 誤記を訂正しました。
      en: Corrected a wording error.
"""


def test_one_changed_word_changes_that_version_in_that_language_only(project, tmp_path):
    before = hashes(project.build(tmp_path / "before").result.out_dir)
    project.replace("versions/2018-07-06.yaml", "en: We deal with the following",
                    "en: We handle the following")
    project.replace("versions/2018-07-06.yaml", "sections:\n", CORRECTION + "sections:\n")
    project.lock(correct="2018-07-06")
    after = hashes(project.build(tmp_path / "after").result.out_dir)
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {("2018-07-06", "en")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_lists_every_version_with_links_to_its_page_and_redline(built, language):
    feed_url = HOST + f"{language}/feed.xml"
    parsed = feedparser.parse((built / f"{language}/feed.xml").read_bytes(),
                              response_headers={"content-location": feed_url,
                                                "content-type": "application/atom+xml"})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.language == language
    entries = parsed.entries
    assert len(entries) == 2 and len({e.id for e in entries}) == 2
    newest = entries[0]
    links = {link.rel: link.href for link in newest.links}
    assert links["alternate"] == HOST + f"{language}/versions/2027-04-01/"
    assert links["related"] == HOST + f"{language}/changes/2027-04-01/"
    for entry in entries:
        for link in entry.links:
            assert local(built, link.href).is_file(), link.href
    assert "related" not in {link.rel for link in entries[1].links}  # the first version


@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_names_itself_and_dates_nothing_after_the_build_day(built, language):
    """An `updated` to come made readers sort an announcement above everything, for months."""
    parsed = feedparser.parse((built / f"{language}/feed.xml").read_bytes(),
                              response_headers={"content-location": HOST + f"{language}/feed.xml"})
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == \
        [HOST + f"{language}/feed.xml"]  # relative in the file, resolved against its URL
    build_day = dt.datetime(*AS_OF.timetuple()[:3], tzinfo=dt.timezone(dt.timedelta(hours=9)))
    stamps = [parsed.feed.updated] + [entry.updated for entry in parsed.entries]
    assert all(dt.datetime.fromisoformat(stamp) <= build_day for stamp in stamps), stamps
    announced = parsed.entries[0]  # 2027-04-01: dated the day it was announced
    assert announced.updated == "2026-11-25T00:00:00+09:00" == parsed.feed.updated


def test_feed_ids_do_not_depend_on_the_host(project, tmp_path):
    plain = feedparser.parse((project.build(tmp_path / "a").result.out_dir /
                              "en/feed.xml").read_bytes())
    project.configure(site_url=HOST)
    hosted = feedparser.parse((project.build(tmp_path / "b").result.out_dir /
                               "en/feed.xml").read_bytes())
    assert [e.id for e in plain.entries] == [e.id for e in hosted.entries]
    assert hosted.entries[0].link.startswith(HOST)
    assert hosted.feed.links[0].rel == "self"


@pytest.mark.parametrize("url", ["ja/", "en/versions/2018-07-06/", "en/changes/2027-04-01/",
                                 "ja/api/", "en/compare/"])
def test_every_page_advertises_its_language_feed(built, url):
    page = built / url / "index.html"
    feeds = [link for link in tags(page, "link")
             if link.get("type") == "application/atom+xml"]
    assert len(feeds) == 1 and feeds[0]["rel"] == "alternate"
    assert (page.parent / feeds[0]["href"]).resolve() == (built / url[:2] / "feed.xml")


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_page_documents_the_contract_with_a_consent_example(built, language):
    page = built / language / "api" / "index.html"
    html = page.read_text(encoding="utf-8")
    for member in ("schema_version", "current", "upcoming", "reconsent_required", "sha256",
                   "current.json", "current_document", "versions[].postponements[].from",
                   "versions[].withdrawal.reason.&lt;lang&gt;", "upcoming.postponed_from",
                   "<code>withdrawn</code>"):
        assert member in html
    assert "export function decide" in html and "crypto.subtle.digest" in html
    hrefs = [a["href"] for a in tags(page, "a") if "api/v1" in a.get("href", "")]
    assert hrefs and all((page.parent / href).resolve().is_file() for href in hrefs)


def test_version_pages_show_the_hash_a_consent_record_stores(built):
    index = read_json(built / "api/v1/policy.json")
    expected = index["versions"][0]["documents"]["ja"]["sha256"]
    html = (built / "ja/versions/2018-07-06/index.html").read_text(encoding="utf-8")
    assert expected in html


def test_a_daily_rebuild_does_not_announce_the_same_version_again(project, tmp_path):
    feeds = [project.build(tmp_path / str(day), as_of=AS_OF + dt.timedelta(days=day))
             .result.out_dir.joinpath("en/feed.xml").read_bytes() for day in (0, 1)]
    assert feeds[0] == feeds[1]


def test_a_version_read_back_from_its_documents_is_the_version_that_made_them():
    """Earlier texts are shown from their published bytes: reading the documents back gives
    the model again (less what documents do not hold: recorded steps, coverage), going by
    the title it was published under."""
    import dataclasses

    policy = load(Path(__file__).resolve().parent.parent / "policy_src")
    for version in policy.versions:
        texts = {code: json.loads(documents.version_document(policy.info, version, code).content)
                 for code in LANGUAGES}
        assert documents.read_version(texts) == dataclasses.replace(
            version, corrections=(), postponements=(), withdrawal=None, coverage=(),
            translations_checked=(), title=version.policy_title(policy.info))

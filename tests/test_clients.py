"""The reference clients (clients/js/policygen.mjs, as the API page shows it, and
clients/python/policygen_client.py) against the built example served on loopback with the
hosting headers, through the scenarios apps meet: each client polls, decides, downloads and
verifies the text, makes the record to store, and polls again for a 304."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import http.server
import importlib.util
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import jsonschema
import pytest

from generator.record import store as lockstore
from generator.serve import HostedFiles
from generator.source.convert import read
from tests.helpers import AS_OF, ROOT, add_third_version, copy_project

WITHDRAWAL = """withdrawal:
  date: 2026-11-25
  reason:
    ja: 内容を見直すため撤回しました。
    en: Withdrawn to review its content.
"""
V2027 = "versions/2027-04-01.yaml"


def _load_python_client():
    spec = importlib.util.spec_from_file_location(
        "policygen_client", ROOT / "clients/python/policygen_client.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


client = _load_python_client()


def reconsent(project) -> None:
    """2027-04-01 asks for consent again (as if published so from the start)."""
    project.replace(V2027, "reconsent_required: false", "reconsent_required: true")
    project.relock()


def withdrawn_between(project) -> None:
    """2027-04-01, which asks for consent again, withdrawn; 2028-01-01, which does not,
    follows 2018-07-06."""
    reconsent(project)
    add_third_version(project)
    project.replace("versions/2028-01-01.yaml", "reconsent_required: true",
                    "reconsent_required: false")
    project.lock()
    project.write(V2027, project.read(V2027) + WITHDRAWAL)
    policy, _, locate = read(project.source)
    lockstore.record(policy, project.source, locate, AS_OF, withdraw="2027-04-01")


def only_announced(project) -> None:
    """2027-04-01 alone, announced on 2026-11-25: a record whose first version is not yet in
    force (a site built for a day before any version was recorded holds none at all)."""
    (project.source / "versions/2018-07-06.yaml").unlink()
    project.relock()


SITES = {  # name -> (edit of the example, the day it is built for)
    "announced": (reconsent, AS_OF),  # 2018-07-06 in force, 2027-04-01 (re-consent) announced
    "in-force-only": (None, dt.date(2027, 5, 1)),  # 2027-04-01 in force (corrected once)
    "withdrawn": (withdrawn_between, dt.date(2028, 2, 1)),
    "nothing-in-force": (only_announced, AS_OF),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Each site built once and served on a free loopback port: name -> current.json's URL."""
    servers, urls = [], {}
    for name, (edit, as_of) in SITES.items():
        project = copy_project(tmp_path_factory.mktemp(name))
        if edit:
            edit(project)
        out = project.build(as_of=as_of).result.out_dir
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(HostedFiles, directory=str(out)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[name] = (f"http://127.0.0.1:{server.server_port}/api/v1/current.json", out)
    yield urls
    for server in servers:
        server.shutdown()


def index_of(out: Path) -> dict:
    return json.loads((out / "api/v1/policy.json").read_bytes())


def version(out: Path, version_id: str) -> dict:
    return next(v for v in index_of(out)["versions"] if v["id"] == version_id)


def record_of(out: Path, version_id: str, language: str = "en", sha256: str | None = None):
    entry = version(out, version_id)
    return {"policy": "goalous-privacy", "version": version_id, "sequence": entry["sequence"],
            "language": language, "sha256": sha256 or entry["documents"][language]["sha256"]}


def before_correction(out: Path, version_id: str) -> dict:
    """A record of the text a correction of the version replaced."""
    for correction in version(out, version_id)["corrections"]:
        for language, replaced in correction["replaced"].items():
            return record_of(out, version_id, language, replaced["sha256"])
    raise AssertionError(f"{version_id} has no corrected text")


@dataclasses.dataclass(frozen=True)
class Scenario:
    site: str
    record: object  # (built site) -> the stored record, or None
    now: str
    ask: bool
    reason: str
    in_force: str | None
    upcoming: str | None = None
    languages: tuple[str, ...] = ("en",)
    language: str | None = "en"


SCENARIOS = {
    "in force only": Scenario("in-force-only", lambda out: record_of(out, "2027-04-01"),
                              "2027-05-01T12:00:00Z", False, "consented-to-this-text",
                              "2027-04-01"),
    "upcoming announced": Scenario("announced", lambda out: record_of(out, "2018-07-06"),
                                   "2026-11-25T12:00:00Z", False, "consented-to-this-text",
                                   "2018-07-06", upcoming="2027-04-01"),
    # 00:30 on April 1 in Tokyo, still March 31 in UTC: the built current.json is past its
    # valid_until, and the index's instants say 2027-04-01 is in force.
    "after the upcoming took effect, before a rebuild": Scenario(
        "announced", lambda out: record_of(out, "2018-07-06"), "2027-03-31T15:30:00Z",
        True, "reconsent-required", "2027-04-01"),
    "just before it takes effect": Scenario(
        "announced", lambda out: record_of(out, "2018-07-06"), "2027-03-31T14:59:59Z",
        False, "consented-to-this-text", "2018-07-06", upcoming="2027-04-01"),
    "withdrawn version in between": Scenario(
        "withdrawn", lambda out: record_of(out, "2018-07-06"), "2028-02-01T12:00:00Z",
        False, "earlier-consent-still-counts", "2028-01-01"),
    "corrected text": Scenario("in-force-only", lambda out: before_correction(out, "2027-04-01"),
                               "2027-05-01T12:00:00Z", False, "consented-to-this-version",
                               "2027-04-01"),
    "wrong stored hash": Scenario("in-force-only",
                                  lambda out: record_of(out, "2027-04-01", sha256="0" * 64),
                                  "2027-05-01T12:00:00Z", True, "hash-matches-no-text",
                                  "2027-04-01"),
    "no record, a language the policy lacks": Scenario(
        "in-force-only", lambda out: None, "2027-05-01T12:00:00Z", True, "no-record",
        "2027-04-01", languages=("fr-CA",), language="ja"),
    "no record, a regional tag": Scenario(
        "in-force-only", lambda out: None, "2027-05-01T12:00:00Z", True, "no-record",
        "2027-04-01", languages=("EN-gb",), language="en"),
    "nothing in force": Scenario("nothing-in-force", lambda out: None, "2026-11-26T00:00:00Z",
                                 False, "nothing-in-force", None, upcoming="2027-04-01",
                                 language=None),
}


@pytest.fixture(scope="module")
def page_client(sites, tmp_path_factory) -> Path:
    """The JavaScript client exactly as the built API page shows it, saved as a module."""
    out = sites["announced"][1]
    page = (out / "en/api/index.html").read_text(encoding="utf-8")
    code = html.unescape(re.search(r'<code class="language-js">(.*?)</code>', page, re.S)
                         .group(1))
    path = tmp_path_factory.mktemp("page") / "policygen.mjs"
    path.write_text(code, encoding="utf-8")
    return path


def test_the_sites_hold_what_the_scenarios_say(sites):
    between = version(sites["withdrawn"][1], "2027-04-01")
    assert between["status"] == "withdrawn" and between["reconsent_required"] is True
    assert version(sites["announced"][1], "2027-04-01")["reconsent_required"] is True
    assert version(sites["in-force-only"][1], "2027-04-01")["corrections"]
    assert index_of(sites["nothing-in-force"][1])["current"] is None


def test_the_packaged_copy_of_the_javascript_client_is_the_client():
    """The page's template ships in the package, clients/ does not (and a symbolic link
    would be a text file in a Windows checkout): a copy, held to the client here."""
    copy = ROOT / "generator/templates/api_example.js.j2"
    assert copy.read_bytes() == (ROOT / "clients/js/policygen.mjs").read_bytes(), \
        "refresh it: cp clients/js/policygen.mjs generator/templates/api_example.js.j2"


def test_the_api_page_shows_the_javascript_client_itself(page_client):
    assert page_client.read_text(encoding="utf-8") == \
        (ROOT / "clients/js/policygen.mjs").read_text(encoding="utf-8")


def run_js(module: Path, current_url: str, record, scenario: Scenario) -> dict:
    run = subprocess.run(
        ["node", str(ROOT / "tests/js/client_scenario.mjs"), str(module), current_url,
         json.dumps({"record": record, "languages": list(scenario.languages),
                     "now": scenario.now, "policy": "goalous-privacy"})],
        capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def run_python(current_url: str, record, scenario: Scenario) -> dict:
    now = dt.datetime.fromisoformat(scenario.now.replace("Z", "+00:00"))
    result = client.check(current_url, record, scenario.languages, now)
    stored = None
    if result.text:
        client.download(result.text)  # raises unless the bytes match the hash
        stored = client.consent_record("goalous-privacy", result.version, result.language,
                                       result.text, now)
    _, changed = client.poll(current_url, result.state)
    return {"ask": result.ask, "reason": result.reason,
            "version": result.version.id if result.version else None,
            "language": result.language, "upcoming": result.upcoming, "stored": stored,
            "revalidated": not changed,
            "tampered": client.verify(b"not the text", result.text.sha256)
            if result.text else None}


@pytest.mark.parametrize("runner", ["javascript, as the page shows it", "python"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_each_client_decides_as_the_rules_say(sites, page_client, runner, name):
    scenario = SCENARIOS[name]
    current_url, out = sites[scenario.site]
    record = scenario.record(out)
    result = run_python(current_url, record, scenario) if runner == "python" else \
        run_js(page_client, current_url, record, scenario)
    assert (result["ask"], result["reason"], result["version"]) == \
        (scenario.ask, scenario.reason, scenario.in_force)
    assert (result["upcoming"] or {}).get("id") == scenario.upcoming
    assert result["language"] == scenario.language
    assert result["revalidated"]  # the second poll was a 304
    if scenario.in_force:
        assert result["tampered"] is False  # a text that is not the hashed one is refused
        schema = json.loads((out / "api/v1/schema/consent-record.schema.json").read_bytes())
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()) \
            .validate(result["stored"])
        assert result["stored"]["url"].startswith(current_url.removesuffix("current.json"))


APP = """<!doctype html><meta charset="utf-8"><title>app</title>
<script type="module">
import { check, download } from "./policygen.mjs";
try {
  const result = await check({ currentUrl: "%s", record: null, languages: ["en"] });
  await download(result.text);
  window.outcome = { ask: result.ask, version: result.version.id, downloaded: true };
} catch (error) {
  window.outcome = { error: String(error) };
}
</script>"""


@pytest.mark.parametrize("headers", ["hosting headers", "none"])
def test_a_web_app_on_another_origin_reads_the_api_only_with_the_hosting_headers(
        sites, page_client, browser, tmp_path, headers):
    """In headless chromium: the app's page and the API on two origins (two ports)."""
    from tests.browser import _Quiet, serve

    out = sites["in-force-only"][1]
    app = tmp_path / "app"
    app.mkdir()
    (app / "policygen.mjs").write_bytes(page_client.read_bytes())
    with serve(out, HostedFiles if headers == "hosting headers" else _Quiet) as api, \
            serve(app, _Quiet) as origin:
        (app / "index.html").write_text(APP % (api + "api/v1/current.json"))
        page = browser.new_page()
        try:
            page.goto(origin + "index.html")
            page.wait_for_function("window.outcome !== undefined", timeout=20_000)
            outcome = page.evaluate("window.outcome")
        finally:
            page.close()
    if headers == "none":  # the check itself: without CORS the browser refuses the answer
        assert "Failed to fetch" in outcome["error"]
    else:
        assert outcome == {"ask": True, "version": "2027-04-01", "downloaded": True}

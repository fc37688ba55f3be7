"""The core is pure: catalogs and kept texts are read once at the edge (the build, the CLI)
and passed in, so the pages, the API and the feeds open no file and write none."""
from __future__ import annotations

import sys
from pathlib import Path

from generator import build as pipeline
from generator.core import i18n
from generator.core.model import timeline
from generator.outputs import api, pages
from generator.record import store as lockstore
from generator.source.convert import load
from tests.helpers import AS_OF, CORRECTION, copy_project

_OPENED: list[tuple[str, str]] | None = None  # (path, mode) while a test records


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, Path)):
        _OPENED.append((str(args[0]), str(args[1] or "r")))


sys.addaudithook(_audit)  # a hook stays for the process: it records only inside `opened`


class opened:
    """Every file opened inside the block: path and mode."""

    def __enter__(self) -> list[tuple[str, str]]:
        global _OPENED
        _OPENED = []
        return _OPENED

    def __exit__(self, *exc: object) -> None:
        global _OPENED
        _OPENED = None


def test_pages_api_and_feeds_open_no_project_file_and_write_none(tmp_path):
    project = copy_project(tmp_path)  # with a correction, so an earlier text is kept
    project.replace("versions/2018-07-06.yaml", "We deal with the following",
                    "We handle the following")
    project.replace("versions/2018-07-06.yaml", "sections:\n", CORRECTION + "sections:\n")
    project.lock(correct="2018-07-06")
    policy = load(project.source)
    line = timeline(policy, AS_OF)
    catalogs = i18n.read_catalogs(project.root / "locales", policy.info.languages)
    locked = lockstore.read(project.source)
    history = dict(locked.versions)
    computed = api.Outputs(api.version_documents(policy, line),
                           api.version_changes(policy, line), history,
                           pipeline.read_published_texts(history, line, project.source))
    with opened() as files:
        sites = pages.plan_site(policy, line, computed.documents, computed.changes, catalogs)
        published = api.api_files(policy, line, computed, None, catalogs)
        root = pages.root_index(policy, catalogs)
    assert sites and published and root
    english = [path for path in published if path.startswith("api/v1/versions/2018-07-06/en.")]
    assert len(english) == 4  # the document, its hash-named copies and its DPV notice
    assert [f for f in files if str(project.root) in f[0]] == []
    assert [f for f in files if any(m in f[1] for m in "wax+")] == []


def test_the_interface_strings_come_from_the_catalogs_passed_in(tmp_path):
    project = copy_project(tmp_path)
    policy = load(project.source)
    line = timeline(policy, AS_OF)
    catalogs = i18n.read_catalogs(project.root / "locales", policy.info.languages)
    computed = api.Outputs(api.version_documents(policy, line),
                           api.version_changes(policy, line), {})
    english = {"en": catalogs["en"], "ja": i18n.read_catalog(tmp_path / "none", "ja")}
    ja_pages = {site.language: site for site in pages.plan_site(
        policy, line, computed.documents, computed.changes, english)}["ja"].pages
    assert any(page.title == "Version archive" for page in ja_pages)  # no catalog: English
    ja_pages = {site.language: site for site in pages.plan_site(
        policy, line, computed.documents, computed.changes, catalogs)}["ja"].pages
    assert not any(page.title == "Version archive" for page in ja_pages)

"""A version's page and a redline are kept from the build before, by everything they are made
of: an edit renders again only the pages it changes, and a build that reuses kept pages is
byte-identical to a clean one after every kind of edit."""
from __future__ import annotations

import dataclasses
import datetime as dt

import jinja2
import pytest

from generator import build as pipeline
from generator.record import store as lockstore
from generator.source.convert import read
from tests.helpers import AS_OF, NOW, POSTPONEMENT, add_draft, entries, files_of

DRAFT = "versions/2028-01-01.yaml"


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The URL of every page a build renders (sections, rendered apart, and the HTML of a
    version's PDF, are not pages)."""
    urls: list[str] = []
    real = jinja2.Template.render

    def render(self, *args, **kwargs):
        if "page_url" in kwargs and self.name != "pdf.html.j2":
            urls.append(kwargs["page_url"])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    return urls


def clean_build(project, out, as_of: dt.date = AS_OF):
    return pipeline.build(dataclasses.replace(project.layout, cache=None), pipeline.BuildOptions(
        out, as_of, {}, NOW, drafts=True, jobs=1)).result.out_dir


def test_an_edit_renders_again_only_the_pages_of_the_versions_it_touches(project, rendered):
    add_draft(project)
    project.build(drafts=True)
    rendered.clear()
    project.replace(DRAFT, "under 18 years", "under 20 years")
    project.build(drafts=True)
    versions = {url.split("/")[2] for url in kept_kinds(rendered)}
    # The draft, and the version before it, whose page links to the draft's redline and
    # says until when it is in force; never the first version, nor its redline.
    assert versions == {"2028-01-01", "2027-04-01"}
    assert "en/versions/2028-01-01/" in rendered and "en/changes/2028-01-01/" in rendered
    assert "ja/versions/2018-07-06/" not in rendered
    # The navigation's pages (in force, archive, compare, API) are made on every build.
    assert {"en/", "en/versions/", "en/compare/", "en/api/"} <= set(rendered)


def kept_kinds(urls) -> list[str]:
    """The version pages and redlines among `urls` (the pages of a correction, which only a
    corrected version has, are made on every build)."""
    return [url for url in urls if url.count("/") == 3 and ("/versions/2" in url
                                                            or "/changes/" in url)]


def test_a_rebuild_with_nothing_changed_renders_no_version_page(project, rendered):
    project.build()
    assert kept_kinds(rendered)
    rendered.clear()
    project.build()
    assert kept_kinds(rendered) == []


def edit_text(project):
    project.replace(DRAFT, "under 18 years", "under 20 years")


def move_the_draft(project):
    project.replace(DRAFT, "effective_date: 2028-01-01", "effective_date: 2028-02-01")


def postpone_the_upcoming_version(project):
    project.replace("versions/2027-04-01.yaml", "effective_date: 2027-04-01",
                    "effective_date: 2027-05-01")
    project.write("versions/2027-04-01.yaml",
                  project.read("versions/2027-04-01.yaml") + POSTPONEMENT)
    policy, _, locate = read(project.source)
    lockstore.record(policy, project.source, locate, AS_OF, postpone="2027-04-01")


def change_an_interface_string(project):
    po = project.root / "locales/en/LC_MESSAGES/messages.po"
    text = po.read_text("utf-8")
    assert 'msgstr "Version archive"' in text
    po.write_text(text.replace('msgstr "Version archive"', 'msgstr "Every version"'), "utf-8")


def remove_the_draft(project):
    project.path(DRAFT).unlink()


@pytest.mark.parametrize("edits", [
    (edit_text,),
    (move_the_draft,),
    (edit_text, move_the_draft, remove_the_draft),
    (change_an_interface_string,),
])
def test_a_build_reusing_kept_pages_equals_a_clean_build_after_each_edit(project, tmp_path,
                                                                         edits):
    add_draft(project)
    site = tmp_path / "site"
    project.build(site, drafts=True)
    for number, edit in enumerate(edits):
        edit(project)
        project.build(site, drafts=True)
        assert files_of(site) == files_of(clean_build(project, tmp_path / f"clean{number}"))


def test_the_day_a_version_takes_effect_changes_the_pages_it_should(project, tmp_path):
    """The upcoming version comes into force: its page and the one it supersedes change,
    although no source file did."""
    site = tmp_path / "site"
    project.build(site)
    later = dt.date(2027, 4, 2)
    project.build(site, as_of=later)
    clean = pipeline.build(dataclasses.replace(project.layout, cache=None), pipeline.BuildOptions(
        tmp_path / "clean", later, {}, NOW, jobs=1)).result.out_dir
    assert files_of(site) == files_of(clean)
    assert 'class="pg-status pg-status--current">In force' in (
        site / "en/versions/2027-04-01/index.html").read_text("utf-8")


def test_a_postponement_recorded_in_the_lock_reaches_every_page_that_shows_it(project,
                                                                              tmp_path):
    site = tmp_path / "site"
    project.build(site)
    postpone_the_upcoming_version(project)
    project.build(site)
    clean = pipeline.build(dataclasses.replace(project.layout, cache=None), pipeline.BuildOptions(
        tmp_path / "clean", AS_OF, {}, NOW, jobs=1)).result.out_dir
    assert files_of(site) == files_of(clean)


def test_a_damaged_kept_page_is_rendered_again_and_replaced(project, tmp_path, rendered):
    add_draft(project)
    project.build(tmp_path / "one", drafts=True)
    kept = entries(project, "pages")
    assert kept
    for path in kept:
        data = bytearray(path.read_bytes())
        data[-2] ^= 0x20  # one letter's case, deep in the page: only the hash can tell
        path.write_bytes(bytes(data))
    rendered.clear()
    out = project.build(tmp_path / "two", drafts=True).result.out_dir  # a new folder: the
    # engine renders every page, so it would publish a damaged text it was given
    assert "en/versions/2018-07-06/" in rendered
    assert files_of(out) == files_of(clean_build(project, tmp_path / "clean"))
    rendered.clear()
    project.build(tmp_path / "three", drafts=True)
    assert "en/versions/2018-07-06/" not in rendered  # the repaired entry is found


def test_serve_finds_the_last_build_s_pages_in_memory_without_reading_the_cache(
        project, rendered):
    held: dict = {}

    def build():
        return pipeline.build(project.layout, pipeline.BuildOptions(
            project.root / "site", AS_OF, {}, NOW, jobs=1, with_pdfs=False, held=held))

    build()
    assert any(kind == pipeline.PAGES_WITHOUT_PDFS for kind, _ in held)
    for path in entries(project, pipeline.PAGES_WITHOUT_PDFS):
        path.unlink()  # had it to read them, it would render every page again
    rendered.clear()
    build()
    assert kept_kinds(rendered) == []


def test_a_build_and_serve_in_one_project_keep_each_other_s_pages(project, rendered,
                                                                   tmp_path):
    """serve's pages name no PDF and a build's do, so they are other entries; a command keeps
    only what it used, yet never removes the other's: the legal team previewing while it
    builds renders each version page once, not again after every build of the other."""
    def serve_build():  # a serve started anew: it reads what it kept from the disk
        return pipeline.build(project.layout, pipeline.BuildOptions(
            tmp_path / "preview", AS_OF, {}, NOW, jobs=1, with_pdfs=False, held={}))

    serve_build()
    project.build()
    assert entries(project, pipeline.PAGES) and entries(project, pipeline.PAGES_WITHOUT_PDFS)
    rendered.clear()
    serve_build()
    project.build()
    assert kept_kinds(rendered) == []


def test_pages_made_by_parallel_workers_equal_one_process_s_and_are_kept(project, tmp_path,
                                                                         rendered, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_PAGES_FROM", 0)  # the example is small
    add_draft(project)
    parallel = pipeline.build(project.layout, pipeline.BuildOptions(
        tmp_path / "parallel", AS_OF, {}, NOW, drafts=True, jobs=2)).result.out_dir
    assert files_of(parallel) == files_of(clean_build(project, tmp_path / "clean"))
    rendered.clear()
    project.build(tmp_path / "again", drafts=True)  # one process: finds what workers kept
    assert kept_kinds(rendered) == []

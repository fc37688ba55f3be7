"""A build into its previous output carries over what an unchanged input made, and is still
byte-identical to a clean build; a damaged output or a changed theme is never trusted."""
from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path

import pytest

from generator import build as pipeline
from generator.outputs import routes
from generator.runtime import cache
from generator.site import output, publish
from tests.helpers import AS_OF, NOW, add_draft, files_of

UNCHANGED = "en/versions/2018-07-06/index.html"  # neither edited, in the nav nor searchable


def inodes(folder) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def carried(before: dict[str, int], folder) -> set[str]:
    """The files of `folder` that are the previous output's own (linked, not rewritten)."""
    return {name for name, inode in inodes(folder).items() if before.get(name) == inode}


def engine_pages(names) -> set[str]:
    """The pages and search indexes the site engine made (policygen's own files aside)."""
    return {name for name in names if "/" in name and (
        name.endswith(".html") or name.endswith("search_index.json"))}


def clean_build(project, out, drafts: bool = True):
    return pipeline.build(dataclasses.replace(project.layout, cache=None), pipeline.BuildOptions(
        out, AS_OF, {}, NOW, drafts=drafts, jobs=1)).result.out_dir


def test_an_edit_rebuilds_only_what_changed_and_equals_a_clean_build(project, tmp_path):
    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    before = inodes(site)
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    rebuilt = project.build(drafts=True)
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))
    reused = carried(before, site)
    assert any("files carried over unchanged" in line for line in rebuilt.result.log)
    assert "ja/versions/2028-01-01/index.html" in reused  # Japanese untouched: carried whole
    assert UNCHANGED in reused  # English: only the edited and the shared pages rendered
    assert "en/versions/2028-01-01/index.html" not in reused
    assert "under 20 years" in (site / "en/versions/2028-01-01/index.html").read_text("utf-8")
    for rewritten in ("en/search/search_index.json", "en/sitemap.xml", ".policygen-site"):
        assert rewritten not in reused


def test_policygen_writes_only_its_own_files_whose_bytes_changed(project):
    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    before = inodes(site)
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(drafts=True)
    reused = carried(before, site)
    assert routes.document_path("2018-07-06", "en") in reused  # an unchanged version's text
    assert routes.document_path("2028-01-01", "en") not in reused  # the edited one
    assert routes.API_INDEX not in reused  # its hash of the edited text changed


def test_a_removed_page_disappears_from_the_rebuilt_output(project, tmp_path):
    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    project.path("versions/2028-01-01.yaml").unlink()
    project.build(drafts=True)
    assert not (site / "en/versions/2028-01-01").exists()
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))


def with_a_spare(project) -> Path:
    """A draft built twice into one output, which therefore has a spare (the first site)."""
    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(drafts=True)
    return site


def test_a_failed_build_leaves_the_previous_output_untouched(project, monkeypatch, tmp_path):
    site = with_a_spare(project)
    previous = files_of(site)
    project.replace("versions/2028-01-01.yaml", "under 20 years", "under 21 years")

    def fail(*args):  # after the spare was brought up to date, before the exchange
        raise OSError("disk full")

    monkeypatch.setattr(output, "swap_into_place", fail)
    with pytest.raises(OSError):
        project.build(drafts=True)
    assert files_of(site) == previous
    monkeypatch.undo()
    project.build(drafts=True)  # the spare, half changed, is not used again
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))


@pytest.mark.parametrize("damage", ["edited", "deleted"])
def test_an_output_file_changed_by_hand_means_a_full_rebuild(project, tmp_path, damage):
    site = project.build().result.out_dir
    if damage == "edited":
        with (site / UNCHANGED).open("a", encoding="utf-8") as page:
            page.write("<!-- edited by hand -->")
    else:
        (site / UNCHANGED).unlink()
    before = inodes(site)
    project.build()
    assert carried(before, site) == set()
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean", drafts=False))


def test_a_changed_theme_override_means_a_full_rebuild(project):
    site = project.build().result.out_dir
    before = inodes(site)
    main = project.root / "site_overrides/shared/main.html"  # read by both engines
    main.write_text(main.read_text("utf-8").replace("{% block extrahead %}",
                                                    "{% block extrahead %}<!-- new look -->"),
                    "utf-8")
    project.build()
    assert engine_pages(inodes(site)) and engine_pages(carried(before, site)) == set()
    assert "<!-- new look -->" in (site / UNCHANGED).read_text("utf-8")


def test_the_old_site_is_exchanged_with_the_new_in_one_step(tmp_path, monkeypatch):
    """Linux swaps the two folders in one system call: no instant without a site, so a
    build killed at any moment leaves the old site or the new one."""
    out, staged = tmp_path / "site", tmp_path / "work" / "site"
    for folder, text in ((out, "old"), (staged, "new")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text)

    def two_steps(*args):
        raise AssertionError("the swap took two renames")

    monkeypatch.setattr(output.os, "rename", two_steps)
    output.swap_into_place(staged, out, tmp_path / "work", ["index.html"])
    assert (out / "index.html").read_text() == "new"
    assert (staged / "index.html").read_text() == "old"  # in the workspace, to be removed


def test_where_folders_cannot_be_exchanged_two_renames_swap_them(tmp_path, monkeypatch):
    out, staged = tmp_path / "site", tmp_path / "work" / "site"
    for folder, text in ((out, "old"), (staged, "new")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text)
    monkeypatch.setattr(output, "_exchange", lambda one, other: False)
    output.swap_into_place(staged, out, tmp_path / "work", ["index.html"])
    assert (out / "index.html").read_text() == "new"
    assert (tmp_path / "work" / "previous" / "index.html").read_text() == "old"


def leftovers(site) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".policygen-"))


def build_without_cache(project, drafts: bool = True):
    """A build that keeps no records, so no spare: the site it replaces is removed."""
    return pipeline.build(dataclasses.replace(project.layout, cache=None), pipeline.BuildOptions(
        project.root / "site", AS_OF, {}, NOW, drafts=drafts, jobs=1))


def test_a_large_old_site_is_removed_after_the_swap_or_else_by_the_next_build(
        project, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_LARGE", 0)  # the example's site counts as large
    add_draft(project)
    site = build_without_cache(project).result.out_dir
    removers = []
    monkeypatch.setattr(output.removal, "start_remover", removers.append)
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    build_without_cache(project)  # its remover "killed" before it ran
    assert len(removers) == 1
    [left] = leftovers(site)
    assert left.startswith(".policygen-removed-")
    assert "under 18 years" in (site.parent / left / "site/en/versions/2028-01-01/index.html"
                                ).read_text("utf-8")  # the previous site, never the output
    assert "under 20 years" in (site / "en/versions/2028-01-01/index.html").read_text("utf-8")
    monkeypatch.undo()
    monkeypatch.setattr(output, "_LARGE", 0)
    project.replace("versions/2028-01-01.yaml", "under 20 years", "under 21 years")
    build_without_cache(project)
    deadline = time.monotonic() + 60
    while leftovers(site) and time.monotonic() < deadline:
        time.sleep(0.05)  # the detached remover works at the lowest priority
    assert leftovers(site) == []
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))


def spare_of(site) -> Path:
    [found] = [p for p in (site.parent / cache.DIRECTORY).glob("*/sites/*/spare")
               if (p.parent / "output.json").is_file()]
    return found


def test_the_site_before_the_previous_one_is_brought_up_to_date_and_exchanged(project,
                                                                              tmp_path):
    """No new site of thousands of folders and links is made for a one-word edit, and no
    old one removed: the spare (the site before the previous one) is changed where the new
    site differs, and exchanged with the output."""
    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(drafts=True)
    spare = spare_of(site)
    folder_of_spare = spare.stat().st_ino
    unchanged = (site / UNCHANGED).stat().st_ino
    project.replace("versions/2028-01-01.yaml", "under 20 years", "under 21 years")
    project.build(drafts=True)
    assert site.stat().st_ino == folder_of_spare  # the spare, made into the new site
    assert (site / UNCHANGED).stat().st_ino == unchanged  # one file, never rewritten
    assert "under 21 years" in (site / "en/versions/2028-01-01/index.html").read_text("utf-8")
    assert "under 20 years" in (spare / "en/versions/2028-01-01/index.html").read_text("utf-8")
    assert leftovers(site) == []
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))


def test_a_spare_removed_while_it_changes_is_never_swapped_in_half_made(project, monkeypatch,
                                                                         tmp_path):
    """Another policygen (of other code: another branch, an upgrade) removes this code's
    cache folder, spare included, when it keeps its own results; a build bringing that spare
    up to date then stops with the fix, and the output is the previous site, whole."""
    from generator.core.diagnostics import UsageError

    site = with_a_spare(project)
    previous = files_of(site)
    project.replace("versions/2028-01-01.yaml", "under 20 years", "under 21 years")
    update = publish.Spare.update

    def removed_meanwhile(self, *args):
        made = update(self, *args)  # up to date, then taken away before the exchange
        os.rename(self.site, tmp_path / "taken")
        return made

    monkeypatch.setattr(publish.Spare, "update", removed_meanwhile)
    with pytest.raises(UsageError, match="removed during the build"):
        project.build(drafts=True)
    assert files_of(site) == previous

    def removed_first(self, *args):
        shutil.rmtree(self.site)
        return update(self, *args)

    monkeypatch.undo()
    project.build(drafts=True)  # that spare is not used again: a new site, made beside
    assert "under 21 years" in (site / "en/versions/2028-01-01/index.html").read_text("utf-8")
    previous = files_of(site)
    project.replace("versions/2028-01-01.yaml", "under 21 years", "under 22 years")
    monkeypatch.setattr(publish.Spare, "update", removed_first)
    with pytest.raises(UsageError, match="removed during the build"):
        project.build(drafts=True)  # its folders are never made again around a few files
    assert files_of(site) == previous
    monkeypatch.undo()
    project.build(drafts=True)
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))


@pytest.mark.parametrize("damage", ["edited", "added", "deleted"])
def test_a_spare_changed_by_hand_is_never_used_and_is_removed(project, tmp_path, damage):
    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(drafts=True)
    spare = spare_of(site)
    index = spare / "en/versions/2028-01-01/index.html"
    if damage == "edited":
        index.write_text(index.read_text("utf-8") + "<!-- tampered -->", "utf-8")
    elif damage == "added":
        (spare / "en/stray.html").write_text("stray")
    else:
        index.unlink()
    folder_of_spare = spare.stat().st_ino
    project.replace("versions/2028-01-01.yaml", "under 20 years", "under 21 years")
    project.build(drafts=True)
    assert site.stat().st_ino != folder_of_spare
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))
    assert "tampered" not in (spare_of(site) / "en/versions/2028-01-01/index.html"
                              ).read_text("utf-8")  # the new spare: the site just replaced


def test_a_build_beside_another_into_the_same_folder_keeps_no_records(project, tmp_path):
    """Two builds into one folder at once (a second terminal): the second builds in full
    and touches neither the records nor the spare of the first."""
    import fcntl

    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    [records] = [p for p in (site.parent / cache.DIRECTORY).glob("*/sites/*")
                 if p.is_dir()]
    kept = (records / "output.json").read_bytes()
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    held = os.open(records, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        project.build(drafts=True)
    finally:
        os.close(held)
    assert (records / "output.json").read_bytes() == kept  # not this build's
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))
    project.build(drafts=True)  # its records do not match the output: a full build
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean2"))


def test_records_and_spare_kept_for_an_output_that_is_gone_are_removed(project, tmp_path):
    """A deleted preview folder, or serve's private one: its spare would otherwise keep a
    whole site on disk."""
    preview = tmp_path / "preview"
    add_draft(project)
    project.build(preview, drafts=True)
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(preview, drafts=True)  # the first is now the spare
    sites = project.root / cache.DIRECTORY
    [kept] = [p for p in sites.glob("*/sites/*") if (p / "spare").is_dir()]
    shutil.rmtree(preview)
    project.build()
    deadline = time.monotonic() + 60
    while kept.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # removed by a detached process at the lowest priority
    assert not kept.exists()
    assert [p.name for p in kept.parent.iterdir() if not p.name.startswith(".")] != []


def test_a_source_with_warnings_is_rebuilt_incrementally_too(project):
    add_draft(project)
    project.replace("versions/2028-01-01.yaml", "  - item: operator-name\n    facts: [company]\n",
                    "")  # a checklist item left unmapped: a warning found while reading
    first = project.build(drafts=True)
    assert any("operator-name" in warning.message for warning in first.warnings)
    site = first.result.out_dir
    before = inodes(site)
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    rebuilt = project.build(drafts=True)
    assert any("files carried over unchanged" in line for line in rebuilt.result.log)
    assert UNCHANGED in carried(before, site)


def test_a_spare_prepared_after_a_first_build_makes_the_first_rebuild_quick(project, tmp_path):
    """serve prepares one while the first build is being read: the spare shares the output's
    files, and the first rebuild brings it up to date instead of making a new site."""
    add_draft(project)
    site = project.build(drafts=True).result.out_dir
    records = cache.Cache(project.layout.cache).records(site)
    publish.prepare_spare(site, records)
    spare = spare_of(site)
    assert (spare / UNCHANGED).stat().st_ino == (site / UNCHANGED).stat().st_ino
    folder_of_spare = spare.stat().st_ino
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(drafts=True)
    assert site.stat().st_ino == folder_of_spare
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))
    publish.prepare_spare(site, records)  # there is one already (the site replaced): kept
    assert spare_of(site).stat().st_ino != folder_of_spare


def test_an_edit_makes_again_only_the_changes_documents_it_changes(project, monkeypatch,
                                                                    tmp_path):
    from generator.outputs import api

    add_draft(project)
    project.build(drafts=True)
    made = []
    real = api.changes_document
    monkeypatch.setattr(api, "changes_document", lambda change, catalog: made.append(
        (change.new_id, change.language)) or real(change, catalog))
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    site = project.build(drafts=True).result.out_dir
    assert sorted(made) == [("2028-01-01", "en"), ("2028-01-01", "ja")]  # not 2027-04-01's
    assert files_of(site) == files_of(clean_build(project, tmp_path / "clean"))

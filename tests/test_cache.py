"""The build cache: a rebuild redoes only what an edit changed, and a kept result is used
only when it is provably the one a clean build would compute."""
from __future__ import annotations

import dataclasses

import pytest

from generator import build as pipeline
from generator.core.diagnostics import PolicyError
from generator.runtime import cache, verified
from generator.source.convert import load, read
from tests.helpers import AS_OF, NOW, add_draft, entries, files_of


def kept(project) -> cache.Cache:
    return cache.Cache(project.root / cache.DIRECTORY)


def load_and_keep(project, kept_results: cache.Cache):
    """`load` as validate runs it: results are written once it has succeeded."""
    policy = load(project.source, kept_results)
    kept_results.commit()
    return policy


def test_a_cached_build_after_an_edit_is_byte_identical_to_a_clean_one(project, tmp_path):
    add_draft(project)
    project.build(tmp_path / "first", drafts=True)  # fills the cache
    project.replace("versions/2028-01-01.yaml", "18歳未満", "20歳未満")
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    cached = project.build(tmp_path / "cached", drafts=True).result.out_dir
    clean = pipeline.build(dataclasses.replace(project.layout, cache=None), pipeline.BuildOptions(
        tmp_path / "clean", AS_OF, {}, NOW, drafts=True, jobs=1)).result.out_dir
    assert files_of(cached) == files_of(clean)
    assert "20歳未満" in (cached / "ja/versions/2028-01-01/index.html").read_text("utf-8")
    redline = "ja/changes/2028-01-01/index.html"  # re-diffed, not taken from the first build
    assert (cached / redline).read_bytes() != (tmp_path / "first" / redline).read_bytes()


def test_a_rebuild_reads_only_the_version_file_that_changed(project):
    add_draft(project)
    load_and_keep(project, kept(project))
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    again = kept(project)
    policy = load(project.source, again)
    assert (again.hits, again.misses) == (2, 1)
    assert policy == load(project.source)  # the same model as without a cache


def test_a_damaged_entry_is_detected_and_computed_again(project):
    load_and_keep(project, kept(project))
    for path in entries(project, "versions"):
        data = bytearray(path.read_bytes())
        data[-1] ^= 0xFF
        path.write_bytes(bytes(data))
    damaged = kept(project)
    assert load_and_keep(project, damaged) == load(project.source)
    assert (damaged.hits, damaged.misses) == (0, 2)
    repaired = kept(project)
    load(project.source, repaired)
    assert (repaired.hits, repaired.misses) == (2, 0)


def test_an_entry_that_verifies_but_does_not_load_is_not_trusted(project):
    """A payload whose checksum matches but is not a result (say, written by a hand that
    recomputed the checksum) is dropped, not unpickled into the build."""
    import hashlib

    load_and_keep(project, kept(project))
    for path in entries(project, "versions"):
        payload = b"not a pickle"
        path.write_bytes(hashlib.sha256(payload).digest() + payload)
    again = kept(project)
    assert load(project.source, again) == load(project.source)
    assert again.hits == 0


def test_results_of_another_policygen_or_dependency_version_are_never_used(
        project, monkeypatch):
    load_and_keep(project, kept(project))
    before = entries(project, "versions")
    monkeypatch.setattr(cache, "fingerprint", lambda: b"another policygen" * 2)
    upgraded = kept(project)
    load_and_keep(project, upgraded)
    assert (upgraded.hits, upgraded.misses) == (0, 2)
    assert not any(path.exists() for path in before)  # the old generation is removed


def test_a_failed_command_writes_nothing_into_the_cache(project, tmp_path):
    project.replace("versions/2018-07-06.yaml", "summary:", "summry:")
    with pytest.raises(PolicyError):
        project.build(tmp_path / "site")
    assert not (project.root / cache.DIRECTORY).exists()


def test_problems_found_in_a_version_file_are_kept_with_its_result(project):
    """A file read once with a problem reports the same problem when read from the cache
    (the other file's problems reading it again would not show)."""
    first = kept(project)
    load(project.source, first)
    first.commit()
    text = project.read("versions/2027-04-01.yaml")
    project.write("versions/2027-04-01.yaml", text.replace("summary:", "summry:", 1))
    failed = kept(project)
    with pytest.raises(PolicyError) as raised:
        load(project.source, failed)
    failed.commit()  # as if the command had kept the result despite the problem
    again = kept(project)
    with pytest.raises(PolicyError) as second:
        load(project.source, again)
    assert (again.hits, again.misses) == (2, 0)
    assert [str(d) for d in second.value.diagnostics] == \
        [str(d) for d in raised.value.diagnostics]
    assert "unknown key 'summry'" in str(raised.value.diagnostics[0])


def test_the_cache_keeps_what_the_last_build_used_and_no_more(project, tmp_path):
    project.build(tmp_path / "one")
    for word in ("under 17 years", "under 18 years"):
        text = project.read("versions/2027-04-01.yaml")
        project.write("versions/2027-04-01.yaml",
                      text.replace("under 16 years", word).replace("under 17 years", word))
        project.relock()
        project.build(tmp_path / "one")
    assert len(entries(project, "versions")) == 2
    assert len(entries(project, "documents")) == 2
    assert len(entries(project, "changes")) == 1


def test_a_problem_is_placed_alike_in_a_file_read_by_a_worker_process(project, monkeypatch):
    """Large sources are read by worker processes, which send the version back without its
    syntax tree: placing a later problem reads the file again, to the same line."""
    from generator.source import convert as validate

    text = project.read("versions/2018-07-06.yaml").replace(
        "id: 2018-07-06\neffective_date: 2018-07-06", "id: 2019-01-01\neffective_date: 2019-01-01")
    project.write("versions/2019-01-01.yaml", text.replace("status: published", "status: draft"))
    alone = read(project.source)[2]("2019-01-01", ("effective_date",), "passed")
    monkeypatch.setattr(validate, "PARALLEL_FROM", 2)
    monkeypatch.setattr(validate.os, "cpu_count", lambda: 2)
    policy, _, locate = read(project.source)
    assert policy == load(project.source)
    assert locate("2019-01-01", ("effective_date",), "passed") == alone


def test_a_project_without_a_cache_builds_and_keeps_nothing(project, tmp_path):
    pipeline.build(dataclasses.replace(project.layout, cache=None), pipeline.BuildOptions(
        tmp_path / "site", AS_OF, {}, NOW, jobs=1))
    assert not (project.root / cache.DIRECTORY).exists()


def test_a_problem_found_after_loading_is_placed_in_a_file_taken_from_the_cache(project):
    """The cache keeps no syntax tree (it costs more to unpickle than to parse): placing a
    later problem (the lock's, a warning's) reads the file again, to the same line."""
    text = project.read("versions/2018-07-06.yaml").replace(
        "id: 2018-07-06\neffective_date: 2018-07-06", "id: 2019-01-01\neffective_date: 2019-01-01")
    project.write("versions/2019-01-01.yaml", text.replace("status: published", "status: draft"))
    first = kept(project)
    expected = read(project.source, first)[2]("2019-01-01", ("effective_date",), "passed")
    first.commit()
    again = kept(project)
    locate = read(project.source, again)[2]
    assert again.hits == 3
    assert locate("2019-01-01", ("effective_date",), "passed") == expected
    assert (expected.line, expected.column) == project.line_of("versions/2019-01-01.yaml",
                                                               "2019-01-01", start=7)


def test_a_build_from_another_folder_finds_the_documents_diffs_and_pages_kept(
        project, tmp_path, monkeypatch):
    """Messages name the source files by their path from the working folder, so a file's
    reading is kept per path; what is made of the version (its documents, diffs and pages)
    is the same from anywhere, and found again."""
    add_draft(project)
    monkeypatch.chdir(project.root)
    project.build(tmp_path / "site", drafts=True)
    kinds = ("documents", "changes", "pages")
    before = {kind: [path.name for path in entries(project, kind)] for kind in kinds}
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    project.build(tmp_path / "site", drafts=True)
    assert {kind: [path.name for path in entries(project, kind)] for kind in kinds} == before
    assert all(before.values())


def test_an_edit_reads_no_diff_it_did_not_change_and_keeps_them_all(project, monkeypatch):
    add_draft(project)
    project.build(drafts=True)
    kept_before = {path.name for path in entries(project, "changes")}
    assert len(kept_before) == 2  # 2018-07-06 -> 2027-04-01 -> 2028-01-01
    read = []
    real = cache.Cache.get

    def get(self, kind, entry):
        found = real(self, kind, entry)
        if found is not None:
            read.append(kind)
        return found

    monkeypatch.setattr(cache.Cache, "get", get)
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(drafts=True)
    assert "documents" in read  # what every build reads
    assert "changes" not in read  # the edited pair is diffed anew, the other not even read
    kept_after = {path.name for path in entries(project, "changes")}
    assert len(kept_after & kept_before) == 1 and len(kept_after) == 2


def test_a_cache_file_is_written_whole_or_not_at_all_and_leaves_no_partial_file(tmp_path):
    """Each write goes to a name of its own (two threads or commands may write one entry at
    once) and is renamed into place; one that fails returns False and leaves nothing."""
    entry = tmp_path / "kind" / "entry"
    assert verified.write_whole(entry, b"first") and entry.read_bytes() == b"first"
    assert verified.write_whole(entry, b"second") and entry.read_bytes() == b"second"
    blocked = tmp_path / "kind" / "blocked"
    (blocked / "inside").mkdir(parents=True)  # a folder where the file should go
    assert not verified.write_whole(blocked, b"data")
    assert sorted(p.name for p in (tmp_path / "kind").iterdir()) == ["blocked", "entry"]

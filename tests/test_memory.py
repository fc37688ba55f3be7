"""What a build keeps in memory: a cached PDF stays in the cache until the build writes it,
so the parent forked into the engine's workers does not carry every PDF's bytes. Sizes are
the benchmark's to show (`./dev bench`, peak MiB); these tests pin the mechanism. (The
workers' shared memory, gc.freeze, is tests/test_workers.py's.)"""
from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import pytest

from generator.core.diagnostics import UsageError
from generator.site import publish
from tests.helpers import copy_project


@pytest.fixture(scope="module")
def cached_build(tmp_path_factory):
    """The example built twice with one PDF cache: the second build finds every PDF."""
    root = tmp_path_factory.mktemp("memory")
    project = copy_project(root / "project")
    cache = {"POLICYGEN_CACHE": str(root / "cache")}
    first = project.build(out=root / "one", environ=cache)
    return root, first, project.build(out=root / "two", environ=cache)


def _damage(stored):
    """Replace a cache file by another intact entry (its header matches its new bytes)."""
    replaced = stored.read_bytes().partition(b"\n")[2] + b"% another PDF\n"
    stored.write_bytes(b"policygen pdf sha256=" + hashlib.sha256(replaced).hexdigest().encode()
                       + b"\n" + replaced)


def test_a_build_holds_no_cached_pdf_s_bytes_only_where_they_are(cached_build):
    root, _, built = cached_build
    assert built.pdfs
    for made in built.pdfs.values():
        assert made.data is None and made.stored is not None
        published = (root / "two" / made.path).read_bytes()
        assert made.size == len(published) and made.read() == published
        assert made.sha256 == hashlib.sha256(published).hexdigest()


def test_a_pdf_rendered_and_cached_now_is_not_held_either(cached_build):
    root, first, _ = cached_build
    for made in first.pdfs.values():
        assert made.data is None and made.stored is not None
        assert made.read() == (root / "one" / made.path).read_bytes()


def test_a_cached_pdf_changed_after_the_build_found_it_is_never_published(cached_build):
    _, _, built = cached_build
    made = next(iter(built.pdfs.values()))
    with _restored(made.stored) as kept:
        _damage(made.stored)
        with pytest.raises(UsageError, match="changed during the build"):
            made.read()
        made.stored.write_bytes(kept[:-10])  # truncated: its header no longer matches
        with pytest.raises(UsageError, match="changed during the build"):
            made.read()


def test_publish_stops_at_a_cached_pdf_damaged_between_the_stage_and_the_write(
        cached_build, tmp_path):
    _, _, built = cached_build
    made = next(iter(built.pdfs.values()))
    with _restored(made.stored):
        _damage(made.stored)
        with pytest.raises(UsageError, match="changed during the build"):
            publish._write(tmp_path, {made.path: publish.Deferred(made.sha256, made.read)},
                           None, set())
    assert not (tmp_path / made.path).exists()  # nothing written in its place


def test_a_build_after_a_cache_file_was_damaged_renders_it_anew_with_the_same_bytes(
        cached_build, tmp_path):
    root, _, built = cached_build
    made = next(iter(built.pdfs.values()))
    kept = made.stored.read_bytes()
    project = copy_project(tmp_path / "project")
    try:
        made.stored.write_bytes(kept[:-10])  # truncated: its header no longer matches
        again = project.build(out=tmp_path / "site",
                              environ={"POLICYGEN_CACHE": str(root / "cache")})
        assert (tmp_path / "site" / made.path).read_bytes() == \
            (root / "two" / made.path).read_bytes()
        assert again.pdfs == built.pdfs and made.stored.read_bytes() == kept
    finally:
        made.stored.write_bytes(kept)


def test_a_pdf_no_cache_could_keep_is_held_in_memory(project, tmp_path):
    built = project.build(out=tmp_path / "site", environ={"POLICYGEN_CACHE": ""})  # no cache
    assert built.pdfs
    for made in built.pdfs.values():
        assert made.stored is None and made.data.startswith(b"%PDF-")
        assert (tmp_path / "site" / made.path).read_bytes() == made.read()
        assert made.size == len(made.data)


@contextlib.contextmanager
def _restored(path: Path):
    """Yields the file's bytes and puts them back afterwards: the module's build is shared."""
    kept = path.read_bytes()
    try:
        yield kept
    finally:
        path.write_bytes(kept)

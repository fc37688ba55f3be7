"""policygen on the systems legal teams use: what Linux alone offers (fork, SIGPIPE, blocking
signals, renameat2, XDG) has a fallback, chosen once, that gives the same site."""
from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from generator.core.diagnostics import UsageError
from generator.runtime import cache
from generator.site import output


def two_sites(tmp_path):
    out, staged = tmp_path / "site", tmp_path / "work" / "site"
    for folder, text in ((out, "old"), (staged, "new")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text)
    return out, staged


def test_where_signals_cannot_be_blocked_a_ctrl_c_during_the_swap_arrives_after_it(
        tmp_path, monkeypatch):
    out, staged = two_sites(tmp_path)
    monkeypatch.delattr(signal, "pthread_sigmask")  # as on Windows

    def exchange_interrupted(one, other):
        signal.raise_signal(signal.SIGINT)  # Ctrl-C between the two renames
        return False  # as where renameat2 is missing

    monkeypatch.setattr(output, "_exchange", exchange_interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.swap_into_place(staged, out, tmp_path / "work", ["index.html"])
    assert (out / "index.html").read_text() == "new"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_previous_site_that_cannot_be_put_back_is_kept_whole_in_its_workspace(
        tmp_path, monkeypatch):
    """On Windows a folder whose file another program holds open cannot be renamed: when the
    new site cannot take the old one's place and the old one cannot return, the old one is
    never removed with the build's workspace."""
    out, staged = two_sites(tmp_path)
    work = tmp_path / "work"
    monkeypatch.setattr(output, "_exchange", lambda one, other: False)
    rename = output.os.rename

    def held_open(source, target):
        if target == out:
            raise PermissionError(13, "Access is denied", str(target))
        rename(source, target)

    monkeypatch.setattr(output.os, "rename", held_open)
    with pytest.raises(UsageError, match="could not put the previous site back") as raised:
        output.swap_into_place(staged, out, work, ["index.html"])
    assert str(work / "previous") in raised.value.hint
    output.discard(work)
    assert (work / "previous" / "index.html").read_text() == "old"


def test_the_user_cache_is_policygen_cache_first():
    assert cache.user_directory({"POLICYGEN_CACHE": "/srv/pdfs"}) == Path("/srv/pdfs")
    assert cache.user_directory({"POLICYGEN_CACHE": ""}) is None  # asked for none


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG is Linux's rule")
def test_else_the_user_cache_is_the_platform_s_own_which_honours_xdg_on_linux(
        tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.user_directory({}) == tmp_path / "xdg" / "policygen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.user_directory({}) == tmp_path / "home" / ".cache" / "policygen"

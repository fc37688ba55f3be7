"""policygen on the systems legal teams use: what Linux alone offers (fork, SIGPIPE, blocking
signals, renameat2, XDG) has a fallback, chosen once, that gives the same site."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core.diagnostics import UsageError
from generator.record import store as lockstore
from generator.runtime import cache
from generator.site import output
from generator.source import project as layout
from tests.helpers import ENGINES, ROOT, copy_project, files_of


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


# What Windows lacks, taken away from an interpreter before policygen is imported: a
# sitecustomize module on PYTHONPATH runs at every start, the spawned workers' too.
WITHOUT_WHAT_WINDOWS_LACKS = '''\
import ctypes, os, signal, sys

del os.fork, signal.SIGPIPE, signal.pthread_sigmask
sys.modules["fcntl"] = None  # `import fcntl` raises ImportError


class WithoutRenameat2(ctypes.CDLL):
    def __getattr__(self, name):
        if name == "renameat2":
            raise AttributeError(name)
        return super().__getattr__(name)


ctypes.CDLL = WithoutRenameat2
'''
SOURCE_DATE_EPOCH = "1795608000"  # 2026-11-25 12:00 UTC, the example's AS_OF


def policygen(project, *args: str, simulated: Path | None = None,
              environ: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` in `project`, as a CI step runs it; with the interpreter
    of `simulated` (a folder holding a sitecustomize) where given."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **(environ or {})}
    if simulated is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(simulated),
                                                          env.get("PYTHONPATH"))))
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project.root,
                          env=env, capture_output=True, text=True, check=False)


def seconds_left_out(report: str) -> str:
    return re.sub(r" in [0-9.]+ s$", "", report, flags=re.MULTILINE)


def lose_a_published_text(project) -> None:
    """The kept text of the source as it stands removed: `lock` writes it again (atomically)
    from the source."""
    (project.source / lockstore.PUBLISHED_DIR / "2027-04-01" / "en" /
     "eab74d240cf4afb783efb736f4c1557d7ffaf56afa61b7d46fc7c8d81c4e9c8b.json").unlink()


def test_without_fork_sigpipe_sigmask_renameat2_and_fcntl_lock_and_build_give_the_same_site(
        tmp_path):
    """Windows, simulated on Linux: PDFs and languages are made in spawned workers, the
    swap is two renames with signals deferred, a rebuild keeps no records (nothing to lock
    them with) and builds in full, and the site is byte for byte the same."""
    simulated = tmp_path / "windows"
    simulated.mkdir()
    (simulated / "sitecustomize.py").write_text(WITHOUT_WHAT_WINDOWS_LACKS)
    probe = subprocess.run(
        [sys.executable, "-c", "import os, signal; from generator.runtime import workers; "
         "from generator.site import output; print(hasattr(os, 'fork'), "
         "hasattr(signal, 'SIGPIPE'), hasattr(signal, 'pthread_sigmask'), "
         "workers._START.get_start_method(), workers.CAN_INHERIT, output._RENAMEAT2)"],
        env={**os.environ, "PYTHONPATH": str(simulated)}, capture_output=True, text=True,
        check=True)
    assert probe.stdout.split() == ["False", "False", "False", "spawn", "False", "None"]

    normal, windows = (copy_project(tmp_path / name) for name in ("normal", "windows-copy"))
    for project in (normal, windows):
        lose_a_published_text(project)
    fresh = {"POLICYGEN_CACHE": str(tmp_path / "cache")}  # every PDF rendered by spawned workers
    for args in (("lock",), ("validate", "--strict"), ("build",), ("build",)):  # and a rebuild
        expected = policygen(normal, *args)
        found = policygen(windows, *args, simulated=simulated, environ=fresh)
        assert expected.returncode == 0, expected.stderr
        assert found.returncode == 0, found.stderr
        assert seconds_left_out(found.stdout) == seconds_left_out(expected.stdout)
    assert files_of(windows.source) == files_of(normal.source)  # the same lock and texts
    assert files_of(windows.root / "site") == files_of(normal.root / "site")


def with_crlf(project) -> None:
    """Every text file's line ends made CR LF, as Git for Windows' core.autocrlf=true checks
    a repository out (a file with a NUL in its first 8,000 bytes is binary to Git)."""
    for path in project.root.rglob("*"):
        if path.is_file() and b"\0" not in path.read_bytes()[:8000]:
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_checkout_with_crlf_line_ends_builds_the_same_site_byte_for_byte(tmp_path, engine):
    lf, crlf = copy_project(tmp_path / "lf"), copy_project(tmp_path / "crlf")
    with_crlf(crlf)
    assert b"\r\n" in (crlf.root / "site_overrides/assets/javascripts/compare.js").read_bytes()
    lf.build(engine=engine)
    crlf.build(engine=engine)
    assert files_of(crlf.root / "site") == files_of(lf.root / "site")


def test_git_checks_out_every_text_type_a_build_copies_with_lf_line_ends():
    names = [f"site_overrides/file{suffix}" for suffix in sorted(layout.TEXT_SUFFIXES)]
    found = subprocess.run(["git", "check-attr", "eol", "--", *names], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    assert found.splitlines() == [f"{name}: eol: lf" for name in names]


def executable(path: Path, script: str) -> None:
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


@pytest.mark.skipif(os.name == "nt", reason="./dev is the bash entry point")
def test_dev_needs_no_sha256sum_and_a_linker_list_cut_short_never_reinstalls(tmp_path):
    """./dev in a checkout of its own (sharing this environment), on a PATH that has no
    sha256sum (macOS) and an ldconfig that writes more than a pipe holds after the lines
    searched for: `ldconfig -p | grep -q` failed there under pipefail, and ./dev ran
    apt-get again (here a fake that notes it was called)."""
    checkout = copy_project(tmp_path / "checkout").root
    for name in ("dev", "dev.py", "pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, checkout / name)
    (checkout / ".venv").symlink_to(ROOT / ".venv")  # installed already: no pip run
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "dirname").symlink_to(shutil.which("dirname"))
    (tools / "python3").symlink_to(os.path.realpath(sys._base_executable))
    executable(tools / "ldconfig", "echo libpangoft2-1.0.so.0 libharfbuzz-subset.so.0\n"
                                   f"exec {shutil.which('seq')} 300000\n")
    executable(tools / "fc-list", "echo Noto Sans CJK JP\n")
    executable(tools / "id", "echo 0\n")  # as root, who may install
    executable(tools / "apt-get", f"echo \"$@\" >> {tmp_path / 'apt-get.log'}\n")
    assert shutil.which("sha256sum", path=str(tools)) is None
    run = subprocess.run([shutil.which("bash"), str(checkout / "dev"), "validate"],
                         env={"PATH": str(tools), "POLICYGEN_CACHE": str(tmp_path / "cache")},
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("policy_src: OK")
    assert not (tmp_path / "apt-get.log").exists()


def test_dev_py_is_the_same_entry_point_without_bash():
    help_ = subprocess.run([sys.executable, str(ROOT / "dev.py"), "--help"],
                           capture_output=True, text=True, check=True).stdout
    assert help_ == subprocess.run(["bash", str(ROOT / "dev"), "--help"], capture_output=True,
                                   text=True, check=True).stdout
    assert "python dev.py COMMAND" in help_

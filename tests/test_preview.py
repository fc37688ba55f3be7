"""`policygen serve` as the legal team previews: the open page reloads after every rebuild,
and a source problem shows in the browser over the last good page."""
from __future__ import annotations

import functools
import json
import re
import shutil
import urllib.request
from pathlib import Path

import pytest

from generator.serve import SCRIPT_PATH, STATE_PATH, Preview, PreviewHandler, inject
from tests.browser import serving
from tests.helpers import V2018

PAGE = "<!DOCTYPE html><html><head><title>t</title></head><body><p>text</p></body></html>"


def previewing(directory, preview):
    return serving(functools.partial(PreviewHandler, preview, directory=str(directory)))


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def test_the_script_is_injected_before_the_closing_body_tag():
    assert inject(b"<body><p>x</p></body></html>") == \
        f'<body><p>x</p><script src="{SCRIPT_PATH}"></script></body></html>'.encode()
    assert inject(b"<p>no body</p>").endswith(b"</script>")


def test_the_state_counts_builds_and_holds_the_last_failures_problems():
    preview = Preview()
    preview.built()
    preview.failed(["v.yaml:3:5: wrong"])
    assert json.loads(preview.to_json()) == {"generation": 1, "problems": ["v.yaml:3:5: wrong"]}
    preview.built()
    assert json.loads(preview.to_json()) == {"generation": 2, "problems": []}


def test_served_pages_carry_the_script_and_the_built_files_do_not(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en/index.html").write_text(PAGE)
    (tmp_path / "data.json").write_text("{}")
    with previewing(tmp_path, Preview()) as base:
        assert SCRIPT_PATH.encode() in fetch(f"{base}/en/")
        assert SCRIPT_PATH.encode() in fetch(f"{base}/en/index.html")
        assert fetch(f"{base}/data.json") == b"{}"
        assert b"location.reload()" in fetch(f"{base}{SCRIPT_PATH}")
        assert json.loads(fetch(f"{base}{STATE_PATH}")) == {"generation": 0, "problems": []}
    assert (tmp_path / "en/index.html").read_text() == PAGE


def test_the_open_page_reloads_after_a_rebuild_and_shows_problems(tmp_path, browser):
    (tmp_path / "index.html").write_text(PAGE)
    preview = Preview()
    preview.built()
    with previewing(tmp_path, preview) as base:
        page = browser.new_page()
        page.goto(f"{base}/")
        page.wait_for_timeout(800)  # the script has read the generation it shows
        problem = "policy_src/versions/2028-04-01.yaml:14:5: <b>unknown</b> key 'titel'"
        preview.failed([problem])
        overlay = page.locator("#policygen-problems")
        overlay.wait_for(timeout=5000)
        assert "1 problem in the source" in overlay.inner_text()
        assert problem in overlay.inner_text()  # shown as text, never as markup
        assert page.locator("#policygen-problems b").count() == 0
        (tmp_path / "index.html").write_text(PAGE.replace("text", "rebuilt text"))
        preview.built()
        page.get_by_text("rebuilt text").wait_for(timeout=5000)
        assert page.locator("#policygen-problems").count() == 0
        page.close()


def test_policygen_serve_counts_rebuilds_and_reports_a_broken_save(project):
    """The command itself: a save that breaks the source shows in the state the page polls,
    and the fixed save counts as a new build, which reloads the page."""
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--port",
                               str(port), "--as-of", "2026-11-25"], cwd=project.root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def state(wanted, seconds: float = 60) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                found = json.loads(fetch(f"{base}{STATE_PATH}"))
                if wanted(found):
                    return found
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("serve did not reach the state in time")

    try:
        assert state(lambda s: s["generation"] == 1)["problems"] == []
        assert SCRIPT_PATH.encode() in fetch(f"{base}/en/")
        path = "versions/2018-07-06.yaml"
        text = project.read(path)
        project.write(path, text.replace("status: published", "stauts: published", 1))
        broken = state(lambda s: s["problems"])
        assert broken["generation"] == 1
        assert any("unknown key 'stauts'" in p for p in broken["problems"])
        project.write(path, text)
        assert state(lambda s: s["generation"] == 2)["problems"] == []
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_on_a_broken_source_stops_with_the_problems_and_serves_nothing(cli, project):
    # Nothing was built, so nothing is served: the command says what is wrong, as build does,
    # never "still serving the last good site".
    text = project.read(V2018)
    project.write(V2018, text.replace("status: published", "stauts: published", 1))
    run = cli("serve", "--port", "0", "--as-of", "2026-11-25", cwd=project.root)
    assert run.code == 2
    assert "unknown key 'stauts'" in run.err and "problems found; nothing was built" in run.err
    assert "still serving" not in run.err


@pytest.mark.parametrize("signal_name,code,said", [
    ("SIGINT", 0, ""), ("SIGTERM", 143, "policygen: terminated; the preview stopped\n")])
def test_serve_stops_on_ctrl_c_or_sigterm_and_removes_its_private_folder(
        project, tmp_path, signal_name, code, said):
    """Ctrl+C is how a writer stops the preview (exit 0); SIGTERM is a supervisor's stop and
    exits 143, as a terminated program does. Neither leaves the built site behind."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--port",
                               str(port), "--as-of", "2026-11-25"], cwd=project.root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "TMPDIR": str(temporary)})
    deadline = time.monotonic() + 60
    while True:
        try:
            if json.loads(fetch(f"http://127.0.0.1:{port}{STATE_PATH}"))["generation"] == 1:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline and server.poll() is None
        time.sleep(0.2)
    assert [p.name[:15] for p in temporary.iterdir()] == ["policygen-serve"]
    server.send_signal(getattr(signal, signal_name))
    err = server.communicate(timeout=30)[1]
    assert (server.returncode, err) == (code, said)
    assert list(temporary.iterdir()) == []


def test_serve_rebuilds_show_an_edited_theme_override_and_then_an_edited_word(project):
    """serve's rebuilds reuse what its process loaded and the previous output: neither may
    hide an edit to the look or to the text."""
    import socket
    import subprocess
    import sys

    from tests.helpers import add_draft

    add_draft(project)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--port",
                               str(port), "--drafts", "--as-of", "2026-11-25"], cwd=project.root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = f"http://127.0.0.1:{port}/en/versions/2028-01-01/"

    def shown(word: bytes) -> None:
        shows(server, page, word)

    try:
        shown(b"under 18 years")
        main = project.root / "site_overrides/shared/main.html"  # read by both engines
        main.write_text(main.read_text("utf-8").replace(
            "{% block extrahead %}", "{% block extrahead %}<!-- new look -->"), "utf-8")
        shown(b"<!-- new look -->")
        project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
        shown(b"under 20 years")
        assert b"<!-- new look -->" in fetch(page)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_goes_on_after_another_command_removed_what_it_held(project, tmp_path):
    """serve holds what it found in the cache from one rebuild to the next. A `build` run
    beside it leaves serve's results alone, but another policygen (of other code: a branch
    switched, an upgrade) removes this code's whole cache folder: a rebuild that needs a
    file it held (here every page, for a new look) makes it again instead of stopping."""
    import socket
    import subprocess
    import sys

    from tests.helpers import add_draft

    add_draft(project)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = f"http://127.0.0.1:{port}/en/versions/2028-01-01/"

    def start() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--port",
                                 str(port), "--drafts", "--as-of", "2026-11-25"],
                                cwd=project.root, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)

    def shown(server, word: bytes) -> None:
        shows(server, page, word)

    first = start()  # fills the cache: the next serve finds its pages there
    try:
        shown(first, b"under 18 years")
    finally:
        first.terminate()
        first.communicate(timeout=30)
    server = start()
    try:
        shown(server, b"under 18 years")
        built = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--drafts",
                                "--out", str(tmp_path / "preview"), "--as-of", "2026-11-25"],
                               cwd=project.root, capture_output=True, text=True)
        assert built.returncode == 0, built.stderr
        for folder in (project.root / ".policygen_cache").iterdir():
            shutil.rmtree(folder)  # as another policygen's build does with ours
        main = project.root / "site_overrides/shared/main.html"
        main.write_text(main.read_text("utf-8").replace(
            "{% block extrahead %}", "{% block extrahead %}<!-- new look -->"), "utf-8")
        shown(server, b"<!-- new look -->")
        assert server.poll() is None
    finally:
        server.terminate()
        err = server.communicate(timeout=30)[1]
    assert "Traceback" not in err and "not rebuilt" not in err


def shows(server, page: str, word: bytes, seconds: float = 90) -> None:
    """Wait until `serve` (the process `server`) sends `page` with `word` in it."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if word in fetch(page):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"serve did not show {word!r} in time")


def status_of(base: str, request_line: bytes) -> int:
    """The status a raw request line is answered with (a connection dropped: 0)."""
    import socket

    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = connection.makefile("rb").read()
    if answer.startswith(b"HTTP/"):
        return int(answer.split()[1])
    # A request line without a version is answered as HTTP/0.9 does: the page alone.
    found = re.search(rb"Error code: (\d+)", answer)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("request_line, status", [
    (b"GET /" + b"a" * 8_000 + b" HTTP/1.1", 414),
    (b"GET /" + b"a" * 65_000 + b" HTTP/1.1", 414),
    (b"GET /en/" + b"b" * 300 + b"/ HTTP/1.1", 414),
    (b"GET /en/%00index.html HTTP/1.1", 400),
    (b"GET /en/%ff%fe HTTP/1.1", 400),
    (b"GET /en/\x01 HTTP/1.1", 400),
    (b"GARBAGE", 400), (b"GET / HTTP/x.y", 400),
    (b"GET /en/ HTTP/1.1", 200),
], ids=["8000", "65000", "long-name", "nul", "not-utf8", "control", "garbage", "bad-version",
         "fine"])
def test_overlong_or_malformed_requests_get_414_or_400_never_a_traceback(
        tmp_path, capsys, request_line, status):
    (tmp_path / "en").mkdir()
    (tmp_path / "en/index.html").write_text(PAGE)
    with previewing(tmp_path, Preview()) as base:
        assert status_of(base, request_line) == status
    assert "Traceback" not in capsys.readouterr().err


def test_a_folder_vanishing_while_serving_is_answered_without_a_traceback(tmp_path, capsys):
    (tmp_path / "en").mkdir()
    (tmp_path / "en/index.html").write_text(PAGE)
    with previewing(tmp_path, Preview()) as base:
        shutil.rmtree(tmp_path / "en")
        assert status_of(base, b"GET /en/ HTTP/1.1") in (404, 503)
        assert status_of(base, b"GET /en/index.html HTTP/1.1") in (404, 503)
    assert "Traceback" not in capsys.readouterr().err


def test_the_watcher_passes_over_a_folder_removed_while_it_looks(tmp_path, monkeypatch):
    from generator import serve as serving_module
    from generator.source.project import Project

    (tmp_path / "policy_src/versions").mkdir(parents=True)
    (tmp_path / "policy_src/versions/a.yaml").write_text("id: a\n")
    (tmp_path / "policy_src/policy.yaml").write_text("x: 1\n")
    real_stat = serving_module.os.stat

    def vanishing(name, *args, **kwargs):  # as if `git clean` removed it just now
        if str(name).endswith("a.yaml"):
            raise FileNotFoundError(name)
        return real_stat(name, *args, **kwargs)
    monkeypatch.setattr(serving_module.os, "stat", vanishing)
    watched = [name for name, _, _ in serving_module.watched_state(Project.at(tmp_path))]
    assert [Path(name).name for name in watched] == ["policy.yaml"]

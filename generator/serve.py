"""`policygen serve`: build into a private directory, serve it, rebuild when a file changes.

The served pages carry a small script (templates/preview.js, injected as they are sent, never
written into the site) that polls the preview's state: it reloads the page after each rebuild
and lists the source's problems over the page while the last build failed."""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import http.server
import io
import json
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from generator import build as pipeline
from generator.core.diagnostics import (
    EXIT_TERMINATED,
    CacheChanged,
    PolicyError,
    Terminated,
    UsageError,
)
from generator.outputs import hosting
from generator.runtime.cache import Cache
from generator.site import engines
from generator.site.engines import SiteBuildError
from generator.site.publish import prepare_spare
from generator.source.project import Project

# The command line's error path: an error -> (exit status, the lines that explain it).
Failure = Callable[[Exception, str], tuple[int, list[str]]]

STATE_PATH = "/__policygen__/state"
SCRIPT_PATH = "/__policygen__/preview.js"
_SCRIPT = Path(__file__).parent / "templates" / "preview.js"
_SCRIPT_TAG = f'<script src="{SCRIPT_PATH}"></script>'.encode()


def watched_state(project: Project) -> tuple[tuple[str, float, int], ...]:
    """Every input file with its modification time and size: a change in any means rebuild.
    Files and folders may vanish while they are looked at (`git checkout`, `git clean`): what
    is gone is left out, and the next look sees the change."""
    found = []
    for part in project.inputs():
        # os.walk, not rglob: it passes over a folder removed while it walks.
        names = [str(part)] if not part.is_dir() else sorted(
            os.path.join(folder, name) for folder, _, files in os.walk(part) for name in files)
        for name in names:
            try:
                status = os.stat(name)
            except (OSError, ValueError):
                continue
            if stat.S_ISREG(status.st_mode):
                found.append((name, status.st_mtime, status.st_size))
    return tuple(found)


@dataclass
class Preview:
    """What the open pages poll: which build they show, and the problems of the last try."""

    generation: int = 0
    problems: tuple[str, ...] = ()
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def built(self) -> None:
        with self.lock:
            self.generation += 1
            self.problems = ()

    def failed(self, problems: list[str]) -> None:
        with self.lock:
            self.problems = tuple(problems)

    def to_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation,
                               "problems": list(self.problems)}).encode()


def inject(html: bytes) -> bytes:
    """The page with the preview script before its closing body tag (or at its end)."""
    at = html.rfind(b"</body>")
    return html + _SCRIPT_TAG if at < 0 else html[:at] + _SCRIPT_TAG + html[at:]


def serve(project: Project, args: argparse.Namespace, failure: Failure) -> int:
    """Serve until Ctrl+C (exit 0) or SIGTERM (exit 143, as a terminated program does);
    either way the private folder is removed. `failure` tells what a failed rebuild prints
    (the command line's one error path)."""
    out = Path(tempfile.mkdtemp(prefix="policygen-serve-")) / "site"
    try:
        return _serve(project, args, out, failure)
    except Terminated:
        shutil.rmtree(out.parent, ignore_errors=True)
        print("policygen: terminated; the preview stopped", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def _serve(project: Project, args: argparse.Namespace, out: Path, failure: Failure) -> int:
    preview = Preview()
    held: dict = {}  # the last build's results, found again by the next without a file read

    def build() -> pipeline.Built:
        return pipeline.build(project, pipeline.BuildOptions(
            out, args.as_of, os.environ, dt.datetime.now(dt.UTC), args.drafts,
            args.jobs, settings=pipeline.settings_for(project, args.engine), with_pdfs=False,
            held=held))

    def rebuild(first: bool = False) -> None:
        started = time.perf_counter()
        try:
            try:
                built = build()
            except CacheChanged:
                # What serve holds may name cache files another policygen command in the
                # project removed since (a `build` keeps only the results it used): the
                # build is made again from the files alone.
                held.clear()
                built = build()
        except (UsageError, PolicyError, SiteBuildError) as error:
            if first:
                raise  # nothing served yet: the command stops with the message, as `build`
            _, lines = failure(error, "not rebuilt; still serving the last good site")
            for line in lines:
                print(line, file=sys.stderr)
            preview.failed(lines[-6:])
            return
        for diagnostic in built.warnings:
            print(diagnostic, file=sys.stderr)
        preview.built()
        print(f"Rebuilt in {time.perf_counter() - started:.2f} s "
              f"(in force: {built.timeline.current.id if built.timeline.current else 'none'})")

    state = watched_state(project)  # before the first build: an edit made during it is seen
    engines.load(pipeline.settings_for(project, args.engine).engine).prepare()
    rebuild(first=True)
    if not out.exists():
        return 2
    records = Cache(project.cache).records(out)
    if records is not None:  # so that the first rebuild need not make a whole new site
        prepare_spare(out, records)
    handler = functools.partial(PreviewHandler, preview, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    except OSError as error:
        raise UsageError(f"cannot serve on {args.host}:{args.port}: "
                         f"{error.strerror or error}", "choose another port with --port, or "
                         "stop the program that uses it") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving on http://{args.host}:{server.server_port}/ (Ctrl+C to stop)")
    try:
        while True:
            time.sleep(0.1)  # an edit starts its rebuild within a tenth of a second
            current = watched_state(project)
            if current != state:
                state = current
                rebuild()
    except Terminated:
        raise
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()


# What no page of a site needs: longer URLs, or a longer name in one of their folders, are
# refused with 414 before any file is looked up (the system's own limit, 255 bytes a name,
# would be a traceback).
MAX_URL = 2048
MAX_NAME = 255


def refusal(raw_path: str) -> tuple[int, str] | None:
    """The status and reason a request's path is refused with, or None to look it up."""
    if len(raw_path) > MAX_URL:
        return 414, f"the URL is longer than {MAX_URL} characters"
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    try:
        local = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return 400, "the URL's escapes are not UTF-8"
    if not path.startswith("/") or any(c in local for c in "\0\\") or any(
            ord(c) < 32 for c in local):
        return 400, "the URL is malformed (a NUL or control character, or no leading /)"
    if any(len(part.encode()) > MAX_NAME for part in local.split("/")):
        return 414, f"a name in the URL is longer than {MAX_NAME} bytes"
    return None


class HostedFiles(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as a static host configured as docs/hosting.md says: the headers
    of hosting.py, and an ETag per file that answers If-None-Match with 304 Not Modified.
    A malformed or overlong path is answered 400 or 414; a file that vanishes while it is
    sent (the site swapped by a rebuild) 503, never a traceback."""

    _etag: str | None = None

    def do_GET(self) -> None:
        self._guarded(super().do_GET)

    def do_HEAD(self) -> None:
        self._guarded(super().do_HEAD)

    def _guarded(self, answer: Callable[[], None]) -> None:
        refused = refusal(self.path)
        if refused:
            self.path = "/"  # end_headers reads it for the hosting headers
            self.send_error(*refused)
            return
        try:
            answer()
        except (FileNotFoundError, NotADirectoryError):
            self.send_error(503, "the site is being rebuilt; try again in a moment")
        except OSError as error:  # ENAMETOOLONG and the like, from a name the system refuses
            self.send_error(404, error.strerror or "not found")

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        local = Path(self.translate_path(self.path))
        if local.is_file():
            self._etag = '"' + hashlib.sha256(local.read_bytes()).hexdigest()[:32] + '"'
            asked = {tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")}
            if self._etag in asked or "*" in asked:
                self.send_response(304)
                self.end_headers()
                return None
        return super().send_head()

    def end_headers(self) -> None:
        # Taken, not read: one handler answers every request of a kept-alive connection, and
        # a page sent without send_head must not carry the previous file's ETag.
        etag, self._etag = self._etag, None
        if etag:
            self.send_header("ETag", etag)
        # No path when the request line itself was refused (400 before it was parsed).
        path = getattr(self, "path", "/")
        site_path = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
        for name, value in hosting.headers_for(site_path.lstrip("/")).items():
            self.send_header(name, value)
        super().end_headers()


class PreviewHandler(HostedFiles):
    """Serves the built site, its pages with the preview script, and the preview's state."""

    def __init__(self, preview: Preview, *args, **kwargs):
        self.preview = preview
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._guarded(self._preview_get)

    def _preview_get(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == STATE_PATH:
            return self._send(self.preview.to_json(), "application/json")
        if path == SCRIPT_PATH:
            return self._send(_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        local = Path(self.translate_path(path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            return self._send(inject(local.read_bytes()), "text/html; charset=utf-8")
        return http.server.SimpleHTTPRequestHandler.do_GET(self)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # a line per request would bury the rebuild messages

"""`policygen serve`: build into a private directory, serve it, rebuild when a file changes."""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import build as pipeline
from .cli import site_settings
from .diagnostics import PolicyError, UsageError
from .engines import SiteBuildError
from .project import Project


def watched_state(project: Project) -> tuple[tuple[str, float, int], ...]:
    """Every input file with its modification time and size: a change in any means rebuild."""
    files = [p for part in project.inputs() if part.exists()
             for p in ([part] if part.is_file() else sorted(part.rglob("*"))) if p.is_file()]
    return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in files if p.exists())


def serve(project: Project, args: argparse.Namespace) -> int:
    out = Path(tempfile.mkdtemp(prefix="policygen-serve-")) / "site"

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            built = pipeline.build(project, out, args.as_of, dict(os.environ),
                                   dt.datetime.now(dt.timezone.utc), args.drafts, args.jobs,
                                   settings=site_settings(project, args))
        except PolicyError as error:
            for diagnostic in error.diagnostics:
                print(diagnostic, file=sys.stderr)
            print("policygen: not rebuilt; still serving the last good site", file=sys.stderr)
            return
        except SiteBuildError as error:
            print("\n".join(error.log), file=sys.stderr)
            return
        for diagnostic in built.warnings:
            print(diagnostic, file=sys.stderr)
        print(f"Rebuilt in {time.perf_counter() - started:.2f} s "
              f"(in force: {built.timeline.current.id if built.timeline.current else 'none'})")

    rebuild()
    if not out.exists():
        shutil.rmtree(out.parent, ignore_errors=True)
        return 2
    handler = functools.partial(_QuietHandler, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    except OSError as error:
        shutil.rmtree(out.parent, ignore_errors=True)
        raise UsageError(f"cannot serve on {args.host}:{args.port}: "
                         f"{error.strerror or error}", "choose another port with --port, or "
                         "stop the program that uses it") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving on http://{args.host}:{server.server_port}/ (Ctrl+C to stop)")
    state = watched_state(project)
    try:
        while True:
            time.sleep(0.3)
            current = watched_state(project)
            if current != state:
                state = current
                rebuild()
    except KeyboardInterrupt:
        server.shutdown()
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    return 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # a line per request would bury the rebuild messages

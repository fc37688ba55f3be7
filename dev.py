#!/usr/bin/env python3
"""The project's entry point on every system: `python dev.py COMMAND [options]` (Windows,
macOS; ./dev on Linux runs this after installing Debian's libraries). It makes the virtual
environment in .venv, installs policygen with its pinned dependencies whenever
pyproject.toml or constraints.txt changed, and runs the command inside it.

Standard library only: it runs before anything is installed. `python dev.py setup` makes
the environment and stops (./dev needs it before it asks policygen which libraries to
install).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"  # what was installed: wanted() when it was
# Where a virtual environment keeps its programs: Scripts\ on Windows, bin/ elsewhere.
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

USAGE = """\
usage: ./dev COMMAND [options]    (./dev COMMAND --help for a command's options and example)
       python dev.py COMMAND [options]    (the same without bash: Windows, macOS)

The project's own commands:
  test          run every test (pytest options pass through), installing what they need
  bench         measure build cost as the history grows (--sizes 10x2,50x10 --runs 3)

policygen's commands, run inside the project's environment (./dev X is policygen X):
  init          start a new project in DIR: policy_src/ with a first draft to replace
  import        make a version of the policy from its published Markdown or HTML
  new-version   start a draft version from the latest one (or --from ID)
  validate      check the source and report every problem (--strict: warnings fail)
  status        show where every version stands and what to do next
  translations  list stale, missing and checked translations
  diff          show what changed between two versions, or the versions in force on two days
  show          print the text in force on a day, exactly as it read then (--as-of DATE)
  serve         preview the site, rebuilding and reloading on every change
  build         build the static site into site/
  lock          lock every published version not yet locked, or record a correction
  verify        check the whole record, and a built or deployed site against it (--site)
  check         check that the policy states what each legal checklist asks (APPI...)
  store-labels  write a version's app store privacy labels (Apple, Google Play) into DIR
  schema        write the source files' JSON Schemas for editors into policy_src/schema/
"""


def wanted() -> str:
    """The installation's fingerprint: the first 16 hex digits of the SHA-256 of
    pyproject.toml and constraints.txt together (what `cat ... | sha256sum` gave)."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure_python_env() -> None:
    if not PYTHON.exists():
        print(f"dev: creating the virtual environment in {VENV.name}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    fingerprint = wanted()
    installed = STAMP.read_text(encoding="ascii").strip() if STAMP.exists() else ""
    if installed != fingerprint:
        print("dev: installing policygen and its pinned dependencies", file=sys.stderr)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "-c", "constraints.txt",
                        "-e", ".[test,zensical,properdocs]"], cwd=ROOT, check=True)
        STAMP.write_text(fingerprint + "\n", encoding="ascii")


def ensure_js_packages() -> None:
    """Ajv validates the published documents as JavaScript apps do: tests/js/package-lock.json
    pins it, installed again (npm ci) whenever the lock changes. Without npm the test that
    needs it says so."""
    lock = ROOT / "tests" / "js" / "package-lock.json"
    stamp = ROOT / "tests" / "js" / "node_modules" / ".installed"
    npm = shutil.which("npm")
    if not lock.exists() or npm is None:
        return
    fingerprint = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    installed = stamp.read_text(encoding="ascii").strip() if stamp.exists() else ""
    if installed != fingerprint:
        print("dev: installing the JavaScript tests' packages (tests/js)", file=sys.stderr)
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=lock.parent,
                       check=True)
        stamp.write_text(fingerprint + "\n", encoding="ascii")


def command_line(command: str, args: list[str]) -> list[str]:
    """What runs for `command`, in the environment's interpreter."""
    if command == "test":
        return [str(PYTHON), "-m", "pytest", *args]
    if command == "bench":
        return [str(PYTHON), str(ROOT / "benchmarks" / "run.py"), *args]
    return [str(PYTHON), "-m", "generator", command, *args]


def run(argv: list[str]) -> int:
    """`argv` in place of this process where the system can (its signals and exit status
    are then the command's own); Windows' exec starts another process and returns at once,
    so there the command runs as a child and its status is passed on."""
    if os.name != "nt":
        os.execv(argv[0], argv)
    child = subprocess.Popen(argv)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:  # Ctrl-C reaches the child too: wait for it to stop
            continue


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    command, args = (argv[0], argv[1:]) if argv else ("", [])
    if command in ("", "-h", "--help"):
        print(USAGE, end="")
        return 0
    ensure_python_env()
    if command == "setup":
        return 0
    if command == "test":
        ensure_js_packages()
    return run(command_line(command, args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The shell sessions the documentation shows (`$ policygen ...`, `$ ./dev ...` and the lines
they print), read from README.md and docs/*.md, and their output normalised where it cannot
be the same twice: the seconds a build took."""
from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.cli import main
from tests.helpers import ROOT

DOCUMENTS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
_BLOCK = re.compile(r"^( *)```[a-z]*\n(.*?)^\1```", re.S | re.M)
_SECONDS = re.compile(r"\bin \d+(\.\d+)? s\b")
# A build's output folder as the command names it from where it runs: '../../tmp/preview/'
_INTO = re.compile(r"\binto (?:\S*/)?([^/\s]+)/ in ")


@dataclass(frozen=True, slots=True)
class Step:
    """One command of a session and the lines the documentation shows it printing."""

    command: str
    shown: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Session:
    """A block of the documentation whose first line is a prompt: where, and its steps."""

    where: str  # docs/guide.md:19
    name: str  # its file and first command, and how many such came before: 'docs/x.md $ y #2'
    steps: tuple[Step, ...]


def sessions() -> list[Session]:
    """Every block of the documentation that starts with `$ policygen` or `$ ./dev`."""
    found = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for block in _BLOCK.finditer(text):
            lines = [line[len(block.group(1)):] for line in block.group(2).splitlines()]
            if not lines or not lines[0].startswith("$ ") or not any(
                    re.match(r"\$ (policygen|\./dev) ", line) for line in lines):
                continue
            steps: list[Step] = []
            for line in lines:
                if line.startswith("$ "):
                    steps.append(Step(line[2:], ()))
                else:
                    steps[-1] = Step(steps[-1].command, (*steps[-1].shown, line))
            document = path.relative_to(ROOT).as_posix()
            name = f"{document} $ {steps[0].command}"
            earlier = sum(1 for session in found if session.name.split(" #")[0] == name)
            line = text[:block.start()].count("\n") + 1
            found.append(Session(f"{document}:{line}", name + (f" #{earlier + 1}" if earlier
                                                               else ""), tuple(steps)))
    return found


def normalised(lines: list[str] | tuple[str, ...]) -> list[str]:
    """Lines as compared: a build's seconds and the path to its output folder left out,
    trailing blanks dropped."""
    lines = [_INTO.sub(r"into .../\1/ in ", _SECONDS.sub("in N s", line.rstrip()))
             for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(shown: tuple[str, ...], printed: list[str]) -> bool:
    """Whether the lines printed are those shown, a shown line '...' standing for any lines
    left out of the documentation."""
    pattern = "\n".join(".*?" if line == "..." else re.escape(line) for line in normalised(shown))
    return re.fullmatch(pattern, "\n".join(normalised(printed)), re.S) is not None


def run(command: str, cwd: Path) -> list[str]:
    """What one documented command prints (its error stream and output together, as a
    terminal shows them): policygen's commands in this process, the shell's by bash, with
    this environment's policygen first on its PATH."""
    words = shlex.split(command, comments=True)
    if words[0] not in ("policygen", "./dev"):
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        done = subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True,
                              text=True, timeout=120, check=False, env={**os.environ,
                                                                       "PATH": path})
        return (done.stderr + done.stdout).splitlines()
    printed = io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            try:
                main(words[1:])
            except SystemExit:
                pass
    finally:
        os.chdir(previous)
    return printed.getvalue().splitlines()

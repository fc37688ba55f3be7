"""Discoverability: every command is listed with one line, and each one's --help has a
description and an example; messages name commands as `policygen COMMAND`."""
from __future__ import annotations

import argparse
import re
import subprocess

import pytest

from generator.cli import parser
from tests.helpers import ROOT


def commands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_policygen_help_lists_every_command_with_one_line(cli, tmp_path):
    run = cli("--help", cwd=tmp_path)
    assert run.code == 0
    listed = re.findall(r"^    ([a-z-]+) {2,}\S", run.out, re.MULTILINE)
    assert listed == list(commands())
    assert {"new-version", "status", "translations", "diff", "lock", "schema"} <= set(listed)


@pytest.mark.parametrize("name", list(commands()))
def test_every_command_help_has_a_description_and_an_example(cli, tmp_path, name):
    run = cli(name, "--help", cwd=tmp_path)
    assert run.code == 0
    description = run.out.split("\n\n")[1]
    assert len(description.split()) >= 6 and not description.startswith(("positional",
                                                                          "options"))
    assert f"example:\n  policygen {name}" in run.out
    assert "global options (also accepted before the command):\n  --project PROJECT" in run.out


def test_dev_help_lists_every_command_and_nothing_stray():
    run = subprocess.run(["bash", str(ROOT / "dev"), "--help"], capture_output=True, text=True,
                         check=True)
    assert "set -euo" not in run.stdout and run.stdout.startswith("usage: ./dev COMMAND")
    listed = re.findall(r"^  ([a-z-]+) {2,}\S", run.stdout, re.MULTILINE)
    assert set(listed) == set(commands()) | {"test", "bench"}
    assert len(listed) == len(set(listed))


def test_messages_name_commands_as_policygen_not_dev():
    named = re.compile(rf"\./dev ({'|'.join(commands())})\b")
    for path in (ROOT / "generator").rglob("*.py"):
        assert not named.search(path.read_text(encoding="utf-8")), path

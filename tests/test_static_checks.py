"""ruff and mypy, as configured in pyproject.toml, are part of the tests: CI runs the tests, so a
lint finding or a type mismatch fails it like any other test."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT


@pytest.mark.parametrize("command", [
    ["ruff", "check", "generator", "tests", "benchmarks"],
    ["mypy"],
], ids=["ruff", "mypy"])
def test_static_check_passes(command):
    # From this interpreter's environment, so the pinned versions run, not whatever is on PATH.
    run = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr

"""The benchmark keeps working: its smallest size, once. It is a script that prints figures;
this test checks that it runs and prints them, never how fast anything was."""
from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT


def test_the_benchmark_runs_its_smallest_size_and_the_example_and_prints_every_figure(
        tmp_path):
    run = subprocess.run([sys.executable, "benchmarks/run.py", "--sizes", "3x2,example",
                          "--runs", "1",
                          "--work", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    header, row = lines[1].split(), lines[2].split()
    assert header[:4] == ["size", "pages", "files", "out"]
    assert header[-8:] == ["ratio", "incr", "serve", "searchKB", "currentB", "indexKB",
                           "cold-full", "cold-peak"]
    assert row[0] == "3x2" and len(row) == len(header) - 2  # "out MB", "peak MiB"
    # per language: in force, archive, compare, API page, 3 versions, 2 redlines
    assert int(row[1]) == 2 * (4 + 3 + 2)
    assert all(float(value) >= 0 for value in row[3:])  # serve's included: it is measured
    # the shipped example, as it is: 2 versions, 2 languages (11 pages each: 2027-04-01's two
    # corrections have a page before each and a redline of each), no draft to edit
    names = [name for name in header if name not in ("MB", "MiB")]
    example = lines[3].split()
    assert example[0] == "example" and int(example[1]) == 22
    assert float(example[names.index("full")]) > 0
    assert float(example[names.index("baseline")]) > 0
    assert example[names.index("incr")] == example[names.index("serve")] == "nan"

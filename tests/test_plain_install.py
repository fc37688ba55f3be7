"""policygen as a legal team's CI installs it: a plain, non-editable `pip install` of the
package into a new environment (a wheel built the ordinary way, so only what the package
ships is there: templates, checklists, the site's defaults), which validates, locks and
builds a project that has nothing but its policy_src/, into the same site the development
install builds."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, files_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `policygen` command of a new environment holding a plain install of this tree."""
    venv = tmp_path_factory.mktemp("plain") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    run = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet",
                          "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"),
                          str(ROOT)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return bin_dir / "policygen"


def policygen(command: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    environ = {**os.environ, "SOURCE_DATE_EPOCH": "1795608000"}  # 2026-11-25, the example's day
    environ.pop("PYTHONPATH", None)  # the installed package, never this checkout's
    return subprocess.run([str(command), *args], cwd=cwd, capture_output=True, text=True,
                          env=environ, timeout=600)


def test_a_plain_install_validates_locks_and_builds_a_project_of_its_policy_alone(
        installed, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "policy_src", project / "policy_src")  # no look, overrides, catalogs
    for command in (("validate",), ("lock",), ("build", "--out", "site")):
        run = policygen(installed, *command, cwd=project)
        assert run.returncode == 0, f"{command}: {run.stdout}{run.stderr}"
    assert "Built 2 languages x 2 versions" in run.stdout
    assert (project / "site/ja/versions/2018-07-06/index.html").is_file()
    assert list((project / "site/en/versions/2018-07-06").glob("*.pdf"))
    # the package's own copy of the look is the example's: the same site, byte for byte
    here = tmp_path / "here"
    shutil.copytree(project / "policy_src", here / "policy_src")
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--out", "site"],
                         cwd=here, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "SOURCE_DATE_EPOCH": "1795608000"})
    assert run.returncode == 0, run.stderr
    assert files_of(project / "site") == files_of(here / "site")

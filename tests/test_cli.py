"""The command line as the legal team meets it: clear messages, exit codes, no tracebacks."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT


def test_validate_reports_ok_on_the_example(cli, project):
    run = cli("validate", cwd=project.root)
    assert (run.code, run.err) == (0, "")
    assert run.out == "policy_src: OK (2 versions, 2 languages)\n"


def test_validate_exits_2_with_located_messages_and_no_traceback(cli, project):
    line = project.replace("versions/2018-07-06.yaml", "status: published", "stauts: published")
    run = cli("validate", cwd=project.root)
    assert run.code == 2
    assert f"policy_src/versions/2018-07-06.yaml:{line}:1: unknown key 'stauts'" in run.err
    assert "did you mean 'status'?" in run.err
    assert "Traceback" not in run.err + run.out
    assert run.err.rstrip().endswith("problems found; nothing was built")


@pytest.mark.parametrize("where", ["before", "after"])
def test_project_and_source_are_accepted_before_or_after_the_command(cli, project, tmp_path,
                                                                     where):
    given = ("--project", str(project.root), "--source", str(project.source))
    run = cli(*(given + ("validate",) if where == "before" else ("validate",) + given),
              cwd=tmp_path)
    assert (run.code, run.err) == (0, ""), run.err
    assert run.out.endswith("OK (2 versions, 2 languages)\n")


def test_the_same_global_option_given_on_both_sides_must_agree(cli, project, tmp_path):
    same = cli("--project", str(project.root), "validate", "--project", str(project.root),
               cwd=tmp_path)
    assert same.code == 0, same.err
    run = cli("--project", str(project.root), "validate", "--project", "elsewhere",
              cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == (f"policygen: --project is given twice, {project.root.as_posix()} "
                       "before validate and elsewhere after it; give --project once\n")


@pytest.mark.slow
def test_build_prints_a_concise_summary_without_the_engine_log(cli, project):
    run = cli("build", "--as-of", "2026-11-25", cwd=project.root)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Built 2 languages x 2 versions (22 pages, ")
    assert lines[0].split(" in ")[-1].endswith(" s") and "into site/" in lines[0]
    assert lines[1] == "As of 2026-11-25: in force 2018-07-06; upcoming 2027-04-01"
    # The example has no site_url: the build says what that costs (issue 25).
    assert lines[2] == ("No sitemaps for search engines: their addresses must be absolute; "
                        "set site_url in policygen.yml to publish them")
    assert "INFO" not in run.out + run.err
    assert (project.root / "site/en/index.html").is_file()


@pytest.mark.slow
def test_build_with_a_site_url_publishes_sitemaps_and_says_nothing_of_them(cli, project):
    project.configure(site_url="https://policy.example/")
    run = cli("build", "--as-of", "2026-11-25", cwd=project.root)
    assert run.code == 0, run.err
    assert "sitemaps" not in run.out and len(run.out.splitlines()) == 2
    assert b"<loc>https://policy.example/en/" in (project.root / "site/en/sitemap.xml").read_bytes()


@pytest.mark.slow
def test_build_with_verbose_shows_the_engine_log(cli, project):
    run = cli("build", "--as-of", "2026-11-25", "--verbose", cwd=project.root)
    assert "INFO - Building documentation to directory" in run.out


@pytest.mark.slow
def test_build_with_bad_source_keeps_the_previous_site(cli, project):
    assert cli("build", "--as-of", "2026-11-25", cwd=project.root).code == 0
    before = (project.root / "site/en/index.html").read_bytes()
    project.replace("versions/2018-07-06.yaml", "effective_date: 2018-07-06",
                    "effective_date: 2018-02-30")
    run = cli("build", cwd=project.root)
    assert run.code == 2 and "is not a real date" in run.err and "Traceback" not in run.err
    assert (project.root / "site/en/index.html").read_bytes() == before


def _killed(*args):  # a worker's language build, as the kernel's out-of-memory killer ends it
    os._exit(9)


@pytest.mark.slow
def test_a_worker_process_killed_meanwhile_is_said_and_keeps_the_previous_site(
        cli, project, monkeypatch):
    """The kernel kills a worker when memory runs out: one line says so and what to do, no
    traceback, and the site built before is still there."""
    from generator.site import publish

    assert cli("build", "--as-of", "2026-11-25", cwd=project.root).code == 0
    before = (project.root / "site/en/index.html").read_bytes()
    monkeypatch.setattr(publish, "_build_language", _killed)
    run = cli("build", "--as-of", "2026-11-25", "--jobs", "2", cwd=project.root)
    assert run.code == 1 and "Traceback" not in run.err
    assert "a worker process of the build was killed (out of memory?)" in run.err
    assert "--jobs 1" in run.err
    assert (project.root / "site/en/index.html").read_bytes() == before


def test_bad_as_of_date_is_a_usage_error_that_says_why(cli, project):
    run = cli("build", "--as-of", "2026-02-30", cwd=project.root)
    assert run.code == 2 and "'2026-02-30' is not a real date: February 2026 has 28 days" \
        in run.err
    run = cli("build", "--as-of", "30.2.2026", cwd=project.root)
    assert run.code == 2 and "'30.2.2026' is not a date written YYYY-MM-DD" in run.err


def test_schema_command_writes_the_committed_schemas(cli, project):
    committed = {p.name: p.read_text() for p in (ROOT / "policy_src/schema").glob("*.json")}
    for path in (project.source / "schema").glob("*.json"):
        path.unlink()
    assert cli("schema", cwd=project.root).code == 0
    written = {p.name: p.read_text() for p in (project.source / "schema").glob("*.json")}
    assert written == committed and len(written) == 2


def test_diff_prints_a_redline_in_the_chosen_language_and_format(cli, project):
    text = cli("diff", "2018-07-06", "2027-04-01", "--lang", "en", cwd=project.root)
    assert text.code == 0 and "[-also -]located" in text.out and "\033[" not in text.out
    markdown = cli("diff", "2018-07-06", "2027-04-01", "--format", "markdown", cwd=project.root)
    assert markdown.out.startswith("# 2027年4月1日版の変更内容") and "<ins>" in markdown.out
    data = __import__("json").loads(cli("diff", "2018-07-06", "2027-04-01", "--format", "json",
                                        cwd=project.root).out)
    assert data["language"] == "ja" and any(s["status"] == "added" for s in data["sections"])


def test_diff_of_an_unknown_version_names_the_known_ones(cli, project):
    run = cli("diff", "2018-07-06", "2030-01", cwd=project.root)
    assert run.code == 2
    assert run.err == "policygen: no version '2030-01'; the versions are " \
        "2018-07-06, 2027-04-01\n"


def test_diff_of_a_day_that_is_no_version_says_which_version_it_compares(cli, project):
    run = cli("diff", "2018-07-06", "2030-01-01", cwd=project.root)
    assert run.code == 0
    assert run.err == "policygen: 2030-01-01 is no version's id: comparing the version in " \
        "force that day, 2027-04-01\n"


def _run_into_a_closed_pipe(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    """Run policygen with its stdout a pipe whose reader has gone, as `policygen ... | head`
    leaves it once head has its lines (closed before the first write: no race)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run([sys.executable, "-c", "import sys; from generator.cli import "
                               "main; sys.exit(main())", *args], cwd=cwd, stdout=writer,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(writer)


def test_output_piped_into_head_ends_quietly_without_a_traceback(project):
    done = _run_into_a_closed_pipe("diff", "2018-07-06", "2027-04-01", cwd=project.root)
    assert done.stderr == ""
    assert done.returncode == 141  # 128 + SIGPIPE, as `yes | head` reports for `yes`


def test_a_long_listing_piped_into_head_ends_quietly_too(project):
    done = _run_into_a_closed_pipe("status", "--format", "json", cwd=project.root)
    assert done.stderr == ""
    assert done.returncode == 141

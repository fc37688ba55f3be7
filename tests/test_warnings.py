"""Warnings: a channel of their own. They are printed with their location and fail nothing,
unless --strict asks (as mkdocs' `strict`), and then they fail before anything is written."""
from __future__ import annotations

import pytest

from generator.core.diagnostics import Diagnostic, PolicyError, settle, warning
from generator.source.convert import load_with_warnings

HTTP_LINK = "(https://www.ppc.go.jp/)が公表"


def test_a_warning_names_itself_after_its_location():
    assert str(warning("v.yaml", 3, 5, "odd", "fix it")) == "v.yaml:3:5: warning: odd; fix it"
    assert str(Diagnostic("v.yaml", 3, 5, "wrong")) == "v.yaml:3:5: wrong"


def test_settle_returns_warnings_and_fails_only_on_errors_or_under_strict():
    found = [warning("b", 2, 1, "later"), warning("a", 1, 1, "first")]
    assert [d.path for d in settle(found)] == ["a", "b"]
    with pytest.raises(PolicyError) as strict:
        settle(found, strict=True)
    assert strict.value.strict and len(strict.value.diagnostics) == 2
    with pytest.raises(PolicyError) as failed:
        settle(found + [Diagnostic("c", 1, 1, "broken")], strict=False)
    assert not failed.value.strict and [d.path for d in failed.value.errors] == ["c"]


def test_an_http_link_is_a_located_warning_not_an_error(project):
    line = project.replace("versions/2027-04-01.yaml", HTTP_LINK, "(http://www.ppc.go.jp/)が公表")
    policy, warnings = load_with_warnings(project.source)
    assert len(policy.versions) == 2
    assert [(w.line, w.severity) for w in warnings] == [(line, "warning")]
    assert "is not encrypted (http:)" in warnings[0].message


def test_validate_prints_warnings_and_succeeds(cli, project):
    line = project.replace("versions/2027-04-01.yaml", HTTP_LINK, "(http://www.ppc.go.jp/)が公表")
    project.relock()
    run = cli("validate", cwd=project.root)
    assert run.code == 0
    assert run.out == "policy_src: OK (2 versions, 2 languages; 1 warning)\n"
    assert run.err.startswith(f"policy_src/versions/2027-04-01.yaml:{line}:")
    assert ": warning: link to 'http://www.ppc.go.jp/'" in run.err


@pytest.mark.parametrize("command", [("validate",), ("lock",), ("build", "--as-of", "2026-11-25")])
def test_strict_turns_warnings_into_a_failure(cli, project, command):
    project.replace("versions/2027-04-01.yaml", HTTP_LINK, "(http://www.ppc.go.jp/)が公表")
    project.relock()
    run = cli(*command, "--strict", cwd=project.root)
    assert run.code == 2
    assert ": warning: link to 'http://www.ppc.go.jp/'" in run.err
    assert "found (warnings are errors with --strict); nothing was " in run.err
    assert "Traceback" not in run.err and not (project.root / "site").exists()


@pytest.mark.slow
def test_build_prints_warnings_and_builds(cli, project):
    project.replace("versions/2027-04-01.yaml", HTTP_LINK, "(http://www.ppc.go.jp/)が公表")
    project.relock()
    run = cli("build", "--as-of", "2026-11-25", cwd=project.root)
    assert run.code == 0 and ": warning: link to" in run.err
    assert (project.root / "site/en/index.html").is_file()


def test_a_site_url_left_in_mkdocs_yml_is_a_located_warning_naming_policygen_yml(cli, project):
    look = project.root / "mkdocs.yml"
    text = look.read_text(encoding="utf-8")
    look.write_text(text + "site_url: https://www.example.com/privacy/\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    run = cli("validate", cwd=project.root)
    assert run.code == 0 and "; 1 warning)" in run.out
    assert run.err == (
        f"mkdocs.yml:{line}:1: warning: 'site_url' in mkdocs.yml is ignored: policygen sets "
        "it; move it to policygen.yml (site_url: ...), which every engine and the API read\n")


@pytest.mark.slow
def test_a_language_without_interface_catalog_is_a_warning_at_its_place_in_policy_yaml(
        cli, project):
    import shutil

    shutil.rmtree(project.root / "locales" / "ja")
    line, column = project.line_of("policy.yaml", "ja, en]")
    run = cli("build", "--as-of", "2026-11-25", cwd=project.root)
    assert run.code == 0 and (project.root / "site" / "ja" / "index.html").is_file()
    assert run.err.startswith(
        f"policy_src/policy.yaml:{line}:{column}: warning: language 'ja' has no interface "
        "catalog (locales/ja/LC_MESSAGES/messages.po): its pages would show the interface in "
        "English; create it with .venv/bin/pybabel init -i locales/messages.pot -d locales "
        "-l ja, then translate its strings\n")


def test_english_needs_no_catalog_and_the_shipped_project_warns_of_nothing(cli, project):
    import shutil

    shutil.rmtree(project.root / "locales" / "en")
    run = cli("validate", cwd=project.root)
    assert run.code == 0 and run.err == ""


def test_a_look_that_is_not_yaml_is_refused_at_its_place(project, cli):
    look = project.root / "mkdocs.yml"
    lines = look.read_text(encoding="utf-8").count("\n")
    look.write_text(look.read_text(encoding="utf-8") + "extra:\n  palette: [\n",
                    encoding="utf-8")
    run = cli("build", cwd=project.root)
    assert run.code == 2 and not (project.root / "site").exists()
    assert f"mkdocs.yml:{lines + 3}:1: mkdocs.yml is not valid YAML: " in run.err
    assert "fix the YAML at this place" in run.err and "Traceback" not in run.err

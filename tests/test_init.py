"""`policygen init`: a new project that validates and builds at once, made of nothing but
policy_src/, the look, theme and catalogs coming from the package until it has its own."""
from __future__ import annotations

import filecmp
import io
import shutil

import pytest

from generator.source.project import DEFAULTS
from tests.helpers import ROOT

ACME = ("--company", "Acme Inc.", "--languages", "en,fr", "--authoritative", "en",
        "--timezone", "America/New_York")


def init(cli, tmp_path, *more: str, name: str = "acme"):
    return cli("init", name, *ACME, *more, cwd=tmp_path)


def test_init_writes_only_policy_src_and_its_workflow_and_the_project_validates(cli,
                                                                               tmp_path):
    run = init(cli, tmp_path, "--checklists", "gdpr-13-14")
    assert run.code == 0, run.err
    root = tmp_path / "acme"
    assert sorted(path.name for path in root.iterdir()) == [".github", "policy_src"]
    written = sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                     if path.is_file())
    assert written[0] == ".github/workflows/publish.yml" and len(written) == 3
    assert written[1] == "policy_src/policy.yaml"
    assert written[2].startswith("policy_src/versions/")
    assert "wrote acme/.github/workflows/publish.yml: GitHub Actions validates every pull " \
        "request, publishes main to GitHub Pages and rebuilds daily (05:05 UTC is 00:05 in " \
        "America/New_York, 01:05 in summer time)\n" in run.out
    checked = cli("validate", cwd=root)
    assert checked.code == 0, checked.err
    assert "policy_src: OK (1 version, 2 languages" in checked.out


def test_the_first_draft_has_one_section_per_checklist_item_to_replace(cli, tmp_path):
    init(cli, tmp_path, "--checklists", "gdpr-13-14")
    draft = next((tmp_path / "acme/policy_src/versions").glob("*.yaml")).read_text()
    for item in ("operator-name", "purposes", "legal-basis", "retention",
                 "data-subject-rights", "complaint-authority"):
        assert f"  - id: {item}\n" in draft and f"sections: [{item}]" in draft
    run = cli("validate", cwd=tmp_path / "acme")
    assert "warning: the 'en' text of sections.purposes.body is a placeholder (REPLACE: " \
        "...), not the policy's text; write the policy's text in its place" in run.err
    assert "warning: the 'fr' text of sections.purposes.title is a placeholder" in run.err


def test_the_policy_title_comes_from_the_catalogs_in_each_language(cli, tmp_path):
    init(cli, tmp_path)
    policy = (tmp_path / "acme/policy_src/policy.yaml").read_text()
    assert 'en: "Privacy policy"' in policy and 'fr: "Politique de confidentialité"' in policy
    assert "checklists" not in policy.split("# Effective dates")[1]  # none asked for


def test_lock_refuses_a_published_draft_that_still_holds_placeholders(cli, tmp_path):
    init(cli, tmp_path)
    draft = next((tmp_path / "acme/policy_src/versions").glob("*.yaml"))
    draft.write_text(draft.read_text().replace("status: draft", "status: published")
                     .replace("reconsent_required: false", "reconsent_required: false\n"
                              "summary:\n  en: First.\n  fr: Première."))
    run = cli("lock", cwd=tmp_path / "acme")
    assert run.code == 2
    assert "the 'en' text of sections.introduction.body is a placeholder" in run.err
    assert run.err.rstrip().endswith("nothing was locked")
    assert not (tmp_path / "acme/policy_src/policy.lock").exists()


def test_a_new_project_builds_with_the_look_theme_and_catalogs_of_the_package(cli, tmp_path):
    init(cli, tmp_path)
    root = tmp_path / "acme"
    run = cli("build", "--drafts", "--out", str(tmp_path / "preview"), cwd=root)
    assert run.code == 0, run.err
    page = next((tmp_path / "preview/fr/versions").glob("*/index.html")).read_text()
    assert "Politique de confidentialité" in page  # the title, from the package's catalog
    assert (tmp_path / "preview/fr/assets/stylesheets/policygen.css").is_file()
    assert sorted(path.name for path in root.iterdir()
                  if not path.name.startswith(".")) == ["policy_src"]


def test_init_keeps_a_workflow_the_folder_already_has(cli, tmp_path):
    own = tmp_path / "acme/.github/workflows/publish.yml"
    own.parent.mkdir(parents=True)
    own.write_text("name: ours\n")
    run = init(cli, tmp_path)
    assert run.code == 0, run.err
    assert own.read_text() == "name: ours\n"
    assert "kept acme/.github/workflows/publish.yml: the project's own, not replaced" in run.out


def test_init_refuses_a_folder_that_holds_a_project(cli, tmp_path):
    init(cli, tmp_path)
    run = init(cli, tmp_path)
    assert run.code == 2
    assert "acme/policy_src already exists: acme holds a project" in run.err


@pytest.mark.parametrize("options, said", [
    (("--languages", "en,xx-yy"), "'xx-yy' is not a language tag"),
    (("--authoritative", "de"), "the authoritative language 'de' is not one of --languages"),
    (("--timezone", "Mars/Olympus"), "'Mars/Olympus' is not a time zone"),
    (("--checklists", "hipaa"), "no checklist 'hipaa'; the checklists are appi-2022, "
                                "gdpr-13-14"),
])
def test_init_names_a_wrong_choice_and_writes_nothing(cli, tmp_path, options, said):
    chosen = list(ACME) + ["--checklists", ""]
    for name, value in zip(options[::2], options[1::2], strict=True):
        chosen[chosen.index(name) + 1] = value
    run = cli("init", "acme", *chosen, cwd=tmp_path)
    assert run.code == 2 and said in run.err
    assert not (tmp_path / "acme").exists()


def test_init_without_a_terminal_names_the_missing_options(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    run = cli("init", "acme", "--company", "Acme Inc.", cwd=tmp_path)
    assert run.code == 2
    assert "missing --languages, --timezone; pass them, or run policygen init on a " \
        "terminal to be asked" in run.err


def test_init_on_a_terminal_asks_for_what_is_missing(cli, tmp_path, monkeypatch):
    answers = io.StringIO("Acme Inc.\nfr,en\nEurope/Paris\n\ngdpr-13-14\n")
    answers.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", answers)
    run = cli("init", "acme", cwd=tmp_path)
    assert run.code == 0, run.err
    policy = (tmp_path / "acme/policy_src/policy.yaml").read_text()
    assert "languages: [fr, en]" in policy and "authoritative_language: fr" in policy
    assert "timezone: Europe/Paris" in policy and "checklists: [gdpr-13-14]" in policy


def test_a_broken_override_is_an_error_of_validate_with_its_path(cli, tmp_path):
    init(cli, tmp_path)
    root = tmp_path / "acme"
    (root / "mkdocs.yml").symlink_to("nowhere.yml")
    (root / "locales").write_text("not a folder")
    shutil.copytree(DEFAULTS / "site_overrides", root / "site_overrides")
    (root / "site_overrides/shared/main.html").unlink()
    run = cli("validate", cwd=root)
    assert run.code == 2
    assert "mkdocs.yml:1:1: mkdocs.yml is a link to 'nowhere.yml', which does not exist" \
        in run.err
    assert "locales:1:1: locales is a file, not the folder it must be" in run.err
    assert "site_overrides/shared/main.html:1:1: site_overrides/ has no shared/main.html, " \
        "which the pages need" in run.err


def test_a_projects_own_look_replaces_the_default(cli, tmp_path):
    init(cli, tmp_path)
    root = tmp_path / "acme"
    (root / "mkdocs.yml").write_text((DEFAULTS / "mkdocs.yml").read_text()
                                     .replace("primary: custom", "primary: teal"))
    run = cli("build", "--drafts", "--out", str(tmp_path / "preview"), cwd=root)
    assert run.code == 0, run.err
    page = (tmp_path / "preview/en/index.html").read_text()
    assert 'data-md-color-primary="teal"' in page


def test_the_examples_look_theme_and_catalogs_are_the_packages_defaults():
    """The example keeps its own copies (its tests edit them as a project's own), and they
    are the defaults: a change to one is made to both."""
    for part in ("mkdocs.yml", "site_overrides", "locales"):
        if (ROOT / part).is_file():
            assert filecmp.cmp(ROOT / part, DEFAULTS / part, shallow=False), part
            continue
        compared = filecmp.dircmp(ROOT / part, DEFAULTS / part)
        assert _differences(compared) == [], part


def _differences(compared: filecmp.dircmp) -> list[str]:
    found = [*compared.left_only, *compared.right_only, *compared.diff_files]
    for sub in compared.subdirs.values():
        found += _differences(sub)
    return found


def test_a_language_without_a_catalog_says_to_start_from_the_packages_catalogs(cli, tmp_path):
    cli("init", "acme", *ACME[:2], "--languages", "en,sv", *ACME[4:], cwd=tmp_path)
    run = cli("validate", cwd=tmp_path / "acme")
    assert "warning: language 'sv' has no interface catalog" in run.err
    assert f"copy {DEFAULTS / 'locales'} to locales/, then create it with .venv/bin/pybabel " \
        "init -i locales/messages.pot -d locales -l sv" in run.err

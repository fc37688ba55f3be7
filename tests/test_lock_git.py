"""The `git commit -am` scenario: `lock` writes new files under published/, which `commit -a`
leaves out. In the author's checkout `lock` and `validate` name each record file git does not
track, with the exact `git add`; in a clone that lacks one, the error names each missing file
and says it was never committed. Without git, nothing is said."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helpers import NOW, add_third_version, copy_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

V2028 = "versions/2028-01-01.yaml"


def git(folder, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Author", "-c", "user.email=a@example.com",
                           *args], cwd=folder, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def author(tmp_path, monkeypatch):
    """An author's checkout with a committed draft 2028-01-01, about to publish it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    project = copy_project(tmp_path / "author")
    add_third_version(project)
    project.replace(V2028, "status: published", "status: draft")
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "The policy, and the draft of 2028-01-01")
    project.replace(V2028, "status: draft", "status: published")
    return project


def new_texts(project) -> list[str]:
    return sorted(p.relative_to(project.root).as_posix()
                  for p in (project.source / "published/2028-01-01").rglob("*.json"))


def untracked_warning(path: str) -> str:
    return (f"{path}:1:1: warning: this file of the published record is not tracked by git: "
            "`git commit -a` leaves it out, and every clone then lacks it; run "
            f"`git add {path}` and commit it with the lock")


def test_lock_and_validate_name_each_record_file_git_does_not_track_with_its_git_add(
        author, cli):
    run = cli("lock", cwd=author.root)
    assert run.code == 0, run.err
    texts = new_texts(author)
    assert len(texts) == 2
    assert [untracked_warning(path) for path in texts] == \
        [line for line in run.out.splitlines() if "warning:" in line]
    git(author.root, "commit", "-qam", "Publish 2028-01-01")  # leaves the new texts out
    run = cli("validate", cwd=author.root)
    assert run.code == 0
    assert [untracked_warning(path) for path in texts] == \
        [line for line in run.err.splitlines() if "not tracked by git" in line]
    git(author.root, "add", *texts)
    assert "git" not in cli("validate", cwd=author.root).err  # once added, nothing is said


def test_a_clone_lacking_the_texts_names_each_missing_file_as_never_committed(
        author, cli, tmp_path):
    assert cli("lock", cwd=author.root).code == 0
    git(author.root, "commit", "-qam", "Publish 2028-01-01")
    git(tmp_path, "clone", "-q", str(author.root), "colleague")
    run = cli("validate", cwd=tmp_path / "colleague")
    assert run.code == 2
    for path in new_texts(author):
        language = path.split("/")[3]
        assert any(f"the locked '{language}' text of version 2028-01-01 is missing: {path} "
                   "was never committed: the commit that recorded it in policy.lock left it out"
                   in line and f"run `git add {path}` and amend that commit to carry it" in line
                   for line in run.err.splitlines()), run.err


def test_an_ignored_record_file_is_named_with_the_forced_git_add(author, cli):
    (author.root / ".gitignore").write_text("*.json\n", encoding="utf-8")
    assert cli("lock", cwd=author.root).code == 0
    run = cli("validate", cwd=author.root)
    for path in new_texts(author):
        assert f"{path}:1:1: warning: this file of the published record is ignored by git, so " \
            f"no commit carries it and every clone lacks it; run `git add -f {path}`" in run.err


def test_without_git_on_the_path_nothing_is_said(author, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-git"))
    run = cli("lock", cwd=author.root)
    assert run.code == 0 and "git" not in run.out.replace("policygen", "")

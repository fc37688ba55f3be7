"""git's conflict markers, as a merge leaves them in a version file or in policy.lock, are said
as the merge conflict they are, at each marker's line, with the recovery that fits the file: a
version file takes one side and is edited; the lock takes the side that has both steps, by
checking out one side and recording the other side's step again."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helpers import NOW, V2027, WITHDRAWAL, add_third_version, copy_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(folder, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", "-c", "user.name=Author", "-c", "user.email=a@example.com",
                           *args], cwd=folder, check=check, capture_output=True,
                          text=True).stdout


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    project = copy_project(tmp_path / "project")
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "The policy")
    return project


def commit(project, message: str) -> None:
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", message)


def markers(project, relative: str) -> list[tuple[int, str]]:
    return [(number, line.split(" ")[0])
            for number, line in enumerate(project.read(relative).splitlines(), 1)
            if line[:7] in ("<<<<<<<", "=======", ">>>>>>>")]


def test_conflict_markers_in_a_version_file_are_a_merge_conflict_at_each_line(project, cli):
    add_third_version(project)
    project.replace("versions/2028-01-01.yaml", "status: published", "status: draft")
    commit(project, "A draft of 2028-01-01")
    git(project.root, "checkout", "-qb", "colleague")
    project.replace("versions/2028-01-01.yaml", "お子様の利用", "子どもの利用")
    commit(project, "Retitled")
    git(project.root, "checkout", "-q", "main")
    project.replace("versions/2028-01-01.yaml", "お子様の利用", "お子さまの利用")
    commit(project, "Retitled too")
    git(project.root, "merge", "-q", "colleague", check=False)
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "could not find expected" not in run.err
    shown = "policy_src/versions/2028-01-01.yaml"
    hint = ("take one side: between the markers, keep the lines you want, delete the other "
            "side and the marker lines, edit the result, then run `policygen validate`")
    (start, _), (middle, _), (end, _) = markers(project, "versions/2028-01-01.yaml")
    assert [line for line in run.err.splitlines() if line.startswith(shown)] == [
        f"{shown}:{start}:1: a merge conflict: git's marker '<<<<<<<' starts the lines of one "
        f"side (HEAD); {hint}",
        f"{shown}:{middle}:1: a merge conflict: git's marker '=======' separates the two sides; "
        f"{hint}",
        f"{shown}:{end}:1: a merge conflict: git's marker '>>>>>>>' ends the lines of the other "
        f"side (colleague); {hint}"]


def test_a_conflicted_lock_is_recovered_by_one_side_and_the_other_sides_command(
        project, cli):
    git(project.root, "checkout", "-qb", "colleague")  # withdraws 2027-04-01
    project.write(V2027, project.read(V2027) + WITHDRAWAL)
    assert cli("lock", "--withdraw", "2027-04-01", cwd=project.root).code == 0
    commit(project, "Withdraw 2027-04-01")
    git(project.root, "checkout", "-q", "main")  # publishes 2028-01-01
    add_third_version(project)
    assert cli("lock", cwd=project.root).code == 0
    commit(project, "Publish 2028-01-01")
    git(project.root, "merge", "-q", "colleague", check=False)
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "damaged" not in run.err
    found = [line for line in run.err.splitlines() if line.startswith("policy_src/policy.lock")]
    hint = ("take the side that has both steps: check out one side (`git checkout --ours "
            "policy_src/policy.lock`, or --theirs), then re-run the command that recorded the "
            "other side's step (`policygen lock`, with its --correct, --postpone or "
            "--withdraw), so the lock records both; never merge policy.lock by hand")
    lines = markers(project, "policy.lock")
    assert len(found) == len(lines) >= 3
    assert all(line.startswith(f"policy_src/policy.lock:{number}:1: a merge conflict: git's "
                               f"marker '{marker}'") and line.endswith(hint)
               for line, (number, marker) in zip(found, lines, strict=True))
    # The recovery the message gives: our side, then the colleague's command again.
    git(project.root, "checkout", "--ours", "policy_src/policy.lock")
    run = cli("lock", "--withdraw", "2027-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert cli("validate", cwd=project.root).code == 0
    steps = [line for line in project.read("policy.lock").splitlines()
             if line.startswith('  {"kind"')]
    assert [step.split('"')[3] + " " + step.split('"')[7] for step in steps[-2:]] == [
        "lock 2028-01-01", "withdrawal 2027-04-01"]

"""The lock is tamper-evident: each recorded step carries the SHA-256 of the step before it
and of its content, so any hand edit of policy.lock is refused at its line with the recovery,
and a lock written before the chain is migrated once, the migration recorded as a step."""
from __future__ import annotations

import hashlib
import json

import pytest

from generator.record import lock
from generator.record import store as lockstore
from tests.helpers import ROOT, V2027, without_corrections

LOCK = "policy.lock"
RECOVERY = "restore it from version control (`git checkout -- policy_src/policy.lock`), " \
    "then re-run the recording command"


@pytest.fixture
def project(project, monkeypatch):
    monkeypatch.chdir(project.root)
    return project


def line_of(project, needle: str, after: str = "") -> int:
    text = project.read(LOCK)
    start = text.index(after) if after else 0
    return text[:text.index(needle, start)].count("\n") + 1


def refusal(cli, project, command: str = "validate") -> list[str]:
    run = cli(command, cwd=project.root)
    assert run.code == 2 and "Traceback" not in run.err, run.err
    return [line for line in run.err.splitlines() if line.startswith("policy_src/")]


def steps(project) -> list[str]:
    """The lock's step lines, as written: one a line, after the versions."""
    return [line.rstrip(",") for line in project.read(LOCK).splitlines()
            if line.startswith('  {"kind"')]


def rewrite(project, versions: dict, step_lines: list[str]) -> None:
    """policy.lock as a hand would leave it: its versions and step lines, laid out as written."""
    data = {**json.loads(project.read(LOCK)), "versions": versions}
    del data["steps"]
    text = json.dumps(data, ensure_ascii=False, indent=1)
    project.write(LOCK, text[:-2] + ',\n "steps": [\n' + ",\n".join(step_lines) + "\n ]\n}\n")


STEP_2027 = '  {"kind": "lock", "version": "2027-04-01"'


def test_a_backdated_announcement_is_refused_at_its_line_with_the_recovery(project, cli):
    project.replace(LOCK, '"announced": "2026-11-25"', '"announced": "2026-01-01"')
    line = line_of(project, '"announced": "2026-01-01"')
    assert refusal(cli, project) == [
        f"policy_src/policy.lock:{line}:4: the lock of version 2027-04-01: its announcement "
        f"date is 2026-01-01 in policy.lock, but step 2 (line {line_of(project, STEP_2027)}) "
        f"recorded 2026-11-25: the lock was edited by hand; {RECOVERY} (`policygen lock`, with "
        "the --correct, --postpone or --withdraw it was run with); never edit policy.lock by "
        "hand"]


def test_a_changed_effective_date_is_refused_at_its_line(project, cli):
    project.replace(LOCK, '"effective_date": "2027-04-01"', '"effective_date": "2027-05-01"')
    [message] = refusal(cli, project)
    line = line_of(project, '"effective_date": "2027-05-01"')
    assert message.startswith(f"policy_src/policy.lock:{line}:6: the lock of version "
                              "2027-04-01: its effective date is 2027-05-01 in policy.lock")
    assert RECOVERY in message


def test_a_changed_text_hash_is_refused_at_its_revision(project, cli):
    locked = lock.loads(project.read(LOCK), LOCK).versions["2027-04-01"].revisions[1]
    sha256 = locked.documents["en"].sha256
    project.replace(LOCK, sha256, "0" * 64)
    [message] = refusal(cli, project)
    revision = line_of(project, '"correction": 1') - 1  # the second revision's opening
    assert message.startswith(f"policy_src/policy.lock:{revision}:5: correction 1 of version "
                              "2027-04-01 was edited by hand: it no longer has the content "
                              f"step 3 (line {line_of(project, steps(project)[2])}) recorded")


def test_a_deleted_version_entry_is_refused_at_the_steps_that_recorded_it(project, cli):
    versions = json.loads(project.read(LOCK))["versions"]
    del versions["2027-04-01"]
    rewrite(project, versions, steps(project))
    messages = refusal(cli, project)
    for number, what in [(2, "the lock of version 2027-04-01"),
                         (3, "correction 1 of version 2027-04-01")]:
        assert f"policy_src/policy.lock:{line_of(project, steps(project)[number - 1])}:3: " \
            f"step {number} records {what}, which policy.lock no longer holds: it was " \
            "deleted from the lock by hand" in [m.split(";")[0] for m in messages], messages


def test_reordered_or_deleted_steps_are_refused_at_the_step_that_no_longer_follows(
        project, cli):
    lines = steps(project)
    project.replace(LOCK, lines[1] + ",\n" + lines[2], lines[2] + ",\n" + lines[1])
    assert any(m.startswith(f"policy_src/policy.lock:{line_of(project, lines[2])}:3: step 2 "
                            "(correction 1 of version 2027-04-01) does not follow the step "
                            "before it: a step of policy.lock was deleted, added or moved")
               for m in refusal(cli, project))


def test_deleting_a_version_and_following_the_advice_cannot_relock_an_edited_text(
        project, cli):
    """What re-locked an edited published text (18歳 -> 13歳) and erased its correction:
    the version's entry and its steps deleted, then `lock` as the message advised."""
    versions = json.loads(project.read(LOCK))["versions"]
    del versions["2027-04-01"]
    rewrite(project, versions, steps(project)[:1])  # a chain that holds: its end cut off
    project.replace(V2027, "16歳未満", "13歳未満")
    project.replace(V2027, "children under 16", "children under 13")
    project.write(V2027, without_corrections(project.read(V2027)))  # as the advice said
    before = project.read(LOCK)
    messages = refusal(cli, project, "lock")
    kept = sorted(p.relative_to(project.root).as_posix() for p in
                  (project.source / "published/2027-04-01").rglob("*.json"))
    assert len(kept) == 6 and project.read(LOCK) == before
    for path in kept:
        assert any(f"{path} keeps a published text of version 2027-04-01" in m and
                   "that policy.lock does not record: the steps that recorded it were deleted "
                   "from the lock" in m and RECOVERY in m for m in messages), messages


def test_a_deleted_lock_is_refused_while_published_keeps_its_texts(project, cli):
    (project.source / LOCK).unlink()
    message = ("policy_src/policy.lock:1:1: policy.lock is missing, while policy_src/published/ "
               f"keeps 8 published texts it recorded: it was deleted; {RECOVERY}")
    assert refusal(cli, project)[0].startswith(message)
    assert refusal(cli, project, "lock")[0].startswith(message)
    assert not (project.source / LOCK).exists()


def test_a_lock_written_before_the_chain_is_refused_until_lock_migrates_it_once(project, cli):
    data = json.loads(project.read(LOCK))
    data["format"] = 1
    del data["steps"]
    old = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    project.write(LOCK, old)
    assert refusal(cli, project) == [
        "policy_src/policy.lock:1:1: policy.lock was written by an earlier policygen (format "
        "1), without the hash chain that makes a hand edit evident; run `policygen lock` once: "
        "it adds the chain and records the migration as a step; then commit policy.lock"]
    run = cli("lock", cwd=project.root)
    assert run.code == 0, run.err
    assert "migrated policy_src/policy.lock to format 2" in run.out
    migrated = json.loads(project.read(LOCK))
    assert migrated["versions"] == data["versions"]  # every locked text's hash unchanged
    assert [(s["kind"], s.get("version")) for s in migrated["steps"]] == [
        ("lock", "2018-07-06"), ("lock", "2027-04-01"), ("correction", "2027-04-01"),
        ("correction", "2027-04-01"), ("migration", None)]
    assert migrated["steps"][-1]["format_1_sha256"] == \
        hashlib.sha256(old.encode("utf-8")).hexdigest()
    assert cli("validate", cwd=project.root).code == 0
    again = project.read(LOCK)
    assert cli("lock", cwd=project.root).code == 0 and project.read(LOCK) == again  # once


def test_the_examples_lock_was_migrated_once_and_each_step_follows_the_one_before():
    locked = lockstore.read(ROOT / "policy_src")
    assert locked is not None and locked.unchained is None
    assert [step.fields["kind"] for step in locked.steps] == [
        "lock", "lock", "correction", "migration", "correction"]
    assert all(after.previous == before.sha256
               for before, after in zip(locked.steps, locked.steps[1:], strict=False))


def test_deleting_any_line_of_the_lock_but_its_note_is_refused_never_accepted():
    """Each line of the example's lock, deleted by hand: refused (a PolicyError, never a
    traceback), except the note to readers, which records nothing."""
    from generator.core.diagnostics import PolicyError

    lines = (ROOT / "policy_src" / LOCK).read_text(encoding="utf-8").splitlines(keepends=True)
    accepted = []
    for number in range(len(lines)):
        try:
            lock.loads("".join(lines[:number] + lines[number + 1:]), LOCK)
            accepted.append(lines[number].split(":")[0].strip())
        except PolicyError:
            pass
    assert accepted == ['"about"']

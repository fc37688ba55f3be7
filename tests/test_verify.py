"""`policygen verify` checks the whole record and, given a built or deployed site, that the
site's API documents, hash-named copies, index and PDFs are the record's: exit 0 with what was
checked, or exit 2 with every difference at its file."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from tests.helpers import copy_project

INDEX = "api/v1/policy.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("verify"))
    project.build()
    return project


@pytest.fixture
def project(built, tmp_path):
    from tests.helpers import Project

    shutil.copytree(built.root, tmp_path / "project")
    return Project(tmp_path / "project")


def verified(cli, project, *args: str):
    return cli("verify", *args, cwd=project.root)


def refused(cli, project, *args: str) -> list[str]:
    run = verified(cli, project, *args)
    assert run.code == 2 and "Traceback" not in run.err, run.err
    assert run.err.splitlines()[-1].endswith("; the record does not verify")
    return run.err.splitlines()[:-1]


def test_the_example_and_its_built_site_verify(cli, project):
    """What CI runs on the example: the record, then the site built from it."""
    run = verified(cli, project, "--site", "site")
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "policy_src/policy.lock: 5 steps, each following the one before it (the last: "
        "correction 2 of version 2027-04-01, 2026-11-25)",
        "policy_src/published/: 8 kept texts, each matching its hash",
        "policy_src/versions/: 2 published versions, each giving its locked text",
        "site/: the index, 4 API documents, 8 hash-named copies and 4 PDFs match the record",
        "verified: the record holds and site/ matches it"]
    assert verified(cli, project).code == 0


def test_an_altered_kept_text_is_named(cli, project):
    kept = sorted((project.source / "published/2027-04-01/en").glob("*.json"))[0]
    kept.write_bytes(kept.read_bytes()[:-10])
    assert any(f"is missing or altered in policy_src/published/2027-04-01/en/{kept.name}" in m
               for m in refused(cli, project))


def test_the_kept_texts_of_a_version_deleted_from_the_source_are_checked_too(cli, project):
    (project.source / "versions/2018-07-06.yaml").unlink()
    kept = next((project.source / "published/2018-07-06/ja").glob("*.json"))
    kept.write_bytes(b"{}")
    messages = [m.split(";")[0].split(": ", 1)[1] for m in refused(cli, project)]
    assert "published version 2018-07-06 was deleted from the source" in messages
    assert "the locked 'ja' text of version 2018-07-06 is missing or altered in " \
        f"policy_src/published/2018-07-06/ja/{kept.name}" in messages


def test_a_published_source_edited_after_locking_is_named(cli, project):
    project.replace("versions/2018-07-06.yaml", "en: ISAO Corporation", "en: ISAO Corp.")
    assert any("published version 2018-07-06 (en) differs from its locked text" in m
               for m in refused(cli, project))


def test_a_hand_edited_lock_does_not_verify(cli, project):
    project.replace("policy.lock", '"announced": "2026-11-25"', '"announced": "2026-01-01"')
    [message] = refused(cli, project)
    assert "its announcement date is 2026-01-01 in policy.lock" in message


def test_each_site_file_that_is_not_the_records_is_named(cli, project):
    site = project.root / "site"
    (site / "api/v1/versions/2027-04-01/en.json").write_bytes(b"{}")
    pdf = site / "en/versions/2027-04-01/goalous-privacy-2027-04-01-en.pdf"
    listed = hashlib.sha256(pdf.read_bytes()).hexdigest()[:12]  # as the index lists it
    pdf.write_bytes(pdf.read_bytes()[:1000])
    copy = sorted((site / "api/v1/versions/2027-04-01").glob("ja.*.json"))[0]
    copy.unlink()
    forged = site / "api/v1/versions/2018-07-06" / f"en.{'a' * 64}.json"
    forged.write_bytes(b"{}")
    assert sorted(m.split(";")[0] for m in refused(cli, project, "--site", "site")) == [
        f"site/api/v1/versions/2018-07-06/en.{'a' * 64}.json:1:1: the site keeps a text of "
        "version 2018-07-06 under a hash the record does not hold",
        "site/api/v1/versions/2027-04-01/en.json:1:1: the 'en' text of version 2027-04-01 is "
        "not the file the index lists (SHA-256 eab74d240cf4…): it was altered or cut short",
        f"site/api/v1/versions/2027-04-01/{copy.name}:1:1: the 'ja' text of version 2027-04-01 "
        "before a correction is missing from the site, which its index lists",
        "site/en/versions/2027-04-01/goalous-privacy-2027-04-01-en.pdf:1:1: the PDF of the "
        "'en' text of version 2027-04-01 is not the file the index lists (SHA-256 "
        f"{listed}…): it was altered or cut short"]


def test_an_index_hash_that_is_not_the_records_is_named_at_its_line(cli, project):
    index = project.root / "site" / INDEX
    text = index.read_text(encoding="utf-8")
    sha256 = json.loads(text)["versions"][0]["documents"]["en"]["sha256"]
    index.write_text(text.replace(sha256, "0" * 64), encoding="utf-8")
    line = text[:text.index(sha256)].count("\n") + 1
    messages = refused(cli, project, "--site", "site")
    assert any(m.startswith(f"site/{INDEX}:{line}:") and "the index lists the 'en' text of "
               "version 2018-07-06 with SHA-256 000000000000…, but the record holds "
               f"{sha256[:12]}…" in m for m in messages), messages


def test_a_site_whose_dates_are_not_the_records_is_named(cli, project):
    """A deployed site that says another announcement day (a lock re-made with another date,
    or a site edited there) than the record."""
    index = project.root / "site" / INDEX
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace('"announced":"2026-11-25"', '"announced":"2026-12-01"'),
                     encoding="utf-8")
    column = text.index('"id":"2027-04-01"') + 1
    assert [m.split(";")[0] for m in refused(cli, project, "--site", "site")] == [
        f"site/{INDEX}:1:{column}: the site says version 2027-04-01 was announced 2026-12-01, "
        "but the record says 2026-11-25"]


def test_a_folder_that_is_not_a_site_is_said_so(cli, project):
    (project.root / "empty").mkdir()
    assert refused(cli, project, "--site", "empty")[0].startswith(
        "empty/api/v1/policy.json:1:1: empty holds no API index, so it is not a site "
        "policygen built")


def test_a_project_with_nothing_published_verifies_as_an_empty_record(cli, tmp_path):
    from tests.helpers import without_corrections

    project = copy_project(tmp_path / "new")  # a new project: its versions are drafts
    for name in ("versions/2018-07-06.yaml", "versions/2027-04-01.yaml"):
        project.replace(name, "status: published", "status: draft")
    project.write("versions/2027-04-01.yaml",
                  without_corrections(project.read("versions/2027-04-01.yaml")))
    (project.source / "policy.lock").unlink()
    shutil.rmtree(project.source / "published")
    run = verified(cli, project)
    assert run.code == 0, run.err
    assert run.out.splitlines() == ["policy_src: no version is published yet, so the record "
                                    "is empty", "verified: the record holds"]

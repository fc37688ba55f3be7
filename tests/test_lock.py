"""Published versions never change silently: the lock, corrections, and deleted versions."""
from __future__ import annotations

import hashlib
import json

import pytest

from generator.record import store as lockstore
from tests.helpers import CORRECTION, NOW, V2018, V2027, without_corrections
from tests.htmltext import article_text as text_of


@pytest.fixture
def project(project, monkeypatch):
    monkeypatch.chdir(project.root)
    # `lock` records the day the tests build for: a build for an earlier day than a step
    # was recorded leaves the step out (the record as it stood, test_as_of).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))  # 2026-11-25
    return project


def snapshot(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def lock_bytes(project) -> bytes:
    return (project.source / lockstore.LOCK_FILE).read_bytes()


def index(site) -> dict:
    return json.loads((site / "api/v1/policy.json").read_bytes())


def test_the_example_is_locked_and_the_lock_holds_the_api_hashes(project, cli):
    assert cli("validate", cwd=project.root).code == 0
    built = project.build()
    locked = json.loads(lock_bytes(project))["versions"]
    for version in index(built.result.out_dir)["versions"]:
        for language, document in version["documents"].items():
            revision = locked[version["id"]]["revisions"][-1]
            assert revision["documents"][language]["sha256"] == document["sha256"]


def test_an_edited_published_text_is_refused_at_the_edit_saying_what_changed(project, cli):
    project.build()
    before = snapshot(project.root / "site")
    project.replace(V2018, "We deal with the following", "We handle the following")
    line, column = project.line_of(V2018, "handle the following")
    for command in ("validate", "build"):
        run = cli(command, cwd=project.root)
        assert run.code == 2 and "Traceback" not in run.err
        assert (f"policy_src/{V2018}:{line}:{column}: published version 2018-07-06 (en) "
                "differs from its locked text in section 'scope': 'We deal with the…' "
                "became 'We handle the…'") in run.err
        assert "policygen lock --correct 2018-07-06" in run.err
        assert "(ja)" not in run.err
    assert snapshot(project.root / "site") == before


def test_a_change_in_both_languages_is_reported_for_each(project, cli):
    project.replace(V2018, "strictly as personal information.", "as personal information.")
    project.replace(V2018, "以下の情報を", "次の情報を")
    run = cli("validate", cwd=project.root)
    assert "(ja) differs" in run.err and "(en) differs" in run.err


def test_a_changed_fact_is_reported_at_its_own_line_with_both_values(project, cli):
    project.replace(V2018, "contact@goalous.com", "privacy@goalous.com")
    run = cli("validate", cwd=project.root)
    line, column = project.line_of(V2018, "privacy@goalous.com")
    for language in ("ja", "en"):
        assert f":{line}:{column}: published version 2018-07-06 ({language}) differs from " \
               "its locked text in its facts: inquiry_desk.email changed from " \
               "'contact@goalous.com' to 'privacy@goalous.com'" in run.err
    assert "if the fact itself changed (a new officer, a move), publish a new version" in run.err


def test_deleting_a_published_version_is_an_error_not_a_shorter_archive(project, cli):
    project.build()
    before = snapshot(project.root / "site")
    project.path(V2018).unlink()
    run = cli("build", cwd=project.root)
    assert run.code == 2
    line = next(n for n, text in enumerate(lock_bytes(project).decode().splitlines(), 1)
                if '"2018-07-06"' in text)
    assert f"policy_src/policy.lock:{line}:3: published version 2018-07-06 was deleted " \
           "from the source" in run.err
    assert snapshot(project.root / "site") == before


def test_a_published_version_cannot_go_back_to_draft(project, cli):
    project.replace(V2018, "status: published", "status: draft")
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "cannot become a draft again" in run.err


def test_a_new_published_version_is_locked_only_by_the_lock_command(project, cli):
    text = without_corrections(project.read(V2027)).replace(
        "id: 2027-04-01\neffective_date: 2027-04-01",
                                       "id: 2028-01-01\neffective_date: 2028-01-01")
    project.write("versions/2028-01-01.yaml", text)
    before = lock_bytes(project)
    run = cli("build", cwd=project.root)
    assert run.code == 2 and "version 2028-01-01 is published but not locked" in run.err
    assert lock_bytes(project) == before  # building never locks

    run = cli("lock", cwd=project.root)
    assert run.code == 0 and "locked version 2028-01-01" in run.out
    assert cli("build", cwd=project.root).code == 0
    after = lock_bytes(project)
    assert cli("build", cwd=project.root).code == 0
    assert lock_bytes(project) == after
    assert cli("lock", cwd=project.root).out.startswith("nothing to lock")


def test_drafts_need_no_lock(project, cli):
    text = without_corrections(project.read(V2027)).replace(
        "id: 2027-04-01\neffective_date: 2027-04-01",
                                       "id: 2028-01-01\neffective_date: 2028-01-01")
    project.write("versions/2028-01-01.yaml", text.replace("status: published",
                                                           "status: draft"))
    assert cli("validate", cwd=project.root).code == 0
    cli("lock", cwd=project.root)
    assert "2028-01-01" not in lock_bytes(project).decode()


def test_the_lock_command_never_rewrites_a_locked_text(project, cli):
    before = lock_bytes(project)
    project.replace(V2018, "We deal with the following", "We handle the following")
    run = cli("lock", cwd=project.root)
    assert run.code == 2 and "differs from its locked text" in run.err
    assert lock_bytes(project) == before


def test_a_correction_is_recorded_shown_and_keeps_the_earlier_text(project, cli):
    original = json.loads(lock_bytes(project))["versions"]["2018-07-06"]["revisions"][0]
    earlier_en = original["documents"]["en"]["sha256"]
    earlier_bytes = lockstore.published_path(project.source, "2018-07-06", "en",
                                        earlier_en).read_bytes()
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", CORRECTION + "sections:\n")
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "correction 1 of version 2018-07-06 is not recorded" in run.err

    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 0, run.err
    assert "recorded correction 1 of version 2018-07-06" in run.out
    revisions = json.loads(lock_bytes(project))["versions"]["2018-07-06"]["revisions"]
    assert [r["correction"] for r in revisions] == [None, 1]
    assert revisions[1]["documents"]["ja"] == revisions[0]["documents"]["ja"]

    site = project.build().result.out_dir
    entry = index(site)["versions"][0]
    assert entry["documents"]["en"]["sha256"] != earlier_en
    assert entry["corrections"] == [{
        "date": "2026-12-01",
        "reason": {"ja": "誤記を訂正しました。", "en": "Corrected a typing error in the scope."},
        "replaced": {"en": {"json": f"versions/2018-07-06/en.{earlier_en}.json",
                            "sha256": earlier_en,
                            "html": "../../en/versions/2018-07-06/before-correction-1/",
                            "changes": "../../en/versions/2018-07-06/correction-1/"}},
        "reconsent_required": False}]
    kept = (site / f"api/v1/versions/2018-07-06/en.{earlier_en}.json").read_bytes()
    assert kept == earlier_bytes and hashlib.sha256(kept).hexdigest() == earlier_en
    page = (site / "en/versions/2018-07-06/index.html").read_text(encoding="utf-8")
    assert "Corrected on December 1, 2026: Corrected a typing error in the scope." in page
    assert f"en.{earlier_en}.json" in page
    ja_page = (site / "ja/versions/2018-07-06/index.html").read_text(encoding="utf-8")
    assert "誤記を訂正しました。" in ja_page and earlier_en not in ja_page
    assert 'href="before-correction-1/"' in page and 'href="correction-1/"' in page


def test_the_text_before_a_correction_is_a_page_from_the_kept_bytes_with_its_redline(
        project, cli):
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", CORRECTION + "sections:\n")
    assert cli("lock", "--correct", "2018-07-06", cwd=project.root).code == 0
    site = project.build().result.out_dir  # the source holds only the corrected text
    folder = site / "en/versions/2018-07-06"
    before = text_of(folder / "before-correction-1/index.html")
    assert "This is the text of the version of July 6, 2018 as it stood before correction " \
        "1, made on December 1, 2026: Corrected a typing error in the scope." in before
    assert "We deal with the following" in before and "We handle" not in before
    assert "SHA-256 of its exact text:" in before
    redline = (folder / "correction-1/index.html").read_text(encoding="utf-8")
    assert "<del>" in redline and "deal" in text_of(folder / "correction-1/index.html")
    assert "handle" in redline and "Correction 1 of the version of July 6, 2018" in redline
    # Only English changed: no Japanese page, and the English one offers no Japanese twin.
    assert not (site / "ja/versions/2018-07-06/before-correction-1").exists()
    assert 'hreflang="ja"' not in before and "ja/versions/2018-07-06/before" not in \
        (folder / "before-correction-1/index.html").read_text(encoding="utf-8")
    archive = (site / "en/versions/index.html").read_text(encoding="utf-8")
    assert "2018-07-06/before-correction-1/" in archive and "2018-07-06/correction-1/" in archive
    search = (site / "en/search/search_index.json").read_text(encoding="utf-8")
    assert "before-correction" not in search and "correction-1" not in search


def test_a_correction_needs_its_entry_and_a_changed_text(project, cli):
    project.replace(V2018, "We deal with the following", "We handle the following")
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 2 and "needs exactly one new 'corrections' entry" in run.err
    project.replace(V2018, "We handle the following", "We deal with the following")
    project.replace(V2018, "sections:\n", CORRECTION + "sections:\n")
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 2 and "its text did not change" in run.err


def test_a_recorded_correction_cannot_be_removed(project, cli):
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", CORRECTION + "sections:\n")
    assert cli("lock", "--correct", "2018-07-06", cwd=project.root).code == 0
    project.replace(V2018, CORRECTION, "")
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "has 1 recorded correction but lists 0" in run.err


def test_an_altered_copy_of_a_published_text_is_refused(project, cli):
    original = json.loads(lock_bytes(project))["versions"]["2018-07-06"]["revisions"][0]
    path = lockstore.published_path(project.source, "2018-07-06", "en",
                               original["documents"]["en"]["sha256"])
    kept = path.read_bytes()
    path.write_bytes(kept.replace(b"ISAO", b"XXXX"))
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", CORRECTION + "sections:\n")
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)  # it would keep a forgery
    assert run.code == 2 and "cannot be kept as the text before the change" in run.err

    path.write_bytes(kept)
    assert cli("lock", "--correct", "2018-07-06", cwd=project.root).code == 0
    path.write_bytes(kept.replace(b"ISAO", b"XXXX"))  # now an earlier text, published as is
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "is missing or altered" in run.err
    path.unlink()
    assert "is missing or altered" in cli("build", cwd=project.root).err


def test_a_published_text_cut_short_is_refused_and_lock_writes_it_again(project, cli):
    # What a `lock` killed while writing the text leaves: the API would serve the cut file
    # under the full text's hash.
    sha256 = json.loads(lock_bytes(project))["versions"]["2027-04-01"]["revisions"][-1][
        "documents"]["en"]["sha256"]
    path = lockstore.published_path(project.source, "2027-04-01", "en", sha256)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    for command in ("validate", "build"):
        run = cli(command, cwd=project.root)
        assert run.code == 2, command
        assert "the locked 'en' text of version 2027-04-01 is missing or altered" in run.err
        assert "run `policygen lock`: it writes the locked text again" in run.err
    run = cli("lock", cwd=project.root)
    assert run.code == 0, run.err
    assert "wrote the locked 'en' text of version 2027-04-01 again" in run.out + run.err
    assert path.read_bytes() == whole
    assert cli("build", cwd=project.root).code == 0
    served = project.root / f"site/api/v1/versions/2027-04-01/en.{sha256}.json"
    assert hashlib.sha256(served.read_bytes()).hexdigest() == sha256


def test_the_record_is_written_whole_or_not_at_all(project, cli, monkeypatch):
    before = lock_bytes(project)
    project.replace(V2027, "status: published", "status: published")  # nothing to lock
    published = snapshot(project.source / lockstore.PUBLISHED_DIR)

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("generator.runtime.atomic.os.replace", full_disk)
    (project.source / lockstore.LOCK_FILE).write_bytes(before.replace(b'"format"', b' "format"'))
    run = cli("lock", cwd=project.root)
    assert run.code == 2 and "could not write policy_src/policy.lock: No space left" in run.err
    assert "Traceback" not in run.err
    assert lock_bytes(project) == before.replace(b'"format"', b' "format"')  # untouched
    assert snapshot(project.source / lockstore.PUBLISHED_DIR) == published
    assert [p.name for p in project.source.rglob(".*.part")] == []


@pytest.mark.parametrize("damage, message", [
    ('{"format": 1, "versions": {"2018-07-06": {}}}', "the lock file is damaged"),
    ('{"format": 1, "versions": [', "policy.lock:1:28: the lock file is damaged"),
])
def test_a_damaged_lock_file_is_reported_without_a_traceback(project, cli, damage, message):
    (project.source / lockstore.LOCK_FILE).write_text(damage)
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and message in run.err and "Traceback" not in run.err

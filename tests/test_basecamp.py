"""A second, real history: Basecamp's privacy policy, 30 versions 2018-2023 and their later
same-date edits, made into a project by `init`, `import` and `lock` (benchmarks/basecamp.py)
and built. Each text as published, rendered by a renderer of its own (tests/published_text),
is what the built page shows: its headings with their text and relative level, its tables,
and its words in order. The texts are read from ../shared/reference/basecamp-privacy, never
copied into the repository."""
from __future__ import annotations

import pytest

from benchmarks import basecamp
from tests import published_text
from tests.helpers import NOW, Project

assert basecamp.REFERENCE.is_dir(), (
    f"the Basecamp texts are not at {basecamp.REFERENCE}: the tests read them from "
    "../shared/reference/basecamp-privacy beside the repository")
MANIFEST = basecamp.manifest()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> basecamp.Made:
    # Recorded on the day the tests build for: a build for an earlier day than the lock's
    # steps shows the record as it stood then, without them.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
        return basecamp.make(tmp_path_factory.mktemp("basecamp") / "project")


@pytest.fixture(scope="module")
def site(made):
    built = Project(made.root).build(out=made.root / "site")
    assert built.result.pages > 0
    return made.root / "site"


def _pages(made: basecamp.Made) -> dict[str, str]:
    """Each file of the reference with the page that shows its text: a version's latest
    text on its page, each earlier one before the correction that replaced it; an edit that
    was no correction shows as the text it left unchanged."""
    corrections = {file for _, file in made.corrections}
    shown = {}
    for version in made.versions:
        files = [entry.file for entry in MANIFEST if entry.version == version]
        recorded = [file for file in files if ".edit-" not in file or file in corrections]
        revision = -1
        for file in files:
            revision += file in recorded
            page = "" if revision == len(recorded) - 1 else f"before-correction-{revision + 1}/"
            shown[file] = f"en/versions/{version}/{page}index.html"
    return shown


def test_every_version_is_imported_and_locked_and_every_edit_is_a_correction_or_said_not(made):
    assert made.versions == sorted({entry.version for entry in MANIFEST})
    assert len(made.versions) == 30
    edits = [entry.file for entry in MANIFEST if not entry.published]
    assert sorted([file for _, file in made.corrections] +
                  [file for file, _ in made.not_corrections]) == sorted(edits)
    # Two edits changed only markup the import writes alike: an HTML link rewritten as
    # Markdown, a figure removed with the headings' absolute levels. Two removed published
    # sections, which a correction may not: the Privacy Shield ones, and headings renamed
    # with new anchors.
    said = dict(made.not_corrections)
    assert sorted(said) == ["2018-05-24.edit-1.md", "2018-05-24.edit-4.md",
                            "2022-02-10.edit-1.md", "2023-04-20.edit-2.md"]
    assert "eu-us-and-swiss-us-privacy-shield-policy" in said["2022-02-10.edit-1.md"]
    assert "identity--access" in said["2023-04-20.edit-2.md"]


def test_the_liquid_placeholder_and_the_raw_html_are_reported_at_their_line(made):
    log = "\n".join(made.log)
    assert "2018-05-24.md:7:1: warning: raw HTML is not kept (it shows no text)" not in log
    assert "2018-05-24.md:6:1: warning: raw HTML is not kept (it shows no text); write it " \
        "as Markdown" in log
    assert "2018-05-24.md:7:108: warning: '{% asset_path about/policies/privacy/shh.png %}' " \
        "is a template placeholder the publishing site filled in" in log


def test_relative_links_are_resolved_as_they_were_read_when_published(made):
    text = (made.root / "policy_src/versions/2023-01-06.yaml").read_text()
    assert "(https://github.com/basecamp/policies/blob/HEAD/security/index.md)" in text
    text = (made.root / "policy_src/versions/2023-04-20.yaml").read_text()
    assert "](#what-we-collect-and-why)" in text  # a link inside the page stays one
    # The text of 2018-12-20 as first published (kept by the lock; corrected since).
    published = (made.root / "policy_src/published/2018-12-20/en").glob("*")
    assert any("https://github.com/basecamp/policies/blob/HEAD/privacy/subprocessors.md"
               in path.read_text() for path in published)
    text = (made.root / "policy_src/versions/2018-05-24.yaml").read_text()
    assert "](https://basecamp.com/support)" in text  # the site's own page, in 2018


def _outlines(made, site, file):
    source = published_text.of_markdown((basecamp.REFERENCE / file).read_text("utf-8"))
    return source, published_text.of_page((site / _pages(made)[file]).read_text("utf-8"))


@pytest.mark.parametrize("file", [entry.file for entry in MANIFEST])
def test_the_built_page_shows_the_published_text(made, site, file):
    removed = dict(made.not_corrections).get(file, "")
    if "it removes section" in removed:
        # Not recorded (a correction may not remove a published section): the version's page
        # keeps the sections the edit removed, as first published.
        version = next(entry.version for entry in MANIFEST if entry.file == file)
        page_html = (site / f"en/versions/{version}/index.html").read_text("utf-8")
        ids = removed.split("it removes section")[1].split(" (")[0].lstrip("s ").split(", ")
        assert ids and all(f'id="{ident}"' in page_html for ident in ids), ids
        return
    source, page = _outlines(made, site, file)
    # The document's title heading is the page's title (test below); the sections are the
    # headings below it, each at its level relative to the others (the introduction's
    # heading is the page's own, from the catalogs).
    _, *sections = source.headings
    shown = published_text.Outline(page.headings[1:])
    wanted = published_text.Outline(sections)
    assert published_text.is_subsequence(wanted.relative(), shown.relative()), \
        (wanted.relative(), shown.relative())
    for header in source.tables:
        assert header in page.tables
    kept = published_text.words_kept_in_order(source.words, page.words)
    assert kept >= 0.995, f"{kept:.2%} of {len(source.words)} words in order"


LATEST = {entry.version: entry.file for entry in MANIFEST}  # each version's last text


@pytest.mark.parametrize("file", LATEST.values())
def test_the_page_title_is_the_texts_title(made, site, file):
    # policy.yaml's title is init's ("Privacy policy"); a version whose text has another
    # goes by its own, followed by the version's date (issue 24: a title per version).
    source, page = _outlines(made, site, file)
    assert page.headings[0][0] == 1
    assert page.headings[0][1].startswith(source.headings[0][1] + ", effective ")


def test_the_record_verifies_and_the_site_built_today_matches_it(made, cli):
    # CI runs `policygen verify` on the second history too: 30 versions, 17 corrections.
    assert cli("build", "--out", "site-today", cwd=made.root).code == 0
    run = cli("verify", "--site", "site-today", cwd=made.root)
    assert run.code == 0, run.err
    assert "verified: the record holds and site-today/ matches it" in run.out


def test_the_processors_its_texts_name_are_stated_as_processing(made):
    """The payment processor every text from 2018-12-20 on names, and the subprocessors of
    the later texts, are recipients of kind processor in exactly those versions."""
    from generator.source import convert

    policy = convert.load(made.root / "policy_src")
    for entry in MANIFEST:
        if not entry.published:
            continue
        text = (basecamp.REFERENCE / entry.file).read_text("utf-8").lower()
        version = policy.version(entry.version)
        assert version is not None
        recipients = {r.id: r.kind for r in version.processing.recipients} \
            if version.processing else {}
        assert ("payment-processor" in recipients) == ("payment processor" in text), entry
        assert ("subprocessors" in recipients) == ("subprocessors" in text), entry
        assert set(recipients.values()) <= {"processor"}
    assert sum(v.processing is not None for v in policy.versions) > 20

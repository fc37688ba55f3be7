"""A second real published policy: GitHub's Privacy Statement of July 2, 2019 and of April 2,
2020 (CC0, kept byte for byte in tests/reference/github-privacy/), made into a project as a new
user would (`init`, `import --published`, `lock`, `import` the next, `lock`, `build`). It holds
what the Basecamp texts do not: a 12-row pipe table (16 rows in 2020), headings at ##, ###, ####
and #####, nested lists, links to other sections of the page and Liquid placeholders the
publishing site filled in. The assertions are on the built pages and the redline."""
from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.cli import main
from tests import published_text
from tests.helpers import Project

REFERENCE = Path(__file__).parent / "reference" / "github-privacy"
SOURCE = REFERENCE / "2019-07-02.md"
NEXT = REFERENCE / "2020-04-02.md"
LINK_BASE = "https://docs.github.com/en/site-policy/privacy-policies/github-privacy-statement"
# What GitHub's site showed for its placeholders (its 2020 text writes them out as links).
VALUES = {
    "{{ site.data.variables.contact.contact\\_privacy }}":
        "[Privacy contact form](https://support.github.com/contact/privacy)",
    "{{ site.data.variables.contact.contact\\_support }}":
        "[GitHub Support](https://support.github.com/contact)",
}


@dataclass
class Made:
    root: Path
    log: dict[str, str] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)


def _run(made: Made, name: str, *args: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        made.codes[name] = main(list(args))
    made.log[name] = out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Made:
    made = Made(tmp_path_factory.mktemp("github") / "project")
    root = str(made.root)
    _run(made, "init", "init", root, "--company", "GitHub, Inc.", "--languages", "en",
         "--authoritative", "en", "--timezone", "America/Los_Angeles", "--checklists", "")
    drafted = sorted((made.root / "policy_src/versions").glob("*.yaml"))
    _run(made, "import", "--project", root, "import", str(SOURCE), "--lang", "en",
         "--effective-date", "2019-07-02", "--published", "--link-base", LINK_BASE,
         "--link-root", "https://docs.github.com/")
    for draft in drafted:  # init's draft: its facts are in the imported version now
        draft.unlink()
    _run(made, "lock before", "--project", root, "lock")
    version = made.root / "policy_src/versions/2019-07-02.yaml"
    text = version.read_text("utf-8")
    for placeholder, value in VALUES.items():
        text = text.replace(placeholder, value)
    version.write_text(text, "utf-8")
    _run(made, "lock", "--project", root, "lock")
    _run(made, "import next", "--project", root, "import", str(NEXT), "--lang", "en",
         "--effective-date", "2020-04-02", "--published", "--link-base", LINK_BASE,
         "--link-root", "https://docs.github.com/")
    _run(made, "lock next", "--project", root, "lock")
    _run(made, "validate", "--project", root, "validate")
    return made


@pytest.fixture(scope="module")
def site(made) -> Path:
    built = Project(made.root).build(out=made.root / "site")
    assert built.result.pages > 0
    return made.root / "site/en"


def _article(path: Path) -> str:
    html = path.read_text("utf-8")
    start = html.index("<article")
    return html[start:html.index("</article>", start)]


@pytest.fixture(scope="module")
def page(site) -> str:
    return _article(site / "versions/2019-07-02/index.html")


@pytest.fixture(scope="module")
def later(site) -> str:
    return _article(site / "index.html")


@pytest.fixture(scope="module")
def redline(site) -> str:
    return _article(site / "changes/2020-04-02/index.html")


def test_each_liquid_placeholder_is_reported_at_its_own_place_and_lock_refuses_it(made):
    assert made.codes["import"] == 0
    log = made.log["import"]
    # Two alike on one line are two places (161:193 and 161:400), each named once.
    for line, column in ((93, 151), (161, 193), (161, 400), (163, 292), (175, 407),
                         (250, 174), (281, 99)):
        assert log.count(f"2019-07-02.md:{line}:{column}: warning: '{{{{ site.data.variables.") == 1
    assert log.count("is a template placeholder") == 7
    # Locked as imported, the page would show the braces: lock says where and how to fix it.
    assert made.codes["lock before"] != 0
    refusal = made.log["lock before"]
    assert "2019-07-02.yaml:" in refusal and "Traceback" not in refusal
    assert "sections.resolving-complaints.body holds '{{ site.data.variables.contact." \
        "contact_privacy }}'" in refusal
    assert "write the value it stood for" in refusal
    # With the values written in, it locks and validates.
    assert made.codes["lock"] == 0, made.log["lock"]
    assert made.codes["import next"] == 0, made.log["import next"]
    assert made.codes["lock next"] == 0, made.log["lock next"]
    assert made.codes["validate"] == 0, made.log["validate"]


def _tables(page: str) -> list[list[list[str]]]:
    """Each <table> as rows of cells' text."""
    return [[[" ".join(re.sub(r"<[^>]+>", "", cell).split())
              for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
             for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
            for table in re.findall(r"<table[^>]*>(.*?)</table>", page, re.S)]


def test_the_tables_reach_the_page_as_tables_row_by_row_and_cell_by_cell(page):
    summary, offices = _tables(page)
    assert summary[0] == ["Section", "What can you find there?"]
    assert len(summary) == 13  # the header and 12 rows
    assert summary[1][0] == "What information GitHub collects and why"
    assert summary[12] == ["Contacting GitHub", "Please feel free to contact us if you have "
                           "questions about our Privacy Statement."]
    assert all(len(row) == 2 for row in summary)
    assert offices == [["Our United States HQ", "Our EU Office"],
                       ["GitHub Data Protection Officer", "GitHub BV"],
                       ["88 Colin P. Kelly Jr. St.", "Vijzelstraat 68-72"],
                       ["San Francisco, CA 94107", "1017 HL Amsterdam"],
                       ["United States", "The Netherlands"],
                       ["privacy@github.com", "privacy@github.com"]]
    # A cell's link is a link, to the section it names.
    assert '<a href="#what-information-github-collects-and-why">' in page


def test_the_heading_levels_are_kept(page):
    source = published_text.of_markdown(SOURCE.read_text("utf-8"))
    shown = published_text.of_page(f"{page}</article>")
    # The page's first heading is the policy's title, its second the section import made of
    # the text before the first heading; the source's ### is the page's h2.
    # A version's page is titled by its version (issue 24): the policy's title and its date.
    assert shown.headings[:2] == [(1, "GitHub Privacy Statement, effective July 2, 2019"),
                                  (2, "Introduction")]
    assert published_text.Outline(shown.headings[2:]).relative() == source.relative()
    levels = dict((text, level) for level, text in shown.headings)
    assert levels["The short version"] == 2
    assert levels["Categories of personal information"] == 3
    assert levels["Why we collect this information"] == 4
    assert levels["Our legal basis for processing information"] == 4


def test_the_words_are_shown_in_the_published_order(page):
    source = published_text.of_markdown(SOURCE.read_text("utf-8"))
    shown = published_text.of_page(f"{page}</article>")
    # The placeholders' names (site data variables ...) are replaced by the values shown.
    assert published_text.words_kept_in_order(source.words, shown.words) > 0.99


def test_nested_lists_stay_nested(page):
    nested = re.search(r"<li>\s*(?:<p>)?Contract Performance:.*?<ul>\s*<li>(?:<p>)?When you "
                       r"create a GitHub account", page, re.S)
    assert nested, "the legal bases' items are not a list inside the list"


def test_in_page_links_lead_to_sections_that_exist(page):
    ids = set(re.findall(r'id="([^"]+)"', page))
    targets = re.findall(r'href="#([^"]+)"', page)
    assert len(targets) >= 16
    assert [target for target in targets if target not in ids] == []
    assert "githubs-global-privacy-practices" in targets


def test_relative_links_lead_where_they_did_when_published(page):
    assert 'href="https://docs.github.com/articles/github-terms-of-service/' \
        '#e-private-repositories"' in page
    assert not re.search(r'href="/(?!/)', page)


def test_no_literal_markup_reaches_the_page(page):
    text = re.sub(r"<[^>]+>", "", page)
    for markup in ("|---|", "| --- |", "###", "{{", "}}", "{%", "\\*"):
        assert markup not in text, markup
    assert '<a href="https://support.github.com/contact/privacy">Privacy contact form</a>' \
        in page


def test_the_later_version_keeps_its_levels_and_its_links_to_emphasized_headings(later):
    source = published_text.of_markdown(NEXT.read_text("utf-8"))
    shown = published_text.of_page(f"{later}</article>")
    assert published_text.Outline(shown.headings[2:]).relative() == source.relative()
    levels = dict((text, level) for level, text in shown.headings)
    # GitHub's ## over its ### and ####: h2, h3, h4.
    assert levels["GitHub Privacy Statement"] == 2
    assert levels["What information GitHub collects"] == 3
    assert levels["Registration Information"] == 4  # `#### *Registration Information*`
    ids = set(re.findall(r'id="([^"]+)"', later))
    targets = re.findall(r'href="#([^"]+)"', later)
    assert "registration-information" in targets
    assert [target for target in targets if target not in ids] == []
    summary = _tables(later)[0]
    assert len(summary) == 17 and summary[16][0] == "Translations"


def test_both_versions_carry_githubs_title_not_the_projects(page, later):
    # GitHub's front matter titles both "GitHub Privacy Statement"; init's is "Privacy policy".
    # The page in force is headed by the title alone; a version's page adds its date.
    assert re.search(r'<h1 id="pg-title">GitHub Privacy Statement<', later)
    assert re.search(r'<h1 id="pg-title">GitHub Privacy Statement, effective July 2, 2019<',
                     page)


def test_the_redline_shows_the_summary_tables_change_row_by_row(redline):
    start = redline.index('id="summary"')
    table = redline[redline.index('<table class="pg-redline-table"', start):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr class="pg-row-([a-z]+)">', table)
    # 12 rows became 16: four inserted, the changed ones changed, the header equal.
    assert rows.count("insert") == 4
    assert rows.count("changed") >= 8
    assert "<del><span class=\"pg-sr\">[deleted:] </span> and why" in table
    assert "Translations" in table and "Creative Commons Zero license" in table

"""`policygen import`: a policy as published (Markdown or HTML) made a version file: one
section per heading at its level, ids from the anchors readers' links already name, the text
before the first heading kept, tables, lists, emphasis and links kept, and whatever the
format cannot hold reported at its line and column in FILE, never dropped in silence."""
from __future__ import annotations

import textwrap

import pytest

from generator.core import markup
from generator.core.model import SLUG_LIMIT
from generator.source import imports
from generator.source.imports.text import escape
from generator.source.slug import github_anchor, slug
from tests import published_text

ACME = ("--company", "Acme Inc.", "--languages", "en,fr", "--authoritative", "en",
        "--timezone", "Europe/Paris", "--checklists", "")
ENGLISH = ("--company", "Acme Inc.", "--languages", "en", "--authoritative", "en",
           "--timezone", "Europe/Paris", "--checklists", "")

POLICY = """\
---
title: Privacy notice
---

Acme Inc. explains here what it collects.

# Privacy notice

## What we collect {#collect}

We collect *your name* and **your e-mail**; see [the law](https://example.org/law).

| Data | Why | Kept |
|:-----|:---:|-----:|
| Name | *Billing* | 2 years |
| E-mail | [Contact](mailto:privacy@example.com) | 1 year |

### Cookies

- essential cookies
- analytics:
  1. first
  2. second

#### Retention

##### Backups

Kept 30 days.

## Your rights

You may ask us.
"""

HTML = """\
<!doctype html>
<html><head><title>Privacy notice</title><style>p { color: red }</style></head>
<body>
<p>Acme Inc. explains here what it collects.</p>
<h1>Privacy notice</h1>
<h2 id="collect">What we collect</h2>
<p>We collect <em>your name</em> and <strong>your e-mail</strong>; see
<a href="https://example.org/law">the law</a>.</p>
<table>
<thead><tr><th align="left">Data</th><th style="text-align:center">Why</th>
<th align="right">Kept</th></tr></thead>
<tbody>
<tr><td>Name</td><td><i>Billing</i></td><td>2 years</td></tr>
<tr><td>E-mail</td><td><a href="mailto:privacy@example.com">Contact</a></td><td>1 year</td></tr>
</tbody></table>
<h3>Cookies</h3>
<ul><li>essential cookies</li>
<li>analytics:<ol><li>first</li><li>second</li></ol></li></ul>
<h4>Retention</h4>
<h5>Backups</h5>
<p>Kept 30 days.</p>
<h2>Your rights</h2>
<p>You may ask us.</p>
</body></html>
"""


def read(tmp_path, text: str, name: str = "policy.md", links=imports.NO_LINKS):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return imports.read(path, "Introduction", links)


def outline(imported) -> list[tuple[str, int, str]]:
    return [(section.id, section.level, section.title) for section in imported.sections]


def messages(imported) -> list[str]:
    """Each diagnostic from its line on (FILE's name is the test's folder)."""
    return [str(diagnostic).split(":", 1)[1] for diagnostic in imported.diagnostics]


def test_each_heading_is_a_section_at_its_level_below_the_documents_title(tmp_path):
    imported = read(tmp_path, POLICY)
    assert imported.title == "Privacy notice"
    assert outline(imported) == [
        ("privacy-notice", 1, "Introduction"), ("collect", 1, "What we collect"),
        ("cookies", 2, "Cookies"), ("retention", 3, "Retention"), ("backups", 4, "Backups"),
        ("your-rights", 1, "Your rights")]


def test_the_text_around_the_title_heading_is_the_introduction_under_its_anchor(tmp_path):
    # Links to #privacy-notice (the title's anchor) still land on the text below it.
    assert read(tmp_path, POLICY).sections[0].body == \
        "Acme Inc. explains here what it collects."


def test_tables_lists_emphasis_and_links_are_kept_in_the_text_format(tmp_path):
    sections = {section.id: section for section in read(tmp_path, POLICY).sections}
    assert sections["collect"].body == textwrap.dedent("""\
        We collect *your name* and **your e-mail**; see [the law](https://example.org/law).

        | Data | Why | Kept |
        |:---|:---:|---:|
        | Name | *Billing* | 2 years |
        | E-mail | [Contact](mailto:privacy@example.com) | 1 year |""")
    assert sections["cookies"].body == "- essential cookies\n- analytics:\n  1. first\n" \
        "  2. second"
    assert sections["retention"].body is None


def test_the_same_policy_in_html_reads_as_in_markdown(tmp_path):
    from_html = read(tmp_path, HTML, "policy.html")
    from_markdown = read(tmp_path, POLICY)
    assert from_html.title == from_markdown.title

    def read_as(imported):
        return [(s.id, s.level, s.title, s.body) for s in imported.sections]

    assert read_as(from_html) == read_as(from_markdown)


def test_without_a_title_heading_the_text_before_the_first_is_an_introduction(tmp_path):
    imported = read(tmp_path, "Hello.\n\n## One\n\nText.\n\n## Two\n\n### Two a\n")
    assert imported.title is None
    assert outline(imported) == [("introduction", 1, "Introduction"), ("one", 1, "One"),
                                 ("two", 1, "Two"), ("two-a", 2, "Two a")]


def test_ids_are_githubs_anchors_and_a_repeated_heading_is_numbered_as_github_does(tmp_path):
    imported = read(tmp_path, "## Changes & questions\n\n## Data\n\n## Data\n\n"
                              "## Use {#how-we-use}\n")
    assert [section.id for section in imported.sections] == [
        "changes--questions", "data", "data-1", "how-we-use"]


def test_an_anchor_that_cannot_be_a_section_id_is_made_one_and_said_so(tmp_path):
    long = "What happens when you delete content in your product accounts and backups"
    longer = f"{long}, and what happens to it when your account is closed for good or moved"
    assert len(github_anchor(long)) < SLUG_LIMIT < len(github_anchor(longer))
    imported = read(tmp_path, f"## Intro\n\n## {long}\n\n## {longer}\n\n## Über uns\n")
    assert [section.id for section in imported.sections][1:] == [
        github_anchor(long), slug(longer)[:SLUG_LIMIT].strip("-"), "uber-uns"]
    assert messages(imported)[0].startswith(
        f"5:1: warning: the heading's id '{github_anchor(longer)}' cannot be a section id "
        "(lowercase letters, digits and inner hyphens, at most 128 characters, not one the "
        "pages use): imported as ")


def test_a_skipped_heading_level_is_closed_up_and_said_so(tmp_path):
    imported = read(tmp_path, "## One\n\n#### Deep\n\n###### Deeper\n\n## Two\n")
    assert outline(imported) == [("one", 1, "One"), ("deep", 2, "Deep"),
                                 ("deeper", 3, "Deeper"), ("two", 1, "Two")]
    assert messages(imported) == [
        "3:1: warning: the heading 'Deep' skips from level 1 to 3: imported at level 2; a "
        "section is one level below the section it belongs to",
        "5:1: warning: the heading 'Deeper' skips from level 2 to 5: imported at level 3; a "
        "section is one level below the section it belongs to"]


RELATIVE = ("is kept relative: policygen.yml has no link_base to resolve it against, so "
            "validate refuses it; set link_base: https://... in policygen.yml (the address the "
            "policy's relative links lead under), or import again with --link-base URL, the "
            "address FILE was published at")


def test_what_the_format_refuses_is_reported_at_its_line_and_column_and_kept_as_text(tmp_path):
    imported = read(tmp_path, textwrap.dedent("""\
        ## Terms

        See [our terms](../terms.md), `code` and ![logo](logo.png).

        <figure><img src="{% asset_path shh.png %}"></figure>

        > Quoted.

        ---

        Dear {{ customer.name }}.

        ```
        # not a heading
        ```

        - ### Listed heading
        """))
    assert messages(imported) == [
        f"3:17: warning: the relative link '../terms.md' {RELATIVE}",
        "3:32: warning: the code formatting of 'code' is not kept: its text is; nothing to do "
        "unless the formatting mattered",
        "3:50: warning: the image 'logo.png' is kept as a link to it, its description the "
        "link's text: the text format shows no images; describe in words what it shows, if "
        "readers need more",
        f"3:50: warning: the relative link 'logo.png' {RELATIVE}",
        "5:1: warning: raw HTML is not kept (it shows no text); write it as Markdown (images "
        "are not part of the text format)",
        "5:19: warning: '{% asset_path shh.png %}' is a template placeholder the publishing "
        "site filled in; it is kept as written and `policygen lock` refuses it; write the "
        "value it stood for in the version file (or remove it)",
        "7:1: warning: a quotation is kept as plain paragraphs: the text format has no "
        "quotations; check that the text still reads as meant",
        "9:1: warning: a horizontal rule is not kept: the text format has none; nothing to do "
        "unless it separated parts that need headings",
        "11:6: warning: '{{ customer.name }}' is a template placeholder the publishing site "
        "filled in; it is kept as written and `policygen lock` refuses it; write the value it "
        "stood for in the version file (or remove it)",
        "13:1: warning: a code block is kept as a plain paragraph: the text format has no "
        "code; check that the text still reads as meant",
        "17:3: warning: a heading inside a list or a quotation is kept as a paragraph in bold: "
        "a section begins only outside them; make it a heading of its own if it begins a "
        "section"]
    body = imported.sections[0].body
    assert body == "See [our terms](../terms.md), code and [logo](logo.png).\n\nQuoted." \
        "\n\nDear {{ customer.name }}.\n\n\\# not a heading\n\n- **Listed heading**"
    # Written as text the format accepts: nothing in it shows as typed markup.
    assert markup.refusals(body) == ()
    assert markup.plain_text(body).split() == (
        "See our terms, code and logo. Quoted. Dear {{ customer.name }}. # not a heading "
        "Listed heading").split()


def test_a_problem_inside_a_paragraph_is_reported_at_its_own_line(tmp_path):
    imported = read(tmp_path, "## Terms\n\nOne line,\nthen [a link](terms.md).\n")
    assert messages(imported)[0].startswith("4:15: warning: the relative link 'terms.md'")


def test_a_relative_link_is_resolved_against_the_address_the_file_was_published_at(tmp_path):
    text = "## Terms\n\nSee [terms](../terms/index.md) and [us](/about).\n"
    imported = read(tmp_path, text, links=imports.Links(
        "https://example.com/policies/privacy/index.md"))
    assert imported.sections[0].body == "See [terms](https://example.com/policies/terms/" \
        "index.md) and [us](https://example.com/about)."
    assert imported.diagnostics == ()
    # A Markdown file in a repository: its links from the root lead into the repository.
    imported = read(tmp_path, text, links=imports.Links(
        "https://github.com/acme/policies/blob/1a2b/privacy/index.md",
        "https://github.com/acme/policies/blob/1a2b/"))
    assert imported.sections[0].body == "See [terms](https://github.com/acme/policies/blob/" \
        "1a2b/terms/index.md) and [us](https://github.com/acme/policies/blob/1a2b/about)."


def test_a_relative_link_is_kept_relative_for_the_projects_link_base(cli, tmp_path):
    cli("init", "acme", *ENGLISH, cwd=tmp_path)
    root = tmp_path / "acme"
    (root / "policygen.yml").write_text("link_base: https://acme.example/policies/\n")
    (tmp_path / "p.md").write_text("# Privacy policy\n\n## Terms\n\nSee [terms](terms/).\n")
    run = cli("import", "../p.md", "--lang", "en", "--effective-date", "2024-01-01", cwd=root)
    assert run.code == 0 and run.err == ""  # the build resolves it: nothing to report
    assert "See [terms](terms/)." in (root / "policy_src/versions/2024-01-01.yaml").read_text()


def test_an_html_link_and_line_break_in_markdown_are_kept_as_markdown(tmp_path):
    imported = read(tmp_path, '## A\n\nSee <a href="https://example.org">this</a>.<br>Next\n')
    assert imported.sections[0].body == "See [this](https://example.org).\nNext"


@pytest.mark.parametrize("text", ["a*b*c", "[x](y)", "1. not a list", "- nor this",
                                  "<b>shown</b>", "snake_case_name", "&amp; kept", "a\\b"])
def test_text_is_escaped_to_read_back_as_the_same_text(text):
    written = escape(text)
    if written[:1].isdigit() or written[:1] == "-":
        from generator.source.imports.text import escape_line_start
        written = escape_line_start(written)
    assert markup.plain_text(written) == text


def test_a_published_import_validates_and_locks_without_a_summary(cli, tmp_path):
    assert cli("init", "acme", *ENGLISH, cwd=tmp_path).code == 0
    (tmp_path / "policy.md").write_text("# Privacy policy\n\nHello.\n\n## Data\n\n"
                                        "We keep *little*.\n\n### Cookies\n\nNone.\n")
    root = tmp_path / "acme"
    drafted = next((root / "policy_src/versions").glob("*.yaml")).stem  # init's enactment
    run = cli("import", "../policy.md", "--lang", "en", "--effective-date", "2024-01-01",
              "--published", cwd=root)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "wrote policy_src/versions/2024-01-01.yaml: published version 2024-01-01, 3 sections "
        f"(levels 1, 2), facts from {drafted}; policy.yaml's enactment_date moved from "
        f"{drafted} to 2024-01-01",
        f"next: delete policy_src/versions/{drafted}.yaml, the draft policygen init wrote: "
        "its facts are in this version now, its texts are placeholders",
        "next: policygen lock, which records the published text, then policygen validate"]
    assert "enactment_date: 2024-01-01" in (root / "policy_src/policy.yaml").read_text()
    locked = cli("lock", cwd=root)
    assert locked.code == 0, locked.err
    assert "locked version 2024-01-01, which took effect before it was locked" in locked.out
    assert cli("validate", cwd=root).code == 0


def test_the_title_heading_is_the_title_over_a_front_matters_other_title(tmp_path):
    # Basecamp's text of 2018-12-20 as corrected: a site's tab title in its front matter,
    # the title readers see as its heading.
    imported = read(tmp_path, "---\ntitle: Privacy policy\n---\n\n# Basecamp privacy "
                              "policy\n\n## Data\n")
    assert imported.title == "Basecamp privacy policy"
    assert messages(imported) == [
        "5:1: warning: the heading 'Basecamp privacy policy' is the document's title, not the "
        "front matter's title 'Privacy policy', which readers of the text do not see; make "
        "them the same if the front matter's is the one the policy goes by"]


def test_a_title_other_than_the_policys_is_the_versions_own(cli, tmp_path):
    cli("init", "acme", *ACME, cwd=tmp_path)
    root = tmp_path / "acme"
    (tmp_path / "en.md").write_text("# Privacy notice\n\n## Data\n\nLittle.\n")
    (tmp_path / "fr.md").write_text("# Avis de confidentialité\n\n## Données\n\nPeu.\n")
    run = cli("import", "../en.md", "--lang", "en", "--effective-date", "2024-01-01",
              cwd=root)
    assert run.err == ""  # not a warning: a version may go by a title of its own
    assert "draft version 2024-01-01 titled 'Privacy notice' (policy.yaml's: 'Privacy " \
        "policy'), 1 sections" in run.out
    cli("import", "../fr.md", "--lang", "fr", "--into", "2024-01-01", cwd=root)
    text = (root / "policy_src/versions/2024-01-01.yaml").read_text()
    assert "\ntitle:\n  en: Privacy notice\n  fr: Avis de confidentialité\nsections:" in text
    (tmp_path / "same.md").write_text("# Privacy policy\n\n## Data\n")
    cli("import", "../same.md", "--lang", "en", "--effective-date", "2025-01-01", cwd=root)
    assert "title:" not in (root / "policy_src/versions/2025-01-01.yaml").read_text() \
        .split("facts:")[0]


def test_import_refuses_a_version_that_exists_and_says_how_to_add_to_it(cli, tmp_path):
    cli("init", "acme", *ACME, cwd=tmp_path)
    (tmp_path / "p.md").write_text("## A\n\nText.\n")
    root = tmp_path / "acme"
    assert cli("import", "../p.md", "--lang", "en", "--effective-date", "2024-01-01",
               cwd=root).code == 0
    run = cli("import", "../p.md", "--lang", "en", "--effective-date", "2024-01-01", cwd=root)
    assert run.code == 2
    assert "version 2024-01-01 already exists; import into it with --into 2024-01-01" in run.err


def test_into_adds_a_translation_to_a_draft_aligned_by_section_id(cli, tmp_path):
    cli("init", "acme", *ACME, cwd=tmp_path)
    root = tmp_path / "acme"
    (tmp_path / "en.md").write_text("## Data {#data}\n\nWe keep little.\n\n## Rights\n\nAsk.\n")
    (tmp_path / "fr.md").write_text("## Droits {#rights}\n\nDemandez.\n\n"
                                    "## Données {#data}\n\nPeu.\n")
    first = cli("import", "../en.md", "--lang", "en", "--effective-date", "2024-01-01",
                cwd=root)
    assert "next: policygen import FILE --lang fr --into 2024-01-01, its 'fr' text" in first.out
    run = cli("import", "../fr.md", "--lang", "fr", "--into", "2024-01-01", cwd=root)
    assert run.code == 0, run.err
    assert "the 'fr' text of 2 sections, matched by id" in run.out
    text = (root / "policy_src/versions/2024-01-01.yaml").read_text()
    assert "      en: Data\n      fr: Données\n" in text
    assert "      en: Ask.\n      fr: Demandez.\n" in text


def test_into_aligns_by_order_when_the_ids_differ_and_the_counts_match(cli, tmp_path):
    cli("init", "acme", *ACME, cwd=tmp_path)
    root = tmp_path / "acme"
    (tmp_path / "en.md").write_text("## Data\n\nLittle.\n")
    (tmp_path / "fr.md").write_text("## Données\n\nPeu.\n")
    cli("import", "../en.md", "--lang", "en", "--effective-date", "2024-01-01", cwd=root)
    run = cli("import", "../fr.md", "--lang", "fr", "--into", "2024-01-01", cwd=root)
    assert "matched by order (the ids differ)" in run.out
    assert "      en: Little.\n      fr: Peu.\n" in \
        (root / "policy_src/versions/2024-01-01.yaml").read_text()


def test_into_refuses_a_published_version(cli, tmp_path):
    cli("init", "acme", *ACME, cwd=tmp_path)
    root = tmp_path / "acme"
    (tmp_path / "en.md").write_text("## Data\n\nLittle.\n")
    cli("import", "../en.md", "--lang", "en", "--effective-date", "2024-01-01", "--published",
        cwd=root)
    run = cli("import", "../en.md", "--lang", "fr", "--into", "2024-01-01", cwd=root)
    assert run.code == 2 and "version 2024-01-01 is published: its text is locked" in run.err


def test_import_needs_either_an_effective_date_or_a_draft_to_go_into(cli, tmp_path):
    cli("init", "acme", *ACME, cwd=tmp_path)
    (tmp_path / "en.md").write_text("## Data\n")
    run = cli("import", "../en.md", "--lang", "en", cwd=tmp_path / "acme")
    assert run.code == 2 and "pass --effective-date DATE for a new version, or --into ID" \
        in run.err


def test_levels_and_tables_show_on_the_built_page_as_published(cli, tmp_path):
    cli("init", "acme", *ENGLISH, cwd=tmp_path)
    root = tmp_path / "acme"
    # As GitHub shows it, which has no {#id} anchors (it would show the braces); the title
    # first, as the page shows it.
    (tmp_path / "policy.md").write_text(POLICY.replace(" {#collect}", "").replace(
        "Acme Inc. explains here what it collects.\n\n# Privacy notice\n",
        "# Privacy notice\n\nAcme Inc. explains here what it collects.\n"))
    cli("import", "../policy.md", "--lang", "en", "--effective-date", "2024-01-01",
        "--published", cwd=root)
    for draft in (root / "policy_src/versions").glob("2*.yaml"):
        if draft.stem != "2024-01-01":
            draft.unlink()
    assert cli("lock", cwd=root).code == 0
    assert cli("build", cwd=root).code == 0
    source = published_text.of_markdown((tmp_path / "policy.md").read_text())
    page = published_text.of_page((root / "site/en/versions/2024-01-01/index.html")
                                  .read_text())
    assert published_text.is_subsequence(published_text.Outline(source.headings[1:])
                                         .relative(),
                                         published_text.Outline(page.headings[1:]).relative())
    # The text's own title, not policy.yaml's, with the version's date
    assert page.headings[0] == (1, "Privacy notice, effective January 1, 2024")
    assert source.tables == page.tables == [["Data", "Why", "Kept"]]
    assert published_text.words_kept_in_order(source.words, page.words) >= 0.995


@pytest.mark.parametrize(("name", "text"), [
    ("break.md", "## A\n\nline one  \n# not a heading, after a break\n"),
    ("list.md", "## A\n\n1. item\n\n   > quoted in a list\n\n   ```\n   code\n   ```\n"),
    ("table.md", "## A\n\n| a | b |\n|---|---|\n| `x` | ![i](https://e.example/i.png) |\n"
                 "| <b>y</b> | z \\| w |\n"),
    ("nested.md", "## A\n\n- a\n  - b\n    - ### c\n\n> # In a quotation\n> > nested\n"),
    ("html.md", "## A\n\n<div>\n<p>para</p>\n<h3>inner</h3>\n</div>\n\n    indented code\n\n"
                "text <span>x</span> <!-- c --> end <br/> next\n\n***\n"),
    ("lines.html", "<h2>A</h2><p># hash</p><p>&gt; gt</p><pre>code\n# x</pre>"
                   "<blockquote><h3>q</h3></blockquote><ul><li>1. x</li><li># y</li></ul>"
                   "<p><code>c</code> <img src='a.png' alt='Alt'><br># after</p>"),
])
def test_what_the_format_refuses_is_never_written(tmp_path, name, text):
    imported = read(tmp_path, text, name, imports.Links("https://acme.example/privacy/"))
    for section in imported.sections:
        assert markup.refusals(section.body or "") == (), section.body

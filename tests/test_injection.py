"""User text is never HTML (issue 29): every text a reader sees, set to script payloads, built
by both distinct engines, is inert on every page (a real HTML parser finds no active element
or attribute; chromium shows no dialog and runs no script of it), in the feed, the PDFs' HTML,
the API page and the portable redline, and reads as the text it is."""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest
from ruamel.yaml import YAML

from generator.core import i18n
from generator.core.model import timeline
from generator.outputs import api, pdf
from generator.source.convert import read
from tests.browser import serve
from tests.helpers import (
    DISTINCT_ENGINES,
    POSTPONEMENT,
    V2018,
    V2027,
    WITHDRAWAL,
    add_third_version,
)
from tests.htmltext import article_text

# Each one executes when a page trusts the text as HTML, in an element or in an attribute, or
# is evaluated by a template engine (Jinja's {{ }} is refused in every text before it gets
# here: test_github_privacy's placeholders).
PAYLOAD = (' <img src=x onerror=alert(1)><script>alert(2)</script>"><svg onload=alert(3)>'
           "' onmouseover='alert(4)' ${7*7} %{7*7}")
# Bodies are Markdown, which refuses raw HTML by name (test_markup): there the payload is the
# Markdown that stands for the same characters, and links whose text and target carry it.
BODY = (r' \<img src=x onerror=alert(1)\> \<script\>alert(2)\</script\> '
        r'[link "\>\<svg onload=alert(3)\>](https://example.com/?q="><svg/onload=alert(5)>) '
        r'[x](https://example.com/"onmouseover="alert(6)) ${7*7} %{7*7}')
AS_OF = dt.date(2027, 6, 1)  # 2027-04-01 postponed to 05-01, in force; 2028-01-01 withdrawn
# What may carry an event handler or run code: the engines' own scripts have no "alert".
ACTIVE = re.compile(r"alert\(")


def poison_texts(path: Path, languages: frozenset[str]) -> None:
    """Every localized text of a source file (a mapping of language -> text) with the payload
    appended: titles, bodies, facts, labels, summaries, notes, reasons, categories."""
    yaml = YAML()
    yaml.width = 4096

    def walk(node, key=None) -> None:
        if isinstance(node, dict):
            if node and set(node) <= languages and all(isinstance(v, str)
                                                       for v in node.values()):
                for language, text in node.items():
                    node[language] = text.rstrip("\n") + (BODY if key == "body" else PAYLOAD)
                return
            for name, value in node.items():
                walk(value, name)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)

    data = yaml.load(path.read_text(encoding="utf-8"))
    walk(data)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)


def hostile_project(project, cli):
    """The example with a third version, every text poisoned and locked, then a postponement,
    a withdrawal and a correction (each with a poisoned reason) recorded by `lock`."""
    add_third_version(project)
    languages = frozenset(("ja", "en"))
    for path in [project.source / "policy.yaml", *sorted((project.source / "versions").glob(
            "*.yaml"))]:
        poison_texts(path, languages)
    project.relock()
    reasons = PAYLOAD.replace("'", "")  # inside the YAML's plain scalars below
    project.replace(V2027, "effective_date: 2027-04-01", "effective_date: 2027-05-01")
    project.write(V2027, project.read(V2027) + POSTPONEMENT.replace(
        "updated.", "updated." + reasons.replace('"', "")).replace(
        "延期しました。", '"延期しました。' + reasons.replace('"', '\\"') + '"'))
    assert cli("lock", "--postpone", "2027-04-01", cwd=project.root).code == 0
    project.write("versions/2028-01-01.yaml", project.read("versions/2028-01-01.yaml") +
                  WITHDRAWAL.replace("content.", "content." + reasons.replace('"', "")))
    assert cli("lock", "--withdraw", "2028-01-01", cwd=project.root).code == 0
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", "corrections:\n  - date: 2026-11-25\n    reason:\n"
                    f"      ja: '誤記を訂正しました。{PAYLOAD.replace(chr(39), chr(39) * 2)}'\n"
                    f"      en: 'Corrected.{PAYLOAD.replace(chr(39), chr(39) * 2)}'\n"
                    "sections:\n")
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 0, run.err
    return project


class _Active(HTMLParser):
    """What a browser would run: elements and attributes of the payloads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self._script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value}>")
            if name in ("href", "src", "action") and value and \
                    value.strip().lower().startswith(("javascript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "svg" and dict(attrs).get("onload") or tag == "img" and \
                dict(attrs).get("src") == "x":
            self.found.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and ACTIVE.search(data):
            self.found.append(f"<script>{data[:60]}")


def active_in(markup: str) -> list[str]:
    parser = _Active()
    parser.feed(markup)
    return parser.found


@pytest.fixture(scope="module", params=DISTINCT_ENGINES)
def hostile(request, tmp_path_factory):
    from generator.cli import main
    from tests.helpers import Run, copy_project

    def cli(*args: str, cwd: Path) -> Run:
        import contextlib
        import io
        import os

        out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
        os.chdir(cwd)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            os.chdir(here)
        return Run(code, out.getvalue(), err.getvalue())

    project = hostile_project(copy_project(tmp_path_factory.mktemp(
        f"hostile-{request.param}")), cli)
    project.configure(engine=request.param)
    return project, project.build(as_of=AS_OF, drafts=False), cli


def test_every_page_of_both_engines_is_inert_and_shows_the_text(hostile):
    project, built, _ = hostile
    site = built.result.out_dir
    pages = sorted(site.rglob("*.html"))
    kinds = {path.relative_to(site).as_posix() for path in pages}
    for wanted in ("en/index.html", "en/versions/2018-07-06/before-correction-1/index.html",
                   "en/versions/2018-07-06/correction-1/index.html",
                   "en/versions/2028-01-01/index.html", "en/changes/2027-04-01/index.html",
                   "en/api/index.html", "en/versions/index.html"):
        assert wanted in kinds  # the pages of every kind were made
    found = {path.relative_to(site).as_posix(): active_in(path.read_text(encoding="utf-8"))
             for path in pages}
    assert {path: active for path, active in found.items() if active} == {}
    shown = article_text(site / "en/versions/2018-07-06/index.html")
    assert PAYLOAD.strip() in shown and "Corrected." + PAYLOAD in shown  # read as typed
    assert 'link "><svg onload=alert(3)>' in shown  # a body's link text, from its Markdown


def test_no_page_opens_a_dialog_or_runs_a_payload_in_chromium(hostile, browser):
    _, built, _ = hostile
    site = built.result.out_dir
    pages = [path.relative_to(site).as_posix().removesuffix("index.html")
             for path in sorted(site.rglob("*.html"))]
    # The compare page shows what it compares once asked: the texts of two versions.
    pages += [f"{language}/compare/?from=2018-07-06&to=2028-01-01" for language in ("ja", "en")]
    dialogs: list[str] = []
    with serve(site) as base:
        for path in pages:
            page = browser.new_page()
            # Before the page loads: a payload runs as soon as it is parsed.
            page.on("dialog", lambda dialog, path=path: (dialogs.append(
                f"{path}: {dialog.message}"), dialog.dismiss()))
            page.goto(base + path, wait_until="load")
            if "?from=" in path:
                page.wait_for_selector("#pg-compare-result h2")
            page.mouse.move(200, 200)  # an onmouseover that broke out of its attribute
            handlers = page.evaluate(
                "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
                ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))")
            assert handlers == [], path
            page.close()
    assert dialogs == []
    assert len(pages) > 20


def test_the_feed_states_the_texts_as_text(hostile):
    _, built, _ = hostile
    for language in ("ja", "en"):
        feed = built.result.out_dir / language / "feed.xml"
        root = ElementTree.parse(feed).getroot()
        for element in root.iter():
            assert element.tag.rpartition("}")[2] not in ("script", "img", "svg")
            if element.get("type") in ("html", "xhtml") and element.text:
                assert active_in(element.text) == [], (feed, element.tag)
        assert "onerror=alert(1)" in feed.read_text(encoding="utf-8")


def test_the_pdfs_html_and_the_portable_redline_are_inert(hostile):
    project, built, cli = hostile
    policy, _, _ = read(project.source)
    line = timeline(policy, AS_OF)
    catalogs = i18n.read_catalogs(project.layout.locales, policy.info.languages)
    htmls = pdf.documents_html(policy, line, api.version_documents(policy, line), catalogs,
                               None)
    assert len(htmls) >= 4
    assert {name: active_in(text) for name, text in htmls.items() if active_in(text)} == {}
    assert all("onerror=alert(1)" in text for text in htmls.values())
    for language in ("ja", "en"):
        run = cli("diff", "2018-07-06", "2028-01-01", "--lang", language, "--format", "html",
                  cwd=project.root)
        assert run.code == 0, run.err
        assert active_in(run.out) == [] and "onerror=alert(1)" in run.out
        markdown_text = cli("diff", "2018-07-06", "2028-01-01", "--lang", language, "--format",
                       "markdown", cwd=project.root).out
        rendered = markdown.markdown(markdown_text, extensions=["tables"])  # as a reader's tool
        assert active_in(rendered) == [] and "onerror=alert(1)" in rendered

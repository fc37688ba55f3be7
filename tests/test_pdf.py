"""Each version as a PDF: complete, honest about which text it is, identical on every build."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path

import pypdf
import pytest

from generator.core import markup
from generator.outputs import pdf
from generator.source.convert import load
from tests.helpers import ROOT, copy_project

LANGUAGES = ("ja", "en")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("example"))
    project.build()
    return project.root / "site"


@pytest.fixture(scope="module")
def index(built) -> dict:
    return json.loads((built / "api/v1/policy.json").read_text(encoding="utf-8"))


def pdf_of(built: Path, index: dict, version_id: str, language: str) -> pypdf.PdfReader:
    entry = next(v for v in index["versions"] if v["id"] == version_id)
    url = entry["documents"][language]["pdf"]["url"]
    return pypdf.PdfReader(built / "api/v1" / url)


def text_of(reader: pypdf.PdfReader) -> str:
    """The text of every page without its footer (title and version; hash; page number) and,
    after the first page, its running header (company and policy), which pypdf reads just
    before the footer: both would otherwise stand between the two halves of a paragraph
    split by a page."""
    pages = []
    for number, page in enumerate(reader.pages):
        lines = page.extract_text().split("\n")
        at = next(i for i, line in enumerate(lines) if re.search(r"[0-9a-f]{64}", line))
        start = at - 1 if number == 0 else at - 2
        # Lists' numbers and bullets are drawn as lines of their own: leave them out.
        pages.append("\n".join(line for line in lines[:start] + lines[at + 2:]
                               if not re.fullmatch(r"(\d+\.|•)\s*", line)))
    return "\n".join(pages)


def without_space(text: str) -> str:
    # Lines wrap wherever the page ends them: compare the characters, not the layout.
    return re.sub(r"\s+", "", text)


def versions(index: dict) -> list[str]:
    return [v["id"] for v in index["versions"]]


def test_every_version_has_a_pdf_in_every_language_listed_in_the_api(built, index):
    for entry in index["versions"]:
        for language in LANGUAGES:
            listed = entry["documents"][language]["pdf"]
            content = (built / "api/v1" / listed["url"]).resolve().read_bytes()
            assert content.startswith(b"%PDF-")
            assert listed["bytes"] == len(content)
            assert listed["sha256"] == hashlib.sha256(content).hexdigest()
            assert listed["url"].endswith(f"/goalous-privacy-{entry['id']}-{language}.pdf")


def test_pdf_text_is_the_versions_whole_text(built, index):
    policy = load(ROOT / "policy_src")
    for version in policy.versions:
        for language in LANGUAGES:
            text = without_space(text_of(pdf_of(built, index, version.id, language)))
            for section in version.sections:
                assert without_space(section.title[language]) in text, (version.id, section.id)
                if section.body:
                    body = markup.plain_text(section.body[language])
                    assert without_space(body) in text, (version.id, section.id)
                if section.note:
                    assert without_space(section.note[language]) in text
            desk = version.facts.inquiry_desk
            assert desk.email in text and without_space(desk.address[language]) in text


def test_every_page_names_the_version_its_date_and_the_apis_hash(built, index):
    for entry in index["versions"]:
        for language in LANGUAGES:
            reader = pdf_of(built, index, entry["id"], language)
            sha256 = entry["documents"][language]["sha256"]
            assert len(reader.pages) > 1
            for number, page in enumerate(reader.pages, 1):
                text = page.extract_text()
                assert sha256 in text and entry["id"] in text
                assert f"{number} / {len(reader.pages)}" in text
    english = pdf_of(built, index, "2027-04-01", "en").pages[-1].extract_text()
    japanese = pdf_of(built, index, "2027-04-01", "ja").pages[-1].extract_text()
    assert "Effective date: April 1, 2027" in english
    assert "施行日：2027年4月1日" in japanese


def test_pdf_declares_its_language_title_and_no_date_or_random_id(built, index):
    for language in LANGUAGES:
        reader = pdf_of(built, index, "2018-07-06", language)
        assert reader.trailer["/Root"]["/Lang"] == language
        assert "/ID" not in reader.trailer
        info = reader.metadata
        assert "/CreationDate" not in info and "/ModDate" not in info
        title = {"ja": "プライバシーポリシー", "en": "Privacy Policy"}[language]
        assert info["/Title"].startswith(title)


def fonts(reader: pypdf.PdfReader) -> dict[str, dict]:
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            found[str(font["/BaseFont"])] = descriptor
    return found


def test_fonts_are_embedded_and_subset_and_japanese_is_set_in_a_japanese_font(built, index):
    for language in LANGUAGES:
        used = fonts(pdf_of(built, index, "2018-07-06", language))
        for name, descriptor in used.items():
            assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        if language == "ja":
            assert any("CJK-JP" in name for name in used), used


def test_a_japanese_pdf_embeds_no_slanted_copy_of_its_font(built, index):
    """CJK type has no italic: a synthesized oblique Noto CJK cost the PDF about 100 KB."""
    for version in ("2018-07-06", "2027-04-01"):
        used = fonts(pdf_of(built, index, version, "ja"))
        assert not [name for name in used if "Oblique" in name or "Italic" in name], used


def test_emphasis_in_chinese_japanese_and_korean_is_bold_not_slanted():
    for language in ("ja", "zh-Hans", "ko"):
        html = (f'<!DOCTYPE html><html lang="{language}"><head><title>t</title></head><body>'
                '<p class="pg-authority">個人情報</p><p><em>個人情報</em></p></body></html>')
        used = fonts(pypdf.PdfReader(io.BytesIO(
            pdf.render_one(html, pdf.STYLESHEET.read_text(encoding="utf-8")))))
        assert not [name for name in used if "Oblique" in name or "Italic" in name], used
        assert any("Bold" in name for name in used), used


def test_links_lead_where_the_page_links_lead(built, index):
    reader = pdf_of(built, index, "2018-07-06", "en")
    uris = {annotation.get_object()["/A"].get("/URI")
            for page in reader.pages for annotation in page.get("/Annots", [])}
    assert "mailto:contact@goalous.com" in uris
    assert any(uri and uri.startswith("tel:") for uri in uris)


def test_version_page_and_archive_link_the_pdf(built, index):
    for language in LANGUAGES:
        for entry in index["versions"]:
            name = f"goalous-privacy-{entry['id']}-{language}.pdf"
            page = (built / language / "versions" / entry["id"] / "index.html").read_text()
            assert f'href="{name}"' in page
            archive = (built / language / "versions/index.html").read_text()
            assert f'href="{entry["id"]}/{name}"' in archive
    assert "This version as PDF (" in (built / "en/index.html").read_text()
    assert "この版の PDF（" in (built / "ja/index.html").read_text()


def test_only_versions_whose_inputs_changed_are_rendered_again(project, monkeypatch, tmp_path):
    rendered = []
    real = pdf.render_one
    monkeypatch.setattr(pdf, "render_one", lambda html, css: rendered.append(html) or
                        real(html, css))
    cache = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    project.build(environ=cache)
    assert len(rendered) == 4  # two versions, two languages
    rendered.clear()
    project.build(environ=cache)
    assert rendered == []
    project.replace("versions/2027-04-01.yaml", "16歳未満", "18歳未満")
    project.relock()
    project.build(environ=cache)
    assert len(rendered) == 1 and "18歳未満" in rendered[0]


def test_a_damaged_cache_entry_is_rendered_again_never_published(project, monkeypatch,
                                                                   tmp_path):
    cache = tmp_path / "cache"
    first = project.build(out=tmp_path / "one", environ={"POLICYGEN_CACHE": str(cache)})
    entry = next((cache / "pdf").rglob("*.pdf"))
    entry.write_bytes(entry.read_bytes()[:-100])  # a file cut short, as by a full disk
    rendered = []
    real = pdf.render_one
    monkeypatch.setattr(pdf, "render_one", lambda html, css: rendered.append(html) or
                        real(html, css))
    second = project.build(out=tmp_path / "two", environ={"POLICYGEN_CACHE": str(cache)})
    assert len(rendered) == 1
    assert first.pdfs == second.pdfs


def test_a_missing_font_fails_the_build_naming_the_install_command(project, cli, monkeypatch,
                                                                   tmp_path):
    assert cli("build", cwd=project.root).code == 0
    before = (project.root / "site/en/index.html").read_bytes()
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "empty-cache"))
    run_for_real = pdf.subprocess.run

    def no_font_found(command, *args, **kwargs):  # fc-list finds no font; git still answers
        if command[0] == "fc-list":
            return type("R", (), {"stdout": ""})
        return run_for_real(command, *args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "run", no_font_found)
    run = cli("build", cwd=project.root)
    assert run.code == 2
    assert "no font for language 'ja' is installed" in run.err
    assert "apt-get install libpango-1.0-0" in run.err and "fonts-noto-cjk" in run.err
    assert "Traceback" not in run.err
    assert (project.root / "site/en/index.html").read_bytes() == before


def test_without_harfbuzz_subset_the_build_stops_naming_the_package(project, cli, monkeypatch,
                                                                    tmp_path):
    # WeasyPrint would fall back to fontTools: 20 times slower, and not the same bytes twice.
    assert cli("build", cwd=project.root).code == 0
    before = (project.root / "site/en/index.html").read_bytes()
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(pdf, "_subsetter_present", lambda: False)
    run = cli("build", cwd=project.root)
    assert run.code == 2
    assert "libharfbuzz-subset" in run.err and "apt-get install" in run.err
    assert "libharfbuzz-subset0" in run.err
    assert "Traceback" not in run.err
    assert (project.root / "site/en/index.html").read_bytes() == before


def test_a_changed_font_file_changes_every_pdf_key(monkeypatch, tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "Sans.ttf").write_bytes(b"font one")
    monkeypatch.setattr(pdf, "_FONT_FOLDERS", (str(fonts),))
    first = pdf.renderer_version()
    assert first == pdf.renderer_version()
    (fonts / "Sans.ttf").write_bytes(b"font two, updated by the system")
    assert pdf.renderer_version() != first
    assert "harfbuzz" in first and "pango" in first


def test_rendering_the_same_html_twice_gives_the_same_bytes():
    html = ('<!DOCTYPE html><html lang="ja"><head><title>t</title></head><body>'
            '<p>個人情報 <a href="https://example.com/">link</a></p></body></html>')
    css = pdf.STYLESHEET.read_text(encoding="utf-8")
    first = pdf.render_one(html, css)
    assert first == pdf.render_one(html, css)
    assert "個人情報" in pypdf.PdfReader(io.BytesIO(first)).pages[0].extract_text()


@pytest.fixture
def spied(monkeypatch):
    """What a build makes: the PDFs' HTML it makes (by name) and the PDFs it renders."""
    made, rendered = [], []
    real_html, real_render = pdf.documents_html, pdf.render_one

    def documents_html(*args, **kwargs):
        htmls = real_html(*args, **kwargs)
        made.extend(htmls)
        return htmls

    monkeypatch.setattr(pdf, "documents_html", documents_html)
    monkeypatch.setattr(pdf, "render_one", lambda html, css: rendered.append(html) or
                        real_render(html, css))
    return made, rendered


def test_unchanged_sources_find_their_pdfs_without_making_their_html(project, spied,
                                                                       tmp_path):
    cache = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    first = project.build(out=tmp_path / "one", environ=cache)
    made, rendered = spied
    assert len(made) == len(rendered) == 4
    made.clear(), rendered.clear()
    second = project.build(out=tmp_path / "two", environ=cache)
    assert made == [] and rendered == []
    assert second.pdfs == first.pdfs


def test_an_edited_catalog_string_makes_that_languages_pdfs_again(project, spied, tmp_path):
    cache = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    project.build(out=tmp_path / "one", environ=cache)
    made, rendered = spied
    made.clear(), rendered.clear()
    catalog = project.root / "locales/ja/LC_MESSAGES/messages.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "本文の SHA-256："', 'msgstr "本文の SHA-256 値："'),
                       encoding="utf-8")
    built = project.build(out=tmp_path / "two", environ=cache)
    assert sorted(made) == [("2018-07-06", "ja"), ("2027-04-01", "ja")]
    assert len(rendered) == 2 and all("本文の SHA-256 値：" in html for html in rendered)
    assert built.pdfs["2027-04-01", "en"].read() in {
        path.read_bytes().partition(b"\n")[2] for path in (tmp_path / "cache").rglob("*.pdf")}


def test_an_edit_of_one_language_makes_only_that_language_s_pdf_again(project, spied,
                                                                      tmp_path):
    from tests.helpers import add_draft

    cache = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    add_draft(project)
    project.build(out=tmp_path / "one", environ=cache, drafts=True)
    made, rendered = spied
    made.clear(), rendered.clear()
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    project.build(out=tmp_path / "two", environ=cache, drafts=True)
    assert made == [("2028-01-01", "en")]  # the Japanese text of the same file is unchanged
    assert len(rendered) == 1 and "under 20 years" in rendered[0]


def test_a_build_from_another_folder_finds_the_same_pdfs_without_making_html(
        project, spied, tmp_path, monkeypatch):
    cache = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    project.build(out=tmp_path / "one", environ=cache)
    made, rendered = spied
    made.clear(), rendered.clear()
    monkeypatch.chdir(tmp_path)  # the source files' paths, as messages show them, differ
    project.build(out=tmp_path / "two", environ=cache)
    assert made == [] and rendered == []


def test_a_damaged_index_entry_is_ignored_and_the_pdf_found_by_its_html(project, spied,
                                                                         tmp_path):
    cache = tmp_path / "cache"
    first = project.build(out=tmp_path / "one", environ={"POLICYGEN_CACHE": str(cache)})
    entries = sorted(path for path in (cache / "pdf").rglob("*")
                     if path.is_file() and path.suffix != ".pdf")
    assert len(entries) == 4
    pointed = [path.read_text().split(" ") for path in entries]
    entries[0].write_text("")  # cut short, as by a full disk
    entries[1].write_text(f"{pointed[2][0]} {pointed[1][1]}")  # another PDF's key, unchecked
    entries[2].write_bytes(b"\xff\xfe")
    made, rendered = spied
    made.clear(), rendered.clear()
    second = project.build(out=tmp_path / "two", environ={"POLICYGEN_CACHE": str(cache)})
    assert len(made) == 3 and rendered == []
    assert second.pdfs == first.pdfs
    assert [path.read_text().split(" ") for path in entries] == pointed  # made whole again


@pytest.mark.parametrize("signal_name,code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_during_a_cold_pdf_render_stops_every_worker_and_keeps_the_pdfs_made(
        signal_name, code, tmp_path):
    """Rendering every PDF of a long history takes minutes: Ctrl-C must stop it then and
    there (not once every queued PDF is rendered), and what was rendered is kept for the
    next build."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from benchmarks import synthetic

    root = synthetic.write(tmp_path / "project", 8, 2)
    cache = tmp_path / "cache"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", "--jobs", "2", "--as-of", "2026-11-25"],
        cwd=root, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "POLICYGEN_CACHE": str(cache)})
    deadline = time.monotonic() + 120  # a guard against a hang, not a measure
    while not list(cache.rglob("*.pdf")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert len(_processes_in(root)) > 1  # the first PDF is kept while the workers render on
    process.send_signal(getattr(signal, signal_name))
    err = process.communicate(timeout=120)[1]
    assert process.returncode == code, err
    assert "nothing was replaced" in err and "Traceback" not in err, err
    kept = list(cache.rglob("*.pdf"))
    assert 1 <= len(kept) < 16  # 8 versions x 2 languages: the rest were never rendered
    assert not (root / "site").exists()
    assert _processes_in(root) == []  # no worker renders on after the command ended


def _processes_in(folder: Path) -> list[Path]:
    """The processes whose working directory is `folder`: the build and its workers."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")) == folder:
                found.append(proc)
        except OSError:  # gone meanwhile, or not ours to read
            pass
    return found


def test_an_edit_starts_the_pdf_renderers_while_the_sources_load(project, monkeypatch,
                                                                  tmp_path):
    """Loading WeasyPrint takes most of a second: a build that finds a version file changed
    starts its renderer processes then, so that loading overlaps its other stages; the PDFs
    they make are those this process makes."""
    from generator import build as pipeline
    from tests.helpers import AS_OF, NOW, add_draft

    add_draft(project)
    environ = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    pipeline.build(project.layout, pipeline.BuildOptions(
        tmp_path / "one", AS_OF, environ, NOW, drafts=True, jobs=2))
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    order = []
    start, real_pdfs = pdf.Renderers.start, pipeline.version_pdfs
    monkeypatch.setattr(pdf.Renderers, "start", lambda self: order.append("start") or
                        start(self))
    monkeypatch.setattr(pipeline, "version_pdfs", lambda *args: order.append("pdf stage") or
                        real_pdfs(*args))
    parallel = pipeline.build(project.layout, pipeline.BuildOptions(
        tmp_path / "two", AS_OF, environ, NOW, drafts=True, jobs=2))
    assert order[:2] == ["start", "pdf stage"]
    here = pipeline.build(project.layout, pipeline.BuildOptions(tmp_path / "three", AS_OF,
                          {"POLICYGEN_CACHE": str(tmp_path / "other-cache")}, NOW,
                          drafts=True, jobs=1))
    made = parallel.pdfs["2028-01-01", "en"]
    assert made.read() == here.pdfs["2028-01-01", "en"].read()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(made.read())).pages)
    assert "under 20 years" in text.replace("\n", " ")


def test_a_build_without_kept_results_starts_no_renderer_for_pdfs_already_made(
        project, monkeypatch, tmp_path):
    """With no results kept in the project (a first build there, or its cache deleted),
    every version counts as changed, yet the user's cache mostly has their PDFs: renderer
    processes are started only for a PDF that must be made, not to load WeasyPrint twice
    for nothing (a third of the example's build on two cores)."""
    import shutil

    from generator import build as pipeline
    from tests.helpers import AS_OF, NOW, add_draft

    add_draft(project)
    environ = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    pipeline.build(project.layout, pipeline.BuildOptions(
        tmp_path / "one", AS_OF, environ, NOW, drafts=True, jobs=2))
    shutil.rmtree(project.layout.cache)
    started = []
    start = pdf.Renderers.start
    monkeypatch.setattr(pdf.Renderers, "start", lambda self: started.append(1) or start(self))
    again = pipeline.build(project.layout, pipeline.BuildOptions(
        tmp_path / "two", AS_OF, environ, NOW, drafts=True, jobs=2))
    assert started == [] and again.pdfs  # every PDF found in the user's cache
    project.replace("versions/2028-01-01.yaml", "under 18 years", "under 20 years")
    shutil.rmtree(project.layout.cache)
    pipeline.build(project.layout, pipeline.BuildOptions(
        tmp_path / "three", AS_OF, environ, NOW, drafts=True, jobs=2))
    assert started  # a PDF to make: started when first asked for


def test_a_cached_pdf_damaged_in_place_is_never_published_and_is_rendered_anew(
        project, cli, tmp_path, monkeypatch):
    """A PDF is found by its index entry (hash and size) and checked when it is written: one
    damaged without a change of size (a flipped bit) stops the build there, and is removed,
    so that the next build renders it again."""
    monkeypatch.setenv("POLICYGEN_CACHE", str(tmp_path / "cache"))
    assert cli("build", "--out", str(tmp_path / "one"), cwd=project.root).code == 0
    published = tmp_path / "one/en/versions/2018-07-06/goalous-privacy-2018-07-06-en.pdf"
    [stored] = [path for path in (tmp_path / "cache/pdf").rglob("*.pdf")
                if path.read_bytes().partition(b"\n")[2] == published.read_bytes()]
    good = stored.read_bytes()
    stored.write_bytes(good[:-20] + bytes([good[-20] ^ 0x01]) + good[-19:])
    run = cli("build", "--out", str(tmp_path / "two"), cwd=project.root)
    assert run.code == 2 and "damaged; it was removed" in run.err and "Traceback" not in run.err
    assert not (tmp_path / "two").exists() and not stored.exists()
    assert cli("build", "--out", str(tmp_path / "two"), cwd=project.root).code == 0
    assert (tmp_path / "two/en/versions/2018-07-06/goalous-privacy-2018-07-06-en.pdf"
            ).read_bytes() == good.partition(b"\n")[2]


def test_a_project_on_letter_paper_gets_letter_pdfs_never_its_cached_a4_ones(project, spied,
                                                                             tmp_path):
    cache = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    a4 = project.build(out=tmp_path / "a4", environ=cache)
    made, rendered = spied
    rendered.clear()
    project.configure(pdf_page_size="Letter")
    letter = project.build(out=tmp_path / "letter", environ=cache)
    assert len(rendered) == 4  # the A4 PDFs of the same HTML are not taken for Letter
    for name, made_pdf in letter.pdfs.items():
        page = pypdf.PdfReader(io.BytesIO(made_pdf.read())).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == \
            (612, 792), name  # 8.5 x 11 inches
        assert made_pdf.sha256 != a4.pdfs[name].sha256
    page = pypdf.PdfReader(io.BytesIO(a4.pdfs["2018-07-06", "en"].read())).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == \
        (595, 842)  # A4, the default


def test_an_unknown_pdf_page_size_is_refused_with_the_sizes_there_are(project):
    from generator.core.diagnostics import PolicyError
    from generator.source import settings

    project.configure(pdf_page_size="Legal")
    with pytest.raises(PolicyError) as raised:
        settings.read(project.layout.settings)
    assert "unknown PDF page size 'Legal'; choose A4 or Letter" in str(raised.value.diagnostics[0])


STATE_WORDS = {"ja": {"current": "施行中", "upcoming": "施行予定", "superseded": "旧版"},
               "en": {"current": "In force", "upcoming": "Upcoming", "superseded": "Superseded"}}


def test_the_first_page_names_the_company_policy_version_status_and_effective_date(
        built, index):
    import datetime as dt

    from generator.core import i18n
    from generator.core.model import timeline

    policy = load(ROOT / "policy_src")
    line = timeline(policy, dt.date.fromisoformat(index["as_of"]))
    for version in line.versions:
        for language in LANGUAGES:
            first = pdf_of(built, index, version.id, language).pages[0].extract_text()
            head = first.split("\n")[:8]  # the cover block, before the text
            assert head[0] == version.facts.company[language]
            assert head[1] == version.policy_title(policy.info)[language]
            assert any(version.id in line_ for line_ in head)
            state = STATE_WORDS[language][line.state(version)]
            assert any(state in line_ for line_ in head), (version.id, language, head)
            date = i18n.format_date(version.effective_date, language)
            assert any(date in line_ for line_ in head)


def test_the_running_header_names_the_company_and_policy_after_the_first_page(built, index):
    reader = pdf_of(built, index, "2027-04-01", "en")
    assert len(reader.pages) > 1
    assert "ISAO Corporation · Privacy Policy" not in reader.pages[0].extract_text()
    assert "ISAO Corporation · Privacy Policy" in reader.pages[1].extract_text()


def test_two_cjk_marks_in_a_row_are_set_without_a_double_blank():
    html = pdf.trim_adjacent_punctuation(
        '<html><head><title>「」）</title></head><body><p title="」）">（以下「当社」）は、'
        "「a」「b」</p></body></html>")
    head, body = html.split("<body>")
    assert "pg-halt" not in head  # the title is text, not markup
    assert '<p title="」）">' in body  # attributes untouched
    assert body == ('<p title="」）">（以下「当社<span class="pg-halt">」</span>）は'
                    '<span class="pg-halt">、</span>「a<span class="pg-halt">」</span>「b」'
                    "</p></body></html>")


def test_a_pdfs_size_is_written_one_way_in_every_language():
    from generator.core import i18n

    sizes = {language: i18n.file_size(341_234, language)
             for language in ("ja", "en", "fr", "de", "zh-Hant", "ar")}
    assert set(sizes.values()) == {"341\u00a0kB"}, sizes  # CLDR: 341 KB (ja), 341 ko (fr)
    assert i18n.file_size(1_234_567, "de") == "1.235\u00a0kB"  # the number as it is written

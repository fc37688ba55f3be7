"""The company's look in policygen.yml (issue 24): a logo, a favicon, a brand colour and
numbered sections; each checked where it is written, and each reaching the built site."""
from __future__ import annotations

import re

import pytest

from generator.core.diagnostics import PolicyError
from generator.source import settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32  # enough of one to be copied as it is


def refusal(project, text: str) -> str:
    project.layout.settings.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        settings.read(project.layout.settings)
    assert len(raised.value.diagnostics) == 1
    return str(raised.value.diagnostics[0])


def test_a_brand_colour_must_be_hex_and_is_refused_at_its_line(project):
    found = refusal(project, "engine: mkdocs\nbrand_colour: navy\n")
    assert "policygen.yml:2:15: brand_colour 'navy' is not a colour as #rrggbb" in found
    assert "quoted" in found  # how to fix it: YAML reads a bare # as a comment


def test_a_brand_colour_that_is_markup_never_reaches_a_page(project):
    found = refusal(project, 'brand_colour: "#fff;}</style><script>x()</script>"\n')
    assert "is not a colour as #rrggbb" in found


@pytest.mark.parametrize("path, problem", [
    ("brand/missing.png", "logo 'brand/missing.png' does not exist"),
    ("../outside.png", "logo '../outside.png' is not a path inside the project"),
    ("/etc/logo.png", "logo '/etc/logo.png' is not a path inside the project"),
    ("brand/logo.txt", "logo 'brand/logo.txt' is not an image a browser shows"),
])
def test_a_logo_must_be_an_image_file_inside_the_project(project, path, problem):
    (project.root / "brand").mkdir()
    (project.root / "brand/logo.txt").write_text("not an image")
    found = refusal(project, f"logo: {path}\n")
    assert f"policygen.yml:1:7: {problem}" in found


def test_section_numbers_is_true_or_false(project):
    assert "policygen.yml:1:18: 'section_numbers' must be true or false" in refusal(
        project, "section_numbers: yes please\n")


def test_validate_refuses_a_bad_look_setting_with_its_location_and_no_traceback(project, cli):
    project.layout.settings.write_text("favicon: icon.gif.exe\n")
    run = cli("validate", cwd=project.root)
    assert run.code == 2
    assert "policygen.yml:1:10: favicon 'icon.gif.exe' is not an image" in run.err
    assert "Traceback" not in run.err


def test_the_look_reaches_every_language_of_the_built_site(project):
    (project.root / "brand").mkdir()
    (project.root / "brand/Logo.PNG").write_bytes(PNG)
    (project.root / "brand/icon.png").write_bytes(PNG)
    project.layout.settings.write_text(
        'logo: brand/Logo.PNG\nfavicon: brand/icon.png\nbrand_colour: "#7A1F3D"\n'
        "section_numbers: true\n", encoding="utf-8")
    out = project.build().result.out_dir
    for language in ("ja", "en"):
        assert (out / language / "assets/brand/logo.png").read_bytes() == PNG
        assert (out / language / "assets/brand/favicon.png").read_bytes() == PNG
        page = (out / language / "versions/2018-07-06/index.html").read_text("utf-8")
        assert re.search(r'<img src="../../assets/brand/logo.png"', page)
        assert re.search(r'<link rel="icon" href="../../assets/brand/favicon.png"', page)
        assert "--pg-brand: #7a1f3d;" in page
    ja = (out / "ja/index.html").read_text("utf-8")
    en = (out / "en/index.html").read_text("utf-8")
    # Top-level sections only, counted in reading order, as each language cites them.
    assert re.search(r'<h2 id="overview">第1条 個人情報保護方針</h2>', ja)
    assert re.search(r'<h2 id="handling">Section 2: About the handling', en)
    top = re.findall(r'<h2 id="[^"]+">([^<]*)', ja)
    assert len(top) >= 2 and all(title.startswith(f"第{number}条 ")
                                 for number, title in enumerate(top, 1))
    assert not re.search(r'<h3 id="[^"]+">第\d', ja)  # never a subsection (第三者 is a word)


def test_without_settings_the_site_has_the_neutral_look_and_no_numbers(project):
    out = project.build().result.out_dir
    page = (out / "en/index.html").read_text("utf-8")
    assert "--pg-brand:" not in page and "assets/brand/" not in page
    assert not re.search(r"<h2[^>]*>Section \d", page)

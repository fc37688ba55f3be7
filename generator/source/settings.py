"""Deployment settings (policygen.yml): read once at the edge, handed to the build as values.

    site_url: https://www.example.com/privacy/   # absolute links, feeds, sitemaps
    engine: mkdocs                               # or properdocs, or zensical
    link_base: https://www.example.com/          # what relative links in texts point under
    pdf_page_size: A4                            # or Letter: the paper the PDFs are set on
    logo: brand/logo.svg                         # the company's look: files in the project,
    favicon: brand/favicon.png                   # shown in the header and the browser's tab
    brand_colour: "#0b5394"                      # the header's rule and the links' colour
    section_numbers: true                        # "Section 3" / "第3条" before each heading

All are optional; without a site_url every link is relative and the site works anywhere;
without a link_base a relative link in a text ([terms](terms/)) is refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.core.diagnostics import Diagnostic, PolicyError
from generator.source.read import read_file

# The site engines, each the name of its module in generator/site/engines/ and of its package.
ENGINES = ("mkdocs", "zensical", "properdocs")
# The paper sizes of the PDFs, as CSS paged media names them: A4, and Letter for North America.
PAGE_SIZES = ("A4", "Letter")
# The images a browser shows as a logo or in its tab; the kind is told by the file's suffix.
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".ico")
NAMES = ("site_url", "engine", "link_base", "pdf_page_size", "logo", "favicon", "brand_colour",
         "section_numbers")


@dataclass(frozen=True, slots=True)
class Settings:
    site_url: str | None = None  # ends with "/"
    engine: str = "mkdocs"
    link_base: str | None = None  # as written: `terms` resolves under it as a browser would
    pdf_page_size: str = "A4"  # one of PAGE_SIZES
    # The company's look: image files in the project (paths from its root, with "/"), and a
    # colour as #rrggbb. None: the neutral look of site_overrides/assets/stylesheets/.
    logo: str | None = None
    favicon: str | None = None
    brand_colour: str | None = None
    section_numbers: bool = False  # top-level sections numbered as legal teams cite them


def read(path: Path) -> Settings:
    """The settings in `path`, or the defaults when there is no such file."""
    if not path.exists():
        return Settings()
    root, problems = read_file(path)
    if root is None or problems:
        raise PolicyError(problems)
    if root.kind == "scalar" and root.value is None:
        return Settings()
    if root.kind != "map":
        raise PolicyError([root.error("expected a mapping of settings",
                                      "write `site_url: ...`, `engine: ...` and "
                                      "`link_base: ...` lines")])
    values: dict[str, str] = {}
    numbered = False
    found: list[Diagnostic] = []
    for name, (key, value) in root.items.items():
        if name not in NAMES:
            found.append(key.error(f"unknown setting '{name}'",
                                   "the settings are " + ", ".join(NAMES)))
        elif name == "section_numbers":
            if value.kind != "scalar" or not isinstance(value.value, bool):
                found.append(value.error("'section_numbers' must be true or false"))
            else:
                numbered = value.value
        elif value.kind != "scalar" or not isinstance(value.value, str) or not value.value:
            found.append(value.error(f"'{name}' must be a text"))
        else:
            values[name] = value.value
            problem = _check(name, value.value, path.parent)
            if problem:
                found.append(value.error(*problem))
    if found:
        raise PolicyError(found)
    url = values.get("site_url")
    return Settings(url.rstrip("/") + "/" if url else None, values.get("engine", "mkdocs"),
                    values.get("link_base"), values.get("pdf_page_size", "A4"),
                    values.get("logo"), values.get("favicon"),
                    values["brand_colour"].lower() if "brand_colour" in values else None,
                    numbered)


def _check(name: str, value: str, root: Path) -> tuple[str, str] | None:
    if name in ("logo", "favicon"):
        return _image_problem(name, value, root)
    if name == "brand_colour" and not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return (f"brand_colour '{value}' is not a colour as #rrggbb",
                'write it like "#0b5394", quoted: YAML reads an unquoted # as a comment')
    if name == "engine" and value not in ENGINES:
        return (f"unknown engine '{value}'", "choose one of " + ", ".join(ENGINES))
    if name == "link_base" and not _web_address(value):
        return (f"link_base '{value}' is not an http(s) address",
                "write it like https://www.example.com/ (a link 'terms/' in a text then goes "
                "to https://www.example.com/terms/)")
    if name == "pdf_page_size" and value not in PAGE_SIZES:
        return (f"unknown PDF page size '{value}'", "choose " + " or ".join(PAGE_SIZES))
    if name == "site_url" and not _web_address(value):
        return (f"site_url '{value}' is not an http(s) address of a folder",
                "write it like https://www.example.com/privacy/")
    return None


def _image_problem(name: str, value: str, root: Path) -> tuple[str, str] | None:
    """Refused unless a relative path, inside the project, to an image file that is there:
    it is copied into every language's assets and must not name anything outside."""
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or ":" in value or ".." in parts or "" in parts:
        return (f"{name} '{value}' is not a path inside the project",
                "write it from the folder of policygen.yml with '/', like brand/logo.svg")
    if not value.lower().endswith(IMAGE_SUFFIXES):
        return (f"{name} '{value}' is not an image a browser shows",
                "use a file ending in " + ", ".join(IMAGE_SUFFIXES))
    if not (root / value).is_file():
        return (f"{name} '{value}' does not exist", f"put the file at {root / value}, or "
                f"remove the '{name}' line")
    return None


def brand_asset(name: str, path: str) -> str:
    """Where the logo's or the favicon's file (`name`) is copied inside each language's
    assets folder: named by its role, so the two never meet whatever their names."""
    return f"brand/{name}{Path(path).suffix.lower()}"


def _web_address(value: str) -> bool:
    """An http(s) address with a host, and no query or fragment to resolve links against."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query \
        and not parts.fragment

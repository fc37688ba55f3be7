"""Deployment settings (policygen.yml): read once at the edge, handed to the build as values.

    site_url: https://www.example.com/privacy/   # absolute links, feeds, sitemaps
    engine: mkdocs                               # or properdocs, or zensical
    link_base: https://www.example.com/          # what relative links in texts point under
    pdf_page_size: A4                            # or Letter: the paper the PDFs are set on

All are optional; without a site_url every link is relative and the site works anywhere;
without a link_base a relative link in a text ([terms](terms/)) is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.core.diagnostics import Diagnostic, PolicyError
from generator.source.read import read_file

# The site engines, each the name of its module in generator/site/engines/ and of its package.
ENGINES = ("mkdocs", "zensical", "properdocs")
# The paper sizes of the PDFs, as CSS paged media names them: A4, and Letter for North America.
PAGE_SIZES = ("A4", "Letter")
NAMES = ("site_url", "engine", "link_base", "pdf_page_size")


@dataclass(frozen=True, slots=True)
class Settings:
    site_url: str | None = None  # ends with "/"
    engine: str = "mkdocs"
    link_base: str | None = None  # as written: `terms` resolves under it as a browser would
    pdf_page_size: str = "A4"  # one of PAGE_SIZES


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
    found: list[Diagnostic] = []
    for name, (key, value) in root.items.items():
        if name not in NAMES:
            found.append(key.error(f"unknown setting '{name}'",
                                   "the settings are " + ", ".join(NAMES)))
        elif value.kind != "scalar" or not isinstance(value.value, str) or not value.value:
            found.append(value.error(f"'{name}' must be a text"))
        else:
            values[name] = value.value
            problem = _check(name, value.value)
            if problem:
                found.append(value.error(*problem))
    if found:
        raise PolicyError(found)
    url = values.get("site_url")
    return Settings(url.rstrip("/") + "/" if url else None, values.get("engine", "mkdocs"),
                    values.get("link_base"), values.get("pdf_page_size", "A4"))


def _check(name: str, value: str) -> tuple[str, str] | None:
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


def _web_address(value: str) -> bool:
    """An http(s) address with a host, and no query or fragment to resolve links against."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query \
        and not parts.fragment

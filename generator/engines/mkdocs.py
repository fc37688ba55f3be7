"""The mkdocs-material engine: one mkdocs build per language, in this process."""
from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

from ..languages import best_match, direction
from ..pages import LanguageSite
from ..routes import current_url, folder
from . import EngineSettings, SiteBuildError, languages_home, write_docs

# Languages lunr (Material's search) has a stemmer or segmenter for
# (material/templates/assets/javascripts/lunr/min/lunr.<lang>.min.js); others search as en.
_SEARCH_LANGUAGES = ("ar", "da", "de", "du", "el", "en", "es", "fi", "fr", "he", "hi", "hu",
                     "hy", "it", "ja", "kn", "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv",
                     "ta", "te", "th", "tr", "vi", "zh")


def _theme_languages() -> tuple[str, ...]:
    """The languages Material's interface is translated into (its partials/languages/)."""
    import material

    found = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return tuple(sorted(path.stem for path in found.glob("*.html")))


def build_language(site: LanguageSite, work: Path, out: Path,
                   settings: EngineSettings) -> list[str]:
    """Write one language's docs and config, run mkdocs, return its log lines."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = work / "docs" / folder(site.language)
    write_docs(site, docs)
    config_path = work / f"mkdocs.{folder(site.language)}.yml"
    config_path.write_text(json.dumps(_config(site, docs, out, settings), indent=1),
                           encoding="utf-8")
    with _captured_log(site.language) as log, _epoch(settings.build_epoch):
        with contextlib.redirect_stdout(None):
            build(load_config(str(config_path)))
    return log


def _config(site: LanguageSite, docs: Path, out: Path, settings: EngineSettings) -> dict:
    tag = site.language
    home = current_url(tag)
    return {
        "INHERIT": str(settings.look.resolve()),
        "site_name": site.site_name,
        "site_url": settings.site_url + home if settings.site_url else "",
        "docs_dir": str(docs),
        "site_dir": str(out),
        "strict": True,
        "use_directory_urls": True,
        # Material's strings from its closest language (zh for zh-Hans), the direction from
        # CLDR, and <html lang> the tag itself (site_overrides/mkdocs/partials/language.html).
        "theme": {"language": best_match(tag, _theme_languages()) or "en",
                  "direction": direction(tag),
                  "custom_dir": str(settings.overrides.resolve())},
        "plugins": [{"search": {"lang": [best_match(tag, _SEARCH_LANGUAGES) or "en"]}}],
        "nav": [{page.meta.nav_title or page.title: page.path} for page in site.pages
                if page.in_nav],
        "not_in_nav": "\n".join(f"/{page.path}" for page in site.pages if not page.in_nav),
        # `alternate: true` makes Material show its language switcher, which our override
        # fills per page; a list here would also emit site-wide hreflang links that point
        # every page at the other language's home page. `languages` serves the 404 page.
        "extra": {"alternate": True, "languages": languages_home(site, settings),
                  "preview": site.preview, "language_tag": tag},
    }


@contextlib.contextmanager
def _captured_log(language: str):
    """mkdocs' log lines, returned with the result or raised with SiteBuildError."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from mkdocs.exceptions import MkDocsException

    log: list[str] = []
    handler = _ListHandler(log)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield log
    except (MkDocsException, SystemExit, OSError, TemplateError) as error:
        # A broken theme override is the site's problem, reported like the engine's own.
        where = f" ({error.filename}:{error.lineno})" if isinstance(
            error, TemplateSyntaxError) else ""
        log.append(f"ERROR - {type(error).__name__}: {error}{where}")
        raise SiteBuildError(language, log) from None
    finally:
        logger.removeHandler(handler)


@contextlib.contextmanager
def _epoch(seconds: int):
    """SOURCE_DATE_EPOCH while mkdocs runs: its sitemaps and archives carry the date."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


class _ListHandler(logging.Handler):
    def __init__(self, lines: list[str]):
        super().__init__(logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} - {record.getMessage()}")

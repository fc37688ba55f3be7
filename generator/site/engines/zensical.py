"""The Zensical engine (0.0.73, an optional extra): one `zensical build` per language.

What Zensical 0.0.73 needs, found in trials: docs_dir and site_dir relative to the config and
inside its folder (an absolute docs_dir panics), so each language gets a folder of its own;
no `site_url` unless there is one (an empty one gives wrong canonical links); the `classic`
variant, whose colours pass axe's contrast check; its own search dialog, untouched. It runs as
a child process: its Rust runtime keeps the configuration of the first build it runs.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from generator.core.languages import best_match, direction
from generator.outputs.pages import LanguageSite
from generator.outputs.routes import current_url, folder
from generator.site.engines import (
    Built,
    EngineSettings,
    SiteBuildError,
    extra_look,
    languages_home,
    navigation,
    override_folders,
    search_labels,
    site_name_html,
    theme_look,
    write_docs,
)
from generator.site.output import listing
from generator.source import project


@lru_cache(maxsize=1)
def _theme_languages() -> tuple[str, ...]:
    """The languages Zensical's interface is translated into (its partials/languages/),
    found without importing it: the build runs it in a child process."""
    spec = importlib.util.find_spec("zensical")
    found = Path(spec.origin).parent / "templates" / "partials" / "languages"  # type: ignore
    return tuple(sorted(path.stem for path in found.glob("*.html")))


def prepare() -> None:
    """Nothing to load: every build runs Zensical in a child process of its own."""


def build_language(site: LanguageSite, work: Path, out: Path,
                   settings: EngineSettings) -> Built:
    root = work / f"zensical-{folder(site.language)}"
    write_docs(site, root / "docs")
    _stage_overrides(settings, root / "overrides")
    config = root / "mkdocs.yml"
    config.write_text(json.dumps(_config(site, root, settings), indent=1), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f",
                          str(config)], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "SOURCE_DATE_EPOCH": str(settings.build_epoch)})
    log = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    if run.returncode != 0:
        raise SiteBuildError(site.language, log[-12:])  # the error, without a traceback
    out.parent.mkdir(parents=True, exist_ok=True)
    os.rename(root / "site", out)
    return Built(log, tuple(sorted(listing(out))))


def _stage_overrides(settings: EngineSettings, staged: Path) -> None:
    """Zensical reads one custom_dir: the override folders merged into one, the engine's
    own templates over the shared ones."""
    staged.mkdir(parents=True, exist_ok=True)
    for overrides in reversed(override_folders(settings)):
        shutil.copytree(overrides, staged, dirs_exist_ok=True, copy_function=project.copy_file)


def _config(site: LanguageSite, root: Path, settings: EngineSettings) -> dict:
    config = {
        "INHERIT": os.path.relpath(settings.look.resolve(), root),
        # Escaped: its theme's two `site_name | e` are overridden (site_overrides/zensical/).
        "site_name": site_name_html(site),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        # The theme's strings from its closest language (zh for zh-Hans; a tag it lacks
        # fails the build), the direction from CLDR, and <html lang> the tag itself
        # (site_overrides/shared/partials/language.html).
        "theme": {"language": best_match(site.language, _theme_languages()) or "en",
                  "direction": direction(site.language), "variant": "classic",
                  "custom_dir": "overrides", **theme_look(settings)},
        "nav": navigation(site),
        "not_in_nav": "\n".join(f"/{page.path}" for page in site.pages if not page.in_nav),
        "extra": {"alternate": True, "languages": languages_home(site, settings),
                  "search_labels": search_labels(site),
                  "preview": site.preview,
                  "not_found": site.not_found, "language_tag": site.language,
                  "folder": folder(site.language), **extra_look(site, settings)},
    }
    if settings.site_url:
        config["site_url"] = settings.site_url + current_url(site.language)
    return config

"""The ProperDocs engine (1.6.7, an optional extra): the mkdocs engine, run by ProperDocs.

ProperDocs is the maintained continuation of MkDocs 1.x. Its `properdocs.replacement` makes
every later `mkdocs.*` import, Material's and the mkdocs engine's own, load `properdocs.*`
instead, so the mkdocs engine (its config, docs, overrides, records and incremental build)
runs on it unchanged. That redirection lasts as long as the process and would not reach a
module imported before it, so each language is built in a child process of its own: the
build's own process, where the mkdocs engine may have imported mkdocs, is left as it was.
"""
from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path

from generator.outputs.pages import LanguageSite
from generator.outputs.routes import folder
from generator.site.engines import Built, EngineSettings, SiteBuildError

# The theme is Material under both names: the overrides written for the mkdocs engine.
OVERRIDES = "mkdocs"


def prepare() -> None:
    """Nothing to load: every build runs ProperDocs in a child process of its own."""


def build_language(site: LanguageSite, work: Path, out: Path,
                   settings: EngineSettings) -> Built:
    settings = dataclasses.replace(settings, overrides=settings.overrides.parent / OVERRIDES)
    handover = work / f"properdocs-{folder(site.language)}.pickle"
    handover.parent.mkdir(parents=True, exist_ok=True)
    handover.write_bytes(pickle.dumps((site, work, out, settings)))
    # The result comes back in the file, not on stdout, which the engine's plugins may print to.
    run = subprocess.run([sys.executable, "-m", __name__, str(handover)],
                         capture_output=True, text=True)
    if run.returncode != 0:  # a bug: the site's own failure comes back as the result
        raise RuntimeError(f"the ProperDocs build of '{site.language}' stopped:\n{run.stderr}")
    made = pickle.loads(handover.read_bytes())
    handover.unlink()
    if isinstance(made, SiteBuildError):
        raise made
    return made


def _child(handover: Path) -> None:
    """Build one language with the mkdocs engine on ProperDocs; leave the result, or the
    SiteBuildError, in `handover`."""
    import properdocs.replacement  # noqa: F401  (first: every mkdocs import after it)

    from generator.site.engines import mkdocs

    site, work, out, settings = pickle.loads(handover.read_bytes())
    made: Built | SiteBuildError
    try:
        made = mkdocs.build_language(site, work, out, settings)
    except SiteBuildError as error:
        made = error
    handover.write_bytes(pickle.dumps(made))


if __name__ == "__main__":
    _child(Path(sys.argv[1]))

"""Where a policygen project keeps its parts: named here once, for the build, `serve`'s
watcher, and every copy of a project (tests, benchmark)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SOURCE, LOCALES, OVERRIDES, LOOK, SETTINGS = (
    "policy_src", "locales", "site_overrides", "mkdocs.yml", "policygen.yml")
PARTS = (SOURCE, LOCALES, OVERRIDES, LOOK, SETTINGS)  # everything a build reads
# The look, theme overrides and interface catalogs every project has without copying them:
# shipped inside the package. A project's own mkdocs.yml, site_overrides/ or locales/ is used
# instead of the default of the same name, whole (a folder is not merged with the default's).
DEFAULTS = Path(__file__).resolve().parents[1] / "site_defaults"

# The text files among those a build copies into the site (the overrides' assets and
# templates; .gitattributes names the same): read with LF line ends, so that a checkout where
# Git wrote CR LF (Windows' core.autocrlf) builds the same bytes. Neither HTML, CSS nor
# JavaScript (whose template literals normalise CR LF) reads them otherwise. Any other file
# (an image, a font) is copied as it is.
TEXT_SUFFIXES = frozenset({".css", ".js", ".mjs", ".html", ".svg", ".json", ".txt", ".xml",
                           ".map"})


def read_bytes(path: Path) -> bytes:
    """A project file as the site holds it: a text file with LF line ends (TEXT_SUFFIXES)."""
    data = path.read_bytes()
    return data.replace(b"\r\n", b"\n") if path.suffix.lower() in TEXT_SUFFIXES else data


def copy_file(source: str, target: str) -> None:
    """shutil.copytree's copy_function for project files: shutil.copy2, with read_bytes."""
    import shutil

    Path(target).write_bytes(read_bytes(Path(source)))
    shutil.copystat(source, target)


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    source: Path  # the policy's YAML; PROJECT/policy_src unless --source says otherwise
    cache: Path | None = None  # where results are kept between builds; None keeps nothing

    @classmethod
    def at(cls, root: Path, source: Path | None = None) -> Project:
        from generator.runtime.cache import DIRECTORY

        return cls(root, source or root / SOURCE, root / DIRECTORY)

    @property
    def locales(self) -> Path:
        """The interface's gettext catalogs."""
        return self.own(LOCALES) or DEFAULTS / LOCALES

    @property
    def overrides(self) -> Path:
        """The site's theme overrides, one folder per engine, and assets shared by all."""
        return self.own(OVERRIDES) or DEFAULTS / OVERRIDES

    @property
    def look(self) -> Path:
        """The site's look (theme, palette, Markdown extensions) in the mkdocs.yml format,
        which both engines read."""
        return self.own(LOOK) or DEFAULTS / LOOK

    @property
    def settings(self) -> Path:
        """Deployment settings: site_url, engine (optional file)."""
        return self.root / SETTINGS

    def own(self, part: str) -> Path | None:
        """The project's own file or folder of that name, where it has one (a broken link
        counts: it is the project's, and validate names it)."""
        path = self.root / part
        return path if path.exists() or path.is_symlink() else None

    def folders(self) -> tuple[Path, ...]:
        """The folders of the project that no output may replace."""
        return (self.source, self.locales, self.overrides)

    def inputs(self) -> tuple[Path, ...]:
        """Every file and folder a build reads: a change in any of them means rebuild."""
        return (self.source, *(self.root / part for part in PARTS[1:]))


def copy(root: Path, target: Path, parts: tuple[str, ...] = PARTS) -> None:
    """Copy the parts a project at `root` has into `target` (tests, benchmark, examples)."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for part in parts:
        if (root / part).is_dir():
            shutil.copytree(root / part, target / part)
        elif (root / part).is_file():
            shutil.copy(root / part, target / part)

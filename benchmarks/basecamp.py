"""A second, real history: Basecamp's privacy policy, 30 versions 2018-2023, made into a
project by `policygen init` and `policygen import` as a new user would, each version locked
when it was published and each later same-date edit recorded as its correction.

    .venv/bin/python benchmarks/basecamp.py DIR      (then: policygen --project DIR build)

The texts stay in ../shared/reference/basecamp-privacy/ (CC BY 4.0, "Privacy policy by
37signals LLC (Basecamp), from github.com/basecamp/policies"; read its README): the
repository holds this recipe, not a copy of another company's prose.

Relative links are resolved as they were read when published: against the file's address in
the company's repository (`--link-base`, on its default branch), where most point at sibling
documents (../security/index.md); links from the root lead into the repository's root
(/terms.md, as GitHub reads them), except in the texts of 2018, which link basecamp.com's own
pages (/about/policies/terms, /support) and are resolved there (`--link-root`).
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.cli import main  # noqa: E402
from generator.core import i18n  # noqa: E402
from generator.source import imports  # noqa: E402
from generator.source.imports import version_file  # noqa: E402
from generator.source.project import Project  # noqa: E402

REFERENCE = HERE.parent.parent / "shared" / "reference" / "basecamp-privacy"
REPOSITORY = "https://github.com/basecamp/policies/blob"
# The repository's default branch, not the commit of each text: a relative link named the
# live sibling document, and a link that named each commit would change target with every
# correction, which the redlines would show as a change of every link.
BRANCH = "HEAD"
COMPANY = "37signals LLC"
_ROOT_LINK = re.compile(r"""\]\((/[^)/][^)]*)\)|href=["'](/[^"'/][^"']*)""")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the reference's manifest.tsv."""

    version: str  # the "Last updated" date, the version's id and effective date
    file: str
    commit: str
    commit_date: dt.date
    path_in_repo: str
    kind: str  # "published", or "edited on DAY without a new date"

    @property
    def published(self) -> bool:
        return self.kind == "published"

    @property
    def link_base(self) -> str:
        return f"{REPOSITORY}/{BRANCH}/{self.path_in_repo}"

    def link_root(self, text: str) -> str:
        """Where its links from the root lead: the repository's root (GitHub reads /x.md in
        a Markdown file so), except in the texts of 2018 that link basecamp.com's own
        pages (/about/policies/terms, /support), which the repository does not hold."""
        site = any(link and not link.endswith(".md")
                   for found in _ROOT_LINK.findall(text) for link in found)
        return "https://basecamp.com/" if site else f"{REPOSITORY}/{BRANCH}/"


@dataclass
class Made:
    root: Path
    versions: list[str] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (version, file)
    not_corrections: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    log: list[str] = field(default_factory=list)  # every command's output, in order
    diagnostics: dict[str, int] = field(default_factory=dict)  # file -> places reported


def manifest(reference: Path = REFERENCE) -> list[Entry]:
    """The manifest's entries in the order they happened (by commit day; a version before
    the edits of the same day)."""
    with (reference / "manifest.tsv").open(encoding="utf-8") as rows:
        entries = [Entry(row["version"], row["file"], row["commit"],
                         dt.date.fromisoformat(row["commit_date"]), row["path_in_repo"],
                         row["kind"]) for row in csv.DictReader(rows, delimiter="\t")]
    return sorted(entries, key=lambda entry: (entry.commit_date, not entry.published))


def make(root: Path, reference: Path = REFERENCE) -> Made:
    """The Basecamp project in `root` (a new folder), every version imported and locked,
    every later edit recorded as a correction where it changed the text."""
    made = Made(root)
    _run(made, "init", str(root), "--company", COMPANY, "--languages", "en",
         "--authoritative", "en", "--timezone", "America/Chicago", "--checklists", "")
    project = Project.at(root)
    drafted = sorted((project.source / "versions").glob("*.yaml"))
    introduction = i18n.read_catalog(project.locales, "en").gettext(imports.INTRODUCTION)
    for entry in manifest(reference):
        path = reference / entry.file
        if entry.published:
            _run(made, "--project", str(root), "import", str(path), "--lang", "en",
                 "--effective-date", entry.version, "--published", "--link-base",
                 entry.link_base, "--link-root", entry.link_root(path.read_text("utf-8")))
            for draft in drafted:  # init's draft: its facts are in the first import now
                draft.unlink()
            drafted = []
            _state_processors(project.source / "versions" / f"{entry.version}.yaml",
                              path.read_text("utf-8"))
            _run(made, "--project", str(root), "lock")
            made.versions.append(entry.version)
        else:
            _correct(made, project, entry, path, introduction)
    return made


# The processors Basecamp's texts name (issue 26), as the legal team would state them: the
# payment processor card numbers go to, and the subprocessors that run the applications; each
# only in the versions whose text names it.
_CATEGORIES = {
    "payment": ("payment-card", "Credit card information", "pd:PaymentCard"),
    "services": ("identity", "Name, email address and company name", "pd:Name"),
}
_PURPOSES = {
    "payment": ("billing", "To charge you for service, send invoices and detect fraudulent "
                "transactions"),
    "services": ("services", "To provide products or services you have requested"),
}
_RECIPIENTS = {
    "payment": ("payment-processor", "Our payment processor"),
    "services": ("subprocessors", "Third-party subprocessors that help run our applications"),
}
_NAMED = {"payment": "payment processor", "services": "subprocessors"}


def _state_processors(version: Path, text: str) -> None:
    """The version's processing block, where its text names a processor."""
    named = [kind for kind, words in _NAMED.items() if words in text.lower()]
    if not named:
        return
    lines = ["processing:", "  categories:"]
    for kind in named:
        ident, name, concept = _CATEGORIES[kind]
        lines += [f"    - id: {ident}", "      name:", f"        en: {name}",
                  f"      dpv: {concept}"]
    lines.append("  purposes:")
    for kind in named:
        ident, name = _PURPOSES[kind]
        lines += [f"    - id: {ident}", "      name:", f"        en: {name}",
                  f"      categories: [{_CATEGORIES[kind][0]}]", "      legal_basis: contract",
                  "      dpv: dpv:ServiceProvision"]
    lines.append("  recipients:")
    for kind in named:
        ident, name = _RECIPIENTS[kind]
        lines += [f"    - id: {ident}", "      name:", f"        en: {name}",
                  "      kind: processor", f"      purposes: [{_PURPOSES[kind][0]}]"]
    source = version.read_text(encoding="utf-8")
    at = source.index("\nsections:\n") + 1
    version.write_text(source[:at] + "\n".join(lines) + "\n" + source[at:], encoding="utf-8")


def _correct(made: Made, project: Project, entry: Entry, path: Path,
             introduction: str) -> None:
    """The edit's text as the version's, with a correction entry for readers, recorded by
    `policygen lock --correct`; an edit that changes nothing the version holds is noted."""
    target = project.source / "versions" / f"{entry.version}.yaml"
    before = target.read_text(encoding="utf-8")
    text = imports.read(path, introduction, imports.Links(
        entry.link_base, entry.link_root(path.read_text("utf-8"))))
    made.diagnostics[entry.file] = len(text.diagnostics)
    after, _, _ = version_file.into(before, text, "en", "en", str(target),
                                    imports.policy_title(project.source, "en"))
    if after == before:
        made.not_corrections.append((entry.file, "imported, it is the version's text: "
                                     "the edit changed only markup the import writes alike "
                                     "or does not keep (its report says which)"))
        return
    deleted = _section_ids(before) - _section_ids(after)
    if deleted:
        # A published section removed is no typo: lock --correct refuses it. Basecamp's
        # edits struck out the Privacy Shield sections (2022-02-10) and renamed headings, so
        # that their anchors changed (2023-04-20: "Identity & access" -> "... and ..."):
        # changes a new version would carry. The record keeps the text as first published.
        made.not_corrections.append((entry.file, "it removes section" +
                                     "s" * (len(deleted) > 1) + " " +
                                     ", ".join(sorted(deleted)) + " (deleted, or renamed "
                                     "with a new anchor), which a correction may not do: a "
                                     "new version would carry it"))
        return
    day = entry.kind.split("edited on ")[1].split()[0]
    target.write_text(version_file.with_correction(after, dt.date.fromisoformat(day), {
        "en": f"Edited on {day} without a new date (commit {entry.commit} of "
              "github.com/basecamp/policies)."}), encoding="utf-8")
    _run(made, "--project", str(project.root), "lock", "--correct", entry.version)
    made.corrections.append((entry.version, entry.file))


def _section_ids(version_text: str) -> set[str]:
    """The ids of the sections a version file holds, as its lines give them."""
    return set(re.findall(r"^  - id: (\S+)$", version_text.split("\nsections:\n", 1)[-1],
                          re.M))


def _run(made: Made, *args: str) -> None:
    """policygen as a user runs it; its output logged, a failure raised with it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    command = next(arg for arg in args if arg in ("init", "import", "lock"))
    made.log.append(f"$ policygen {command} ...\n{out.getvalue()}{err.getvalue()}")
    if command == "import":
        made.diagnostics[Path(args[args.index("import") + 1]).name] = \
            err.getvalue().count(": warning: ")
    if code != 0:
        raise RuntimeError(f"policygen {' '.join(args)} failed ({code}):\n{err.getvalue()}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: benchmarks/basecamp.py DIR   (a new folder for the project)")
    result = make(Path(sys.argv[1]))
    print(f"{len(result.versions)} versions imported and locked, {len(result.corrections)} "
          f"corrections recorded, {sum(result.diagnostics.values())} places reported")
    for file, why in result.not_corrections:
        print(f"not a correction: {file}: {why}")

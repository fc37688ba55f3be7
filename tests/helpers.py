"""What the tests share: the example project's paths and dates, a writable copy of it with
helpers to edit its source as text, and what a CLI run returns. Fixtures are in conftest.py."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import build as pipeline
from generator.runtime import cache
from generator.source import project as layout
from generator.source import settings

ROOT = Path(__file__).resolve().parent.parent
# The published English text, as the company published it: the oracle of the example.
REFERENCE = ROOT / "tests" / "reference" / "isao-privacy-policy.en.txt"
# One PDF cache for every build of the session (CLI runs read it from the environment): each
# distinct PDF is rendered once per session, never taken from an earlier session nor from the
# developer's own cache (a POLICYGEN_CACHE they set is replaced), and removed at the end.
PDF_CACHE = os.environ["POLICYGEN_CACHE"] = tempfile.mkdtemp(prefix="policygen-test-cache-")
AS_OF = dt.date(2026, 11, 25)  # 2018-07-06 in force, 2027-04-01 announced
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@dataclass
class Project:
    """A writable copy of the example project, with helpers to edit its source as text."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "policy_src"

    def path(self, relative: str) -> Path:
        return self.source / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str | bytes) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def replace(self, relative: str, old: str, new: str, count: int = 1) -> int:
        """Edit a source file; return the 1-based line where the edit starts."""
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        line = text[: text.index(old)].count("\n") + 1
        self.write(relative, text.replace(old, new, count))
        return line

    def line_of(self, relative: str, needle: str, start: int = 1) -> tuple[int, int]:
        for number, line in enumerate(self.read(relative).splitlines(), 1):
            if number >= start and needle in line:
                return number, line.index(needle) + 1
        raise AssertionError(f"{needle!r} not in {relative}")

    def lock(self, correct: str | None = None) -> list[str]:
        """`policygen lock`: lock new published versions, or record a correction."""
        from generator.record import store as lockstore
        from generator.source.convert import read

        policy, _, locate = read(self.source)
        return lockstore.record(policy, self.source, locate, AS_OF, correct)

    def relock(self) -> None:
        """Forget the lock and lock the source as it now stands: for tests whose subject is
        not the lock, as if the edited text had been published like this from the start
        (with each correction a version lists recorded as leaving its text as it was)."""
        import dataclasses

        from generator.record import lock
        from generator.record import store as lockstore
        from generator.source.convert import read

        (self.source / lockstore.LOCK_FILE).unlink()
        shutil.rmtree(self.source / lockstore.PUBLISHED_DIR)
        policy, _, locate = read(self.source)
        plain = dataclasses.replace(policy, versions=tuple(
            dataclasses.replace(v, corrections=(), postponements=()) for v in policy.versions))
        locked, _ = lock.locked_new(plain, lock.EMPTY, lockstore.made_by(policy), AS_OF, locate)
        for version in policy.versions:
            entry = locked.versions.get(version.id)
            if entry is not None and version.corrections:
                first = entry.revisions[0]
                locked.versions[version.id] = dataclasses.replace(entry, revisions=(first,) + tuple(
                    dataclasses.replace(first, correction=number)
                    for number in range(1, len(version.corrections) + 1)))
        locked = dataclasses.replace(locked, steps=lock.chained(locked.versions))
        lockstore.write(policy, self.source, locked)

    @property
    def layout(self) -> layout.Project:
        return layout.Project.at(self.root)

    def configure(self, **values: str) -> None:
        """Write deployment settings (policygen.yml), e.g. site_url="https://...". """
        self.layout.settings.write_text("".join(f"{key}: {value}\n"
                                                for key, value in values.items()))

    def build(self, out: Path | None = None, as_of: dt.date = AS_OF, drafts: bool = False,
              environ: dict | None = None, engine: str | None = None) -> pipeline.Built:
        chosen = settings.read(self.layout.settings)
        return pipeline.build(self.layout, pipeline.BuildOptions(
            out or self.root / "site", as_of, {"POLICYGEN_CACHE": PDF_CACHE, **(environ or {})},
            NOW, drafts=drafts, jobs=1,
            settings=dataclasses.replace(chosen, engine=engine or chosen.engine)))


def copy_project(target: Path) -> Project:
    layout.copy(ROOT, target)
    return Project(target)


def without_corrections(text: str) -> str:
    """A version file's text without its 'corrections' entries: what a new version copied
    from a corrected one must start from."""
    start = text.index("\ncorrections:\n") + 1
    end = start + len("corrections:\n")
    lines = text[end:].split("\n")
    kept = next((i for i, line in enumerate(lines) if line and not line.startswith(" ")),
                len(lines))
    return text[:start] + "\n".join(lines[kept:])


def add_third_version(project) -> None:
    """A later version that changes what a redline must show: a Japanese number and an
    English word, an officer, a retitled, a moved and a removed section, and whitespace."""
    text = without_corrections(project.read("versions/2027-04-01.yaml"))
    text = text.replace("id: 2027-04-01\neffective_date: 2027-04-01",
                        "id: 2028-01-01\neffective_date: 2028-01-01")
    text = text.replace("16歳未満", "18歳未満").replace("under 16 years", "under 18 years")
    text = text.replace("原崎 雅弘", "山田 花子").replace("Masahiro Harasaki", "Hanako Yamada")
    text = text.replace("ja: お子様によるサービスの利用", "ja: お子様の利用")
    text = text.replace("en: Use of services by children", "en: Children")
    text = text.replace("Also, please do not", "Also,  please do not")
    start, end = text.index("  - id: analytics\n"), text.index("  - id: children\n")
    text = text[:start] + text[end:]
    start, end = text.index("  - id: children\n"), text.index("  - id: acquisition\n")
    children = text[start:end]
    text = text[:start] + text[end:].rstrip("\n") + "\n\n" + children
    project.write("versions/2028-01-01.yaml", text)


ENGINES = settings.ENGINES
# The engines whose sites differ. ProperDocs runs the mkdocs engine's build with the same theme,
# and tests/test_engines.py holds its site to mkdocs's file for file, so what a built site
# must be is tested on these two, and on ProperDocs only where it proves the engine works.
DISTINCT_ENGINES = ("mkdocs", "zensical")
THREE_AS_OF = dt.date(2027, 5, 1)  # 2018-07-06 superseded, 2027-04-01 in force, 2028 announced


@dataclass
class Run:
    code: int
    out: str
    err: str


# The example's two version files, as the tests edit them
V2018 = "versions/2018-07-06.yaml"
V2027 = "versions/2027-04-01.yaml"


# Edits and readings the tests of several modules make

def files_of(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def entries(project, kind: str) -> list:
    return sorted((project.root / cache.DIRECTORY).glob(f"*/{kind}/*"))


def add_draft(project) -> None:
    """The legal team drafting the next version: a draft can change at will."""
    add_third_version(project)
    project.replace("versions/2028-01-01.yaml", "status: published", "status: draft")


def read_json(path: Path) -> dict:
    return json.loads(path.read_bytes())


POSTPONEMENT = """postponements:
  - date: 2026-11-25
    reason:
      ja: システム改修の遅れにより施行日を延期しました。
      en: Postponed while our systems are updated.
"""


WITHDRAWAL = """withdrawal:
  date: 2026-11-25
  reason:
    ja: 内容を見直すため撤回しました。
    en: Withdrawn to review its content.
"""


CORRECTION_ENTRY = """  - date: 2026-12-01
    reason:
      ja: 誤記を訂正しました。
      en: Corrected a typing error in the scope.
"""


CORRECTION = """corrections:
  - date: 2026-12-01
    reason:
      ja: 誤記を訂正しました。
      en: Corrected a typing error in the scope.
"""


JA_16 = "本サービスは、16歳未満"


JA_18 = "本サービスは、18歳未満"


def draft(project, *edits: tuple[str, str]) -> str:
    """Add a draft 2028-04-01 copied from 2027-04-01 with `edits` applied; return its path."""
    text = without_corrections(project.read("versions/2027-04-01.yaml"))
    text = text.replace("id: 2027-04-01\neffective_date: 2027-04-01\nstatus: published",
                        "id: 2028-04-01\neffective_date: 2028-04-01\nstatus: draft")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    project.write("versions/2028-04-01.yaml", text)
    return "versions/2028-04-01.yaml"


# A policy stating only what a policy must: the company's name and one e-mail address.
MINIMAL_POLICY = """\
id: acme-privacy
title:
  en: Privacy Notice
languages: [en]
authoritative_language: en
enactment_date: 2025-01-01
timezone: America/New_York
"""

MINIMAL_VERSION = """\
id: 2025-01-01
effective_date: 2025-01-01
status: published
reconsent_required: false
facts:
  company:
    en: Acme Inc.
  inquiry_desk:
    email: privacy@acme.example
sections:
  - id: collection
    title:
      en: What we collect
    body:
      en: We collect the e-mail address you give us.
    categories:
      - id: customers
        name:
          en: Customers
        purpose:
          en: To answer your questions.
  - id: contact
    title:
      en: Contact us
    body:
      en: Write to us at any time.
    block: inquiry_desk
  - id: dates
    title:
      en: Dates
    block: signature
"""


def minimal_project(root: Path, version: str = MINIMAL_VERSION) -> Project:
    """The example's site theme and catalogs, with a minimal policy of its own."""
    project = copy_project(root)
    shutil.rmtree(project.source)
    project.write("policy.yaml", MINIMAL_POLICY)
    project.write("versions/2025-01-01.yaml", version)
    return project

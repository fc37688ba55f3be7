"""Every documentation section that the example's comments or policygen's messages send a
reader to is a heading of README.md or docs/, so that following the pointer finds it; and
every relative link of the documentation leads to a file and heading that exist."""
from __future__ import annotations

import re

from tests.helpers import ROOT

# "Section name" in the README / README section "Section name" / the README's "Section name"
_NAMED = re.compile(r"[\"“']([^\"“”'\n]+)[\"”'] in (?:the README|docs/[a-z]+\.md)"
                    r"|README(?:'s)? (?:section )?[\"“']([^\"“”'\n]+)[\"”']")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "benchmarks/README.md"]


def named_sections() -> dict[str, str]:
    """Each README section named in policy_src/ or generator/, with one file naming it."""
    named = {}
    files = [*(ROOT / "policy_src").rglob("*.y*ml"), *(ROOT / "generator").rglob("*.py")]
    for path in sorted(files):
        for match in _NAMED.finditer(path.read_text(encoding="utf-8")):
            named.setdefault(match.group(1) or match.group(2), str(path.relative_to(ROOT)))
    return named


def headings_of(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)  # code blocks hold no headings
    return [line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#+ ", line)]


def readme_headings() -> set[str]:
    return {heading for path in DOCS for heading in headings_of(path)}


def anchor(heading: str) -> str:
    """The id a Markdown renderer (GitHub's, Python-Markdown's toc) gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).strip().replace(" ", "-")


def test_the_pointer_finder_reads_the_known_pointer_of_the_example():
    assert named_sections()["Correcting a published version"] == \
        "policy_src/versions/2018-07-06.yaml"


def test_every_readme_section_named_in_comments_and_messages_is_a_readme_heading():
    headings = readme_headings()
    assert {name: where for name, where in named_sections().items()
            if name not in headings} == {}


def test_every_relative_link_of_the_documentation_finds_its_file_and_heading():
    broken = []
    for path in DOCS:
        text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):  # not in examples of code
            if re.match(r"[a-z]+:", target):
                continue
            name, _, fragment = target.partition("#")
            linked = (path.parent / name).resolve() if name else path
            if not linked.exists():
                broken.append(f"{path.relative_to(ROOT)}: {target} (no such file)")
            elif fragment and linked.suffix == ".md" and \
                    fragment not in {anchor(h) for h in headings_of(linked)}:
                broken.append(f"{path.relative_to(ROOT)}: {target} (no such heading)")
    assert broken == []

"""Every README section that the example's comments or policygen's messages send a reader to
is a heading of README.md, so that following the pointer finds it."""
from __future__ import annotations

import re

from tests.conftest import ROOT

# "Section name" in the README / README section "Section name" / the README's "Section name"
_NAMED = re.compile(r"[\"“']([^\"“”'\n]+)[\"”'] in the README"
                    r"|README(?:'s)? (?:section )?[\"“']([^\"“”'\n]+)[\"”']")


def named_sections() -> dict[str, str]:
    """Each README section named in policy_src/ or generator/, with one file naming it."""
    named = {}
    files = [*(ROOT / "policy_src").rglob("*.y*ml"), *(ROOT / "generator").rglob("*.py")]
    for path in sorted(files):
        for match in _NAMED.finditer(path.read_text(encoding="utf-8")):
            named.setdefault(match.group(1) or match.group(2), str(path.relative_to(ROOT)))
    return named


def readme_headings() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)  # code blocks hold no headings
    return {line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#+ ", line)}


def test_the_pointer_finder_reads_the_known_pointer_of_the_example():
    assert named_sections()["Correcting a published version"] == \
        "policy_src/versions/2018-07-06.yaml"


def test_every_readme_section_named_in_comments_and_messages_is_a_readme_heading():
    headings = readme_headings()
    assert {name: where for name, where in named_sections().items()
            if name not in headings} == {}

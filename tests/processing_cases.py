"""The processing block the tests share: the fixture's, how a test gives it to a draft or
takes it from a version, and two published versions that differ by one purpose."""
from __future__ import annotations

from tests.helpers import ROOT, V2027, draft, without_corrections

BLOCK = (ROOT / "tests" / "fixtures" / "processing.yaml").read_text(encoding="utf-8")
DRAFT = "versions/2028-04-01.yaml"


def without_processing(text: str) -> str:
    """A version file's text without its 'processing' block, if it has one."""
    if "\nprocessing:\n" not in text:
        return text
    start = text.index("\nprocessing:\n") + 1
    lines = text[start:].split("\n")
    kept = next((i for i, line in enumerate(lines[1:], 1) if line and line[0] not in " #"),
                len(lines))
    return text[:start] + "\n".join(lines[kept:])


def with_processing(project, old: str = "", new: str = "") -> str:
    """A draft whose processing block is the fixture's, with one edit; its path."""
    assert old in BLOCK
    path = draft(project)
    project.write(path, without_processing(project.read(path)) + "\n" +
                  BLOCK.replace(old, new, 1))
    return path


NEW_PURPOSE = """    - id: usage-analysis
"""
MARKETING = """    - id: marketing
      name:
        ja: 広告を配信するため
        en: To deliver advertisements
      categories: [advertising-identifiers]
      legal_basis: appi_consent
"""


MARKETING_LABELS = """  marketing:
    apple: NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising
    google: PSL_ADVERTISING
"""


def published_pair(project, purpose: str = MARKETING, override: str = "") -> None:
    """Two new published versions with the fixture's processing: 2028-01-01, and 2028-06-01
    with one more purpose and `reconsent_required: false`."""
    base = without_processing(without_corrections(project.read(V2027)))
    block = BLOCK.split("\n", 2)[2]  # without the fixture's two comment lines
    first = base.replace("id: 2027-04-01\neffective_date: 2027-04-01",
                         "id: 2028-01-01\neffective_date: 2028-01-01")
    project.write("versions/2028-01-01.yaml", first + "\n" + block)
    second = base.replace("id: 2027-04-01\neffective_date: 2027-04-01",
                          "id: 2028-06-01\neffective_date: 2028-06-01") + override
    assert NEW_PURPOSE in block
    project.write("versions/2028-06-01.yaml", second + "\n" + block.replace(
        NEW_PURPOSE, purpose + NEW_PURPOSE, 1))
    project.write("store-labels.yaml", project.read("store-labels.yaml") + MARKETING_LABELS)

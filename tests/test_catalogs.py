"""Interface strings: every one extracted, every one translated, every one used correctly."""
from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT


def catalog(path):
    with path.open("rb") as source:
        return read_po(source)


def test_template_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "--sort-by-file", "--no-location", "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True)
    assert {m.id for m in catalog(fresh) if m.id} == \
        {m.id for m in catalog(ROOT / "locales/messages.pot") if m.id}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_string_is_translated_with_the_same_placeholders(language):
    template = {m.id for m in catalog(ROOT / "locales/messages.pot") if m.id}
    translated = catalog(ROOT / f"locales/{language}/LC_MESSAGES/messages.po")
    by_id = {m.id: m for m in translated if m.id}
    assert set(by_id) == template
    for message in by_id.values():
        assert message.string and not message.fuzzy, message.id
        placeholders = lambda text: sorted(__import__("re").findall(r"%\(\w+\)s", text))  # noqa
        assert placeholders(message.string) == placeholders(message.id), message.id

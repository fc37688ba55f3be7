"""Interface strings: every one extracted, every one translated, every one used correctly."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from generator.core import languages
from tests.helpers import ROOT


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


CATALOGS = sorted(path.parent.parent.name for path in ROOT.glob("locales/*/LC_MESSAGES/*.po"))
# Languages companies commonly publish in; each must keep its complete catalog.
SHIPPED = ["ja", "en", "zh_Hans", "zh_Hant", "ko", "fr", "de", "es", "pt_BR", "it", "nl", "ar"]


def test_the_commonly_published_languages_have_a_catalog():
    assert set(SHIPPED) <= set(CATALOGS)


@pytest.mark.parametrize("language", CATALOGS)
def test_every_string_is_translated_with_the_same_placeholders(language):
    assert flaws(catalog(ROOT / f"locales/{language}/LC_MESSAGES/messages.po")) == []


def test_a_catalog_missing_a_string_or_a_placeholder_is_flawed():
    translated = catalog(ROOT / "locales/fr/LC_MESSAGES/messages.po")
    translated.delete("Compare")
    translated["Version: %(id)s"].string = "Version :"
    assert flaws(translated) == ["placeholders differ: Version: %(id)s", "missing: Compare"]


def flaws(translated) -> list[str]:
    """What keeps a catalog from serving every interface string in its language."""
    template = [m.id for m in catalog(ROOT / "locales/messages.pot") if m.id]
    found = []
    for message_id in template:
        message = translated.get(message_id)
        if message is None or not message.string or message.fuzzy:
            found.append(f"missing: {message_id}")
        elif placeholders(message.string) != placeholders(message_id):
            found.append(f"placeholders differ: {message_id}")
    return found


@pytest.mark.parametrize("language", CATALOGS)
def test_a_catalog_names_its_own_language_known_to_cldr(language):
    assert str(catalog(ROOT / f"locales/{language}/LC_MESSAGES/messages.po").locale) == language
    assert languages.problem(language.replace("_", "-")) is None


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)s", text))

"""The diff's shortcuts give exactly what the long way gives: they exist for speed alone, so
any input on which they differ is a bug, whatever the input looks like."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core import tokens

SETTINGS = settings(max_examples=300, deadline=None)

# Characters from every class the grains name, their edges, and a few from elsewhere, so that
# runs, apostrophes, dots and spaces meet in every order.
_SAMPLES = "aZ09_’'.-, \t\n\u00a0\u3000\ufeffé日本語々〆ヶひらがなカタカナー漢字中文ไทย" \
           "ＡＺ０９\U00020bb7\U0002f800\U0001d400\U00010400😀"
_CHARS = st.sampled_from(_SAMPLES) | st.characters(blacklist_categories=("Cs",))


@SETTINGS
@given(st.text(_CHARS, max_size=40), st.sampled_from(sorted(tokens.GRAINS)))
def test_a_text_is_cut_into_the_same_tokens_as_by_the_full_classes(text, grain):
    full = tokens._compiled(grain).findall(text)
    language = next((code for code, name in tokens.GRAIN_OF.items() if name == grain), "en")
    assert tokens.grain(language) == grain
    assert tokens.tokens(text, language) == full
    if all(ord(c) < 0x10000 for c in text):
        assert tokens._compiled(grain, 0x10000).findall(text) == full

"""Language tags: which are accepted, the one tag -> folder mapping, direction, fallbacks, grain."""
from __future__ import annotations

import re

import pytest

from generator.core import languages


@pytest.mark.parametrize("tag", ["ja", "en", "zh-Hans", "zh-Hant", "pt-BR", "es-419", "ar",
                                 "zh-TW", "sr-Latn-RS", "fil"])
def test_bcp47_tags_known_to_cldr_are_accepted(tag):
    assert languages.problem(tag) is None


@pytest.mark.parametrize("tag", ["en_US", "../en", "e", "english", "zh-Hans-", "en-US-x-a"])
def test_text_that_is_not_a_tag_is_refused(tag):
    message, hint = languages.problem(tag)
    assert message == f"'{tag}' is not a language tag"
    assert "zh-Hans" in hint


@pytest.mark.parametrize("tag", ["qq", "en-ZZ", "ja-Hans", "fr-Zzzz"])
def test_well_formed_tag_unknown_to_cldr_is_refused_rather_than_replaced(tag):
    message, _ = languages.problem(tag)
    assert message.startswith(f"language tag '{tag}' is not known to CLDR")


def test_a_tag_in_another_case_is_refused_with_its_conventional_spelling():
    assert languages.problem("ZH-hans-cn") == (
        "language tag 'ZH-hans-cn' is not written in the conventional case",
        "write 'zh-Hans-CN' (language lowercase, Script in title case, REGION uppercase)")


@pytest.mark.parametrize("tag, folder", [("ja", "ja"), ("zh-Hans", "zh-hans"),
                                         ("pt-BR", "pt-br"), ("es-419", "es-419"),
                                         ("sr-Latn-RS", "sr-latn-rs")])
def test_a_languages_folder_is_its_tag_in_lowercase(tag, folder):
    assert languages.folder(tag) == folder
    assert re.fullmatch(r"[a-z0-9-]+", languages.folder(tag))


@pytest.mark.parametrize("tag, direction", [("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"),
                                            ("ur", "rtl"), ("ja", "ltr"), ("zh-Hans", "ltr"),
                                            ("en", "ltr")])
def test_direction_comes_from_cldr(tag, direction):
    assert languages.direction(tag) == direction


@pytest.mark.parametrize("tag, names", [
    ("zh-Hans", ("zh_Hans", "zh")),
    ("zh", ("zh", "zh_Hans")),  # plain Chinese is written in simplified characters
    ("zh-TW", ("zh_TW", "zh_Hant_TW", "zh_Hant", "zh")),
    ("pt-BR", ("pt_BR", "pt_Latn_BR", "pt_Latn", "pt")),
    ("es-419", ("es_419", "es_Latn_419", "es_Latn", "es")),
])
def test_catalogs_are_looked_up_from_the_most_specific_to_the_bare_language(tag, names):
    assert languages.catalog_names(tag) == names


@pytest.mark.parametrize("tag, match", [("zh-Hans", "zh"), ("zh-TW", "zh-TW"),
                                        ("zh-HK", "zh-Hant"), ("es-419", "es"),
                                        ("pt-BR", "pt-BR"), ("pt-PT", "pt"), ("he", None)])
def test_best_match_prefers_the_most_specific_offered_language(tag, match):
    offered = ["en", "zh", "zh-Hant", "zh-TW", "pt", "pt-BR", "es", "ar"]
    assert languages.best_match(tag, offered) == match


@pytest.mark.parametrize("tag, grain", [("en", "word"), ("ar", "word"), ("ja", "script"),
                                        ("zh-Hans", "character"), ("zh-Hant", "character"),
                                        ("th", "phrase")])
def test_each_language_gets_a_diff_grain(tag, grain):
    assert languages.grain(tag) == grain


def test_a_language_is_named_capitalized_in_itself_and_as_written_inside_a_sentence():
    from generator.core.i18n import language_name

    assert [language_name(code) for code in ("ja", "en", "fr")] == ["日本語", "English",
                                                                    "Français"]
    assert [language_name("ja", code) for code in ("en", "fr", "es", "de")] == [
        "Japanese", "japonais", "japonés", "Japanisch"]

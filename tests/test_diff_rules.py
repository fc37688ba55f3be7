"""The diff's rules, shared with the browser: Python owns the tokenizer, whitespace and field
order (generator/core/tokens.py, diff.browser_rules) and compare.js receives them as data. One set
of vectors (tests/diff_vectors.json) holds both to the same results: here for Python, and
through `node --test tests/js/` for compare.js, with the golden diff cases besides."""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys

import pytest

from generator.core import diff, documents, markup, tokens
from generator.core.model import Facts
from generator.source.convert import load
from tests.diff_cases import BASE, CASES
from tests.helpers import ROOT
from tests.oracles import body, browser_shape

VECTORS = json.loads((ROOT / "tests" / "diff_vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", VECTORS["tokens"], ids=lambda v: v["name"])
def test_python_tokenizes_each_vector_as_written(vector):
    assert tokens.tokens(vector["text"], vector["language"]) == vector["tokens"]


@pytest.mark.parametrize("vector", VECTORS["fold_space"], ids=lambda v: repr(v["text"]))
def test_python_folds_whitespace_as_written(vector):
    assert tokens.fold_space(vector["text"]) == vector["folded"]


@pytest.mark.parametrize("vector", VECTORS["texts"], ids=lambda v: v["name"])
def test_python_compares_each_text_vector_as_written(vector):
    for side in (vector["old"], vector["new"]):  # the vector's read text is what we render
        assert markup.plain_text(side["body"]) == side.get("text", side["body"])
    change = diff.compare_text(vector["old"]["body"], vector["new"]["body"], vector["language"])
    assert change.kind == vector["kind"]
    assert [[s.op, s.text] for s in change.segments] == vector["segments"]
    shaped = body(diff.section_json(dataclasses.replace(SAMPLE, body=change), False)["body"])
    assert shaped.get("blocks", []) == vector.get("blocks", [])


SAMPLE = diff.SectionChange("s", "changed", "t", "t", 1, 1, False, None, ())


@pytest.mark.parametrize("vector", VECTORS["links"], ids=lambda v: v["name"])
def test_python_reads_each_texts_links_as_written(vector):
    assert diff.link_fields(vector["body"]) == vector["fields"]


def test_whitespace_is_unicode_white_space_so_nbsp_and_full_width_count_but_feff_does_not():
    spaces = set(tokens.SPACE_CHARACTERS)
    assert {"\u00a0", "\u3000", "\u2028", "\u0085", " ", "\t", "\n"} <= spaces
    assert "\ufeff" not in spaces and "\u200b" not in spaces
    # Python's isspace adds only the four information separators, which are not White_Space.
    python = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert python - spaces == {"\x1c", "\x1d", "\x1e", "\x1f"} and spaces <= python


def test_word_characters_are_exactly_what_python_calls_word_characters():
    ranges = tokens.classes()["word"]
    words = "".join(chr(c) for low, high in ranges for c in range(low, high + 1))
    assert re.fullmatch(r"\w+", words)
    beyond = "".join(chr(c) for c in range(0x40000, 0x110000))
    assert re.search(r"\w", beyond) is None  # why planes 0-3 are enough


def test_field_order_is_the_order_python_reports_fields_in():
    rules = diff.browser_rules()["fieldOrder"]
    version = load(ROOT / "policy_src").versions[0]
    for order, flat in ((rules["facts"], diff.flatten(version.facts, "en")),
                        (rules["labels"], diff.flatten(version.labels, "en", "labels"))):
        assert [path for path in order if path in flat] == list(flat)  # optional ones absent
    assert rules["category"] == ["name", "purpose", "details"]
    assert rules["facts"][0] == "company" and len(rules["facts"]) > len(
        [f for f in Facts.__dataclass_fields__])


def golden_cases() -> list[dict]:
    """Each golden diff case as the two published documents compare.js reads and the result
    Python gives."""
    info = load(ROOT / "policy_src").info
    cases = []
    for case in CASES:
        new = case()
        for language in ("en", "ja"):
            def document(version, language=language):
                return json.loads(documents.version_document(info, version, language).content)
            cases.append({"name": case.__name__, "language": language,
                          "old": document(BASE), "new": document(new),
                          "expected": browser_shape(diff.compare(BASE, new, language))})
    return cases


def test_compare_js_gives_the_vectors_and_golden_cases_under_node(tmp_path):
    node = shutil.which("node")
    assert node, "node is needed for the JavaScript tests: ./dev test installs it as root"
    (tmp_path / "rules.json").write_text(json.dumps(diff.browser_rules()), encoding="utf-8")
    (tmp_path / "cases.json").write_text(json.dumps(golden_cases()), encoding="utf-8")
    result = subprocess.run(
        [node, "--test", str(ROOT / "tests" / "js")], capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "POLICYGEN_DIFF_RULES": str(tmp_path / "rules.json"),
             "POLICYGEN_DIFF_CASES": str(tmp_path / "cases.json")}, timeout=120)
    sys.stdout.write(result.stdout[-4000:])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = int(re.search(r"^# pass (\d+)", result.stdout, re.M).group(1))
    vectors = sum(len(VECTORS[k]) for k in ("tokens", "fold_space", "texts", "links"))
    stale = 1  # the marking of stale translations from a changes document
    assert passed == vectors + 2 * len(CASES) + stale  # every one ran, none was skipped

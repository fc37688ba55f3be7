"""Reading source files: what YAML allows but a policy never needs is refused, clearly."""
from __future__ import annotations

import pytest

from generator.source.read import MAX_DEPTH, MAX_FILE_BYTES, read_file


def read(tmp_path, content: bytes):
    path = tmp_path / "file.yaml"
    path.write_bytes(content)
    node, problems = read_file(path)
    return node, [f"{p.line}:{p.column}: {p.message}" for p in problems]


def test_values_keep_their_line_and_column(tmp_path):
    node, problems = read(tmp_path, b"a: 1\nb:\n  - x\n  - 'y'\n")
    assert problems == []
    key, value = node.items["b"]
    assert (key.line, key.column) == (2, 1)
    assert [(item.value, item.line, item.column) for item in value.value] == \
        [("x", 3, 5), ("y", 4, 5)]


def test_a_byte_order_mark_is_accepted(tmp_path):
    node, problems = read(tmp_path, b"\xef\xbb\xbfa: 1\n")
    assert problems == [] and node.items["a"][1].value == 1


def test_invalid_utf8_is_located(tmp_path):
    assert read(tmp_path, b"a: 1\nb: caf\xe9\n")[1] == [
        "2:7: the file is not valid UTF-8 (byte 0xe9)"]


def test_nul_and_control_characters_are_located(tmp_path):
    assert read(tmp_path, b"a: x\x00y\nb: \x1b[31m\n")[1] == [
        "1:5: a NUL byte is not allowed in policy text",
        "2:4: control character U+001B is not allowed in policy text"]


def test_a_very_large_file_is_refused_without_parsing_it(tmp_path):
    problems = read(tmp_path, b"a: '" + b"x" * MAX_FILE_BYTES + b"'\n")[1]
    assert len(problems) == 1 and "larger than the 1,048,576 bytes" in problems[0]


def test_very_deep_nesting_is_refused(tmp_path):
    problems = read(tmp_path, ("[" * 200 + "]" * 200 + "\n").encode())[1]
    assert problems == [f"1:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels"]


def test_billion_laughs_is_refused_before_anything_expands(tmp_path):
    lines = ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    lines += [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]"
              for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    node, problems = read(tmp_path, "\n".join(lines).encode())
    assert node is None and len(problems) == 9 + 8 * 9
    assert problems[0] == "1:4: YAML anchor 'a' is not allowed"


@pytest.mark.parametrize("text, message", [
    (b"", "the file is empty"),
    (b"a: 1\n---\nb: 2\n", "more than one YAML document ('---') in the file"),
    (b"a: !!python/object:os.system 1\n", "YAML tag '!!python/object:os.system' is not allowed"),
])
def test_shapes_a_policy_never_needs_are_refused(tmp_path, text, message):
    assert [p.split(": ", 1)[1] for p in read(tmp_path, text)[1]] == [message]


def test_windows_line_endings_read_as_the_same_text(tmp_path):
    node, problems = read(tmp_path, "a: 株式会社\r\nb: |\r\n  one\r\n  two\r\n".encode())
    assert problems == []
    assert node.items["a"][1].value == "株式会社" and node.items["b"][1].value == "one\ntwo\n"


def test_joiners_are_kept_inside_words_of_scripts_that_spell_with_them(tmp_path):
    persian = "می\u200cخواهم"  # "I want": the non-joiner is part of the spelling
    node, problems = read(tmp_path, f"a: {persian}\n".encode())
    assert problems == [] and node.items["a"][1].value == persian
    _, problems = read(tmp_path, "a: ISAO\u200cCorporation\n".encode())
    assert problems == ["1:8: invisible character U+200C (ZERO WIDTH NON-JOINER) is not "
                        "allowed in policy text"]

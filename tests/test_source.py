"""Reading source files: what YAML allows but a policy never needs is refused, clearly."""
from __future__ import annotations

from pathlib import Path

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


@pytest.mark.parametrize("encoding, named", [
    ("utf-16", "UTF-16 (little-endian)"), ("utf-16-be", "UTF-16 (big-endian, without"),
    ("utf-32", "UTF-32 (little-endian)"), ("utf-32-be", "UTF-32 (big-endian, without")])
def test_a_file_saved_as_utf16_or_utf32_is_named_with_how_to_resave_it(tmp_path, encoding,
                                                                         named):
    path = tmp_path / "file.yaml"
    path.write_bytes("id: 2018-07-06\ntitle: 個人情報\n".encode(encoding))
    _, problems = read_file(path)
    assert [(p.line, p.column) for p in problems] == [(1, 1)]
    assert named in problems[0].message and "byte 0x" not in problems[0].message
    assert "save it again as UTF-8" in problems[0].hint


def test_crlf_line_ends_with_a_byte_order_mark_are_accepted(tmp_path):
    node, problems = read(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: x y\r\n")
    assert problems == [] and node.items["b"][1].value == "x y"


# Each in a child process with a timeout: a hang or a read of gigabytes fails the test
# instead of stopping the suite.
_READ_ONE = ("import sys; from pathlib import Path; from generator.source.read import read_file;"
             "print('|'.join(f'{p.line}:{p.column}: {p.message}' "
             "for p in read_file(Path(sys.argv[1]))[1]))")


def read_in_child(path) -> str:
    import subprocess
    import sys
    run = subprocess.run([sys.executable, "-c", _READ_ONE, str(path)], capture_output=True,
                         text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.parametrize("make, message", [
    (lambda path: path.symlink_to("/dev/zero"), "1:1: this is a device (such as /dev/zero)"),
    (lambda path: __import__("os").mkfifo(path), "1:1: this is a named pipe (FIFO)"),
    (lambda path: path.mkdir(), "1:1: this is a folder, not a regular file"),
    (lambda path: (path.symlink_to(path.with_name("other")),
                   path.with_name("other").symlink_to(path)), "1:1: this is a symbolic link "
     "that leads back to itself"),
    (lambda path: __import__("os").truncate(path.open("wb").name, 3 << 30),
     "1:1: the file is 3,221,225,472 bytes, larger than the 1,048,576 bytes"),
    (lambda path: path.write_text("[" * 500_000 + "]" * 500_000), "1:25: nesting deeper"),
], ids=["dev-zero", "fifo", "folder", "symlink-loop", "sparse-3-gib", "500000-levels"])
def test_what_is_not_a_small_regular_file_is_refused_in_bounded_time(tmp_path, make, message):
    path = tmp_path / "file.yaml"
    make(path)
    assert read_in_child(path).startswith(message)


def test_files_in_versions_that_are_not_read_are_warned_by_name(tmp_path):
    from generator.source.names import misnamed_versions

    for name in ("2018-07-06.yaml", "2019.yml", ".gitkeep", "2028.YAML", "2029.yaml.txt",
                 "2027.yaml~", ".2027.yaml.swp", "notes.md"):
        (tmp_path / name).write_text("id: x\n")
    found = {Path(p.path).name: (p.message, p.hint) for p in misnamed_versions(tmp_path)}
    assert sorted(found) == [".2027.yaml.swp", "2027.yaml~", "2028.YAML", "2029.yaml.txt",
                             "notes.md"]
    assert all(p.is_warning for p in misnamed_versions(tmp_path))
    assert "rename it to 2028.yaml to have it read as version '2028'" in found["2028.YAML"][1]
    assert "rename it to 2029.yaml" in found["2029.yaml.txt"][1]
    assert "editor's backup" in found["2027.yaml~"][0]


@pytest.mark.parametrize("name, reserved", [
    ("con", True), ("NUL", True), ("aux.txt", True), ("com1", True), ("lpt9.yaml", True),
    ("prn ", True), ("console", False), ("com10", False), ("2018-07-06", False)])
def test_windows_reserved_names(name, reserved):
    from generator.source.slug import windows_reserved

    assert windows_reserved(name) is reserved


@pytest.mark.parametrize("content, problem", [
    ("a:\n  en:\u00a0text\n", "2:6: a no-break space (U+00A0) after the key's colon, where "
     "YAML needs an ordinary space"),
    ("a:\n\u00a0\u00a0en: text\n", "2:1: a no-break space (U+00A0) in the indentation, "
     "where YAML needs an ordinary space"),
    ("a:\n  \u2003en: text\n", "2:3: a em space (U+2003) in the indentation"),
    ("a: x\u00ady\n", "1:5: invisible character U+00AD (SOFT HYPHEN) is not allowed"),
])
def test_unicode_spaces_in_yamls_syntax_and_soft_hyphens_are_named_and_located(
        tmp_path, content, problem):
    problems = read(tmp_path, content.encode())[1]
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_a_no_break_space_inside_a_text_is_kept(tmp_path):
    node, problems = read(tmp_path, "a: 10\u00a0% «\u00a0oui\u00a0»\n".encode())
    assert problems == [] and node.items["a"][1].value == "10\u00a0% «\u00a0oui\u00a0»"


def test_a_trailing_full_width_space_is_dropped_with_a_warning_as_yaml_drops_ascii_ones(
        tmp_path):
    node, problems = read(tmp_path, "a: タイトル\u3000\nb: タイトル   \nc: 'x\u3000'\n".encode())
    assert node is not None
    assert [node.items[key][1].value for key in "abc"] == ["タイトル", "タイトル", "x\u3000"]
    assert problems == ["1:8: trailing space (U+3000) at the end of the text, dropped as YAML "
                        "drops ordinary trailing spaces"]

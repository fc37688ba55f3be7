"""Properties over many generated inputs: the loader keeps every text exactly, and canonical
JSON is stable, so a published hash can be recomputed by anyone, any day."""
from __future__ import annotations

import dataclasses
import io
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.core import documents, emit, markup
from generator.core.model import Localized
from generator.source.convert import load
from generator.source.read import _CONTROL as _REFUSED
from tests.helpers import ROOT

MAX_SAFE = 2**53 - 1
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text as the legal team may type it: any character but controls and lone surrogates, not
# blank; YAML's special words (null, yes, 1.0, "- ", "# ", ": ") included by chance.
# Text is read in Unicode NFC, so the texts generated here are NFC too.
_CHARS = st.characters(blacklist_categories=("Cc", "Cs"),
                       blacklist_characters="\u2028\u2029\ufeff").filter(
                           lambda c: not _REFUSED.match(c))
texts = st.text(_CHARS, min_size=1, max_size=40).map(
    lambda t: unicodedata.normalize("NFC", t)).filter(lambda t: t.strip()) | \
    st.sampled_from(["null", "yes", "No", "1.0", "0x1F", "~", "- x", "# x", "a: b", "'q'",
                     '"q"', "2018-07-06", "@at", "%p", "!tag", "*star", "&amp", "{x}",
                     "<script>alert(1)</script>", " leading", "trailing "])

# A section's text as the format accepts it: without what a reader would see as typed markup
# (raw HTML, a heading, code...), which validation refuses (tests/test_markup.py).
bodies = texts.filter(lambda t: not markup.refusals(t))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_SAFE, MAX_SAFE) | st.text(),
    lambda inner: st.lists(inner, max_size=4) |
    st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)


# --- canonical JSON -------------------------------------------------------------------------

@given(json_values)
def test_canonical_json_parses_back_to_the_same_value_and_is_stable(value):
    content = documents.canonical(value)
    assert json.loads(content) == value
    assert documents.canonical(json.loads(content)) == content


@given(st.dictionaries(st.text(max_size=6), json_values, max_size=6))
def test_member_order_never_changes_the_bytes(value):
    reordered = dict(reversed(list(value.items())))
    assert documents.canonical(reordered) == documents.canonical(value)


@given(json_values.filter(lambda v: "\\U" not in ascii(v)))
def test_without_astral_characters_it_equals_sorted_compact_json(value):
    # Below U+10000, UTF-16 order is code point order: Python's own sorted JSON is an oracle.
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert documents.canonical(value) == expected.encode()


def test_rfc_8785_orders_members_by_utf16_code_units():
    # The RFC's own sorting example (section 3.2.3).
    value = {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet",
             "1": "One", "\U0001f600": "Emoji: Grinning Face", "\u0080": "Control",
             "\u00f6": "Latin Small Letter O With Diaeresis"}
    keys = list(json.loads(documents.canonical(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_rfc_8785_escapes_only_what_json_requires():
    assert documents.canonical({"a": "\u000f\n\"\\/\u2028é"}) == \
        '{"a":"\\u000f\\n\\"\\\\/\u2028é"}'.encode()


def test_values_json_cannot_carry_exactly_are_refused():
    for value in (1.5, 2**53, {1: "x"}):
        try:
            documents.canonical(value)
        except (TypeError, ValueError):
            continue
        raise AssertionError(f"{value!r} was serialized")


# --- the loader -----------------------------------------------------------------------------

def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.width = 4096
    return yaml


def write_version(root: Path, version) -> None:
    buffer = io.StringIO()
    _yaml().dump(emit.source_of(version), buffer)
    (root / "versions" / f"{version.id}.yaml").write_text(buffer.getvalue(), encoding="utf-8")


def example_source(tmp: Path) -> Path:
    root = tmp / "policy_src"
    (root / "versions").mkdir(parents=True, exist_ok=True)
    (root / "policy.yaml").write_text((ROOT / "policy_src/policy.yaml").read_text("utf-8"),
                                      encoding="utf-8")
    return root


EXAMPLE_POLICY = load(ROOT / "policy_src")
EXAMPLE = EXAMPLE_POLICY.version("2018-07-06")


@pytest.mark.slow
@SETTINGS
@given(company=texts, title=texts, body=texts, summary=texts, section=st.integers(0, 16))
def test_any_text_the_loader_accepts_round_trips_to_the_same_model(tmp_path, company, title,
                                                                   body, summary, section):
    root = example_source(tmp_path)
    edited = EXAMPLE.sections[section]
    edited = dataclasses.replace(
        edited, title=Localized((("ja", edited.title["ja"]), ("en", title))),
        body=Localized((("ja", body), ("en", edited.body["en"] if edited.body else "x"))))
    version = dataclasses.replace(
        EXAMPLE,
        facts=dataclasses.replace(EXAMPLE.facts, company=Localized((("ja", company),
                                                                    ("en", company)))),
        summary=Localized((("ja", summary), ("en", summary))),
        sections=EXAMPLE.sections[:section] + (edited,) + EXAMPLE.sections[section + 1:])
    write_version(root, version)
    try:
        loaded = load(root).version(version.id)
    except Exception as error:  # a refusal must name why: only links and markup may be refused
        assert any(why in str(error) for why in ("link to", "is not allowed", "not supported",
                                                 "cannot stand inside a text",
                                                 "a table row has")), error
        return
    assert loaded == version
    write_version(root, loaded)
    assert load(root).version(version.id) == loaded


@SETTINGS
@given(company=texts, body=texts)
def test_any_model_gives_a_document_whose_hash_is_stable(company, body):
    version = dataclasses.replace(
        EXAMPLE,
        facts=dataclasses.replace(EXAMPLE.facts, company=Localized((("ja", company),
                                                                    ("en", company)))),
        sections=(dataclasses.replace(EXAMPLE.sections[0], body=Localized(
            (("ja", body), ("en", body)))),) + EXAMPLE.sections[1:])
    info = EXAMPLE_POLICY.info
    first = documents.version_document(info, version, "en")
    again = documents.version_document(info, version, "en")
    assert first.content == again.content and first.sha256 == again.sha256
    assert documents.canonical(json.loads(first.content)) == first.content
    assert json.loads(first.content)["facts"]["company"] == company



@SETTINGS
@given(title=texts, body=bodies)
def test_the_emitter_writes_sources_the_loader_reads_back_exactly(tmp_path, title, body):
    root = example_source(tmp_path)
    version = dataclasses.replace(EXAMPLE, sections=(dataclasses.replace(
        EXAMPLE.sections[0], title=Localized((("ja", title), ("en", title))),
        body=Localized((("ja", body), ("en", body)))),) + EXAMPLE.sections[1:])
    (root / "versions" / f"{version.id}.yaml").write_text(
        emit.dump(emit.source_of(version)), encoding="utf-8")
    assert load(root).version(version.id) == version


@SETTINGS
@given(title=texts, body=bodies)
def test_text_typed_decomposed_loads_as_the_same_text_and_hash(tmp_path, title, body):
    """NFC on reading: "が" typed as か + U+3099 (as macOS file names and some input methods
    do) is the same text, with the same published hash, as the composed "が"."""
    root = example_source(tmp_path)
    version = dataclasses.replace(EXAMPLE, sections=(dataclasses.replace(
        EXAMPLE.sections[0], title=Localized((("ja", title + "が"), ("en", title))),
        body=Localized((("ja", body), ("en", body)))),) + EXAMPLE.sections[1:])
    text = emit.dump(emit.source_of(version))
    (root / "versions" / f"{version.id}.yaml").write_text(
        unicodedata.normalize("NFD", text), encoding="utf-8")
    loaded = load(root).version(version.id)
    assert loaded == version
    info = EXAMPLE_POLICY.info
    assert documents.version_document(info, loaded, "ja").sha256 == \
        documents.version_document(info, version, "ja").sha256


# --- output folders -------------------------------------------------------------------------

_OUT_STEPS = st.sampled_from(["..", ".", "policy_src", "versions", "published", "locales",
                              "site_overrides", "site", "en", "sibling", "new", ".git"])


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Path:
    """A project two folders deep, with a foreign sibling folder and a built site."""
    from tests.helpers import copy_project

    root = tmp_path_factory.mktemp("out-sandbox")
    project = copy_project(root / "work" / "project")
    (project.root / ".git").mkdir()
    (project.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "work" / "sibling").mkdir()
    (root / "work" / "sibling" / "notes.txt").write_text("mine\n")
    project.build()
    return root


@pytest.mark.slow
@SETTINGS
@given(steps=st.lists(_OUT_STEPS, min_size=1, max_size=5), above=st.integers(0, 2))
def test_no_out_inside_or_above_the_project_changes_a_file_it_did_not_write(
        steps, above, sandbox, cli, monkeypatch):
    """Any --out, from the project's root up to two folders above it, either builds into a
    folder of its own or is refused: no file policygen did not write changes or goes away.
    The site engine is replaced by an empty build here; the guard and the swap are real."""
    from generator.site import publish

    monkeypatch.setattr(publish, "_run_engine", lambda engine, sites, work, staged, *rest:
                        staged.mkdir(parents=True) or [])
    root = sandbox / "work" / "project"
    out = "/".join([".."] * above + steps)
    ours = {p for p in sandbox.rglob("*") if p.is_file() and _written_by_policygen(p, sandbox)}
    before = {p: p.read_bytes() for p in sandbox.rglob("*") if p.is_file() and p not in ours}
    run = cli("build", "--out", out, cwd=root)
    assert run.code in (0, 2), run.err
    assert "Traceback" not in run.err
    assert {p: p.read_bytes() for p in before if p.is_file()} == before
    assert not [p for p in sandbox.rglob(".policygen-*") if p.is_dir()]


def _written_by_policygen(path: Path, sandbox: Path) -> bool:
    """Inside a folder that carries policygen's marker, or in its build cache."""
    from generator.runtime import cache

    return cache.DIRECTORY in path.relative_to(sandbox).parts or any(
        (folder / ".policygen-site").is_file() for folder in path.parents
        if folder.is_relative_to(sandbox))

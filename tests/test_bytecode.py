"""Compiled templates kept in the user's cache: compiled once, then loaded by every later
process; a template's change, other settings or a damaged file mean compiling again."""
from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment

from generator.runtime import bytecode
from tests.helpers import copy_project


def environment(compiled: bytecode.Compiled, templates: dict[str, str],
                **settings) -> tuple[Environment, list[str]]:
    """An environment using `compiled`, and the list of the templates it compiles."""
    env = Environment(loader=DictLoader(templates), bytecode_cache=compiled, **settings)
    compiles: list[str] = []
    compile_ = env.compile

    def counted(source, name=None, filename=None, raw=False, defer_init=False):
        compiles.append(name)
        return compile_(source, name, filename, raw, defer_init)

    env.compile = counted  # type: ignore[method-assign]
    return env, compiles


def test_a_template_compiled_by_one_process_is_loaded_by_the_next(tmp_path):
    templates = {"page.html": "{% for n in items %}<b>{{ n }}</b>{% endfor %}"}
    first, compiled_first = environment(bytecode.Compiled(tmp_path), templates)
    later, compiled_later = environment(bytecode.Compiled(tmp_path), templates)

    assert first.get_template("page.html").render(items=[1, 2]) == "<b>1</b><b>2</b>"
    assert later.get_template("page.html").render(items=[1, 2]) == "<b>1</b><b>2</b>"
    assert compiled_first == ["page.html"] and compiled_later == []


def test_an_edited_template_is_compiled_again(tmp_path):
    environment(bytecode.Compiled(tmp_path), {"page.html": "old {{ x }}"})[0] \
        .get_template("page.html").render(x=1)
    env, compiles = environment(bytecode.Compiled(tmp_path), {"page.html": "new {{ x }}"})

    assert env.get_template("page.html").render(x=1) == "new 1"
    assert compiles == ["page.html"]


def test_environments_with_other_settings_never_share_compiled_code(tmp_path):
    templates = {"page.html": "{% if x %}\n  yes\n{% endif %}\n"}
    plain, _ = environment(bytecode.Compiled(tmp_path), templates)
    trimmed, compiles = environment(bytecode.Compiled(tmp_path), templates,
                                    trim_blocks=True, lstrip_blocks=True)

    assert plain.get_template("page.html").render(x=True) == "\n  yes\n"
    assert trimmed.get_template("page.html").render(x=True) == "  yes\n"
    assert compiles == ["page.html"]


def test_a_damaged_file_is_ignored_and_the_template_compiled_again(tmp_path):
    templates = {"page.html": "<i>{{ x }}</i>"}
    environment(bytecode.Compiled(tmp_path), templates)[0].get_template("page.html")
    (kept,) = tmp_path.rglob("*.jinja")
    data = bytearray(kept.read_bytes())
    data[-5] ^= 0xFF  # one flipped byte inside the code
    kept.write_bytes(bytes(data))
    env, compiles = environment(bytecode.Compiled(tmp_path), templates)

    assert env.get_template("page.html").render(x="a") == "<i>a</i>"
    assert compiles == ["page.html"]
    assert bytecode.Compiled(tmp_path)._read(kept.stem) is not None  # rewritten whole


def test_without_a_cache_folder_templates_are_shared_in_memory_only(tmp_path):
    compiled = bytecode.Compiled(None)
    environment(compiled, {"page.html": "{{ x }}"})[0].get_template("page.html")
    env, compiles = environment(compiled, {"page.html": "{{ x }}"})

    assert env.get_template("page.html").render(x=3) == "3"
    assert compiles == []


def test_a_build_keeps_the_theme_s_compiled_templates_in_the_user_cache(tmp_path):
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    project.build(out=tmp_path / "one", environ={"POLICYGEN_CACHE": str(cache)})
    kept = list((cache / "templates").rglob("*.jinja"))
    assert len(kept) > 20  # Material's templates: dozens of partials
    first = {path: path.stat().st_mtime_ns for path in kept}
    project.build(out=tmp_path / "two", environ={"POLICYGEN_CACHE": str(cache)})

    assert {path: path.stat().st_mtime_ns for path in kept} == first  # none compiled again
    assert sorted((cache / "templates").rglob("*.jinja")) == sorted(kept)
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_a_build_keeps_its_own_page_templates_compiled_in_the_user_cache(tmp_path,
                                                                          monkeypatch):
    """policygen's page templates too are compiled once per user cache, not once per build
    (0.1-0.2 s of every build): a later process loads them. Here a new process is one whose
    in-memory copies are forgotten."""
    from jinja2 import Environment

    from generator.outputs import templates

    project = copy_project(tmp_path / "project")
    environ = {"POLICYGEN_CACHE": str(tmp_path / "cache")}
    compiles: list[str] = []
    compile_ = Environment.compile

    def counted(self, source, name=None, *args, **kwargs):
        if name and name.endswith(".j2"):  # policygen's own, not the theme's
            compiles.append(name)
        return compile_(self, source, name, *args, **kwargs)

    def new_process() -> None:
        monkeypatch.setattr(templates._BYTECODE, "compiled", {})
        templates.environment.cache_clear()

    monkeypatch.setattr(Environment, "compile", counted)
    new_process()
    project.build(out=tmp_path / "one", environ=environ)
    assert "version.md.j2" in compiles and "redline.md.j2" in compiles
    compiles.clear()
    new_process()
    project.build(out=tmp_path / "two", environ=environ)

    assert compiles == []
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}

"""The package's folders are the pipeline's stages, and imports flow one way: a module
imports only from its own stage or the stages before it, and no import goes round in a
circle (imports only a type checker reads, under TYPE_CHECKING, aside)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# In pipeline order; the modules at the package's top (cli, build, serve) come last.
STAGES = ("core", "runtime", "source", "record", "checks", "outputs", "site")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else len(STAGES)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The package's modules that `path` imports when it runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    checking_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                     and "TYPE_CHECKING" in ast.unparse(block.test)
                     for statement in block.body for node in ast.walk(statement)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                for name in (f"{node.module}.{alias.name}", node.module):
                    if name in known:
                        found.add(name)
                        break
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
    return found


def graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {name: imports_of(path, known) - {name} for name, path in paths.items()}


def test_every_import_of_the_package_is_absolute():
    relative = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                for path in PACKAGE.rglob("*.py")
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.level]
    assert relative == []


def test_no_module_imports_from_a_later_stage():
    def stage_name(module):
        return STAGES[stage_of(module)] if stage_of(module) < len(STAGES) else "top"

    backwards = sorted(f"{module} ({stage_name(module)}) imports {imported}"
                       for module, imported_ones in graph().items() for imported in imported_ones
                       if stage_of(imported) > stage_of(module))
    assert backwards == []


def test_no_import_goes_round_in_a_circle():
    edges, circles = graph(), []
    state: dict[str, int] = {}  # 1: being walked, 2: done

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(edges[module]):
            if state.get(imported) == 1:
                circles.append(" -> ".join(path[path.index(imported):] + [imported]))
            elif imported not in state:
                walk(imported, [*path, imported])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            walk(module, [module])
    assert circles == []


def test_every_module_belongs_to_a_stage_or_is_a_command():
    top = sorted(name for name in graph() if stage_of(name) == len(STAGES)
                 and name not in ("generator", "generator.__main__"))
    assert top == ["generator.build", "generator.cli", "generator.serve", "generator.verify"]


TESTS = PACKAGE.parent / "tests"


def imported_test_modules(path: Path) -> set[str]:
    """The test modules (tests/test_*.py) that `path` imports, by name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node.module} | {alias.name for node in ast.walk(tree)
                                 if isinstance(node, ast.Import) for alias in node.names}
    names |= {f"tests.{alias.name}" for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module == "tests"
              for alias in node.names}
    return {name for name in names if name.split(".")[-1].startswith("test_")}


def test_no_test_module_imports_another():
    """What several test modules share lives in tests/helpers.py, oracles.py and the like:
    a test module imported by another would run its tests' module-level setup, and its
    fixtures and oracles would change under the tests that borrow them."""
    borrowed = sorted(f"{path.name} imports {name}" for path in sorted(TESTS.glob("*.py"))
                      for name in imported_test_modules(path))
    assert borrowed == []

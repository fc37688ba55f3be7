"""Compliance checklists: what a privacy notice must make available under a law, as data.

A checklist (`generator/checklists/*.yaml`, or the project's `policy_src/checklists/`) lists
items, each with what the law asks and where, and what gives it: the facts that can (`facts`,
fields of facts.Facts) and the id of the section a new policy gives it in (`section`, for
`policygen init`); `policy.yaml` names the checklists the policy must satisfy; each version's
`coverage` says which sections or facts give each item. Nothing is guessed from the text: an
item no coverage entry names is reported as unmapped, one whose sections or facts are absent
as missing.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator.core import columns
from generator.core.diagnostics import Diagnostic, PolicyError
from generator.core.facts import BLOCK_FACTS, Facts
from generator.core.model import Policy, Version
from generator.source.read import display_path, read_file

BUILT_IN = Path(__file__).resolve().parents[1] / "checklists"
PROJECT_DIR = "checklists"  # beside policy.yaml: a project's own checklists

Status = Literal["covered", "not applicable", "missing", "unmapped"]


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    asks: str  # what the law asks the notice to give, in plain words
    law: str  # where the law asks it
    conditional: bool = False  # applies only in some cases (joint use, membership, ...)
    facts: tuple[str, ...] = ()  # the facts that can give it (facts.Facts fields)
    section: str = ""  # the id of the section a new policy gives it in


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    checklist: str
    item: Item
    status: Status
    by: tuple[str, ...]  # what covers it, e.g. "section use", "fact address"
    problem: str = ""  # why it is missing, when it is

    @property
    def ok(self) -> bool:
        return self.status in ("covered", "not applicable")


# --- reading checklists (the edge) -----------------------------------------------------------

def read_checklists(source: Path) -> dict[str, Checklist]:
    """Every checklist policygen ships, and the project's own (which win on the same id)."""
    found: dict[str, Checklist] = {}
    for folder in (BUILT_IN, source / PROJECT_DIR):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            checklist = _checklist(path)
            found[checklist.id] = checklist
    return found


def _checklist(path: Path) -> Checklist:
    shown = display_path(path)
    # Read as the source is first: a regular file within the size limit, no aliases (a
    # "billion laughs" took over 2 GiB), bounded nesting; only then loaded as plain data.
    _, refused = read_file(path)
    if refused:
        raise PolicyError(refused)
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        items = tuple(Item(str(item["id"]), str(item["asks"]), str(item["law"]),
                           bool(item.get("conditional", False)), _names(item.get("facts", [])),
                           str(item.get("section", "")))
                      for item in data["items"])
        checklist = Checklist(str(data["id"]), str(data["title"]), items)
    except (YAMLError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
        raise PolicyError([Diagnostic(shown, 1, 1, f"the checklist is not usable ({error})",
                                      "each checklist has an id, a title and items, each "
                                      "with an id, what it asks and the law")]) from error
    known = [f.name for f in dataclasses.fields(Facts)]
    unknown = [(item.id, name) for item in checklist.items for name in item.facts
               if name not in known]
    if unknown:  # a misspelt fact would never be found in any version
        raise PolicyError([Diagnostic(shown, 1, 1, f"item '{item}' names the fact '{name}', "
                                      "which policies do not state", "the facts are " +
                                      ", ".join(known)) for item, name in unknown])
    return checklist


def _names(value: object) -> tuple[str, ...]:
    """A list of names as a checklist writes it, `[a, b]` or one name alone."""
    return tuple(map(str, value)) if isinstance(value, list) else (str(value),)


# --- checking (pure) -----------------------------------------------------------------------------

def wanted(policy: Policy, checklists: dict[str, Checklist]) -> list[Checklist]:
    """The checklists the policy names; PolicyError for a name no checklist has."""
    unknown = [name for name in policy.info.checklists if name not in checklists]
    if unknown:
        raise PolicyError([Diagnostic("policy.yaml", 1, 1, f"unknown checklist "
                                      f"'{name}'", "known checklists: " +
                                      ", ".join(sorted(checklists))) for name in unknown])
    return [checklists[name] for name in policy.info.checklists]


def check(version: Version, checklists: list[Checklist]) -> list[Finding]:
    """Each item of each checklist, and whether this version covers it."""
    coverage = {entry.item: entry for entry in version.coverage}
    return [_finding(version, checklist.id, item, coverage.get(item.id))
            for checklist in checklists for item in checklist.items]


def _finding(version: Version, checklist: str, item: Item, entry) -> Finding:
    if entry is None:
        return Finding(checklist, item, "unmapped", (), "no coverage entry names this item" +
                       (f"; the facts that can give it: {', '.join(item.facts)}"
                        if item.facts else ""))
    if entry.not_applicable:
        if not item.conditional:
            return Finding(checklist, item, "missing", (), "marked not applicable, but it "
                           "always applies")
        return Finding(checklist, item, "not applicable", ())
    by = tuple(f"section {s}" for s in entry.sections) + \
        tuple(f"fact {f}" for f in entry.facts)
    absent = [f"section '{s}'" for s in entry.sections if version.section(s) is None]
    absent += [f"fact '{f}'" for f in entry.facts if fact(version.facts, f) is None]
    shown = {name for section in version.sections if section.block
             for name in BLOCK_FACTS[section.block]}
    absent += [f"section showing fact '{f}'" for f in entry.facts
               if f.split(".")[0] not in shown and fact(version.facts, f) is not None]
    if not by:
        return Finding(checklist, item, "missing", by, "the coverage entry names no section "
                       "or fact")
    if absent:
        return Finding(checklist, item, "missing", by, "this version has no " +
                       ", ".join(absent))
    return Finding(checklist, item, "covered", by)


def fact(facts: Facts, path: str) -> object:
    """The fact a dotted path names (`inquiry_desk.address`), or None when absent."""
    value: object = facts
    for name in path.split("."):
        if not dataclasses.is_dataclass(value) or \
                name not in {f.name for f in dataclasses.fields(value)}:
            return None
        value = getattr(value, name)
    return value


def unknown_items(version: Version, checklists: list[Checklist]) -> list[str]:
    """Coverage entries naming no item of the checklists (a typo leaves an item unmapped)."""
    known = {item.id for checklist in checklists for item in checklist.items}
    return [entry.item for entry in version.coverage if entry.item not in known]


def to_json(version: Version, findings: list[Finding]) -> dict:
    return {"version": version.id, "ok": all(f.ok for f in findings),
            "items": [{"checklist": f.checklist, "item": f.item.id, "asks": f.item.asks,
                       "law": f.item.law, "status": f.status, "covered_by": list(f.by),
                       "problem": f.problem or None} for f in findings]}


def table(version: Version, findings: list[Finding]) -> str:
    """The findings as a plain-text table, one item a line."""
    rows = [("checklist", "item", "status", "covered by / what the law asks")]
    for f in findings:
        detail = ", ".join(f.by) if f.ok else f"{f.problem}: {f.item.asks} ({f.item.law})"
        rows.append((f.checklist, f.item.id, f.status, detail or "-"))
    failed = sum(not f.ok for f in findings)
    lines = columns.aligned(rows) + [
        f"version {version.id}: {len(findings) - failed} of {len(findings)} items covered"
        + (f"; {failed} missing or unmapped" if failed else "")]
    return "\n".join(lines) + "\n"


def warnings(policy: Policy, checklists: dict[str, Checklist], locate) -> list[Diagnostic]:
    """The check's findings on the newest version, as warnings: the one still being written
    or announced, where a gap can be closed (published texts cannot change)."""
    if not policy.info.checklists or not policy.versions:
        return []
    version = policy.versions[-1]
    chosen = wanted(policy, checklists)
    found = [locate(version.id, ("coverage",) if version.coverage else ("id",),
                    f"{f.checklist} item '{f.item.id}' is {f.status} in version {version.id}"
                    f" ({f.problem})", f"the notice must give {f.item.asks} ({f.item.law}); "
                    "name the section or fact that gives it under 'coverage'").as_warning()
             for f in check(version, chosen) if not f.ok]
    found += [locate(version.id, ("coverage",), f"coverage names '{name}', which no checklist "
                     "of the policy has", "check the item's id with `policygen check`"
                     ).as_warning() for name in unknown_items(version, chosen)]
    return found

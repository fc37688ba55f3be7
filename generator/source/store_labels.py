"""policy_src/store-labels.yaml: how the policy's data categories and purposes read in the app
stores' privacy labels (core/store_labels.py makes the labels). Optional: a policy without
the file has no store labels. With it, every category and purpose of a version must be
mapped, so that a category added to the policy fails the build until its label is decided:

    categories:
      email:                                # a processing category's id
        apple: NSPrivacyCollectedDataTypeEmailAddress   # one type, or a list; [] for none
        google: PSL_EMAIL
        linked: true                        # Apple: linked to the user's identity
        tracking: false                     # Apple: used for tracking
    purposes:
      service:                              # a processing purpose's id
        apple: NSPrivacyCollectedDataTypePurposeAppFunctionality
        google: PSL_APP_FUNCTIONALITY
"""
from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from generator.core import store_labels
from generator.core.diagnostics import Diagnostic, PolicyError
from generator.core.model import Policy
from generator.core.store_labels import (
    APPLE_DATA_TYPES,
    APPLE_PURPOSES,
    GOOGLE_DATA_TYPES,
    GOOGLE_PURPOSES,
    CategoryLabel,
    PurposeLabel,
    StoreMapping,
)
from generator.source.read import Node, display_path, read_file

FILE = "store-labels.yaml"
_CATEGORY_KEYS = {"apple": APPLE_DATA_TYPES, "google": tuple(GOOGLE_DATA_TYPES)}
_PURPOSE_KEYS = {"apple": APPLE_PURPOSES, "google": tuple(GOOGLE_PURPOSES)}
_FLAGS = ("linked", "tracking")
_SINGULAR = {"categories": "category", "purposes": "purpose"}


def read(source: Path) -> StoreMapping | None:
    """The mapping in `source`/store-labels.yaml, None without the file; PolicyError with
    every problem found."""
    path = source / FILE
    if not path.is_file():
        return None
    root, found = read_file(path)
    if root is None or found:
        raise PolicyError(found or [Diagnostic(display_path(path), 1, 1, "the file is empty",
                                               "map categories and purposes, or delete it")])
    problems: list[Diagnostic] = []
    if root.kind != "map":
        raise PolicyError([root.error("store labels are a mapping with 'categories' and "
                                      "'purposes'", "see `policygen store-labels --help`")])
    for key, (key_node, _) in root.items.items():
        if key not in ("categories", "purposes"):
            problems.append(key_node.error(f"unknown key '{key}'",
                                           "the keys are 'categories' and 'purposes'"))
    categories = {item_id: CategoryLabel(labels["apple"], labels["google"], *flags)
                  for item_id, labels, flags in _entries(root, "categories", _CATEGORY_KEYS,
                                                         _FLAGS, problems)}
    purposes = {item_id: PurposeLabel(labels["apple"], labels["google"])
                for item_id, labels, _ in _entries(root, "purposes", _PURPOSE_KEYS, (),
                                                   problems)}
    if problems:
        raise PolicyError(problems)
    return StoreMapping(categories, purposes)


def _entries(root: Node, name: str, stores: dict[str, tuple[str, ...]],
             flags: tuple[str, ...], problems: list[Diagnostic]):
    if name not in root.items:
        return
    node = root.items[name][1]
    if node.kind != "map":
        problems.append(node.error(f"'{name}' is a mapping of the policy's {name} ids",
                                   f"write '{name}:' then each id, indented, with its labels"))
        return
    for item_id, (key_node, value) in node.items.items():
        if value.kind != "map":
            problems.append(value.error(f"the labels of '{item_id}' are a mapping",
                                        "give " + ", ".join((*stores, *flags))))
            continue
        labels, values, complete = {}, [], True
        for key, (inner_key, _) in value.items.items():
            if key not in stores and key not in flags:
                problems.append(inner_key.error(f"unknown key '{key}' in '{item_id}'",
                                                "the keys are " + ", ".join((*stores, *flags))))
        for store, known in stores.items():
            if store not in value.items:
                problems.append(key_node.error(f"'{item_id}' gives no '{store}' label",
                                               f"add '{store}:' (or '{store}: []' where the "
                                               "store has no such data)"))
                complete = False
                continue
            labels[store] = _names(value.items[store][1], known, problems)
        for flag in flags:
            flag_node = value.items.get(flag, (None, None))[1]
            if flag_node is None or not isinstance(flag_node.value, bool):
                problems.append((flag_node or key_node).error(
                    f"'{item_id}' needs '{flag}: true' or '{flag}: false'",
                    "Apple asks it of every data type: decide it, never leave it out"))
                complete = False
                continue
            values.append(flag_node.value)
        if complete:
            yield str(item_id), labels, values


def _names(node: Node, known: tuple[str, ...], problems: list[Diagnostic]) -> tuple[str, ...]:
    elements = node.elements if node.kind == "seq" else [node]
    names = []
    for element in elements:
        if element.kind != "scalar" or str(element.value) not in known:
            close = difflib.get_close_matches(str(element.value), known, n=1)
            problems.append(element.error(
                f"'{element.value}' is not a name the store defines",
                f"did you mean '{close[0]}'?" if close else "one of " + ", ".join(known)))
            continue
        names.append(str(element.value))
    return tuple(names)


def unmapped(policy: Policy, mapping: StoreMapping, locate: Callable[..., Diagnostic]
             ) -> list[Diagnostic]:
    """Each category and purpose of a version that the mapping lacks: an error in a
    published version (its labels would be wrong), a warning in a draft (being written)."""
    found = []
    for version in policy.versions:
        if version.processing is None:
            continue
        for list_name, item_id in store_labels.unmapped(version.processing, mapping):
            problem = locate(
                version.id, ("processing", list_name, item_id),
                f"{_SINGULAR[list_name]} '{item_id}' has no app store label",
                f"map it in {FILE}: '{list_name}:', then '{item_id}:' with its apple and "
                "google labels (see `policygen store-labels --help`)")
            found.append(problem if version.status == "published" else problem.as_warning())
    return found

"""`policygen new-version`: start a draft from an earlier version's file, keeping its comments
and layout (ruamel.yaml's round-trip mode), so the legal team edits what it knows."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from generator.core.diagnostics import Diagnostic, PolicyError
from generator.core.model import SLUG_PATTERN, Policy
from generator.source.convert import RESERVED_VERSION_IDS, VERSIONS_DIR
from generator.source.read import display_path
from generator.source.slug import windows_reserved

# What belongs to the version it was copied from, never to the next: its record of
# corrections, postponements and withdrawal, its summary of what changed, and the
# translators' checks of its changes.
_DROPPED = ("corrections", "postponements", "withdrawal", "translations_checked")


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, key order, block scalars and quotes are kept
    yaml.width = 4096  # never re-wrap a line the legal team wrapped (or did not)
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def draft_text(text: str, version_id: str, effective_date: dt.date) -> str:
    """The text of a version file turned into the next draft: id and date set, status draft,
    no re-consent, no summary (a draft may have none; locking asks for it), no corrections,
    postponements or withdrawal, no translation checks. Comments are kept, those that
    followed a dropped entry included."""
    yaml = _yaml()
    data = yaml.load(text)
    # A date-like id is written as the date it looks like, unquoted as people write it (a
    # distinct object from the effective date: ruamel would write one value twice as an alias).
    data["id"] = dt.date.fromisoformat(version_id) \
        if version_id == effective_date.isoformat() else version_id
    data["effective_date"] = effective_date
    data["status"] = "draft"
    data["reconsent_required"] = False
    if "summary" in data:
        _empty(data, "summary")
    for key in _DROPPED:
        if key in data:
            _drop(data, key)
    written = io.StringIO()
    yaml.dump(data, written)
    return written.getvalue()


def _empty(data, key: str) -> None:
    """Set `key` to nothing (an empty `key:` where the new text goes), keeping the comments and
    blank lines that followed its old value: ruamel keeps them with the value's last item."""
    old = data[key]
    trailing = None
    if hasattr(old, "ca") and old:
        last = list(old)[-1]
        trailing = old.ca.items.get(last, [None, None, None, None])[2]
    data[key] = None
    if trailing is not None:
        data.ca.items[key] = [None, None, trailing, None]


def _drop(data: CommentedMap, key: str) -> None:
    """Remove `key`, keeping the comments and blank lines that followed its value (ruamel
    keeps them with the value's last item, so they would go with it): they now follow the
    value before it. Only an end-of-line comment of its last item goes with the entry."""
    keys = list(data)
    holder, last, position = _trailing_slot(data, key)
    token = holder.ca.items.get(last, [None] * 4)[position]
    del data[key]
    kept = token.value if token is not None else ""
    kept = kept[kept.find("\n"):] if kept.startswith("#") else kept  # from the value's line end
    if not kept.strip() or keys.index(key) == 0:
        return
    holder, last, position = _trailing_slot(data, keys[keys.index(key) - 1])
    comments = holder.ca.items.setdefault(last, [None, None, None, None])
    if comments[position] is None:
        comments[position] = CommentToken(kept, CommentMark(0), None)
    else:
        comments[position].value += kept[1:]  # its own line end is there already


def _trailing_slot(parent, key) -> tuple:
    """Where ruamel keeps what follows `parent[key]`'s value: (holder, key, position) of its
    last scalar, as deep as the value goes."""
    while True:
        node = parent[key]
        if isinstance(node, CommentedMap) and node:
            parent, key = node, list(node)[-1]
        elif isinstance(node, CommentedSeq) and node:
            parent, key = node, len(node) - 1
        else:
            return parent, key, 0 if isinstance(parent, CommentedSeq) else 2


def start(policy: Policy, root: Path, effective_date: dt.date, from_id: str | None = None,
          version_id: str | None = None) -> tuple[Path, str]:
    """Write the new draft's file; return its path and the id it was started from."""
    version_id = version_id or effective_date.isoformat()
    folder = root / VERSIONS_DIR
    target = folder / f"{version_id}.yaml"
    shown = display_path(target)
    if (not re.match(SLUG_PATTERN, version_id) or version_id in RESERVED_VERSION_IDS
            or windows_reserved(version_id)):
        raise PolicyError([Diagnostic(shown, 1, 1, f"'{version_id}' cannot be a version id",
                                      "use lowercase letters, digits and inner hyphens, such "
                                      "as the effective date 2028-04-01")])
    if not policy.versions:
        raise PolicyError([Diagnostic(display_path(folder), 1, 1, "there is no version to "
                                      "start from", "write the first version by hand")])
    base = policy.version(from_id) if from_id else policy.versions[-1]
    if base is None:
        raise PolicyError([Diagnostic(display_path(folder), 1, 1, f"no version '{from_id}' to "
                                      "start from", "the versions are " +
                                      ", ".join(v.id for v in policy.versions))])
    if policy.version(version_id) or target.exists() or target.with_suffix(".yml").exists():
        raise PolicyError([Diagnostic(shown, 1, 1, f"version {version_id} already exists",
                                      "edit that file, or choose another date")])
    if effective_date <= base.effective_date:
        raise PolicyError([Diagnostic(shown, 1, 1, f"{effective_date} is not after "
                                      f"{base.id}'s effective date ({base.effective_date})",
                                      "a new version takes effect after the one it starts "
                                      "from")])
    source = folder / f"{base.id}.yaml"
    if not source.exists():
        source = source.with_suffix(".yml")
    text = draft_text(source.read_text(encoding="utf-8"), version_id, effective_date)
    target.write_text(text, encoding="utf-8")
    return target, base.id

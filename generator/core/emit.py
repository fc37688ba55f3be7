"""Model values written back as source YAML: the loader's inverse.

Used to generate sources (the benchmark's synthetic policies) and to test that the loader
round-trips. Every string is written double-quoted in JSON's escaping, which YAML reads the
same way, so no text can be mistaken for a number, a date, a comment or a key.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from generator.core.model import Localized


def source_of(value: object) -> object:
    """A model value as plain data in the source's shape; empty optional fields left out."""
    if isinstance(value, Localized):
        return dict(value.values)
    if isinstance(value, tuple):
        return [source_of(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: source_of(getattr(value, f.name)) for f in dataclasses.fields(value)
                if getattr(value, f.name) not in (None, ())}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dump(data: object, header: str = "") -> str:
    """Plain data (dicts, lists, str, int, bool) as block-style YAML text."""
    lines = [header.rstrip("\n")] if header else []
    _write(data, 0, lines)
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and _is_date(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _is_date(text: str) -> bool:
    try:
        return len(text) == 10 and dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _write(data: object, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{pad}{key}:")
                _write(value, indent + 2, lines)
            else:
                lines.append(f"{pad}{key}: {_scalar(value)}")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, (dict, list)) and item:
                inner: list[str] = []
                _write(item, indent + 2, inner)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {_scalar(item)}")

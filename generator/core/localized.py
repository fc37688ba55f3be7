"""A text in every language of the policy, and the metadata helper the model's fields use."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass


def doc(text: str, **more: object) -> dict:
    return {"doc": text, **more}


class _Lookup:
    """A slot that is not a dataclass field, so that equality, hashing, pickling (the cache's
    and the workers') and every walk over a model's fields see the fields alone."""

    __slots__ = ("_lookup",)
    _lookup: dict[str, str]


@dataclass(frozen=True, slots=True)
class Localized(_Lookup):
    """One text in every language of the policy, as (language, text) pairs in policy order.

    A draft may lack a language in some places: there the authoritative text stands in, so
    that every page and diff reads as usual, and `absent` names the languages it stands in
    for (the preview says so; `policygen translations` counts them missing; lock refuses)."""

    values: tuple[tuple[str, str], ...]
    absent: tuple[str, ...] = ()

    def __getitem__(self, language: str) -> str:
        return self._texts()[language]

    def languages(self) -> tuple[str, ...]:
        return tuple(self._texts())

    def _texts(self) -> dict[str, str]:
        """The texts by language, made on the first lookup: pages, diffs and documents look
        texts up a million times in a build at 200 versions, and scanning the pairs each time
        cost a few tenths of a second."""
        try:
            return self._lookup
        except AttributeError:  # new, or unpickled (pickles keep the fields alone)
            object.__setattr__(self, "_lookup", dict(self.values))
            return self._lookup


def lacks(value: object, language: str) -> bool:
    """Whether any text in `value` (a model value: a dataclass, a tuple of them, a text)
    has the authoritative text standing in for `language` (see `Localized.absent`)."""
    if isinstance(value, Localized):
        return language in value.absent
    if isinstance(value, tuple):
        return any(lacks(item, language) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(lacks(getattr(value, field.name), language)
                   for field in dataclasses.fields(value))
    return False

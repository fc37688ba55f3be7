"""What changed in the processing between two versions, by meaning rather than by text: a
purpose added, a recipient's country changed, a retention lengthened from P30D to P90D.

Items are matched by id (a transfer by its country, a retention by what it covers), never by
position, and each field is compared as a reader of the structure would: a list of ids as a
set (what was added, what was removed), a text in the reader's language, a period as a length
of time. The comparison walks the processing's dataclasses by their fields, so a field the
model gains is compared without a change here; only the order of the lists and how an item
without an id is keyed are named below.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from generator.core.i18n import N_
from generator.core.model import Localized
from generator.core.processing import Processing, duration_days

ChangeKind = Literal["added", "removed", "changed"]

# The processing's lists, in the order a reader meets them, with each item's name in the
# singular for the sentences that report it.
KINDS = {
    "categories": N_("Data category"),
    "purposes": N_("Purpose"),
    "recipients": N_("Recipient"),
    "retention": N_("Retention"),
    "transfers": N_("Transfer"),
    "sources": N_("Source"),
    "rights": N_("Right"),
}
# An item without an id is known by what it is about: a transfer by its country, a
# retention by the categories (else the purposes) it covers.
_KEYED_BY = ("id", "country", "categories", "purposes")
# Fields whose values are ids: shown as they are, compared as sets.
FIELD_NAMES = {
    "name": N_("name"),
    "legal_basis": N_("legal basis"),
    "categories": N_("data categories"),
    "purposes": N_("purposes"),
    "recipients": N_("recipients"),
    "kind": N_("kind"),
    "country": N_("country"),
    "period": N_("retention period"),
    "rule": N_("retention rule"),
    "safeguard": N_("safeguard"),
    "how": N_("how to exercise it"),
}


@dataclass(frozen=True, slots=True)
class ProcessingChange:
    """One structured change: an item added or removed, or one field of it changed."""

    of: str  # the list it is in: a key of KINDS
    item: str  # the item's id, or its key (see _KEYED_BY)
    name: str | None  # the item's name in the reader's language, where it has one
    change: ChangeKind
    field: str | None = None  # the changed field, for "changed"
    old: str | None = None
    new: str | None = None
    added: tuple[str, ...] = ()  # for a list of ids: the ids it gained
    removed: tuple[str, ...] = ()  # and those it lost
    longer: bool | None = None  # for a period: True when lengthened, False when shortened

    @property
    def extends(self) -> bool:
        """Whether the change widens what users consented to: a new purpose, recipient or
        transfer, or data kept longer (what `policygen lock` asks re-consent for)."""
        if self.change == "added":
            return self.of in ("purposes", "recipients", "transfers")
        return self.of == "retention" and self.longer is True


def compare_processing(old: Processing | None, new: Processing | None, language: str
                       ) -> tuple[ProcessingChange, ...]:
    """The structured changes from `old` to `new` (two versions' processing, or None where a
    version states none), in the order of KINDS and then of the items."""
    changes: list[ProcessingChange] = []
    for list_name in KINDS:
        before = _items(old, list_name)
        after = _items(new, list_name)
        for key, item in before.items():
            if key not in after:
                changes.append(ProcessingChange(list_name, key, _name(item, language),
                                                "removed"))
        for key, item in after.items():
            if key not in before:
                changes.append(ProcessingChange(list_name, key, _name(item, language),
                                                "added"))
            elif before[key] != item:
                changes += _field_changes(list_name, key, before[key], item, language)
    return tuple(changes)


def _items(processing: Processing | None, list_name: str) -> dict[str, object]:
    items = getattr(processing, list_name, None) or ()
    return {_key(item): item for item in items}


def _key(item: object) -> str:
    for name in _KEYED_BY:
        value = getattr(item, name, None)
        if value:
            return ",".join(value) if isinstance(value, tuple) else str(value)
    return ""


def _name(item: object, language: str) -> str | None:
    name = getattr(item, "name", None)
    return name[language] if isinstance(name, Localized) else None


def _field_changes(list_name: str, key: str, old: object, new: object, language: str
                   ) -> list[ProcessingChange]:
    assert dataclasses.is_dataclass(new)
    name = _name(new, language)
    found = []
    for field in dataclasses.fields(new):
        if field.name == "id":
            continue
        before, after = getattr(old, field.name, None), getattr(new, field.name)
        if before == after:
            continue
        if isinstance(after, tuple) or isinstance(before, tuple):
            was, now = _ids(before), _ids(after)
            if set(was) != set(now):  # the same ids in another order say the same
                found.append(ProcessingChange(
                    list_name, key, name, "changed", field.name,
                    added=tuple(i for i in now if i not in was),
                    removed=tuple(i for i in was if i not in now)))
            continue
        was_text, now_text = _text(before, language), _text(after, language)
        if was_text == now_text:
            continue  # another language's text changed: not this reader's change
        longer = None
        if field.name == "period" and was_text and now_text:
            old_days, new_days = duration_days(was_text), duration_days(now_text)
            longer = None if old_days == new_days else new_days > old_days
        found.append(ProcessingChange(list_name, key, name, "changed", field.name,
                                      was_text, now_text, longer=longer))
    return found


def _ids(value: object) -> tuple[str, ...]:
    return tuple(_text(item, "") or "" for item in value) if isinstance(value, tuple) else ()


def _text(value: object, language: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, Localized):
        return value[language]
    if isinstance(value, bool):
        return "true" if value else "false"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _key(value) or repr(value)
    return str(value)


def sentence(change: ProcessingChange, gettext) -> str:
    """The change as one sentence in the reader's language."""
    kind = gettext(KINDS[change.of])
    what = gettext("%(kind)s “%(name)s”") % {"kind": kind, "name": change.name or change.item}
    if change.change == "added":
        return gettext("%(what)s added") % {"what": what}
    if change.change == "removed":
        return gettext("%(what)s removed") % {"what": what}
    field = gettext(FIELD_NAMES[change.field]) if change.field in FIELD_NAMES else \
        str(change.field)
    values = {"what": what, "field": field, "old": change.old or gettext("(none)"),
              "new": change.new or gettext("(none)")}
    if change.longer is not None:
        return (gettext("%(what)s: %(field)s lengthened from %(old)s to %(new)s")
                if change.longer else
                gettext("%(what)s: %(field)s shortened from %(old)s to %(new)s")) % values
    if change.added or change.removed:
        parts = []
        if change.added:
            parts.append(gettext("%(what)s: %(field)s added: %(ids)s") % {
                **values, "ids": ", ".join(change.added)})
        if change.removed:
            parts.append(gettext("%(what)s: %(field)s removed: %(ids)s") % {
                **values, "ids": ", ".join(change.removed)})
        return "; ".join(parts)
    return gettext("%(what)s: %(field)s changed from %(old)s to %(new)s") % values


def to_json(change: ProcessingChange, gettext=None) -> dict:
    """One change as the changes document and `diff --format json` give it; with a catalog's
    `gettext`, also as a sentence in that language."""
    data: dict[str, object] = {"list": change.of, "item": change.item, "name": change.name,
                               "change": change.change}
    if change.change == "changed":  # a member is left out where it says nothing, never null
        data["field"] = change.field
        data.update({key: value for key, value in (
            ("old", change.old), ("new", change.new), ("added", list(change.added)),
            ("removed", list(change.removed))) if value})
        if change.longer is not None:
            data["direction"] = "longer" if change.longer else "shorter"
    if gettext is not None:
        data["text"] = sentence(change, gettext)
    return data

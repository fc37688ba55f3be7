"""A result kept on disk as a pickle after the SHA-256 of its bytes: one that fails that
check, or does not load, is not trusted and is made again."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle

_DIGEST = hashlib.sha256().digest_size


def sealed(value: object) -> bytes:
    """`value` pickled, after the SHA-256 of the pickle."""
    payload = dumps(value)
    return hashlib.sha256(payload).digest() + payload


def unsealed(data: bytes) -> tuple[bool, object]:
    """(True, the value `sealed` made `data` of), or (False, None) when they are damaged or
    do not load."""
    payload = data[_DIGEST:]
    if hashlib.sha256(payload).digest() != data[:_DIGEST]:
        return False, None
    try:
        return True, pickle.loads(payload)  # noqa: S301 - our own, verified entry
    except Exception:  # a payload that verifies but does not load: not ours to trust
        return False, None


def dumps(value: object) -> bytes:
    """`value` pickled, its frozen dataclasses as their field values: Python's own pickling
    of a slotted dataclass looks its fields up again for every object it loads, which made
    most of `validate`'s time at 200 versions."""
    stream = io.BytesIO()
    _Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return stream.getvalue()


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        names = _field_names(type(obj))
        if names is None:
            return NotImplemented
        return _rebuild, (type(obj), tuple(getattr(obj, name) for name in names))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of one of policygen's slotted dataclasses, else None."""
    if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__
            and cls.__module__.startswith("generator.")):
        return None
    return tuple(field.name for field in dataclasses.fields(cls))


def _rebuild(cls: type, values: tuple) -> object:
    names = _field_names(cls)
    assert names is not None  # _Pickler reduces only the dataclasses that have field names
    made: object = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(made, name, value)
    return made

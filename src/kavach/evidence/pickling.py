"""Pickling the scan's plain records as their constructor's arguments.

Every small file of a phone crosses the worker pipe twice: its ``ScanItem`` out, its
``ItemResult`` back. A dataclass pickles by default as a class plus a state to set
attribute by attribute; as ``(cls, (field, ...))`` it is about twice as quick to
write and read (bench/small_files.py), which the scan's one writer feels.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def plain_pickle(cls: type[T]) -> type[T]:
    """Pickle instances of the dataclass ``cls`` as a call of ``cls(*fields)``."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    if not all(f.init for f in fields(cls)):  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__}: every field must be a constructor argument")

    def reduce(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = reduce  # type: ignore[method-assign]
    return cls

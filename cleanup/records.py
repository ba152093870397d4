"""Frozen records (dataclasses with slots) that unpickle quickly.

The pack cache holds tens of thousands of rules, forms and triggers. For each record the
``__setstate__`` that ``dataclass`` writes looks the class's fields up again; that was
most of the time a cached pack took to read.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def quick_unpickle(cls: type[T]) -> type[T]:
    """``cls``, a frozen dataclass with slots, restored from a pickle by setting its fields
    from the state in the order of a list of their names made once. The state is what
    ``dataclass`` pickles (every field's value, in order of the fields), so records
    pickled before and after read alike."""
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    put = object.__setattr__  # the class is frozen: its own __setattr__ refuses

    def setstate(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            put(self, name, value)

    cls.__setstate__ = setstate  # type: ignore[attr-defined]
    return cls

"""Records of the pack cache restore every field from a pickle."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from cleanup import builtin_pack_paths, load_rules
from cleanup.edit import Kind, Safety
from cleanup.matchers import trigger
from cleanup.records import quick_unpickle
from cleanup.ruleset import model


def _records() -> list[type]:
    """The frozen dataclasses with slots that a cached pack holds."""
    found = [
        cls
        for module in (model, trigger)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
        and dataclasses.is_dataclass(cls)
        and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        and "__slots__" in cls.__dict__
    ]
    return [cls for cls in found if cls is not trigger.Info]  # never cached


@pytest.mark.parametrize("cls", _records(), ids=lambda c: c.__name__)
def test_every_cached_record_is_restored_by_its_field_names(cls: type) -> None:
    assert cls.__setstate__.__qualname__.startswith("quick_unpickle."), cls  # type: ignore[attr-defined]


def test_the_bundled_rules_come_back_field_for_field() -> None:
    rules = load_rules(builtin_pack_paths())
    again = pickle.loads(pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == rules
    for before, after in zip(rules.rules, again.rules, strict=True):
        assert type(after) is type(before)
        for f in dataclasses.fields(before):
            assert getattr(after, f.name) == getattr(before, f.name), (before.id, f.name)
    assert again.names == rules.names


def test_a_state_of_other_fields_is_refused() -> None:
    rule = model.PatternRule("p.x", Kind.PATTERN, Safety.AUTO, "p.yaml:1", regex="a")
    state: Any = rule.__getstate__()
    restored: Any = object.__new__(model.PatternRule)
    restored.__setstate__(state)
    assert restored == rule
    with pytest.raises(ValueError):
        restored.__setstate__(state[:-1])


def test_a_record_of_any_fields_restores_each_in_place() -> None:
    @quick_unpickle
    @dataclasses.dataclass(frozen=True, slots=True)
    class Pair:
        first: str
        second: tuple[int, ...] = ()

    pair = Pair("a", (1, 2))
    restored: Any = object.__new__(Pair)
    restored.__setstate__(pair.__getstate__())
    assert (restored.first, restored.second) == ("a", (1, 2))

"""Shared helpers: write small rule packs and compile them."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cleanup import Engine, load_rules

# Every property test is deterministic: the same examples on every run and no example
# database, so a test cannot pass on one run and fail on the next, and a failure found
# once is not replayed from a local folder. `CLEANUP_HYPOTHESIS_PROFILE=fuzz ./dev test
# -m fuzz` runs the same properties randomized and for longer.
settings.register_profile(
    "ci", derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    database=None,
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("CLEANUP_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def pack(tmp_path: Path) -> Callable[[str], Path]:
    """Write a rule pack from YAML text (dedented) and return its path."""
    counter = iter(range(1000))

    def write(yaml_text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"pack{next(counter)}.yaml")
        path.write_text(textwrap.dedent(yaml_text).lstrip(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def engine_for(pack: Callable[[str], Path]) -> Callable[[str], Engine]:
    """Compile a pack written from YAML text."""

    def build(yaml_text: str) -> Engine:
        return Engine(load_rules([pack(yaml_text)]))

    return build

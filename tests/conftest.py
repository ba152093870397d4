"""Shared helpers: write small rule packs and compile them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from cleanup import Engine, load_rules


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

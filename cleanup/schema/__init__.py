"""The rule-pack format, defined once: ``rules.schema.json``. The loader takes the keys
each part of a pack may have from it, so the schema and the loader cannot drift apart.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

# Each section of a pack and the schema definition of its items.
SECTIONS = {
    "names": "name",
    "phrases": "phrase",
    "patterns": "pattern",
    "removals": "removal",
    "structure": "structure",
}


@functools.cache
def rules_schema() -> dict[str, Any]:
    """The JSON Schema of a rule pack."""
    text = resources.files("cleanup").joinpath("schema/rules.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def top_keys() -> frozenset[str]:
    """The keys of a rule file.

    >>> sorted(top_keys())[:3]
    ['description', 'exceptions', 'grammar']
    """
    return frozenset(rules_schema()["properties"])


def rule_keys(kind: str) -> frozenset[str]:
    """The keys an item of one kind may have (``name``, ``phrase``, ``pattern``,
    ``removal``, ``structure``).

    >>> sorted(rule_keys("phrase"))
    ['case', 'examples', 'exceptions', 'find', 'id', 'overrides', 'replace', 'safety', 'why']
    """
    return frozenset(rules_schema()["$defs"][kind]["properties"])


def common_keys() -> frozenset[str]:
    """The keys every kind of rule has.

    >>> sorted(common_keys())
    ['examples', 'exceptions', 'id', 'overrides', 'safety', 'why']
    """
    return frozenset.intersection(*(rule_keys(kind) for kind in SECTIONS.values()))

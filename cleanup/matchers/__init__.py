"""Finders: each compiles its rules once and proposes Edits; none mutates the text.

A rule goes to a matcher by its form, not its kind: every literal form of every kind
(names, phrases, literal removals) shares one automaton; every regex shares the pattern
runner. Every matcher is made the same way, by its ``from_ruleset``, and listed once in
``MATCHERS``: adding a matcher is a module with a ``from_ruleset`` and a line here.
"""

from __future__ import annotations

from typing import NamedTuple

from cleanup.matchers.address import AddressMatcher
from cleanup.matchers.base import MakeMatcher, Matcher, Shared
from cleanup.matchers.consistency import ConsistencyMatcher
from cleanup.matchers.fuzzy import FuzzyMatcher
from cleanup.matchers.literal import LiteralMatcher
from cleanup.matchers.pattern import PatternMatcher
from cleanup.matchers.structure import StructureMatcher
from cleanup.ruleset.model import LiteralRule, RuleSet

__all__ = ["MATCHERS", "Built", "Matcher", "Shared", "build_matchers"]

# Every matcher, in the order its edits are gathered. The grammar check is not here: it
# is optional (LanguageTool) and the engine adds it when asked.
MATCHERS: tuple[MakeMatcher, ...] = (
    LiteralMatcher.from_ruleset,
    PatternMatcher.from_ruleset,
    FuzzyMatcher.from_ruleset,
    AddressMatcher.from_ruleset,
    ConsistencyMatcher.from_ruleset,
    StructureMatcher.from_ruleset,
)


class Built(NamedTuple):
    """The matchers of a rule set, and what they share (the literal matcher among them)."""

    matchers: list[Matcher]
    shared: Shared


def build_matchers(rules: RuleSet) -> Built:
    """Compile every rule in the set into the matchers that find its edits."""
    shared = Shared(
        LiteralMatcher([r for r in rules.rules if isinstance(r, LiteralRule) and r.keys])
    )
    made = (make(rules, shared) for make in MATCHERS)
    return Built([m for m in made if m is not None], shared)

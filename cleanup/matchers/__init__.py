"""Finders: each compiles its rules once and proposes Edits; none mutates the text.

A rule goes to a matcher by its form, not its kind: every literal form of every kind
(names, phrases, literal removals) shares one automaton; every regex shares the pattern
runner.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from cleanup.apply import apply_edits
from cleanup.edit import Edit, Safety
from cleanup.matchers.address import AddressMatcher
from cleanup.matchers.consistency import ConsistencyMatcher
from cleanup.matchers.fuzzy import FuzzyMatcher
from cleanup.matchers.literal import HELD_NOTE, LiteralMatcher
from cleanup.matchers.pattern import PatternMatcher
from cleanup.matchers.structure import StructureMatcher
from cleanup.resolve import resolve
from cleanup.ruleset.model import RuleSet


class Matcher(Protocol):
    """Proposes edits that start in ``[start, stop)`` of ``text``.

    ``base`` is the position of ``text[0]`` in the whole input; edits carry whole-input
    offsets. ``state`` is kept for one input from block to block, for matchers whose
    search must go on where the previous block's left off (None: a text of its own).
    """

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]: ...


def build_matchers(rules: RuleSet) -> list[Matcher]:
    """Compile every rule in the set into the matchers that find its edits."""
    literal = LiteralMatcher([r for r in rules.rules if r.keys])
    regexes = [r for r in rules.rules if r.regex]

    def normalize(text: str, context: str | None = None) -> str:
        """A pattern's replacement with the literal fixes it holds made ("(the three-sided
        statement - Ed.)" becomes "[the trilateral statement]"), so that an edit that
        swallows another carries its fix and nothing is left for a second run."""
        found = literal.find(text, context=context)
        kept, _ = resolve(
            [e for e in found if e.safety is Safety.AUTO and not e.message.startswith(HELD_NOTE)]
        )
        return apply_edits(text, kept)

    sources = {r.id: r.source for r in rules.rules}
    return [
        literal,
        PatternMatcher(regexes, rules.names, normalize),
        FuzzyMatcher(rules.names, sources),
        AddressMatcher(rules.names),
        ConsistencyMatcher(rules.names),
        StructureMatcher([r for r in rules.rules if r.fixer], rules.names),
    ]

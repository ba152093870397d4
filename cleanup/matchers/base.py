"""What every matcher is and what the matchers of one rule set share.

A matcher is made from the rule set by its ``from_ruleset(rules, shared)``, which gives
None when the set has nothing for it; it then proposes edits for a block of text. The
registry in cleanup/matchers/__init__.py lists the matchers, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cleanup.apply import apply_edits
from cleanup.edit import Edit, Safety
from cleanup.resolve import resolve

if TYPE_CHECKING:
    from cleanup.matchers.literal import LiteralMatcher
    from cleanup.ruleset.model import RuleSet


class Matcher(Protocol):
    """Proposes edits that start in ``[start, stop)`` of ``text``.

    ``base`` is the position of ``text[0]`` in the whole input; edits carry whole-input
    offsets. ``state`` is kept for one input from block to block, for matchers whose
    search must go on where the previous block's left off (None: a text of its own).
    ``text`` is a ``bytescan.Block`` when the engine scans it: its UTF-8 bytes are made
    once for every matcher.
    """

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]: ...


class MakeMatcher(Protocol):
    """A matcher's ``from_ruleset``: the matcher for a rule set, or None when the set has
    no rule for it."""

    def __call__(self, rules: RuleSet, shared: Shared) -> Matcher | None: ...


@dataclass(frozen=True)
class Shared:
    """What the matchers of one rule set share, made once before any of them: the one
    automaton of every literal form (the literal matcher)."""

    literal: LiteralMatcher

    def fix_literals(self, text: str, context: str | None = None) -> str:
        """``text`` with the literal fixes it holds made: a pattern's replacement ("(the
        three-sided statement - Ed.)" becomes "[the trilateral statement]"), so that an
        edit that swallows another carries its fix and nothing is left for a second run."""
        from cleanup.matchers.literal import HELD_NOTE

        found = self.literal.find(text, context=context)
        kept, _ = resolve(
            [e for e in found if e.safety is Safety.AUTO and not e.message.startswith(HELD_NOTE)]
        )
        return apply_edits(text, kept)

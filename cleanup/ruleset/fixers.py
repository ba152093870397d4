"""The structure fixers a rule may name: what options each takes and its default safety.
The loader checks rules against this table; cleanup/matchers/structure.py runs them."""

from __future__ import annotations

from cleanup.edit import Safety

# Fixer name -> (options it takes with their allowed values, or None for any text;
# default safety).
FIXERS: dict[str, tuple[dict[str, frozenset[str] | None], Safety]] = {
    "unbalanced-quotes": ({}, Safety.SUGGEST),
    "lost-opening-quote": ({}, Safety.AUTO),
    "quote-style": ({"style": frozenset({"majority", "curly", "straight"})}, Safety.REVIEW),
    "glued-words": ({}, Safety.REVIEW),
    "foreign-fragments": ({"remove": frozenset({"true", "false"})}, Safety.SUGGEST),
    "broken-words": ({}, Safety.REVIEW),
}

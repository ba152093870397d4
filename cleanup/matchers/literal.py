"""Every literal form of every rule (names, phrases, removals) in one Aho-Corasick pass.

The automaton runs over a lower-cased copy of the text, leftmost-longest; each hit is
checked for word boundaries and for the case its rule asks for. Its cost hardly grows
with the number of forms, which is what keeps packs of tens of thousands of rules fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick_rs

from cleanup.casing import preserve_case
from cleanup.edit import Edit
from cleanup.ruleset.model import CaseMode, LiteralKey, Rule


@dataclass(frozen=True, slots=True)
class _Target:
    rule: Rule
    key: LiteralKey


def fold(text: str) -> str:
    """Lower-case ``text`` without changing its length, so offsets stay valid.

    >>> fold("İstanbul GADRUT")
    'İstanbul gadrut'
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class LiteralMatcher:
    """Finds every rule's literal forms, word-bounded, with case-aware replacements."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        by_key: dict[str, list[_Target]] = {}
        for rule in rules:
            for key in rule.keys:
                by_key.setdefault(fold(key.find), []).append(_Target(rule, key))
        self._keys = list(by_key)
        # Exact-case targets are tried before case-preserving ones for the same letters.
        self._targets = [
            sorted(by_key[k], key=lambda t: t.key.case is not CaseMode.EXACT) for k in self._keys
        ]
        self._longest = max((len(k) for k in self._keys), default=0)
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
            if self._keys
            else None
        )

    def find(self, text: str, start: int = 0, stop: int | None = None) -> Iterator[Edit]:
        """Edits for forms that start in ``[start, stop)``; text around them is context."""
        if self._automaton is None:
            return
        stop = len(text) if stop is None else stop
        yield from self._scan(text, start, stop)

    def _scan(self, text: str, start: int, stop: int) -> Iterator[Edit]:
        window_end = min(len(text), stop + self._longest)
        hay = fold(text[start:window_end])
        for index, s, e in self._automaton.find_matches_as_indexes(hay):  # type: ignore[union-attr]
            a, b = start + s, start + e
            if a >= stop:
                break
            edit = self._edit(text, index, a, b)
            if edit is not None:
                yield edit
            elif b - a > 1:
                # The longest form here failed its boundary or case check; a shorter form
                # starting inside it may still hold, so look again just past its start.
                yield from self._scan(text, a + 1, min(b, stop))

    def _edit(self, text: str, index: int, a: int, b: int) -> Edit | None:
        found = text[a:b]
        key_text = self._keys[index]
        if _is_word(key_text[0]) and a > 0 and _is_word(text[a - 1]):
            return None
        if _is_word(key_text[-1]) and b < len(text) and _is_word(text[b]):
            return None
        for target in self._targets[index]:
            replacement = _replacement(found, target.key)
            if replacement is None:
                continue
            if replacement == found:
                return None
            rule = target.rule
            return Edit(a, b, found, replacement, rule.id, rule.kind, rule.safety, rule.source)
        return None


def _replacement(found: str, key: LiteralKey) -> str | None:
    """What ``found`` becomes under ``key``, or None when its case does not fit the key."""
    if key.case is CaseMode.PRESERVE:
        return preserve_case(found, key.replace)
    if found == key.find:
        return key.replace
    if found == key.find.upper() and any(c.islower() for c in key.find):
        return key.replace.upper()
    return None

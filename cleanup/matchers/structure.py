"""Structure fixers: what a regex cannot say well, written once in code and switched on
(with options) by a pack's ``structure:`` section.

- ``unbalanced-quotes``: a paragraph whose quotation marks do not pair up (shown only).
- ``quote-style``: one quote style per document, curly or straight (the one it uses most,
  or the one the pack names).
- ``glued-words``: two words run together by scraping ("Pashinyansaid"), split where both
  halves are English words or known names.
- ``foreign-fragments``: runs of Cyrillic left in an English text, shown, or removed when
  the pack says ``remove: true``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from cleanup.edit import Edit, Safety
from cleanup.english import is_common_word, is_word
from cleanup.ruleset.model import NameEntry, Rule

# Fixer name -> (options it takes with their allowed values, or None for any text;
# default safety).
FIXERS: dict[str, tuple[dict[str, frozenset[str] | None], Safety]] = {
    "unbalanced-quotes": ({}, Safety.SUGGEST),
    "quote-style": ({"style": frozenset({"majority", "curly", "straight"})}, Safety.REVIEW),
    "glued-words": ({}, Safety.REVIEW),
    "foreign-fragments": ({"remove": frozenset({"true", "false"})}, Safety.SUGGEST),
}

_PARAGRAPH = re.compile(r"[^\n]+")
_STRAIGHT = re.compile(r'"')
_CURLY = re.compile(r"[“”]")
_LONG_WORD = re.compile(r"\b[A-Za-z]{7,}\b")
_CYRILLIC = re.compile(r"[\u0400-\u04FF][\u0400-\u04FF0-9 .,:;!?()«»\"'-]*[\u0400-\u04FF.!?)»]")


class StructureMatcher:
    """Runs the structure fixers the loaded packs switch on."""

    def __init__(self, rules: Sequence[Rule], names: Sequence[NameEntry]) -> None:
        self._rules = list(rules)
        # Every one-word name or form, and what it is written as: a wrong form glued to
        # the next word comes out right when the words are split.
        self._names = {w: w for e in names for w in (e.canonical, e.surname) if w and " " not in w}
        self._names |= {k.find: k.replace for e in names for k in e.keys if " " not in k.find}

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]:
        """Edits for the fixers' findings that start in ``[start, stop)``."""
        stop = len(text) if stop is None else stop
        for rule in self._rules:
            fixer = _FIXER_FUNCTIONS[rule.fixer]
            for a, b, replacement, message in fixer(self, text, start, stop, dict(rule.options)):
                yield Edit(
                    a + base,
                    b + base,
                    text[a:b],
                    replacement,
                    rule.id,
                    rule.kind,
                    rule.safety,
                    rule.source,
                    0.9,
                    message,
                )

    # -- fixers: each yields (start, end, replacement, message) in text offsets --------
    def unbalanced_quotes(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[tuple[int, int, str, str]]:
        for m in _PARAGRAPH.finditer(text, _line_start(text, start)):
            if m.start() >= stop:
                break
            if m.start() < start:
                continue
            line = m.group()
            opening, closing = line.count("“"), line.count("”")
            straight = [q.start() for q in _STRAIGHT.finditer(line)]
            if len(straight) % 2:
                at = m.start() + straight[-1]
                yield at, at + 1, '"', "a quotation mark in this paragraph has no partner"
            elif opening != closing:
                mark = "“" if opening > closing else "”"
                at = m.start() + line.rfind(mark)
                yield at, at + 1, mark, "curly quotation marks in this paragraph do not pair up"

    def quote_style(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[tuple[int, int, str, str]]:
        style = options.get("style", "majority")
        if style == "majority":  # decided over the whole block the fixer sees
            straight, curly = text.count('"'), len(_CURLY.findall(text))
            style = "curly" if curly > straight else "straight"
        if style == "straight":
            for m in _CURLY.finditer(text, start, stop):
                yield m.start(), m.end(), '"', "one quote style per document: straight"
            return
        for m in _STRAIGHT.finditer(text, start, stop):
            opening = m.start() == 0 or text[m.start() - 1] in " \t\n([{—–-"
            mark = "“" if opening else "”"
            yield m.start(), m.end(), mark, "one quote style per document: curly"

    def glued_words(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[tuple[int, int, str, str]]:
        for m in _LONG_WORD.finditer(text, start, stop):
            word = m.group()
            if is_word(word) or word in self._names:
                continue
            split = self._split(word)
            if split:
                left, right = split
                fixed = self._names.get(left, left)
                message = f"'{left}' and '{right}' run together"
                yield m.start(), m.end(), f"{fixed} {right}", message

    def _split(self, word: str) -> tuple[str, str] | None:
        """Where both halves are known: a name or an English word on the left, a common
        English word on the right; a name on the left is preferred."""
        best: tuple[int, str, str] | None = None
        for i in range(2, len(word) - 1):
            left, right = word[:i], word[i:]
            if not is_common_word(right) or len(right) < 2:
                continue
            rank = 0 if left in self._names else 1 if is_common_word(left) and len(left) > 2 else 9
            if rank < 9 and (best is None or rank < best[0]):
                best = (rank, left, right)
        return None if best is None else (best[1], best[2])

    def foreign_fragments(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[tuple[int, int, str, str]]:
        remove = options.get("remove") == "true"
        for m in _CYRILLIC.finditer(text, start, stop):
            a, b = m.start(), m.end()
            if remove:
                while b < len(text) and text[b] in " \t":
                    b += 1
                yield a, b, "", "a Cyrillic fragment left in the English text"
            else:
                yield a, b, m.group(), "a Cyrillic fragment left in the English text"


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


Fixer = Callable[
    [StructureMatcher, str, int, int, dict[str, str]], Iterator[tuple[int, int, str, str]]
]
_FIXER_FUNCTIONS: dict[str, Fixer] = {
    "unbalanced-quotes": StructureMatcher.unbalanced_quotes,
    "quote-style": StructureMatcher.quote_style,
    "glued-words": StructureMatcher.glued_words,
    "foreign-fragments": StructureMatcher.foreign_fragments,
}

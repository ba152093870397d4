"""Russian forms of address that no pack knows: a given name and a patronymic.

"Jeyhun Azizovich mentioned" is how Russian speaks of a person politely; English uses a
title and the surname. Known people's address forms are literal forms of their name
entries; any other given-name + patronymic pair is flagged here as a suggestion, with a
proposal only when the same text names that person in full ("Farhad Ibragimovich" after
"Farhad Mammadov" becomes "Mr. Mammadov").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cleanup.edit import Edit, Finder, Kind, Safety
from cleanup.matchers.bytescan import automaton, find_hits
from cleanup.names.context import in_running_text

if TYPE_CHECKING:
    from cleanup.matchers.base import Shared
    from cleanup.names.index import NameIndex
    from cleanup.ruleset.model import RuleSet

# The checks, as their edits name them (shown as "names.address-form", "names.patronymic").
ADDRESS_FORM = "address-form"
PATRONYMIC = "patronymic"
_PATRONYMIC = re.compile(
    r"\b(?P<given>[A-Z][a-z]+) (?P<patronymic>[A-Z][a-z]+(?P<ending>ovich|evich|ovna|evna|ichna))\b"
)
_FEMININE = ("ovna", "evna", "ichna")
# What every patronymic ending ends with ("ovich", "evich"; "ovna", "evna"; "ichna").
_ENDING_TAILS = automaton(["vich", "vna", "ichna"])
_LONGEST_PAIR = 80  # characters: longer "words" are not names
_NEXT_WORD = re.compile(r"[A-Z][a-z]+\b")
_FOLLOWED_BY_NAME = re.compile(r" [A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
# Capitalised words that start a sentence or a phrase before a surname, not a given name.
_NOT_GIVEN_NAMES = frozenset(
    "The This That These Those A An And But Or Nor So Yet In On At By For With From To Of "
    "When While After Before If As Our Their His Her Its My Your Mr Mrs Ms Dear President "
    "Minister Premier General Colonel Secretary Ambassador Chairman Speaker Deputy".split()
)


class AddressMatcher:
    """Suggests the English form for unknown given-name + patronymic pairs."""

    def __init__(self, index: NameIndex) -> None:
        self._active = index.has_persons
        self._known = index.spellings
        self._surnames = index.surnames

    @classmethod
    def from_ruleset(cls, rules: RuleSet, shared: Shared) -> AddressMatcher:
        """Russian forms of address of the set's persons."""
        return cls(rules.index)

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]:
        """Suggestions for pairs that start in ``[start, stop)``."""
        if not self._active:
            return
        stop = len(text) if stop is None else stop
        pairs = []
        for m in _pairs(text, start, stop):
            given = m.group("given")
            if m.group() in self._known or m.group("patronymic") in self._surnames:
                continue  # a known name, or a surname that only looks like a patronymic
            if given in _NOT_GIVEN_NAMES:
                continue
            after = _FOLLOWED_BY_NAME.match(text, m.end())
            if after is None:
                pairs.append(m)
            elif in_running_text(text, m.start(), after.end()):
                # "President Vladimir Aleksandrovich Zelensky said": English news leaves
                # the patronymic out. A name card or an encyclopedia's first line keeps it.
                patronymic = m.group("patronymic")
                yield Edit(
                    m.start("patronymic") + base,
                    m.end() + 1 + base,
                    patronymic + " ",
                    "",
                    PATRONYMIC,
                    Kind.NAME,
                    Safety.AUTO,
                    "",
                    0.9,
                    f"Russian patronymic in a full name; news writes {given}{after.group()}",
                    Finder.ADDRESS,
                )
        if not pairs:
            return
        full_names = _full_names(text, start, {m.group("given") for m in pairs})
        for m in pairs:
            pair, given = m.group(), m.group("given")
            title = "Ms." if m.group("ending") in _FEMININE else "Mr."
            surnames = full_names.get(given, set()) - {m.group("patronymic")}
            surname = next(iter(surnames)) if len(surnames) == 1 else ""
            if surname:
                replacement = f"{title} {surname}"
                message = f"Russian form of address; the text names {given} {surname}"
            else:
                replacement = pair
                message = (
                    "Russian form of address (given name and patronymic): write the "
                    "person's title and surname"
                )
            yield Edit(
                m.start() + base,
                m.end() + base,
                pair,
                replacement,
                ADDRESS_FORM,
                Kind.NAME,
                Safety.SUGGEST,
                "",
                0.5,
                message,
                Finder.ADDRESS,
            )


def _pairs(text: str, start: int, stop: int) -> list[re.Match[str]]:
    """Given-name + patronymic pairs that start in ``[start, stop)``, in text order.

    Patronymic endings are rare in any text: they are found with a small automaton and
    only the words just before each are read with the full pattern.
    """
    found = []
    for _, _, end in find_hits(_ENDING_TAILS, text, start, min(len(text), stop + _LONGEST_PAIR)):
        if end < len(text) and text[end].isalnum():
            continue
        for m in _PATRONYMIC.finditer(text, max(0, end - _LONGEST_PAIR), end + 1):
            if m.end() == end and start <= m.start() < stop:
                found.append(m)
    return found


def _full_names(text: str, start: int, given_names: set[str]) -> dict[str, set[str]]:
    """The surnames the text gives these given names ("<Given> <Surname>") from ``start``
    on, in one scan."""
    found: dict[str, set[str]] = {}
    words = sorted(given_names)
    for index, a, b in find_hits(automaton([w + " " for w in words]), text, start):
        if a and text[a - 1].isalpha():
            continue
        m = _NEXT_WORD.match(text, b)
        if m:
            found.setdefault(words[index], set()).add(m.group())
    return found

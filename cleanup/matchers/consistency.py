"""Detectors that need no list: what one text says about names no pack knows.

- **One name, two spellings.** Capitalised words that no pack knows and that are no
  English words are grouped by a spelling skeleton that folds the differences Russian
  transliteration makes ("kh"/"h", "y"/"i", doubled letters): "Berdymukhammedov" and
  "Berdimuhamedov" are one name. Where a text spells one name two ways, the spellings in
  the minority are proposed (review) as the text's most English spelling.
- **Surname first.** Russian official lists put the surname first ("Orlova Svetlana",
  "Mokhovikov Igor"); a surname-shaped word followed by a common given name of the
  region, with no other name around the pair, becomes "Svetlana Orlova".
- **Names in quotes.** Russian puts the names of companies, clubs, channels and papers
  in quotation marks («Зенит», «Россия 24»); English does not. Quotes around nothing but
  a name of a body the packs know ("“Zenit”", "\"Komsomolskaya Pravda\"") are removed.
- **A name's capitals.** Russian writes only the first word of a name with a capital
  ("Государственная дума", "Чёрное море"), and machine translation keeps it: "the state
  Duma", "the Black sea". A place or body of the packs written with some of its capitals
  but not all is given them ("State Duma", "Black Sea"); text in capitals, or a name in
  lower case only, is left alone.
- **A Russian case ending on an unknown surname.** A word that is a surname-like word of
  the same text plus a Russian case ending ("Khambievym" beside "Khambiev") is put right;
  the endings that are also a woman's surname or an English-looking word ("-a", "-u",
  "-e") are only proposed.

A "text" is what the engine holds at once: the whole input up to 4 MB, else each block.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import regex

from cleanup.edit import Edit, Kind, Safety
from cleanup.english import is_word
from cleanup.matchers.bytescan import automaton, find_hits
from cleanup.names.context import LEADING_WORDS, given_names

if TYPE_CHECKING:
    from cleanup.matchers.base import Shared
    from cleanup.names.index import NameIndex
    from cleanup.ruleset.model import RuleSet

SPELLING_ID = "names.one-spelling"
ORDER_ID = "names.surname-first"
QUOTED_ID = "names.quoted-name"
CAPITALS_ID = "names.capitals"
ENDING_ID = "names.case-ending"
_BEFORE_WORD, _AFTER_WORD = r"(?<![\p{L}\p{N}'’-])", r"(?![\p{L}\p{N}]|['’-]\p{L})"
_WORD = regex.compile(_BEFORE_WORD + r"\p{Lu}\p{Ll}{3,}" + _AFTER_WORD)
# Endings that only a Russian case gives a surname: applied. The others are proposed.
_SURE_ENDINGS = ("ym", "om")
_UNSURE_ENDINGS = ("a", "u", "e")
_SURNAME = re.compile(r"(?:ov|ev|in|yn|an|yan|ian|shvili|dze|uk|ko)$")
_QUOTED = regex.compile(r"[\"“«„](?P<name>\p{Lu}[^\"“”«»„\n]{1,60}?)[\"”»“]")
# Russian adjectives in an oblique case: "Krasnokumskogo" is "Krasnokumsky".
_ADJECTIVE_CASES = ("skogo", "skomu")
# A surname-first pair: a surname-shaped word, then a given name (checked against the
# list), not inside a longer run of capitalised words.
_SURNAME_FIRST = regex.compile(
    r"(?<![\p{L}\p{N}'’-]|\p{Lu}\p{L}+ )"
    r"(?P<surname>\p{Lu}\p{Ll}+(?:ova|eva|ina|yna|skaya|ov|ev|in|yn|sky|skiy|enko|chuk|yan|ian))"
    r" (?P<given>\p{Lu}\p{Ll}+)(?![\p{L}\p{N}]| \p{Lu}|['’-]\p{L})"
)
_FOLDS = (
    (re.compile(r"kh"), "h"),
    (re.compile(r"dzh"), "j"),
    (re.compile(r"ts"), "c"),
    (re.compile(r"[yj](?=[aeiou])"), "y"),
    (re.compile(r"i?y|ii"), "i"),
    (re.compile(r"(.)\1"), r"\1"),
    (re.compile(r"e(?=[aou])"), "i"),
)
# Letters a Russian transliteration leaves, which an English spelling avoids.
_RUSSIAN_LOOKING = re.compile(r"kh|dzh|iy$|ii$|yy")


def skeleton(word: str) -> str:
    """The spelling of a name with transliteration differences folded away.

    >>> skeleton("Berdymukhammedov") == skeleton("Berdimuhamedov")
    True
    >>> skeleton("Shusha") == skeleton("Shushi")
    False
    """
    s = word.lower()
    for pattern, repl in _FOLDS:
        s = pattern.sub(repl, s)
    return s


class ConsistencyMatcher:
    """Spellings of one unknown name unified, and case endings on unknown surnames."""

    def __init__(self, index: NameIndex) -> None:
        names = index.entries
        self._known = index.name_words
        self._known_forms = index.forms.keys()
        self._active = bool(names)
        given = given_names() | index.first_names
        self._given = given
        self._given_names = automaton(sorted(" " + g for g in given))
        bodies = set(index.targets.get("organization", ()))
        # A club is named by its first word too: "Zenit St. Petersburg" is "Zenit".
        places = index.targets.get("place", frozenset())
        for body in list(bodies):
            first, _, rest = body.partition(" ")
            if rest in places and len(first) > 3 and not is_word(first):
                bodies.add(first)
        self._bodies = frozenset(bodies)
        # Names of places and bodies of more than one word with capitals to get right.
        capitalised = sorted(
            {
                e.canonical
                for e in names
                if e.category in {"place", "organization"}
                and " " in e.canonical
                and e.canonical.isascii()
                and any(w[:1].isupper() for w in e.canonical.split()[1:])
            }
        )
        self._capitalised = capitalised
        self._capitals = (
            automaton([c.lower() for c in capitalised], longest=True) if capitalised else None
        )
        # Words of places and bodies ("Kremlin Maria" is no reversed name).
        self._not_surnames = frozenset(
            w for e in names if e.category != "person" for w in e.canonical.split()
        )

    @classmethod
    def from_ruleset(cls, rules: RuleSet, shared: Shared) -> ConsistencyMatcher:
        """One name spelt two ways in a text, knowing the set's names."""
        return cls(rules.index)

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]:
        """Edits for words that start in ``[start, stop)``, judged on the whole text."""
        if not self._active:  # a rule set without names: nothing to read names by
            return
        stop = len(text) if stop is None else stop
        yield from self._surname_first(text, start, stop, base)
        yield from self._quoted_names(text, start, stop, base)
        yield from self._name_capitals(text, start, stop, base)
        counts = Counter(_WORD.findall(text))
        unknown = {w for w in counts if w not in self._known and not is_word(w)}
        if not unknown:
            return
        fixes = {**self._spellings(unknown, counts), **self._endings(text, unknown)}
        if not fixes:
            return
        for m in _words_among(fixes).finditer(text, start):
            if m.start() >= stop:
                break
            word = m.group()
            target, rule_id, safety, message = fixes[word]
            yield Edit(
                m.start() + base,
                m.end() + base,
                word,
                target,
                rule_id,
                Kind.NAME,
                safety,
                "",
                0.8 if safety is Safety.REVIEW else 0.9,
                message,
            )

    def _surname_first(self, text: str, start: int, stop: int, base: int) -> Iterator[Edit]:
        given = self._given
        # Given names are found with an automaton; only the word before each is read.
        for _, a, b in find_hits(self._given_names, text, start):
            i = a
            while i > 0 and text[i - 1].isalpha():
                i -= 1
            if i >= stop or i == a:
                continue
            m = _SURNAME_FIRST.match(text, i)
            if m is None or m.end() != b:
                continue
            surname, name = m.group("surname"), m.group("given")
            if name not in given or surname in given or surname in self._not_surnames:
                continue
            if is_word(surname):
                continue
            yield Edit(
                m.start() + base,
                m.end() + base,
                m.group(),
                f"{name} {surname}",
                ORDER_ID,
                Kind.NAME,
                Safety.AUTO,
                "",
                0.9,
                "surname first, as Russian official lists write names",
            )

    def _quoted_names(self, text: str, start: int, stop: int, base: int) -> Iterator[Edit]:
        if not self._bodies:
            return
        for m in _QUOTED.finditer(text, start):
            if m.start() >= stop:
                break
            name = m.group("name")
            if name not in self._bodies:
                continue
            a, found, replacement = m.start(), m.group(), name
            if _opens_quotation(text, m.start()):
                # '“Zenit” did not deserve a victory, ...”': the first quote opens the
                # quotation too (Russian nests „Зенит“ inside «...»); only the second goes.
                a, found, replacement = m.start() + 1, m.group()[1:], name
            yield Edit(
                a + base,
                m.end() + base,
                found,
                replacement,
                QUOTED_ID,
                Kind.NAME,
                Safety.AUTO,
                "",
                1.0,
                "Russian quotes around the name of a body; English writes the name alone",
            )

    def _name_capitals(self, text: str, start: int, stop: int, base: int) -> Iterator[Edit]:
        if self._capitals is None:
            return
        for index, a, b in find_hits(self._capitals, text, start, stop, lower=True):
            found, name = text[a:b], self._capitalised[index]
            if found == name or found.isupper() or found.islower() or found in self._known_forms:
                continue  # a house-style spelling ("Kerch strait") is a form of its own
            if text.startswith(("'s", "’s"), b):
                continue  # "the power of Siberia's rivers" is English, not a name
            if (a and text[a - 1].isalnum()) or (b < len(text) and text[b].isalnum()):
                continue
            # At least one word must already have the name's capital: "state Duma".
            pairs = list(zip(found.split(), name.split(), strict=False))
            if not any(f == n and n[:1].isupper() for f, n in pairs[1:] + pairs[:1]):
                continue
            yield Edit(
                a + base,
                b + base,
                found,
                name,
                CAPITALS_ID,
                Kind.NAME,
                Safety.AUTO,
                "",
                0.9,
                f"the capitals of the name {name}",
            )

    def _spellings(
        self, unknown: set[str], counts: Counter[str]
    ) -> dict[str, tuple[str, str, Safety, str]]:
        groups: dict[str, list[str]] = {}
        for word in unknown:
            if len(word) >= 5:
                groups.setdefault(skeleton(word), []).append(word)
        fixes = {}
        for spellings in groups.values():
            if len(spellings) < 2:
                continue
            best = max(spellings, key=lambda w: (_englishness(w), counts[w], -len(w), w))
            others = ", ".join(sorted(spellings))
            for word in spellings:
                if word != best:
                    message = f"one name spelt {len(spellings)} ways in this text ({others})"
                    fixes[word] = (best, SPELLING_ID, Safety.REVIEW, message)
        return fixes

    def _endings(self, text: str, unknown: set[str]) -> dict[str, tuple[str, str, Safety, str]]:
        fixes = {}
        for word in unknown:
            if word.endswith(_ADJECTIVE_CASES) and len(word) > 8:
                adjective = word[:-5] + "sky"
                message = f"Russian adjective in an oblique case; its plain form is {adjective}"
                fixes[word] = (adjective, ENDING_ID, Safety.AUTO, message)
                continue
            for ending in (*_SURE_ENDINGS, *_UNSURE_ENDINGS):
                base = word[: -len(ending)]
                if not word.endswith(ending) or base not in unknown or not _SURNAME.search(base):
                    continue
                if ending in _UNSURE_ENDINGS and _ever_after_a_name(text, word):
                    break  # "Aigul Japarova" beside "Sadyr Japarov": his wife
                safety = Safety.AUTO if ending in _SURE_ENDINGS else Safety.REVIEW
                message = f"Russian case ending -{ending} on {base}, which the text names"
                fixes[word] = (base, ENDING_ID, safety, message)
                break
        return fixes


# Capitalised words that stand before a name without being a given name: the words that
# open a sentence (as the literal matcher's guard reads them), prepositions, titles.
_LEADING = LEADING_WORDS | frozenset(
    "In On At By For With From To Of Mr Mrs Ms Minister President Governor General Deputy "
    "Head Chairman".split()
)


def _ever_after_a_name(text: str, word: str) -> bool:
    """Whether the word stands after someone's given name anywhere in the text."""
    i = text.find(word)
    while i >= 0:
        if _after_capitalised(text, i):
            return True
        i = text.find(word, i + 1)
    return False


def _after_capitalised(text: str, at: int) -> bool:
    """Whether a capitalised word (not a sentence opener or a title) stands just before."""
    j = at
    while j > 0 and text[j - 1] == " ":
        j -= 1
    if j == at:
        return False
    i = j
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "-'’"):
        i -= 1
    word = text[i:j]
    return word[:1].isupper() and word not in _LEADING


_QUOTE_MARKS = re.compile(r"[\"“”«»„]")


def _opens_quotation(text: str, at: int) -> bool:
    """Whether the quote at ``at`` is the first of its paragraph and the paragraph has an
    odd number of quote marks: then it opens a quotation as well as a quoted name."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : len(text) if end < 0 else end]
    marks = _QUOTE_MARKS.findall(line)
    return len(marks) % 2 == 1 and _QUOTE_MARKS.search(line).start() == at - start  # type: ignore[union-attr]


def _englishness(word: str) -> int:
    """Fewer marks of Russian transliteration is more English ("Hakari" over "Khakari")."""
    return -len(_RUSSIAN_LOOKING.findall(word.lower()))


def _words_among(words: Iterable[str]) -> regex.Pattern[str]:
    """A regex that finds just those matches of ``_WORD`` that are among ``words`` (each a
    match of it): the same places, as a match of ``_WORD`` is the whole capitalised word
    between its two boundaries, so its place alone says what it is."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    alternatives = "|".join(map(regex.escape, ordered))
    return regex.compile(f"{_BEFORE_WORD}(?:{alternatives}){_AFTER_WORD}")

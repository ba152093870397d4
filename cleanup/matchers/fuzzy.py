"""Near-misses of known names ("Gadrurt", "Pashinjan", "Zakharva"), proposed for review.

Capitalised words that are neither English words nor any known form are collected once
per block, each distinct word is compared (rapidfuzz) with every canonical name and
form that starts with the same letter, and only
the words that come close are looked up again to place their edits. Most blocks have
none, so the cost is one scan for capitalised words.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

import regex
from rapidfuzz import fuzz, process

from cleanup.edit import Edit, Finder, Kind, Safety
from cleanup.english import is_word
from cleanup.matchers.bytescan import automaton, encode, find_hits
from cleanup.names.context import take_given_name
from cleanup.names.forms import adds_ending

if TYPE_CHECKING:
    from cleanup.matchers.base import Shared
    from cleanup.names.index import NameIndex
    from cleanup.ruleset.model import NameEntry, RuleSet

# The `regex` package finds these a third faster than `re` over megabytes.
_CAPITALISED = regex.compile(rb"[A-Z][a-z]{3,}")  # over the block's shared UTF-8 bytes
MAX_REMEMBERED = 100_000  # distinct words whose verdict is kept between blocks
# Two entries within this many points of each other: the word is a guess between them.
AMBIGUITY_MARGIN = 2.0


class _Choice(NamedTuple):
    form: str  # the known form the word is compared with
    target: str  # what the word becomes
    entry: NameEntry
    source: str
    before: tuple[tuple[str, str], ...]  # wrong given names taken along (see LiteralKey)


class FuzzyMatcher:
    """Proposes review edits for words close to a known name or one of its forms."""

    def __init__(self, index: NameIndex, sources: dict[str, str]) -> None:
        self._known = index.words
        choices: dict[str, dict[str, _Choice]] = defaultdict(dict)
        names = index.entries
        for entry in names:
            if entry.fuzzy is None:
                continue
            words = [k for k in entry.keys if " " not in k.find]
            # A near-miss is compared with the name and its other spellings, not with the
            # name plus a Russian ending: those are most of the forms, and a word close to
            # one of them ("Hadrutskyi") is not the name itself.
            single = [(k.find, k.replace) for k in words if not adds_ending(k.note)]
            own = [entry.canonical] if " " not in entry.canonical else []
            own += [entry.surname] if entry.surname else []
            source = sources.get(entry.rule_id, "")
            before = next((k.before for k in entry.keys if k.before), ())
            for form, target in [*((name, name) for name in own), *single]:
                by_form = choices[form[0].lower()]
                if " " not in target and form not in by_form:
                    by_form[form] = _Choice(form, target, entry, source, before)
        # Blocks by first letter and length: a word can only reach a score of S against
        # forms whose length is within (100 - S)% or so of its own.
        self._choices: dict[tuple[str, int], list[_Choice]] = defaultdict(list)
        for letter, by_form in choices.items():
            for choice in by_form.values():
                self._choices[(letter, len(choice.form))].append(choice)
        scores = [e.fuzzy for e in names if e.fuzzy is not None]
        self._min_score = min(scores, default=100.0)
        self._seen: dict[str, tuple[_Choice, float] | None] = {}  # words already judged

    @classmethod
    def from_ruleset(cls, rules: RuleSet, shared: Shared) -> FuzzyMatcher:
        """Near-misses of the set's names."""
        return cls(rules.index, {r.id: r.source for r in rules.rules})

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]:
        """Review edits for near-misses that start in ``[start, stop)``."""
        if not self._choices:
            return
        stop = len(text) if stop is None else stop
        # Words that start in the block, whole.
        # Words that start after the block are judged here too (the verdicts are kept);
        # their edits come with the next block.
        best = self._closest({w.decode() for w in set(_CAPITALISED.findall(encode(text, start)))})
        if not best:
            return
        # The close words are placed with an automaton: a regex alternation of hundreds of
        # words is slow over megabytes.
        words = sorted(best)
        for index, a, b in find_hits(automaton(words, longest=True), text, start, stop):
            if (a > 0 and text[a - 1].isalpha()) or (b < len(text) and text[b].isalpha()):
                continue  # inside a longer word
            word = words[index]
            choice, score = best[word]
            found, replacement = word, choice.target
            if choice.before and choice.target == choice.entry.surname:
                a, found, replacement = take_given_name(text, a, found, replacement, choice.before)
            yield Edit(
                a + base,
                b + base,
                found,
                replacement,
                choice.entry.rule_id,
                Kind.FUZZY,
                Safety.REVIEW,
                choice.source,
                round(score / 100, 3),
                f"close to '{choice.form}' (score {score:.0f})",
                Finder.FUZZY,
            )

    def _closest(self, words: set[str]) -> dict[str, tuple[_Choice, float]]:
        """For each word, the known form it is close enough to, if exactly one; every
        verdict is remembered, so a word is looked at once in a run."""
        best: dict[str, tuple[_Choice, float]] = {}
        seen, known = self._seen, self._known
        for word in words:
            if word in seen:
                verdict = seen[word]
            else:
                if len(seen) > MAX_REMEMBERED:
                    seen.clear()
                # "the Pashinyans": an English ending on a known name is no near-miss.
                plain = word in known or (word.endswith("s") and word[:-1] in known)
                verdict = seen[word] = None if plain or is_word(word) else self._judge(word)
            if verdict is not None:
                best[word] = verdict
        return best

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one matcher lives for a whole run
    def _window(self, letter: str, size: int) -> tuple[list[_Choice], list[str]]:
        """Forms that a word of this first letter and length can come close to."""
        # ratio = 2M / (a + b) with M <= min(a, b): lengths further apart cannot reach it.
        spread = int(size * (100 - self._min_score) / self._min_score) + 1
        choices = [
            c
            for n in range(size - spread, size + spread + 1)
            for c in self._choices.get((letter, n), ())
        ]
        return choices, [c.form for c in choices]

    def _judge(self, word: str) -> tuple[_Choice, float] | None:
        choices, forms = self._window(word[0].lower(), len(word))
        if not choices:
            return None
        ranked = process.extract(
            word, forms, scorer=fuzz.ratio, limit=4, score_cutoff=self._min_score
        )
        if not ranked:
            return None
        _, score, index = ranked[0]
        choice = choices[index]
        if choice.entry.fuzzy is None or score < choice.entry.fuzzy:
            return None
        rivals = [
            i
            for _, s, i in ranked[1:]
            if s >= score - AMBIGUITY_MARGIN and choices[i].target != choice.target
        ]
        return None if rivals else (choice, float(score))

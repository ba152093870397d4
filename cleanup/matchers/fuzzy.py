"""Near-misses of known names ("Gadrurt", "Pashinjan", "Zakharva"), proposed for review.

Capitalised words that are neither English words nor any known form are collected once
per block, each distinct word is compared (rapidfuzz) with every canonical name and
form that starts with the same letter, and only
the words that come close are looked up again to place their edits. Most blocks have
none, so the cost is one scan for capitalised words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from cleanup.edit import Edit, Kind, Safety
from cleanup.english import is_word
from cleanup.matchers.literal import take_given_name
from cleanup.ruleset.model import NameEntry

_CAPITALISED = re.compile(r"[A-Z][a-z]{3,}")
MAX_WORD = 64
# Two entries within this many points of each other: the word is a guess between them.
AMBIGUITY_MARGIN = 2.0


@dataclass(frozen=True, slots=True)
class _Choice:
    form: str  # the known form the word is compared with
    target: str  # what the word becomes
    entry: NameEntry
    source: str


class FuzzyMatcher:
    """Proposes review edits for words close to a known name or one of its forms."""

    def __init__(self, names: Sequence[NameEntry], sources: dict[str, str]) -> None:
        self._known: set[str] = set()
        choices: dict[str, dict[str, _Choice]] = defaultdict(dict)
        for entry in names:
            self._known.update(entry.canonical.split())
            self._known.update(k.find for k in entry.keys if " " not in k.find)
            if entry.fuzzy is None:
                continue
            single = {entry.canonical: entry.canonical} if " " not in entry.canonical else {}
            if entry.surname:
                single[entry.surname] = entry.surname
            single.update((k.find, k.replace) for k in entry.keys if " " not in k.find)
            for form, target in single.items():
                if " " in target:
                    continue
                source = sources.get(entry.rule_id, "")
                choices[form[0].lower()].setdefault(form, _Choice(form, target, entry, source))
        self._choices = {letter: list(c.values()) for letter, c in choices.items()}

    def find(
        self, text: str, start: int = 0, stop: int | None = None, base: int = 0
    ) -> Iterator[Edit]:
        """Review edits for near-misses that start in ``[start, stop)``."""
        if not self._choices:
            return
        stop = len(text) if stop is None else stop
        segment = text[start : stop + MAX_WORD]  # a word that starts in the block, whole
        known = self._known
        unknown = {
            w
            for w in set(_CAPITALISED.findall(segment))
            # "the Pashinyans", "Lavrov's": English endings on a known name are not near-misses
            if w not in known and not (w.endswith("s") and w[:-1] in known) and not is_word(w)
        }
        best = self._closest(unknown)
        if not best:
            return
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(best))) + r")\b")
        for m in pattern.finditer(text, start):
            if m.start() >= stop:
                break
            choice, score = best[m.group()]
            a, found, replacement = m.start(), m.group(), choice.target
            before = next((k.before for k in choice.entry.keys if k.before), ())
            if before and choice.target == choice.entry.surname:
                a, found, replacement = take_given_name(text, a, found, replacement, before)
            yield Edit(
                a + base,
                m.end() + base,
                found,
                replacement,
                f"fuzzy.{choice.entry.rule_id}",
                Kind.FUZZY,
                Safety.REVIEW,
                choice.source,
                round(score / 100, 3),
                f"close to '{choice.form}' (score {score:.0f})",
            )

    def _closest(self, words: set[str]) -> dict[str, tuple[_Choice, float]]:
        """For each word, the known form it is close enough to, if exactly one."""
        by_letter: dict[str, list[str]] = defaultdict(list)
        for word in words:
            if word[0].lower() in self._choices:
                by_letter[word[0].lower()].append(word)
        best: dict[str, tuple[_Choice, float]] = {}
        for letter, group in by_letter.items():
            choices = self._choices[letter]
            forms = [c.form for c in choices]
            for word in group:
                ranked = process.extract(word, forms, scorer=fuzz.ratio, limit=4)
                _, score, index = ranked[0]
                choice = choices[index]
                if choice.entry.fuzzy is None or score < choice.entry.fuzzy:
                    continue
                rivals = [
                    i
                    for _, s, i in ranked[1:]
                    if s >= score - AMBIGUITY_MARGIN and choices[i].target != choice.target
                ]
                if not rivals:
                    best[word] = (choice, float(score))
        return best

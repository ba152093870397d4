"""Ordinary English words, so name matching never turns a real word into a name.

The list is pyspellchecker's English word-frequency dictionary (about 160,000 words with
their counts). Its rarest band (a count of 50) holds many proper nouns as well as rare
words, so "common" words are the ones counted above that band.
"""

from __future__ import annotations

import array
import bisect
import collections
import functools
import gzip
import json
import pkgutil
from collections.abc import Callable, Iterator, Mapping

RARE_COUNT = 50


class WordList:
    """The words in lower case, sorted, with their counts, looked up by bisection.

    It is kept in the rule-file cache as one string and one array of counts: read back,
    the string is split into the sorted words, which takes a quarter of the time that
    unpickling a dict of 160,000 words takes (and every run with names reads the list).
    """

    __slots__ = ("_counts", "_words")

    def __init__(self, counts: Mapping[str, int]) -> None:
        self._words = sorted(w for w in counts if "\n" not in w)  # no token holds one
        self._counts = array.array("Q", (counts[w] for w in self._words))

    def __reduce__(self) -> tuple[Callable[[str, bytes], WordList], tuple[str, bytes]]:
        return _word_list, ("\n".join(self._words), self._counts.tobytes())

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: str) -> bool:
        i = bisect.bisect_left(self._words, word)
        return i < len(self._words) and self._words[i] == word

    def get(self, word: str, default: int) -> int:
        """The count of ``word`` (in lower case), or ``default``."""
        i = bisect.bisect_left(self._words, word)
        if i < len(self._words) and self._words[i] == word:
            return self._counts[i]
        return default

    def items(self) -> Iterator[tuple[str, int]]:
        return zip(self._words, self._counts, strict=True)


def _word_list(words: str, counts: bytes) -> WordList:
    found = WordList.__new__(WordList)
    found._words = words.split("\n") if words else []
    found._counts = array.array("Q")
    found._counts.frombytes(counts)
    return found


@functools.cache
def _counts() -> WordList:
    try:  # the list as pyspellchecker ships it, read without building a SpellChecker
        data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    except OSError:
        data = None
    if data is None:
        from spellchecker import SpellChecker

        return WordList(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    # Kept in the cache of rule files: it loads in a small part of the time the JSON
    # takes to parse. (Imported here: the rule loader imports this module.)
    from cleanup.ruleset import cache

    return cache.remember(data, "english word counts", lambda: WordList(_parsed(data)), WordList)


def _parsed(data: bytes) -> dict[str, int]:
    """The counts of the gzipped JSON list, words that differ in case added up."""
    counts: dict[str, int] = json.loads(gzip.decompress(data).decode("utf-8"))
    words = "".join(counts)
    if words != words.lower():  # as pyspellchecker does: words differing in case add up
        lowered: collections.Counter[str] = collections.Counter()
        for word, count in counts.items():
            lowered[word.lower()] += count
        counts = dict(lowered)
    return counts


@functools.cache
def common_words() -> frozenset[str]:
    """The English words above the rarest band, in lower case (see ``is_common_word``)."""
    return frozenset(word for word, count in _counts().items() if count > RARE_COUNT)


def is_word(token: str) -> bool:
    """Whether ``token`` (any case) is in the English list at all.

    >>> is_word("Leaves"), is_word("Baku"), is_word("Pashinyan")
    (True, True, False)
    """
    return token.lower() in _counts()


def is_common_word(token: str) -> bool:
    """Whether ``token`` is an English word above the rarest band.

    >>> is_common_word("world"), is_common_word("Erevan")
    (True, False)
    """
    return _counts().get(token.lower(), 0) > RARE_COUNT


def word_count(token: str) -> int:
    """The word's count in the English list; unknown words count as the rarest.

    >>> word_count("the") > word_count("peacekeepers") > 0
    True
    """
    return _counts().get(token.lower(), RARE_COUNT)

"""Ordinary English words, so name matching never turns a real word into a name.

The list is pyspellchecker's English word-frequency dictionary (about 160,000 words with
their counts). Its rarest band (a count of 50) holds many proper nouns as well as rare
words, so "common" words are the ones counted above that band.
"""

from __future__ import annotations

import collections
import functools
import gzip
import json
import pkgutil

RARE_COUNT = 50


@functools.cache
def _counts() -> dict[str, int]:
    try:  # the list as pyspellchecker ships it, read without building a SpellChecker
        data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    except OSError:
        data = None
    if data is None:
        from spellchecker import SpellChecker

        return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    # Kept in the cache of rule files: a pickled dict loads in less than half the time
    # the JSON takes to parse, and every run with names reads the list. (Imported here:
    # the rule loader imports this module.)
    from cleanup.ruleset import cache

    return cache.remember(data, "english word counts", lambda: _parsed(data), dict)


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

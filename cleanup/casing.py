"""Carry the case shape of matched text over to its replacement (phrase fixes)."""

from __future__ import annotations


def preserve_case(matched: str, replacement: str) -> str:
    """Give ``replacement`` the case shape of ``matched``.

    All-capitals (two letters or more) stay all-capitals; a capital first letter stays
    capital; Title Case of several words stays Title Case; anything else keeps the
    replacement as written, so proper nouns inside it survive.

    >>> preserve_case("three-sided", "trilateral")
    'trilateral'
    >>> preserve_case("Three-sided", "trilateral")
    'Trilateral'
    >>> preserve_case("THREE-SIDED", "trilateral")
    'TRILATERAL'
    >>> preserve_case("Lasting World", "lasting peace")
    'Lasting Peace'
    >>> preserve_case("solar conflict", "Karabakh conflict")
    'Karabakh conflict'
    """
    if matched.islower() or not replacement:
        return replacement  # the common case, decided without looking at each letter
    letters = [c for c in matched if c.isalpha()]
    if not letters or not replacement:
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if not letters[0].isupper():
        return replacement
    words = matched.split()
    if len(words) > 1 and all(w[0].isupper() for w in words if w[0].isalpha()):
        return " ".join(_capitalize_first(w) for w in replacement.split(" "))
    return _capitalize_first(replacement)


def _capitalize_first(word: str) -> str:
    for i, c in enumerate(word):
        if c.isalpha():
            return word[:i] + c.upper() + word[i + 1 :]
    return word

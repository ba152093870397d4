"""Context checks for names: what stands around a form decides whether it is fixed, and
how ("Sergei Lavrova" is a case form of "Lavrov"; "Yelena Lavrova" is a woman's name).
"""

from __future__ import annotations

import enum
import functools
from importlib import resources

import regex

# Words that may stand before a surname in a case form without making it a woman's name.
TITLES = frozenset(
    "Mr Mr. Mrs Mrs. Ms Ms. Minister President Premier Secretary Ambassador Deputy "
    "Chairman Speaker General Colonel Prime Foreign Defense Defence Lieutenant".split()
)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@functools.cache
def given_names() -> frozenset[str]:
    """Given names common in Russia and its neighbours (cleanup/data/given-names.txt)."""
    text = resources.files("cleanup").joinpath("data/given-names.txt").read_text("utf-8")
    return frozenset(
        word for line in text.splitlines() if not line.startswith("#") for word in line.split()
    )


def in_running_text(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands inside prose: not alone on its line (a name
    card, a caption) and not opening a parenthesis (an encyclopedia's first line,
    "Sadyr Nurgozhoevich Japarov (born 1968)").

    >>> in_running_text("He met Ivan Ivanovich Petrov today.", 7, 27)
    True
    >>> in_running_text("Ivan Ivanovich Petrov (born 1960) is", 0, 21)
    False
    """
    if text.startswith(" (", end) or text.startswith("(", end):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return line.strip() != text[start:end]


_NEXT_NAME = regex.compile(r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?\b")


def namesakes(text: str, given: str, own: frozenset[str]) -> set[str]:
    """Other people the text names with this given name: "Vladimir Vladimirov" beside
    "Vladimir Vladimirovich" (Putin's form of address). Patronymics are not surnames."""
    found = set()
    probe = given + " "
    i = text.find(probe)
    while i >= 0:
        if not (i and _is_word(text[i - 1])):
            m = _NEXT_NAME.match(text, i + len(probe))
            surname = m.group() if m else ""
            if surname and surname not in own and not surname.endswith(("vich", "vna", "ichna")):
                found.add(f"{given} {surname}")
        i = text.find(probe, i + 1)
    return found


class Context(enum.Enum):
    """What stands before a guarded surname form."""

    OWN_NAME = "own"  # the person's own given name or a title: a case form for sure
    OTHER_NAME = "other"  # another capitalised name: a real surname of someone else
    UNKNOWN = "unknown"


# Capitalised words that open a sentence or clause, not someone's given name.
LEADING_WORDS = frozenset(
    "The This That These Those Then Now So But And Or Yet Also Here There Later Meanwhile "
    "However Moreover Therefore Thus Still Today Yesterday When While After Before If As "
    "According Dear Only Even Both Neither Either Since Because Although Though".split()
)
_WINDOW = 60  # characters before a form that its context is read from


def word_end_before(text: str, at: int) -> int:
    """Where the word before ``text[at]`` ends, if only whitespace (some) lies between;
    else -1."""
    j, low = at, max(0, at - _WINDOW)
    while j > low and text[j - 1].isspace():
        j -= 1
    return j if low < j < at else -1


def is_name_char(ch: str, extra: str = "'’-") -> bool:
    return ch.isalnum() or ch == "_" or ch in extra


def context_before(text: str, start: int, own: frozenset[str]) -> Context:
    """What stands before a guarded surname form: "Sergei Lavrova" is a case form of
    "Lavrov"; "Yelena Lavrova" is a woman's name; "according to Lavrova" cannot tell."""
    end = word_end_before(text, start)
    first, low = end, max(0, start - _WINDOW)
    while first > low and is_name_char(text[first - 1], ".'’-"):
        first -= 1
    if end < 0 or first == end:
        return Context.UNKNOWN
    word = text[first:end]
    if word in own:
        return Context.OWN_NAME
    if word[:1].isupper() and not word.endswith(".") and word not in LEADING_WORDS:
        return Context.OTHER_NAME  # "Yelena Lavrova"; not "Then Lavrova" at a sentence start
    return Context.UNKNOWN


def take_given_name(
    text: str, a: int, found: str, replacement: str, wrong: tuple[tuple[str, str], ...]
) -> tuple[int, str, str]:
    """Widen a surname fix over a wrong given name just before it ("Nikola Pashinian"), or
    a given name and patronymic ("Nikol Vovaevich Pashinian").

    Two words before the surname are tried before one; given names hold no full stop
    ("Novosti.Dzheikhun" still has "Dzheikhun" before the surname).
    """
    end = word_end_before(text, a)
    if end < 0:
        return a, found, replacement
    for spaces in (1, 0):
        for given, right in wrong:
            start = end - len(given)
            if (
                given.count(" ") == spaces
                and start >= max(0, a - _WINDOW)
                and text.startswith(given, start, end)
                and not (start and is_name_char(text[start - 1]))
            ):
                return start, text[start:a] + found, right + text[end:a] + replacement
    return a, found, replacement

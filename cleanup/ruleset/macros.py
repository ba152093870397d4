"""Macros in regex rules: ``{{surname}}`` stands for any surname of the loaded packs. The
loader checks them and the pattern matcher expands them; neither needs the other."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

import regex

MACROS = {"surname": "the surnames of every person in the loaded packs, and their variants"}
_MACRO = re.compile(r"\{\{(\w+)\}\}")
# What {{surname}} matches in the regex itself: one whole capitalised word (hyphenated
# parts and apostrophes included), or one of the surnames that start with a small letter
# ("al-Assad"); whether the word is a surname is checked on each match, since an
# alternation of tens of thousands of names makes the regex engine crawl.
SURNAME_WORD = r"(?>\p{Lu}[\p{L}\p{M}'’]*(?:-[\p{L}][\p{L}\p{M}'’]*)*{small})"
MACRO_GROUP = "cleanup_macro_"  # the prefix of the groups that capture macro words


def expand_macros(expr: str, *, capture: bool = False, small: Iterable[str] = ()) -> str:
    """Replace each ``{{macro}}`` in a regex with the word it stands for: an atomic group,
    or with ``capture`` a named group (``cleanup_macro_<name>_<n>``) so each match's
    words can be checked. ``small``: the surnames that start with a small letter.

    >>> expand_macros("the (?={{surname}} said)").startswith("the (?=(?>")
    True
    >>> expand_macros("{{surname}}", capture=True).startswith("(?P<cleanup_macro_surname_0>")
    True
    """
    count = itertools.count()
    others = "".join("|" + regex.escape(s) for s in sorted(small, key=lambda s: (-len(s), s)))
    word = SURNAME_WORD.replace("{small}", others)

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in MACROS:
            known = ", ".join("{{" + k + "}}" for k in MACROS)
            msg = f"unknown macro {{{{{name}}}}} (known: {known})"
            raise ValueError(msg)
        if in_negative_lookaround(expr, m.start()):
            msg = f"{{{{{name}}}}} cannot stand in a negative lookahead or lookbehind"
            raise ValueError(msg)
        return f"(?P<{MACRO_GROUP}{name}_{next(count)}>{word})" if capture else word

    return _MACRO.sub(one, expr)


def in_negative_lookaround(expr: str, at: int) -> bool:
    """Whether position ``at`` of a regex is inside ``(?!...)`` or ``(?<!...)``.

    >>> in_negative_lookaround(r"a(?!b(c)x)", 6), in_negative_lookaround(r"(?<=[(?!])x", 10)
    (True, False)
    """
    groups: list[bool] = []  # for each open group: whether it is a negative lookaround
    i = 0
    while i < at:
        ch = expr[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a character class: brackets inside it open no group
            # a ']' first in the class (after '^') is a literal one
            i += 3 if expr.startswith("[^]", i) else 2 if expr.startswith("[]", i) else 1
            while i < at and expr[i] != "]":
                i += 2 if expr[i] == "\\" else 1
        elif ch == "(":
            groups.append(expr.startswith(("(?!", "(?<!"), i))
        elif ch == ")" and groups:
            groups.pop()
        i += 1
    return any(groups)

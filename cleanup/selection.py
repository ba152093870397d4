"""Rule ids and packs named on the command line (--select, --ignore, --accept, --reject):
comma lists split, and every id checked against the loaded rules, so that a typo is an
error with a suggestion rather than a run that silently does something else.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from cleanup.errors import CleanupError

# Findings made without a pack rule have ids of their own (near-misses of a name,
# LanguageTool matches, the name detectors); selectors for them are not checked.
DYNAMIC_PREFIXES = ("fuzzy", "languagetool", "names")


def split_ids(values: Iterable[str]) -> tuple[str, ...]:
    """Repeated options and comma lists, as one tuple, blanks dropped.

    >>> split_ids(["calques,names.lavrov", " quotes "])
    ('calques', 'names.lavrov', 'quotes')
    """
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


class IdRecorder:
    """A ``keep`` function for ``load_rules`` that also notes every id it is asked about,
    so that selectors can be checked against rules the selection leaves out."""

    def __init__(self, keep: Callable[[str], bool] | None = None) -> None:
        self.ids: set[str] = set()
        self._keep = keep

    def __call__(self, rule_id: str) -> bool:
        self.ids.add(rule_id)
        return self._keep(rule_id) if self._keep is not None else True


def check_ids(option: str, selectors: Iterable[str], ids: Iterable[str]) -> None:
    """Raise for the first selector that names no rule id or pack of ``ids``.

    >>> check_ids("--ignore", ["calques"], ["calques.solar-conflict"])
    >>> try:
    ...     check_ids("--ignore", ["calqes"], ["calques.solar-conflict"])
    ... except CleanupError as exc:
    ...     print(exc)
    --ignore calqes: no loaded rule has that id or pack; did you mean 'calques'?
    """
    selectors = list(selectors)
    if not selectors:
        return  # nothing to check: the ids (thousands of them) are not read
    known = set(ids)
    prefixes = _prefixes(known)
    for selector in selectors:
        bare = selector.rstrip(".:")
        if bare in known or bare in prefixes:
            continue
        if bare.split(".", 1)[0].split(":", 1)[0] in DYNAMIC_PREFIXES:
            continue
        close = difflib.get_close_matches(bare, sorted(known | prefixes), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        msg = f"{option} {selector}: no loaded rule has that id or pack{hint}"
        raise CleanupError(msg)


def _prefixes(ids: Iterable[str]) -> set[str]:
    """Every pack and dotted prefix of the ids ("a.b.c" gives "a" and "a.b")."""
    out: set[str] = set()
    for rule_id in ids:
        parts = rule_id.replace(":", ".").split(".")
        for i in range(1, len(parts)):
            out.add(".".join(parts[:i]))
    return out

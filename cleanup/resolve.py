"""Settle overlapping edits: keep a consistent set, and say why each other one was dropped."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from cleanup.edit import Edit


@dataclass(frozen=True, slots=True)
class Dropped:
    """An edit that lost to another one over the same text."""

    edit: Edit
    reason: str


def priority(edit: Edit) -> tuple[int, int, float, int, str]:
    """Sort key: the edit that wins comes first.

    The edit that covers more text wins (it saw more context, e.g. a pattern that moves a
    title and writes the name canonically beats the bare name fix inside it); then the
    safer one; then higher confidence; then the earlier start; then the rule id.
    """
    return (-(edit.end - edit.start), edit.safety.rank, -edit.confidence, edit.start, edit.rule_id)


def overlaps(a: Edit, b: Edit) -> bool:
    """Whether two edits touch the same text (two insertions at one point do too).

    >>> from cleanup.edit import Kind, Safety
    >>> e = lambda s, t: Edit(s, t, "", "", "r", Kind.PHRASE, Safety.AUTO)
    >>> overlaps(e(0, 3), e(3, 5)), overlaps(e(0, 3), e(2, 5)), overlaps(e(3, 3), e(3, 3))
    (False, True, True)
    """
    if a.start == a.end or b.start == b.end:
        return a.start == b.start or a.start < b.start < a.end or b.start < a.start < b.end
    return a.start < b.end and b.start < a.end


def resolve(edits: Iterable[Edit]) -> tuple[list[Edit], list[Dropped]]:
    """Keep the best edits that do not overlap; return them sorted by position."""
    edits = list(edits)
    if not edits:
        return [], []
    by_position = sorted(edits, key=lambda e: (e.start, e.end))
    if not any(overlaps(a, b) for a, b in itertools.pairwise(by_position)):
        return by_position, []  # the usual case: nothing to settle
    kept: list[Edit] = []  # sorted by start
    starts: list[int] = []
    dropped: list[Dropped] = []
    for edit in sorted(edits, key=priority):
        i = bisect.bisect_left(starts, edit.start)
        # Longer edits are placed first, so at most the neighbours on each side can overlap.
        rival = next((k for k in kept[max(0, i - 1) : i + 2] if overlaps(k, edit)), None)
        if rival is None:
            kept.insert(i, edit)
            starts.insert(i, edit.start)
        else:
            reason = (
                f"overlaps '{rival.rule_id}' "
                f"({_short(rival.original)!r} -> {_short(rival.replacement)!r})"
            )
            dropped.append(Dropped(edit, reason))
    return kept, sorted(dropped, key=lambda d: d.edit.start)


def _short(text: str, limit: int = 60) -> str:
    """A long text cut in the middle, for messages.

    >>> _short("x" * 100, 10)
    'xxxxx…xxxx'
    """
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + "…" + text[-(limit - half - 1) :]

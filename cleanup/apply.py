"""Splice resolved edits into the text: the only place text is changed."""

from __future__ import annotations

from collections.abc import Sequence

from cleanup.edit import Edit


def apply_edits(
    text: str, edits: Sequence[Edit], start: int = 0, stop: int | None = None, base: int = 0
) -> str:
    """``text[start:stop]`` with ``edits`` (sorted, not overlapping, inside that span) applied.

    Edit offsets count from ``base``: the position of ``text[0]`` in the whole input.

    >>> from cleanup.edit import Kind, Safety
    >>> e = Edit(4, 9, "world", "peace", "r", Kind.PHRASE, Safety.AUTO)
    >>> apply_edits("the world.", [e])
    'the peace.'
    >>> apply_edits("world.", [e], base=4)
    'peace.'
    """
    stop = len(text) if stop is None else stop
    parts: list[str] = []
    add = parts.append
    pos = start
    for edit in edits:
        a, b = edit.start - base, edit.end - base
        if a < pos or b > stop:
            msg = f"edit {edit.rule_id} at {edit.start} overlaps another or leaves the span"
            raise ValueError(msg)
        original = edit.original  # compared in place: no copy of the text it replaces
        if b - a != len(original) or not text.startswith(original, a):
            msg = f"stale edit {edit.rule_id} at {edit.start}: the text there has changed"
            raise ValueError(msg)
        add(text[pos:a])
        add(edit.replacement)
        pos = b
    add(text[pos:stop])
    return "".join(parts)

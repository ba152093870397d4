"""Splice resolved edits into the text: the only place text is changed."""

from __future__ import annotations

from collections.abc import Sequence

from cleanup.edit import Edit


def apply_edits(text: str, edits: Sequence[Edit], start: int = 0, stop: int | None = None) -> str:
    """``text[start:stop]`` with ``edits`` (sorted, not overlapping, inside that span) applied.

    >>> from cleanup.edit import Kind, Safety
    >>> e = Edit(4, 9, "world", "peace", "r", Kind.PHRASE, Safety.AUTO)
    >>> apply_edits("the world.", [e])
    'the peace.'
    """
    stop = len(text) if stop is None else stop
    parts: list[str] = []
    pos = start
    for edit in edits:
        if edit.start < pos or edit.end > stop:
            msg = f"edit {edit.rule_id} at {edit.start} overlaps another or leaves the span"
            raise ValueError(msg)
        if text[edit.start : edit.end] != edit.original:
            msg = f"stale edit {edit.rule_id} at {edit.start}: the text there has changed"
            raise ValueError(msg)
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:stop])
    return "".join(parts)

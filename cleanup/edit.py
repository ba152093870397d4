"""The one type that flows through the pipeline: a proposed change to the original text."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Safety(enum.Enum):
    """How far an edit may go without a person saying yes."""

    AUTO = "auto"  # applied by `cleanup fix`
    REVIEW = "review"  # applied only with --accept-review or when accepted in review
    SUGGEST = "suggest"  # shown, never applied automatically

    @property
    def rank(self) -> int:
        """Lower is safer; used to order edits when they compete."""
        return _SAFETY_RANK[self]


_SAFETY_RANK = {Safety.AUTO: 0, Safety.REVIEW: 1, Safety.SUGGEST: 2}


class Kind(enum.Enum):
    """What sort of finder proposed an edit."""

    NAME = "name"
    PHRASE = "phrase"
    PATTERN = "pattern"
    REMOVAL = "removal"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``original`` at ``[start, end)`` of the original text with ``replacement``.

    Offsets are ``str`` indices into the original text, half-open; ``start == end`` is an
    insertion. ``source`` is the rule's ``file:line``.
    """

    start: int
    end: int
    original: str
    replacement: str
    rule_id: str
    kind: Kind
    safety: Safety
    source: str = ""
    confidence: float = 1.0
    message: str = ""

    def shifted(self, offset: int) -> Edit:
        """The same edit with offsets moved by ``offset`` (blocks to whole-file offsets)."""
        return _replace_span(self, self.start + offset, self.end + offset)


def _replace_span(edit: Edit, start: int, end: int) -> Edit:
    return Edit(
        start,
        end,
        edit.original,
        edit.replacement,
        edit.rule_id,
        edit.kind,
        edit.safety,
        edit.source,
        edit.confidence,
        edit.message,
    )

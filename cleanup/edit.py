"""The one type that flows through the pipeline: a proposed change to the original text."""

from __future__ import annotations

import enum
from typing import NamedTuple


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
    FUZZY = "fuzzy"
    STRUCTURE = "structure"
    GRAMMAR = "grammar"


class Edit(NamedTuple):
    """Replace ``original`` at ``[start, end)`` of the original text with ``replacement``.

    Offsets are ``str`` indices into the original text, half-open; ``start == end`` is an
    insertion. ``source`` is the rule's ``file:line``. A named tuple rather than a frozen
    dataclass: a dense text makes hundreds of thousands of these, and a tuple is several
    times cheaper to create.
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

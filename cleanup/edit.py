"""The one type that flows through the pipeline: a proposed change to the original text."""

from __future__ import annotations

import enum
from typing import NamedTuple


class IdentityEnum(enum.Enum):
    """An enum whose members hash as the one object each of them is. ``enum.Enum``
    hashes a member's name in Python code; edits and their counts hash theirs by the
    million in a large run."""

    __hash__ = object.__hash__


class Safety(IdentityEnum):
    """How far an edit may go without a person saying yes."""

    AUTO = "auto"  # applied by `cleanup fix`
    REVIEW = "review"  # applied only with --accept-review or when accepted in review
    SUGGEST = "suggest"  # shown, never applied automatically

    @property
    def rank(self) -> int:
        """Lower is safer; used to order edits when they compete."""
        return _SAFETY_RANK[self]


_SAFETY_RANK = {Safety.AUTO: 0, Safety.REVIEW: 1, Safety.SUGGEST: 2}


class Kind(IdentityEnum):
    """What sort of finder proposed an edit."""

    NAME = "name"
    PHRASE = "phrase"
    PATTERN = "pattern"
    REMOVAL = "removal"
    FUZZY = "fuzzy"
    STRUCTURE = "structure"
    GRAMMAR = "grammar"


class Finder(IdentityEnum):
    """Which matcher found an edit, where that is more than the rule's own forms: it
    decides the id the edit is shown with (``Edit.rule_id``)."""

    RULE = "rule"  # the rule's own forms, pattern or check: shown as the rule's id
    FUZZY = "fuzzy"  # a near-miss of a name rule's forms: "fuzzy." + the rule's id
    # A Russian form of address that no pack knows; ``rule`` names the check
    # ("address-form", "patronymic"): "names." + it.
    ADDRESS = "address"


class Edit(NamedTuple):
    """Replace ``original`` at ``[start, end)`` of the original text with ``replacement``.

    Offsets are ``str`` indices into the original text, half-open; ``start == end`` is an
    insertion. ``rule`` is the id of the rule the edit comes from and ``source`` its
    ``file:line``; ``finder`` says which matcher found it. A named tuple rather than a
    frozen dataclass: a dense text makes hundreds of thousands of these, and a tuple is
    several times cheaper to create.
    """

    start: int
    end: int
    original: str
    replacement: str
    rule: str
    kind: Kind
    safety: Safety
    source: str = ""
    confidence: float = 1.0
    message: str = ""
    finder: Finder = Finder.RULE

    @property
    def rule_id(self) -> str:
        """The id outputs show (diffs, JSON, SARIF, the report, the summary) and
        ``--select``/``--ignore`` and review decisions name: the rule's id, marked by
        the finder.

        >>> near = Edit(0, 7, "Gadrurt", "Hadrut", "p.hadrut", Kind.FUZZY, Safety.REVIEW)
        >>> near.rule_id, near._replace(finder=Finder.FUZZY).rule_id
        ('p.hadrut', 'fuzzy.p.hadrut')
        """
        finder = self.finder
        if finder is Finder.RULE:
            return self.rule
        return _SHOWN_PREFIX[finder] + self.rule


_SHOWN_PREFIX = {Finder.FUZZY: "fuzzy.", Finder.ADDRESS: "names."}

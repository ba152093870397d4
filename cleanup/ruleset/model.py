"""Rules as frozen data: what the loader produces and the matchers compile."""

from __future__ import annotations

import enum
import hashlib
import pickle
from dataclasses import dataclass, field, replace

from cleanup.edit import Kind, Safety
from cleanup.names.index import NameIndex, build_index
from cleanup.records import quick_unpickle


class CaseMode(enum.Enum):
    """How a literal key matches and how its replacement takes the matched case."""

    PRESERVE = "preserve"  # match in any case; replacement follows the matched case shape
    EXACT = "exact"  # match as written (or in all capitals); replacement as written


@quick_unpickle
@dataclass(frozen=True, slots=True)
class LiteralKey:
    """One literal form to find and what replaces it."""

    find: str
    replace: str
    case: CaseMode
    source: str  # file:line of the form in the rule file
    note: str = ""  # how a generated form was made; empty for listed forms
    # Leave the form alone after a capitalised word outside this set (see cleanup.names.context).
    guard: frozenset[str] | None = None
    # Wrong given names taken along, with their right form, when they stand just before.
    before: tuple[tuple[str, str], ...] = ()
    # A house-style spelling (one that reputable English outlets use): fixed only where
    # the same text also spells the name another way (see cleanup.matchers.literal).
    house: bool = False
    # A known person's form of address (given name + patronymic): applied only where the
    # text names no one else with that given name (see cleanup.matchers.literal).
    address: bool = False

    @property
    def generated(self) -> bool:
        """Whether the form was made by the tool rather than listed in the pack."""
        return bool(self.note)


@quick_unpickle
@dataclass(frozen=True, slots=True)
class Example:
    """A rule's own test: ``before`` must become ``after`` (equal means: left alone)."""

    before: str
    after: str
    source: str
    flagged: bool = False  # a finding is shown, and the text stays as it is


@quick_unpickle
@dataclass(frozen=True, slots=True)
class Rule:
    """What every rule of a pack has. Each kind is a record of its own below, with only
    the fields it uses: ``LiteralRule`` (literal removals), ``PhraseRule``, ``NameRule``,
    ``PatternRule`` (patterns and regex removals) and ``StructureRule``."""

    id: str
    kind: Kind
    safety: Safety
    source: str
    why: str = ""
    examples: tuple[Example, ...] = ()
    # Texts in which the rule never fires: an edit inside one of them is not made.
    exceptions: tuple[str, ...] = ()
    overrides: str = ""  # id of a rule whose forms this one takes over


@quick_unpickle
@dataclass(frozen=True, slots=True, kw_only=True)
class LiteralRule(Rule):
    """A rule of literal forms, each with its fix (a literal removal's fix is nothing)."""

    keys: tuple[LiteralKey, ...] = ()


@quick_unpickle
@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseRule(LiteralRule):
    """A phrase: its forms, and the replacement and case mode they were listed with."""

    replace: str
    case: CaseMode = CaseMode.PRESERVE


@quick_unpickle
@dataclass(frozen=True, slots=True, kw_only=True)
class NameRule(LiteralRule):
    """A name entry's listed and generated forms (the name itself is its ``NameEntry``)."""


@quick_unpickle
@dataclass(frozen=True, slots=True, kw_only=True)
class PatternRule(Rule):
    """A regex and its replacement (a regex removal's replacement is empty)."""

    regex: str
    replace: str = ""
    case: CaseMode = CaseMode.EXACT


@quick_unpickle
@dataclass(frozen=True, slots=True, kw_only=True)
class StructureRule(Rule):
    """A structure fixer in code (cleanup.matchers.structure), with its options."""

    fixer: str
    options: tuple[tuple[str, str], ...] = ()


def keys_of(rule: Rule) -> tuple[LiteralKey, ...]:
    """A rule's literal forms; none for a rule of another kind.

    >>> keys_of(PatternRule("p.r", Kind.PATTERN, Safety.REVIEW, "p.yaml:1", regex="a"))
    ()
    """
    return rule.keys if isinstance(rule, LiteralRule) else ()


@quick_unpickle
@dataclass(frozen=True, slots=True)
class NameEntry:
    """A canonical name, kept beside its rule for name-aware patterns (``{surname}``)."""

    rule_id: str
    canonical: str
    category: str  # person, place, organization, other
    surname: str = ""
    keys: tuple[LiteralKey, ...] = ()  # every wrong form of the entry, and its fix
    fuzzy: float | None = None  # score (0-100) a near-miss needs to be proposed; None: off
    # Every form generation made for the entry, kept or not, in order (what it does not
    # use is listed, with the reason, in the rule set's name index).
    made: tuple[str, ...] = ()

    def as_rule(self) -> NameRule:
        """The entry's forms as an automatic name rule (for writing names right in patterns)."""
        return NameRule(self.rule_id, Kind.NAME, Safety.AUTO, "", keys=self.keys)


@quick_unpickle
@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every rule loaded for a run, in load order."""

    rules: tuple[Rule, ...] = ()
    names: tuple[NameEntry, ...] = ()
    files: tuple[str, ...] = field(default=())
    # LanguageTool categories and rule ids the packs make review edits, or hide.
    grammar_review: frozenset[str] = frozenset()
    grammar_ignore: frozenset[str] = frozenset()
    # The index of ``names``, built once, when the set is made (cleanup.names.index).
    index: NameIndex = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.index is None:
            object.__setattr__(self, "index", build_index(self.names))

    def token(self) -> str:
        """A name for the set, a hash of its pickle: any change to the set changes it.
        Equal sets need not share it (a set read from the pack cache pickles in another
        order than one just compiled), so a worker is given the name made where the set
        was loaded, with the set."""
        return hashlib.sha256(pickle.dumps(self, protocol=4)).hexdigest()

    def __dask_tokenize__(self) -> str:
        # Dask names data by walking it: thousands of rules and names take it seconds (a
        # data set's name is made each time it is sent), a hash of the pickle hundredths.
        return self.token()

    def by_id(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError when there is none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def only(self, rule_ids: frozenset[str]) -> RuleSet:
        """The same set restricted to some rules; names (and their index) stay for name-aware
        patterns."""
        return replace(self, rules=tuple(r for r in self.rules if r.id in rule_ids))

    def merged(self, other: RuleSet) -> RuleSet:
        """This set followed by ``other``."""
        return RuleSet(
            self.rules + other.rules,
            self.names + other.names,
            self.files + other.files,
            self.grammar_review | other.grammar_review,
            self.grammar_ignore | other.grammar_ignore,
        )

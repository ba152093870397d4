"""Rules: the data model and the YAML loader."""

from cleanup.ruleset.load import builtin_pack_paths, find_clashes, load_rules
from cleanup.ruleset.model import (
    CaseMode,
    Example,
    LiteralKey,
    LiteralRule,
    NameEntry,
    NameRule,
    PatternRule,
    PhraseRule,
    Rule,
    RuleSet,
    StructureRule,
    keys_of,
)

__all__ = [
    "CaseMode",
    "Example",
    "LiteralKey",
    "LiteralRule",
    "NameEntry",
    "NameRule",
    "PatternRule",
    "PhraseRule",
    "Rule",
    "RuleSet",
    "StructureRule",
    "builtin_pack_paths",
    "find_clashes",
    "keys_of",
    "load_rules",
]

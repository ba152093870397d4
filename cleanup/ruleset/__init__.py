"""Rules: the data model and the YAML loader."""

from cleanup.ruleset.load import builtin_pack_paths, find_clashes, load_rules
from cleanup.ruleset.model import CaseMode, Example, LiteralKey, NameEntry, Rule, RuleSet

__all__ = [
    "CaseMode",
    "Example",
    "LiteralKey",
    "NameEntry",
    "Rule",
    "RuleSet",
    "builtin_pack_paths",
    "find_clashes",
    "load_rules",
]

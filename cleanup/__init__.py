"""cleanup: rule packs that turn English machine translations of Russian news into
clean text, with every change reviewable.

>>> from cleanup import Engine, load_rules, builtin_pack_paths
>>> engine = Engine(load_rules(builtin_pack_paths()))
>>> engine.fix_text("The three-sided statement on the solar conflict.").text
'The trilateral statement on the Karabakh conflict.'
"""

from cleanup.apply import apply_edits
from cleanup.edit import Edit, Kind, Safety
from cleanup.engine import Engine, Finding, FixOptions, FixResult, Status
from cleanup.errors import CleanupError, InputError, RuleError
from cleanup.resolve import resolve
from cleanup.ruleset import builtin_pack_paths, load_rules

__all__ = [
    "CleanupError",
    "Edit",
    "Engine",
    "Finding",
    "FixOptions",
    "FixResult",
    "InputError",
    "Kind",
    "RuleError",
    "Safety",
    "Status",
    "apply_edits",
    "builtin_pack_paths",
    "load_rules",
    "resolve",
]

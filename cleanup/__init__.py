"""cleanup: rule packs that turn English machine translations of Russian news into
clean text, with every change reviewable.

>>> from cleanup import Engine, load_rules, builtin_pack_paths
>>> engine = Engine(load_rules(builtin_pack_paths()))
>>> engine.fix_text("The three-sided statement on the solar conflict.").text
'The trilateral statement on the Karabakh conflict.'

The names below are imported when first used, so that importing the package (as the
``cleanup`` command does first) is quick: a Ctrl-C at start-up then lands where the
command can answer it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cleanup._version import __version__ as __version__

# A name that is also a module's: bound now, as importing the module later (the engine
# does) would set the package's attribute to the module instead.
from cleanup.resolve import resolve

if TYPE_CHECKING:
    from cleanup.apply import apply_edits
    from cleanup.edit import Edit, Kind, Safety
    from cleanup.engine import Engine, Finding, FixOptions, FixResult, Status
    from cleanup.errors import CleanupError, InputError, RuleError
    from cleanup.ruleset import builtin_pack_paths, load_rules

_HOME = {
    "apply_edits": "cleanup.apply",
    "Edit": "cleanup.edit",
    "Kind": "cleanup.edit",
    "Safety": "cleanup.edit",
    "Engine": "cleanup.engine",
    "Finding": "cleanup.engine",
    "FixOptions": "cleanup.engine",
    "FixResult": "cleanup.engine",
    "Status": "cleanup.engine",
    "CleanupError": "cleanup.errors",
    "InputError": "cleanup.errors",
    "RuleError": "cleanup.errors",
    "builtin_pack_paths": "cleanup.ruleset",
    "load_rules": "cleanup.ruleset",
}

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'cleanup' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value

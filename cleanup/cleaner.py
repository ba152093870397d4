"""The engine as a map function for data frameworks: a ``Cleaner`` is a small picklable
callable that carries the rules (not the compiled engine) and compiles them once in each
process that runs it, so the same object works as a Dask, Spark, Ray or Hugging Face map
function (see docs/scale.md).

>>> from cleanup import builtin_pack_paths, load_rules
>>> clean = Cleaner(load_rules(builtin_pack_paths()))
>>> clean("The three-sided statement.")
'The trilateral statement.'
>>> clean.batch(["The solar conflict.", "Nothing here."])
['The Karabakh conflict.', 'Nothing here.']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cleanup.engine import Engine, FixOptions
from cleanup.ruleset.model import RuleSet

# Compiled engines of this process, by the content of their rules.
_ENGINES: dict[str, Engine] = {}


def engine_for(rules: RuleSet, token: str | None = None) -> Engine:
    """The compiled engine of ``rules`` in this process, compiled on first use."""
    key = token or rules.token()
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = Engine(rules, check=False)
    return engine


class Cleaner:
    """Cleans texts with a rule set: ``cleaner(text)``, ``cleaner.batch(texts)``,
    ``cleaner.records(rows, column)``. Each text is cleaned on its own, as ``cleanup fix``
    cleans one file."""

    def __init__(self, rules: RuleSet, options: FixOptions | None = None) -> None:
        self.rules = rules
        self.options = options or FixOptions()
        self.token = rules.token()

    @property
    def engine(self) -> Engine:
        return engine_for(self.rules, self.token)

    def __call__(self, text: str) -> str:
        """One text, cleaned (an empty text stays empty)."""
        if not text:
            return text
        result = self.engine.fix_text(text, self.options)
        assert result.text is not None
        return result.text

    def batch(self, texts: Iterable[str]) -> list[str]:
        """Texts cleaned one by one, in order: a partition or a batch."""
        return [self(text) for text in texts]

    def records(self, rows: Iterable[Mapping[str, Any]], column: str) -> list[dict[str, Any]]:
        """Rows (JSON objects, dicts) with the text in ``column`` cleaned; other fields kept."""
        return [{**row, column: self(row[column])} for row in rows]

    def __dask_tokenize__(self) -> tuple[str, FixOptions]:
        return self.token, self.options

    def __getstate__(self) -> dict[str, object]:
        return {"rules": self.rules, "options": self.options, "token": self.token}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.rules, self.options, self.token = state["rules"], state["options"], state["token"]

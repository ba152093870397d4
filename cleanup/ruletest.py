"""Run the examples that rules carry as their tests (used by ``cleanup rules test``
and by the test suite for the bundled packs).

A ``before``/``after`` example must get an edit from its own rule, become exactly
``after``, and ``after`` must then be left alone; an ``unchanged`` example must get no
edit from its rule; a ``flags`` example must get a finding that leaves the text as it
is. Each rule runs alone (names from every pack stay known to patterns), with every
safety applied, so an example shows what the rule does when accepted.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from cleanup.engine import EVERYTHING, Engine
from cleanup.ruleset.model import Example, Rule, RuleSet


@dataclass(frozen=True)
class ExampleResult:
    """One example's outcome; ``problem`` is empty when it passed."""

    rule: Rule
    example: Example
    problem: str = ""

    @property
    def passed(self) -> bool:
        return not self.problem


def run_examples(rules: RuleSet) -> Iterator[ExampleResult]:
    """Check every example of every rule in the set."""
    for rule in rules.rules:
        if not rule.examples:
            continue
        engine = Engine(rules.only(frozenset({rule.id})), check=False)
        for example in rule.examples:
            yield ExampleResult(rule, example, _problem(engine, example))


def _problem(engine: Engine, example: Example) -> str:
    result = engine.fix_text(example.before, EVERYTHING)
    if example.flagged:
        if not result.findings:
            return "the rule shows nothing here"
        if result.text != example.before:
            return f"a shown-only finding must not change the text: {result.text!r}"
        return ""
    if example.before == example.after:
        if result.findings:
            shown = ", ".join(repr(f.edit.original) for f in result.findings)
            return f"must be left alone, but the rule edits {shown}"
        return ""
    if not result.findings:
        return "the rule makes no edit here"
    if result.text != example.after:
        return "wrong result:\n" + _diff(example.after, result.text or "")
    again = engine.fix_text(example.after, EVERYTHING)
    if again.findings:
        return f"the result does not settle: a second run edits it again to {again.text!r}"
    return ""


def _diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
    )
    return (
        "\n".join(lines)
        if expected.count("\n")
        else f"  expected {expected!r}\n  actual   {actual!r}"
    )

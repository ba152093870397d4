"""Every bundled pack: loads, settles, and every rule's examples pass (its own tests)."""

from __future__ import annotations

import pytest

from cleanup import Engine, builtin_pack_paths, load_rules
from cleanup.ruleset import keys_of
from cleanup.ruletest import run_examples

RULES = load_rules(builtin_pack_paths())
RESULTS = list(run_examples(RULES))


def test_packs_are_split_by_purpose():
    names = {p.stem for p in builtin_pack_paths()}
    assert names == {
        "caucasus-names",
        "russia-names",
        "neighbours-names",
        "organizations",
        "spelling-choices",
        "world-names",
        "calques",
        "grammar",
        "punctuation",
        "scraping",
        "structure",
    }


def test_every_rule_has_an_example_or_a_reason():
    untested = [r.id for r in RULES.rules if not r.examples and not keys_of(r)]
    assert untested == [], "pattern rules need examples"


@pytest.mark.parametrize(
    "result", RESULTS, ids=[f"{r.rule.id}@{r.example.source.rsplit(':', 1)[-1]}" for r in RESULTS]
)
def test_rule_example(result):
    assert result.passed, f"{result.rule.id} ({result.example.source}): {result.problem}"


def test_canonical_forms_are_left_alone():
    engine = Engine(RULES)
    for entry in RULES.names:
        text = f"{entry.canonical} said. {entry.surname or entry.canonical} added."
        assert engine.fix_text(text).findings == [], entry.canonical

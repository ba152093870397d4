"""Literal triggers of regex rules: what is taken from a regex, and that a pattern searched
only around its triggers finds exactly what a search of the whole text finds."""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanup import builtin_pack_paths, load_rules
from cleanup.edit import Edit
from cleanup.matchers import build_matchers
from cleanup.matchers.pattern import PatternMatcher
from cleanup.matchers.trigger import trigger_for
from cleanup.names import build_index
from cleanup.ruleset.load import expand_macros
from cleanup.ruleset.model import PatternRule

ROOT = Path(__file__).resolve().parents[2]


def literals(source: str) -> set[str] | None:
    trigger = trigger_for(source)
    return None if trigger is None else {text for text, _ in trigger.literals}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(r"\bthree-way talks\b", {"three-way talks"}, id="literal run"),
        pytest.param(r"\b[Tt]he edition\b", {"The edition", "the edition"}, id="small class"),
        pytest.param(r"\b(?:RMK|RCC)\b", {"RMK", "RCC"}, id="alternation"),
        pytest.param(r"\be-?mail address", {"email address", "e-mail address"}, id="optional"),
        pytest.param(r"(?i)\bformer world\b", {"former world"}, id="any case"),
        pytest.param(r"(?<=\bscore of )\d+:\d+", {"score of "}, id="lookbehind"),
        pytest.param(r"\bon the (?=Lachin corridor)", {"on the Lachin corridor"}, id="lookahead"),
        pytest.param(r"«[^«»\n]{1,300}»", {"«"}, id="non-ASCII punctuation"),
        pytest.param(r"(?x) foo \ bar  # a comment", {"foo bar"}, id="verbose"),
        pytest.param(r"(?m)^(?P<t>[^\n]+) - x\n(?P=t)", {" - x\n"}, id="line start"),
    ],
)
def test_literals_taken(source: str, expected: set[str]) -> None:
    assert literals(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(r",(?:[ \t]*,)+", id="a lone comma is everywhere"),
        pytest.param(r"\s+\p{Lu}\p{Ll}+", id="no literal"),
        pytest.param(r"\bfoo(?:\s+bar)+", id="unbounded reach over lines"),
        pytest.param(r"(?x)(?&w)(?(DEFINE)(?<w>word))", id="group calls"),
        pytest.param(r"(?:word){e<=1}", id="fuzzy matching"),
        pytest.param(r"[[:alpha:]]+ word", id="POSIX class"),
        pytest.param(r"a(?i)word", id="flag in the middle"),
    ],
)
def test_no_trigger(source: str) -> None:
    assert trigger_for(source) is None


def test_core_after_optional_parts() -> None:
    """A regex that starts with optional parts is found from the rest of it."""
    trigger = trigger_for(r"(?<=\p{L})[ \t]*\.[ \t]*\.(?![ \t]*\.)")
    assert trigger is not None
    assert trigger.core == r"\.[ \t]*\.(?![ \t]*\.)"
    assert (trigger.lead, trigger.lead_min, trigger.lead_lines) == (None, 0, 0)
    assert trigger_for(r"(?m)[ \t]*,(?:[ \t]*,)+").core == r"(?m),(?:[ \t]*,)+"


def test_case_insensitive_letters_with_non_ascii_partners() -> None:
    """(?i) matches 'K' with the Kelvin sign and 's' with the long s: those letters are no
    part of a trigger found in lower-cased ASCII bytes."""
    taken = literals(r"(?i)\bwork talks\b")
    assert taken
    assert not set("".join(taken)) & set("iksIKS")
    source = r"(?i)\bdark sky\b"
    pattern = regex.compile(source)
    text = "a dar\u212a \u017fky"
    assert pattern.search(text)
    engine_free = PatternMatcher([_rule(source)], build_index(()))
    assert [e.original for e in engine_free.find(text)] == ["dar\u212a \u017fky"]


def _rule(source: str) -> object:
    from cleanup.edit import Kind, Safety
    from cleanup.ruleset.model import PatternRule

    return PatternRule("t.rule", Kind.PATTERN, Safety.AUTO, "t.yaml:1", regex=source, replace="X")


@functools.cache
def bundled() -> tuple[PatternMatcher, PatternMatcher]:
    """The bundled packs' patterns, prefiltered and searched whole, with the same
    replacement fixes."""
    rules = load_rules(builtin_pack_paths())
    regexes = [r for r in rules.rules if isinstance(r, PatternRule)]
    matcher = build_matchers(rules).matchers[1]
    assert isinstance(matcher, PatternMatcher)
    whole = PatternMatcher(regexes, rules.index, matcher._normalize, prefilter=False)
    return matcher, whole


@functools.cache
def fragments() -> list[str]:
    """Rule examples of the bundled packs and sentences of news texts."""
    rules = load_rules(builtin_pack_paths())
    pieces = [ex.before for r in rules.rules if isinstance(r, PatternRule) for ex in r.examples]
    for folder in (ROOT / "samples", ROOT / "benchmarks" / "quality" / "mt"):
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            pieces += [s for s in re.split(r"(?<=[.!?»”\"])\s+|\n", text) if s.strip()]
    return pieces


def edits(matcher: PatternMatcher, text: str, cuts: list[int]) -> list[Edit]:
    """Edits found block by block at the given cuts, as the engine searches."""
    state: dict[str, int] = {}
    found: list[Edit] = []
    bounds = [0, *sorted(c % (len(text) + 1) for c in cuts), len(text)]
    for a, b in itertools.pairwise(bounds):
        found += matcher.find(text, a, b, 0, state)
    return found


SEPARATORS = st.sampled_from(["\n", "\n\n", " ", "  ", "\r\n", ", ", " - ", "\n\n\n", "\t"])
ODD = st.sampled_from(["\u212a", "\u017f", "\u0130", "K", "s", "«", "»", '"', "“", "”", "—", ""])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10**6), SEPARATORS, ODD), min_size=1, max_size=12),
    st.lists(st.integers(0, 10**6), max_size=3),
)
def test_prefiltered_patterns_propose_the_same_edits(
    picks: list[tuple[int, str, str]], cuts: list[int]
) -> None:
    pieces = fragments()
    text = "".join(pieces[i % len(pieces)] + odd + sep for i, sep, odd in picks)
    prefiltered, whole = bundled()
    assert edits(prefiltered, text, cuts) == edits(whole, text, cuts)


def test_every_bundled_pattern_keeps_its_examples() -> None:
    """Each pattern on each of its examples, and on all the news texts at once."""
    prefiltered, whole = bundled()
    for text in fragments():
        assert list(prefiltered.find(text)) == list(whole.find(text))
    news = "\n\n".join(
        p.read_text(encoding="utf-8")
        for folder in (ROOT / "samples", ROOT / "benchmarks" / "quality" / "mt")
        for p in sorted(folder.glob("*.txt"))
    )
    found = list(prefiltered.find(news))
    assert found == list(whole.find(news))
    assert found  # the news texts hold artifacts the patterns fix


def test_most_bundled_patterns_have_a_trigger() -> None:
    rules = load_rules(builtin_pack_paths())
    regexes = [r.regex for r in rules.rules if isinstance(r, PatternRule)]
    with_trigger = [s for s in regexes if trigger_for(expand_macros(s)) is not None]
    assert len(with_trigger) >= 0.75 * len(regexes)

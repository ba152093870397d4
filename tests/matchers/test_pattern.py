"""Regex rules: groups, trimming, name macros, case, time limit."""

from __future__ import annotations

import pytest

from cleanup import RuleError, load_rules
from cleanup.matchers import pattern

PACK = r"""
pack: t
names:
  - canonical: Nikol Pashinyan
    category: person
    surname: Pashinyan
    surname-variants: [Pashinian]
  - canonical: Sergei Lavrov
    category: person
    surname: Lavrov
    variants: [Sergey Lavrov]
  - canonical: Hadrut
    category: place
    variants: [Gadrut]
  - canonical: Levon Ter-Petrosyan
    category: person
    surname: Ter-Petrosyan
  - canonical: Hafez al-Assad
    category: person
    surname: al-Assad
patterns:
  - id: the-said
    regex: '\bthe (?={{surname}} said)'
    replace: ''
    safety: auto
  - id: title-after
    regex: '\b({{surname}}) (Prime Minister)\b'
    replace: '\2 \1'
    safety: auto
  - id: three-way
    regex: '(?i)\bthree-way(?= talks)'
    replace: trilateral
    case: preserve
    safety: auto
  - id: the-said-any-case
    regex: '(?i)\bthe (?={{surname}} told\b)'
    replace: ''
    safety: auto
  - id: review-me
    regex: '\bvery unique\b'
    replace: unique
"""

FIX = [
    pytest.param("the Lavrov said", "Lavrov said", id="lookahead-with-macro"),
    pytest.param("the Pashinian said", "Pashinyan said", id="macro-covers-variants"),
    pytest.param("Pashinian Prime Minister.", "Prime Minister Pashinyan.", id="groups-and-names"),
    pytest.param("THREE-WAY talks", "TRILATERAL talks", id="case-preserve"),
    pytest.param(
        "the Smith said and the Lavrov said", "the Smith said and Lavrov said", id="search-goes-on"
    ),
    pytest.param("the Ter-Petrosyan said", "Ter-Petrosyan said", id="hyphenated-surname"),
    pytest.param("the al-Assad said", "al-Assad said", id="surname-with-a-small-letter"),
    pytest.param("THE LAVROV TOLD", "LAVROV TOLD", id="macro-under-ignorecase"),
]

NOOP = [
    pytest.param("the Hadrut said", id="macro-is-persons-only"),
    pytest.param("the Lavrovs said", id="macro-word-bounded"),
    pytest.param("the Lavrov-Smith said", id="macro-whole-hyphenated-word"),
    pytest.param("the LAVROV said", id="macro-case-as-the-regex-says"),
]


@pytest.mark.parametrize(("text", "expected"), FIX)
def test_fix(engine_for, text, expected):
    assert engine_for(PACK).fix_text(text).text == expected


@pytest.mark.parametrize("text", NOOP)
def test_noop(engine_for, text):
    assert engine_for(PACK).fix_text(text).findings == []


def test_review_pattern_waits(engine_for):
    result = engine_for(PACK).fix_text("a very unique case")
    assert result.text == "a very unique case"
    (waiting,) = result.pending
    assert waiting.edit.replacement == "" and waiting.edit.original == "very "


def test_containing_edit_wins_and_settles(engine_for):
    engine = engine_for(PACK)
    result = engine.fix_text("and Pashinian Prime Minister")
    assert [f.edit.rule_id for f in result.findings if f.status.value == "applied"] == [
        "t.title-after"
    ]
    assert [f.reason for f in result.findings if f.status.value == "dropped"] == [
        "overlaps 't.title-after' ('Pashinian Prime Minister' -> 'Prime Minister Pashinyan')"
    ]
    assert engine.fix_text(result.text).findings == []


def test_catastrophic_pattern_stops_with_its_rule(engine_for, monkeypatch):
    monkeypatch.setattr(pattern, "PATTERN_TIMEOUT_SECONDS", 0.2)
    engine = engine_for(
        """
        pack: t
        patterns:
          - id: slow
            regex: '(?:.*?,){30}Z'
            replace: ''
        """
    )
    # The text holds the regex's literal ",Z" (on the next line), so the line before is
    # searched, and backtracks without end.
    with pytest.raises(RuleError, match=r"\.yaml:3: pattern 't.slow' took over 0.2 s"):
        engine.fix_text("a," * 2000 + "\n,Z")


def test_macro_in_a_negative_lookaround_is_refused(pack):
    path = pack(
        """
        pack: t
        patterns:
          - id: no-surname-after
            regex: '\\bMr\\. (?!{{surname}})'
            replace: ''
        """
    )
    with pytest.raises(
        RuleError, match=r"\.yaml:4:12: \{\{surname\}\} cannot stand in a negative lookahead"
    ):
        load_rules([path])

"""Literal forms: word boundaries, case, overlaps, Unicode offsets."""

from __future__ import annotations

import pytest

PACK = """
pack: t
names:
  - canonical: Hadrut
    category: place
    variants: [Gadrut, Gadrutsky]
  - canonical: Nikol Pashinyan
    category: person
    surname: Pashinyan
    variants: [Nikola Pashinyan]
    surname-variants: [Pashinian]
phrases:
  - find: [three-sided statement, three-way statement]
    replace: trilateral statement
  - find: solar conflict
    replace: Karabakh conflict
  - find: RMK
    replace: RPC
    case: exact
  - find: ab c
    replace: qq
  - find: cd
    replace: zz
"""

NOOP = [
    pytest.param("Hadrut and Nikol Pashinyan", id="already-canonical"),
    pytest.param("Gadrutian, preGadrut, Gadrut_x", id="inside-words"),
    pytest.param("gadrut is not a name in lower case", id="name-case-is-exact"),
    pytest.param("the rmk in lower case", id="exact-phrase-case"),
    pytest.param("solar conflicts of interest", id="phrase-then-letter"),
    pytest.param("", id="empty"),
]

FIX = [
    pytest.param("in Gadrut.", "in Hadrut.", id="name"),
    pytest.param("GADRUT", "HADRUT", id="name-all-caps"),
    pytest.param("the Gadrutsky district", "the Hadrut district", id="longest-wins"),
    pytest.param("Nikola Pashinyan and Pashinian", "Nikol Pashinyan and Pashinyan", id="surname"),
    pytest.param("A Three-Sided Statement", "A Trilateral Statement", id="title-case"),
    pytest.param("THREE-WAY STATEMENT", "TRILATERAL STATEMENT", id="upper"),
    pytest.param("Three-sided statement.", "Trilateral statement.", id="capital-first"),
    pytest.param("the solar conflict", "the Karabakh conflict", id="proper-noun-kept"),
    pytest.param("😀 Gadrut 😀 Gadrut", "😀 Hadrut 😀 Hadrut", id="non-bmp-offsets"),
    pytest.param("İİ Gadrut", "İİ Hadrut", id="lowercasing-changes-length"),
    pytest.param("Gadrut\r\nGadrut", "Hadrut\r\nHadrut", id="crlf"),
    pytest.param("ab cd", "ab zz", id="form-inside-a-longer-one-that-failed"),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(engine_for, text):
    result = engine_for(PACK).fix_text(text)
    assert result.text == text
    assert result.findings == []


@pytest.mark.parametrize(("text", "expected"), FIX)
def test_fix(engine_for, text, expected):
    engine = engine_for(PACK)
    result = engine.fix_text(text)
    assert result.text == expected
    assert engine.fix_text(expected).findings == []


def test_edit_carries_provenance(engine_for):
    result = engine_for(PACK).fix_text("in Gadrut")
    (finding,) = result.findings
    edit = finding.edit
    assert (edit.start, edit.end, edit.original, edit.replacement) == (3, 9, "Gadrut", "Hadrut")
    assert edit.rule_id == "t.hadrut"
    assert edit.source.endswith(".yaml:5")  # the line that lists the form
    assert (finding.line, finding.column) == (1, 4)

"""The pipeline: options, overlaps, blocks, and the settle check on rule sets."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleanup import Engine, FixOptions, RuleError, Safety, Status, builtin_pack_paths, load_rules
from cleanup import engine as engine_module

PACK = r"""
pack: t
names:
  - canonical: Hadrut
    category: place
    variants: [Gadrut]
phrases:
  - find: lasting world
    replace: lasting peace
  - id: maybe
    find: very unique
    replace: unique
    safety: review
  - id: hint
    find: in order to
    replace: to
    safety: suggest
patterns:
  - id: dup-line
    # Bounded, so that a match never spans more than the 40 characters of overlap that
    # the block test gives (the engine's documented limit, scaled down).
    regex: '(?m)^(?P<l>[^\n]{5,18})\n(?P=l)$'
    replace: '\g<l>'
    safety: auto
"""


def test_review_and_suggest_wait_unless_accepted(engine_for):
    engine = engine_for(PACK)
    text = "a very unique Gadrut in order to win"
    plain = engine.fix_text(text)
    assert plain.text == "a very unique Hadrut in order to win"
    assert sorted(f.edit.rule_id for f in plain.pending) == ["t.hint", "t.maybe"]
    accepted = engine.fix_text(text, FixOptions(accept=frozenset({Safety.AUTO, Safety.REVIEW})))
    assert accepted.text == "a unique Hadrut in order to win"
    assert [f.edit.rule_id for f in accepted.pending] == ["t.hint"]


def test_select_and_ignore(engine_for):
    engine = engine_for(PACK)
    text = "Gadrut, a lasting world"
    assert engine.fix_text(text, FixOptions(select=("t.hadrut",))).text == (
        "Hadrut, a lasting world"
    )
    assert engine.fix_text(text, FixOptions(ignore=("t.hadrut",))).text == (
        "Gadrut, a lasting peace"
    )
    assert engine.fix_text(text, FixOptions(ignore=("t",))).text == text


def test_replacement_that_another_rule_rewrites_is_refused(engine_for):
    chained = PACK.replace("phrases:\n", "phrases:\n  - {id: x, find: Gadrutt, replace: Gadrut}\n")
    with pytest.raises(
        RuleError,
        match=r"replacement 'Gadrut' of rule 't.x' would itself be "
        r"rewritten by rule 't.hadrut'.*would not settle",
    ):
        engine_for(chained)


def test_lines_and_columns(engine_for):
    result = engine_for(PACK).fix_text("one\r\ntwo Gadrut\n😀 Gadrut")
    assert [(f.line, f.column) for f in result.findings] == [(2, 5), (3, 3)]


TEXT = st.lists(
    st.sampled_from(
        [
            "Gadrut",
            " ",
            "\n",
            "lasting world",
            "x",
            "Gadrut Gadrut",
            "😀",
            "very unique",
            "a long line here",
            "\r\n",
            ".",
            "in order to",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, block=st.integers(min_value=1, max_value=40))
# An applied edit that ends past its block's stop swallows a finding that starts after
# the stop: that finding must still be recorded (dropped), as in one pass.
@example(text="lasting world\nlasting world\nGadrutGadrutGadrut", block=1)
@example(text="lasting worldlasting world\nlasting worldlasting world", block=1)
def test_blocks_give_the_same_result_as_one_pass(small_engine, text, block):
    engine = small_engine
    whole = engine.fix_text(text)
    old = (engine_module.BLOCK_CHARS, engine_module.OVERLAP_CHARS, engine_module.CONTEXT_CHARS)
    try:
        engine_module.BLOCK_CHARS, engine_module.OVERLAP_CHARS = block, 40
        engine_module.CONTEXT_CHARS = 20
        pieces: list[str] = []
        chunks = [text[i : i + 7] for i in range(0, len(text), 7)]
        streamed = engine.fix_stream(chunks, pieces.append)
    finally:
        engine_module.BLOCK_CHARS, engine_module.OVERLAP_CHARS, engine_module.CONTEXT_CHARS = old
    assert "".join(pieces) == whole.text
    assert [(f.edit, f.line, f.column, f.status) for f in streamed.findings] == [
        (f.edit, f.line, f.column, f.status) for f in whole.findings
    ]


@pytest.fixture(scope="module")
def small_engine(tmp_path_factory):
    path = tmp_path_factory.mktemp("packs") / "t.yaml"
    path.write_text(PACK, encoding="utf-8")
    return Engine(load_rules([path]))


def test_bundled_packs_compile_and_settle():
    engine = Engine(load_rules(builtin_pack_paths()))
    assert len(engine.rules.rules) > 20
    assert engine.fix_text("nothing to do here").findings == []


def test_statuses_are_consistent(engine_for):
    result = engine_for(PACK).fix_text("Gadrut\nGadrut\n")
    assert result.text == "Hadrut\n"
    statuses = {f.edit.rule_id: f.status for f in result.findings}
    assert statuses["t.dup-line"] is Status.APPLIED

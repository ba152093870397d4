"""Fixes that an applied edit exposes are made in the same run, in original offsets."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cleanup.apply import apply_edits
from cleanup.edit import Edit, Kind, Safety
from cleanup.engine import Engine, FixOptions
from cleanup.exposed import _compose, _members, _regions, may_expose, settle_exposed
from cleanup.resolve import resolve
from cleanup.ruleset.load import builtin_pack_paths, load_rules


def edit(text: str, start: int, end: int, replacement: str, rule: str = "r") -> Edit:
    return Edit(start, end, text[start:end], replacement, rule, Kind.PATTERN, Safety.AUTO)


@st.composite
def edits_of(draw: st.DrawFn, text: str) -> list[Edit]:
    """Sorted edits of ``text`` that do not overlap (insertions and removals among them)."""
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    found = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        found.append(edit(text, a, b, draw(st.text(alphabet="xyz \n", max_size=4))))
    kept, _ = resolve(found)
    return kept


@given(data=st.data(), text=st.text(alphabet="ab \n", max_size=30))
def test_composed_edits_give_what_two_runs_give(data: st.DataObject, text: str) -> None:
    first = data.draw(edits_of(text))
    cleaned = apply_edits(text, first)
    second = data.draw(edits_of(cleaned))
    composed, grown = _compose(text, _regions(first, 0, 0, 0), second, cleaned, 0, 0, 0)
    assert composed == sorted(composed, key=lambda e: (e.start, e.end))
    assert all(text[e.start : e.end] == e.original for e in composed)
    assert apply_edits(text, composed) == apply_edits(cleaned, second)
    assert len(grown) <= len(second)


def finder(rules: dict[str, str]):  # type: ignore[no-untyped-def]
    def find(text: str) -> list[Edit]:
        found = []
        for pattern, replacement in rules.items():
            for m in re.finditer(pattern, text):
                found.append(edit(text, m.start(), m.end(), replacement, pattern))
        return found

    return find


@given(data=st.data(), text=st.text(alphabet="ab \n", max_size=30))
def test_an_edit_of_the_second_look_meets_the_applied_edits_it_touches(
    data: st.DataObject, text: str
) -> None:
    """The applied edits a new edit joins: each it overlaps, each empty one (a removal)
    inside it or at its ends, and, for an empty new edit (an insertion), each at whose
    inside or ends it stands."""
    first = data.draw(edits_of(text))
    regions = _regions(first, 0, 0, 0)
    size = len(apply_edits(text, first))
    a = data.draw(st.integers(0, size))
    new = edit(apply_edits(text, first), a, data.draw(st.integers(a, size)), "x")
    expected = [
        k
        for k, r in enumerate(regions)
        if (r.start < new.end and new.start < r.end)
        or (r.start == r.end and new.start <= r.start <= new.end)
        or (new.start == new.end and r.start <= new.start <= r.end)
    ]
    assert _members(regions, [r.end for r in regions], new) == expected


def test_a_removal_that_brings_two_lines_together_lets_the_repeat_go() -> None:
    text = "Title\nRead more\nTitle\nBody.\n"
    find = finder({r"(?m)^Read more\n": "", r"(?m)^(.+)\n\1\n": "Title\n"})
    first = [edit(text, 6, 16, "")]
    assert first[0].original == "Read more\n"
    result = settle_exposed(text, first, 0, len(text), 0, find, 0)
    assert apply_edits(text, result) == "Title\nBody.\n"
    # One edit of the original text: the removal and the repeat it exposed.
    assert [(e.start, e.end, e.replacement) for e in result] == [(0, 22, "Title\n")]


def test_a_match_far_from_every_edit_was_decided_by_the_first_look() -> None:
    text = "the the cat. " + "one two three four five six " * 8 + "dog dog."
    find = finder({r"\b(\w+) \1\b": "X"})
    first = [edit(text, 0, 7, "the")]  # the first look took "the the" only
    result = settle_exposed(text, first, 0, len(text), 0, find, 0)
    assert result == first  # "dog dog" is not near an edit that exposes anything


def test_a_like_for_like_word_swap_gets_no_second_look() -> None:
    swap = Edit(0, 6, "Gadrut", "Hadrut", "n", Kind.NAME, Safety.AUTO)
    assert not may_expose(swap)
    assert may_expose(swap._replace(original="president", replacement="President"))
    assert may_expose(swap._replace(replacement=""))


def test_bundled_packs_settle_in_one_run_where_a_fix_exposes_another() -> None:
    engine = Engine(load_rules(builtin_pack_paths()))
    for text in [
        "He said the the Lavrov said.\n",
        "Talks resumed in Moscow today\nRead more\nTalks resumed in Moscow today\n",
        " date 2023-01-17  Read more\nText.\n",
        "He met president of Harutyunyana today.\n",
    ]:
        once = engine.fix_text(text, FixOptions()).text
        assert once is not None
        assert engine.fix_text(once, FixOptions()).text == once, text
        result = engine.fix_text(text, FixOptions())
        assert apply_edits(text, result.applied) == once


def test_a_moved_closing_quote_then_the_lost_opening_quote_settles_in_one_run() -> None:
    engine = Engine(load_rules(builtin_pack_paths()))
    text = (
        "I would like to count on, dear colleagues that our today's negotiations will be held "
        "in a business environment and serve as a lasting world, security and progressive "
        "socio-economic development in the region, which we are certainly interested in it, "
        '"Putin concluded.\n'
    )
    once = engine.fix_text(text, FixOptions()).text
    assert once is not None
    assert engine.fix_text(once, FixOptions()).text == once


def test_a_window_of_the_second_look_cuts_no_name_in_two() -> None:
    """The second look reads a margin of text around its windows; cut inside a word, the
    margin would show a name that is not in the text ("Nikol Pashiny", a namesake that
    holds back the fix of "Nikol Vovaevich"). Wherever the cut falls, one run settles."""
    engine = Engine(load_rules(builtin_pack_paths()))
    head = '"Dear Ilham Heydarovich! Dear Nikol Vovaevich!\n\nRead more\n\n'
    glued = "Moscow will continue dialogue with Nikol Pashinyanhowever, the talks went on.\n\n"
    tail = " spoke again." + " The talks went on in Vienna today and nothing else happened." * 12
    filler = "In Yerevan the talks went on in the evening and into the night " * 2
    for k in range(30, 80):
        text = head + glued + filler[:k] + "Nikol Pashinyan" + tail + "\n"
        once = engine.fix_text(text, FixOptions()).text
        assert once is not None and "Vovaevich" not in once, k
        assert engine.fix_text(once, FixOptions()).text == once, k

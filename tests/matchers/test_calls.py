"""Group calls written out in place: the same matches, at the same places, with the same
groups, as the regex with calls; and the regex left as it is where that is not sure."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from cleanup import Engine, load_rules
from cleanup.matchers import pattern
from cleanup.matchers.calls import anchored_at_start, inline_calls

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def matches(source: str, text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in regex.finditer(source, text)]


def bundled(rule_id: str) -> str:
    data = YAML(typ="safe").load((ROOT / "rules" / "scraping.yaml").read_text("utf-8"))
    rules = {r["id"]: r for part in ("patterns", "removals") for r in data.get(part, [])}
    return str(rules[rule_id]["regex"])


def test_a_call_is_written_out_as_its_body():
    source = r"(?&w)-(?&w)(?(DEFINE)(?<w>[a-z]+(x)?))"
    written = inline_calls(source)
    assert written == r"(?:[a-z]+(?:x)?)-(?:[a-z]+(?:x)?)(?(DEFINE)(?<w>[a-z]+(x)?))"
    assert matches(written, "ab-cx yz-w") == matches(source, "ab-cx yz-w")
    # the call sets neither the group it calls nor those inside it
    assert matches(source, "ab-cx") == [((0, 5), (None, None))]


def test_the_search_goes_back_into_a_call():
    # In `regex` a call is not atomic: `a+` gives back an `a` for the `ab` after it. A
    # call written out as an atomic group would find nothing here.
    source = r"(?&a)ab(?(DEFINE)(?<a>a+))"
    assert matches(source, "aaab") == [((0, 4), (None,))]
    assert matches(inline_calls(source), "aaab") == matches(source, "aaab")
    assert matches(r"(?>a+)ab", "aaab") == []


def test_calls_by_number_and_by_p_name():
    source = r"(?1)(?P>w)(?(DEFINE)(a|b)(?P<w>c))"
    written = inline_calls(source)
    assert written == r"(?:a|b)(?:c)(?(DEFINE)(a|b)(?P<w>c))"
    assert matches(written, "acbcc") == matches(source, "acbcc")


def test_verbose_comments_with_brackets_are_copied_whole():
    source = "(?x) (?&w) ; (?(DEFINE) (?<w> a  # a (comment) with [brackets\n  [ ]b ))"
    written = inline_calls(source)
    assert written != source
    assert matches(written, "a b;a b") == matches(source, "a b;a b") == [((0, 4), (None,))]


def test_a_condition_on_a_group_outside_the_body_is_kept():
    source = r"(x)?(?&w)(?(1)y|z)(?(DEFINE)(?<w>a))"
    written = inline_calls(source)
    assert written == r"(x)?(?:a)(?(1)y|z)(?(DEFINE)(?<w>a))"
    for text in ("xay", "az", "xaz", "ay"):
        assert matches(written, text) == matches(source, text)


@pytest.mark.parametrize(
    "source",
    [
        r"(?&w)(?(DEFINE)(?<w>(a)\1))",  # a backreference in the body
        r"(?&w)(?(DEFINE)(?<w>(?P<q>a)(?P=q)))",
        r"(?&w)(?(DEFINE)(?<w>(?(1)a|b)))",  # a conditional in the body
        r"(?&w)(?(DEFINE)(?<w>a(?&v))(?<v>b))",  # a call in the body
        r"(a)(?-1)",  # a relative call
        r"a(?R)?",  # the whole regex
        r"(?<w>a)(?&w)",  # a group outside DEFINE
        r"(?i:(?&w))(?(DEFINE)(?<w>a))",  # scoped flags around the call
        r"(?i:(?(DEFINE)(?<w>a)))(?&w)",
        r"a(?i)(?&w)(?(DEFINE)(?<w>a))",  # inline flags after the start
        r"(?&w)(?(DEFINE)(?<w>[[a-z]--[b]]))",  # a nested set
        r"(?|(a)|(b))(?&w)(?(DEFINE)(?<w>a))",  # a branch reset
        r"(?&w)(*SKIP)(?(DEFINE)(?<w>a))",  # a verb
        r"(?&w)(?(?=a)a|b)(?(DEFINE)(?<w>a))",  # a condition on a lookaround
        r"(?<w>a)(?&w)(?(DEFINE)(?<w>b))",  # a name given twice
        r"no calls (?(DEFINE)(?<w>a))",
    ],
)
def test_left_as_it_is(source):
    assert inline_calls(source) == source


def test_anchored_at_start():
    assert anchored_at_start(r"\Aa")
    assert anchored_at_start("(?x)\n  # the top\n  \\A (?: a | b )")
    assert not anchored_at_start(r"\Aa|b")
    assert not anchored_at_start(r"a\A")
    assert not anchored_at_start(r"(?:\Aa)")  # not read inside groups: not sure, so no


def test_the_bundled_page_chrome_rules():
    chrome, top = bundled("page-chrome"), bundled("page-chrome-top")
    assert inline_calls(chrome) != chrome and not anchored_at_start(chrome)
    assert anchored_at_start(top)
    texts = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "english").glob("*.txt"))
    if not texts:
        pytest.skip(f"no development texts in {SHARED}")
    text = "\n\n".join(p.read_text("utf-8") for p in texts)
    found = matches(chrome, text)
    assert len(found) > 20
    assert matches(inline_calls(chrome), text) == found


# Small regexes over a two-letter alphabet, with groups defined in (?(DEFINE)...) and
# called in every way a quantifier, an alternation, an atomic group or a lookaround can
# hold a call; and texts to search with them.
_ATOMS = ["a", "b", "a+", "a*?", "b?", "(?:a|ab)", "(a|b)", "(?=a)", "(?<!b)", "[ab]", "a{1,2}"]
_CALLS = ["(?&g0)", "(?&g1)", "(?&g0)*", "(?&g1)+?", "(?>(?&g0))", "(?:(?&g0)|b)", "(?=(?&g1))"]


@st.composite
def _regexes(draw: st.DrawFn) -> str:
    body = st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=3)
    main = draw(st.lists(st.sampled_from(_ATOMS + _CALLS), min_size=0, max_size=3))
    main.insert(draw(st.integers(0, len(main))), draw(st.sampled_from(_CALLS)))
    if draw(st.booleans()):
        main = ["(?P<o>b)?", *main, "(?(o)a|b?)"]
    define = f"(?(DEFINE)(?<g0>{''.join(draw(body))})(?<g1>{''.join(draw(body))}))"
    if draw(st.booleans()):
        return "(?x) " + " ".join(main) + "\n # the groups\n " + define
    return "".join(main) + define


@given(_regexes(), st.lists(st.text("ab", max_size=10), min_size=1, max_size=3))
def test_written_out_calls_match_as_the_calls_do(source, texts):
    written = inline_calls(source)
    assert written != source
    for text in texts:
        assert matches(written, text) == matches(source, text)


PACK = r"""
pack: t
removals:
  - id: furniture
    regex: '(?m)^(?&label)(?:\n(?&label))*\n?(?(DEFINE)(?<label>(?:Share|Print|Read more)[ \t]*))'
    why: page furniture
    safety: auto
  - id: top
    regex: '\A(?&label)\n(?(DEFINE)(?<label>Home|Menu))'
    why: page furniture at the top
    safety: auto
"""


@pytest.mark.parametrize("after", [1, 10**12])
def test_a_run_writes_calls_out_when_they_pay_and_finds_the_same(pack, monkeypatch, after):
    monkeypatch.setattr(pattern, "WRITE_OUT_AFTER", after)
    engine = Engine(load_rules([pack(PACK)]))
    text = "Home\n" + "The talks went on.\nShare\nPrint\nRead more\n" * 50
    result = engine.fix_text(text)
    assert result.text == "The talks went on.\n" * 50
    matcher = next(m for m in engine.matchers if isinstance(m, pattern.PatternMatcher))
    regexes = zip(matcher._compiled, matcher._regexes, strict=True)
    plain = {c.rule.id: r.plain.pattern for c, r in regexes if r is not None}
    assert ("(?&label)" not in plain["t.furniture"]) is (after == 1)
    assert "(?&label)" in plain["t.top"]  # anchored at the start: never written out

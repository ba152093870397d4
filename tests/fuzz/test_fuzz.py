"""Fuzzing: generated rule files and texts through the loader, the engine and the patch.

Marked ``fuzz``. Under the project's hypothesis profile (derandomized, see conftest.py)
CI runs a bounded, deterministic slice; ``CLEANUP_HYPOTHESIS_PROFILE=fuzz`` runs the same
properties randomized and much longer (see README, Development). Checked: loading and
cleaning never crash (a bad rule file is a RuleError), a fix settles (fix(fix(x)) ==
fix(x)), the patch turns the original into the cleaned text exactly, and a text cleaned
block by block gives what one pass gives.
"""

from __future__ import annotations

import os
import re
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanup import Engine, load_rules
from cleanup import engine as engine_module
from cleanup.diff import unified_diff
from cleanup.errors import CleanupError
from cleanup.textio import split_lines

pytestmark = pytest.mark.fuzz


def examples(ci: int) -> int:
    """``ci`` examples under the CI profile; the loaded profile's number (20,000 under
    ``fuzz``) otherwise."""
    if os.environ.get("CLEANUP_HYPOTHESIS_PROFILE", "ci") == "ci":
        return ci
    return settings.default.max_examples


WORDS = ["solar", "conflict", "lasting", "world", "Gadrut", "the", "said", "Lavrov", "a", "b"]
FORMS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
PIECE = st.one_of(
    st.sampled_from([*WORDS, " ", "\n", "\r\n", ", ", ".", '"', "«", "»", "-", "\t", "😀", "é"]),
    st.text(max_size=3),
)
TEXT = st.lists(PIECE, max_size=40).map("".join)
REGEX = st.sampled_from(
    [
        r"\bthe (?=Lavrov)",
        r"(?m)^(?P<l>[^\n]{2,10})\n(?P=l)$",
        r"\s+,",
        r"[\"«]",
        r"(a|b)+c",
        r"\p{Lu}\w*",
        r"(?<=\d) ",
        r"(",
        r"(?R)",
        r"x{2,}?",
        r"(?P<w>a)(?&w)",
        r"\\",
    ]
)
REPLACE = st.sampled_from(["", "x", r"\g<l>", r"\1", "\\", r"\q", "Karabakh", r"\n"])


@st.composite
def rule_files(draw: st.DrawFn) -> str:
    """A pack of phrases and patterns, valid or not."""
    phrases = draw(st.lists(st.tuples(FORMS, FORMS), max_size=4))
    patterns = draw(st.lists(st.tuples(REGEX, REPLACE), max_size=3))
    lines = ["pack: f"]
    if phrases:
        lines.append("phrases:")
        for find, replace in phrases:
            lines += [f"  - find: {find!r}", f"    replace: {replace!r}"]
    if patterns:
        lines.append("patterns:")
        for i, (regex, replace) in enumerate(patterns):
            lines += [
                f"  - id: p{i}",
                f"    regex: {regex!r}",
                f"    replace: {replace!r}",
                "    safety: auto",
            ]
    return "\n".join(lines) + "\n"


def _engine(tmp_path_factory: pytest.TempPathFactory, text: str) -> Engine | None:
    path = tmp_path_factory.mktemp("pack") / "f.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        engine = Engine(load_rules([path]))
    except CleanupError:
        return None  # refused with a message: what a bad rule file must give
    if list(engine.unsettled()):
        return None
    return engine


def apply_patch(original: str, patch: str) -> str:
    """Apply a unified diff made by cleanup to one text (a strict, tiny `patch`)."""
    old = split_lines(original)
    out: list[str] = []
    at = 0
    lines = split_lines(patch)[2:]
    i = 0
    while i < len(lines):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@\n", lines[i])
        assert m, lines[i]
        start = int(m[1]) - (0 if m[2] == "0" else 1)
        out += old[at:start]
        at = start
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            line = lines[i]
            body = line[1:]
            if i + 1 < len(lines) and lines[i + 1].startswith("\\ No newline"):
                body = body[:-1]
                i += 1
            if line[0] in " -":
                assert old[at] == body, (old[at], body)
                at += 1
            if line[0] in " +":
                out.append(body)
            i += 1
    return "".join(out + old[at:])


@settings(max_examples=examples(60), deadline=None)
@given(pack=rule_files(), texts=st.lists(TEXT, min_size=1, max_size=3))
def test_generated_rule_files_never_crash_and_fixes_are_exact(tmp_path_factory, pack, texts):
    engine = _engine(tmp_path_factory, pack)
    if engine is None:
        return
    for text in texts:
        try:
            result = engine.fix_text(text)
        except CleanupError:
            continue  # e.g. a pattern that ran out of time: a one-line error
        assert result.text is not None
        patch = "".join(unified_diff("t", text, result.applied))
        assert apply_patch(text, patch) == result.text if patch else result.text == text


BUNDLED: list[Engine] = []


def _bundled() -> Engine:
    if not BUNDLED:
        from cleanup import builtin_pack_paths

        BUNDLED.append(Engine(load_rules(builtin_pack_paths())))
    return BUNDLED[0]


@settings(max_examples=examples(40), deadline=None)
@given(text=TEXT, block=st.integers(min_value=1, max_value=40))
def test_bundled_packs_patch_exact_and_blocks_equal_one_pass(text, block):
    engine = _bundled()
    whole = engine.fix_text(text)
    assert whole.text is not None
    patch = "".join(unified_diff("t", text, whole.applied))
    assert apply_patch(text, patch) == whole.text if patch else whole.text == text
    old = (engine_module.BLOCK_CHARS, engine_module.OVERLAP_CHARS)
    try:
        engine_module.BLOCK_CHARS, engine_module.OVERLAP_CHARS = max(block, 200), 200
        pieces: list[str] = []
        engine.fix_stream([text[i : i + 7] for i in range(0, len(text), 7)], pieces.append)
    finally:
        engine_module.BLOCK_CHARS, engine_module.OVERLAP_CHARS = old
    assert "".join(pieces) == whole.text


SETTLING = textwrap.dedent(
    """
    pack: s
    names:
      - canonical: Hadrut
        category: place
        variants: [Gadrut]
    phrases:
      - find: lasting world
        replace: lasting peace
      - find: solar conflict
        replace: Karabakh conflict
    """
)


@settings(max_examples=examples(100), deadline=None)
@given(text=TEXT)
def test_fix_settles(tmp_path_factory, text):
    engine = _engine(tmp_path_factory, SETTLING) if not SETTLED else SETTLED[0]
    assert engine is not None
    SETTLED[:1] = [engine]
    once = engine.fix_text(text).text
    assert engine.fix_text(once or "").text == once


SETTLED: list[Engine] = []

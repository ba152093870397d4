"""Patches made from edits: exact for `patch`, readable as words."""

from __future__ import annotations

import contextlib
import shutil
import subprocess

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanup.diff as diff_module
from cleanup.diff import unified_diff, word_diff
from cleanup.edit import Edit, Kind, Safety
from cleanup.textio import split_lines


@contextlib.contextmanager
def sections(chars, limit):
    """Diffs of texts read afresh made in sections of ``chars``, read in pieces past
    ``limit``."""
    saved = diff_module.SECTION_CHARS, diff_module.SECTION_LIMIT
    diff_module.SECTION_CHARS, diff_module.SECTION_LIMIT = chars, limit
    try:
        yield
    finally:
        diff_module.SECTION_CHARS, diff_module.SECTION_LIMIT = saved


def edit(start, end, text, replacement):
    return Edit(start, end, text[start:end], replacement, "t.r", Kind.PHRASE, Safety.AUTO)


def test_hunk_with_context_and_no_final_newline():
    text = "".join(f"line {i}\n" for i in range(1, 11)) + "last"
    e1 = edit(text.index("line 2"), text.index("line 2") + 6, text, "LINE 2")
    e2 = edit(len(text) - 4, len(text), text, "LAST")
    patch = "".join(unified_diff("f.txt", text, [e1, e2]))
    assert patch == (
        "--- a/f.txt\n+++ b/f.txt\n"
        "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+LINE 2\n line 3\n line 4\n line 5\n"
        "@@ -8,4 +8,4 @@\n line 8\n line 9\n line 10\n-last\n\\ No newline at end of file\n"
        "+LAST\n\\ No newline at end of file\n"
    )


def test_close_edits_share_a_hunk_and_line_deletion_counts():
    text = "a\nb\nc\nd\ne\nf\ng\nh\n"
    e1 = edit(0, 2, text, "")  # delete line a
    e2 = edit(text.index("h"), text.index("h") + 1, text, "H")
    patch = "".join(unified_diff("f", text, [e1, e2]))
    assert patch.count("@@ ") == 1
    assert "@@ -1,8 +1,7 @@" in patch


def test_no_edits_no_patch():
    assert list(unified_diff("f", "a\n", [])) == []
    assert list(unified_diff("f", lambda: iter(["a\n"]), [])) == []


def test_word_diff_marks_edits_in_place():
    text = "the solar conflict\nnext\n"
    e = edit(4, 9, text, "Karabakh")
    shown = "".join(word_diff("f.txt", text, [e], color=False))
    assert "the [-solar-][+Karabakh+] conflict" in shown
    assert "next" not in shown


def test_word_diff_shows_each_changed_line_with_its_own_edits():
    text = "the solar conflict\nnext\nthe lasting world\n"
    edits = [edit(4, 9, text, "Karabakh"), edit(28, 41, text, "lasting peace")]
    shown = click.unstyle("".join(word_diff("f.txt", text, edits, color=False)))
    assert shown == (
        "f.txt:1\nthe [-solar-][+Karabakh+] conflict\n"
        "f.txt:3\nthe [-lasting world-][+lasting peace+]\n"
    )


LINE = st.sampled_from(["a", "bb", "", "c c", "😀", "d\r", "e "]).map(lambda s: s + "\n")


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch program")
@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(LINE, min_size=1, max_size=80),
    final_newline=st.booleans(),
    picks=st.lists(
        st.tuples(
            st.integers(0, 250), st.integers(0, 3), st.sampled_from(["", "X", "Y\n", "Z\r\n"])
        ),
        max_size=6,
    ),
    data=st.data(),
)
def test_patch_applies_exactly(tmp_path_factory, lines, final_newline, picks, data):
    text = "".join(lines)
    if not final_newline:
        text = text[:-1]
    edits, taken = [], 0
    for start, length, replacement in sorted(picks):
        start = min(start, len(text))
        if start < taken:
            continue
        end = min(len(text), start + length)
        if text[start:end] == replacement:
            continue
        edits.append(edit(start, end, text, replacement))
        taken = max(end, start + 1)
    expected = text
    for e in reversed(edits):
        expected = expected[: e.start] + e.replacement + expected[e.end :]
    folder = tmp_path_factory.mktemp("p")
    (folder / "f.txt").write_bytes(text.encode())
    patch = "".join(unified_diff("f.txt", text, edits))
    if not edits:
        assert patch == ""
        return
    proc = subprocess.run(
        ["patch", "-p1", "-s", "--binary", "--fuzz=0"],
        input=patch.encode(),
        cwd=folder,
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr + patch.encode()
    assert (folder / "f.txt").read_bytes() == expected.encode(), patch


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("gap", range(12))
def test_two_edits_any_distance_apart_apply_with_git(tmp_path, gap):
    text = "".join(f"line {i}\n" for i in range(1, 30))
    first = text.index("line 2\n")
    second = text.index(f"line {3 + gap}\n")
    edits = [edit(first, first + 4, text, "LINE"), edit(second, second + 4, text, "LINE")]
    (tmp_path / "f.txt").write_text(text)
    patch = "".join(unified_diff("f.txt", text, edits))
    proc = subprocess.run(
        ["git", "apply", "-"], input=patch.encode(), cwd=tmp_path, capture_output=True
    )
    assert proc.returncode == 0, proc.stderr.decode() + patch
    expected = text.replace("line 2\n", "LINE 2\n").replace(
        f"line {3 + gap}\n", f"LINE {3 + gap}\n"
    )
    assert (tmp_path / "f.txt").read_text() == expected, patch


LINES = st.lists(LINE, min_size=1, max_size=60)
# (start, length, replacement) of edits, made non-overlapping by _picked_edits
PICKS = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 3), st.sampled_from(["", "X", "Y\n"])),
    max_size=8,
)


def _picked_edits(text, picks):
    """Non-overlapping edits of ``text`` from (start, length, replacement) picks."""
    edits, taken = [], 0
    for start, length, replacement in sorted(picks):
        start = min(start, len(text))
        end = min(len(text), start + length)
        if start < taken or text[start:end] == replacement:
            continue
        edits.append(edit(start, end, text, replacement))
        taken = max(end, start + 1)
    return edits


@settings(max_examples=100, deadline=None)
@given(
    lines=LINES,
    picks=PICKS,
)
def test_edits_read_afresh_give_the_diff_a_list_gives(lines, picks):
    """A diff may take its edits as a function that reads them afresh (a spool read back),
    once to place the hunks and once to write them: the same diff as from a list."""
    text = "".join(lines)
    edits = _picked_edits(text, picks)

    def spool():
        return (e for e in edits)  # a one-pass iterator each time, as a spool file gives

    for lines in (text, lambda: iter(split_lines(text))):
        assert "".join(unified_diff("f", lines, spool)) == "".join(
            unified_diff("f", lines, list(edits))
        )
        shown = "".join(word_diff("f", lines, spool, color=False))
        assert shown == "".join(word_diff("f", lines, list(edits), color=False))


@settings(max_examples=1000, deadline=None)
@given(
    lines=st.lists(LINE, max_size=60),
    final_newline=st.booleans(),
    picks=st.lists(
        st.tuples(
            st.integers(0, 200), st.integers(0, 5), st.sampled_from(["", "X", "Y\n", "\n\n"])
        ),
        max_size=10,
    ),
    chars=st.integers(0, 40),
    limit=st.integers(0, 160),
    part=st.sampled_from([None, 1, 2, 3]),
)
def test_a_text_held_whole_gives_the_diff_of_its_lines_read_afresh(
    lines, final_newline, picks, chars, limit, part
):
    """A text held whole is diffed from its line starts, and one read afresh in sections
    of any size, read in pieces (line by line) from wherever a section grows too long, or
    from its start: the same unified diff and the same word diff, for any edits (on one
    line or across lines, at either end, into an empty text, near each other or far
    apart, across the cut between two sections). Lines may come whole or in parts, as a
    long line does."""
    text = "".join(lines)
    if lines and not final_newline:
        text = text[:-1]
    edits = _picked_edits(text, picks)

    def read():
        whole = split_lines(text)
        if part is None:
            return iter(whole)
        return (line[i : i + part] for line in whole for i in range(0, len(line), part))

    held = "".join(unified_diff("f", text, edits))
    shown = {color: "".join(word_diff("f", text, edits, color=color)) for color in (False, True)}
    for sizes in ((chars, limit), (chars, 1 << 20), (1 << 20, 0)):
        with sections(*sizes):
            assert "".join(unified_diff("f", read, edits)) == held, sizes
            for color in (False, True):
                assert "".join(word_diff("f", read, edits, color=color)) == shown[color], sizes


@settings(max_examples=100, deadline=None)
@given(
    lines=LINES,
    picks=PICKS,
    hold=st.sampled_from([0, 1, 5, 40]),
)
def test_runs_too_long_to_hold_are_read_again_to_the_same_diff(lines, picks, hold):
    """Read in pieces, a run of changed lines longer than HOLD_CHARS is read a second
    time for its new lines (from a cursor opened only then); the diff is the one a held
    run gives."""
    text = "".join(lines)
    edits = _picked_edits(text, picks)
    opened = []

    def reader():
        opened.append(1)
        return iter(split_lines(text))

    with sections(1 << 20, 0):  # the first line is past the limit: all read in pieces
        held = "".join(unified_diff("f.txt", reader, edits))
        reads_when_held = len(opened)
        saved, diff_module.HOLD_CHARS = diff_module.HOLD_CHARS, hold
        try:
            opened.clear()
            again = "".join(unified_diff("f.txt", reader, edits))
        finally:
            diff_module.HOLD_CHARS = saved
    assert again == held
    # Its first line read for a section, then placing the hunks, then writing them; with
    # no edits, opened for the sections but not read on.
    assert reads_when_held == (3 if edits else 1)
    if edits and hold == 0:
        assert len(opened) == 4  # every run read again, by the one more cursor
    else:
        assert len(opened) <= 4

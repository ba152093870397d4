"""Diffs made from the edits themselves: a unified diff that ``patch -p1`` and
``git apply`` apply exactly, and a coloured word diff for reading in a terminal.

The original is read twice, line by line: once to place the hunks (their lines are
counted, not kept), once to write them. So a diff of a large file with edits on every
line needs memory for one run of changed lines at a time, not for the file.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import click

from cleanup.apply import apply_edits
from cleanup.edit import Edit
from cleanup.textio import split_lines

CONTEXT_LINES = 3
NO_NEWLINE = "\\ No newline at end of file\n"

# The original's lines, '\n' kept: a list, or a function that reads them afresh.
Lines = list[str] | Callable[[], Iterable[str]]


@dataclass
class Hunk:
    """Where a hunk is in the original, which of its lines edits touch, and its edits."""

    first_line: int  # 1-based number of its first line
    offset: int  # offset of its first line in the original
    touched: bytearray = field(default_factory=bytearray)  # 1 for a changed line
    edits: list[Edit] = field(default_factory=list)
    new_count: int = 0  # lines it has after the edits
    trailing: int = 0  # unchanged lines at its end

    @property
    def old_count(self) -> int:
        return len(self.touched)


def _open(lines: Lines) -> Iterator[str]:
    return iter(lines()) if callable(lines) else iter(lines)


def hunks(lines: Lines, edits: Sequence[Edit], context: int = CONTEXT_LINES) -> list[Hunk]:
    """Place sorted, non-overlapping edits in hunks with ``context`` lines around them."""
    pending = deque(sorted(edits, key=lambda e: (e.start, e.end)))
    found: list[Hunk] = []
    before: deque[tuple[int, int]] = deque(maxlen=context)  # (offset, length) of lines
    hunk: Hunk | None = None
    run: list[str] = []  # the changed lines being read, to count them after the edits
    run_edits: list[Edit] = []  # and their edits
    run_start = 0
    active_end = -1  # an edit spanning lines keeps them changed up to here
    offset = number = 0
    for number, (line, is_last) in enumerate(_with_last(_open(lines)), start=1):
        end = offset + len(line)
        mine = []
        while pending and (pending[0].start < end or (pending[0].start == end and is_last)):
            mine.append(pending.popleft())
        if mine:
            # An edit that takes a line break joins this line to the next: touch both.
            active_end = max(active_end, *(e.end + e.original.endswith("\n") for e in mine))
        if mine or offset < active_end:
            if hunk is None:
                start = before[0][0] if before else offset
                hunk = Hunk(number - len(before), start, bytearray(len(before)), [], len(before))
            if not run:
                run_start = offset
                run_edits = []
            run.append(line)
            run_edits.extend(mine)
            hunk.touched.append(1)
            hunk.edits.extend(mine)
            hunk.trailing = 0
            before.clear()
            offset = end
            continue
        if run and hunk is not None:
            hunk.new_count += _count_new(run, run_start, run_edits)
            run = []
        if hunk is not None:
            hunk.touched.append(0)
            hunk.new_count += 1
            hunk.trailing += 1
            if hunk.trailing > 2 * context:
                found.append(_trim(hunk, context))
                hunk = None
        before.append((offset, len(line)))
        offset = end
    if hunk is not None:
        if run:
            hunk.new_count += _count_new(run, run_start, run_edits)
        found.append(_trim(hunk, context))
    elif pending and number == 0:  # an insertion into an empty text
        new = split_lines(apply_edits("", list(pending)))
        found.append(Hunk(1, 0, bytearray(), list(pending), len(new)))
    return found


def _count_new(run: list[str], start: int, edits: list[Edit]) -> int:
    """How many lines a run of changed lines has after its edits."""
    return len(split_lines(apply_edits("".join(run), edits, base=start)))


def _with_last(lines: Iterator[str]) -> Iterator[tuple[str, bool]]:
    prev = next(lines, None)
    for line in lines:
        yield prev, False  # type: ignore[misc]
        prev = line
    if prev is not None:
        yield prev, True


def _trim(hunk: Hunk, context: int) -> Hunk:
    extra = max(0, hunk.trailing - context)
    if extra:
        del hunk.touched[len(hunk.touched) - extra :]
        hunk.new_count -= extra
        hunk.trailing -= extra
    return hunk


@dataclass
class _Reader:
    """Reads the original once more, hunk after hunk, in order."""

    lines: Iterator[str]
    number: int = 0  # lines read so far

    def take(self, hunk: Hunk) -> Iterator[tuple[str, bool]]:
        """The hunk's lines, each with whether an edit touches it."""
        while self.number < hunk.first_line - 1:
            next(self.lines)
            self.number += 1
        for touched in hunk.touched:
            self.number += 1
            yield next(self.lines), bool(touched)


def _runs(hunk: Hunk, reader: _Reader) -> Iterator[tuple[list[str], list[str] | None]]:
    """A hunk as context lines (new None) and runs of changed lines with their new lines."""
    edits = deque(hunk.edits)
    offset = hunk.offset
    run: list[str] = []
    run_start = offset
    for line, touched in reader.take(hunk):
        if touched:
            if not run:
                run_start = offset
            run.append(line)
        else:
            if run:
                yield run, _apply_run(run, run_start, edits)
                run = []
            yield [line], None
        offset += len(line)
    if run or edits:
        yield run, _apply_run(run, run_start, edits)


def _apply_run(run: list[str], start: int, edits: deque[Edit]) -> list[str]:
    text = "".join(run)
    end = start + len(text)
    mine = []
    while edits and edits[0].start <= end:
        mine.append(edits.popleft())
    return split_lines(apply_edits(text, mine, base=start))


def unified_diff(label: str, lines: Lines, edits: Sequence[Edit]) -> Iterator[str]:
    """A unified diff of one file, ``a/label`` to ``b/label``; nothing when no edits."""
    found = hunks(lines, edits)
    if not found:
        return
    yield f"--- {patch_name('a/' + label)}\n+++ {patch_name('b/' + label)}\n"
    reader = _Reader(_open(lines))
    delta = 0
    for hunk in found:
        old_count, new_count = hunk.old_count, hunk.new_count
        old_start = hunk.first_line if old_count else hunk.first_line - 1
        new_start = hunk.first_line + delta if new_count else hunk.first_line + delta - 1
        yield f"@@ -{_range(old_start, old_count)} +{_range(new_start, new_count)} @@\n"
        for old, new in _runs(hunk, reader):
            if new is None:
                yield _line(" ", old[0])
                continue
            # Every line of a run is shown as changed: a hunk must keep the same number
            # of context lines at both ends, or `patch` anchors it to the file's edge.
            yield from (_line("-", line) for line in old)
            yield from (_line("+", line) for line in new)
        delta += new_count - old_count


# What git C-quotes in a file name (with core.quotePath off): control characters, '"' and '\\'.
_C_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_NEEDS_QUOTES = re.compile(r'[\x00-\x1f\x7f"\\]')


def patch_name(name: str) -> str:
    r"""A file name as a ``---``/``+++`` line gives it, the way git writes it.

    A name with a control character, '"' or '\' is C-quoted, so that no name can end the
    line or start another one; ``git apply`` and GNU ``patch`` both read it back. A name
    with a space ends with a tab, which GNU patch needs to see where the name ends.

    >>> patch_name("a/x.txt"), patch_name("a/tab\there.txt"), patch_name("a/s p")
    ('a/x.txt', '"a/tab\\there.txt"', 'a/s p\t')
    """
    if _NEEDS_QUOTES.search(name):
        quoted = _NEEDS_QUOTES.sub(
            lambda m: _C_ESCAPES.get(m[0]) or "".join(f"\\{b:03o}" for b in m[0].encode()),
            name,
        )
        return f'"{quoted}"'
    return name + "\t" if any(c.isspace() for c in name) else name


def _range(start: int, count: int) -> str:
    return str(start) if count == 1 else f"{start},{count}"


def _line(prefix: str, line: str) -> str:
    return prefix + line if line.endswith("\n") else prefix + line + "\n" + NO_NEWLINE


def word_diff(label: str, lines: Lines, edits: Sequence[Edit], *, color: bool) -> Iterator[str]:
    """The changed lines of one file with each edit shown in place, for reading."""
    reader = _Reader(_open(lines))
    for hunk in hunks(lines, edits, context=0):
        text = "".join(line for line, _ in reader.take(hunk))
        parts = [click.style(f"{label}:{hunk.first_line}", bold=True) + "\n"]
        pos = 0
        for edit in sorted(hunk.edits, key=lambda e: e.start):
            start, end = edit.start - hunk.offset, edit.end - hunk.offset
            parts.append(text[pos:start])
            parts.append(_marked(edit.original, "-", "red", color))
            parts.append(_marked(edit.replacement, "+", "green", color))
            pos = end
        parts.append(text[pos:])
        body = "".join(parts)
        yield body if body.endswith("\n") else body + "\n"


def _marked(text: str, sign: str, colour: str, color: bool) -> str:
    if not text:
        return ""
    text = text.replace("\n", "↵\n")  # a removed or added line break stays visible
    if color:
        return click.style(text, fg=colour, strikethrough=sign == "-", bold=sign == "+")
    return f"[{sign}{text}{sign}]"

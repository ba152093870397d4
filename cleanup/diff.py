"""Diffs made from the edits themselves: a unified diff that ``patch -p1`` and
``git apply`` apply exactly, and a coloured word diff for reading in a terminal.

A text is diffed in sections held whole: the whole text when it is held, or, for one read
afresh, about SECTION_CHARS at a time, cut at a line break where no hunk goes on past
it. In a section, each edit is placed on its lines by bisection, and each hunk is cut from
the text in slices, so the cost follows the edits and the hunks, not the lines.

Where a hunk, or a line, grows past SECTION_LIMIT, the rest of the text is read in
pieces (lines, and a long line in parts): once to place the hunks (their lines are
counted, not kept), then to write them. A run of changed lines is written as it was, and
held (up to HOLD_CHARS) to be written again with its edits applied; a longer run is read
a third time. The edits too are read twice, to place the hunks and to write them, and
taken as the text reaches them. So a diff needs memory for a few megabytes of text and a
byte per line of its longest hunk, not for the file, nor for a line, however long, nor
for its edits (when they come from a spool file).
"""

from __future__ import annotations

import bisect
import itertools
import math
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
# Diff lines are prefixed this many characters of the original at a time.
PREFIX_BATCH = 64 * 1024
# A run of changed lines up to this many characters is held as it is read for its old
# lines, and edited for its new ones; a longer one is read again.
HOLD_CHARS = 1 << 20
# A text read afresh is held and diffed in sections of about this many characters...
SECTION_CHARS = 1 << 20
# ...and read in pieces from where a hunk, or a line, grows past this many.
SECTION_LIMIT = 4 << 20

# The original: its whole text, or a function that reads its lines afresh, '\n' kept. A
# piece that does not end with '\n' is continued by the next one (a long line read in
# parts).
Lines = str | Callable[[], Iterable[str]]


@dataclass
class Hunk:
    """Where a hunk is in the original, which of its lines edits touch, and how many edits
    it has: they are the next ones in text order, read again when it is written."""

    first_line: int  # 1-based number of its first line
    offset: int  # offset of its first line in the original
    touched: bytearray = field(default_factory=bytearray)  # 1 for a changed line
    edit_count: int = 0
    new_count: int = 0  # lines it has after the edits
    trailing: int = 0  # unchanged lines at its end

    @property
    def old_count(self) -> int:
        return len(self.touched)


def _open(lines: Lines) -> Iterator[str]:
    return iter(lines()) if callable(lines) else iter(split_lines(lines))


def _line_spans(pieces: Iterator[str], offset: int = 0) -> Iterator[tuple[int, int, bool, bool]]:
    """(offset, length, is last, ends with a line break) of each line of the pieces, the
    first at ``offset``."""
    length = 0
    piece = next(pieces, None)
    while piece is not None:
        following = next(pieces, None)
        length += len(piece)
        ends = piece.endswith("\n")
        if ends or following is None:
            yield offset, length, following is None, ends
            offset += length
            length = 0
        piece = following


@dataclass
class _Run:
    """A run of changed lines being read: where it is, its line count, and what its edits
    do to it, counted as they come (they are not kept)."""

    start: int = 0
    end: int = 0
    lines: int = 0
    ends_nl: bool = True
    growth: int = 0  # characters its edits add (or take away)
    breaks: int = 0  # line breaks its edits add (or take away)
    # Where the edits at its end reach, and whether the text ends with a line break there:
    # the last edit that writes something ends with one, or the deletions after it start
    # a line (so the character before them is a line break).
    tail: tuple[int, bool] | None = None

    def add(self, edit: Edit, line_offset: int) -> None:
        """Count an edit that starts on the line at ``line_offset``."""
        self.growth += len(edit.replacement) - len(edit.original)
        self.breaks += edit.replacement.count("\n") - edit.original.count("\n")
        if edit.replacement:
            self.tail = (edit.end, edit.replacement.endswith("\n"))
        elif self.tail is not None and self.tail[0] == edit.start:
            self.tail = (edit.end, self.tail[1])  # a deletion that goes on from the last edit
        else:
            self.tail = (edit.end, edit.start == line_offset)

    def new_count(self) -> int:
        """How many lines the run has after its edits, counted without the text."""
        size = self.end - self.start + self.growth
        if size <= 0:
            return 0
        breaks = self.lines - (not self.ends_nl) + self.breaks
        tail = self.tail
        ends_nl = tail[1] if tail is not None and tail[0] == self.end else self.ends_nl
        return breaks + (not ends_nl)


@dataclass(frozen=True)
class _Start:
    """Where a text is read from: the offset of a line, and its number (0-based)."""

    offset: int = 0
    line: int = 0


def _read_from(lines: Lines, start: _Start) -> Iterator[str]:
    """The pieces of the text from ``start`` on: a line starts a piece."""
    pieces, pos = _open(lines), 0
    while pos < start.offset:
        pos += len(next(pieces))
    assert pos == start.offset, "a text is read from the start of a line"
    return pieces


def hunks(
    lines: Lines, edits: Iterable[Edit], context: int = CONTEXT_LINES, at: _Start = _Start()
) -> Iterator[Hunk]:
    """Place non-overlapping edits in hunks with ``context`` lines around them, one hunk
    at a time, from the line ``at`` on. A list is sorted first; any other iterable
    must give the edits in text order (a spool read back), and is read only as far as the
    lines reached."""
    if isinstance(edits, Sequence):
        edits = sorted(edits, key=lambda e: (e.start, e.end))
    # The next edit, taken from ``stream``: looked at for every line.
    stream = iter(edits)
    pending = next(stream, None)
    before: deque[tuple[int, int]] = deque(maxlen=context)  # (offset, length) of lines
    hunk: Hunk | None = None
    run: _Run | None = None  # the changed lines being read, to count them after the edits
    active_end = -1  # an edit spanning lines keeps them changed up to here
    number = at.line
    spans = _line_spans(_read_from(lines, at), at.offset)
    for number, (offset, length, is_last, ends_nl) in enumerate(spans, start=at.line + 1):
        end = offset + length
        mine = []
        while pending is not None and (pending.start < end or (pending.start == end and is_last)):
            mine.append(pending)
            pending = next(stream, None)
        if mine:
            # An edit that takes a line break joins this line to the next: touch both.
            active_end = max(active_end, *(e.end + e.original.endswith("\n") for e in mine))
        if mine or offset < active_end:
            if hunk is None:
                start = before[0][0] if before else offset
                hunk = Hunk(number - len(before), start, bytearray(len(before)), 0, len(before))
            if run is None:
                run = _Run(start=offset)
            run.end, run.ends_nl = end, ends_nl
            run.lines += 1
            for e in mine:
                run.add(e, offset)
            hunk.touched.append(1)
            hunk.edit_count += len(mine)
            hunk.trailing = 0
            before.clear()
            continue
        if run is not None and hunk is not None:
            hunk.new_count += run.new_count()
            run = None
        if hunk is not None:
            hunk.touched.append(0)
            hunk.new_count += 1
            hunk.trailing += 1
            if hunk.trailing > 2 * context:
                yield _trim(hunk, context)
                hunk = None
        before.append((offset, length))
    if hunk is not None:
        if run is not None:
            hunk.new_count += run.new_count()
        yield _trim(hunk, context)
    elif pending is not None and number == 0:  # an insertion into an empty text
        rest = [pending, *stream]
        yield Hunk(1, 0, bytearray(), len(rest), len(split_lines(apply_edits("", rest))))


class _Ahead:
    """Edits in order, with the next one in view (``pending[0]``)."""

    def __init__(self, edits: Iterator[Edit]) -> None:
        self._edits = edits
        self._next: Edit | None = next(edits, None)

    def __bool__(self) -> bool:
        return self._next is not None

    def __getitem__(self, index: int) -> Edit:
        assert index == 0 and self._next is not None
        return self._next

    def popleft(self) -> Edit:
        edit = self[0]
        self._next = next(self._edits, None)
        return edit

    def rest(self) -> list[Edit]:
        out = [self._next] if self._next is not None else []
        out.extend(self._edits)
        self._next = None
        return out


def _trim(hunk: Hunk, context: int) -> Hunk:
    extra = max(0, hunk.trailing - context)
    if extra:
        del hunk.touched[len(hunk.touched) - extra :]
        hunk.new_count -= extra
        hunk.trailing -= extra
    return hunk


@dataclass
class _Cursor:
    """Reads the original once more, piece by piece, forward only."""

    pieces: Iterator[str]
    line: int = 1  # the number of the line the next piece is part of
    offset: int = 0  # the offset of the next piece

    def seek(self, line: int) -> None:
        """Skip to the start of line ``line``."""
        for _ in self.lines(line - self.line):
            pass

    def lines(self, count: int) -> Iterator[str]:
        """The pieces of the next ``count`` lines."""
        stop = self.line + count
        while self.line < stop:
            piece = next(self.pieces, None)
            if piece is None:
                return
            self.offset += len(piece)
            if piece.endswith("\n"):
                self.line += 1
            yield piece


def _cursor(lines: Lines, start: _Start) -> _Cursor:
    return _Cursor(_read_from(lines, start), start.line + 1, start.offset)


def _prefixed(prefix: str, pieces: Iterable[str]) -> Iterator[str]:
    """Pieces of text as diff lines: ``prefix`` before each line, and the marker after a
    last line without a line break. Pieces are joined up to PREFIX_BATCH characters and
    prefixed at once."""
    at_start, last = True, ""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        if not piece:
            continue
        batch.append(piece)
        size += len(piece)
        last = piece
        if size >= PREFIX_BATCH:
            yield _prefix_lines(prefix, "".join(batch), at_start)
            at_start, batch, size = piece.endswith("\n"), [], 0
    if batch:
        yield _prefix_lines(prefix, "".join(batch), at_start)
    if last and not last.endswith("\n"):
        yield "\n" + NO_NEWLINE


def _prefix_lines(prefix: str, text: str, at_start: bool) -> str:
    """``text`` with ``prefix`` at the start of each line in it (its first only when
    ``at_start``: else it goes on a line begun before)."""
    body = text.replace("\n", "\n" + prefix)
    if text.endswith("\n"):
        body = body[: len(body) - len(prefix)]
    return prefix + body if at_start else body


def _apply_pieces(pieces: Iterable[str], start: int, edits: Iterable[Edit]) -> Iterator[str]:
    """The text of ``pieces`` (which start at offset ``start``) with sorted, non-overlapping
    edits applied, piece by piece; an edit may span pieces. The edits are taken as the
    text reaches them."""
    stream = iter(edits)
    pending = next(stream, None)
    pos = done = start  # done: the original text before it is written or replaced
    for piece in pieces:
        first, pos = pos, pos + len(piece)
        while pending is not None and pending.start < pos:
            edit, pending = pending, next(stream, None)
            if edit.start > done:
                yield piece[done - first : edit.start - first]
            yield edit.replacement
            done = edit.end
        if done < pos:
            yield piece[max(done, first) - first :]
            done = pos
    if pending is not None:  # at the end of the text
        yield pending.replacement
        for edit in stream:
            yield edit.replacement


class _HunkEdits:
    """The edits read again to write the hunks: each hunk takes its own, in text order,
    as its lines reach them."""

    def __init__(self, edits: Iterable[Edit]) -> None:
        self._stream = iter(edits)
        self._next = next(self._stream, None)
        self._left = 0  # of the hunk being written

    def start(self, hunk: Hunk) -> None:
        self._left = hunk.edit_count

    def upto(self, end: float) -> Iterator[Edit]:
        """The hunk's next edits that start at or before ``end``, taken as they are read."""
        while self._left:
            edit = self._next
            assert edit is not None, "a hunk counts more edits than were read"
            if edit.start > end:
                return
            self._left -= 1
            self._next = next(self._stream, None)
            yield edit

    def rest(self) -> Iterator[Edit]:
        """The hunk's edits not taken yet."""
        return self.upto(math.inf)


def _gather(pieces: Iterator[str]) -> tuple[list[str], bool]:
    """Pieces read while they come to at most HOLD_CHARS: all of them (True), or those up
    to the first past it (False), the rest left in ``pieces``."""
    taken, size = [], 0
    for piece in pieces:
        taken.append(piece)
        size += len(piece)
        if size > HOLD_CHARS:
            return taken, False
    return taken, True


class _Again:
    """The original read once more, from the first run of changed lines too long to hold
    on; never opened when every run was held."""

    def __init__(self, lines: Lines, start: _Start) -> None:
        self._lines, self._start = lines, start
        self._cursor: _Cursor | None = None

    def at(self, line: int) -> _Cursor:
        if self._cursor is None:
            self._cursor = _cursor(self._lines, self._start)
        self._cursor.seek(line)
        return self._cursor


def _hunk_body(hunk: Hunk, old: _Cursor, again: _Again, edits: _HunkEdits) -> Iterator[str]:
    """A hunk's lines: context, and each run of changed lines as its old lines (read by
    ``old``) and then its new lines: the same lines, held as they were read (or read
    again by ``again`` when there were too many to hold), edited."""
    edits.start(hunk)
    old.seek(hunk.first_line)
    touched, i = hunk.touched, 0
    while i < len(touched):
        changed = touched[i]
        j = touched.find(0 if changed else 1, i)
        j = len(touched) if j < 0 else j
        start, part = old.offset, old.lines(j - i)
        taken, whole = _gather(part)
        if not changed:
            if whole:
                yield _prefixed_text(" ", "".join(taken))
            else:
                yield from _prefixed(" ", itertools.chain(taken, part))
        # Every line of a run is shown as changed: a hunk must keep the same number
        # of context lines at both ends, or `patch` anchors it to the file's edge.
        elif whole:
            text = "".join(taken)
            yield _prefixed_text("-", text)
            yield _prefixed_text("+", apply_edits(text, list(edits.upto(old.offset)), base=start))
        else:
            yield from _prefixed("-", itertools.chain(taken, part))
            cursor = again.at(hunk.first_line + i)
            mine = edits.upto(old.offset)
            yield from _prefixed("+", _apply_pieces(cursor.lines(j - i), cursor.offset, mine))
        i = j
    end = list(edits.rest())
    if end:  # an insertion at the very end
        yield from _prefixed("+", _apply_pieces([], old.offset, end))


# The edits of a diff: a list, or a function that reads them afresh in text order (a
# spool read back): they are read twice, to place the hunks and to write them.
Edits = Sequence[Edit] | Callable[[], Iterable[Edit]]


def _passes(edits: Edits | Iterable[Edit]) -> Callable[[], Iterable[Edit]]:
    """A function that gives the edits in text order, each time it is called."""
    if callable(edits):
        return edits
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    return lambda: ordered


def _after(passes: Callable[[], Iterable[Edit]], offset: int) -> Callable[[], Iterable[Edit]]:
    """The edits that start at or after ``offset``, each time it is called."""
    return lambda: itertools.dropwhile(lambda e: e.start < offset, passes())


def unified_diff(label: str, lines: Lines, edits: Edits | Iterable[Edit]) -> Iterator[str]:
    """A unified diff of one file, ``a/label`` to ``b/label``; nothing when no edits.

    Hunks are cut from the sections of the text held whole; where the rest must be read
    in pieces, they are made as the diff is written, and the edits are read once to place
    them and once to write them: edits read back from a spool are never all held."""
    passes = _passes(edits)
    delta, begun = 0, False
    for part in _sections(lines, passes, CONTEXT_LINES):
        if isinstance(part, _Start):
            body: Iterable[str] = _streamed_hunks(lines, _after(passes, part.offset), part, delta)
        else:
            body, delta = _section_hunks(part, CONTEXT_LINES, delta)
        for piece in body:
            if not begun:
                yield _header(label)
                begun = True
            yield piece


def _streamed_hunks(
    lines: Lines, passes: Callable[[], Iterable[Edit]], start: _Start, delta: int
) -> Iterator[str]:
    """The hunks of the text from ``start`` on, read in pieces; ``delta`` is how many
    lines the edits before it added."""
    found = hunks(lines, iter(passes()), at=start)
    first = next(found, None)
    if first is None:
        return
    old, again, body = _cursor(lines, start), _Again(lines, start), _HunkEdits(passes())
    for hunk in itertools.chain([first], found):
        yield _hunk_header(hunk.first_line, hunk.old_count, hunk.new_count, delta)
        yield from _hunk_body(hunk, old, again, body)
        delta += hunk.new_count - hunk.old_count


def _hunk_header(first_line: int, old_count: int, new_count: int, delta: int) -> str:
    """The ``@@`` line of a hunk from line ``first_line`` (1-based) of the original, after
    edits that added ``delta`` lines; an empty side starts at the line before."""
    old_start = first_line if old_count else first_line - 1
    new_start = first_line + delta if new_count else first_line + delta - 1
    return f"@@ -{_range(old_start, old_count)} +{_range(new_start, new_count)} @@\n"


def _header(label: str) -> str:
    return f"--- {patch_name('a/' + label)}\n+++ {patch_name('b/' + label)}\n"


@dataclass
class _Changed:
    """A run of changed lines of a section: its first and last line (0-based, in the
    section) and the edits that start on them."""

    first: int
    last: int
    edits: list[Edit]


def _line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts, lines split on '\n' only (as ``split_lines``)."""
    if not text:
        return []
    starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n"))]
    del starts[-1]  # one past the end of the text
    if starts[-1] == len(text):
        del starts[-1]  # the text ends with '\n': no line starts there
    return starts


def _line_end(text: str, starts: list[int], line: int) -> int:
    """Where line ``line`` (0-based) of ``text`` ends, its line break included."""
    return starts[line + 1] if line + 1 < len(starts) else len(text)


def _changed_runs(starts: list[int], edits: Iterable[Edit], base: int = 0) -> list[_Changed]:
    """The runs of lines that sorted, non-overlapping edits change: an edit is on the line
    where it starts (at the text's end, its last line), and changes the lines up to where
    it ends, and the next one too when it takes away a line break, which joins them. The
    edits' offsets count from ``base``, the offset of the first line."""
    runs: list[_Changed] = []
    count = len(starts)
    for edit in edits:
        first = bisect.bisect_right(starts, edit.start - base) - 1
        reach = edit.end - base + edit.original.endswith("\n")
        if first + 1 < count and reach <= starts[first + 1]:
            last = first  # the common edit: inside its line (no second search)
        else:
            last = max(first, bisect.bisect_left(starts, reach) - 1)
        if runs and first <= runs[-1].last + 1:
            run = runs[-1]
            run.last = max(run.last, last)
            run.edits.append(edit)
        else:
            runs.append(_Changed(first, last, [edit]))
    return runs


def _hunk_runs(runs: list[_Changed], context: int) -> Iterator[list[_Changed]]:
    """Runs grouped in hunks: runs with at most ``2 * context`` lines between them share
    one, whose context would otherwise meet or overlap."""
    group: list[_Changed] = []
    for run in runs:
        if group and run.first - group[-1].last - 1 > 2 * context:
            yield group
            group = []
        group.append(run)
    if group:
        yield group


@dataclass
class _Section:
    """Lines of the original held whole, and the hunks that lie in them: groups of runs
    of changed lines (one run each with no context)."""

    text: str
    starts: list[int]  # where its lines start in ``text``
    at: _Start  # where ``text`` is in the original
    groups: list[list[_Changed]]
    inserted: list[Edit]  # the edits of an empty text


def _section(text: str, at: _Start, edits: list[Edit], context: int) -> _Section:
    starts = _line_starts(text)
    if not starts:
        return _Section(text, starts, at, [], list(edits))
    groups = list(_hunk_runs(_changed_runs(starts, edits, at.offset), context))
    return _Section(text, starts, at, groups, [])


def _sections(
    lines: Lines, passes: Callable[[], Iterable[Edit]], context: int
) -> Iterator[_Section | _Start]:
    """The original in sections held whole, in text order, each with the hunks that lie
    in it; or, when a hunk or a line grows past SECTION_LIMIT, where the rest is to be
    read in pieces.

    A text read afresh is read about SECTION_CHARS at a time, up to a line break. A hunk
    that may go on past the next to last line read (it reaches within ``2 * context + 1``
    lines of it) is held back, with the lines before it that are its context, and read
    again with the next section; so are the last line and its context, for any hunk that
    follows."""
    if isinstance(lines, str):
        ordered = list(passes())
        if ordered:
            yield _section(lines, _Start(), ordered, context)
        return
    pieces, pending = _open(lines), _Ahead(iter(passes()))
    text, at = "", _Start()
    held: list[Edit] = []  # the edits that start in ``text``
    more = True
    while more and (held or pending):  # past the last edit, nothing more to read
        parts, size = [text], len(text)
        while True:
            piece = next(pieces, None)
            if piece is None:
                more = False
                break
            parts.append(piece)
            size += len(piece)
            if size > SECTION_LIMIT:
                yield at
                return
            if size >= len(text) + SECTION_CHARS and piece.endswith("\n"):
                break
        text = "".join(parts)
        end = at.offset + len(text)
        while pending and (not more or pending[0].start < end):
            held.append(pending.popleft())
        section = _section(text, at, held, context)
        if more:
            # Its last line is held back too, and its context: if the text ends there,
            # an insertion at its end is on that line.
            count = len(section.starts)
            keep = count - context - 1
            groups = section.groups
            if groups and groups[-1][-1].last + 2 * context + 2 >= count:
                keep = min(keep, groups.pop()[0].first - context)
            keep = max(0, keep)
            del held[: sum(len(run.edits) for group in groups for run in group)]
            cut = section.starts[keep]
            text, at = text[cut:], _Start(at.offset + cut, at.line + keep)
        yield section


def _section_hunks(section: _Section, context: int, delta: int) -> tuple[list[str], int]:
    """The hunks of a section, and ``delta`` (how many lines the edits before it added)
    with the lines its own add."""
    text, starts, base, number = section.text, section.starts, section.at.offset, section.at.line
    if section.inserted:  # an insertion into an empty text
        new = apply_edits(text, section.inserted)
        count = _line_count(new)
        return [_hunk_header(1, 0, count, delta), _prefixed_text("+", new)], delta + count
    lines, out = len(starts), []
    for group in section.groups:
        first, last = max(0, group[0].first - context), min(lines - 1, group[-1].last + context)
        old_count = new_count = last - first + 1
        body, line = [], first
        for run in group:
            start, end = starts[run.first], _line_end(text, starts, run.last)
            new = apply_edits(text, run.edits, start, end, base)
            body.append(_prefixed_text(" ", text[starts[line] : start]))
            body.append(_prefixed_text("-", text[start:end]))
            body.append(_prefixed_text("+", new))
            new_count += _line_count(new) - (run.last - run.first + 1)
            line = run.last + 1
        if line <= last:
            body.append(_prefixed_text(" ", text[starts[line] : _line_end(text, starts, last)]))
        out.append(_hunk_header(number + first + 1, old_count, new_count, delta))
        out.append("".join(body))
        delta += new_count - old_count
    return out, delta


def _line_count(text: str) -> int:
    return text.count("\n") + (bool(text) and not text.endswith("\n"))


def _prefixed_text(prefix: str, text: str) -> str:
    """``text`` as diff lines, as ``_prefixed`` writes them."""
    if not text:
        return ""
    lines = _prefix_lines(prefix, text, True)
    return lines if text.endswith("\n") else lines + "\n" + NO_NEWLINE


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


def word_diff(
    label: str, lines: Lines, edits: Edits | Iterable[Edit], *, color: bool
) -> Iterator[str]:
    """The changed lines of one file with each edit shown in place, for reading: each
    run of changed lines is held with its edits while it is shown."""
    passes = _passes(edits)
    for part in _sections(lines, passes, 0):
        if isinstance(part, _Start):
            yield from _streamed_shown(label, lines, _after(passes, part.offset), part, color)
            return
        text, starts, base = part.text, part.starts, part.at.offset
        if part.inserted:
            yield _shown(label, 1, 0, "", part.inserted, color)
        for (run,) in part.groups:
            start, end = starts[run.first], _line_end(text, starts, run.last)
            number = part.at.line + run.first + 1
            yield _shown(label, number, base + start, text[start:end], run.edits, color)


def _streamed_shown(
    label: str, lines: Lines, passes: Callable[[], Iterable[Edit]], start: _Start, color: bool
) -> Iterator[str]:
    """The changed lines of the text from ``start`` on, read in pieces."""
    cursor, taken = _cursor(lines, start), _HunkEdits(passes())
    for hunk in hunks(lines, iter(passes()), context=0, at=start):
        cursor.seek(hunk.first_line)
        text = "".join(cursor.lines(hunk.old_count))
        taken.start(hunk)
        yield _shown(label, hunk.first_line, hunk.offset, text, taken.rest(), color)


def _shown(
    label: str, number: int, offset: int, text: str, edits: Iterable[Edit], color: bool
) -> str:
    """Changed lines (the ``text`` at ``offset``, from line ``number``) with their edits
    shown in place."""
    parts = [click.style(f"{label}:{number}", bold=True) + "\n"]
    pos = 0
    for edit in edits:
        start, end = edit.start - offset, edit.end - offset
        parts.append(text[pos:start])
        parts.append(_marked(edit.original, "-", "red", color))
        parts.append(_marked(edit.replacement, "+", "green", color))
        pos = end
    parts.append(text[pos:])
    body = "".join(parts)
    return body if body.endswith("\n") else body + "\n"


def _marked(text: str, sign: str, colour: str, color: bool) -> str:
    if not text:
        return ""
    text = text.replace("\n", "↵\n")  # a removed or added line break stays visible
    if color:
        return click.style(text, fg=colour, strikethrough=sign == "-", bold=sign == "+")
    return f"[{sign}{text}{sign}]"

"""Diffs made from the edits themselves: a unified diff that ``patch -p1`` and
``git apply`` apply exactly, and a coloured word diff for reading in a terminal.

The original is read twice, in large pieces: once to place the hunks, once to write
them. Lines are found with string searches around the edits, so the cost follows the
edits and the lines shown, not the size of the file, and memory holds one piece of the
file and one run of changed lines at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import click

from cleanup.apply import apply_edits
from cleanup.edit import Edit

CONTEXT_LINES = 3
# Text already passed is let go once there is this much of it (and half the window).
RELEASE_CHARS = 1 << 20
NO_NEWLINE = "\\ No newline at end of file\n"

# The original: the text itself, or a function that reads it afresh in pieces.
Source = str | Callable[[], Iterable[str]]


@dataclass
class Run:
    """Consecutive lines that edits touch: shown whole as removed, then as added."""

    first_line: int  # 1-based number of its first line
    start: int  # offset of its first line
    end: int  # offset just past its last line
    old_count: int
    new_count: int = 0
    edits: list[Edit] = field(default_factory=list)


@dataclass
class Hunk:
    """Runs of changed lines with the unchanged lines around and between them."""

    first_line: int
    start: int  # offset of its first line
    end: int  # offset just past its last line
    old_count: int
    new_count: int
    runs: list[Run]


class _Window:
    """A stretch of the original, read piece by piece and let go once passed.

    Offsets are whole-text offsets; asking for text before what was let go is an error.
    """

    def __init__(self, source: Source) -> None:
        if isinstance(source, str):
            self._pieces: Iterator[str] = iter(())
            self.text, self.eof = source, True
        else:
            self._pieces = iter(source())
            self.text, self.eof = "", False
        self.base = 0  # offset of text[0]

    @property
    def end(self) -> int:
        """Offset just past the text read so far (the text's length once at the end)."""
        return self.base + len(self.text)

    def _more(self) -> bool:
        piece = next(self._pieces, None)
        if piece is None:
            self.eof = True
            return False
        self.text += piece
        return True

    def reach(self, offset: int) -> None:
        """Read until ``offset`` is inside the window or the text ends."""
        while offset >= self.end and not self.eof and self._more():
            pass

    def line_start(self, offset: int) -> int:
        """Offset of the line holding ``offset`` (at the very end: of the last line)."""
        self.reach(offset)
        if offset >= self.end and self.end > 0:
            offset = self.end - 1  # an insertion at the end belongs to the last line
        return self.text.rfind("\n", 0, max(0, offset - self.base)) + 1 + self.base

    def line_end(self, offset: int) -> int:
        """Offset just past the line holding ``offset`` (its '\\n' included)."""
        while True:
            i = self.text.find("\n", max(0, offset - self.base))
            if i >= 0:
                return self.base + i + 1
            if not self._more():
                return self.end

    def lines_back(self, offset: int, count: int, low: int) -> int:
        """Offset of the line ``count`` lines before the one starting at ``offset``, not
        before ``low``."""
        for _ in range(count):
            if offset <= low:
                break
            offset = self.text.rfind("\n", low - self.base, offset - 1 - self.base) + 1
            offset = max(low, offset + self.base if offset else low)
        return offset

    def lines_ahead(self, offset: int, count: int) -> int:
        """Offset just past ``count`` lines from ``offset`` (fewer at the end)."""
        for _ in range(count):
            self.reach(offset)
            if offset >= self.end:
                break
            offset = self.line_end(offset)
        return offset

    def count_lines(self, start: int, end: int) -> int:
        """Newlines in ``[start, end)``."""
        self.reach(end)
        return self.text.count("\n", start - self.base, end - self.base)

    def slice(self, start: int, end: int) -> str:
        self.reach(end)
        return self.text[start - self.base : end - self.base]

    def release(self, offset: int) -> None:
        """Let go of the text before ``offset``."""
        cut = offset - self.base
        if cut > len(self.text) // 2 and cut > RELEASE_CHARS:
            self.text = self.text[cut:]
            self.base = offset


def _line_count(text: str) -> int:
    """Lines of ``text`` as ``patch`` counts them (a last line may lack its '\\n')."""
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def _runs(window: _Window, edits: Sequence[Edit]) -> Iterator[Run]:
    """Sorted, non-overlapping edits gathered into runs of the lines they touch."""
    line, at = 1, 0  # the number of the line starting at offset ``at``
    run: Run | None = None
    for edit in edits:
        first = window.line_start(edit.start)
        # An edit that takes a line break joins its line to the next: both change.
        reach = edit.end + edit.original.endswith("\n")
        last = window.line_end(max(first, reach - 1)) if reach > first else first
        end = max(window.line_end(first), last)
        if run is not None and first <= run.end:
            run.end = max(run.end, end)
            run.edits.append(edit)
            continue
        if run is not None:
            yield _finish(window, run)
            line, at = run.first_line + run.old_count, run.end
            window.release(at)
        line += window.count_lines(at, first)
        at = first
        run = Run(line, first, end, 0, 0, [edit])
    if run is not None:
        yield _finish(window, run)


def _finish(window: _Window, run: Run) -> Run:
    text = window.slice(run.start, run.end)
    run.old_count = _line_count(text)
    run.new_count = _line_count(apply_edits(text, run.edits, base=run.start))
    return run


def hunks(source: Source, edits: Sequence[Edit], context: int = CONTEXT_LINES) -> list[Hunk]:
    """Place sorted, non-overlapping edits in hunks with ``context`` lines around them."""
    window = _Window(source)
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    found: list[Hunk] = []
    hunk: Hunk | None = None
    for run in _runs(window, ordered):
        if hunk is not None:
            gap = run.first_line - (hunk.first_line + hunk.old_count)
            if gap <= 2 * context:  # the lines between are shown once, as context
                hunk.old_count += gap + run.old_count
                hunk.new_count += gap + run.new_count
                hunk.end = run.end
                hunk.runs.append(run)
                continue
            found.append(_close(window, hunk, context))
        low = found[-1].end if found else 0
        start = window.lines_back(run.start, context, low)
        before = window.count_lines(start, run.start)
        hunk = Hunk(
            run.first_line - before,
            start,
            run.end,
            before + run.old_count,
            before + run.new_count,
            [run],
        )
    if hunk is not None:
        found.append(_close(window, hunk, context))
    return found


def _close(window: _Window, hunk: Hunk, context: int) -> Hunk:
    end = window.lines_ahead(hunk.end, context)
    after = _line_count(window.slice(hunk.end, end))
    hunk.old_count += after
    hunk.new_count += after
    hunk.end = end
    return hunk


def _prefixed(sign: str, text: str) -> str:
    """Each line of ``text`` with ``sign`` before it, as a diff shows lines."""
    if not text:
        return ""
    if text.endswith("\n"):
        return sign + text[:-1].replace("\n", "\n" + sign) + "\n"
    return sign + text.replace("\n", "\n" + sign) + "\n" + NO_NEWLINE


def unified_diff(label: str, source: Source, edits: Sequence[Edit]) -> Iterator[str]:
    """A unified diff of one file, ``a/label`` to ``b/label``; nothing when no edits."""
    found = hunks(source, edits)
    if not found:
        return
    # A tab ends a name with spaces for GNU patch (git writes the same).
    end = "\t" if any(c.isspace() for c in label) else ""
    yield f"--- a/{label}{end}\n+++ b/{label}{end}\n"
    window = _Window(source)
    delta = 0
    for hunk in found:
        old_count, new_count = hunk.old_count, hunk.new_count
        old_start = hunk.first_line if old_count else hunk.first_line - 1
        new_start = hunk.first_line + delta if new_count else hunk.first_line + delta - 1
        yield f"@@ -{_range(old_start, old_count)} +{_range(new_start, new_count)} @@\n"
        at = hunk.start
        for run in hunk.runs:
            yield _prefixed(" ", window.slice(at, run.start))
            old = window.slice(run.start, run.end)
            # Every line of a run is shown as changed: a hunk must keep the same number
            # of context lines at both ends, or `patch` anchors it to the file's edge.
            yield _prefixed("-", old)
            yield _prefixed("+", apply_edits(old, run.edits, base=run.start))
            at = run.end
            window.release(at)
        yield _prefixed(" ", window.slice(at, hunk.end))
        delta += new_count - old_count


def _range(start: int, count: int) -> str:
    return str(start) if count == 1 else f"{start},{count}"


def word_diff(label: str, source: Source, edits: Sequence[Edit], *, color: bool) -> Iterator[str]:
    """The changed lines of one file with each edit shown in place, for reading."""
    window = _Window(source)
    for run in _runs(window, sorted(edits, key=lambda e: (e.start, e.end))):
        text = window.slice(run.start, run.end)
        parts = [click.style(f"{label}:{run.first_line}", bold=True) + "\n"]
        pos = 0
        for edit in run.edits:
            start, end = edit.start - run.start, edit.end - run.start
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

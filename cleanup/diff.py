"""Diffs made from the edits themselves: a unified diff that ``patch -p1`` and
``git apply`` apply exactly, and a coloured word diff for reading in a terminal.

Hunks are built while the original is read line by line, so a diff of a large file
needs memory only for its hunks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import click

from cleanup.apply import apply_edits
from cleanup.edit import Edit
from cleanup.textio import split_lines

CONTEXT_LINES = 3
NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass
class Hunk:
    """Lines of the original around some edits (edits in offsets relative to ``lines``)."""

    first_line: int  # 1-based number of lines[0] in the original
    offset: int  # offset of lines[0] in the original
    lines: list[str] = field(default_factory=list)
    touched: list[bool] = field(default_factory=list)  # whether an edit falls on each line
    edits: list[Edit] = field(default_factory=list)
    trailing: int = 0  # unchanged lines at the end

    @property
    def old_text(self) -> str:
        return "".join(self.lines)

    @property
    def new_text(self) -> str:
        return apply_edits(self.old_text, self.edits, base=self.offset)


def hunks(
    lines: Iterable[str], edits: Sequence[Edit], context: int = CONTEXT_LINES
) -> Iterator[Hunk]:
    """Group sorted, non-overlapping edits into hunks with ``context`` lines around them."""
    pending = deque(sorted(edits, key=lambda e: (e.start, e.end)))
    before: deque[tuple[str, int]] = deque(maxlen=context)
    hunk: Hunk | None = None
    active_end = -1  # an edit spanning lines keeps them changed up to here
    offset = 0
    number = 0
    for number, (line, is_last) in enumerate(_with_last(lines), start=1):
        end = offset + len(line)
        mine = []
        while pending and (pending[0].start < end or (pending[0].start == end and is_last)):
            mine.append(pending.popleft())
        touched = bool(mine) or offset < active_end
        if mine:
            # An edit that takes a line break joins this line to the next: touch both.
            ends = (e.end + e.original.endswith("\n") for e in mine)
            active_end = max(active_end, *ends)
        if touched:
            if hunk is None:
                first = number - len(before)
                start = before[0][1] if before else offset
                hunk = Hunk(first, start, [text for text, _ in before], [False] * len(before))
            hunk.lines.append(line)
            hunk.touched.append(True)
            hunk.edits.extend(mine)
            hunk.trailing = 0
        elif hunk is not None:
            hunk.lines.append(line)
            hunk.touched.append(False)
            hunk.trailing += 1
            if hunk.trailing > 2 * context:
                # The last lines read become the leading context of the next hunk.
                tail = hunk.lines[len(hunk.lines) - context :] if context else []
                tail_start = end - sum(len(t) for t in tail)
                before.clear()
                for t in tail:
                    before.append((t, tail_start))
                    tail_start += len(t)
                yield _trim(hunk, context)
                hunk = None
        else:
            before.append((line, offset))
        offset = end
    if pending and number == 0:  # an insertion into an empty text
        hunk = Hunk(1, 0, [], [], list(pending))
    if hunk is not None:
        yield _trim(hunk, context)


def _with_last(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    it = iter(lines)
    prev = next(it, None)
    for line in it:
        yield prev, False  # type: ignore[misc]
        prev = line
    if prev is not None:
        yield prev, True


def _trim(hunk: Hunk, context: int) -> Hunk:
    extra = max(0, hunk.trailing - context)
    if extra:
        hunk.lines = hunk.lines[: len(hunk.lines) - extra]
        hunk.touched = hunk.touched[: len(hunk.touched) - extra]
        hunk.trailing -= extra
    return hunk


def unified_diff(label: str, lines: Iterable[str], edits: Sequence[Edit]) -> Iterator[str]:
    """A unified diff of one file, ``a/label`` to ``b/label``; nothing when no edits."""
    delta = 0
    header_done = False
    for hunk in hunks(lines, edits):
        if not header_done:
            # A tab ends a name with spaces for GNU patch (git writes the same).
            end = "\t" if any(c.isspace() for c in label) else ""
            yield f"--- a/{label}{end}\n+++ b/{label}{end}\n"
            header_done = True
        body, old_count, new_count = _hunk_body(hunk)
        old_start = hunk.first_line if old_count else hunk.first_line - 1
        new_start = hunk.first_line + delta if new_count else hunk.first_line + delta - 1
        yield f"@@ -{_range(old_start, old_count)} +{_range(new_start, new_count)} @@\n"
        yield from body
        delta += new_count - old_count


def _hunk_body(hunk: Hunk) -> tuple[list[str], int, int]:
    """Context lines as they are; each run of touched lines as '-' lines then '+' lines.

    Edits never cross an untouched line, so each run is rewritten on its own.
    """
    if not hunk.lines:  # insertions into an empty text
        new = split_lines(apply_edits("", hunk.edits))
        return [_line("+", line) for line in new], 0, len(new)
    body: list[str] = []
    new_count = 0
    edits = deque(hunk.edits)
    offset = hunk.offset
    i = 0
    while i < len(hunk.lines):
        if not hunk.touched[i]:
            body.append(_line(" ", hunk.lines[i]))
            offset += len(hunk.lines[i])
            new_count += 1
            i += 1
            continue
        j = i
        while j < len(hunk.lines) and hunk.touched[j]:
            j += 1
        old = hunk.lines[i:j]
        end = offset + sum(len(line) for line in old)
        mine = []
        while edits and (edits[0].start < end or (edits[0].start == end and j == len(hunk.lines))):
            mine.append(edits.popleft())
        new = split_lines(apply_edits("".join(old), mine, base=offset))
        body.extend(_run(old, new))
        new_count += len(new)
        offset = end
        i = j
    return body, len(hunk.lines), new_count


def _run(old: list[str], new: list[str]) -> Iterator[str]:
    # Every line of a run is shown as changed, even one an edit crossed but left equal: a
    # hunk must keep the same number of context lines at both ends, or `patch` takes it
    # to be anchored at the start or the end of the file.
    yield from (_line("-", line) for line in old)
    yield from (_line("+", line) for line in new)


def _range(start: int, count: int) -> str:
    return str(start) if count == 1 else f"{start},{count}"


def _line(prefix: str, line: str) -> str:
    return prefix + line if line.endswith("\n") else prefix + line + "\n" + NO_NEWLINE


def word_diff(
    label: str, lines: Iterable[str], edits: Sequence[Edit], *, color: bool
) -> Iterator[str]:
    """The changed lines of one file with each edit shown in place, for reading."""
    for hunk in hunks(lines, edits, context=0):
        text = hunk.old_text
        parts = [click.style(f"{label}:{hunk.first_line}", bold=True) + "\n"]
        pos = 0
        for edit in hunk.edits:
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

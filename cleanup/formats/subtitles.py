"""SRT and WebVTT subtitles: the text of every cue.

Cue numbers, timings, cue settings, the ``WEBVTT`` header and ``NOTE``/``STYLE``/``REGION``
blocks stay as they are; so do tags inside cue text (``<i>``, ``<v Speaker>``, ``{\\an8}``)
and, in WebVTT, character references are read as the characters they stand for.

A cue whose text the applied edits leave empty (a "Read more" line removed) is removed
whole, with its number and timing, and in SRT the cues after it are numbered again, so
the file holds no empty cue and its numbers still count 1, 2, 3.
"""

from __future__ import annotations

import bisect
import re

from cleanup.edit import Edit
from cleanup.errors import InputError
from cleanup.formats.document import Document, Segment, SegmentBuilder, structure_edit
from cleanup.formats.text import ENTITY, decode_entity, escape_html_text

_TIMING = re.compile(
    r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}"
)
_TAG = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
EMPTY_CUE = "subtitles.empty-cue"
RENUMBER = "subtitles.renumber"


class _Cue:
    def __init__(self, block: int, block_end: int, number: tuple[int, int] | None) -> None:
        self.block = block  # where the cue's first line starts
        self.block_end = block_end  # where the next block starts (after blank lines)
        self.number = number  # the span of an SRT cue number


def read_srt(text: str, name: str = "") -> Document:
    """An SRT file's cue text as segments."""
    return _read(text, name, vtt=False)


def read_vtt(text: str, name: str = "") -> Document:
    """A WebVTT file's cue text as segments."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InputError("not WebVTT: the file must start with 'WEBVTT'", f"{name}:1:1")
    return _read(text, name, vtt=True)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its line end."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\r\n|\n|\r", text):
        out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _read(text: str, name: str, vtt: bool) -> Document:
    lines = _lines(text)
    blocks: list[list[int]] = []  # line indexes of each block
    current: list[int] = []
    for i, (a, b) in enumerate(lines):
        if text[a:b].strip():
            current.append(i)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    segments: list[Segment] = []
    cues: dict[int, _Cue] = {}  # by segment start
    for k, block in enumerate(blocks):
        first = text[lines[block[0]][0] : lines[block[0]][1]]
        if vtt and (k == 0 and first.lstrip("\ufeff").startswith("WEBVTT")):
            continue
        if vtt and first.split(" ", 1)[0].split("\t", 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        timing = next(
            (j for j, i in enumerate(block[:2]) if _TIMING.match(text[lines[i][0] : lines[i][1]])),
            None,
        )
        if timing is None:
            line = block[0] + 1
            raise InputError(
                "a cue without a timing line ('00:00:01,000 --> 00:00:02,000')", f"{name}:{line}:1"
            )
        number = None
        if not vtt and timing == 1 and first.strip().isdigit():
            a = lines[block[0]][0] + (len(first) - len(first.lstrip()))
            number = (a, a + len(first.strip()))
        text_lines = block[timing + 1 :]
        if not text_lines:
            continue
        builder = SegmentBuilder(escape_html_text if vtt else _same, key="cue")
        for j, i in enumerate(text_lines):
            a, b = lines[i]
            if j:
                prev_end = lines[text_lines[j - 1]][1]
                if a - prev_end > 1:  # CR LF, seen as one line break
                    builder.escape(prev_end, a - prev_end, "\n")
                else:
                    builder.literal(prev_end, text[prev_end:a])
            _cue_line(builder, text, a, b, vtt)
        if builder.empty:
            continue
        seg = builder.build()
        segments.append(seg)
        next_block = lines[blocks[k + 1][0]][0] if k + 1 < len(blocks) else len(text)
        cues[seg.start] = _Cue(lines[block[0]][0], next_block, number)
    doc = Document(text, "vtt" if vtt else "srt", segments, name)
    doc.finish = lambda d, applied: _drop_empty(d, applied, cues, vtt)
    return doc


def _same(text: str) -> str:
    return text


def _cue_line(builder: SegmentBuilder, text: str, a: int, b: int, vtt: bool) -> None:
    pos = a
    for m in _TAG.finditer(text, a, b):
        _cue_text(builder, text, pos, m.start(), vtt)
        builder.skip(m.start(), m.end() - m.start())
        pos = m.end()
    _cue_text(builder, text, pos, b, vtt)


def _cue_text(builder: SegmentBuilder, text: str, a: int, b: int, vtt: bool) -> None:
    if not vtt:
        builder.literal(a, text[a:b])
        return
    pos = a
    for m in ENTITY.finditer(text, a, b):
        builder.literal(pos, text[pos : m.start()])
        builder.escape(m.start(), m.end() - m.start(), decode_entity(m.group()))
        pos = m.end()
    builder.literal(pos, text[pos:b])


def _drop_empty(doc: Document, applied: list[Edit], cues: dict[int, _Cue], vtt: bool) -> list[Edit]:
    """The applied edits, with every cue they empty removed whole and SRT cues after it
    numbered again. The edits inside a removed cue give way to its removal."""
    if not applied:
        return applied
    removed: list[_Cue] = []
    by_seg: dict[int, list[Edit]] = {}
    starts = sorted(cues)
    for e in applied:
        i = bisect.bisect_right(starts, e.start) - 1
        if i >= 0:
            by_seg.setdefault(starts[i], []).append(e)
    for seg in doc.segments:
        edits = by_seg.get(seg.start)
        if not edits:
            continue
        inside = [e for e in edits if seg.start <= e.start and e.end <= seg.end]
        new = _text_after(doc.text, seg.start, seg.end, inside)
        if not _TAG.sub("", new).strip():
            removed.append(cues[seg.start])
        else:
            applied = _take_emptied_lines(doc.text, seg.start, seg.end, inside, applied)
    if not removed:
        return applied
    gone = [(c.block, c.block_end) for c in removed]
    kept = [e for e in applied if not any(a <= e.start and e.end <= b for a, b in gone)]
    for c in removed:
        kept.append(
            structure_edit(
                doc.text,
                c.block,
                c.block_end,
                "",
                EMPTY_CUE,
                "the cue's text was removed; the cue goes with it",
            )
        )
    if not vtt:
        shift = 0
        gone_starts = {c.block for c in removed}
        for start in starts:
            cue = cues[start]
            if cue.block in gone_starts:
                shift += 1
                continue
            if shift and cue.number is not None:
                a, b = cue.number
                value = int(doc.text[a:b]) - shift
                if value > 0:
                    kept.append(
                        structure_edit(
                            doc.text,
                            a,
                            b,
                            str(value),
                            RENUMBER,
                            "numbered again after a removed cue",
                        )
                    )
    return sorted(kept, key=lambda e: (e.start, e.end))


def _take_emptied_lines(
    text: str, start: int, end: int, inside: list[Edit], applied: list[Edit]
) -> list[Edit]:
    """An edit that leaves a line of cue text blank takes the line whole, with its line
    break: a blank line would end the cue there, and the rest would be a cue of no time."""
    out = list(applied)
    for e in inside:
        line_start = max(start, text.rfind("\n", 0, e.start) + 1)
        nl = text.find("\n", e.end, end)
        line_end = end if nl == -1 else nl
        if line_end > start and text[line_end - 1 : line_end] == "\r":
            line_end -= 1
        others = [o for o in inside if o is not e and o.start < line_end and line_start < o.end]
        left = text[line_start : e.start] + e.replacement + text[e.end : line_end]
        if others or _TAG.sub("", left).strip():
            continue
        if nl != -1:  # the line and the break after it
            a, b = line_start, nl + 1
        else:  # the last line and the break before it
            a = line_start - 1
            if a > start and text[a - 1] == "\r":
                a -= 1
            b = line_end
        if a < start or any(o is not e and o.start < b and a < o.end for o in applied):
            continue
        out[out.index(e)] = e._replace(start=a, end=b, original=text[a:b], replacement="")
    return out


def _text_after(text: str, start: int, end: int, edits: list[Edit]) -> str:
    parts: list[str] = []
    pos = start
    for e in sorted(edits, key=lambda e: e.start):
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:end])
    return "".join(parts)

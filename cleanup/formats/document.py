"""A Document: an input's original text and the translatable segments in it.

Each segment holds its decoded text (what matchers see: entities, string escapes and CSV
quote doubling undone; inline tags left out) and runs that tie every piece of it to the
offsets it came from. Everything outside the segments is protected: no edit reaches it.

Matchers see one *view*: the segments' texts joined by a blank line. An edit on the view
maps back to the original through its segment, with its replacement encoded for the
format again (``"`` becomes ``\\"`` in a JSON string, ``&`` becomes ``&amp;`` in HTML),
so one applier writes every format and the output is byte-for-byte the original outside
the edits.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from cleanup.apply import apply_edits
from cleanup.edit import Edit, Kind, Safety

# What the view puts between two segments: a paragraph break, which rules do not span.
SEPARATOR = "\n\n"
# What a protected piece inside a segment (inline code, a bare URL) shows to matchers:
# one character that no rule matches, so the text around it keeps its shape.
PLACEHOLDER = "\ufffc"

Encoder = Callable[[str], str]


class RunKind:
    """How a run's decoded text relates to its original text."""

    LITERAL = 0  # the same characters
    ESCAPE = 1  # one unit of the format (an entity, an escape): changed whole or not at all
    SKIP = 2  # markup inside the segment (an inline tag): no decoded text, kept as it is
    HARD = 3  # protected text inside the segment, shown as PLACEHOLDER: no edit touches it


class Run(NamedTuple):
    """``raw_len`` characters of the original at ``raw``, seen as ``dec_len`` characters
    of the segment's text at ``dec``."""

    dec: int
    raw: int
    dec_len: int
    raw_len: int
    kind: int


def identity(text: str) -> str:
    """The encoder of formats whose segments hold their text as it is."""
    return text


@dataclass
class Segment:
    """One translatable piece: ``text`` decoded, made of ``runs`` of the original.

    ``start``/``end`` bound the runs in the original. ``rewrite`` (CSV fields without
    quotes) gives the whole field anew when an encoded replacement cannot stand in place.
    """

    text: str
    runs: list[Run]
    encode: Encoder = identity
    rewrite: Callable[[str], str] | None = None
    needs_rewrite: Callable[[str], bool] | None = None
    key: str = ""  # what the segment is: a field name, a column, "msgstr[1]"
    record: int = 0  # segments of one record are one text for matchers

    @property
    def start(self) -> int:
        return self.runs[0].raw if self.runs else 0

    @property
    def end(self) -> int:
        last = self.runs[-1] if self.runs else None
        return last.raw + last.raw_len if last else 0

    @property
    def plain(self) -> bool:
        """Whether the text is the original as it is (one literal run, or none)."""
        return all(r.kind == RunKind.LITERAL for r in self.runs) and len(self.runs) <= 1


class SegmentBuilder:
    """Builds a segment piece by piece, in the order of the original."""

    def __init__(self, encode: Encoder = identity, key: str = "", record: int = 0) -> None:
        self.encode = encode
        self.key = key
        self.record = record
        self.parts: list[str] = []
        self.runs: list[Run] = []
        self.dec = 0

    def literal(self, raw: int, text: str) -> None:
        if not text:
            return
        last = self.runs[-1] if self.runs else None
        if (
            last is not None
            and last.kind == RunKind.LITERAL
            and last.raw + last.raw_len == raw
            and last.dec + last.dec_len == self.dec
        ):
            self.runs[-1] = last._replace(
                dec_len=last.dec_len + len(text), raw_len=last.raw_len + len(text)
            )
        else:
            self.runs.append(Run(self.dec, raw, len(text), len(text), RunKind.LITERAL))
        self.parts.append(text)
        self.dec += len(text)

    def escape(self, raw: int, raw_len: int, decoded: str) -> None:
        self.runs.append(Run(self.dec, raw, len(decoded), raw_len, RunKind.ESCAPE))
        self.parts.append(decoded)
        self.dec += len(decoded)

    def skip(self, raw: int, raw_len: int) -> None:
        if raw_len:
            self.runs.append(Run(self.dec, raw, 0, raw_len, RunKind.SKIP))

    def hard(self, raw: int, raw_len: int) -> None:
        self.runs.append(Run(self.dec, raw, 1, raw_len, RunKind.HARD))
        self.parts.append(PLACEHOLDER)
        self.dec += 1

    @property
    def empty(self) -> bool:
        return not any(r.kind in (RunKind.LITERAL, RunKind.ESCAPE) for r in self.runs)

    def build(self) -> Segment:
        runs = self.runs
        # Markup at the ends belongs to the protected text around the segment.
        while runs and runs[0].kind == RunKind.SKIP:
            runs = runs[1:]
        while runs and runs[-1].kind == RunKind.SKIP:
            runs = runs[:-1]
        return Segment(
            "".join(self.parts), list(runs), self.encode, key=self.key, record=self.record
        )


@dataclass
class Document:
    """An input's original text, its format, and its translatable segments (in order of
    the original, not overlapping)."""

    text: str
    format: str
    segments: list[Segment]
    name: str = ""
    # Format-level follow-ups once the applied edits are known (a subtitle cue emptied by
    # them is removed): the applied edits as they are to be made, in original offsets.
    finish: Callable[[Document, list[Edit]], list[Edit]] | None = field(default=None, repr=False)

    def views(self) -> list[View]:
        """The texts matchers see: one per record (a JSONL line, a CSV row, a PO entry, an
        XLIFF unit), else one for the whole document; each its segments joined by
        SEPARATOR."""
        groups: dict[int, list[Segment]] = {}
        for seg in self.segments:
            groups.setdefault(seg.record, []).append(seg)
        return [View.of(self, segs) for segs in groups.values()]

    def apply(self, edits: Sequence[Edit]) -> str:
        """The original with ``edits`` (original offsets, sorted, not overlapping) made."""
        return apply_edits(self.text, edits)


@dataclass
class View:
    """Segments of a document joined into the one text matchers see."""

    document: Document
    segments: list[Segment]
    text: str
    starts: list[int]  # where each segment starts in ``text``

    @classmethod
    def of(cls, document: Document, segments: list[Segment]) -> View:
        starts: list[int] = []
        pos = 0
        for seg in segments:
            starts.append(pos)
            pos += len(seg.text) + len(SEPARATOR)
        return cls(document, segments, SEPARATOR.join(s.text for s in segments), starts)

    def raw_offset(self, view_pos: int) -> int:
        """Where the segment holding view position ``view_pos`` starts in the original."""
        i = max(0, bisect.bisect_right(self.starts, view_pos) - 1)
        return self.segments[i].start if self.segments else 0

    def map_edit(self, edit: Edit) -> Edit | str:
        """One edit on the view in original offsets, or why it cannot be made.

        An edit may take the separator's line break next to a segment when it removes
        it or writes it back unchanged (a removed line "Read more\\n"); it is cut to the
        segment. Any other edit past a segment's end is refused.
        """
        starts = self.starts
        if not starts:
            return "outside the translatable text"
        i = max(0, bisect.bisect_right(starts, edit.start) - 1)
        a, b = edit.start - starts[i], edit.end - starts[i]
        original, replacement = edit.original, edit.replacement
        n = len(self.segments[i].text)
        reaches_next = i + 1 < len(starts) and edit.end > starts[i + 1]
        if a > n or (a == n and reaches_next):  # starts in the separator
            if not reaches_next:
                return "outside the translatable text"
            lead = starts[i + 1] - edit.start
            if replacement.startswith(original[:lead]):
                replacement = replacement[lead:]
            elif replacement:
                return "crosses the end of a translatable segment"
            i += 1
            a, b, original = 0, edit.end - starts[i], original[lead:]
            n = len(self.segments[i].text)
        if b > n:
            if i + 1 < len(starts) and edit.end > starts[i + 1]:
                return "crosses the end of a translatable segment"
            cut = b - n
            tail = original[len(original) - cut :]
            if replacement.endswith(tail):
                replacement = replacement[: len(replacement) - cut]
            elif replacement:
                return "crosses the end of a translatable segment"
            b, original = n, original[: len(original) - cut]
        seg = self.segments[i]
        if seg.text[a:b] != original:  # pragma: no cover - the view is the segments
            return "does not match the segment's text"
        text = self.document.text
        spliced = _splice(text, seg, a, b, replacement)
        if isinstance(spliced, str):
            return spliced
        ra, rb, raw_replacement = spliced
        return edit._replace(start=ra, end=rb, original=text[ra:rb], replacement=raw_replacement)


def _splice(
    text: str, seg: Segment, a: int, b: int, replacement: str
) -> tuple[int, int, str] | str:
    """Where ``seg.text[a:b] -> replacement`` falls in the original, and what it writes."""
    runs = seg.runs
    if seg.needs_rewrite is not None and seg.rewrite is not None:
        new = seg.text[:a] + replacement + seg.text[b:]
        if seg.needs_rewrite(new):
            return seg.start, seg.end, seg.rewrite(new)
    run = _run_at(runs, a)
    if (
        run is not None
        and run.kind == RunKind.LITERAL
        and a >= run.dec
        and b <= run.dec + run.dec_len
        and not _skip_inside(runs, a, b)
    ):
        base = run.raw - run.dec
        return base + a, base + b, seg.encode(replacement)
    # Keep the edit to what changes, so escapes and tags around it stay as they are.
    old = seg.text[a:b]
    p = _common_prefix(old, replacement)
    s = _common_suffix(old[p:], replacement[p:])
    a2, b2 = a + p, b - s
    rep = replacement[p : len(replacement) - s]
    # Never cut through an escape or a protected piece: widen to take it whole.
    a3, b3 = _widen(runs, a2, b2)
    rep = seg.text[a3:a2] + rep + seg.text[b2:b3]
    a2, b2 = a3, b3
    inside = [r for r in runs if _touches(r, a2, b2)]
    if any(r.kind == RunKind.HARD for r in inside):
        return "would change protected text inside the segment"
    ra = _raw_start(runs, a2)
    rb = _raw_end(runs, b2)
    if ra > rb:  # an insertion between two pieces of markup
        rb = ra
    skips = [r for r in runs if r.kind == RunKind.SKIP and a2 < r.dec < b2]
    if not skips:
        return ra, rb, seg.encode(rep)
    # Markup inside the changed text: keep it, and share the new words among the pieces.
    cuts = [a2, *(r.dec for r in skips), b2]
    pieces = [seg.text[x:y] for x, y in itertools.pairwise(cuts)]
    shares = _share(pieces, rep)
    out: list[str] = []
    for k, share in enumerate(shares):
        out.append(seg.encode(share))
        if k < len(skips):
            out.append(text[skips[k].raw : skips[k].raw + skips[k].raw_len])
    return ra, rb, "".join(out)


def _run_at(runs: list[Run], pos: int) -> Run | None:
    """The text run that decoded position ``pos`` starts in (or ends, at the very end)."""
    last = None
    for r in runs:
        if r.kind == RunKind.SKIP:
            continue
        if r.dec <= pos < r.dec + r.dec_len:
            return r
        if pos == r.dec + r.dec_len:
            last = r
    return last


def _skip_inside(runs: list[Run], a: int, b: int) -> bool:
    return any(r.kind == RunKind.SKIP and a < r.dec < b for r in runs)


def _touches(r: Run, a: int, b: int) -> bool:
    if r.kind == RunKind.SKIP:
        return a < r.dec < b
    if a == b:
        return r.dec < a < r.dec + r.dec_len
    return r.dec < b and a < r.dec + r.dec_len


def _widen(runs: list[Run], a: int, b: int) -> tuple[int, int]:
    for r in runs:
        if r.kind in (RunKind.ESCAPE, RunKind.HARD) and r.dec_len:
            lo, hi = r.dec, r.dec + r.dec_len
            if lo < a < hi or (a == b and lo < a < hi):
                a = lo
            if lo < b < hi:
                b = hi
    return a, b


def _raw_start(runs: list[Run], pos: int) -> int:
    """The original offset where decoded ``pos`` starts: after any markup there."""
    best: int | None = None
    for r in runs:
        if r.kind == RunKind.SKIP:
            if r.dec == pos:
                best = r.raw + r.raw_len
            continue
        if r.dec <= pos < r.dec + r.dec_len:
            return r.raw + (pos - r.dec if r.kind == RunKind.LITERAL else 0)
        if pos == r.dec + r.dec_len:
            best = r.raw + r.raw_len
    return best if best is not None else (runs[0].raw if runs else 0)


def _raw_end(runs: list[Run], pos: int) -> int:
    """The original offset where decoded ``pos`` ends: before any markup there."""
    for r in runs:
        if r.kind == RunKind.SKIP:
            if r.dec == pos:
                return r.raw
            continue
        if r.dec < pos <= r.dec + r.dec_len:
            if pos == r.dec + r.dec_len:
                # Markup right after this run belongs after the edit.
                return r.raw + r.raw_len
            return r.raw + (pos - r.dec if r.kind == RunKind.LITERAL else r.raw_len)
        if pos == r.dec and r.dec_len:
            return r.raw
    return runs[-1].raw + runs[-1].raw_len if runs else 0


def _common_prefix(x: str, y: str) -> int:
    n = min(len(x), len(y))
    i = 0
    while i < n and x[i] == y[i]:
        i += 1
    return i


def _common_suffix(x: str, y: str) -> int:
    n = min(len(x), len(y))
    i = 0
    while i < n and x[-1 - i] == y[-1 - i]:
        i += 1
    return i


_WORD = re.compile(r"\S+")


def _share(pieces: list[str], replacement: str) -> list[str]:
    """Split ``replacement`` among pieces of text separated by markup: from the last piece
    back, each takes as many words as it held, and the first takes the rest, so that
    ``Nikol <b>Vovaevich</b>`` -> ``Prime Minister <b>Pashinyan</b>``."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(replacement)]
    cuts: list[int] = []
    hi = len(words)
    for piece in reversed(pieces[1:]):
        take = min(len(_WORD.findall(piece)), max(0, hi - 1))
        hi -= take
        if hi < len(words):
            cut = words[hi][0]
            if piece[:1].isspace() and hi > 0:
                cut = words[hi - 1][1]  # the space before the word goes with the piece
        else:
            cut = len(replacement)
        if not piece.strip():  # a piece of only space keeps a space, or nothing
            cut = cuts[0] if cuts else len(replacement)
        cuts.insert(0, cut)
    bounds = [0, *cuts, len(replacement)]
    for k in range(1, len(bounds)):
        bounds[k] = max(bounds[k], bounds[k - 1])
    return [replacement[x:y] for x, y in itertools.pairwise(bounds)]


def structure_edit(
    text: str, start: int, end: int, replacement: str, rule_id: str, message: str
) -> Edit:
    """A format-level edit in original offsets (a cue removed, a cue renumbered)."""
    return Edit(
        start,
        end,
        text[start:end],
        replacement,
        rule_id,
        Kind.STRUCTURE,
        Safety.AUTO,
        message=message,
    )


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

"""CSV and TSV: the fields of the named columns (``text`` unless told), found by the header.

The reader scans the records itself (RFC 4180: fields in double quotes may hold the
delimiter, line breaks and doubled quotes) because it must know where every field starts;
the ``csv`` module does not say. A quoted field keeps its quotes and a quote in the new
text is doubled; a field without quotes that a replacement would break (a delimiter, a
quote, a line break) is written anew in quotes.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleanup.errors import InputError
from cleanup.formats.document import Document, Segment, SegmentBuilder
from cleanup.formats.text import Lines


def _quoted(text: str) -> str:
    return text.replace('"', '""')


def read_csv(
    text: str, name: str = "", columns: Sequence[str] = ("text",), delimiter: str = ","
) -> Document:
    """A delimited file's named columns as segments."""
    fmt = "tsv" if delimiter == "\t" else "csv"
    records = list(_records(text, name, delimiter))
    if not records:
        return Document(text, fmt, [], name)
    header = [text[a:b].lstrip("\ufeff").strip('"') for a, b, _ in records[0]]
    wanted = [i for i, h in enumerate(header) if h in columns]
    if not wanted:
        shown = ", ".join(header) if header else "none"
        msg = (
            f"no column named {', '.join(columns)} in the header (columns: {shown}); "
            "choose with --column"
        )
        raise InputError(msg, f"{name}:1:1")
    segments: list[Segment] = []
    for row, record in enumerate(records[1:], 1):
        for i in wanted:
            if i >= len(record):
                continue
            a, b, quoted = record[i]
            seg = _field(text, a, b, quoted, delimiter, header[i], row)
            if seg is not None:
                segments.append(seg)
    return Document(text, fmt, segments, name)


def _field(
    text: str, a: int, b: int, quoted: bool, delimiter: str, key: str, row: int
) -> Segment | None:
    builder = SegmentBuilder(_quoted if quoted else _bare, key=key, record=row)
    if quoted:
        a, b = a + 1, b - 1
        pos = a
        while True:
            q = text.find('""', pos, b)
            if q == -1:
                break
            builder.literal(pos, text[pos:q])
            builder.escape(q, 2, '"')
            pos = q + 2
        builder.literal(pos, text[pos:b])
    else:
        builder.literal(a, text[a:b])
    if builder.empty:
        return None
    seg = builder.build()
    if not quoted:
        seg.needs_rewrite = lambda s: any(c in s for c in (delimiter, '"', "\n", "\r"))
        seg.rewrite = lambda s: '"' + _quoted(s) + '"'
    return seg


def _bare(text: str) -> str:
    return text


def _records(text: str, name: str, delimiter: str) -> list[list[tuple[int, int, bool]]]:
    """Each record's fields as (start, end, quoted), quotes included in the span."""
    out: list[list[tuple[int, int, bool]]] = []
    n = len(text)
    pos = 0
    lines: Lines | None = None
    while pos < n:
        record: list[tuple[int, int, bool]] = []
        while True:
            if pos < n and text[pos] == '"':
                close = pos + 1
                while True:
                    q = text.find('"', close)
                    if q == -1:
                        lines = lines or Lines(text)
                        line, col = lines.where(pos)
                        msg = "unterminated quoted field (its closing quote is missing)"
                        raise InputError(msg, f"{name}:{line}:{col}")
                    if text.startswith('""', q):
                        close = q + 2
                        continue
                    break
                record.append((pos, q + 1, True))
                pos = q + 1
                if pos < n and text[pos] not in (delimiter, "\r", "\n"):
                    lines = lines or Lines(text)
                    line, col = lines.where(pos)
                    msg = f"text after the closing quote of a field ({text[pos]!r})"
                    raise InputError(msg, f"{name}:{line}:{col}")
            else:
                end = pos
                while end < n and text[end] not in (delimiter, "\n", "\r"):
                    end += 1
                record.append((pos, end, False))
                pos = end
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            break
        if pos < n and text[pos] == "\r":
            pos += 1
        if pos < n and text[pos] == "\n":
            pos += 1
        if record != [(record[0][0], record[0][0], False)] or len(record) > 1:
            out.append(record)
    return out

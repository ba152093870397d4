"""Markdown through markdown-it-py (CommonMark with tables).

Segments: paragraphs, headings, list items, table cells, link text and image alt text.
Protected: fenced and indented code, inline code, URLs (link targets, autolinks, bare
URLs), raw HTML, and the front matter except the values of the keys the reader is given.

markdown-it-py gives the lines each block spans, not where inline text sits; the reader
finds each piece of inline text in those lines in order, reading backslash escapes and
character references as the one character they stand for.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt

from cleanup.edit import Edit
from cleanup.formats.document import Document, Segment, SegmentBuilder
from cleanup.formats.text import ENTITY, URL, Lines, decode_entity

_PARSER: MarkdownIt | None = None
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = MarkdownIt("commonmark").enable("table")
    return _PARSER


def read_markdown(text: str, name: str = "", front_matter_keys: Sequence[str] = ()) -> Document:
    """A Markdown document's prose as segments."""
    segments: list[Segment] = []
    body = text
    fm_end = _front_matter_end(text)
    if fm_end:
        segments += _front_matter(text, fm_end, set(front_matter_keys))
        # The parser sees blank lines where the front matter was, so line numbers hold.
        body = "\n" * text.count("\n", 0, fm_end) + text[fm_end:]
    lines = Lines(text)
    cursor = 0
    blocks: dict[int, tuple[int, int]] = {}  # paragraph segments by start: their lines
    previous: Any = None
    for token in _parser().parse(body):
        top_paragraph = previous is not None and previous.type == "paragraph_open"
        top_paragraph = top_paragraph and previous.level == 0
        previous = token
        if token.type != "inline" or token.map is None:
            continue
        line_start = lines.offset(token.map[0] + 1)
        limit = lines.offset(token.map[1] + 1) if token.map[1] < len(lines.starts) else len(text)
        cursor = max(cursor, line_start)
        builder = SegmentBuilder()
        cursor = _inline(text, cursor, limit, token.children or [], builder)
        if not builder.empty:
            seg = builder.build()
            if seg.text.strip():
                segments.append(seg)
                if top_paragraph:
                    blocks[seg.start] = (line_start, limit)
    segments.sort(key=lambda s: s.start)
    doc = Document(text, "markdown", segments, name)
    doc.finish = lambda d, applied: _drop_emptied_paragraphs(d, applied, blocks)
    return doc


def _drop_emptied_paragraphs(
    doc: Document, applied: list[Edit], blocks: dict[int, tuple[int, int]]
) -> list[Edit]:
    """A paragraph that one edit leaves empty (a "Read more" line removed) goes whole,
    with the blank line that set it apart, so no run of blank lines is left behind."""
    if not blocks or not applied:
        return applied
    text = doc.text
    out = list(applied)
    starts = [e.start for e in applied]
    for seg in doc.segments:
        block = blocks.get(seg.start)
        if block is None:
            continue
        i = bisect.bisect_left(starts, seg.start)
        inside = [e for e in applied[i:] if e.start < seg.end]
        if len(inside) != 1 or (inside[0].start, inside[0].end) != (seg.start, seg.end):
            continue
        e = inside[0]
        if e.replacement.strip():
            continue
        a, b = block
        if text.startswith("\n", b) or text.startswith("\r\n", b):  # the blank line after
            b = text.index("\n", b) + 1
        elif text.endswith("\r\n\r\n", 0, a):  # the last paragraph: the blank line before
            a -= 2
        elif text.endswith("\n\n", 0, a):
            a -= 1
        if text[a : e.start].strip() or text[e.end : b].strip():
            continue  # markup around the text (a link, inline HTML) stays
        if any(o is not e and o.start < b and a < o.end for o in applied):
            continue
        out[out.index(e)] = e._replace(start=a, end=b, original=text[a:b], replacement="")
    return out


def _front_matter_end(text: str) -> int:
    """Where YAML front matter (``---`` lines around it at the very start) ends, or 0."""
    if not text.lstrip("\ufeff").startswith("---"):
        return 0
    first = text.find("\n")
    if first == -1 or text[:first].strip("\ufeff\r") != "---":
        return 0
    m = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M).search(text, first + 1)
    if m is None:
        return 0
    nl = text.find("\n", m.end())
    return len(text) if nl == -1 else nl + 1


def _front_matter(text: str, end: int, keys: set[str]) -> list[Segment]:
    """The values of the named top-level keys, when they are plain or quoted scalars."""
    out: list[Segment] = []
    if not keys:
        return out
    pos = text.find("\n") + 1
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        line = text[pos:stop].rstrip("\r")
        m = _FRONT_KEY.match(line)
        if m and m.group(1) in keys and m.group(2):
            value = m.group(2)
            at = pos + m.start(2)
            quote = (
                value[0]
                if value[0] in "\"'" and value.endswith(value[0]) and len(value) > 1
                else ""
            )
            if quote:
                at, value = at + 1, value[1:-1]
            if value and (quote or value[0] not in "[{&*!|>#"):
                builder = SegmentBuilder(key=m.group(1))
                builder.literal(at, value)
                if quote == '"':
                    builder.encode = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
                elif quote == "'":
                    builder.encode = lambda s: s.replace("'", "''")
                out.append(builder.build())
        pos = stop + 1
    return out


def _inline(
    text: str, cursor: int, limit: int, children: list[Any], builder: SegmentBuilder
) -> int:
    """Lay the inline tokens over ``text`` from ``cursor``; return where they end."""
    i = 0
    while i < len(children):
        tok = children[i]
        kind = tok.type
        if kind == "text" and tok.content:
            found = _find_text(text, cursor, limit, tok.content)
            if found is None:  # not found as written: leave it protected
                i += 1
                continue
            at, pieces = found
            builder.skip(cursor, at - cursor)
            for p_kind, raw, raw_len, decoded in pieces:
                if p_kind == "lit":
                    _add_prose(builder, text, raw, raw + raw_len)
                else:
                    builder.escape(raw, raw_len, decoded)
            cursor = pieces[-1][1] + pieces[-1][2] if pieces else at
        elif kind in ("softbreak", "hardbreak"):
            nl = text.find("\n", cursor, limit)
            if nl != -1:
                builder.skip(cursor, nl - cursor)
                builder.literal(nl, "\n")
                cursor = nl + 1
        elif kind == "code_inline":
            at = text.find(tok.markup, cursor, limit)
            close = text.find(tok.markup, at + len(tok.markup), limit) if at != -1 else -1
            if close != -1:
                builder.skip(cursor, at - cursor)
                builder.hard(at, close + len(tok.markup) - at)
                cursor = close + len(tok.markup)
        elif kind == "html_inline":
            at = text.find(tok.content, cursor, limit)
            if at != -1:
                builder.skip(cursor, at + len(tok.content) - cursor)
                cursor = at + len(tok.content)
        elif kind == "link_open" and tok.markup == "autolink":
            close = text.find(">", cursor, limit)
            at = text.rfind("<", cursor, close) if close != -1 else -1
            if at != -1:
                builder.skip(cursor, at - cursor)
                builder.hard(at, close + 1 - at)
                cursor = close + 1
            while i < len(children) and children[i].type != "link_close":
                i += 1
        elif kind == "link_open":
            at = text.find("[", cursor, limit)
            if at != -1:
                builder.skip(cursor, at + 1 - cursor)
                cursor = at + 1
        elif kind == "image":
            at = text.find("![", cursor, limit)
            if at != -1:
                builder.skip(cursor, at + 2 - cursor)
                cursor = _inline(text, at + 2, limit, tok.children or [], builder)
                cursor = _past_destination(text, cursor, limit, builder)
        elif kind == "link_close":
            cursor = _past_destination(text, cursor, limit, builder)
        i += 1
    return cursor


def _past_destination(text: str, cursor: int, limit: int, builder: SegmentBuilder) -> int:
    """Skip ``](target "title")`` or ``][ref]`` (or a bare ``]``) after link text."""
    close = text.find("]", cursor, limit)
    if close == -1:
        return cursor
    end = close + 1
    if end < limit and text[end] in "([":
        opener, closer = text[end], ")" if text[end] == "(" else "]"
        depth, j = 0, end
        while j < limit:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == opener:
                depth += 1
            elif ch == closer:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        end = min(j + 1, limit)
    builder.skip(cursor, end - cursor)
    return end


def _add_prose(builder: SegmentBuilder, text: str, start: int, end: int) -> None:
    pos = start
    for m in URL.finditer(text, start, end):
        builder.literal(pos, text[pos : m.start()])
        builder.hard(m.start(), m.end() - m.start())
        pos = m.end()
    builder.literal(pos, text[pos:end])


Piece = tuple[str, int, int, str]


def _find_text(text: str, cursor: int, limit: int, content: str) -> tuple[int, list[Piece]] | None:
    """Where ``content`` (a text token) is written from ``cursor`` on, and how: pieces of
    literal text and escapes (``\\*``, ``&amp;``)."""
    first = content[0]
    pos = cursor
    while pos < limit:
        cands = [
            p
            for p in (
                text.find(first, pos, limit),
                text.find("\\", pos, limit),
                text.find("&", pos, limit),
            )
            if p != -1
        ]
        if not cands:
            return None
        p = min(cands)
        pieces = _align(text, p, limit, content)
        if pieces is not None:
            return p, pieces
        pos = p + 1
    return None


def _align(text: str, pos: int, limit: int, content: str) -> list[Piece] | None:
    pieces: list[Piece] = []
    lit_start = pos
    i = 0
    n = len(content)
    while i < n:
        if pos >= limit:
            return None
        ch = text[pos]
        if ch == content[i] and ch not in "\\&":
            pos += 1
            i += 1
            continue
        if (
            ch == "\\"
            and pos + 1 < limit
            and text[pos + 1] in _PUNCT
            and text[pos + 1] == content[i]
        ):
            if lit_start < pos:
                pieces.append(("lit", lit_start, pos - lit_start, ""))
            pieces.append(("esc", pos, 2, content[i]))
            pos += 2
            i += 1
            lit_start = pos
            continue
        if ch == "&":
            m = ENTITY.match(text, pos, limit)
            if m is not None:
                decoded = decode_entity(m.group())
                if decoded != m.group() and content.startswith(decoded, i):
                    if lit_start < pos:
                        pieces.append(("lit", lit_start, pos - lit_start, ""))
                    pieces.append(("esc", pos, m.end() - pos, decoded))
                    pos = m.end()
                    i += len(decoded)
                    lit_start = pos
                    continue
        if ch == content[i]:
            pos += 1
            i += 1
            continue
        return None
    if lit_start < pos:
        pieces.append(("lit", lit_start, pos - lit_start, ""))
    return pieces

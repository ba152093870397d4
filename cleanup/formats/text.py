"""Plain text: the whole input is one segment, as it is. Helpers the readers share."""

from __future__ import annotations

import bisect
import html
import re

from cleanup.formats.document import Document, SegmentBuilder

URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"'`)\]]*[^\s<>\"'`)\].,;:!?]")
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def read_text(text: str, name: str = "") -> Document:
    """A plain text file: one segment, the whole text."""
    builder = SegmentBuilder()
    builder.literal(0, text)
    return Document(text, "text", [builder.build()] if text else [], name)


class Lines:
    """Line and column to offset and back, for readers whose parsers count lines."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def offset(self, line: int, column: int = 0) -> int:
        """The offset of 1-based ``line`` and 0-based ``column``."""
        return self.starts[min(line - 1, len(self.starts) - 1)] + column

    def where(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def add_entities(builder: SegmentBuilder, text: str, start: int, end: int) -> None:
    """``text[start:end]``, where character references stand for what they mean (HTML,
    XML, Markdown), into ``builder``: references as escapes, the rest as it is."""
    pos = start
    while pos < end:
        amp = text.find("&", pos, end)
        if amp == -1:
            break
        m = ENTITY.match(text, amp, end)
        if m is None:
            builder.literal(pos, text[pos : amp + 1])
            pos = amp + 1
            continue
        decoded = decode_entity(m.group())
        builder.literal(pos, text[pos:amp])
        if decoded == m.group():
            builder.literal(amp, decoded)
        else:
            builder.escape(amp, m.end() - amp, decoded)
        pos = m.end()
    builder.literal(pos, text[pos:end])


def decode_entity(entity: str) -> str:
    """What a character reference stands for, as matchers see it: a no-break space is a
    space, so ``solar&nbsp;conflict`` is the phrase it reads as (the reference itself is
    kept unless an edit changes that very space)."""
    decoded = html.unescape(entity)
    return " " if decoded == "\xa0" else decoded


def add_protecting_urls(builder: SegmentBuilder, text: str, start: int, end: int) -> None:
    """``text[start:end]`` into ``builder``, with each bare URL a protected piece."""
    pos = start
    for m in URL.finditer(text, start, end):
        builder.literal(pos, text[pos : m.start()])
        builder.hard(m.start(), m.end() - m.start())
        pos = m.end()
    builder.literal(pos, text[pos:end])


def escape_html_text(text: str) -> str:
    """Text as it may stand between tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

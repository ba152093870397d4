"""XLIFF 1.2 and 2.0: the text of every ``<target>``; inline tags in it are kept.

Parsed with the standard library's expat, which reports the byte offset of every tag and
text run (so the reader knows where each piece of a target sits) and the line and column
of malformed XML. ``<source>``, attributes, notes and everything else stay as they are;
so does a target whose text is still its source's (not translated yet). The content of
native-code holders (``<ph>``, ``<bpt>``, ``<ept>``, ``<it>`` in 1.2) is protected.
"""

from __future__ import annotations

from xml.parsers import expat

from cleanup.errors import InputError
from cleanup.formats.document import Document, Segment, SegmentBuilder
from cleanup.formats.text import escape_html_text

_NATIVE = frozenset({"ph", "bpt", "ept", "it"})
_UNITS = frozenset({"trans-unit", "segment"})
_RECORDS = frozenset({"trans-unit", "unit"})


def _local(tag: str) -> str:
    return tag.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


class _Offsets:
    """Byte offsets of the UTF-8 input as character offsets, read forward."""

    def __init__(self, text: str, data: bytes) -> None:
        self.data = data
        self.byte = 0
        self.char = 0
        self.ascii = len(data) == len(text)

    def __call__(self, byte: int) -> int:
        if self.ascii:
            return byte
        if byte < self.byte:
            self.byte = self.char = 0
        self.char += len(self.data[self.byte : byte].decode("utf-8"))
        self.byte = byte
        return self.char


def read_xliff(text: str, name: str = "") -> Document:
    """An XLIFF file's translations as segments."""
    data = text.encode("utf-8")
    parser = expat.ParserCreate("utf-8")
    events: list[tuple[str, int, str]] = []  # (kind, byte offset, tag or text)

    def start(tag: str, attrs: dict[str, str]) -> None:
        events.append(("start", parser.CurrentByteIndex, _local(tag)))

    def end(tag: str) -> None:
        events.append(("end", parser.CurrentByteIndex, _local(tag)))

    def chars(data: str) -> None:
        events.append(("text", parser.CurrentByteIndex, data))

    def other(*_: object) -> None:
        events.append(("other", parser.CurrentByteIndex, ""))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartCdataSectionHandler = other
    parser.EndCdataSectionHandler = other
    parser.CommentHandler = other
    parser.ProcessingInstructionHandler = other
    parser.buffer_text = False
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(
            f"malformed XML: {expat.errors.messages[exc.code]}",
            f"{name}:{exc.lineno}:{exc.offset + 1}",
        ) from None
    events.append(("eof", len(data), ""))
    offset = _Offsets(text, data)
    spans = [(kind, offset(b), value) for kind, b, value in events]
    segments: list[Segment] = []
    builder: SegmentBuilder | None = None
    depth = 0  # element depth inside the current target
    native = 0
    source_text: list[str] = []
    in_source = 0
    target_text: list[str] = []
    unit = 0
    for k, (kind, at, value) in enumerate(spans[:-1]):
        nxt = spans[k + 1][1]
        if kind == "start":
            if value in _UNITS:
                source_text = []
            if value in _RECORDS and builder is None:
                unit += 1
            if builder is not None:
                depth += 1
                if value in _NATIVE:
                    native += 1
                builder.skip(at, nxt - at)
            elif value == "target":
                builder = SegmentBuilder(escape_html_text, key="target", record=unit)
                target_text = []
                depth = 0
            elif value == "source":
                in_source += 1
                source_text = []
            elif in_source:
                in_source += 1
        elif kind == "end":
            if builder is not None:
                if depth == 0:  # </target>
                    if (
                        not builder.empty
                        and "".join(target_text).strip() != "".join(source_text).strip()
                    ):
                        segments.append(builder.build())
                    builder = None
                else:
                    depth -= 1
                    if value in _NATIVE:
                        native -= 1
                    builder.skip(at, nxt - at)
            elif in_source:
                in_source -= 1
        elif kind == "text":
            if builder is not None:
                target_text.append(value)
                raw = text[at:nxt]
                if native:
                    builder.skip(at, nxt - at)
                elif raw == value:
                    builder.literal(at, value)
                else:  # a character reference, or a line end the parser normalised
                    builder.escape(at, nxt - at, value)
            elif in_source:
                source_text.append(value)
        elif builder is not None:
            builder.skip(at, nxt - at)
    return Document(text, "xliff", segments, name)

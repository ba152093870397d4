"""gettext PO catalogues: ``msgstr`` and ``msgstr[N]`` (plural forms) of every entry but the
header. ``msgid``, ``msgctxt``, comments, flags and obsolete (``#~``) entries stay as they
are.

The catalogue is checked with polib, the small pure-Python gettext library (translate-
toolkit would bring a whole localisation suite for one parser), so a file gettext tools
would refuse is refused here too. polib does not say where a string sits in the file, so
the reader then walks the lines itself: a ``msgstr`` spread over several quoted lines is
one segment, and the quotes and line breaks between its lines stay as they are.
"""

from __future__ import annotations

import re

import polib

from cleanup.errors import InputError
from cleanup.formats.document import Document, Segment, SegmentBuilder

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+"')
_STRING_ESC = re.compile(r'\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9a-fA-F]+)')
_DECODE = {
    "\\": "\\",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "?": "?",
    "'": "'",
}


def encode_po(text: str) -> str:
    """``text`` as the inside of a PO string."""
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def read_po(text: str, name: str = "") -> Document:
    """A PO catalogue's translations as segments."""
    try:
        polib.pofile(text, check_for_duplicates=False)
    except (OSError, ValueError, UnicodeError) as exc:
        at = re.search(r"line (\d+)", str(exc))
        where = f"{name}:{at.group(1)}:1" if at else name
        raise InputError(
            f"not a valid PO catalogue: {str(exc).split(' (line')[0]}", where
        ) from None
    segments: list[Segment] = []
    current: SegmentBuilder | None = None
    keyword = ""
    msgid_empty = False
    pos = 0
    line_no = 0
    entry = 0
    last_end = -1  # where the current string's last quoted line ended (before its quote)
    n = len(text)
    while pos < n:
        line_no += 1
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        line = text[pos:end].rstrip("\r")
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        m = _KEYWORD.match(stripped)
        if m is not None or not stripped.startswith('"'):
            if (
                current is not None
                and not current.empty
                and not (keyword.startswith("msgstr") and msgid_empty)
            ):
                segments.append(current.build())
            current = None
        if m is not None:
            if m.group(1) == "msgctxt" or (m.group(1) == "msgid" and keyword != "msgctxt"):
                entry += 1
            keyword = m.group(1)
            if keyword == "msgid":
                msgid_empty = stripped[m.end() :].rstrip() == '"'
            elif keyword == "msgctxt":
                msgid_empty = False
            q = pos + indent + m.end()  # just after the opening quote
            if keyword.startswith("msgstr"):
                current = SegmentBuilder(encode_po, key=keyword, record=entry)
                last_end = _add_string(current, text, q, pos + len(line), name, line_no)
            else:
                _close_quote(text, q, pos + len(line), name, line_no)
        elif stripped.startswith('"'):
            q = pos + indent + 1
            if keyword == "msgid" and stripped.rstrip() != '""':
                msgid_empty = False
            if current is not None:
                current.skip(last_end, q - last_end)
                last_end = _add_string(current, text, q, pos + len(line), name, line_no)
            else:
                _close_quote(text, q, pos + len(line), name, line_no)
        pos = end + 1
    if (
        current is not None
        and not current.empty
        and not (keyword.startswith("msgstr") and msgid_empty)
    ):
        segments.append(current.build())
    return Document(text, "po", segments, name)


def _close_quote(text: str, start: int, stop: int, name: str, line: int) -> int:
    pos = start
    while pos < stop:
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == '"':
            return pos
        pos += 1
    raise InputError(
        "unterminated string (its closing quote is missing)",
        f"{name}:{line}:{start - text.rfind(chr(10), 0, start)}",
    )


def _add_string(
    builder: SegmentBuilder, text: str, start: int, stop: int, name: str, line: int
) -> int:
    """The inside of one quoted string into ``builder``; returns where its closing quote is."""
    close = _close_quote(text, start, stop, name, line)
    pos = start
    for m in _STRING_ESC.finditer(text, start, close):
        builder.literal(pos, text[pos : m.start()])
        esc = m.group()
        if esc[1] in _DECODE:
            decoded = _DECODE[esc[1]]
        elif esc[1] == "x":
            decoded = chr(int(esc[2:], 16))
        else:
            decoded = chr(int(esc[1:], 8))
        builder.escape(m.start(), len(esc), decoded)
        pos = m.end()
    builder.literal(pos, text[pos:close])
    return close

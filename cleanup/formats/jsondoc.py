"""JSON and JSON Lines: the string values of the members named as fields (``text`` unless
told), at any depth, and the strings of an array held by such a member.

The input is first parsed with the standard ``json`` module, so broken JSON is refused
with its line and column. The strings are then located in the source: escapes (``\\"``,
``\\n``, ``\\u0417``, surrogate pairs) are read as the characters they stand for, and a
replacement is written back as a JSON string would hold it, so the output always parses
and every other byte stays as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from cleanup.errors import InputError
from cleanup.formats.document import Document, Segment, SegmentBuilder

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)
_ESCAPE = re.compile(r'\\(?:u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})?|["\\/bfnrt])')
BOM = "\ufeff"
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def encode_json(text: str) -> str:
    """``text`` as the inside of a JSON string.

    >>> encode_json('"We agree", - said Lavrov\\n')
    '\\\\"We agree\\\\", - said Lavrov\\\\n'
    """
    return json.dumps(text, ensure_ascii=False)[1:-1]


def read_json(text: str, name: str = "", fields: Sequence[str] = ("text",)) -> Document:
    """A JSON document's named string fields as segments."""
    start = 1 if text.startswith(BOM) else 0
    try:
        json.loads(text[start:])
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", f"{name}:{exc.lineno}:{exc.colno}") from None
    except RecursionError:
        raise InputError("JSON nested too deeply", name) from None
    segments = _strings(text, start, len(text), set(fields))
    return Document(text, "json", segments, name)


def read_jsonl(text: str, name: str = "", fields: Sequence[str] = ("text",)) -> Document:
    """A JSON Lines file: every line one JSON value; blank lines kept as they are."""
    wanted = set(fields)
    segments: list[Segment] = []
    pos = 1 if text.startswith(BOM) else 0
    line = 0
    while pos < len(text):
        line += 1
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        record = text[pos:end]
        if record.strip():
            try:
                json.loads(record)
            except json.JSONDecodeError as exc:
                msg = f"not valid JSON: {exc.msg}"
                raise InputError(msg, f"{name}:{line}:{exc.colno}") from None
            except RecursionError:
                raise InputError("JSON nested too deeply", f"{name}:{line}:1") from None
            segments += _strings(text, pos, end, wanted, line)
        pos = end + 1
    return Document(text, "jsonl", segments, name)


def _strings(text: str, start: int, end: int, wanted: set[str], record: int = 0) -> list[Segment]:
    """Segments for the wanted strings of one valid JSON value in ``text[start:end]``;
    each element of a top-level array is a record of its own."""
    out: list[Segment] = []
    # A stack of containers: for objects, the member's key (None while a key is awaited);
    # for arrays, whether they belong to a wanted member.
    stack: list[list[object]] = []
    for m in _TOKEN.finditer(text, start, end):
        tok = m.group()
        ch = tok[0]
        if len(stack) == 1 and stack[0][0] == "arr" and ch not in ",]":
            record += 1  # the next element of a top-level array
        if ch == "{":
            stack.append(["obj", None, False])
        elif ch == "[":
            parent_wanted = bool(stack) and _value_wanted(stack, wanted)
            stack.append(["arr", None, parent_wanted])
        elif ch in "}]":
            stack.pop()
            _value_done(stack)
        elif ch == ":":
            stack[-1][2] = True  # the value of the member comes next
        elif ch == ",":
            if stack and stack[-1][0] == "obj":
                stack[-1][1], stack[-1][2] = None, False
        elif ch == '"':
            if stack and stack[-1][0] == "obj" and not stack[-1][2]:
                stack[-1][1] = json.loads(tok)  # a key
                continue
            if stack and _value_wanted(stack, wanted):
                seg = _string_segment(text, m.start() + 1, m.end() - 1, str(_key(stack)), record)
                if seg is not None:
                    out.append(seg)
            _value_done(stack)
        else:
            _value_done(stack)
    return out


def _key(stack: list[list[object]]) -> object:
    for frame in reversed(stack):
        if frame[0] == "obj":
            return frame[1]
    return ""


def _value_wanted(stack: list[list[object]], wanted: set[str]) -> bool:
    top = stack[-1]
    if top[0] == "obj":
        return bool(top[2]) and top[1] in wanted
    return bool(top[2])


def _value_done(stack: list[list[object]]) -> None:
    return None


def _string_segment(text: str, start: int, end: int, key: str, record: int) -> Segment | None:
    builder = SegmentBuilder(encode_json, key=key, record=record)
    pos = start
    for m in _ESCAPE.finditer(text, start, end):
        builder.literal(pos, text[pos : m.start()])
        esc = m.group()
        if esc[1] == "u":
            decoded = json.loads('"' + esc + '"')
        else:
            decoded = _SIMPLE[esc[1]]
        builder.escape(m.start(), m.end() - m.start(), decoded)
        pos = m.end()
    builder.literal(pos, text[pos:end])
    if builder.empty:
        return None
    return builder.build()

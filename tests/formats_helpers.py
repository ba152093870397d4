"""What a cleaned document of each format must still be: it parses, and what is protected
(ids, sources, markup, code, timings) is what the original held."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import polib
from markdown_it import MarkdownIt


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.protected: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(self.get_starttag_text() or "")
        if tag in ("script", "style", "pre", "code"):
            self._in.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(f"</{tag}>")
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in:
            self.protected.append(data)

    def handle_comment(self, data: str) -> None:
        self.protected.append(data)

    def handle_decl(self, decl: str) -> None:
        self.protected.append(decl)


def _strip_text_attrs(tag: str) -> str:
    return re.sub(r"""\s(?:alt|title)=("[^"]*"|'[^']*'|[^\s>]*)""", "", tag)


def _html(text: str) -> Any:
    p = _Tags()
    p.feed(text)
    p.close()
    return [_strip_text_attrs(t) for t in p.tags], p.protected


def _strip_fields(value: Any, fields: set[str]) -> Any:
    if isinstance(value, dict):
        return {
            k: ("<text>" if k in fields else _strip_fields(v, fields)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_strip_fields(v, fields) for v in value]
    return value


def _markdown(text: str) -> Any:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kept: list[Any] = []

    def walk(toks: list[Any]) -> None:
        for t in toks:
            if t.type in ("fence", "code_block", "code_inline", "html_block", "html_inline"):
                kept.append((t.type, t.content))
            for attr in ("href", "src"):
                if t.attrs and attr in t.attrs:
                    kept.append((attr, t.attrs[attr]))
            if t.children:
                walk(t.children)

    walk(tokens)
    front = text.split("\n---", 1)[0] if text.startswith("---\n") else ""
    return kept, [line for line in front.splitlines() if not line.startswith("title:")]


def _xliff(text: str) -> Any:
    root = ET.fromstring(text.encode("utf-8"))
    out: list[Any] = []
    for el in root.iter():
        local = el.tag.rsplit("}", 1)[-1]
        out.append((local, sorted(el.attrib.items())))
        if local == "source":
            out.append(ET.tostring(el, encoding="unicode"))
    return out


def _po(text: str) -> Any:
    cat = polib.pofile(text)
    return [
        (e.msgctxt, e.msgid, e.msgid_plural, e.comment, e.flags, e.occurrences, e.obsolete)
        for e in cat
    ]


def _rows(text: str, delimiter: str, columns: set[str]) -> Any:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    header = rows[0] if rows else []
    skip = {i for i, h in enumerate(header) if h in columns}
    return [[c for i, c in enumerate(r) if i not in skip] for r in rows]


def _cues(text: str) -> Any:
    timings = re.findall(r"^.*-->.*$", text, re.M)
    return timings


def protected(fmt: str, text: str, fields: tuple[str, ...] = ("text",)) -> Any:
    """What of ``text`` no edit may change; raises when ``text`` does not parse."""
    if fmt == "json":
        return _strip_fields(json.loads(text), set(fields))
    if fmt == "jsonl":
        return [
            _strip_fields(json.loads(line), set(fields))
            for line in text.splitlines()
            if line.strip()
        ]
    if fmt in ("csv", "tsv"):
        return _rows(text, "\t" if fmt == "tsv" else ",", set(fields))
    if fmt == "po":
        return _po(text)
    if fmt == "xliff":
        return _xliff(text)
    if fmt == "html":
        return _html(text)
    if fmt == "markdown":
        return _markdown(text)
    if fmt in ("srt", "vtt"):
        return _cues(text)
    return None


def texts(fmt: str, text: str, fields: tuple[str, ...] = ("text",)) -> list[str]:
    """The translatable strings of a JSON, JSONL or CSV document, as its parser reads them."""
    if fmt == "jsonl":
        return [str(json.loads(line)[fields[0]]) for line in text.splitlines() if line.strip()]
    if fmt in ("csv", "tsv"):
        rows = list(
            csv.DictReader(io.StringIO(text, newline=""), delimiter="\t" if fmt == "tsv" else ",")
        )
        return [row[fields[0]] for row in rows]
    raise ValueError(fmt)

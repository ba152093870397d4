"""HTML: text between tags, and the ``alt`` and ``title`` attributes.

The tokenizer is the standard library's ``html.parser``: an exact patch needs to know
where in the source each piece of text starts, which it reports for every tag and text
run, while selectolax and lxml build a tree that no longer knows its source offsets.

A paragraph's text is one segment even where inline tags (``<b>``, ``<a>``, ``<span>``...)
cut it, so ``Nikol <b>Vovaevich</b>`` is matched as one name and an edit keeps the tags.
Block tags end a segment. ``script``, ``style``, ``pre``, ``textarea`` and ``code`` keep
their content as it is, as do every other attribute, comments and the doctype.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from cleanup.formats.document import Document, Encoder, Segment, SegmentBuilder
from cleanup.formats.text import ENTITY, Lines, add_entities, escape_html_text

INLINE = frozenset(
    "a abbr b bdi bdo cite data dfn em font i ins del kbd mark q s small span strong sub sup "
    "time u var wbr big tt nobr".split()
)
PROTECTED = frozenset({"script", "style", "pre", "textarea", "code", "samp", "svg", "math"})
_BARE_REF = re.compile(r"&#?\w*")
TEXT_ATTRIBUTES = frozenset({"alt", "title"})
_ATTR = re.compile(
    r"""(?P<name>[^\s/>"'=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?"""
)


def read_html(text: str, name: str = "") -> Document:
    """An HTML document's text and text attributes as segments."""
    reader = _Reader(text)
    reader.feed(text)
    reader.close()
    reader.end_segment()
    segments = sorted(reader.segments, key=lambda s: s.start)
    return Document(text, "html", segments, name)


def _attr_encoder(quote: str) -> Encoder:
    def encode(s: str) -> str:
        s = escape_html_text(s)
        return s.replace('"', "&quot;") if quote == '"' else s.replace("'", "&#39;")

    return encode


class _Reader(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.lines = Lines(text)
        self.segments: list[Segment] = []
        self.builder = SegmentBuilder(escape_html_text)
        self.protected: list[str] = []  # open protected elements
        self.hard_from = -1  # where inline code inside a segment started

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.lines.offset(line, col)

    def end_segment(self) -> None:
        if not self.builder.empty:
            seg = self.builder.build()
            if seg.text.strip():
                self.segments.append(seg)
        self.builder = SegmentBuilder(escape_html_text)

    def _tag_end(self, at: int) -> int:
        end = self.text.find(">", at)
        return len(self.text) if end == -1 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._pos()
        raw = self.get_starttag_text() or ""
        end = at + len(raw)
        self._attributes(at, raw)
        if self.protected:
            if tag == self.protected[-1]:
                self.protected.append(tag)
            return
        if tag in PROTECTED:
            if tag == "code" and not self.builder.empty:
                self.hard_from = at
            else:
                self.end_segment()
            self.protected.append(tag)
            return
        if tag in INLINE or tag == "img":
            self.builder.skip(at, end - at)
        else:
            self.end_segment()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._pos()
        raw = self.get_starttag_text() or ""
        self._attributes(at, raw)
        if self.protected:
            return
        if tag in INLINE or tag == "img":
            self.builder.skip(at, len(raw))
        else:
            self.end_segment()

    def handle_endtag(self, tag: str) -> None:
        at = self._pos()
        end = self._tag_end(at)
        if self.protected:
            if tag == self.protected[-1]:
                self.protected.pop()
                if not self.protected and self.hard_from >= 0:
                    self.builder.hard(self.hard_from, end - self.hard_from)
                    self.hard_from = -1
            return
        if tag in INLINE:
            self.builder.skip(at, end - at)
        else:
            self.end_segment()

    def handle_data(self, data: str) -> None:
        if self.protected:
            return
        at = self._pos()
        self.builder.literal(at, self.text[at : at + len(data)])

    def _ref(self) -> None:
        if self.protected:
            return
        at = self._pos()
        m = ENTITY.match(self.text, at)
        if m is None:  # "&name" without ";": kept as written
            bare = _BARE_REF.match(self.text, at)
            end = bare.end() if bare else at + 1
            self.builder.literal(at, self.text[at:end])
            return
        add_entities(self.builder, self.text, at, m.end())

    def handle_entityref(self, name: str) -> None:
        self._ref()

    def handle_charref(self, name: str) -> None:
        self._ref()

    def _markup(self) -> None:
        if self.protected:
            return
        at = self._pos()
        self.builder.skip(at, self._tag_end(at) - at)

    def handle_comment(self, data: str) -> None:
        if self.protected:
            return
        at = self._pos()
        end = self.text.find("-->", at)
        self.builder.skip(at, (len(self.text) if end == -1 else end + 3) - at)

    def handle_decl(self, decl: str) -> None:
        self.end_segment()

    def handle_pi(self, data: str) -> None:
        self._markup()

    def unknown_decl(self, data: str) -> None:
        self._markup()

    def _attributes(self, at: int, raw: str) -> None:
        """``alt`` and ``title`` values of a tag as segments of their own."""
        if not ("alt" in raw.lower() or "title" in raw.lower()):
            return
        m = re.match(r"<[^\s/>]*", raw)
        pos = m.end() if m else 1
        for attr in _ATTR.finditer(raw, pos):
            if attr.group("name").lower() not in TEXT_ATTRIBUTES:
                continue
            for group, quote in (("dq", '"'), ("sq", "'"), ("bare", "")):
                value = attr.group(group)
                if value is None or not value.strip():
                    continue
                start = at + attr.start(group)
                builder = SegmentBuilder(_attr_encoder(quote or '"'), key=attr.group("name"))
                add_entities(builder, self.text, start, start + len(value))
                seg = builder.build()
                if quote == "":
                    seg.needs_rewrite = lambda s: any(c in s for c in " \t\n\"'=<>`")
                    seg.rewrite = lambda s: '"' + escape_html_text(s).replace('"', "&quot;") + '"'
                self.segments.append(seg)

"""Group calls written out in place.

A pattern may define a group once in ``(?(DEFINE)...)`` and call it by name where it is
needed (``(?&chrome)``). The ``regex`` package searches such a regex more slowly than the
same regex with each call written out as a plain group: with calls, it cannot look ahead
for the text the regex needs, and it enters each call as a subroutine. ``inline_calls``
writes the calls out, so that a long text is searched at the plain regex's speed.

The written-out regex matches exactly what the regex with calls matches, at the same
places with the same groups: in ``regex`` a call is not atomic (the search may go back
into it, as into a plain group), and it sets no group, neither the one it calls nor those
inside it. So a call is written out as ``(?:body)``, the groups of its body made
non-capturing, and the ``(?(DEFINE)...)`` block, which matches nothing, stays where it is
so that every group keeps its number. Where that cannot be shown from the syntax, the
regex is returned as it is: a call of a group that is not in ``(?(DEFINE)...)``, or whose
body calls a group, refers back to a group, or holds a conditional, a branch reset, a
verb or a nested character set; a relative call or a call of the whole regex; a call or
a ``(?(DEFINE)...)`` under scoped flags; inline flags other than the leading ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What follows "(" in the syntax this module reads (the whole call or reference, for those).
_CALL = re.compile(r"\?(?:&(\w+)|P>(\w+)|([+-]?\d+)|(R))\)")
_NAMED = re.compile(r"\?(?:P?<(?![=!])(\w+)>|'(\w+)')")
_CONDITION = re.compile(r"\?\((?:\w+)\)")
_BACKREF_GROUP = re.compile(r"\?P=\w+\)")
_FLAGS = re.compile(r"\?([a-zA-Z]*)(?:-([a-zA-Z]+))?([:)])")
_BACKREF_ESCAPE = re.compile(r"\\(?:[1-9]|g<|k<|g\{|k\{)")
# Anything that may be a call, to pass over most regexes without reading them.
_MAYBE_CALL = re.compile(r"\(\?(?:&|P>|[+-]?\d|R\))")


class _UnsupportedError(Exception):
    """Syntax this module does not write calls out of."""


@dataclass
class _Token:
    start: int
    end: int
    kind: str  # open, close, alt, call, other
    # for open: capture, define, cond, flags (scoped), plain (any other group); for other:
    # leading (the regex's leading inline flags), space (spaces and comments under (?x))
    group: str = ""
    name: str = ""  # a named capture's name; a call's target
    number: int = 0  # a capture's number; an absolute call's target
    close: int = -1  # for open: the index of its close token


class _Reader:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.verbose = False
        self.tokens: list[_Token] = []
        self.captures = 0
        self.body_started = False  # anything but leading inline flags read yet

    def read(self) -> list[_Token]:
        stack: list[int] = []
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            start = self.i
            if self.verbose and (c.isspace() or c == "#"):
                self._skip_verbose()
                self.tokens.append(_Token(start, self.i, "other", "space"))
            elif c == "\\":
                if _BACKREF_ESCAPE.match(s, self.i):
                    raise _UnsupportedError("backreference")
                self.i += 2
                self.tokens.append(_Token(start, self.i, "other"))
            elif c == "[":
                self._skip_class()
                self.tokens.append(_Token(start, self.i, "other"))
            elif c == "(":
                token = self._open()
                self.tokens.append(token)
                if token.kind == "open":
                    stack.append(len(self.tokens) - 1)
            elif c == ")":
                if not stack:
                    raise _UnsupportedError("unbalanced")
                self.i += 1
                self.tokens[stack.pop()].close = len(self.tokens)
                self.tokens.append(_Token(start, self.i, "close"))
            elif c == "|":
                self.i += 1
                self.tokens.append(_Token(start, self.i, "alt"))
            else:
                self.i += 1
                self.tokens.append(_Token(start, self.i, "other"))
            if self.tokens[-1].group != "leading":
                self.body_started = True
        if stack:
            raise _UnsupportedError("unbalanced")
        return self.tokens

    def _skip_verbose(self) -> None:
        s = self.s
        while self.i < len(s) and (s[self.i].isspace() or s[self.i] == "#"):
            if s[self.i] == "#":
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end + 1
            else:
                self.i += 1

    def _skip_class(self) -> None:
        s = self.s
        j = self.i + 1
        if s.startswith("^", j):
            j += 1
        if s.startswith("]", j):
            j += 1
        while j < len(s) and s[j] != "]":
            if s[j] == "[":
                raise _UnsupportedError("nested set")
            j += 2 if s[j] == "\\" else 1
        if j >= len(s):
            raise _UnsupportedError("unbalanced class")
        self.i = j + 1

    def _open(self) -> _Token:
        s, start = self.s, self.i
        after = start + 1
        if s.startswith("(*", start) or s.startswith("(?|", start):
            raise _UnsupportedError("verb or branch reset")
        if s.startswith("(?#", start):
            end = s.find(")", start)
            if end < 0:
                raise _UnsupportedError("unbalanced")
            self.i = end + 1
            return _Token(start, self.i, "other")
        call = _CALL.match(s, after)
        if call is not None:
            self.i = call.end()
            name, name_p, number, whole = call.groups()
            if whole or (number and (number[0] in "+-" or int(number) == 0)):
                raise _UnsupportedError("relative call or call of the whole regex")
            return _Token(start, self.i, "call", name=name or name_p or "", number=int(number or 0))
        if _BACKREF_GROUP.match(s, after):
            raise _UnsupportedError("backreference")
        if s.startswith("(?(DEFINE)", start):
            self.i = start + len("(?(DEFINE)")
            return _Token(start, self.i, "open", "define")
        condition = _CONDITION.match(s, after)
        if condition is not None:  # (?(name)yes|no), (?(1)yes|no)
            self.i = condition.end()
            return _Token(start, self.i, "open", "cond")
        if s.startswith("(?(", start):
            raise _UnsupportedError("conditional on a lookaround")
        named = _NAMED.match(s, after)
        if named is not None:
            self.captures += 1
            self.i = named.end()
            return _Token(start, self.i, "open", "capture", named[1] or named[2], self.captures)
        flags = _FLAGS.match(s, after)
        if flags is not None and (flags[1] or flags[2]):
            self.i = flags.end()
            if flags[3] == ")":  # inline flags: only the leading ones are read
                if self.body_started or flags[2]:
                    raise _UnsupportedError("inline flags")
                self.verbose = self.verbose or "x" in flags[1]
                return _Token(start, self.i, "other", "leading")
            if "x" in (flags[1] or "") + (flags[2] or ""):
                raise _UnsupportedError("scoped verbose flag")
            return _Token(start, self.i, "open", "flags")
        if s.startswith("(?", start):
            # (?: (?> (?= (?! (?<= (?<! : groups that capture nothing
            for head in ("(?:", "(?>", "(?=", "(?!", "(?<=", "(?<!"):
                if s.startswith(head, start):
                    self.i = start + len(head)
                    return _Token(start, self.i, "open", "plain")
            raise _UnsupportedError("group syntax")
        self.captures += 1
        self.i = after
        return _Token(start, self.i, "open", "capture", "", self.captures)


def inline_calls(source: str) -> str:
    """The regex with each call of a group defined in ``(?(DEFINE)...)`` written out in
    place; the regex itself when it has no such call, or when the calls cannot be written
    out exactly (see the module's docstring).

    >>> inline_calls(r"(?&w)-(?&w)(?(DEFINE)(?<w>[a-z]+(x)?))")
    '(?:[a-z]+(?:x)?)-(?:[a-z]+(?:x)?)(?(DEFINE)(?<w>[a-z]+(x)?))'
    >>> inline_calls(r"(?&w)(?(DEFINE)(?<w>a\\1))")
    '(?&w)(?(DEFINE)(?<w>a\\\\1))'
    """
    if not may_call(source):
        return source
    try:
        tokens = _Reader(source).read()
        calls = _calls(tokens)
    except _UnsupportedError:
        return source
    out, last = [], 0
    for call, body in calls:
        out.append(source[last : call.start])
        out.append(_body(source, tokens, body))
        last = call.end
    out.append(source[last:])
    return "".join(out)


def may_call(source: str) -> bool:
    """Whether the regex may call a group (quickly, without reading it).

    >>> may_call(r"(?&w)(?(DEFINE)(?<w>a))"), may_call(r"(?:a)(?=b)")
    (True, False)
    """
    return _MAYBE_CALL.search(source) is not None


def anchored_at_start(source: str) -> bool:
    """Whether every match of the regex starts at ``\\A``: its first item (after its
    leading flags) is ``\\A``, and it has no ``|`` outside groups.

    >>> anchored_at_start(r"(?x) \\A (?:a|b)"), anchored_at_start(r"\\Aa|b")
    (True, False)
    """
    try:
        tokens = _Reader(source).read()
    except _UnsupportedError:
        return False
    depth = 0
    first = None
    for t in tokens:
        text = source[t.start : t.end]
        if first is None and (t.group in ("leading", "space") or text.startswith("(?#")):
            continue  # leading flags, spaces and comments
        if first is None:
            first = text
        if t.kind == "open":
            depth += 1
        elif t.kind == "close":
            depth -= 1
        elif t.kind == "alt" and depth == 0:
            return False
    return first == "\\A"


def _calls(tokens: list[_Token]) -> list[tuple[_Token, tuple[int, int]]]:
    """The calls outside ``(?(DEFINE)...)`` blocks, each with the token range of the body
    of the group it calls; raises _UnsupportedError for a call that cannot be written out."""
    bodies: dict[tuple[str, int], tuple[int, int]] = {}  # by (name, 0) and ("", number)
    calls: list[_Token] = []
    names: set[str] = set()
    open_flags: list[int] = []  # where each open group with scoped flags closes
    inside_define = -1  # where the DEFINE block being read closes
    for index, t in enumerate(tokens):
        if t.kind == "open" and t.group == "capture" and t.name:
            if t.name in names:
                raise _UnsupportedError("a name given twice")
            names.add(t.name)
        if t.kind == "open" and t.group == "flags":
            open_flags.append(t.close)
        elif t.kind == "close" and open_flags and index == open_flags[-1]:
            open_flags.pop()
        if t.kind == "open" and t.group == "define" and inside_define < 0:
            if open_flags:
                raise _UnsupportedError("DEFINE under scoped flags")
            inside_define = t.close
        elif index == inside_define:
            inside_define = -1
        elif inside_define >= 0 and t.kind == "open" and t.group == "capture":
            bodies[("", t.number)] = (index + 1, t.close)
            if t.name:
                bodies[(t.name, 0)] = (index + 1, t.close)
        elif inside_define < 0 and t.kind == "call":
            if open_flags:
                raise _UnsupportedError("a call under scoped flags")
            calls.append(t)
    found = []
    for call in calls:
        span = bodies.get((call.name, 0) if call.name else ("", call.number))
        if span is None:
            raise _UnsupportedError("a call of a group outside DEFINE")
        inner = tokens[span[0] : span[1]]
        if any(t.kind == "call" or t.group in ("define", "cond") for t in inner):
            raise _UnsupportedError("a body that calls a group or holds a conditional")
        found.append((call, span))
    return found


def _body(source: str, tokens: list[_Token], span: tuple[int, int]) -> str:
    """A group's body as a non-capturing group, the groups inside it made non-capturing."""
    first, last = span
    parts = ["(?:"]
    for t in tokens[first:last]:
        parts.append(
            "(?:" if t.kind == "open" and t.group == "capture" else source[t.start : t.end]
        )
    parts.append(")")
    return "".join(parts)

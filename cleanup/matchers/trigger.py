"""Literal prefilters for regex rules: where in a text a pattern can match at all.

A regex is read into a small syntax tree and two things are taken from it, as ripgrep
and RE2 do:

- a *trigger*: a set of literal strings one of which occurs in the text wherever the
  pattern matches (in what it consumes or in what its lookarounds see), taken from
  literal runs, small classes (``[Tt]he``), alternations and optional parts, in any case
  under ``(?i)``;
- its *reach*: how far from the start of a match the regex engine may look, back and
  forward, in characters, or in line breaks when the unbounded parts of the regex
  cannot cross a line (``[^"\\r\\n]*``).

All triggers of all patterns are found in one Aho-Corasick pass over the text's UTF-8
bytes (another over its lower-cased bytes for triggers that match in any case), and a
pattern is searched only in windows around its trigger positions. Within a window the
regex engine sees the whole text before it and everything the pattern can reach after
it, so every match it reports is the match a search of the whole text reports there.
A regex this reader does not understand, or one with no literal or unbounded reach,
gets no prefilter and is searched everywhere, as before.
"""

from __future__ import annotations

import bisect
import functools
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import ahocorasick_rs
import regex

from cleanup.records import quick_unpickle

# Literal sets larger than this are not multiplied out in a concatenation.
MAX_EXACT = 64
# Characters added to every reach, and line breaks to every line count: what the engine
# reads beyond a path it tries (the character that stops a repeat, a boundary's neighbour).
MARGIN = 2
# A trigger set whose windows cover more than this share of a text: search it whole.
DENSE = 0.5
# A trigger expected more often than this per character (a lone comma or full stop)
# finds windows everywhere: such a pattern is searched whole.
MAX_COST = 0.02
# ASCII letters that (?i) also matches outside ASCII (U+0130 for i, the Kelvin sign for k,
# the long s for s): a trigger found in lower-cased ASCII bytes would miss those.
_CI_UNSAFE = frozenset("iksIKS")


class UnsupportedError(Exception):
    """Syntax this reader does not take apart: the pattern gets no prefilter."""


Width = int | None


def _add(a: Width, b: Width) -> Width:
    return None if a is None or b is None else a + b


def _mul(a: Width, n: Width) -> Width:
    if a == 0 or n == 0:
        return 0
    return None if a is None or n is None else a * n


def _max(a: Width, b: Width) -> Width:
    return None if a is None or b is None else max(a, b)


Lit = tuple[str, bool]  # text (lower-cased when it matches in any case), any case
Lits = frozenset[Lit]
EMPTY: Lits = frozenset({("", False)})
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True, slots=True)
class Info:
    """What a piece of a regex says about the text it matches.

    ``exact``: the strings it consumes (all of them, when few); ``prefix``/``suffix``:
    strings what it consumes starts/ends with (EMPTY when unknown); ``need``: sets of
    literals that must each have one member in the text; widths in characters; ``back``
    and ``fwd``: how far before and after its start the engine may look; ``nl``: how many
    line breaks all it reads may hold (None: any number).
    """

    exact: Lits | None
    prefix: Lits
    suffix: Lits
    need: tuple[Lits, ...]
    minw: int
    maxw: Width
    back: Width
    fwd: Width
    nl: Width

    def needs(self) -> tuple[Lits, ...]:
        """Every requirement, the strings it consumes included."""
        return (*self.need, self.exact if self.exact is not None else self.prefix, self.suffix)


def _exact(lits: Lits, width: int, nl: int) -> Info:
    return Info(lits, lits, lits, (), width, width, 0, width, nl)


def _opaque(nl: int) -> Info:
    return Info(None, EMPTY, EMPTY, (), 1, 1, 0, 1, nl)


def _char(ch: str, ci: bool, nl: int) -> Info:
    if ci and ch.lower() != ch.upper():
        if not ch.isascii() or ch in _CI_UNSAFE:
            return _opaque(nl)
        return _exact(frozenset({(ch.lower(), True)}), 1, nl)
    return _exact(frozenset({(ch, False)}), 1, nl)


def _join(a: Lits, b: Lits) -> Lits | None:
    """Every string of ``a`` followed by every string of ``b`` (None: too many)."""
    if len(a) * len(b) > MAX_EXACT:
        return None
    out = set()
    for x, xci in a:
        for y, yci in b:
            ci = xci or yci
            left = x.translate(_ASCII_LOWER) if ci and not xci else x
            right = y.translate(_ASCII_LOWER) if ci and not yci else y
            out.add((left + right, ci))
    return frozenset(out)


def _required(lits: Lits | None) -> bool:
    return lits is not None and bool(lits) and all(t for t, _ in lits)


def _lower_lits(lits: Lits) -> Lits | None:
    """The same strings matched in any case; None when one holds a letter (?i) cannot be
    looked up for in lower-cased ASCII."""
    out = set()
    for text, _ in lits:
        if any(c.lower() != c.upper() and (not c.isascii() or c in _CI_UNSAFE) for c in text):
            return None
        out.add((text.translate(_ASCII_LOWER), True))
    return frozenset(out)


def concat(items: Sequence[Info]) -> Info:
    """A sequence of pieces: runs of exact strings are multiplied out while they stay few,
    and each run is joined to the prefix of what breaks it."""
    need: list[Lits] = []
    run: Lits = EMPTY  # what the text holds just before the next piece
    prefix: Lits | None = None  # known once the first run breaks
    broken = False
    minw = 0
    maxw: Width = 0
    lo = 0  # the least offset at which the next piece may start
    hi: Width = 0
    back: Width = 0
    fwd: Width = 0
    nl: Width = 0
    for item in items:
        back = _max(back, None if item.back is None else max(0, item.back - lo))
        fwd = _max(fwd, _add(hi, item.fwd))
        nl = _add(nl, item.nl)
        need.extend(item.need)
        if item.maxw == 0 and item.exact == EMPTY:
            # zero-width: a lookahead's text follows the run; a lookbehind's precedes
            # what comes next
            ahead, behind = item.prefix, item.suffix
            if ahead != EMPTY:
                joined = _join(run, ahead)
                need.append(joined if joined is not None else ahead)
            if behind != EMPTY and run == EMPTY:
                # what follows is read after the lookbehind's text, but is not all
                # that this piece consumes: no longer exact
                if not broken:
                    prefix = EMPTY
                broken = True
                run = behind
            continue
        joined = _join(run, item.exact) if item.exact is not None else None
        if joined is not None:
            run = joined
        else:
            start = _join(run, item.prefix)
            if start is None:
                need.extend([run, item.prefix])
            else:
                need.append(start)
            if not broken:
                prefix = start if start is not None else run
            broken = True
            run = item.exact if item.exact is not None else item.suffix
        lo += item.minw
        hi = _add(hi, item.maxw)
        minw += item.minw
        maxw = _add(maxw, item.maxw)
    need = [n for n in need if _required(n)]
    if not broken:
        return Info(run, run, run, tuple(need), minw, maxw, back, fwd, nl)
    need.append(run)
    need = [n for n in need if _required(n)]
    return Info(None, prefix or EMPTY, run, tuple(need), minw, maxw, back, fwd, nl)


def alternate(branches: Sequence[Info]) -> Info:
    """Branches of an alternation: a requirement holds when every branch has one."""
    exact: Lits | None = frozenset()
    for b in branches:
        if exact is None or b.exact is None or len(exact) + len(b.exact) > MAX_EXACT:
            exact = None
            break
        exact = exact | b.exact
    union: set[Lit] = set()
    for b in branches:
        best = best_set(b.needs())
        if best is None:
            union = set()
            break
        union |= best
    need = (frozenset(union),) if union and len(union) <= 4 * MAX_EXACT else ()

    def joint(parts: list[Lits]) -> Lits:
        if any(p == EMPTY for p in parts) or sum(len(p) for p in parts) > MAX_EXACT:
            return EMPTY
        return frozenset().union(*parts)

    prefix = joint([b.prefix for b in branches]) if exact is None else exact
    suffix = joint([b.suffix for b in branches]) if exact is None else exact
    minw = min(b.minw for b in branches)
    maxw: Width = 0
    back: Width = 0
    fwd: Width = 0
    nl: Width = 0
    for b in branches:
        maxw, back = _max(maxw, b.maxw), _max(back, b.back)
        fwd, nl = _max(fwd, b.fwd), _max(nl, b.nl)
    if exact is not None and not exact:
        exact = None
    return Info(exact, prefix, suffix, need, minw, maxw, back, fwd, nl)


def repeat(item: Info, low: int, high: Width) -> Info:
    """``item{low,high}``: an exact item repeated a few times is multiplied out; at least
    once keeps the item's requirements, its prefix and its suffix."""
    if high == 0:
        return _exact(EMPTY, 0, 0)
    if item.exact is not None and high is not None and high <= 3:
        options: set[Lit] = set()
        for n in range(low, high + 1):
            seq = concat([item] * n)
            if seq.exact is None:
                break
            options |= seq.exact
        else:
            if len(options) <= MAX_EXACT:
                lits = frozenset(options)
                w = _mul(item.maxw, high)
                fwd = _add(_mul(item.maxw, high - 1), item.fwd)
                return Info(
                    lits,
                    lits,
                    lits,
                    item.need if low else (),
                    item.minw * low,
                    w,
                    item.back,
                    fwd,
                    _mul(item.nl, high),
                )
    if item.maxw == 0:
        fwd = item.fwd
    else:
        fwd = None if high is None else _add(_mul(item.maxw, high - 1), item.fwd)
    if low >= 1:
        need = item.need if item.exact is None else (*item.need, item.exact)
        prefix, suffix = item.prefix, item.suffix
    else:
        need, prefix, suffix = (), EMPTY, EMPTY
    return Info(
        None,
        prefix,
        suffix,
        need,
        item.minw * low,
        _mul(item.maxw, high),
        item.back,
        fwd,
        _mul(item.nl, high),
    )


def lookaround(body: Info, *, behind: bool, negative: bool) -> Info:
    """A zero-width assertion on what comes before or after; a negative one needs nothing.

    A positive lookahead's prefix is kept as the prefix (what follows the position), a
    positive lookbehind's suffix as the suffix (what precedes it): ``concat`` joins them.
    """
    need = () if negative else body.needs()
    ahead = EMPTY if negative or behind else body.exact or body.prefix
    before = EMPTY if negative or not behind else body.exact or body.suffix
    if behind:
        back = _add(body.maxw, body.back)
        fwd: Width = None if body.fwd is None else max(0, body.fwd - body.minw)
    else:
        back, fwd = body.back, body.fwd
    return Info(
        EMPTY, ahead, before, tuple(n for n in need if _required(n)), 0, 0, back, fwd, body.nl
    )


def assertion(back: int, fwd: int) -> Info:
    """A zero-width test of the characters around a position (\\b, ^, $)."""
    return Info(EMPTY, EMPTY, EMPTY, (), 0, 0, back, fwd, back + fwd)


def lit_cost(lit: Lit) -> float:
    """How often a literal may be expected in English text, roughly: rarer is cheaper."""
    text, _ = lit
    p = 1.0
    for c in text:
        if c == " ":
            p *= 0.17
        elif c.isascii() and c.isalpha():
            p *= 0.06
        elif c.isascii():
            p *= 0.01
        else:
            p *= 0.005
    return p


def best_set(needs: Iterable[Lits]) -> Lits | None:
    """The requirement whose literals are expected least often."""
    best, cost = None, 0.0
    for s in needs:
        if not _required(s):
            continue
        c = sum(lit_cost(x) for x in s)
        if best is None or c < cost:
            best, cost = s, c
    return best


class _Parser:
    """Reads the syntax of the ``regex`` package that rule packs use; anything else
    raises UnsupportedError."""

    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.ci = False
        self.multiline = False
        self.dotall = False
        self.verbose = False
        self.groups: dict[str, Info] = {}
        self.group_count = 0
        self.depth = 0
        self.top: list[Info] | None = None  # the pieces of a regex with no top-level |
        self.top_starts: list[int] = []  # where each of those pieces starts in the source
        self.backrefs = False
        self._global_flags()
        self.body = self.i  # where the regex starts after its global flags

    def _global_flags(self) -> None:
        while self.s.startswith("(?", self.i):
            j = self.i + 2
            while j < len(self.s) and self.s[j].isalpha():
                j += 1
            if j == self.i + 2 or j >= len(self.s) or self.s[j] != ")":
                return
            self._set_flags(self.s[self.i + 2 : j])
            self.i = j + 1

    def _set_flags(self, flags: str) -> None:
        for f in flags:
            if f == "i":
                self.ci = True
            elif f == "m":
                self.multiline = True
            elif f == "s":
                self.dotall = True
            elif f == "x":
                self.verbose = True
            elif f not in "u":
                raise UnsupportedError(f"flag {f}")

    def parse(self) -> Info:
        info = self.alternation()
        if self.i != len(self.s):
            raise UnsupportedError("unbalanced")
        return info

    def _skip(self) -> None:
        if not self.verbose:
            return
        while self.i < len(self.s):
            c = self.s[self.i]
            if c.isspace():
                self.i += 1
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
            else:
                return

    def alternation(self) -> Info:
        top = self.depth == 0
        self.depth += 1
        items, starts = self.sequence()
        branches = [concat(items)]
        while self.i < len(self.s) and self.s[self.i] == "|":
            self.i += 1
            branches.append(concat(self.sequence()[0]))
        self.depth -= 1
        if top and len(branches) == 1:
            self.top, self.top_starts = items, starts
        return branches[0] if len(branches) == 1 else alternate(branches)

    def sequence(self) -> tuple[list[Info], list[int]]:
        items: list[Info] = []
        starts: list[int] = []
        while True:
            self._skip()
            if self.i >= len(self.s) or self.s[self.i] in "|)":
                break
            starts.append(self.i)
            atom = self.atom()
            items.append(self.quantified(atom))
        return items, starts

    def quantified(self, atom: Info) -> Info:
        self._skip()
        if self.i >= len(self.s):
            return atom
        c = self.s[self.i]
        if c in "*+?":
            self.i += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
        elif c == "{":
            j = self.s.find("}", self.i)
            body = self.s[self.i + 1 : j] if j > 0 else ""
            parts = body.split(",")
            if j < 0 or len(parts) > 2 or not all(p.isdigit() or p == "" for p in parts):
                raise UnsupportedError("brace")
            if len(parts) == 1:
                if not parts[0]:
                    raise UnsupportedError("brace")
                low = high = int(parts[0])
            else:
                low = int(parts[0]) if parts[0] else 0
                high = int(parts[1]) if parts[1] else None
            self.i = j + 1
        else:
            return atom
        if self.i < len(self.s) and self.s[self.i] in "?+":
            self.i += 1  # lazy or possessive: the same text can match
        self._skip()
        if self.i < len(self.s) and self.s[self.i] in "*+?{":
            raise UnsupportedError("stacked quantifiers")
        return repeat(atom, low, high)

    def atom(self) -> Info:
        s, c = self.s, self.s[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.escape()
        self.i += 1
        if c == ".":
            return _opaque(1 if self.dotall else 0)
        if c == "^":
            return assertion(1, 0) if self.multiline else assertion(0, 0)
        if c == "$":
            return assertion(0, 1) if self.multiline else assertion(0, 2)
        if c in "*+?{":
            raise UnsupportedError("quantifier without atom")
        del s
        return _char(c, self.ci, 1 if c == "\n" else 0)

    def group(self) -> Info:
        s = self.s
        start = self.i
        self.i += 1
        saved = (self.ci, self.multiline, self.dotall, self.verbose)
        name = None
        kind = "group"
        if s.startswith("?", self.i):
            rest = s[self.i + 1 :]
            if rest.startswith(":"):
                self.i += 2
            elif rest.startswith(">"):
                self.i += 2
            elif rest.startswith("="):
                self.i, kind = self.i + 2, "ahead"
            elif rest.startswith("!"):
                self.i, kind = self.i + 2, "not-ahead"
            elif rest.startswith("<="):
                self.i, kind = self.i + 3, "behind"
            elif rest.startswith("<!"):
                self.i, kind = self.i + 3, "not-behind"
            elif rest.startswith(("P<", "<")):
                j = s.find(">", self.i)
                name = s[self.i + (3 if rest.startswith("P<") else 2) : j]
                if j < 0 or not name.isidentifier():
                    raise UnsupportedError("group name")
                self.i = j + 1
            elif rest.startswith("P="):
                j = s.find(")", self.i)
                ref = s[self.i + 3 : j]
                if j < 0 or ref not in self.groups:
                    raise UnsupportedError("backreference")
                self.i = j + 1
                self.backrefs = True
                return _backref(self.groups[ref])
            elif rest.startswith("#"):
                j = s.find(")", self.i)
                if j < 0:
                    raise UnsupportedError("comment")
                self.i = j + 1
                return concat([])
            else:
                j = self.i + 1
                while j < len(s) and (s[j].isalpha() or s[j] == "-"):
                    j += 1
                if j == self.i + 1 or j >= len(s) or s[j] != ":":
                    raise UnsupportedError(f"group at {start}")
                on, _, off = s[self.i + 1 : j].partition("-")
                self._set_flags(on)
                for f in off:
                    if f == "i":
                        self.ci = False
                    elif f == "m":
                        self.multiline = False
                    elif f == "s":
                        self.dotall = False
                    elif f == "x":
                        self.verbose = False
                    else:
                        raise UnsupportedError(f"flag {f}")
                self.i = j + 1
        if kind == "group" and name is None and not s.startswith("?", start + 1):
            self.group_count += 1
            number: int | None = self.group_count
        elif name is not None:
            self.group_count += 1
            number = self.group_count
        else:
            number = None
        body = self.alternation()
        if self.i >= len(s) or s[self.i] != ")":
            raise UnsupportedError("unclosed group")
        self.i += 1
        self.ci, self.multiline, self.dotall, self.verbose = saved
        if number is not None:
            self.groups[str(number)] = body
        if name is not None:
            self.groups[name] = body
        if kind in ("ahead", "not-ahead", "behind", "not-behind"):
            return lookaround(body, behind="behind" in kind, negative=kind.startswith("not"))
        return body

    def escape(self) -> Info:
        s = self.s
        if self.i + 1 >= len(s):
            raise UnsupportedError("trailing backslash")
        c = s[self.i + 1]
        self.i += 2
        if c in "bB":
            return assertion(1, 1)
        if c in "AZ":
            return assertion(0, 0)
        if c in "dDwWsSpP":
            src = s[self.i - 2 : self.i]
            if c in "pP":
                if self.i < len(s) and s[self.i] == "{":
                    j = s.find("}", self.i)
                    if j < 0:
                        raise UnsupportedError("property")
                    src += s[self.i : j + 1]
                    self.i = j + 1
                else:
                    src += s[self.i]
                    self.i += 1
            return _opaque(self._newline(src))
        if c.isdigit():
            if c == "0":
                raise UnsupportedError("octal")
            j = self.i
            while j < len(s) and s[j].isdigit() and j < self.i + 1:
                j += 1
            ref = s[self.i - 1 : j]
            self.i = j
            if ref not in self.groups:
                raise UnsupportedError("backreference")
            self.backrefs = True
            return _backref(self.groups[ref])
        ch = self._char_escape(c)
        return _char(ch, self.ci, 1 if ch == "\n" else 0)

    def _char_escape(self, c: str) -> str:
        """The character an escape stands for (after the letter); UnsupportedError for others."""
        s = self.s
        simple = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
        if c in simple:
            return simple[c]
        digits = {"x": 2, "u": 4, "U": 8}.get(c)
        if digits is not None:
            code = s[self.i : self.i + digits]
            if len(code) != digits or not all(h in "0123456789abcdefABCDEF" for h in code):
                raise UnsupportedError("hex escape")
            self.i += digits
            return chr(int(code, 16))
        if c.isalnum() or c == "_":
            raise UnsupportedError(f"escape \\{c}")
        return c

    def char_class(self) -> Info:
        s = self.s
        j = self.i + 1
        negated = s.startswith("^", j)
        if negated:
            j += 1
        members: list[str] = []
        plain = not negated
        first = True
        while True:
            if j >= len(s):
                raise UnsupportedError("unclosed class")
            c = s[j]
            if c == "]" and not first:
                break
            first = False
            if c == "[" and s.startswith(("[:", "[=", "[."), j):
                raise UnsupportedError("POSIX class")
            if c == "[" or (c in "&|~-" and s.startswith(c * 2, j)):
                raise UnsupportedError("set operation")
            if c == "\\":
                if j + 1 >= len(s):
                    raise UnsupportedError("class escape")
                e = s[j + 1]
                if e in "dDwWsSpPbB" or e.isdigit():
                    plain = False
                    if e in "pP" and s.startswith("{", j + 2):
                        k = s.find("}", j)
                        if k < 0:
                            raise UnsupportedError("property")
                        j = k + 1
                        continue
                    j += 3 if e in "pP" else 2
                    continue
                saved = self.i
                self.i = j + 2
                members.append(self._char_escape(e))
                j, self.i = self.i, saved
                continue
            if c == "-" and members and j + 1 < len(s) and s[j + 1] != "]":
                plain = False
            members.append(c)
            j += 1
        src = s[self.i : j + 1]
        self.i = j + 1
        nl = self._newline(src)
        if plain and members and len(set(members)) <= 8:
            lits = [_char(m, self.ci, 0) for m in set(members)]
            if all(x.exact is not None for x in lits):
                exact = frozenset(lit for x in lits if x.exact for lit in x.exact)
                return _exact(exact, 1, nl)
        return _opaque(nl)

    def _newline(self, src: str) -> int:
        """1 when this class or escape matches a line break, else 0."""
        return _matches_newline(src, self.ci)


# Escapes whose answer is known without asking the engine.
_NEWLINE_ESCAPES = {"\\d": 0, "\\w": 0, "\\S": 0, "\\s": 1, "\\D": 1, "\\W": 1}


@functools.lru_cache(maxsize=4096)
def _matches_newline(src: str, ci: bool) -> int:
    """Whether a class or escape matches a line break (asked of the engine)."""
    known = _NEWLINE_ESCAPES.get(src)
    if known is not None:
        return known
    if src.startswith("\\p{") and src.endswith("}") and src[3:-1] in _NO_NEWLINE_PROPERTIES:
        return 0
    try:
        flags = regex.IGNORECASE if ci else 0
        return 1 if regex.fullmatch(src, "\n", flags=flags) else 0
    except regex.error as exc:
        raise UnsupportedError(str(exc)) from None


_NO_NEWLINE_PROPERTIES = frozenset(
    "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So "
    "Latin Cyrillic Greek Alpha Alphabetic".split()
)


def _backref(group: Info) -> Info:
    """A backreference: what its group matched, again; it needs nothing more."""
    return Info(None, EMPTY, EMPTY, (), 0, group.maxw, 0, group.maxw, group.nl)


@quick_unpickle
@dataclass(frozen=True, slots=True)
class Trigger:
    """A pattern's literal trigger and its reach (None: unbounded)."""

    literals: frozenset[Lit]
    back: Width
    fwd: Width
    lines: Width  # line breaks a match and what it looks at may hold
    # A multi-line ^ starts the regex and the trigger is on the match's first line: the
    # regex is tried only at the start of each line that holds its trigger.
    line_start: bool = False
    # A regex that starts with optional parts or lookarounds and then literal text: the
    # rest of it from that text on (``core``), searched on its own, finds where matches
    # can be; a match starts between ``lead_min`` and ``lead`` characters (or within
    # ``lead_lines`` line breaks) before a match of the core.
    core: str | None = None
    lead: Width = 0
    lead_min: int = 0
    lead_lines: Width = 0


def trigger_for(source: str) -> Trigger | None:
    """The trigger of a regex (macros already stood in for), or None when it has none.

    >>> t = trigger_for(r"\\b[Tt]he (?=Lavrov said)")
    >>> sorted(t.literals), t.back, t.fwd
    ([('The Lavrov said', False), ('the Lavrov said', False)], 1, 15)
    >>> sorted(trigger_for(r"(?i)\\bformer world\\b").literals)
    [('former world', True)]
    >>> t = trigger_for(r"«[^»\\n]+»")
    >>> sorted(t.literals), t.fwd, t.lines
    ([('«', False)], None, 0)
    >>> trigger_for(r"\\s+,"), trigger_for(r"\\s+ world") is None
    (None, True)
    """
    try:
        parser = _Parser(source)
        info = parser.parse()
    except (UnsupportedError, RecursionError, ValueError, IndexError):
        return None
    best = best_set(info.needs())
    bounded = info.back is not None and info.fwd is not None
    if _cheap(best) and (bounded or info.nl is not None):
        assert best is not None
        return Trigger(best, info.back, info.fwd, info.nl)
    top = parser.top
    if top and parser.multiline and source.startswith("^", parser.body) and info.minw > 0:
        # What the first line of a match holds: the pieces before any that may read a
        # line break (the ^ itself reads the one before the line).
        first = []
        for item in top[1:]:
            if item.nl != 0:
                break
            first.append(item)
        best = best_set(concat(first).needs())
        if _cheap(best):
            assert best is not None
            return Trigger(best, None, None, None, line_start=True)
    if top and not parser.backrefs and (bounded or info.nl is not None):
        return _core_trigger(source, parser, top, info)
    return None


def _core_trigger(source: str, parser: _Parser, top: list[Info], info: Info) -> Trigger | None:
    """A trigger that is the regex less what precedes its first literal text."""
    k = next(
        (i for i, item in enumerate(top) if item.minw > 0 and _required(item.exact or item.prefix)),
        0,
    )
    if k == 0:
        return None  # the regex starts with its literal: searching it is as quick
    lead = concat(top[:k])
    if lead.maxw is None and lead.nl is None:
        return None
    core = source[: parser.body] + source[parser.top_starts[k] :]
    try:
        regex.compile(core)
    except regex.error:
        return None
    return Trigger(frozenset(), None, info.fwd, info.nl, False, core, lead.maxw, lead.minw, lead.nl)


def _cheap(lits: Lits | None) -> bool:
    """Whether a trigger is rare enough to be worth looking for: no lone ASCII character
    (a comma, a full stop) and not expected every few dozen characters."""
    if lits is None or any(len(t) < 2 and t.isascii() for t, _ in lits):
        return False
    return sum(lit_cost(x) for x in lits) <= MAX_COST


def declared(literals: Iterable[str], *, any_case: bool) -> frozenset[Lit]:
    """A rule's own trigger literals, as a trigger's literal set."""
    if any_case:
        lowered = _lower_lits(frozenset((t, False) for t in literals))
        if lowered is None:
            return frozenset((t, False) for t in literals)
        return lowered
    return frozenset((t, False) for t in literals)


class Scanner:
    """Every pattern's trigger positions in a text, from one pass per letter case."""

    def __init__(self, triggers: Sequence[Lits | None]) -> None:
        exact: dict[str, list[int]] = {}
        folded: dict[str, list[int]] = {}
        for index, lits in enumerate(triggers):
            for text, ci in lits or ():
                (folded if ci else exact).setdefault(text, []).append(index)
        self._exact = _Automaton(exact)
        self._folded = _Automaton(folded)
        self._count = len(triggers)

    def hits(self, text: str) -> list[list[tuple[int, int]]]:
        """For each pattern, its trigger occurrences (start, end) in ``text``, sorted."""
        found: list[list[tuple[int, int]]] = [[] for _ in range(self._count)]
        data = text.encode("utf-8", "surrogatepass")
        self._exact.collect(text, data, found)
        if self._folded.active:
            self._folded.collect(text, data.lower(), found)
        for spans in found:
            spans.sort()
        return found


class _Automaton:
    def __init__(self, owners: dict[str, list[int]]) -> None:
        words = list(owners)
        self._owners = [owners[w] for w in words]
        self.active = bool(words)
        self._machine = (
            ahocorasick_rs.BytesAhoCorasick([w.encode("utf-8") for w in words]) if words else None
        )

    def collect(self, text: str, data: bytes, found: list[list[tuple[int, int]]]) -> None:
        if self._machine is None:
            return
        hits = self._machine.find_matches_as_indexes(data, overlapping=True)
        if not hits:
            return
        owners = self._owners
        if len(data) == len(text):  # ASCII: bytes are characters
            for index, a, b in hits:
                for owner in owners[index]:
                    found[owner].append((a, b))
            return
        hits.sort(key=lambda h: h[1])
        last_byte = last_char = 0
        for index, a, b in hits:
            last_char += len(data[last_byte:a].decode("utf-8", "surrogatepass"))
            last_byte = a
            end = last_char + len(data[a:b].decode("utf-8", "surrogatepass"))
            for owner in owners[index]:
                found[owner].append((last_char, end))


class Lines:
    """The line breaks of a text, to count lines around a position quickly."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks: list[int] | None = None

    @property
    def breaks(self) -> list[int]:
        if self._breaks is None:
            text, out, i = self.text, [], self.text.find("\n")
            while i != -1:
                out.append(i)
                i = text.find("\n", i + 1)
            self._breaks = out
        return self._breaks

    def before(self, p: int, count: int) -> int:
        """Just after the ``count``-th line break before ``p`` (0 when there are fewer)."""
        breaks = self.breaks
        i = bisect.bisect_left(breaks, p) - count
        return 0 if i < 0 else breaks[i] + 1

    def after(self, p: int, count: int) -> int:
        """Just after the ``count``-th line break at or after ``p`` (the text's end when
        there are fewer)."""
        breaks = self.breaks
        i = bisect.bisect_left(breaks, p) + count - 1
        return len(self.text) if i >= len(breaks) else breaks[i] + 1


def windows(
    lines_of: Lines,
    spans: Sequence[tuple[int, int]],
    trigger: Trigger,
    start: int,
    stop: int,
) -> list[tuple[int, int, int]] | None:
    """Where matches that start in ``[start, stop)`` can start, as merged windows
    ``(first, past, endpos)``: a search from ``first`` with ``endpos`` sees all a match
    starting before ``past`` can read. None: the windows cover most of the text, and one
    search of it is quicker."""
    n = len(lines_of.text)
    lines = None if trigger.lines is None else trigger.lines + MARGIN
    back = None if trigger.back is None else trigger.back + MARGIN
    fwd = None if trigger.fwd is None else trigger.fwd + MARGIN

    def raw() -> Iterator[tuple[int, int, int]]:
        for p, q in spans:
            first, past, end = 0, n, n
            if back is not None and fwd is not None:
                first, past = max(0, q - fwd), min(n, p + back + 1)
                end = min(n, past + fwd)
            if lines is not None and past - first > 200:
                line_past = lines_of.after(q, lines)
                first = max(first, lines_of.before(p, lines))
                past = min(past, line_past)
                end = min(end, lines_of.after(line_past, lines))
            yield first, past, end

    return _merged(raw(), start, stop)


def core_windows(
    lines_of: Lines,
    found: Sequence[int],
    trigger: Trigger,
    start: int,
    stop: int,
) -> list[tuple[int, int, int]] | None:
    """``windows`` for a trigger that is a regex's core, from where the core matches."""
    n = len(lines_of.text)
    lead = trigger.lead
    lead_lines = None if trigger.lead_lines is None else trigger.lead_lines + MARGIN
    fwd = None if trigger.fwd is None else trigger.fwd + MARGIN
    lines = None if trigger.lines is None else trigger.lines + MARGIN

    def raw() -> Iterator[tuple[int, int, int]]:
        for at in found:
            first = 0
            if lead is not None:
                first = max(0, at - lead - MARGIN)
            if lead_lines is not None and (lead is None or lead > 200):
                first = max(first, lines_of.before(at, lead_lines))
            past = min(n, at - trigger.lead_min + 1)
            end = n if fwd is None else min(n, past + fwd)
            if lines is not None and (fwd is None or fwd > 200):
                end = min(end, lines_of.after(past, lines))
            yield first, past, end

    return _merged(raw(), start, stop)


def _merged(
    windows: Iterable[tuple[int, int, int]], start: int, stop: int
) -> list[tuple[int, int, int]] | None:
    """Windows (search from, match must start before, search to) in order, those that
    reach ``[start, stop)`` merged where they meet; None when they cover more than DENSE
    times the range, where one search of it all is quicker."""
    out: list[tuple[int, int, int]] = []
    covered = 0
    limit = DENSE * max(1, stop - start)
    for first, past, end in windows:
        if past <= start or first >= stop:
            continue
        if out and first <= out[-1][1]:
            a, b, e = out[-1]
            if past > b:
                covered += past - b
            out[-1] = (a, max(b, past), max(e, end))
        else:
            out.append((first, past, end))
            covered += past - first
        if covered > limit:
            return None
    return out


def line_starts(text: str, spans: Sequence[tuple[int, int]], start: int, stop: int) -> list[int]:
    """The starts of the lines that hold a trigger and start in ``[start, stop)``."""
    out: list[int] = []
    for p, _ in spans:
        if out and text.find("\n", out[-1], p) == -1:
            continue
        s = text.rfind("\n", 0, p) + 1
        if start <= s < stop and (not out or s > out[-1]):
            out.append(s)
    return out


def _left(deadline: float) -> float:
    """Seconds left before ``deadline``; TimeoutError once none are, as the regex engine
    raises it, so that the time limit holds for all the windows of one search together."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def match_at(
    pattern: regex.Pattern[str], text: str, starts: Sequence[int], pos: int, timeout: float
) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text, pos)`` for a regex that matches only at ``starts`` and
    never matches empty text; ``timeout`` is for all of it."""
    deadline = time.monotonic() + timeout
    for s in starts:
        if s < pos:
            continue
        m = pattern.match(text, s, timeout=_left(deadline))
        if m is not None:
            yield m
            pos = m.end()


def search_in(
    pattern: regex.Pattern[str],
    text: str,
    wins: Sequence[tuple[int, int, int]],
    pos: int,
    timeout: float,
) -> regex.Match[str] | None:
    """``pattern.search(text, pos)``, for matches that start in the windows; ``timeout``
    is for all of it."""
    deadline = time.monotonic() + timeout
    i = bisect.bisect_right(wins, pos, key=lambda w: w[1])
    for first, past, end in wins[i:]:
        if past <= pos:
            continue
        if past == first + 1:  # one position: tried there only
            if first >= pos:
                m = pattern.match(text, first, end, timeout=_left(deadline))
                if m is not None:
                    return m
            continue
        m = pattern.search(text, max(first, pos), end, timeout=_left(deadline))
        if m is not None and m.start() < past:
            return m
    return None


def finditer_in(
    pattern: regex.Pattern[str],
    text: str,
    wins: Sequence[tuple[int, int, int]],
    pos: int,
    timeout: float,
) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text, pos)``, for matches that start in the windows; ``timeout``
    is for all of it."""
    deadline = time.monotonic() + timeout
    for first, past, end in wins:
        if past <= pos:
            continue
        for m in pattern.finditer(text, max(first, pos), end, timeout=_left(deadline)):
            if m.start() >= past:
                break
            yield m
            pos = m.end()

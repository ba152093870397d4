"""Score cleaned texts against gold artifacts (the format of benchmarks/quality/README.md).

An item is a stretch of an original text (`find`), what kind of artifact it is, and the
corrections that count (`fix`). The original and the cleaned text are aligned token by
token; the stretch is mapped onto the cleaned text, widened by a margin of tokens on each
side, and the item counts as fixed when that region no longer holds `find` and holds one
of the fixes: a literal text, `re:` and a regex, or "" for a deletion (no line of `find`
of three or more characters is left). Whitespace runs and the kind of quote mark are
ignored, except for an item about whitespace or quotes (one of its fixes equals `find`
once both are normalised), which is compared as written.

`keep` strings must still be in the cleaned file. Every changed run of tokens that
touches no gold stretch is an unannotated edit, listed for a person to judge.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import yaml

KINDS = ("name", "phrase", "grammar", "punctuation", "boilerplate", "duplication")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_SPACE = re.compile(r"\s+")
_QUOTE_MAP = str.maketrans(dict.fromkeys("“”„«»", '"') | dict.fromkeys("‘’‚", "'"))


class GoldError(ValueError):
    """A gold file that cannot be used, with the reason."""


@dataclasses.dataclass(frozen=True)
class Item:
    file: str
    kind: str
    find: str
    fix: tuple[str, ...]
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Keep:
    file: str
    text: str
    note: str = ""


@dataclasses.dataclass
class Score:
    """What one scoring run found."""

    items: list[tuple[Item, bool]]
    kept: list[tuple[Keep, bool]]
    unannotated: list[tuple[str, int, str, str]]  # file, line, old, new

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """Kind -> (items, fixed), in the order of KINDS, then any other kind."""
        counts: dict[str, list[int]] = {}
        for item, ok in self.items:
            pair = counts.setdefault(item.kind, [0, 0])
            pair[0] += 1
            pair[1] += ok
        order = [k for k in KINDS if k in counts] + sorted(set(counts) - set(KINDS))
        return {k: (counts[k][0], counts[k][1]) for k in order}

    @property
    def recall(self) -> float:
        return sum(ok for _, ok in self.items) / len(self.items) if self.items else 0.0

    @property
    def kept_share(self) -> float:
        return sum(ok for _, ok in self.kept) / len(self.kept) if self.kept else 1.0


def normalise(text: str) -> str:
    """Quotes of every kind made straight, runs of whitespace made one space."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MAP))


def load_gold(path: Path) -> tuple[list[Item], list[Keep]]:
    """The items and keep strings of a gold file; GoldError names what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from None
    items: list[Item] = []
    for n, raw in enumerate(data.get("items") or [], 1):
        missing = [k for k in ("file", "kind", "find", "fix") if k not in raw]
        if missing:
            raise GoldError(f"{path}: item {n} lacks '{missing[0]}'")
        if not isinstance(raw["fix"], list):
            raise GoldError(f"{path}: item {n}: 'fix' must be a list")
        fixes = tuple(str(f) for f in raw["fix"])
        for f in fixes:
            if f.startswith("re:"):
                try:
                    re.compile(f[3:])
                except re.error as exc:
                    raise GoldError(f"{path}: item {n}: bad regex {f!r}: {exc}") from None
        items.append(Item(raw["file"], raw["kind"], raw["find"], fixes, raw.get("note", "")))
    keeps = []
    for n, raw in enumerate(data.get("keep") or [], 1):
        if "file" not in raw or "text" not in raw:
            raise GoldError(f"{path}: keep entry {n} needs 'file' and 'text'")
        keeps.append(Keep(raw["file"], raw["text"], raw.get("note", "")))
    return items, keeps


class Alignment:
    """Tokens of an original and its cleaned text, and difflib's opcodes between them."""

    def __init__(self, original: str, cleaned: str) -> None:
        self.original, self.cleaned = original, cleaned
        self.a = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(original)]
        self.b = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(cleaned)]
        matcher = difflib.SequenceMatcher(
            None, [t[0] for t in self.a], [t[0] for t in self.b], autojunk=False
        )
        self.opcodes = matcher.get_opcodes()

    def _first(self, i: int) -> int:
        """Cleaned token index where original token ``i`` went."""
        for tag, i1, i2, j1, _ in self.opcodes:
            if i1 <= i < i2:
                return j1 + (i - i1) if tag == "equal" else j1
        return len(self.b)

    def _last(self, i: int) -> int:
        """Cleaned token index (exclusive) where the original tokens before ``i`` end."""
        for tag, i1, i2, j1, j2 in self.opcodes:
            if i1 < i <= i2:
                return j1 + (i - i1) if tag == "equal" else j2
        return 0

    def region(self, start: int, end: int, margin: int) -> str:
        """The cleaned text standing where original characters [start, end) stood, with
        ``margin`` tokens either side."""
        inside = [k for k, (_, s, e) in enumerate(self.a) if s < end and e > start]
        if not inside:
            raise GoldError("a gold stretch holds no word or punctuation")
        lo = self._first(inside[0])
        hi = max(self._last(inside[-1] + 1), lo)
        lo, hi = lo - margin, hi + margin
        begin = self.b[lo - 1][2] if lo > 0 and self.b else 0
        finish = self.b[hi][1] if hi < len(self.b) else len(self.cleaned)
        return self.cleaned[begin:finish]

    def changes(self, stretches: Sequence[tuple[int, int]]) -> Iterator[tuple[int, str, str]]:
        """(original offset, old text, new text) of each change that touches no stretch.

        Of a change that overlaps a stretch, the runs of removed words outside every
        stretch are given on their own, as "(part of a larger edit)"."""

        def touches(s: int, e: int) -> bool:
            return any(s <= ge and gs <= e for gs, ge in stretches)

        def inside(tok: tuple[str, int, int]) -> bool:
            return any(gs <= tok[1] < ge or gs < tok[2] <= ge for gs, ge in stretches)

        for tag, i1, i2, j1, j2 in self.opcodes:
            if tag == "equal":
                continue
            new = self.cleaned[self.b[j1][1] : self.b[j2 - 1][2]] if j1 < j2 else ""
            if i1 == i2:
                gap_start = self.a[i1 - 1][2] if i1 else 0
                gap_end = self.a[i1][1] if i1 < len(self.a) else len(self.original)
                if not touches(gap_start, gap_end):
                    yield gap_start, "", new
                continue
            first, last = self.a[i1], self.a[i2 - 1]
            if not touches(first[1], last[2]):
                yield first[1], self.original[first[1] : last[2]], new
                continue
            run: list[tuple[str, int, int]] = []
            for tok in [*self.a[i1:i2], None]:
                if tok is not None and not inside(tok):
                    run.append(tok)
                    continue
                if any(re.match(r"\w", t[0]) for t in run):
                    old = self.original[run[0][1] : run[-1][2]]
                    yield run[0][1], old, "(part of a larger edit)"
                run = []


def is_fixed(item: Item, region: str) -> bool:
    """Whether the cleaned region shows the item put right."""
    exact = any(
        f and not f.startswith("re:") and normalise(f).strip() == normalise(item.find).strip()
        for f in item.fix
    )
    view = (lambda s: s) if exact else normalise
    seen = view(region)
    if view(item.find) in seen:
        return False
    for fix in item.fix:
        if fix == "":
            lines = (view(line).strip() for line in item.find.splitlines())
            if not any(len(line) >= 3 and line in seen for line in lines):
                return True
        elif fix.startswith("re:"):
            if re.search(fix[3:], seen):
                return True
        elif view(fix) in seen:
            return True
    return False


def score(
    originals: Mapping[str, str],
    cleaned: Mapping[str, str | None],
    items: Sequence[Item],
    keeps: Sequence[Keep],
    margin: int = 8,
) -> Score:
    """Score cleaned texts (None: no cleaned file) against gold items and keep strings."""
    alignments: dict[str, Alignment] = {}
    stretches: dict[str, list[tuple[int, int]]] = {}
    results: list[tuple[Item, bool]] = []
    for n, item in enumerate(items, 1):
        original = originals.get(item.file)
        if original is None:
            raise GoldError(f"item {n} names {item.file}, which is not among the originals")
        at = original.find(item.find)
        if at < 0:
            raise GoldError(f"item {n} ({item.file}): 'find' is not in the original")
        stretches.setdefault(item.file, []).append((at, at + len(item.find)))
        out = cleaned.get(item.file)
        ok = False
        if out is not None:
            if item.file not in alignments:
                alignments[item.file] = Alignment(original, out)
            ok = is_fixed(item, alignments[item.file].region(at, at + len(item.find), margin))
        results.append((item, ok))
    kept = []
    for keep in keeps:
        out = cleaned.get(keep.file)
        kept.append((keep, out is not None and normalise(keep.text) in normalise(out)))
    unannotated = []
    for name in dict.fromkeys([i.file for i in items] + [k.file for k in keeps]):
        out = cleaned.get(name)
        if out is None:
            continue
        original = originals[name]
        alignment = alignments.get(name) or Alignment(original, out)
        for offset, old, new in alignment.changes(stretches.get(name, [])):
            unannotated.append((name, original.count("\n", 0, offset) + 1, old, new))
    return Score(results, kept, unannotated)

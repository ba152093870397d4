"""A self-contained HTML page of a `cleanup fix` run: every edit shown inside its text,
with counts, and filters by rule, status and safety.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cleanup.edit import Safety
from cleanup.outcome import FileOutcome, Finding, Status
from cleanup.textio import AtomicWriter, iter_pieces

# Larger files show only the lines around their edits, so the page stays light.
FULL_TEXT_BYTES = 2_000_000
CONTEXT_LINES = 2
# Of a line longer than this, only the characters around its edits are shown.
LONG_LINE_CHARS = 100_000
WINDOW_CHARS = 300
# Texts in the edit list and tooltips are cut to this many characters (the text is whole).
CLIP_CHARS = 300
# What the counts and filters call each finding: its status, and for a pending one, why.
CATEGORIES = {
    "applied": "applied",
    "review": "review",
    "suggest": "suggestion",
    "dropped": "dropped",
}


# A file's first so many edits are drawn; the rest are counted (memory stays flat on a
# file with hundreds of thousands of edits; --format json lists every one).
DRAWN_EDITS = 5_000
# A report of more files or edits than this is split into pages of files, with an index.
PAGE_FILES = 100
PAGE_EDITS = 2_000


def write_report(target: Path, outcomes: Sequence[FileOutcome]) -> None:
    """Write the page for ``outcomes`` to ``target``, atomically. A large run's report is
    split: ``target`` is an index of every file, and the files' pages are in the folder
    ``pages_folder(target)``, each a report of its own, so every page opens quickly."""
    pages = split_pages(outcomes)
    folder = pages_folder(target)
    if len(pages) > 1:
        folder.mkdir(exist_ok=True)
    else:
        pages = [(0, len(outcomes))]
    names = [f"{i:03}.html" for i in range(1, len(pages) + 1)]
    where = [f"{folder.name}/{name}" for name in names] if len(pages) > 1 else []
    for i, (start, stop) in enumerate(pages):
        page = _Page(start, _edits_before(outcomes, start), i, where, target.name)
        out = folder / names[i] if where else target
        with AtomicWriter(out) as writer:
            for piece in render_report(outcomes[start:stop], page):
                writer.write(piece)
    if where:
        with AtomicWriter(target) as writer:
            writer.write(render_index(outcomes, pages, where))
    if folder.is_dir():  # the pages of an earlier, larger run go
        for stale in folder.glob("[0-9][0-9][0-9].html"):
            if not where or stale.name not in names:
                stale.unlink()
        if not where and not any(folder.iterdir()):
            folder.rmdir()


def pages_folder(target: Path) -> Path:
    """Where the pages of a split report go: ``report.html`` → ``report-pages/``."""
    return target.with_name(target.stem + "-pages")


def split_pages(outcomes: Sequence[FileOutcome]) -> list[tuple[int, int]]:
    """Consecutive runs of files, each of at most PAGE_FILES files and PAGE_EDITS edits
    (a file with more edits is a page alone), as (start, stop) indexes."""
    pages: list[tuple[int, int]] = []
    start = edits = 0
    for i, outcome in enumerate(outcomes):
        n = sum(outcome.counts.values())
        if i > start and (i - start >= PAGE_FILES or edits + n > PAGE_EDITS):
            pages.append((start, i))
            start, edits = i, 0
        edits += n
    pages.append((start, len(outcomes)))
    return pages


def _edits_before(outcomes: Sequence[FileOutcome], start: int) -> int:
    return sum(sum(o.counts.values()) for o in outcomes[:start])


@dataclass(frozen=True)
class _Page:
    """Which page of a split report is drawn: its first file's and edit's numbers, its
    index among the pages, every page's address (none: the report is one page), and the
    index page's name."""

    first_file: int = 0
    first_edit: int = 0
    index: int = 0
    addresses: Sequence[str] = ()
    index_name: str = ""

    def nav(self) -> str:
        """The links between the pages, at the top of each."""
        if not self.addresses:
            return ""
        links = " ".join(
            f'<a href="../{html.escape(a)}"'
            + (' aria-current="page"' if i == self.index else "")
            + f">{i + 1}</a>"
            for i, a in enumerate(self.addresses)
        )
        return (
            f'<nav class="pages" aria-label="Pages"><a href="../{html.escape(self.index_name)}">'
            f"all files</a> · page {self.index + 1} of {len(self.addresses)}: {links}</nav>"
        )


@dataclass(frozen=True)
class Run:
    """A stretch of the original text shown on the page: where it starts, and the text."""

    line: int
    offset: int
    text: str


@dataclass
class Doc:
    """One input as the page shows it."""

    index: int
    label: str
    findings: list[tuple[int, Finding]]  # (page-wide edit number, finding)
    note: str = ""  # the run's error, or why the text could not be read
    body: str = ""  # the document's section of the page
    counts: Counter[str] = field(default_factory=Counter)
    page: str = ""  # of a split report's index: the page that shows it
    more: int = 0  # edits past those drawn (a file with more than DRAWN_EDITS)

    @property
    def link(self) -> str:
        return f"{html.escape(self.page)}#d{self.index}"


def category_of(status: Status, safety: Safety) -> str:
    """What the report calls a finding of ``status`` and ``safety``."""
    if status is Status.PENDING:
        return "suggest" if safety is Safety.SUGGEST else "review"
    return str(status.value)


def category(finding: Finding) -> str:
    """applied, review, suggest or dropped: the status, split by safety when pending.

    >>> from cleanup.edit import Edit, Kind
    >>> edit = Edit(0, 1, "a", "b", "r", Kind.PHRASE, Safety.SUGGEST)
    >>> category(Finding(edit, 1, 1, Status.PENDING))
    'suggest'
    """
    return category_of(finding.status, finding.edit.safety)


def render_report(outcomes: Sequence[FileOutcome], page: _Page | None = None) -> Iterator[str]:
    """The page, piece by piece (of a split report: one of its pages)."""
    page = page or _Page()
    docs = _build_docs(outcomes, page.first_file, page.first_edit)
    yield _HEAD + _asset("report.css") + "</style></head><body>\n"
    yield '<aside class="side" aria-label="Filters">'
    yield _filters(docs)
    yield '</aside><main id="top">'
    yield page.nav()
    yield _summary(docs, (f for o in outcomes for f in o.iter_findings()))  # every one
    for doc in docs:
        yield doc.body
    yield f"</main><script>\n{_asset('report.js')}</script></body></html>\n"


def render_index(
    outcomes: Sequence[FileOutcome], pages: Sequence[tuple[int, int]], addresses: Sequence[str]
) -> str:
    """The index of a split report: the run's counts, problems, rules and every file,
    each linked to the page that shows it."""
    docs = []
    for (start, stop), address in zip(pages, addresses, strict=True):
        for index in range(start, stop):
            outcome = outcomes[index]
            doc = Doc(index, outcome.job.label, [], note=outcome.error, page=address)
            for (_, status, safety), n in outcome.counts.items():
                doc.counts[category_of(status, safety)] += n
            docs.append(doc)
    findings = (f for o in outcomes for f in o.iter_findings())
    links = " ".join(f'<a href="{html.escape(a)}">{i + 1}</a>' for i, a in enumerate(addresses))
    return (
        _HEAD
        + _asset("report.css")
        + '</style></head><body class="index">\n<main id="top">'
        + f'<nav class="pages" aria-label="Pages">{len(addresses)} pages: {links}</nav>'
        + _summary(docs, findings)
        + '</main><script>document.body.dataset.ready = "1";</script></body></html>\n'
    )


def _build_docs(outcomes: Sequence[FileOutcome], first: int = 0, number: int = 0) -> list[Doc]:
    docs: list[Doc] = []
    for index, outcome in enumerate(outcomes, start=first):
        rewritten = outcome.original is None and outcome.output == outcome.job.path
        found = outcome.iter_findings()  # in text order; a file's first DRAWN_EDITS are drawn
        kept = list(found) if rewritten else list(itertools.islice(found, DRAWN_EDITS))
        ordered = sorted(kept, key=lambda f: (f.edit.start, f.edit.end))
        numbered = list(enumerate(ordered, start=number))
        number += len(ordered)
        doc = Doc(index, outcome.job.label, numbered, note=outcome.error)
        for (_, status, safety), n in outcome.counts.items():
            doc.counts[category_of(status, safety)] += n
        doc.more = max(0, doc.counts.total() - len(numbered))
        text = ""
        if not doc.note and numbered:
            if outcome.original is not None:  # the text as the run read it
                text, doc.note = _document_text(outcome.original, numbered)
            else:
                text, doc.note = _document_text(outcome.job.path, numbered, rewritten=rewritten)
        doc.body = _doc_section(doc, text)
        docs.append(doc)
    return docs


# -- reading the original text ----------------------------------------------------------


def original_of(cleaned: str, findings: Sequence[Finding]) -> str:
    """The text before its applied edits, from the text after them.

    >>> from cleanup.edit import Edit, Kind, Safety
    >>> e = Edit(4, 9, "world", "peace", "r", Kind.PHRASE, Safety.AUTO)
    >>> original_of("the peace.", [Finding(e, 1, 5, Status.APPLIED)])
    'the world.'
    """
    applied = sorted(
        (f.edit for f in findings if f.status is Status.APPLIED), key=lambda e: (e.start, e.end)
    )
    parts: list[str] = []
    pos = shift = 0  # in the cleaned text; cleaned offset minus original offset
    for e in applied:
        a = e.start + shift
        parts.append(cleaned[pos:a])
        parts.append(e.original)
        pos = a + len(e.replacement)
        shift += len(e.replacement) - (e.end - e.start)
    parts.append(cleaned[pos:])
    return "".join(parts)


def read_runs(path: Path, findings: Sequence[Finding]) -> list[Run]:
    """The text to show: all of it, or for a large file the lines around its edits, and
    of a line longer than ``LONG_LINE_CHARS`` only the stretches around its edits."""
    if path.stat().st_size <= FULL_TEXT_BYTES:
        return [Run(1, 0, path.read_bytes().decode("utf-8"))]
    wanted: set[int] = set()
    for f in findings:
        last = f.line + f.edit.original.count("\n")
        wanted.update(range(f.line - CONTEXT_LINES, last + CONTEXT_LINES + 1))
    reader = _RunReader(wanted, _windows(findings))
    for piece in iter_pieces(path):
        reader.take(piece)
    reader.end_line()
    reader.flush()
    return reader.runs


@dataclass
class _RunReader:
    """Reads a large file piece by piece into the runs that show its edits."""

    wanted: set[int]  # the numbers of the lines to show
    windows: list[tuple[int, int]]  # the stretches of long lines to show
    runs: list[Run] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # wanted lines in a row, not yet a run
    first: int = 0  # the number and offset of the first of them
    start: int = 0
    line: list[str] = field(default_factory=list)  # the pieces of the line being read
    number: int = 1
    offset: int = 0  # the offset of the next piece
    line_start: int = 0
    long: bool = False  # the line is too long to show whole

    def take(self, piece: str) -> None:
        if self.number in self.wanted:
            if self.long:
                self._cut(self.offset, piece)
            else:
                self.line.append(piece)
                if self.offset + len(piece) - self.line_start > LONG_LINE_CHARS:
                    self.flush()
                    self._cut(self.line_start, "".join(self.line))
                    self.line, self.long = [], True
        self.offset += len(piece)
        if piece.endswith("\n"):
            self.end_line()

    def end_line(self) -> None:
        if self.number in self.wanted and not self.long and self.line:
            if not self.lines:
                self.first, self.start = self.number, self.line_start
            self.lines.append("".join(self.line))
        else:
            self.flush()
        self.line, self.long = [], False
        self.number += 1
        self.line_start = self.offset

    def flush(self) -> None:
        if self.lines:
            self.runs.append(Run(self.first, self.start, "".join(self.lines)))
            self.lines = []

    def _cut(self, start: int, text: str) -> None:
        """The stretches of ``text`` (at ``start``, inside a long line) that windows cover,
        joined to the run before when they continue it."""
        end = start + len(text)
        i = bisect.bisect_right(self.windows, (start, end)) - 1
        for a, b in self.windows[max(0, i) :]:
            if a >= end:
                break
            if b <= start:
                continue
            a, b = max(a, start), min(b, end)
            part = text[a - start : b - start]
            last = self.runs[-1] if self.runs else None
            if last and last.line == self.number and last.offset + len(last.text) == a:
                self.runs[-1] = Run(last.line, last.offset, last.text + part)
            else:
                self.runs.append(Run(self.number, a, part))


def _windows(findings: Sequence[Finding]) -> list[tuple[int, int]]:
    """The stretches of text around the edits, merged, in order."""
    spans = sorted((f.edit.start - WINDOW_CHARS, f.edit.end + WINDOW_CHARS) for f in findings)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((max(0, a), b))
    return merged


def _document_text(
    path: Path, findings: Sequence[tuple[int, Finding]], *, rewritten: bool = False
) -> tuple[str, str]:
    """The text with its edits and the edit list; or nothing, and why (a note).

    ``rewritten``: the file now holds the cleaned text (cleaned in place); the original
    is worked back from it and the applied edits."""
    try:
        if rewritten:
            cleaned = path.read_bytes().decode("utf-8")
            runs = [Run(1, 0, original_of(cleaned, [f for _, f in findings]))]
        else:
            runs = read_runs(path, [f for _, f in findings])
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 ({exc.reason})"
        return "", f"{path}: cannot read the text for the report: {why}"
    return _text_html(runs, findings), ""


# -- one document -----------------------------------------------------------------------


@dataclass
class _Placed:
    """Applied and pending edits drawn in the text: their spans, and those left out."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    left_out: set[int] = field(default_factory=set)

    def covering(self, offset: int) -> int | None:
        """The number of the drawn edit whose text holds ``offset``, if any."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.starts[i] <= offset < max(self.ends[i], self.starts[i] + 1):
            return self.numbers[i]
        return None


def _text_html(runs: Sequence[Run], findings: Sequence[tuple[int, Finding]]) -> str:
    """The runs with applied and pending edits drawn in place; then the edit list."""
    placed = _Placed()
    inline = [(n, f) for n, f in findings if f.status is not Status.DROPPED]
    parts = ['<div class="text" lang="en">']
    cursor = 0
    end_line = 0
    for run in runs:
        if run.line > end_line + 1:
            parts.append(f'<div class="gap">lines {end_line + 1}–{run.line - 1} not shown</div>')
        end_line = run.line + run.text.count("\n") - (1 if run.text.endswith("\n") else 0)
        cursor = _draw_run(run, inline, cursor, placed, parts)
    parts.append("</div>")
    placed.left_out.update(n for n, _ in inline[cursor:])
    parts.append(_edit_list(findings, placed))
    return "".join(parts)


def _draw_run(
    run: Run,
    inline: Sequence[tuple[int, Finding]],
    cursor: int,
    placed: _Placed,
    parts: list[str],
) -> int:
    """Draw one run and the edits inside it; returns the index of the next edit."""
    text, base, pos = run.text, run.offset, 0
    parts.append('<div class="run">')
    while cursor < len(inline):
        n, f = inline[cursor]
        start, end = f.edit.start - base, f.edit.end - base
        if end > len(text):
            break
        cursor += 1
        if start < pos or text[start:end] != f.edit.original:
            placed.left_out.add(n)  # overlaps a drawn edit, or the file changed since
            continue
        parts.append(html.escape(text[pos:start]))
        parts.append(_span(n, f))
        placed.starts.append(f.edit.start)
        placed.ends.append(f.edit.end)
        placed.numbers.append(n)
        pos = end
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return cursor


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    """``text``, its middle cut out when it is longer than ``limit``.

    >>> clip("abcdefghij", 6)
    'abc … hij'
    """
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]} … {text[-half:]}"


def _marked(text: str) -> str:
    """Escaped edit text; line breaks get a visible mark (by CSS, so the text stays)."""
    return html.escape(text).replace("\n", '<span class="nl">\n</span>')


def _span(n: int, f: Finding) -> str:
    """An applied edit as deleted + inserted text; a pending one as text + proposal."""
    e = f.edit
    cat = category(f)
    old_tag, new_tag = ("del", "ins") if f.status is Status.APPLIED else ("span", "span")
    inner = ""
    if e.original:
        inner += f'<{old_tag} class="o">{_marked(e.original)}</{old_tag}>'
    flag = e.replacement == e.original  # pointed out, with nothing proposed
    if not flag and (e.replacement or f.status is Status.PENDING):
        empty = "" if e.replacement else " rm"
        inner += f'<{new_tag} class="r{empty}">{_marked(e.replacement)}</{new_tag}>'
    classes = f"e {cat} flag" if flag else f"e {cat}"
    return (
        f'<span class="{classes}" id="e{n}" tabindex="0" data-rule="{html.escape(e.rule_id)}" '
        f'data-cat="{cat}" data-safety="{e.safety.value}" '
        f'title="{html.escape(_tooltip(f))}">{inner}</span>'
    )


def _tooltip(f: Finding) -> str:
    e = f.edit
    lines = [
        e.rule_id,
        f"{CATEGORIES[category(f)]} · safety {e.safety.value} · {e.kind.value}",
        f"source {e.source or 'built in'} · confidence {e.confidence:.2f}",
        f"line {f.line}, column {f.column}",
    ]
    if e.message:
        lines.append(clip(e.message))
    if f.reason:
        lines.append(f"dropped: {clip(f.reason)}")
    return "\n".join(lines)


def _edit_list(findings: Sequence[tuple[int, Finding]], placed: _Placed) -> str:
    items = "".join(_edit_item(n, f, placed) for n, f in findings)
    return (
        f'<details class="list" open><summary>{len(findings)} edits in this document'
        f'</summary><ol class="edits">{items}</ol></details>'
    )


def _edit_item(n: int, f: Finding, placed: _Placed) -> str:
    e = f.edit
    cat = category(f)
    where = f"{f.line}:{f.column}"
    if f.status is not Status.DROPPED and n not in placed.left_out:
        where = f'<a href="#e{n}">{where}</a>'
    meta = [html.escape(e.source or "built in"), f"confidence {e.confidence:.2f}"]
    if e.message:
        meta.append(html.escape(clip(e.message)))
    return (
        f'<li class="item {cat}" id="r{n}" data-rule="{html.escape(e.rule_id)}" '
        f'data-cat="{cat}" data-safety="{e.safety.value}">'
        f'<div class="head"><span class="where">{where}</span> '
        f'<span class="badge {cat}">{CATEGORIES[cat]}</span> '
        f'<span class="safety">{e.safety.value}</span> '
        f'<code class="rule">{html.escape(e.rule_id)}</code></div>'
        f'<div class="chg">{_change(f)}</div>{_why(n, f, placed)}'
        f'<div class="meta">{" · ".join(meta)}</div></li>'
    )


def _spaced(text: str) -> str:
    """Escaped edit text for the list: line breaks and spaces at either end made visible."""
    core = text.strip(" ")
    if not core:
        return _SPACE * len(text)
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - len(text.rstrip(" "))
    return _SPACE * lead + _marked(core) + _SPACE * trail


_SPACE = '<span class="sp"> </span>'


def _change(f: Finding) -> str:
    """Before → after, spelt out for the list."""
    e = f.edit
    before = f'<del class="o">{_spaced(clip(e.original))}</del>' if e.original else ""
    if e.replacement == e.original:
        return f'{before} <i class="rm">no proposal</i>'
    if not e.replacement:
        return f'{before} → <i class="rm">{"removed" if before else "nothing"}</i>'
    return f'{before} → <ins class="r">{_spaced(clip(e.replacement))}</ins>'


def _why(n: int, f: Finding, placed: _Placed) -> str:
    """For a dropped edit, its reason and the drawn edit it lost to; else for an edit that
    could not be drawn, why."""
    if f.status is Status.DROPPED:
        inside = placed.covering(f.edit.start)
        link = f' (see <a href="#e{inside}">the edit shown here</a>)' if inside is not None else ""
        reason = html.escape(clip(f.reason or "overlaps another edit"))
        return f'<div class="why">dropped: {reason}{link}</div>'
    if n in placed.left_out:
        return '<div class="why">not drawn in the text: it overlaps an edit drawn there</div>'
    return ""


def _doc_section(doc: Doc, text: str) -> str:
    label = html.escape(doc.label)
    head = (
        f'<header class="dochead"><h2><a href="#d{doc.index}">{label}</a></h2>'
        f"{_count_chips(doc)}</header>"
    )
    if doc.note:
        body = f'<p class="problem" role="alert">{html.escape(doc.note)}</p>'
        cls = "doc error"
    elif not doc.findings:
        body = '<p class="quiet-note">No edits.</p>'
        cls = "doc none"
    else:
        body = f'<div class="docbody">{text}</div>'
        if doc.more:
            shown = doc.counts.total() - doc.more
            body = (
                f'<p class="quiet-note">The first {shown:,} of {doc.counts.total():,} edits '
                "are drawn; <code>--format json</code> lists every one.</p>" + body
            )
        cls = "doc"
    return f'<section class="{cls}" id="d{doc.index}" data-doc="{doc.index}">{head}{body}</section>'


def _count_chips(doc: Doc) -> str:
    chips = [
        f'<span class="chip {cat}" data-count="{cat}" data-total="{doc.counts[cat]}">'
        f"<b>{doc.counts[cat]}</b> {name}</span>"
        for cat, name in CATEGORIES.items()
        if doc.counts[cat]
    ]
    return f'<div class="chips" data-scope="d{doc.index}">{"".join(chips)}</div>'


# -- the top of the page ----------------------------------------------------------------


def _summary(docs: Sequence[Doc], findings: Iterable[Finding] | None = None) -> str:
    if findings is None:
        findings = (f for d in docs for _, f in d.findings)
    totals: Counter[str] = Counter()
    for doc in docs:
        totals.update(doc.counts)
    failed = sum(1 for d in docs if d.note)
    changed = sum(1 for d in docs if d.counts["applied"])
    cards = [
        f'<div class="card files"><b>{len(docs)}</b><span>files</span>'
        f"<small>{changed} changed · {failed} with problems</small></div>"
    ]
    for cat, name in CATEGORIES.items():
        cards.append(
            f'<div class="card {cat}"><b data-count="{cat}" data-total="{totals[cat]}">'
            f"{totals[cat]}</b><span>{name}</span>"
            f'<small class="of">of {totals[cat]}</small></div>'
        )
    return (
        '<header class="top"><h1>cleanup report</h1>'
        f'<div class="cards" data-scope="all">{"".join(cards)}</div>'
        f"{_legend()}{_problems(docs)}{_rule_table(findings)}{_doc_table(docs)}</header>"
    )


def _legend() -> str:
    return (
        '<p class="legend">In the text: <span class="e applied"><del class="o">removed</del>'
        '<ins class="r">inserted</ins></span> applied · <span class="e review">'
        '<span class="o">text</span><span class="r">proposal</span></span> review '
        '(waits for a person) · <span class="e suggest"><span class="o">text</span><span class="r">'
        "suggestion</span></span> suggestion (never applied) · dropped edits are listed beside the "
        "text. Hover an edit for its rule, or press <kbd>j</kbd>/<kbd>k</kbd> to step "
        "through the edits shown.</p>"
    )


def _problems(docs: Sequence[Doc]) -> str:
    items = [
        f'<li><a href="{d.link}">{html.escape(d.label)}</a>: '
        f"{html.escape(d.note.removeprefix(d.label + ': '))}</li>"
        for d in docs
        if d.note
    ]
    if not items:
        return ""
    return f'<section class="problems"><h2>Problems</h2><ul>{"".join(items)}</ul></section>'


def _rule_table(findings: Iterable[Finding]) -> str:
    by_rule: dict[str, Counter[str]] = {}
    sources: dict[str, str] = {}
    for f in findings:
        by_rule.setdefault(f.edit.rule_id, Counter())[category(f)] += 1
        sources.setdefault(f.edit.rule_id, f.edit.source)
    rows = []
    for rule, counts in sorted(by_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        cells = "".join(f"<td>{counts[c] or ''}</td>" for c in CATEGORIES)
        rows.append(
            f"<tr><th scope=row><code>{html.escape(rule)}</code></th>{cells}"
            f"<td><code>{html.escape(sources[rule])}</code></td></tr>"
        )
    head = "".join(f"<th scope=col>{name}</th>" for name in CATEGORIES.values())
    return (
        f'<details class="table"><summary>Edits by rule ({len(rows)} rules)</summary>'
        f"<table><thead><tr><th scope=col>rule</th>{head}<th scope=col>defined in</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def _doc_table(docs: Sequence[Doc]) -> str:
    rows = []
    for doc in docs:
        state = "problem" if doc.note else ("" if doc.counts.total() else "no edits")
        rows.append(
            f'<tr data-doc="{doc.index}"><th scope=row><a href="{doc.link}">'
            f"{html.escape(doc.label)}</a> <small>{state}</small></th>"
            f"<td>{_count_chips(doc)}</td></tr>"
        )
    opened = " open" if len(docs) <= 12 else ""
    return (
        f'<details class="table"{opened}><summary>Files ({len(docs)})</summary>'
        f'<table class="files"><tbody>{"".join(rows)}</tbody></table></details>'
    )


def _filters(docs: Sequence[Doc]) -> str:
    rules: Counter[str] = Counter(f.edit.rule_id for d in docs for _, f in d.findings)
    packs: dict[str, list[str]] = {}
    for rule in sorted(rules):
        packs.setdefault(rule.split(".", 1)[0], []).append(rule)
    show = "".join(
        f'<label class="cat {cat}"><input type="checkbox" name="cat" value="{cat}" checked> '
        f"{name}</label>"
        for cat, name in CATEGORIES.items()
    )
    safety = "".join(
        f'<label><input type="checkbox" name="safety" value="{s.value}" checked> {s.value}</label>'
        for s in Safety
    )
    groups = "".join(_pack_group(pack, ids, rules) for pack, ids in packs.items())
    return (
        '<form id="filters" class="filters" onsubmit="return false">'
        f"<fieldset><legend>Show</legend>{show}</fieldset>"
        f"<fieldset><legend>Safety</legend>{safety}</fieldset>"
        '<label class="quiet-toggle"><input type="checkbox" name="quiet" checked> '
        "hide files with no edit shown</label>"
        '<fieldset class="rules"><legend>Rules</legend>'
        '<div class="rule-tools"><button type="button" data-all="1">all</button>'
        '<button type="button" data-all="0">none</button>'
        '<input type="search" id="rule-search" placeholder="find a rule" '
        'aria-label="Find a rule"></div>'
        f"{groups or '<p>No edits.</p>'}</fieldset>"
        '<p class="hint">The filters are kept in the address (e.g. '
        "<code>#rule=calques&amp;show=applied</code>), so a view can be shared.</p></form>"
    )


def _pack_group(pack: str, ids: Sequence[str], rules: Counter[str]) -> str:
    boxes = "".join(
        f'<label class="rule" data-scope="rule:{html.escape(r)}" title="{html.escape(r)}">'
        f'<input type="checkbox" name="rule" value="{html.escape(r)}" checked> '
        f'<span class="name">{html.escape(r[len(pack) + 1 :] or r)}</span> '
        f'<span class="n" data-count="any" data-total="{rules[r]}">{rules[r]}</span></label>'
        for r in ids
    )
    return (
        f'<div class="pack"><label class="packname"><input type="checkbox" '
        f'data-pack="{html.escape(pack)}" checked> {html.escape(pack)}</label>{boxes}</div>'
    )


_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cleanup">
<title>cleanup report</title>
<style>
"""


@functools.cache
def _asset(name: str) -> str:
    """A file of the page's own (its style sheet, its script), shipped in the package."""
    return resources.files("cleanup").joinpath("assets", name).read_text(encoding="utf-8")

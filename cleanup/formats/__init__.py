"""Input formats: a reader for each turns an input into a Document (its translatable
segments, everything else protected), and one function cleans a Document with an Engine.

>>> from cleanup import Engine, load_rules, builtin_pack_paths
>>> engine = Engine(load_rules(builtin_pack_paths()))
>>> doc = read_document('{"id": "solar-1", "text": "the solar conflict"}\\n', "jsonl")
>>> clean_document(engine, doc).text
'{"id": "solar-1", "text": "the Karabakh conflict"}\\n'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from cleanup.edit import Edit
from cleanup.engine import Engine, Finding, FixOptions, FixResult, Status
from cleanup.errors import CleanupError
from cleanup.formats.csvdoc import read_csv
from cleanup.formats.document import Document, Segment
from cleanup.formats.htmldoc import read_html
from cleanup.formats.jsondoc import read_json, read_jsonl
from cleanup.formats.subtitles import read_srt, read_vtt
from cleanup.formats.text import Lines, read_text
from cleanup.formats.xliff import read_xliff
from cleanup.resolve import resolve

__all__ = [
    "DEFAULT_INCLUDE",
    "EXTENSIONS",
    "FORMATS",
    "Document",
    "ReadOptions",
    "Segment",
    "clean_document",
    "detect_format",
    "read_document",
]


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    """What a reader takes for translatable text beyond its format's rules."""

    fields: tuple[str, ...] = ("text",)  # JSON and JSONL members
    columns: tuple[str, ...] = ("text",)  # CSV and TSV columns (by header)
    front_matter_keys: tuple[str, ...] = ()  # Markdown front matter keys


Reader = Callable[[str, str, ReadOptions], Document]


def _markdown(text: str, name: str, options: ReadOptions) -> Document:
    from cleanup.formats.markdown import read_markdown  # markdown-it-py, when first needed

    return read_markdown(text, name, options.front_matter_keys)


def _po(text: str, name: str, options: ReadOptions) -> Document:
    from cleanup.formats.po import read_po  # polib, when first needed

    return read_po(text, name)


FORMATS: dict[str, Reader] = {
    "text": lambda t, n, o: read_text(t, n),
    "markdown": _markdown,
    "html": lambda t, n, o: read_html(t, n),
    "json": lambda t, n, o: read_json(t, n, o.fields),
    "jsonl": lambda t, n, o: read_jsonl(t, n, o.fields),
    "csv": lambda t, n, o: read_csv(t, n, o.columns),
    "tsv": lambda t, n, o: read_csv(t, n, o.columns, delimiter="\t"),
    "po": _po,
    "xliff": lambda t, n, o: read_xliff(t, n),
    "srt": lambda t, n, o: read_srt(t, n),
    "vtt": lambda t, n, o: read_vtt(t, n),
}

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".rst": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".po": "po",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".srt": "srt",
    ".vtt": "vtt",
}


# What folders are walked for: every extension a reader takes.
DEFAULT_INCLUDE: tuple[str, ...] = tuple(f"*{ext}" for ext in EXTENSIONS)


def detect_format(path: str | PurePath, explicit: str | None = None) -> str | None:
    """The format of ``path``: ``explicit`` when given, else by extension (None: not one
    the tool reads)."""
    if explicit:
        if explicit not in FORMATS:
            known = ", ".join(sorted(FORMATS))
            raise CleanupError(f"unknown input format '{explicit}' (known: {known})")
        return explicit
    return EXTENSIONS.get(PurePath(path).suffix.lower())


def read_document(
    text: str, fmt: str, name: str = "", options: ReadOptions | None = None
) -> Document:
    """The Document a reader makes of ``text``; InputError when it is not valid ``fmt``."""
    return FORMATS[fmt](text, name, options or ReadOptions())


def clean_document(engine: Engine, doc: Document, options: FixOptions | None = None) -> FixResult:
    """Clean a Document: matchers see its segments, and the edits they make are mapped to
    the original, whose every byte outside them is kept. Findings carry original offsets
    and the line and column in the original."""
    if doc.format == "text":  # the whole input is one plain segment: nothing to map
        return engine.fix_text(doc.text, options)
    findings: list[Finding] = []
    applied: list[Edit] = []
    for view in doc.views():
        result = engine.fix_text(view.text, options)
        for f in result.findings:
            mapped = view.map_edit(f.edit)
            if isinstance(mapped, str):
                if f.status is Status.DROPPED:
                    continue  # lost on the view already: nothing to show in the original
                at = view.raw_offset(f.edit.start)
                shown = f"{mapped}: {f.edit.original!r} -> {f.edit.replacement!r}"
                stub = f.edit._replace(start=at, end=at, original="", replacement="", message=shown)
                findings.append(Finding(stub, 0, 0, Status.DROPPED, mapped))
                continue
            if f.status is Status.APPLIED:
                applied.append(mapped)
            findings.append(Finding(mapped, 0, 0, f.status, f.reason))
    # Two edits in one field that must both rewrite it whole cannot both stand.
    kept, lost = resolve(applied)
    lost_ids = {id(d.edit) for d in lost}
    reasons = {id(d.edit): d.reason for d in lost}
    if doc.finish is not None:
        final = doc.finish(doc, kept)
    else:
        final = kept
    final_ids = {id(e) for e in final}
    # An edit the format widened (to take a line it left blank) stays the same finding.
    widened = {(e.rule_id, e.message): e for e in final if id(e) not in {id(k) for k in kept}}
    out: list[Finding] = []
    for f in findings:
        if f.status is Status.APPLIED and id(f.edit) in lost_ids:
            f = f._replace(status=Status.DROPPED, reason=reasons[id(f.edit)])
        elif f.status is Status.APPLIED and id(f.edit) not in final_ids:
            wide = widened.get((f.edit.rule_id, f.edit.message))
            if wide is not None and wide.start <= f.edit.start and f.edit.end <= wide.end:
                f = f._replace(edit=wide)
                final_ids.add(id(wide))
            else:
                f = f._replace(status=Status.DROPPED, reason="inside a cue removed whole")
        out.append(f)
    known = {id(f.edit) for f in out if f.status is Status.APPLIED}
    out += [Finding(e, 0, 0, Status.APPLIED) for e in final if id(e) not in known]
    lines = Lines(doc.text)
    placed = [f._replace(line=w[0], column=w[1]) for f in out for w in [lines.where(f.edit.start)]]
    placed.sort(key=lambda f: (f.edit.start, f.edit.end))
    return FixResult(placed, doc.apply(sorted(final, key=lambda e: (e.start, e.end))))

"""Findings for programs: JSON, JSON Lines, GitHub workflow annotations and SARIF 2.1.0.

Each renderer takes the outcomes of a run and gives its text piece by piece, for standard
output or a file; none of them writes anything else. Findings are read one at a time from
each outcome (``FileOutcome.iter_findings``, a spool file in a large run), so that no list
of them all is made. The JSON and JSONL shapes are described by
docs/findings.schema.json (see docs/output-formats.md).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence

from cleanup._version import __version__
from cleanup.edit import Safety
from cleanup.outcome import FileOutcome, Finding, Status

FORMATS = ("text", "json", "jsonl", "github", "sarif")
MACHINE_FORMATS = frozenset(FORMATS) - {"text"}
JSON_VERSION = 1
# One word per status, the same in summaries, JSON and review.
STATUS_WORDS = ("applied", "review", "suggestion", "dropped")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def status_word(status: Status, safety: Safety) -> str:
    """What became of a finding, in one word.

    >>> status_word(Status.PENDING, Safety.SUGGEST)
    'suggestion'
    """
    if status is Status.PENDING:
        return "suggestion" if safety is Safety.SUGGEST else "review"
    return str(status.value)


def render(fmt: str, outcomes: Sequence[FileOutcome], rules: Mapping[str, tuple[str, str]]) -> str:
    """The outcomes in format ``fmt``; ``rules`` maps a rule id to (source, why)."""
    return "".join(pieces(fmt, outcomes, rules))


def pieces(
    fmt: str, outcomes: Sequence[FileOutcome], rules: Mapping[str, tuple[str, str]]
) -> Iterator[str]:
    """``render`` piece by piece: at most one finding's text at a time."""
    if fmt == "json":
        return _json_pieces(outcomes)
    if fmt == "jsonl":
        return _jsonl_pieces(outcomes)
    if fmt == "github":
        return _github_pieces(outcomes)
    if fmt == "sarif":
        return _sarif_pieces(outcomes, rules)
    raise ValueError(fmt)


def finding_json(f: Finding) -> dict[str, object]:
    """One finding as the JSON formats give it."""
    e = f.edit
    end_line, end_column = end_of(f)
    return {
        "line": f.line,
        "column": f.column,
        "end_line": end_line,
        "end_column": end_column,
        "offset": e.start,
        "before": e.original,
        "after": e.replacement,
        "rule": e.rule_id,
        "source": e.source,
        "kind": e.kind.value,
        "safety": e.safety.value,
        "confidence": e.confidence,
        "message": e.message or None,
        "status": status_word(f.status, e.safety),
        "reason": f.reason or None,
    }


def end_of(f: Finding) -> tuple[int, int]:
    """Line and column just after the finding's text (1-based, as ``line``/``column``)."""
    text = f.edit.original
    breaks = text.count("\n")
    if not breaks:
        return f.line, f.column + len(text)
    return f.line + breaks, len(text) - text.rfind("\n")


def _counts(outcome: FileOutcome) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_WORDS, 0)
    for (_, status, safety), n in outcome.counts.items():
        counts[status_word(status, safety)] += n
    return counts


def to_json(outcomes: Sequence[FileOutcome]) -> str:
    """One JSON document: every file with its findings and counts, and the totals."""
    return "".join(_json_pieces(outcomes))


def _json_pieces(outcomes: Sequence[FileOutcome]) -> Iterator[str]:
    totals: Counter[str] = Counter(dict.fromkeys(STATUS_WORDS, 0))
    yield '{\n  "version": ' + json.dumps(JSON_VERSION) + ',\n  "files": ['
    for i, o in enumerate(outcomes):
        counts = _counts(o)
        totals.update(counts)
        head = {
            "path": o.job.label,
            "output": str(o.output) if o.output else None,
            "changed": o.changed,
            "error": o.error or None,
            "edits": _HOLE,
            "counts": counts,
        }
        before, after = _dumps(head, 4).split(json.dumps(_HOLE), 1)
        yield ("," if i else "") + "\n    " + before
        yield from _json_list((finding_json(f) for f in o.iter_findings()), 6)
        yield after
    yield "\n  ]" if outcomes else "]"
    yield ',\n  "totals": ' + _dumps(dict(totals), 2) + "\n}\n"


# Where a list that is written piece by piece goes in the JSON around it.
_HOLE = "\x00list\x00"


def _dumps(value: object, indent: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``indent`` spaces deep."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * indent)


def _json_list(items: Iterable[object], indent: int) -> Iterator[str]:
    """A JSON list, ``indent`` spaces deep, as ``json.dumps(indent=2)`` writes it there,
    one item at a time."""
    empty = True
    inner = "\n" + " " * (indent + 2)
    for item in items:
        yield ("[" if empty else ",") + inner + _dumps(item, indent + 2)
        empty = False
    yield "[]" if empty else "\n" + " " * indent + "]"


def to_jsonl(outcomes: Sequence[FileOutcome]) -> str:
    """One JSON object a line: a ``finding`` or an ``error`` each, and a last ``summary``."""
    return "".join(_jsonl_pieces(outcomes))


def _jsonl_pieces(outcomes: Sequence[FileOutcome]) -> Iterator[str]:
    totals: Counter[str] = Counter(dict.fromkeys(STATUS_WORDS, 0))
    for o in outcomes:
        totals.update(_counts(o))
        if o.error:
            yield _line({"type": "error", "path": o.job.label, "message": o.error})
        for f in o.iter_findings():
            yield _line({"type": "finding", "path": o.job.label, **finding_json(f)})
    read = sum(1 for o in outcomes if not o.error)
    yield _line({"type": "summary", "files": read, "version": JSON_VERSION, **totals})


def _line(record: Mapping[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# GitHub's annotation levels: what --check fails on is a warning, the rest notices.
_GITHUB_LEVEL = {"applied": "warning", "review": "notice", "suggestion": "notice"}


def to_github(outcomes: Sequence[FileOutcome]) -> str:
    """GitHub Actions workflow commands: an annotation a finding, an error a bad input.

    >>> from pathlib import Path
    >>> from cleanup.outcome import FileJob
    >>> to_github([FileOutcome(FileJob(Path("a"), "a"), error="a: empty file")])
    '::error file=a::a: empty file\\n'
    """
    return "".join(_github_pieces(outcomes))


def _github_pieces(outcomes: Sequence[FileOutcome]) -> Iterator[str]:
    for o in outcomes:
        path = _escape_property(o.job.label)
        if o.error:
            yield f"::error file={path}::{_escape_data(o.error)}\n"
        for f in o.iter_findings():
            word = status_word(f.status, f.edit.safety)
            level = _GITHUB_LEVEL.get(word)
            if level is None:  # dropped: lost to a stronger edit, nothing to act on
                continue
            end_line, end_column = end_of(f)
            where = f"file={path},line={f.line},col={f.column}"
            if end_line == f.line:
                where += f",endColumn={end_column}"
            else:
                where += f",endLine={end_line}"
            title = _escape_property(f"{f.edit.rule_id} ({word})")
            yield f"::{level} {where},title={title}::{_escape_data(_message(f))}\n"


def _message(f: Finding) -> str:
    e = f.edit
    change = f"'{e.original}' -> '{e.replacement}'" if e.replacement else f"remove '{e.original}'"
    word = status_word(f.status, e.safety)
    lead = {"applied": "fixed", "review": "for review", "suggestion": "suggested"}.get(word, word)
    text = f"{lead}: {change}"
    return f"{text} ({e.message})" if e.message else text


_SARIF_LEVEL = {"applied": "warning", "review": "note", "suggestion": "note"}


def to_sarif(outcomes: Sequence[FileOutcome], rules: Mapping[str, tuple[str, str]]) -> str:
    """A SARIF 2.1.0 log: one run, a result per finding with its fix, a notification per
    input that could not be read."""
    return "".join(_sarif_pieces(outcomes, rules))


def _sarif_pieces(
    outcomes: Sequence[FileOutcome], rules: Mapping[str, tuple[str, str]]
) -> Iterator[str]:
    used = sorted({f.edit.rule_id for o in outcomes for f in o.iter_findings()})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    descriptors = []
    for rule_id in used:
        source, why = rules.get(rule_id, ("", ""))
        descriptor: dict[str, object] = {"id": rule_id}
        if why:
            descriptor["shortDescription"] = {"text": why}
        if source:
            descriptor["properties"] = {"source": source}
        descriptors.append(descriptor)

    def results() -> Iterator[dict[str, object]]:
        for o in outcomes:
            for f in o.iter_findings():
                word = status_word(f.status, f.edit.safety)
                if word != "dropped":
                    yield _sarif_result(o.job.label, f, word, index)

    notifications = [
        {
            "level": "error",
            "message": {"text": o.error},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(o.job.label)}}}],
        }
        for o in outcomes
        if o.error
    ]
    invocation: dict[str, object] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cleanup",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/cleanup/",
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": _HOLE,
            }
        ],
    }
    before, after = _dumps(log, 0).split(json.dumps(_HOLE), 1)
    yield before
    yield from _json_list(results(), 6)
    yield after + "\n"


def _sarif_result(label: str, f: Finding, word: str, index: Mapping[str, int]) -> dict[str, object]:
    end_line, end_column = end_of(f)
    region = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": end_column,
    }
    location = {"artifactLocation": {"uri": _uri(label)}, "region": region}
    return {
        "ruleId": f.edit.rule_id,
        "ruleIndex": index[f.edit.rule_id],
        "level": _SARIF_LEVEL[word],
        "kind": "fail",
        "message": {"text": _message(f)},
        "locations": [{"physicalLocation": location}],
        "fixes": [
            {
                "description": {"text": f"{f.edit.rule_id}: {word}"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": _uri(label)},
                        "replacements": [
                            {
                                "deletedRegion": region,
                                "insertedContent": {"text": f.edit.replacement},
                            }
                        ],
                    }
                ],
            }
        ],
        "properties": {
            "status": word,
            "safety": f.edit.safety.value,
            "confidence": f.edit.confidence,
            "source": f.edit.source,
        },
    }


def _uri(label: str) -> str:
    """A relative URI reference for a file label (spaces and such percent-encoded)."""
    from urllib.parse import quote

    return quote(label, safe="/")


def rule_descriptions(rules: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, str]]:
    """(id, source, why) triples as the mapping ``render`` takes."""
    return {rule_id: (source, why) for rule_id, source, why in rules}

"""A baseline: today's findings recorded in a file, so that later runs report only new
ones. A finding is known by its rule, its file and the text around it, not by its line,
so that text added above it does not make it new again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from cleanup.errors import CleanupError
from cleanup.outcome import FileOutcome, Finding, count_findings
from cleanup.textio import detect_encoding, read_chunks, write_text_atomic

BASELINE_VERSION = 1
CONTEXT = 24  # characters kept on each side of a finding's text

_SPACE = re.compile(r"\s+")
Fingerprint = tuple[str, str, str, str, str]  # rule, file, before, text, after


def fingerprint(label: str, text: str, f: Finding) -> Fingerprint:
    """What identifies a finding across runs: rule, file, the text and up to ``CONTEXT``
    characters on each side within its lines, with runs of white space made one space.

    >>> from cleanup.edit import Edit, Safety, Kind
    >>> from cleanup.outcome import Status
    >>> e = Edit(4, 10, "Gadrut", "Hadrut", "t.h", Kind.NAME, Safety.AUTO)
    >>> fingerprint("a.txt", "in  Gadrut now", Finding(e, 1, 5, Status.APPLIED))[2:]
    ('in ', 'Gadrut', ' now')
    """
    e = f.edit
    # Within the finding's own lines: text added on the lines around it changes nothing.
    before = text[max(0, e.start - CONTEXT) : e.start].rsplit("\n", 1)[-1]
    after = text[e.end : e.end + CONTEXT].split("\n", 1)[0]
    before, after = _squeeze(before), _squeeze(after)
    return (e.rule_id, label, before, _squeeze(e.original), after)


def _squeeze(text: str) -> str:
    return _SPACE.sub(" ", text)


class Baseline:
    """The recorded findings, as a multiset of fingerprints."""

    def __init__(self, known: Counter[Fingerprint] | None = None) -> None:
        self.known: Counter[Fingerprint] = known or Counter()

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CleanupError(f"cannot read baseline: {exc.strerror}", str(path)) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CleanupError(f"not a baseline file (bad JSON: {exc})", str(path)) from None
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            msg = f"not a baseline file of version {BASELINE_VERSION}; record it again"
            raise CleanupError(msg, str(path))
        known: Counter[Fingerprint] = Counter()
        for i, item in enumerate(data.get("findings", [])):
            try:
                key = (item["rule"], item["file"], item["before"], item["text"], item["after"])
                count = int(item.get("count", 1))
            except (TypeError, KeyError, ValueError):
                raise CleanupError(f"finding {i} is malformed", str(path)) from None
            if not all(isinstance(k, str) for k in key):
                raise CleanupError(f"finding {i} is malformed", str(path))
            known[key] += count
        return cls(known)

    def save(self, path: Path) -> None:
        items = [
            {"rule": r, "file": f, "before": b, "text": t, "after": a, "count": n}
            for (r, f, b, t, a), n in sorted(self.known.items())
        ]
        doc = {"version": BASELINE_VERSION, "findings": items}
        write_text_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def record(outcomes: Sequence[FileOutcome], read: Callable[[FileOutcome], str]) -> Baseline:
    """A baseline of every finding of the outcomes; ``read`` gives a file's text."""
    known: Counter[Fingerprint] = Counter()
    for o in outcomes:
        findings = [] if o.error else list(o.iter_findings())
        if not findings:
            continue
        text = read(o)
        known.update(fingerprint(o.job.label, text, f) for f in findings)
    return Baseline(known)


def only_new(
    outcomes: Sequence[FileOutcome], baseline: Baseline, read: Callable[[FileOutcome], str]
) -> tuple[list[FileOutcome], int]:
    """The outcomes less the findings the baseline knows (counts follow), and how many
    were left out."""
    left = Counter(baseline.known)
    out = []
    hidden = 0
    for o in outcomes:
        findings = [] if o.error else list(o.iter_findings())
        if not findings:
            out.append(o)
            continue
        text = read(o)
        fresh = []
        for f in findings:
            key = fingerprint(o.job.label, text, f)
            if left[key] > 0:
                left[key] -= 1
                hidden += 1
            else:
                fresh.append(f)
        out.append(replace(o, findings=fresh, counts=count_findings(fresh), spool=None))
    return out, hidden


def against_baseline(
    path: Path, outcomes: Sequence[FileOutcome], encoding: str | None
) -> tuple[list[FileOutcome], str]:
    """The outcomes less the findings the baseline file knows, and a note for people; a
    missing file records every finding and leaves none reported."""

    def text_of(outcome: FileOutcome) -> str:
        where = outcome.job.path
        return "".join(read_chunks(where, encoding=detect_encoding(where, encoding)))

    if not path.exists():
        recorded = record(outcomes, text_of)
        recorded.save(path)
        note = f"baseline: {sum(recorded.known.values())} findings recorded in {path}"
        emptied = [replace(o, findings=[], counts=count_findings([]), spool=None) for o in outcomes]
        return emptied, note
    kept, hidden = only_new(outcomes, Baseline.load(path), text_of)
    note = f"baseline: {hidden} known findings not reported ({path})" if hidden else ""
    return kept, note

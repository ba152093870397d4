"""What a run did, for people (a summary on stderr) and for programs (JSON), and the
exit status, decided in one place.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleanup.edit import Safety
from cleanup.outcome import FileOutcome, Finding, Status

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class Report:
    """The outcomes of one run."""

    outcomes: Sequence[FileOutcome]
    sources: dict[str, str]  # rule id -> file:line

    @property
    def errors(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.error]

    def count(self, status: Status, safety: Safety | None = None) -> int:
        return sum(
            n
            for o in self.outcomes
            for (_, st, sa), n in o.counts.items()
            if st is status and (safety is None or sa is safety)
        )

    def return_code(self, *, check: bool) -> int:
        """2 on any bad input, else 1 when --check found an edit to apply, else 0."""
        if self.errors:
            return EXIT_ERROR
        if check and self.count(Status.APPLIED):
            return EXIT_CHANGES
        return EXIT_OK

    def summary(self, *, verb: str, out_dir: Path | None, patch: Path | None) -> str:
        """Human summary: files, edits by rule and by file, what waits, the errors."""
        done = [o for o in self.outcomes if not o.error]
        changed = sum(1 for o in done if o.changed)
        lines = [f"{_n(len(done), 'file')} read, {changed} {verb}"]
        if out_dir is not None and done:
            lines[0] += f"; cleaned copies in {out_dir}/"
        if patch is not None and done:
            lines.append(f"patch: {patch}")
        by_rule: Counter[str] = Counter()
        for o in done:
            for (rule_id, status, _), n in o.counts.items():
                if status is Status.APPLIED:
                    by_rule[rule_id] += n
        if by_rule:
            lines.append(f"{_n(sum(by_rule.values()), 'edit')} applied, by rule:")
            width = max(len(r) for r in by_rule)
            for rule_id, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
                source = self.sources.get(rule_id, "")
                lines.append(f"  {count:5}  {rule_id:<{width}}  {source}")
            lines.append("by file:")
            for o in done:
                if o.counts:
                    lines.append(f"  {o.job.label}: {_file_counts(o)}")
        waiting = self.count(Status.PENDING, Safety.REVIEW)
        suggested = self.count(Status.PENDING, Safety.SUGGEST)
        if waiting:
            verb = "waits" if waiting == 1 else "wait"
            lines.append(
                f"{_n(waiting, 'edit')} {verb} for review (not applied; "
                "see them with --format json, apply them with --accept-review)"
            )
        if suggested:
            lines.append(f"{_n(suggested, 'suggestion')} shown only (never applied)")
        dropped = self.count(Status.DROPPED)
        if dropped:
            lines.append(f"{_n(dropped, 'edit')} dropped for overlapping a stronger edit")
        lines.extend(f"warning: {o.warning}" for o in self.outcomes if o.warning)
        lines.extend(f"error: {o.error}" for o in self.errors)
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """Every finding of every file, with where it is, what it does and why."""
        return "".join(self.iter_json())

    def iter_json(self) -> Iterator[str]:
        """``to_json`` piece by piece: one file's head, then its findings one at a time
        (read back from their spool), so that no list of them all is made."""
        yield '{\n  "files": ['
        for i, o in enumerate(self.outcomes):
            head = {
                "path": o.job.label,
                "output": str(o.output) if o.output else None,
                "changed": o.changed,
                "error": o.error or None,
                "edits": _EDITS,
                "counts": {
                    status.value: sum(n for (_, st, _), n in o.counts.items() if st is status)
                    for status in Status
                },
            }
            before, after = _dumps(head, 4).split(json.dumps(_EDITS), 1)
            yield ("," if i else "") + "\n    " + before
            empty = True
            for f in o.iter_findings():
                yield ("[\n        " if empty else ",\n        ") + _dumps(_finding_json(f), 8)
                empty = False
            yield ("[]" if empty else "\n      ]") + after
        yield "\n  ]" if self.outcomes else "]"
        totals = {s.value: self.count(s) for s in Status}
        yield ',\n  "totals": ' + _dumps(totals, 2) + "\n}\n"


_EDITS = "\x00edits\x00"  # where a file's findings go in its JSON head


def _dumps(value: object, indent: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``indent`` spaces deep."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * indent)


def _finding_json(f: Finding) -> dict[str, object]:
    e = f.edit
    return {
        "line": f.line,
        "column": f.column,
        "offset": e.start,
        "before": e.original,
        "after": e.replacement,
        "rule": e.rule_id,
        "source": e.source,
        "kind": e.kind.value,
        "safety": e.safety.value,
        "confidence": e.confidence,
        "message": e.message or None,
        "status": f.status.value,
        "reason": f.reason or None,
    }


def _file_counts(outcome: FileOutcome) -> str:
    counts: Counter[Status] = Counter()
    for (_, status, _), n in outcome.counts.items():
        counts[status] += n
    parts = [f"{counts[Status.APPLIED]} applied"]
    if counts[Status.PENDING]:
        parts.append(f"{counts[Status.PENDING]} waiting")
    if counts[Status.DROPPED]:
        parts.append(f"{counts[Status.DROPPED]} dropped")
    return ", ".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")

"""What a run did, for people (a summary on stderr), and the exit status, decided in one
place. The formats for programs (JSON, JSONL, GitHub, SARIF) are cleanup/outputs.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cleanup.edit import Safety
from cleanup.outcome import FileOutcome, Status

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

    def summary(
        self,
        *,
        verb: str,
        out_dir: Path | None,
        patch: Path | None,
        dry: bool = False,
        files_shown: int | None = 20,
    ) -> str:
        """Human summary: files, edits by rule and by file, what is left for review, the
        errors. ``dry``: nothing is written, so edits "would apply"; the by-file list
        stops after ``files_shown`` files (None: every file)."""
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
            applied = "would apply" if dry else "applied"
            lines.append(f"{_n(sum(by_rule.values()), 'edit')} {applied}, by rule:")
            width = max(len(r) for r in by_rule)
            for rule_id, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
                source = self.sources.get(rule_id, "")
                lines.append(f"  {count:5}  {rule_id:<{width}}  {source}")
            lines.append("by file:")
            listed = [o for o in done if o.counts]
            shown = listed if files_shown is None else listed[:files_shown]
            lines.extend(f"  {o.job.label}: {_file_counts(o, dry)}" for o in shown)
            if len(shown) < len(listed):
                lines.append(f"  ... and {_n(len(listed) - len(shown), 'more file')} (--verbose)")
        waiting = self.count(Status.PENDING, Safety.REVIEW)
        suggested = self.count(Status.PENDING, Safety.SUGGEST)
        if waiting:
            lines.append(
                f"{waiting} review {_n(waiting, 'edit').split(' ', 1)[1]} (not applied; "
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


def _file_counts(outcome: FileOutcome, dry: bool = False) -> str:
    counts: Counter[str] = Counter()
    for (_, status, safety), n in outcome.counts.items():
        if status is Status.PENDING:
            counts["suggestion" if safety is Safety.SUGGEST else "review"] += n
        else:
            counts[status.value] += n
    parts = [f"{counts['applied']} {'would apply' if dry else 'applied'}"]
    parts.extend(f"{counts[w]} {w}" for w in ("review", "dropped") if counts[w])
    if counts["suggestion"]:
        parts.insert(2 if counts["review"] else 1, _n(counts["suggestion"], "suggestion"))
    return ", ".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")

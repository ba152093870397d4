"""What a run did, for people (a summary on stderr), and the exit status, decided in one
place. The formats for programs (JSON, JSONL, GitHub, SARIF) are cleanup/outputs.py.
"""

from __future__ import annotations

import functools
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

    @functools.cached_property
    def totals(self) -> dict[tuple[str, Status, Safety], int]:
        """Every outcome's counts added up, in one pass: a run of thousands of files has
        them by the hundred thousand, and the summary and exit status ask several times."""
        totals: dict[tuple[str, Status, Safety], int] = {}
        get = totals.get
        for o in self.outcomes:
            for key, n in o.counts.items():
                totals[key] = get(key, 0) + n
        return totals

    def count(self, status: Status, safety: Safety | None = None) -> int:
        return sum(
            n
            for (_, st, sa), n in self.totals.items()
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
        return self.summary_of(
            verb=verb, out_dir=out_dir, patch=patch, dry=dry, files_shown=files_shown
        ).text()

    def summary_of(
        self,
        *,
        verb: str,
        out_dir: Path | None,
        patch: Path | None,
        dry: bool = False,
        files_shown: int | None = 20,
    ) -> Summary:
        """The summary's parts, for plain text or a terminal's tables."""
        done = [o for o in self.outcomes if not o.error]
        changed = sum(1 for o in done if o.changed)
        head = [f"{_n(len(done), 'file')} read, {changed} {verb}"]
        if out_dir is not None and done:
            head[0] += f"; cleaned copies in {out_dir}/"
        if patch is not None and done:
            head.append(f"patch: {patch}")
        by_rule: Counter[str] = Counter()
        for (rule_id, status, _), n in self.totals.items():  # a failed file counts none
            if status is Status.APPLIED:
                by_rule[rule_id] += n
        rules = [
            (count, rule_id, self.sources.get(rule_id, ""))
            for rule_id, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        listed = [o for o in done if o.counts] if by_rule else []
        shown = listed if files_shown is None else listed[:files_shown]
        files = [(o.job.label, file_counts(o)) for o in shown]
        tail = []
        waiting = self.count(Status.PENDING, Safety.REVIEW)
        suggested = self.count(Status.PENDING, Safety.SUGGEST)
        if waiting:
            tail.append(
                f"{waiting} review {_n(waiting, 'edit').split(' ', 1)[1]} (not applied; "
                "see them with --format json, apply them with --accept-review)"
            )
        if suggested:
            tail.append(f"{_n(suggested, 'suggestion')} shown only (never applied)")
        dropped = self.count(Status.DROPPED)
        if dropped:
            tail.append(f"{_n(dropped, 'edit')} dropped for overlapping a stronger edit")
        tail.extend(f"warning: {o.warning}" for o in self.outcomes if o.warning)
        tail.extend(f"error: {o.error}" for o in self.errors)
        return Summary(head, rules, files, len(listed) - len(shown), tail, dry)


@dataclass(frozen=True)
class Summary:
    """A run's summary for people: the lines before the tables, the edits applied by rule
    (count, rule, where it is defined), the counts by file (and how many more files were
    left out), the lines after, and whether nothing was written."""

    head: list[str]
    rules: list[tuple[int, str, str]]
    files: list[tuple[str, Counter[str]]]
    more_files: int
    tail: list[str]
    dry: bool

    @property
    def applied_word(self) -> str:
        return "would apply" if self.dry else "applied"

    def rules_title(self) -> str:
        return f"{_n(sum(n for n, _, _ in self.rules), 'edit')} {self.applied_word}, by rule:"

    def rule_lines(self) -> list[str]:
        """The edits by rule, one aligned line each."""
        width = max(len(r) for _, r, _ in self.rules)
        return [f"  {n:5}  {rule:<{width}}  {source}" for n, rule, source in self.rules]

    def more(self) -> str:
        return f"... and {_n(self.more_files, 'more file')} (--verbose)"

    def text(self) -> str:
        """The summary as plain lines (piped, or in a log)."""
        lines = list(self.head)
        if self.rules:
            lines.append(self.rules_title())
            lines.extend(self.rule_lines())
            lines.append("by file:")
            lines.extend(f"  {label}: {_counts_text(c, self.dry)}" for label, c in self.files)
            if self.more_files:
                lines.append("  " + self.more())
        lines.extend(self.tail)
        return "\n".join(lines) + "\n"


# The words of a file's counts, in the order the summary gives them.
COUNT_WORDS = ("applied", "review", "suggestion", "dropped")


def file_counts(outcome: FileOutcome) -> Counter[str]:
    """A file's findings counted by status word (applied, review, suggestion, dropped)."""
    counts: Counter[str] = Counter()
    for (_, status, safety), n in outcome.counts.items():
        if status is Status.PENDING:
            counts["suggestion" if safety is Safety.SUGGEST else "review"] += n
        else:
            counts[status.value] += n
    return counts


def _counts_text(counts: Counter[str], dry: bool = False) -> str:
    parts = [f"{counts['applied']} {'would apply' if dry else 'applied'}"]
    parts.extend(f"{counts[w]} {w}" for w in ("review", "dropped") if counts[w])
    if counts["suggestion"]:
        parts.insert(2 if counts["review"] else 1, _n(counts["suggestion"], "suggestion"))
    return ", ".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")

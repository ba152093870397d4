"""What happened to each input of a run: the job, the counts of its edits by rule, status
and safety, its findings when they are kept, and its error or warning."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cleanup.edit import Safety
from cleanup.engine import Finding, Status

# What the summary counts: (rule id, status, safety) -> number of edits.
Counts = Counter[tuple[str, Status, Safety]]


@dataclass(frozen=True)
class FileJob:
    """One input file, the name it has in outputs and patches, and its diff's part file."""

    path: Path
    label: str  # forward-slash path relative to the working folder, used in the patch
    diff_part: Path | None = None


@dataclass
class FileOutcome:
    """What happened to one input."""

    job: FileJob
    counts: Counts = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)  # only when the run keeps them
    error: str = ""
    warning: str = ""
    output: Path | None = None
    has_diff: bool = False

    @property
    def changed(self) -> bool:
        """Whether any edit was applied."""
        return any(status is Status.APPLIED for _, status, _ in self.counts)


def count_findings(findings: Iterable[Finding]) -> Counts:
    """Edits by rule, status and safety."""
    return Counter((f.edit.rule_id, f.status, f.edit.safety) for f in findings)

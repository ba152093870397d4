"""What a run found and did: each finding and its status, the result of one input, and
for a run over files, what happened to each (the job, the counts of its edits by rule,
status and safety, its findings when they are kept, its error or warning)."""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cleanup.edit import Edit, IdentityEnum, Safety


class Status(IdentityEnum):
    """What became of a finding."""

    APPLIED = "applied"
    PENDING = "pending"  # review or suggest edit, waiting for a person
    DROPPED = "dropped"  # lost to an overlapping edit


class Finding(NamedTuple):
    """An edit in whole-input offsets, where it is, and what became of it."""

    edit: Edit
    line: int
    column: int
    status: Status
    reason: str = ""


@dataclass
class FixResult:
    """Everything one input produced."""

    findings: list[Finding] = field(default_factory=list)
    text: str | None = None  # the cleaned text, for in-memory runs

    @property
    def applied(self) -> list[Edit]:
        """The edits that were applied, in order."""
        return [f.edit for f in self.findings if f.status is Status.APPLIED]

    @property
    def pending(self) -> list[Finding]:
        """Review and suggest edits that wait for a person."""
        return [f for f in self.findings if f.status is Status.PENDING]

    @property
    def changed(self) -> bool:
        """Whether the text changed."""
        return any(f.status is Status.APPLIED for f in self.findings)


# What the summary counts: (rule id, status, safety) -> number of edits.
Counts = Counter[tuple[str, Status, Safety]]


@dataclass(frozen=True)
class FileJob:
    """One input file, the name it has in outputs and patches, and its diff's part file."""

    path: Path
    label: str  # forward-slash path relative to the working folder, used in the patch
    diff_part: Path | None = None
    findings_part: Path | None = None  # where its findings are spooled, when kept


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
    # A small file's diff, carried until it is written (as UTF-8 from a worker process).
    diff_text: str | bytes | None = None
    # Its diff is in the patch already: written there by the process that writes the
    # patch, which takes the files in order (Sink.taken_in_order).
    diff_in_patch: bool = False
    spool: Path | None = None  # the findings, spooled to a file (cleanup/spool.py)
    original: Path | None = None  # a copy of the text as it was read (UTF-8), when kept

    def iter_findings(self) -> Iterator[Finding]:
        """The kept findings, in text order: from the spool file, or the list."""
        if self.spool is None:
            yield from self.findings
            return
        with self.spool.open("rb") as handle:
            while True:
                try:
                    yield pickle.load(handle)
                except EOFError:
                    return

    @property
    def changed(self) -> bool:
        """Whether any edit was applied."""
        return any(status is Status.APPLIED for _, status, _ in self.counts)


def count_findings(findings: Iterable[Finding]) -> Counts:
    """Edits by rule, status and safety."""
    return Counter((f.edit.rule_id, f.status, f.edit.safety) for f in findings)

"""Run the engine over many files, in parallel processes, each file on its own:
one file's bad input is reported and the rest go on.

Workers write each file's diff to a part file and send back counts (and the findings
only when they are asked for), so memory does not grow with the size of a run.
"""

from __future__ import annotations

import enum
import functools
import gc
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cleanup.diff import Lines, unified_diff, word_diff
from cleanup.edit import Edit, Safety
from cleanup.engine import Engine, Finding, FixOptions, FixResult, Status
from cleanup.errors import CleanupError, InputError
from cleanup.ruleset.model import RuleSet
from cleanup.textio import AtomicWriter, OutputError, iter_lines, read_chunks

if TYPE_CHECKING:
    from cleanup.matchers.grammar import GrammarConfig

# What the summary counts: (rule id, status, safety) -> number of edits.
Counts = Counter[tuple[str, Status, Safety]]


class WriteBack(enum.Enum):
    """Where cleaned text goes."""

    OUT_DIR = "out"  # cleaned copies under --out, and a patch
    IN_PLACE = "in-place"
    DIFF = "diff"  # print the diff, write nothing
    CHECK = "check"  # write nothing; the exit status tells


class DiffStyle(enum.Enum):
    """How a diff is rendered."""

    NONE = "none"
    UNIFIED = "unified"
    WORDS = "words"
    WORDS_COLOR = "words-color"


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
    findings: list[Finding] = field(default_factory=list)  # only when the plan keeps them
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


@dataclass(frozen=True, kw_only=True)
class RunPlan:
    """Everything a worker needs besides the compiled rules."""

    write_back: WriteBack
    options: FixOptions
    out_dir: Path | None = None
    diff_style: DiffStyle = DiffStyle.NONE
    keep_findings: bool = False


_engine: Engine | None = None


def _init_worker(rules: RuleSet, grammar: GrammarConfig | None) -> None:
    global _engine  # one compiled engine per worker process
    _engine = Engine(rules, check=False, grammar=grammar)
    gc.freeze()  # the rules live as long as the worker: not for the collector to rescan


def _run_one(args: tuple[FileJob, RunPlan]) -> FileOutcome:
    job, plan = args
    assert _engine is not None
    return process_file(_engine, job, plan)


def run_files(
    engine: Engine, jobs: Sequence[FileJob], plan: RunPlan, workers: int
) -> Iterator[FileOutcome]:
    """Process files in order, in ``workers`` processes when that pays off."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield process_file(engine, job, plan)
        return
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        initializer=_init_worker,
        initargs=(engine.rules, engine.grammar),  # workers share the one server
    ) as pool:
        chunk = max(1, min(64, len(jobs) // (workers * 8)))
        yield from pool.map(_run_one, [(job, plan) for job in jobs], chunksize=chunk)


def process_file(engine: Engine, job: FileJob, plan: RunPlan) -> FileOutcome:
    """Clean one file as the plan says; an input or output error becomes the outcome's
    error, and nothing of that file is written."""
    outcome = FileOutcome(job)
    writer: AtomicWriter | None = None
    try:
        before = _identity(job.path)
        if plan.write_back is WriteBack.OUT_DIR:
            assert plan.out_dir is not None
            outcome.output = plan.out_dir / job.label
            writer = AtomicWriter(outcome.output, mode_from=job.path)
        elif plan.write_back is WriteBack.IN_PLACE:
            # A link stays a link: its target is rewritten, keeping its owner and the rest.
            target = job.path.resolve()
            writer = AtomicWriter(target, durable=True, keep_from=target, shown=job.path)
        write = writer.write if writer is not None else _ignore
        result = engine.fix_stream(read_chunks(job.path), write, plan.options)
        _unchanged_since(job.path, before)
        _record(outcome, result, plan)
        if plan.diff_style is not DiffStyle.NONE and result.changed and job.diff_part:
            lines = functools.partial(iter_lines, job.path)  # read twice: hunks, then text
            try:
                write_diff(job.diff_part, job.label, lines, result.applied, plan)
            except (OSError, ValueError, UnicodeDecodeError):
                _unchanged_since(job.path, before)  # the usual reason: it changed
                raise
            _unchanged_since(job.path, before)
            outcome.has_diff = True
        if writer is not None:
            if plan.write_back is WriteBack.IN_PLACE and not result.changed:
                writer.discard()
                outcome.output = None
            else:
                if plan.write_back is WriteBack.IN_PLACE and before[3] > 1:
                    outcome.warning = (
                        f"{job.label}: has {before[3]} hard links; only this name has the "
                        "cleaned text, the other names keep the old one"
                    )
                writer.commit()
                outcome.output = outcome.output or job.path
    except CleanupError as exc:
        if writer is not None:
            writer.discard()
        # A rule's error (a pattern that ran out of time) also says which input it was on.
        own = exc.where.startswith(str(job.path)) or isinstance(exc, OutputError)
        return FileOutcome(job, error=str(exc) if own else f"{job.label}: {exc}")
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    return outcome


def _identity(path: Path) -> tuple[int, int, int, int]:
    """What tells that a file changed: size, modification time, inode, links."""
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_nlink


def _unchanged_since(path: Path, before: tuple[int, int, int, int]) -> None:
    try:
        now = _identity(path)
    except InputError:
        now = None
    if now is None or now[:3] != before[:3]:
        msg = "changed while it was being read; nothing written for it, run again"
        raise InputError(msg, str(path))


def _record(outcome: FileOutcome, result: FixResult, plan: RunPlan) -> None:
    outcome.counts = count_findings(result.findings)
    if plan.keep_findings:
        outcome.findings = result.findings


def write_diff(target: Path, label: str, lines: Lines, applied: list[Edit], plan: RunPlan) -> None:
    """Write the diff of one file in the plan's style, piece by piece."""
    with target.open("w", encoding="utf-8", newline="") as handle:
        for piece in render_diff(label, lines, applied, plan):
            handle.write(piece)


def render_diff(label: str, lines: Lines, applied: list[Edit], plan: RunPlan) -> Iterator[str]:
    """The diff of one file in the plan's style."""
    if plan.diff_style is DiffStyle.UNIFIED:
        return unified_diff(label, lines, applied)
    color = plan.diff_style is DiffStyle.WORDS_COLOR
    return word_diff(label, lines, applied, color=color)


def _ignore(_: str) -> None:
    return None


def default_workers() -> int:
    """One process per available core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1

"""Run the engine over many files, in parallel processes, each file on its own:
one file's bad input is reported and the rest go on.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cleanup.diff import unified_diff, word_diff
from cleanup.edit import Edit
from cleanup.engine import Engine, Finding, FixOptions
from cleanup.errors import CleanupError
from cleanup.ruleset.model import RuleSet
from cleanup.textio import AtomicWriter, iter_lines, read_chunks


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
    """One input file and the name it has in outputs and patches."""

    path: Path
    label: str  # forward-slash path relative to the working folder, used in the patch


@dataclass
class FileOutcome:
    """What happened to one input."""

    job: FileJob
    findings: list[Finding] = field(default_factory=list)
    error: str = ""
    output: Path | None = None
    diff: str = ""

    @property
    def changed(self) -> bool:
        """Whether any edit was applied."""
        return any(f.status.value == "applied" for f in self.findings)


@dataclass(frozen=True, kw_only=True)
class RunPlan:
    """Everything a worker needs besides the compiled rules."""

    write_back: WriteBack
    options: FixOptions
    out_dir: Path | None = None
    diff_style: DiffStyle = DiffStyle.NONE


_engine: Engine | None = None


def _init_worker(rules: RuleSet) -> None:
    global _engine  # noqa: PLW0603 - one compiled engine per worker process
    _engine = Engine(rules, check=False)


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
        initargs=(engine.rules,),
    ) as pool:
        chunk = max(1, min(64, len(jobs) // (workers * 8)))
        yield from pool.map(_run_one, [(job, plan) for job in jobs], chunksize=chunk)


def process_file(engine: Engine, job: FileJob, plan: RunPlan) -> FileOutcome:
    """Clean one file as the plan says; an input error becomes the outcome's error."""
    outcome = FileOutcome(job)
    writer: AtomicWriter | None = None
    try:
        if plan.write_back is WriteBack.OUT_DIR:
            assert plan.out_dir is not None
            outcome.output = plan.out_dir / job.label
            writer = AtomicWriter(outcome.output, mode_from=job.path)
        elif plan.write_back is WriteBack.IN_PLACE:
            writer = AtomicWriter(job.path, mode_from=job.path)
        write = writer.write if writer is not None else _ignore
        result = engine.fix_stream(read_chunks(job.path), write, plan.options)
        outcome.findings = result.findings
        if plan.diff_style is not DiffStyle.NONE and result.changed:
            outcome.diff = render_diff(job.label, iter_lines(job.path), result.applied, plan)
        if writer is not None:
            if plan.write_back is WriteBack.IN_PLACE and not result.changed:
                writer.discard()
            else:
                writer.commit()
                if plan.write_back is WriteBack.IN_PLACE:
                    outcome.output = job.path
    except CleanupError as exc:
        if writer is not None:
            writer.discard()
        outcome.error = str(exc)
        outcome.findings = []
        outcome.output = None
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    return outcome


def render_diff(label: str, lines: Iterable[str], applied: list[Edit], plan: RunPlan) -> str:
    """The diff of one file in the plan's style."""
    if plan.diff_style is DiffStyle.UNIFIED:
        return "".join(unified_diff(label, lines, applied))
    color = plan.diff_style is DiffStyle.WORDS_COLOR
    return "".join(word_diff(label, lines, applied, color=color))


def _ignore(_: str) -> None:
    return None


def default_workers() -> int:
    """One process per available core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1

"""Run the engine over many files, in parallel processes, each file on its own:
one file's bad input is reported and the rest go on.

Workers write each file's cleaned text and diff where the plan's sink says, and send back
counts (and the findings only when they are asked for), so memory does not grow with the
size of a run.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cleanup.diff import Lines
from cleanup.engine import Engine, FixOptions, FixResult
from cleanup.errors import CleanupError, InputError
from cleanup.formats.inputs import InputOptions, clean_file
from cleanup.outcome import Counts, FileJob, FileOutcome, count_findings
from cleanup.ruleset.model import RuleSet
from cleanup.sink import DiffStyle, Sink
from cleanup.textio import (
    AtomicWriter,
    EmptyInputError,
    OutputError,
    detect_encoding,
    iter_lines,
    read_chunks,
    split_lines,
)

if TYPE_CHECKING:
    from cleanup.matchers.grammar import GrammarConfig

__all__ = [
    "Counts",
    "FileJob",
    "FileOutcome",
    "RunPlan",
    "count_findings",
    "default_workers",
    "process_file",
    "run_files",
]


@dataclass(frozen=True, kw_only=True)
class RunPlan:
    """Everything a worker needs besides the compiled rules."""

    sink: Sink
    options: FixOptions
    keep_findings: bool = False
    inputs: InputOptions | None = None  # formats and their options (None: all plain text)
    encoding: str | None = None  # --encoding: how files without a byte-order mark are read
    strict: bool = False  # an empty file is an error, not a skipped file


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
    sink = plan.sink
    writer: AtomicWriter | None = None
    try:
        before = _identity(job.path)
        encoding = detect_encoding(job.path, plan.encoding)  # written back the same way
        writer, outcome.output = sink.file_writer(job, encoding)
        write = writer.write if writer is not None else _ignore
        fmt = plan.inputs.format_of(job.path) if plan.inputs is not None else "text"
        lines: Lines
        if fmt == "text":  # streamed in blocks; the diff reads it again, for hunks and text
            chunks = read_chunks(job.path, encoding=encoding)
            result = engine.fix_stream(chunks, write, plan.options)
            lines = functools.partial(iter_lines, job.path, encoding)
        else:  # read once into a Document: its segments are cleaned, the rest kept
            inputs = plan.inputs
            assert inputs is not None
            original, result = clean_file(engine, job.path, fmt, inputs.read, plan.options)
            write(original if result.text is None else result.text)
            lines = split_lines(original)
        _unchanged_since(job.path, before)
        _record(outcome, result, plan)
        if sink.diff_style is not DiffStyle.NONE and result.changed and job.diff_part:
            try:
                sink.write_diff(job, lines, result.applied)
            except (OSError, ValueError, UnicodeDecodeError):
                _unchanged_since(job.path, before)  # the usual reason: it changed
                raise
            _unchanged_since(job.path, before)
            outcome.has_diff = True
        if writer is not None:
            sink.settle(writer, outcome, changed=result.changed, links=before[3])
    except EmptyInputError as exc:
        if writer is not None:
            writer.discard()
        if plan.strict:
            return FileOutcome(job, error=str(exc))
        return FileOutcome(job, warning=f"{job.label}: empty file; skipped")
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


def _ignore(_: str) -> None:
    return None


def default_workers() -> int:
    """One process per available core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1

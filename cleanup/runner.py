"""Run the engine over many files, in parallel processes, each file on its own:
one file's bad input is reported and the rest go on.

Workers write each file's cleaned text and diff where the plan's sink says, and send back
counts (and the findings only when they are asked for), so memory does not grow with the
size of a run.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cleanup.collector import collect_for_a_run
from cleanup.engine import Engine, FixOptions
from cleanup.errors import CleanupError, InputError
from cleanup.formats import clean_document, read_document
from cleanup.formats.inputs import InputOptions
from cleanup.outcome import Counts, FileJob, FileOutcome, count_findings
from cleanup.ruleset.model import RuleSet
from cleanup.sink import DiffStyle, Sink
from cleanup.spool import FindingSpool
from cleanup.textio import (
    AtomicWriter,
    EmptyInputError,
    OutputError,
    TextEncoding,
    decode_handle,
    detect_encoding,
    encoding_of,
    iter_pieces,
    read_chunks,
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
    keep_original: bool = False  # the report draws the original: keep a copy of it as read
    inputs: InputOptions | None = None  # formats and their options (None: all plain text)
    encoding: str | None = None  # --encoding: how files without a byte-order mark are read
    strict: bool = False  # an empty file is an error, not a skipped file


# Files up to this size are read once and held while they are cleaned and diffed.
READ_ONCE_BYTES = 1 << 20

_engine: Engine | None = None


def _init_worker(rules: RuleSet, grammar: GrammarConfig | None) -> None:
    global _engine  # one compiled engine per worker process
    _engine = Engine(rules, check=False, grammar=grammar)
    collect_for_a_run()  # the rules live as long as the worker: not for the collector to rescan


def _run_one(args: tuple[FileJob, RunPlan]) -> FileOutcome:
    job, plan = args
    assert _engine is not None
    outcome = process_file(_engine, job, plan)
    if isinstance(outcome.diff_text, str):
        # Sent as the UTF-8 the patch is written in: the main process, which every worker
        # waits on, then neither decodes nor encodes it.
        outcome.diff_text = outcome.diff_text.encode("utf-8")
    return outcome


def run_files(
    engine: Engine, jobs: Sequence[FileJob], plan: RunPlan, workers: int
) -> Iterator[FileOutcome]:
    """Process files in order, in ``workers`` processes when that pays off. In this
    process, a file is cleaned when its outcome is asked for: the caller takes each one
    (``Sink.take``) before it asks for the next, and a streamed file's diff goes straight
    into the patch."""
    if workers <= 1 or len(jobs) <= 1:
        plan.sink.taken_in_order()
        for job in jobs:
            yield process_file(engine, job, plan)
        return
    global _engine
    count = min(workers, len(jobs))
    if _can_fork():
        # Forked workers start with the compiled engine of this process: the rules are
        # compiled once per run, not once more in every worker.
        _engine = engine
        pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
    else:
        pool = ProcessPoolExecutor(
            count,
            initializer=_init_worker,
            initargs=(engine.rules, engine.grammar),  # workers share the one server
        )
    with pool:
        chunk = max(1, min(64, len(jobs) // (workers * 8)))
        yield from pool.map(_run_one, [(job, plan) for job in jobs], chunksize=chunk)


def _can_fork() -> bool:
    """Whether workers can be forked safely: where the platform forks, and while this
    process runs no other thread (a fork copies locks that other threads may hold)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def process_file(engine: Engine, job: FileJob, plan: RunPlan) -> FileOutcome:
    """Clean one file as the plan says; an input or output error becomes the outcome's
    error, and nothing of that file is written."""
    outcome = FileOutcome(job)
    sink = plan.sink
    writer: AtomicWriter | None = None
    in_patch: int | None = None  # where its diff begins in the patch, once written there
    diff = sink.diff_style is not DiffStyle.NONE and job.diff_part is not None
    spool = job.findings_part if plan.keep_findings else None
    # The original as it was read, copied to a private file for the report, which draws
    # it after the file is done (the file may be rewritten in place by then).
    copy = spool.with_suffix(".text") if spool is not None and plan.keep_original else None
    try:
        before = _identity(job.path)
        fmt = plan.inputs.format_of(job.path) if plan.inputs is not None else "text"
        # A small file, and any structured one, is read once and held, for cleaning and
        # diff alike; a large text file is streamed in blocks.
        text: str | None = None
        if fmt != "text" or before[0] <= READ_ONCE_BYTES:
            text, encoding = _read_whole(job.path, plan.encoding)
        else:
            encoding = detect_encoding(job.path, plan.encoding)
        writer, outcome.output = sink.file_writer(job, encoding)  # in the input's encoding
        write = writer.write if writer is not None else _ignore
        # A streamed file's applied edits wait for its diff in a file, not in memory.
        streamed = diff and text is None and job.diff_part is not None
        edits_to = job.diff_part.with_suffix(".edits") if streamed and job.diff_part else None
        with FindingSpool(spool, keep_applied=diff, applied_to=edits_to) as found:
            if fmt == "text":
                if text is not None:
                    chunks: Iterable[str] = [text]
                else:
                    chunks = read_chunks(job.path, encoding=encoding)
                    if copy is not None:
                        chunks = _copied(chunks, copy)
                if spool is None:  # counted only: no line and column worked out
                    engine.fix_stream(chunks, write, plan.options, tally=found.tally)
                else:
                    engine.fix_stream(chunks, write, plan.options, emit=found)
            else:  # a Document: its segments are cleaned, the rest kept
                assert plan.inputs is not None and text is not None
                doc = read_document(text, fmt, str(job.path), plan.inputs.read)
                result = clean_document(engine, doc, plan.options)
                write(text if result.text is None else result.text)
                for finding in result.findings:
                    found(finding)
        _unchanged_since(job.path, before)
        outcome.counts, outcome.spool = found.counts, spool
        if copy is not None and text is not None and plan.keep_original and found.size:
            _write_copy(copy, [text])
        if copy is not None and plan.keep_original and copy.exists():
            outcome.original = copy
        if diff and found.changed:
            if text is not None:  # held: its diff travels with the outcome
                outcome.diff_text = "".join(sink.render_diff(job.label, text, found.applied))
            else:  # streamed: the copy kept for the report, else the input read again
                where = copy if copy is not None else job.path
                lines = functools.partial(iter_pieces, where, encoding=None if copy else encoding)
                try:  # read twice, the edits from the spool
                    in_patch = sink.write_diff(job, lines, found.iter_applied)
                    outcome.diff_in_patch = in_patch is not None
                except (OSError, ValueError, UnicodeDecodeError):
                    _unchanged_since(job.path, before)  # the usual reason: it changed
                    raise
            _unchanged_since(job.path, before)
            outcome.has_diff = True
        if writer is not None:
            sink.settle(writer, outcome, changed=found.changed, links=before[3])
    except EmptyInputError as exc:
        _undo(writer, sink, in_patch)
        if plan.strict:
            return FileOutcome(job, error=str(exc))
        return FileOutcome(job, warning=f"{job.label}: empty file; skipped")
    except CleanupError as exc:
        _undo(writer, sink, in_patch)  # nothing of a failed file is written
        # A rule's error (a pattern that ran out of time) also says which input it was on.
        own = exc.where.startswith(str(job.path)) or isinstance(exc, OutputError)
        return FileOutcome(job, error=str(exc) if own else f"{job.label}: {exc}")
    except BaseException:
        _undo(writer, sink, in_patch)
        raise
    return outcome


def _undo(writer: AtomicWriter | None, sink: Sink, in_patch: int | None) -> None:
    """What a failed file wrote dropped: its cleaned text, and its diff in the patch."""
    if writer is not None:
        writer.discard()
    sink.unwrite_diff(in_patch)


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


def _copied(chunks: Iterable[str], copy: Path) -> Iterator[str]:
    """``chunks``, each also written to ``copy`` (UTF-8) as it passes."""
    with copy.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
            yield chunk


def _write_copy(copy: Path, chunks: Iterable[str]) -> None:
    with copy.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _read_whole(path: Path, given: str | None) -> tuple[str, TextEncoding]:
    """A file's whole text and its encoding (its mark, else ``given``, else UTF-8), from
    one read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    encoding = encoding_of(data[:4], given)
    return "".join(decode_handle(io.BytesIO(data), str(path), encoding)), encoding


def _ignore(_: str) -> None:
    return None


def default_workers() -> int:
    """One process per available core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1

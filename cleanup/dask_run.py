"""Runs on a Dask cluster (``pip install 'cleanup[dask]'``).

``cleanup fix ... --dask [ADDRESS]``: each file is a partition. The client reads it and
sends its bytes, small files together in a batch of about BATCH_BYTES (one task for each
small file would cost more in scheduling than in cleaning); a worker cleans them with the
same engine (compiled once per worker) and sends back each one's cleaned text, diff and
findings; the client writes them through the run's sink in input order, so the out
folder, the patch, the JSON and the report are what a local run writes, byte for byte. A
few batches per worker are in flight at a time, so the client's memory holds only those.

For corpora already in Dask: ``clean_bag`` maps a ``Cleaner`` over a ``dask.bag`` of texts
or of records, and ``clean_dataframe`` over a text column of a ``dask.dataframe`` (JSONL
through ``dask.bag.read_text``, Parquet through ``dask.dataframe.read_parquet``; each
partition is a shard).
"""

from __future__ import annotations

import io
import logging
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cleanup.cleaner import Cleaner, engine_for
from cleanup.edit import Edit
from cleanup.errors import CleanupError
from cleanup.formats import clean_document, read_document
from cleanup.outcome import Counts, FileJob, FileOutcome, Finding, Status, count_findings
from cleanup.ruleset.model import RuleSet
from cleanup.textio import EmptyInputError, TextEncoding, decode_handle, encoding_of

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    from distributed import Client

    from cleanup.engine import Engine
    from cleanup.runner import RunPlan
    from cleanup.sink import Sink

LOCAL = "local"  # --dask without an address: a cluster on this machine
# Batches in flight per worker.
IN_FLIGHT = 4
# Files are sent in batches of this many bytes (a file that reaches it ends its batch), of
# at most BATCH_FILES files.
BATCH_BYTES = 1 << 20
BATCH_FILES = 64


@dataclass
class Cleaned:
    """What a worker sends back for one file."""

    text: str = ""
    diff: str = ""
    counts: Counts = field(default_factory=lambda: count_findings(()))
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False
    error: str = ""
    warning: str = ""
    original: str | None = None  # for the report: the text as read, when it has findings


@dataclass(frozen=True)
class Part:
    """One file as the client sends it: its bytes, how they are text, and its format."""

    job: FileJob
    data: bytes
    encoding: TextEncoding
    fmt: str


def clean_part(part: Part, rules: RuleSet, token: str, plan: RunPlan) -> Cleaned:
    """Clean one file's bytes on a worker as ``runner.process_file`` cleans a file."""
    engine = engine_for(rules, token)
    job = part.job
    try:
        original = "".join(decode_handle(io.BytesIO(part.data), str(job.path), part.encoding))
        if part.fmt == "text":
            findings: list[Finding] = []
            pieces: list[str] = []
            engine.fix_stream([original], pieces.append, plan.options, emit=findings.append)
            text = "".join(pieces)
        else:  # a Document: its segments are cleaned, the rest kept
            assert plan.inputs is not None
            doc = read_document(original, part.fmt, str(job.path), plan.inputs.read)
            result = clean_document(engine, doc, plan.options)
            findings = result.findings
            text = original if result.text is None else result.text
    except EmptyInputError as exc:
        if plan.strict:
            return Cleaned(error=str(exc))
        return Cleaned(warning=f"{job.label}: empty file; skipped")
    except CleanupError as exc:
        own = exc.where.startswith(str(job.path))
        return Cleaned(error=str(exc) if own else f"{job.label}: {exc}")
    applied: list[Edit] = [f.edit for f in findings if f.status is Status.APPLIED]
    cleaned = Cleaned(
        text=text,
        counts=count_findings(findings),
        findings=findings if plan.keep_findings else [],
        changed=bool(applied),
    )
    if plan.keep_original and findings:
        cleaned.original = original
    if applied and job.diff_part is not None:
        cleaned.diff = "".join(plan.sink.render_diff(job.label, original, applied))
    return cleaned


def clean_parts(parts: list[Part], rules: RuleSet, token: str, plan: RunPlan) -> list[Cleaned]:
    """Clean a batch of files on a worker, each as ``clean_part`` cleans it."""
    return [clean_part(part, rules, token, plan) for part in parts]


def run_files(
    engine: Engine, jobs: Sequence[FileJob], plan: RunPlan, address: str
) -> Iterator[FileOutcome]:
    """The outcomes of ``jobs`` cleaned on the cluster at ``address`` (or a local one), in
    order, each file written through the plan's sink as a local run writes it."""
    from distributed import as_completed

    if engine.grammar is not None:
        raise CleanupError("--grammar cannot run on a Dask cluster; drop one of them")
    if not jobs:  # every input was refused: no cluster to start or reach
        return
    with dask_client(address) as client:
        # The rules' name is made once, here: hash=False keeps Dask from making another.
        token = engine.rules.token()
        rules, shared_plan = client.scatter([engine.rules, plan], broadcast=True, hash=False)
        window = IN_FLIGHT * max(1, len(client.scheduler_info().get("workers", {})))
        pending: dict[Any, list[int]] = {}  # a batch's future: the jobs in it
        done: dict[int, FileOutcome] = {}
        reads: dict[int, tuple[tuple[int, int, int, int], TextEncoding]] = {}
        waiting = as_completed()
        nxt = 0  # the next job to submit
        out = 0  # the next outcome to yield

        def submit() -> None:
            nonlocal nxt
            batch: list[Part] = []
            taken: list[int] = []  # the jobs in it (a job whose file cannot be read is not)
            size = 0
            while nxt < len(jobs) and size < BATCH_BYTES and len(batch) < BATCH_FILES:
                job = jobs[nxt]
                try:
                    before, part = _read(job, plan)
                except CleanupError as exc:
                    done[nxt] = FileOutcome(job, error=str(exc))
                else:
                    reads[nxt] = before, part.encoding
                    batch.append(part)
                    taken.append(nxt)
                    size += len(part.data)
                nxt += 1
            if batch:
                future = client.submit(clean_parts, batch, rules, token, shared_plan, pure=False)
                pending[future] = taken
                waiting.add(future)

        while out < len(jobs):
            while nxt < len(jobs) and len(pending) < window:
                submit()
            if out not in done:
                future = next(waiting)
                for i, cleaned in zip(pending.pop(future), future.result(), strict=True):
                    done[i] = _settle(plan.sink, jobs[i], reads.pop(i), cleaned)
                continue
            yield done.pop(out)
            out += 1


def _read(job: FileJob, plan: RunPlan) -> tuple[tuple[int, int, int, int], Part]:
    from cleanup.errors import InputError
    from cleanup.runner import _identity, _unchanged_since

    before = _identity(job.path)
    try:
        data = job.path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(job.path)) from exc
    _unchanged_since(job.path, before)
    encoding = encoding_of(data[:4], plan.encoding)
    fmt = plan.inputs.format_of(job.path) if plan.inputs is not None else "text"
    return before, Part(job, data, encoding, fmt)


def _settle(
    sink: Sink,
    job: FileJob,
    read: tuple[tuple[int, int, int, int], TextEncoding],
    cleaned: Cleaned,
) -> FileOutcome:
    """Write one file's cleaned text, diff part and findings where the sink says."""
    before, encoding = read
    if cleaned.error or cleaned.warning:
        return FileOutcome(job, error=cleaned.error, warning=cleaned.warning)
    outcome = FileOutcome(job, cleaned.counts)
    writer = None
    try:
        writer, outcome.output = sink.file_writer(job, encoding)
        if writer is not None:
            writer.write(cleaned.text)
        if job.findings_part is not None:
            with job.findings_part.open("wb") as handle:
                for finding in cleaned.findings:
                    pickle.dump(finding, handle, protocol=pickle.HIGHEST_PROTOCOL)
            outcome.spool = job.findings_part
        if cleaned.diff:
            outcome.diff_text, outcome.has_diff = cleaned.diff, True
        if cleaned.original is not None and job.findings_part is not None:
            copy = job.findings_part.with_suffix(".text")  # as runner.process_file keeps it
            with copy.open("w", encoding="utf-8", newline="") as handle:
                handle.write(cleaned.original)
            outcome.original = copy
        if writer is not None:
            sink.settle(writer, outcome, changed=cleaned.changed, links=before[3])
    except CleanupError as exc:
        if writer is not None:
            writer.discard()
        return FileOutcome(job, error=str(exc))
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    return outcome


@contextmanager
def dask_client(address: str | None = LOCAL) -> Iterator[Client]:
    """A client of the cluster at ``address``; ``local`` (or None) starts a cluster of one
    worker process per core on this machine for the client's lifetime."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise CleanupError("--dask needs Dask: pip install 'cleanup[dask]'") from None
    if address in (None, "", LOCAL):
        from cleanup.runner import default_workers

        with (
            LocalCluster(
                n_workers=default_workers(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CleanupError(f"cannot reach the Dask scheduler: {exc}", address) from None
    with client:
        yield client


def clean_bag(bag: dask.bag.Bag, cleaner: Cleaner, column: str | None = None) -> dask.bag.Bag:
    """``bag`` with each text cleaned, or with each record's ``column`` cleaned."""
    if column is None:
        return bag.map_partitions(cleaner.batch)
    return bag.map_partitions(cleaner.records, column)


def clean_dataframe(
    frame: dask.dataframe.DataFrame, cleaner: Cleaner, column: str = "text"
) -> dask.dataframe.DataFrame:
    """``frame`` with its text ``column`` cleaned, partition by partition."""
    return frame.map_partitions(_clean_frame, cleaner, column, meta=frame._meta)


def _clean_frame(part: Any, cleaner: Cleaner, column: str) -> Any:
    part = part.copy()
    part[column] = cleaner.batch(part[column].tolist())
    return part

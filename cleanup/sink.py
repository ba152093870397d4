"""Where the results of a run go, chosen by destination: cleaned copies in an out folder
with ``cleanup.patch``, the inputs rewritten in place, standard output, or nothing. The
sink owns every write of a run: each file's cleaned text and diff, the patch and the HTML
report.

A sink is plain data, so worker processes get it with the rest of the plan: they write
the files' texts and diffs, and the main process joins the diffs into the patch.
"""

from __future__ import annotations

import contextlib
import enum
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleanup.apply import apply_edits
from cleanup.diff import Edits, Lines, unified_diff, word_diff
from cleanup.edit import Edit
from cleanup.errors import CleanupError
from cleanup.outcome import FileJob, FileOutcome
from cleanup.textio import AtomicWriter, TextEncoding, sweep_stale_folders


class Destination(enum.Enum):
    """Where cleaned text goes."""

    OUT_DIR = "out"  # cleaned copies under --out, and a patch
    IN_PLACE = "in-place"  # the inputs rewritten, atomically
    STDOUT = "stdout"  # the diff on standard output (for standard input: the cleaned text)
    NOTHING = "nothing"  # write nothing; the summary and the exit status tell


class DiffStyle(enum.Enum):
    """How a diff is rendered."""

    NONE = "none"
    UNIFIED = "unified"
    WORDS = "words"
    WORDS_COLOR = "words-color"


# What the summary says of the files that changed.
_VERBS = {
    Destination.OUT_DIR: "changed",
    Destination.IN_PLACE: "rewritten",
    Destination.STDOUT: "would change",
    Destination.NOTHING: "would change",
}

PATCH_NAME = "cleanup.patch"
_PARTS_PREFIX = "cleanup-diffs-"


@dataclass(frozen=True, kw_only=True)
class Sink:
    """The outputs of one run."""

    destination: Destination
    out_dir: Path | None = None  # with OUT_DIR
    diff_style: DiffStyle = DiffStyle.NONE  # each changed file's diff (UNIFIED with OUT_DIR)
    report_path: Path | None = None  # the HTML report, written last
    # The patch as it grows, in the main process (never sent to workers).
    _growing: _Patch = field(
        default_factory=lambda: _Patch(), init=False, repr=False, compare=False
    )

    @property
    def verb(self) -> str:
        """What the summary says of a changed file."""
        if self.destination is Destination.STDOUT and self.diff_style is DiffStyle.NONE:
            return "changed"  # standard input cleaned to standard output
        return _VERBS[self.destination]

    @property
    def patch(self) -> Path | None:
        """Where the patch goes, when the run writes one."""
        if self.destination is Destination.OUT_DIR and self.out_dir is not None:
            return self.out_dir / PATCH_NAME
        return None

    # -- one file, in the process that cleans it ------------------------------------------

    def file_writer(
        self, job: FileJob, encoding: TextEncoding | None = None
    ) -> tuple[AtomicWriter | None, Path | None]:
        """The writer of a file's cleaned text (in the input's ``encoding``) and where it
        goes, or (None, None) when the text is not written."""
        if self.destination is Destination.OUT_DIR:
            assert self.out_dir is not None
            output = self.out_dir / job.label
            return AtomicWriter(output, mode_from=job.path, encoding=encoding), output
        if self.destination is Destination.IN_PLACE:
            # A link stays a link: its target is rewritten, keeping its owner and the rest.
            target = job.path.resolve()
            writer = AtomicWriter(
                target, durable=True, keep_from=target, shown=job.path, encoding=encoding
            )
            return writer, job.path
        return None, None

    def settle(
        self, writer: AtomicWriter, outcome: FileOutcome, *, changed: bool, links: int
    ) -> None:
        """Put a file's cleaned text in place; in place, an unchanged file is left alone."""
        if self.destination is Destination.IN_PLACE and not changed:
            writer.discard()
            outcome.output = None
            return
        if self.destination is Destination.IN_PLACE and links > 1:
            outcome.warning = (
                f"{outcome.job.label}: has {links} hard links; only this name has the "
                "cleaned text, the other names keep the old one"
            )
        writer.commit()

    def write_diff(self, job: FileJob, lines: Lines, applied: Edits) -> int | None:
        """Write the diff of one file, piece by piece: into the patch itself where this
        process takes the files in order (``taken_in_order``), so that it is not written
        twice and copied; else to the file's part file. Returns where it begins in the
        patch when it went there (for ``unwrite_diff``), None when it went to its part."""
        if self._growing.in_order and self.patch is not None:
            return self._into_patch(job, lines, applied)
        assert job.diff_part is not None
        with job.diff_part.open("w", encoding="utf-8", newline="") as handle:
            for piece in self.render_diff(job.label, lines, applied):
                handle.write(piece)
        return None

    def _into_patch(self, job: FileJob, lines: Lines, applied: Edits) -> int:
        """A file's diff appended to the patch; a file that fails half-way (its input
        changed) leaves none of it there. A failed write is the patch's error, as in
        ``take``, and the patch is not written from then on."""
        assert self.patch is not None
        growing = self._growing
        if growing.error is not None:
            return 0
        try:
            writer = growing.open(self.patch)
            mark = writer.tell()
        except CleanupError as exc:
            growing.error = exc
            return 0
        try:
            for text in _batches(self.render_diff(job.label, lines, applied)):
                try:
                    writer.write(text)
                except CleanupError as exc:
                    growing.error = exc
                    break
        except BaseException:
            self.unwrite_diff(mark)
            raise
        return mark

    def unwrite_diff(self, mark: int | None) -> None:
        """Take out of the patch the diff that ``write_diff`` put there from ``mark``: its
        file failed after all (None: nothing to take out)."""
        writer = self._growing.writer
        if mark is None or writer is None or self._growing.error is not None:
            return
        try:
            writer.rewind(mark)
        except CleanupError as exc:
            self._growing.error = exc

    def render_diff(self, label: str, lines: Lines, applied: Edits) -> Iterator[str]:
        """The diff of one file in the sink's style."""
        if self.diff_style is DiffStyle.UNIFIED:
            return unified_diff(label, lines, applied)
        color = self.diff_style is DiffStyle.WORDS_COLOR
        return word_diff(label, lines, applied, color=color)

    def write_whole(
        self, job: FileJob, text: str, edits: list[Edit], encoding: TextEncoding | None = None
    ) -> FileOutcome:
        """Write one text held in memory with the edits applied, and its diff (a reviewed
        file); an output error becomes the outcome's error."""
        outcome = FileOutcome(job)
        if self.destination is Destination.IN_PLACE and not edits:
            return outcome  # nothing to rewrite
        try:
            writer, outcome.output = self.file_writer(job, encoding)
            if writer is not None:
                try:
                    writer.write(apply_edits(text, edits))
                    self.settle(writer, outcome, changed=bool(edits), links=1)
                except BaseException:
                    writer.discard()
                    raise
        except CleanupError as exc:
            return FileOutcome(job, error=str(exc))
        if edits and self.diff_style is not DiffStyle.NONE:
            outcome.diff_text = "".join(self.render_diff(job.label, text, edits))
            outcome.has_diff = True
        return outcome

    # -- the run, in the main process ----------------------------------------------------

    def taken_in_order(self) -> None:
        """Each file's outcome is taken (``take``) in this process before the next file
        is cleaned here: a streamed file's diff may then go straight into the patch."""
        self._growing.in_order = True

    @contextlib.contextmanager
    def parts(self, jobs: Sequence[FileJob]) -> Iterator[list[FileJob]]:
        """The jobs with a part file each for their diffs, in a private folder removed at
        the end (folders that killed runs left are removed first)."""
        if self.diff_style is DiffStyle.NONE:
            yield list(jobs)
            return
        with _parts_folder() as folder:
            yield [
                FileJob(job.path, job.label, Path(folder) / f"{i:08}.diff", job.findings_part)
                for i, job in enumerate(jobs)
            ]

    def take(self, outcome: FileOutcome, echo: Callable[[str], None]) -> None:
        """A file is done, in input order: its diff follows on standard output, or is
        added to the patch, which so grows as the run goes."""
        if not outcome.has_diff or outcome.diff_in_patch:
            return
        if self.destination is Destination.STDOUT:
            for piece in _diff_pieces(outcome):
                echo(piece)
        elif self.patch is not None and self._growing.error is None:
            try:
                writer = self._growing.open(self.patch)
                if isinstance(outcome.diff_text, bytes):
                    writer.write_bytes(outcome.diff_text)  # UTF-8, as the patch is
                elif outcome.diff_text is None and outcome.job.diff_part is not None:
                    writer.copy_from(outcome.job.diff_part)  # UTF-8, as the patch is
                else:
                    for piece in _diff_pieces(outcome):
                        writer.write(piece)
            except CleanupError as exc:
                self._growing.error = exc
        outcome.diff_text = None  # written: it need not be held

    def finish(self, outcomes: list[FileOutcome]) -> Path | None:
        """Write the patch (when any file was read) and the report; a failed write is one
        more outcome with its error. Returns the patch written."""
        patch = self.patch
        writer, self._growing.writer = self._growing.writer, None
        if patch is not None and any(not o.error for o in outcomes):
            try:
                if self._growing.error is not None:
                    raise self._growing.error
                if writer is None:
                    writer = AtomicWriter(patch)  # no file changed: an empty patch
                writer.commit()
            except CleanupError as exc:
                if writer is not None:
                    writer.discard()
                outcomes.append(FileOutcome(FileJob(patch, str(patch)), error=str(exc)))
                patch = None
        else:
            if writer is not None:
                writer.discard()
            patch = None
        if self.report_path is not None:
            from cleanup.html_report import write_report

            try:
                write_report(self.report_path, outcomes)
            except CleanupError as exc:
                where = str(self.report_path)
                outcomes.append(FileOutcome(FileJob(self.report_path, where), error=str(exc)))
        return patch

    def abandon(self) -> None:
        """A run that stops before ``finish``: the patch begun is dropped."""
        writer, self._growing.writer = self._growing.writer, None
        if writer is not None:
            writer.discard()


class _Patch:
    """The patch being written, and the error that stopped it; empty when pickled."""

    def __init__(self) -> None:
        self.writer: AtomicWriter | None = None
        self.error: CleanupError | None = None
        self.in_order = False  # see Sink.taken_in_order; never in a worker

    def __getstate__(self) -> dict[str, object]:
        return {"writer": None, "error": None, "in_order": False}

    def open(self, patch: Path) -> AtomicWriter:
        """The writer of the patch, begun with the first diff it takes."""
        if self.writer is None:
            self.writer = AtomicWriter(patch)
        return self.writer


def _batches(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """``pieces`` joined into texts of about ``size`` characters."""
    batch: list[str] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(batch)
            batch, held = [], 0
    if batch:
        yield "".join(batch)


def _diff_pieces(outcome: FileOutcome) -> Iterator[str]:
    """A file's diff: the text it carries, or its part file's, read in pieces."""
    if isinstance(outcome.diff_text, bytes):
        yield outcome.diff_text.decode("utf-8")
        return
    if outcome.diff_text is not None:
        yield outcome.diff_text
        return
    assert outcome.job.diff_part is not None
    with outcome.job.diff_part.open(encoding="utf-8", newline="") as handle:
        yield from iter(lambda: handle.read(1 << 20), "")


@contextlib.contextmanager
def _parts_folder() -> Iterator[str]:
    sweep_stale_folders(_PARTS_PREFIX)
    with tempfile.TemporaryDirectory(prefix=f"{_PARTS_PREFIX}{os.getpid()}-") as folder:
        yield folder

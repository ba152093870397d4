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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleanup.apply import apply_edits
from cleanup.diff import Lines, unified_diff, word_diff
from cleanup.edit import Edit
from cleanup.errors import CleanupError
from cleanup.outcome import FileJob, FileOutcome
from cleanup.textio import AtomicWriter, TextEncoding, split_lines, sweep_stale_folders


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

    def write_diff(self, job: FileJob, lines: Lines, applied: list[Edit]) -> None:
        """Write the diff of one file to its part file, piece by piece."""
        assert job.diff_part is not None
        with job.diff_part.open("w", encoding="utf-8", newline="") as handle:
            for piece in self.render_diff(job.label, lines, applied):
                handle.write(piece)

    def render_diff(self, label: str, lines: Lines, applied: list[Edit]) -> Iterator[str]:
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
        if edits and job.diff_part is not None:
            self.write_diff(job, split_lines(text), edits)
            outcome.has_diff = True
        return outcome

    # -- the run, in the main process ----------------------------------------------------

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
        """A file is done: on standard output, its diff follows."""
        if self.destination is Destination.STDOUT and outcome.has_diff:
            assert outcome.job.diff_part is not None
            with outcome.job.diff_part.open(encoding="utf-8", newline="") as handle:
                for piece in iter(lambda: handle.read(1 << 20), ""):
                    echo(piece)

    def finish(self, outcomes: list[FileOutcome]) -> Path | None:
        """Write the patch (when any file was read) and the report; a failed write is one
        more outcome with its error. Returns the patch written."""
        patch = self.patch
        if patch is not None and any(not o.error for o in outcomes):
            try:
                _join_parts(patch, [o.job.diff_part for o in outcomes if o.has_diff])
            except CleanupError as exc:
                outcomes.append(FileOutcome(FileJob(patch, str(patch)), error=str(exc)))
                patch = None
        else:
            patch = None
        if self.report_path is not None:
            from cleanup.html_report import write_report

            try:
                write_report(self.report_path, outcomes)
            except CleanupError as exc:
                where = str(self.report_path)
                outcomes.append(FileOutcome(FileJob(self.report_path, where), error=str(exc)))
        return patch


def _join_parts(patch: Path, parts: list[Path | None]) -> None:
    """Join the files' diffs into one patch, atomically."""
    with AtomicWriter(patch) as writer:
        for part in parts:
            assert part is not None
            with part.open(encoding="utf-8", newline="") as handle:
                for piece in iter(lambda: handle.read(1 << 20), ""):
                    writer.write(piece)


@contextlib.contextmanager
def _parts_folder() -> Iterator[str]:
    sweep_stale_folders(_PARTS_PREFIX)
    with tempfile.TemporaryDirectory(prefix=f"{_PARTS_PREFIX}{os.getpid()}-") as folder:
        yield folder

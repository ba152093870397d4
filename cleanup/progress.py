"""A progress bar on standard error for runs over files: files done of all, megabytes
read, edits applied. It shows only on a terminal, only once a run has taken about a
second, and never with ``--quiet``; piped, it says nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from cleanup.outcome import FileJob, FileOutcome, Status

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

# A run shorter than this shows no bar.
SHOW_AFTER = 1.0


class Progress:
    """Counts what a run has done and draws it when the run is long enough to need it."""

    def __init__(
        self,
        jobs: Sequence[FileJob],
        *,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        show_after: float = SHOW_AFTER,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.files_total = len(jobs)
        self.bytes_total = sum(_size(job) for job in jobs) if self.enabled else 0
        self.files = 0
        self.bytes = 0
        self.edits = 0
        self.show_after = show_after
        self.started = time.monotonic()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    def done(self, outcome: FileOutcome) -> None:
        """One file is done."""
        self.files += 1
        if not self.enabled:
            return
        self.edits += sum(n for (_, st, _), n in outcome.counts.items() if st is Status.APPLIED)
        self.bytes += _size(outcome.job)
        if self._bar is None and time.monotonic() - self.started >= self.show_after:
            self._start()
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task, completed=self.bytes, files=self._files(), edits=self._edits()
            )

    def close(self) -> None:
        """The run is over: the bar shows the last figures and stops."""
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task, completed=self.bytes, files=self._files(), edits=self._edits()
            )
            self._bar.stop()
            self._bar = None

    def _files(self) -> str:
        return f"{self.files}/{self.files_total} files"

    def _edits(self) -> str:
        return f"{self.edits} edits"

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )
        from rich.progress import Progress as RichProgress

        console = Console(file=self.stream, stderr=self.stream is sys.stderr)
        self._bar = RichProgress(
            TextColumn("cleaning"),
            BarColumn(),
            TextColumn("{task.fields[files]}"),
            DownloadColumn(binary_units=False),
            TransferSpeedColumn(),
            TextColumn("{task.fields[edits]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = self._bar.add_task(
            "cleaning", total=self.bytes_total, files=self._files(), edits=self._edits()
        )
        self._bar.start()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _size(job: FileJob) -> int:
    try:
        return job.path.stat().st_size
    except OSError:
        return 0

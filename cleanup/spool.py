"""Findings as a run makes them, without a list of them all: each finding is counted as it
comes (or a block's edits at once, with no lines and columns worked out, where nothing
needs them), the applied edits are kept only when a diff needs them, and every finding goes
to a spool file only when an output (``--format json``, ``--report``) needs them all.
Readers take them back from the spool one at a time.

A run's spool files live in a private folder that goes when the run's result does (or at
exit); folders that killed runs left are removed by the next run.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cleanup.edit import Edit
from cleanup.outcome import Counts, Finding, Status
from cleanup.textio import sweep_stale_folders

_PREFIX = "cleanup-findings-"
# Applied edits held for a streamed file's diff before a batch goes to disk.
SPILL_EDITS = 10_000


class FindingSpool:
    """Takes one input's findings as the engine makes them (``Engine.fix_stream(emit=)``)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        keep_applied: bool = False,
        applied_to: Path | None = None,
    ) -> None:
        self.path = path
        self.counts: Counts = Counter()
        # With keep_applied: the applied edits, in order. With applied_to as well, they
        # go to that file in batches of SPILL_EDITS, so that a streamed file with very
        # many edits does not hold them all for its diff.
        self.applied: list[Edit] = []
        self.changed = False
        self.size = 0  # findings taken
        self._keep_applied = keep_applied
        self._applied_to = applied_to if keep_applied else None
        self._handle: IO[bytes] | None = path.open("wb") if path is not None else None
        self._edits: IO[bytes] | None = None  # the applied_to file, once a batch is spilt

    def __call__(self, finding: Finding) -> None:
        edit = finding.edit
        self.counts[edit.rule_id, finding.status, edit.safety] += 1
        self.size += 1
        if finding.status is Status.APPLIED:
            self.changed = True
            if self._keep_applied:
                self.applied.append(edit)
                self._spill_when_full()
        if self._handle is not None:
            pickle.dump(finding, self._handle, protocol=pickle.HIGHEST_PROTOCOL)

    def tally(self, applied: list[Edit], others: list[tuple[Edit, Status, str]]) -> None:
        """A block's findings as ``Engine.fix_stream(tally=)`` gives them, with no line
        and column: counted, and the applied edits kept, as ``__call__`` does; for a
        spool without a file, which needs nothing more."""
        assert self._handle is None, "a spool file holds whole findings"
        self.counts.update((e.rule_id, Status.APPLIED, e.safety) for e in applied)
        self.counts.update((e.rule_id, status, e.safety) for e, status, _ in others)
        self.size += len(applied) + len(others)
        if applied:
            self.changed = True
            if self._keep_applied:
                self.applied.extend(applied)
                self._spill_when_full()

    def _spill_when_full(self) -> None:
        if self._applied_to is not None and len(self.applied) >= SPILL_EDITS:
            self._spill()

    def _spill(self) -> None:
        assert self._applied_to is not None
        if self._edits is None:
            self._edits = self._applied_to.open("wb")
        # As plain tuples: pickling a named tuple calls back into Python for each one.
        batch = [tuple(e) for e in self.applied]
        pickle.dump(batch, self._edits, protocol=pickle.HIGHEST_PROTOCOL)
        self.applied = []

    def close(self) -> None:
        """Flush the spool files; their findings and edits can be read from then on."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._edits is not None:
            self._edits.close()
            self._edits = None

    def iter_applied(self) -> Iterator[Edit]:
        """The applied edits kept, in text order: the batches spilt to their file, then
        those still held."""
        if self._applied_to is not None and self._applied_to.exists():
            with self._applied_to.open("rb") as handle:
                while True:
                    try:
                        batch = pickle.load(handle)
                    except EOFError:
                        break
                    yield from map(Edit._make, batch)
        yield from self.applied

    def __enter__(self) -> FindingSpool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def spool_folder(owner: object) -> Path:
    """A private folder for a run's spool files, removed when ``owner`` is collected or
    at exit, whichever comes first; folders of runs that died are removed first."""
    sweep_stale_folders(_PREFIX)
    folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
    weakref.finalize(owner, shutil.rmtree, folder, True)
    return folder

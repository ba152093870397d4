"""The cyclic garbage collector, held off while a load or a build makes objects by the
hundred thousand that live as long as the run."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cyclic garbage collector while building many long-lived objects.

    Each collection walks every object made so far, so when a load makes objects by the
    hundred thousand the collector's passes cost more than the load itself. Objects
    freed by reference counting are freed as usual. After, every tracked object is moved
    to the oldest generation (``gc.freeze`` then ``gc.unfreeze``), so the young
    collections that follow do not walk them again, and the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


# Objects made between two young collections during a run. A run makes small objects by
# the million (edits, findings, lines of a diff) that hold no cycles; at Python's default
# (700) young collections cost a fifth of a run with an edit on every line.
RUN_YOUNG_THRESHOLD = 100_000


def collect_for_a_run() -> None:
    """Set the collector for a run in this process: the objects that live for the whole
    run (the compiled rules) are frozen out of its passes, and young collections come
    RUN_YOUNG_THRESHOLD objects apart (the older generations keep their ratios)."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(RUN_YOUNG_THRESHOLD, middle, old)

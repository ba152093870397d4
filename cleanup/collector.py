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

"""Rule files read once: each file's rules are kept on disk, pickled, between runs.

An entry is found by a hash of the file's bytes, the path errors and sources show for it,
the entry format, the tool's version, the Python version and the tool's own code, so a
changed pack, a new release or another Python never reads an old entry. An entry that
cannot be read back (cut short, written by something else) is ignored and written again;
a cache folder that cannot be written only costs the time saved. Entries are written to
a temporary file and renamed into place, so concurrent runs never see half an entry.

The folder is ``$CLEANUP_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleanup/packs``, else
``~/.cache/cleanup/packs``. ``--no-cache`` or ``CLEANUP_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CACHE_ENV = "CLEANUP_NO_CACHE"
DIR_ENV = "CLEANUP_CACHE_DIR"
# Entries kept: past this, the least recently written are removed.
MAX_ENTRIES = 256
# The shape of what an entry holds (a record per kind of rule, name entries and the
# forms generation made): a new shape gets a new number, so no entry of an older one is
# read.
FORMAT = 3
_PACKAGE = Path(__file__).resolve().parent.parent
_disabled: list[bool] = []


def disable() -> None:
    """Turn the cache off for this process (``--no-cache``)."""
    _disabled[:] = [True]


def enabled() -> bool:
    """Whether rule files are read from and written to the cache."""
    return not _disabled and os.environ.get(CACHE_ENV, "") in ("", "0")


def cache_dir() -> Path:
    """Where entries are kept."""
    own = os.environ.get(DIR_ENV)
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cleanup" / "packs"


@functools.cache
def _fingerprint() -> bytes:
    """The tool's version, the Python version and the tool's code and data."""
    digest = hashlib.sha256()
    from cleanup._version import __version__ as version

    digest.update(f"{FORMAT}\0{version}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}\0".encode())
    # Each module's and data file's size and time of change: reading them all would cost
    # much of what the cache saves, and a file changed in any way gets a new time.
    code = [
        *_PACKAGE.glob("*.py"),
        *_PACKAGE.glob("*/*.py"),
        *_PACKAGE.glob("data/*"),
        *_PACKAGE.glob("schema/*.json"),  # the keys a pack may have
    ]
    for path in sorted(code):
        with contextlib.suppress(OSError):
            stat = path.stat()
            name = path.relative_to(_PACKAGE).as_posix()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.digest()


def entry_path(data: bytes, where: str) -> Path:
    """The entry of a rule file with these bytes, shown as ``where``."""
    digest = hashlib.sha256(_fingerprint())
    digest.update(where.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    return cache_dir() / f"{digest.hexdigest()}.pickle"


def remember(data: bytes, where: str, build: Callable[[], T], kind: type) -> T:
    """What ``build`` makes of a rule file, from the cache when it holds the file.

    ``kind`` is the type of what ``build`` returns; an entry of another type is ignored.
    Errors ``build`` raises are not kept.
    """
    if not enabled():
        return build()
    path = entry_path(data, where)
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
        if isinstance(value, kind):
            return value  # type: ignore[return-value]
    except Exception:  # a missing or unreadable entry of any kind is rebuilt
        pass
    value = build()
    _write(path, value)
    return value


def _write(path: Path, value: object) -> None:
    """Write an entry atomically; a folder that cannot be written is passed over."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent)
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            temp.replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        _prune(path.parent)
    except (OSError, pickle.PicklingError, RecursionError):
        return


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries."""
    entries = list(folder.glob("*.pickle"))
    if len(entries) <= MAX_ENTRIES:
        return
    dated = []
    for entry in entries:
        with contextlib.suppress(OSError):
            dated.append((entry.stat().st_mtime, entry))
    dated.sort()
    for _, entry in dated[: len(dated) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            entry.unlink()

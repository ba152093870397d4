"""Files in and out: UTF-8 text read in chunks with clear errors, folders walked,
and every write atomic (temporary file, then rename), so nothing is left half-written.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fnmatch
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from cleanup.errors import CleanupError, InputError

READ_BYTES = 8 * 1024 * 1024
DEFAULT_INCLUDE = ("*.txt", "*.text", "*.md", "*.markdown", "*.rst")


def read_chunks(path: Path, size: int = READ_BYTES) -> Iterator[str]:
    """Decode a file as UTF-8 piece by piece; errors say the byte offset."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from exc
    with handle:
        yield from decode_chunks(handle, str(path), size)


def decode_chunks(handle: BinaryIO, name: str, size: int = READ_BYTES) -> Iterator[str]:
    """UTF-8 text from a binary stream; refuse NUL bytes (binary) and undecodable bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    empty = True
    while True:
        data = handle.read(size)
        if not data:
            break
        empty = False
        nul = data.find(b"\0")
        if nul >= 0:
            msg = f"binary file (NUL byte at byte {offset + nul}); only UTF-8 text is cleaned"
            raise InputError(msg, name)
        pending = decoder.getstate()[0]  # bytes of a character split across reads
        try:
            text = decoder.decode(data)
        except UnicodeDecodeError as exc:
            seen = pending + data
            raise _not_utf8(name, seen[exc.start], offset - len(pending) + exc.start) from None
        offset += len(data)
        if text:
            yield text
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _not_utf8(name, None, offset - len(exc.object) + exc.start) from None
    if empty:
        raise InputError("empty file; nothing to clean", name)
    if tail:  # pragma: no cover - a strict decoder leaves nothing behind
        yield tail


def _not_utf8(name: str, byte: int | None, at: int) -> InputError:
    shown = f" 0x{byte:02x}" if byte is not None else ""
    return InputError(
        f"not UTF-8: invalid byte{shown} at byte {at}; convert it to UTF-8 first", name
    )


def iter_lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 file split on '\\n' only, endings kept (for patches)."""
    with path.open("rb") as handle:
        for raw in handle:
            yield raw.decode("utf-8")


def split_lines(text: str) -> list[str]:
    r"""Split on '\n' only, keeping it, the way ``patch`` sees lines.

    >>> split_lines("a\r\nb\rc\nd")
    ['a\r\n', 'b\rc\n', 'd']
    """
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def walk(
    root: Path,
    include: tuple[str, ...],
    skip: tuple[Path, ...] = (),
    errors: list[OSError] | None = None,
) -> Iterator[Path]:
    """Files under ``root`` whose names match ``include``, sorted, hidden folders skipped.

    A folder that cannot be read is added to ``errors`` (when given), not skipped silently.
    """
    skipped = {os.path.realpath(p) for p in skip}
    for folder, dirs, files in os.walk(root, onerror=None if errors is None else errors.append):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and os.path.realpath(here / d) not in skipped
        )
        for name in sorted(files):
            if any(fnmatch.fnmatch(name, pattern) for pattern in include):
                yield here / name


class OutputError(CleanupError):
    """An output that cannot be written (permission denied, disk full, ...)."""


def _output_error(exc: OSError, target: Path, shown: Path | None = None) -> OutputError:
    named = str(exc.filename) if exc.filename else None
    where = f" ({named})" if named not in (None, str(target), str(target.parent)) else ""
    return OutputError(f"cannot write: {exc.strerror or exc}{where}", str(shown or target))


# A temporary file's name says which process writes it, so that the next run in the same
# folder can remove those a killed run left ('.NAME.PID.XXXXXXXX.tmp').
_TMP_SUFFIX = ".tmp"
_HAS_TMPFILE = hasattr(os, "O_TMPFILE") and Path("/proc/self/fd").is_dir()


class AtomicWriter:
    """Write a file through a temporary file beside it; ``commit`` puts it in place.

    As a context manager it commits when the block ends and discards when it raises::

        with AtomicWriter(target) as writer:
            writer.write(text)

    Where the system allows it the temporary file has no name until ``commit`` (Linux's
    O_TMPFILE), so a killed run leaves nothing; otherwise it is a hidden file whose name
    holds the writer's process id, and temporary files of processes that are gone are
    removed by the next writer of the same file.

    ``keep_from`` is the file this one replaces (in place): its mode, owner, group and
    extended attributes are kept where the system allows. Other files get
    ``0666 & ~umask``, less any permission ``mode_from`` (the input they are a copy of)
    does not have, never setuid, setgid or sticky bits.
    """

    def __init__(
        self,
        target: Path,
        mode_from: Path | None = None,
        *,
        durable: bool = False,
        keep_from: Path | None = None,
        shown: Path | None = None,
    ) -> None:
        self.target = target
        self.shown = shown  # the name errors give (the input's, when a link's target is written)
        # Flushed to the disk before the rename: for files that replace the user's own
        # (in place), where a crash must leave the old file or the new one, never neither.
        # Copies in an out folder skip it: a sync per file serialises a whole run on disk.
        self.durable = durable
        self.mode_from = mode_from
        self.keep_from = keep_from
        self.made: list[Path] = []  # folders made for the target, removed on discard
        self.tmp: Path | None = None
        folder = target.parent
        while not folder.exists():
            self.made.append(folder)
            folder = folder.parent
        try:
            fd = self._open()
        except OSError as exc:
            self._drop_folders()
            raise _output_error(exc, target, shown) from None
        self.handle = os.fdopen(fd, "wb")

    def _open(self) -> int:
        folder = self.target.parent
        for attempt in range(5):
            folder.mkdir(parents=True, exist_ok=True)
            _remove_stale(folder, self.target.name)
            try:
                if _HAS_TMPFILE:
                    return os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600)
            except FileNotFoundError:  # another process dropped the empty folder just now
                if attempt == 4:
                    raise
                continue
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                    raise
            try:
                fd, tmp = tempfile.mkstemp(
                    prefix=f".{self.target.name}.{os.getpid()}.", suffix=_TMP_SUFFIX, dir=folder
                )
            except FileNotFoundError:
                if attempt == 4:
                    raise
                continue
            self.tmp = Path(tmp)
            return fd
        raise AssertionError("unreachable")  # pragma: no cover

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def write(self, text: str) -> None:
        """Append text, encoded as UTF-8."""
        try:
            self.handle.write(text.encode("utf-8"))
        except OSError as exc:
            raise _output_error(exc, self.target, self.shown) from None

    def commit(self) -> None:
        """Flush to disk and rename over the target."""
        try:
            self.handle.flush()
            fd = self.handle.fileno()
            self._set_metadata(fd)
            if self.durable:
                os.fsync(fd)
            for attempt in range(5):
                if self.tmp is not None:
                    break
                # Give the nameless file a name beside its target (in a folder made again
                # if another writer just dropped it as empty).
                self.target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    self.tmp = _link_tmpfile(fd, self.target)
                except FileNotFoundError:
                    if attempt == 4:
                        raise
            self.handle.close()
            assert self.tmp is not None
            self.tmp.replace(self.target)
        except OSError as exc:
            self.discard()
            raise _output_error(exc, self.target, self.shown) from None

    def _set_metadata(self, fd: int) -> None:
        if self.keep_from is not None:
            try:
                old = Path(self.keep_from).stat()
            except OSError:
                old = None
            if old is not None:
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.fchown(fd, old.st_uid, old.st_gid)
                _copy_xattrs(self.keep_from, fd)
                os.fchmod(fd, old.st_mode & 0o7777)  # after chown, which drops setuid
                return
        mode = 0o666 & ~_umask()
        if self.mode_from is not None:
            with contextlib.suppress(OSError):
                mode &= self.mode_from.stat().st_mode
        os.fchmod(fd, mode)

    def discard(self) -> None:
        """Drop the temporary file and any folder made for it; the target is untouched."""
        with contextlib.suppress(OSError):  # a disk that is full fails the last flush too
            self.handle.close()
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.unlink(missing_ok=True)
        self._drop_folders()

    def _drop_folders(self) -> None:
        for folder in self.made:
            with contextlib.suppress(OSError):  # not empty: another file went there
                folder.rmdir()


def _link_tmpfile(fd: int, target: Path) -> Path:
    """A name for an O_TMPFILE file, beside its target, to rename over the target."""
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(100):
            name = f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{_TMP_SUFFIX}"
            try:
                # linkat(AT_SYMLINK_FOLLOW): a directory fd makes os.link use linkat
                os.link(f"/proc/self/fd/{fd}", name, src_dir_fd=folder, dst_dir_fd=folder)
            except FileExistsError:
                continue
            return target.parent / name
    finally:
        os.close(folder)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def _remove_stale(folder: Path, name: str) -> None:
    """Remove the temporary files for ``name`` that a run which has ended left behind."""
    prefix = f".{name}."
    try:
        entries = [
            e.name
            for e in Path(folder).iterdir()
            if e.name.startswith(prefix) and e.name.endswith(_TMP_SUFFIX)
        ]
    except OSError:
        return
    for entry in entries:
        pid = entry[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                (folder / entry).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def _copy_xattrs(source: Path, fd: int) -> None:
    """Copy extended attributes (ACLs among them) where the system allows."""
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            os.setxattr(fd, name, os.getxattr(source, name))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(target: Path, text: str) -> None:
    """Write a whole text atomically."""
    with AtomicWriter(target) as writer:
        writer.write(text)


PIECE_BYTES = 1 << 20


def iter_pieces(path: Path, size: int = PIECE_BYTES) -> Iterator[str]:
    """The lines of a UTF-8 file as ``iter_lines`` gives them, but a line longer than about
    ``size`` bytes in parts: a piece without a final '\\n' is continued by the next one."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with path.open("rb") as handle:
        while raw := handle.readline(size):
            text = decoder.decode(raw)
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
        if tail:  # pragma: no cover - the file was decoded whole before
            yield tail

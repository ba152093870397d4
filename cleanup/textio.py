"""Files in and out: UTF-8 text read in chunks with clear errors, folders walked,
and every write atomic (temporary file, then rename), so nothing is left half-written.
"""

from __future__ import annotations

import codecs
import contextlib
import fnmatch
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cleanup.errors import InputError

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


def walk(root: Path, include: tuple[str, ...], skip: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Files under ``root`` whose names match ``include``, sorted, hidden folders skipped."""
    skipped = {p.resolve() for p in skip}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skipped
        )
        for name in sorted(files):
            if any(fnmatch.fnmatch(name, pattern) for pattern in include):
                yield here / name


class AtomicWriter:
    """Write a file through a temporary file beside it; ``commit`` puts it in place."""

    def __init__(
        self, target: Path, mode_from: Path | None = None, *, durable: bool = False
    ) -> None:
        self.target = target
        # Flushed to the disk before the rename: for files that replace the user's own
        # (in place), where a crash must leave the old file or the new one, never neither.
        # Copies in an out folder skip it: a sync per file serialises a whole run on disk.
        self.durable = durable
        self.made: list[Path] = []  # folders made for the target, removed on discard
        folder = target.parent
        while not folder.exists():
            self.made.append(folder)
            folder = folder.parent
        for attempt in range(5):
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd, tmp = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
                )
                break
            except FileNotFoundError:  # another process dropped the empty folder just now
                if attempt == 4:
                    raise
        self.tmp = Path(tmp)
        self.handle = os.fdopen(fd, "wb")
        self.mode_from = mode_from

    def write(self, text: str) -> None:
        """Append text, encoded as UTF-8."""
        self.handle.write(text.encode("utf-8"))

    def commit(self) -> None:
        """Flush to disk and rename over the target."""
        self.handle.flush()
        if self.durable:
            os.fsync(self.handle.fileno())
        self.handle.close()
        with contextlib.suppress(OSError):
            if self.mode_from is not None:
                self.tmp.chmod(self.mode_from.stat().st_mode & 0o7777)
            else:  # a new file gets the usual permissions, not mkstemp's private 0600
                self.tmp.chmod(0o666 & ~_umask())
        self.tmp.replace(self.target)

    def discard(self) -> None:
        """Drop the temporary file and any folder made for it; the target is untouched."""
        self.handle.close()
        self.tmp.unlink(missing_ok=True)
        for folder in self.made:
            with contextlib.suppress(OSError):  # not empty: another file went there
                folder.rmdir()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(target: Path, text: str) -> None:
    """Write a whole text atomically."""
    writer = AtomicWriter(target)
    try:
        writer.write(text)
        writer.commit()
    except BaseException:
        writer.discard()
        raise

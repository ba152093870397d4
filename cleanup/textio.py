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
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from cleanup.errors import CleanupError, InputError

# Read and decoded this much at a time: a streamed file is held in blocks of a few MB
# (engine.BLOCK_CHARS), so larger reads only add to the peak, not to the speed.
READ_BYTES = 2 * 1024 * 1024
DEFAULT_INCLUDE = ("*.txt", "*.text", "*.md", "*.markdown", "*.rst")


@dataclass(frozen=True, slots=True)
class TextEncoding:
    """How a file's bytes are text: a codec, and the byte-order mark written before it."""

    codec: str  # a Python codec name
    bom: bytes = b""

    @property
    def shown(self) -> str:
        """The encoding as errors name it.

        >>> TextEncoding("utf-16-be", codecs.BOM_UTF16_BE).shown
        'UTF-16-BE (with a byte-order mark)'
        """
        name = codecs.lookup(self.codec).name.upper().replace("_", "-")
        name = {"ISO8859-1": "Latin-1", "LATIN-1": "Latin-1"}.get(name, name)
        return f"{name} (with a byte-order mark)" if self.bom else name

    def encoder(self) -> Callable[[str], bytes]:
        """A function encoding pieces of text in order, the mark before the first."""
        if self.codec == "utf-8" and not self.bom:
            return _encode_utf8
        incremental = codecs.getincrementalencoder(self.codec)("strict")
        pending = [self.bom]

        def encode(text: str) -> bytes:
            data = incremental.encode(text)
            if pending:
                data = pending.pop() + data
            return data

        return encode


def _encode_utf8(text: str) -> bytes:
    return text.encode("utf-8")


UTF8 = TextEncoding("utf-8")
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def encoding_named(name: str) -> TextEncoding:
    """The encoding ``--encoding NAME`` gives; an unknown name is an error. UTF-16 and
    UTF-32 without a byte order are read as little-endian.

    >>> encoding_named("cp1251").codec
    'cp1251'
    >>> encoding_named("UTF-16").codec
    'utf-16-le'
    """
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        msg = f"--encoding {name}: unknown encoding (try utf-8, cp1251, latin-1, utf-16)"
        raise CleanupError(msg) from None
    if codec in ("utf-16", "utf-32"):
        codec += "-le"
    if codec == "utf-8-sig":
        codec = "utf-8"
    return TextEncoding(codec)


def detect_encoding(path: Path, given: str | None = None) -> TextEncoding:
    """A file's encoding: from its byte-order mark, else ``given`` (``--encoding``), else
    UTF-8."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from exc
    return encoding_of(head, given)


def encoding_of(head: bytes, given: str | None = None) -> TextEncoding:
    """The encoding of bytes that start with ``head``: a byte-order mark wins, unless
    ``given`` names an encoding that is not Unicode (then the bytes are read as it says).

    >>> encoding_of(codecs.BOM_UTF16_LE + b"a").codec
    'utf-16-le'
    >>> encoding_of(b"abc")
    TextEncoding(codec='utf-8', bom=b'')
    >>> encoding_of(codecs.BOM_UTF8 + b"abc", "latin-1").codec
    'iso8859-1'
    """
    named = encoding_named(given) if given is not None else None
    if named is None or named.codec.startswith("utf-"):
        for bom, codec in _BOMS:
            if head.startswith(bom):
                return TextEncoding(codec, bom)
    return named or UTF8


class EmptyInputError(InputError):
    """A file with no text at all: reported and skipped, unless the run is strict."""


def read_chunks(
    path: Path, size: int = READ_BYTES, *, encoding: TextEncoding | None = None
) -> Iterator[str]:
    """Decode a file piece by piece (UTF-8 unless ``encoding`` says otherwise); errors
    say the byte offset."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from exc
    with handle:
        yield from decode_handle(handle, str(path), encoding, size)


def decode_handle(
    handle: BinaryIO, name: str, encoding: TextEncoding | None = None, size: int = READ_BYTES
) -> Iterator[str]:
    """Text from a binary stream, as ``read_chunks`` decodes a file."""
    if encoding is None or encoding == UTF8:
        yield from decode_chunks(handle, name, size)
    else:
        yield from decode_encoded(handle, name, encoding, size)


def decode_encoded(
    handle: BinaryIO, name: str, encoding: TextEncoding, size: int = READ_BYTES
) -> Iterator[str]:
    """Text in ``encoding`` from a binary stream, its mark (when it has one) skipped.
    NUL bytes are refused in 8-bit encodings only (in UTF-16 and UTF-32 they are text)."""
    skip = handle.read(len(encoding.bom)) if encoding.bom else b""
    if skip != encoding.bom:  # pragma: no cover - detect_encoding saw the mark
        raise InputError(f"no {encoding.shown} byte-order mark", name)
    wide = encoding.codec.startswith(("utf-16", "utf-32"))
    decoder = codecs.getincrementaldecoder(encoding.codec)("strict")
    offset = len(skip)
    empty = True
    while True:
        data = handle.read(size)
        if not data:
            break
        if not wide:
            nul = data.find(b"\0")
            if nul >= 0:
                msg = f"binary file (NUL byte at byte {offset + nul}); read as {encoding.shown}"
                raise InputError(msg, name)
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(data)
        except UnicodeDecodeError as exc:
            at = offset - pending + exc.start
            msg = f"not valid {encoding.shown}: invalid bytes at byte {at}"
            raise InputError(msg, name) from None
        offset += len(data)
        if text:
            empty = False
            yield text
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        msg = f"not valid {encoding.shown}: the file ends inside a character"
        raise InputError(msg, name) from None
    if tail:
        empty = False
        yield tail
    if empty:
        raise EmptyInputError("empty file; nothing to clean", name)


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
        raise EmptyInputError("empty file; nothing to clean", name)
    if tail:  # pragma: no cover - a strict decoder leaves nothing behind
        yield tail


def _not_utf8(name: str, byte: int | None, at: int) -> InputError:
    shown = f" 0x{byte:02x}" if byte is not None else ""
    return InputError(
        f"not UTF-8: invalid byte{shown} at byte {at}; convert it to UTF-8 first "
        "(or name its encoding with --encoding)",
        name,
    )


def iter_lines(path: Path, encoding: TextEncoding | None = None) -> Iterator[str]:
    """The lines of a file split on '\\n' only, endings kept (for patches)."""
    if encoding is not None and encoding != UTF8:
        yield from split_lines("".join(read_chunks(path, encoding=encoding)))
        return
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
        encoding: TextEncoding | None = None,
    ) -> None:
        self.target = target
        self._encode = (encoding or UTF8).encoder()  # the input's encoding, kept
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
            _make_folder(folder)
            _remove_stale(folder)
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
        """Append text, encoded as the writer's encoding says (UTF-8 by default)."""
        try:
            self.handle.write(self._encode(text))
        except OSError as exc:
            raise _output_error(exc, self.target, self.shown) from None

    def write_bytes(self, data: bytes) -> None:
        """Append bytes as they are (text already in the writer's encoding)."""
        try:
            self.handle.write(data)
        except OSError as exc:
            raise _output_error(exc, self.target, self.shown) from None

    def tell(self) -> int:
        """How many bytes are written so far: a mark to ``rewind`` to."""
        try:
            return self.handle.tell()
        except OSError as exc:
            raise _output_error(exc, self.target, self.shown) from None

    def rewind(self, mark: int) -> None:
        """Drop what was written after ``mark`` (from ``tell``)."""
        try:
            self.handle.seek(mark)
            self.handle.truncate()
        except OSError as exc:
            raise _output_error(exc, self.target, self.shown) from None

    def copy_from(self, path: Path) -> None:
        """Append the bytes of the file at ``path`` as they are (text already in the
        writer's encoding)."""
        try:
            with path.open("rb") as source:
                shutil.copyfileobj(source, self.handle, 1 << 20)
        except OSError as exc:
            raise _output_error(exc, self.target, self.shown) from None

    def commit(self) -> None:
        """Flush to disk and rename over the target (or, for a nameless file where the
        target does not exist, link it there)."""
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
                _make_folder(self.target.parent)
                try:
                    # No file there yet (a new output): named at once. A file that is
                    # there (in place, an output written before) is replaced as ever.
                    if not os.path.lexists(self.target) and _link_new(fd, self.target):
                        self.handle.close()
                        return
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


def _make_folder(folder: Path) -> None:
    """``folder`` and its parents made where missing. Another writer of the run may drop
    an empty folder at the same moment (its file failed), which makes ``mkdir`` see a
    folder that is then gone: try again, a few times."""
    for attempt in range(5):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return
        except (FileExistsError, FileNotFoundError):
            if folder.is_dir():
                return
            if attempt == 4:
                raise


def _link_new(fd: int, target: Path) -> bool:
    """Give an O_TMPFILE file the target's own name, when no file has it: the file appears
    whole, and no rename follows. False when the name is taken (it is then replaced)."""
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(f"/proc/self/fd/{fd}", target.name, src_dir_fd=folder, dst_dir_fd=folder)
    except FileExistsError:
        return False
    finally:
        os.close(folder)
    return True


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


# Folders this process has swept of temporary files left by ended runs.
_SWEPT: set[str] = set()


def _remove_stale(folder: Path) -> None:
    """Remove the temporary files that runs which have ended left in ``folder``
    (``.NAME.PID.RANDOM.tmp``); each folder is looked at once per process, so writing
    many files into one folder stays linear."""
    key = os.fspath(folder)
    if key in _SWEPT:
        return
    _SWEPT.add(key)
    try:
        entries = [
            e.name
            for e in os.scandir(folder)
            if e.name.startswith(".") and e.name.endswith(_TMP_SUFFIX)
        ]
    except OSError:
        return
    for entry in entries:
        parts = entry[: -len(_TMP_SUFFIX)].rsplit(".", 2)
        if len(parts) == 3 and parts[1].isdigit() and not _process_alive(int(parts[1])):
            with contextlib.suppress(OSError):
                (folder / entry).unlink()


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


def iter_pieces(
    path: Path, size: int = PIECE_BYTES, *, encoding: TextEncoding | None = None
) -> Iterator[str]:
    """The lines of a file as ``iter_lines`` gives them, but in UTF-8 a line longer than
    about ``size`` bytes in parts: a piece without a final '\\n' is continued by the next."""
    if encoding is not None and encoding != UTF8:
        yield from iter_lines(path, encoding)
        return
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    whole = True  # the last piece ended its line: no part of a character is pending
    with path.open("rb") as handle:
        while raw := handle.readline(size):
            ends = raw.endswith(b"\n")
            # A whole line decodes at once; only the parts of a long line need the
            # incremental decoder, which keeps a character cut between two parts.
            text = raw.decode("utf-8") if whole and ends else decoder.decode(raw)
            whole = ends
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
        if tail:  # pragma: no cover - the file was decoded whole before
            yield tail


def sweep_stale_folders(prefix: str) -> None:
    """Remove the private temporary folders ``{prefix}{pid}-*`` of runs that died (their
    process is gone); folders of live runs are left alone."""
    with contextlib.suppress(OSError):
        for entry in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
            pid = entry.name[len(prefix) :].split("-", 1)[0]
            if pid.isdigit() and not _process_alive(int(pid)) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True

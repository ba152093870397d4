"""Encodings: UTF-16 and UTF-32 with a byte-order mark read and written back the same
way, other encodings named with --encoding, errors that name the encoding."""

from __future__ import annotations

import codecs
import io
import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_cleanup
from hypothesis import given
from hypothesis import strategies as st

from cleanup.errors import InputError
from cleanup.textio import (
    AtomicWriter,
    TextEncoding,
    decode_encoded,
    encoding_of,
    read_chunks,
)

PACK = """\
pack: t
names:
  - canonical: Hadrut
    category: place
    variants: [Gadrut]
"""
TEXT = "Line one.\r\nIn Gadrut — «quoted» café.\n"
FIXED = TEXT.replace("Gadrut", "Hadrut")

WITH_MARK = [
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE),
    ("utf-32-be", codecs.BOM_UTF32_BE),
    ("utf-8", codecs.BOM_UTF8),
]


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    return (
        f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n"
        f"{proc.stdout.decode(errors='replace')}--- stderr\n{proc.stderr.decode(errors='replace')}"
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "pack.yaml").write_text(PACK)
    return tmp_path


def fix(work: Path, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return run_cleanup(*["fix", *args, "--no-default-rules", "--rules", "pack.yaml"], cwd=work)


@pytest.mark.parametrize(("codec", "bom"), WITH_MARK, ids=[c for c, _ in WITH_MARK])
def test_a_marked_file_is_written_back_in_its_encoding(work: Path, codec: str, bom: bytes) -> None:
    (work / "a.txt").write_bytes(bom + TEXT.encode(codec))
    proc = fix(work, "a.txt")
    assert proc.returncode == 0, explain(proc)
    assert (work / "cleaned" / "a.txt").read_bytes() == bom + FIXED.encode(codec)
    proc = fix(work, "a.txt", "--in-place")
    assert proc.returncode == 0, explain(proc)
    assert (work / "a.txt").read_bytes() == bom + FIXED.encode(codec)


def test_diff_of_a_utf16_file_shows_the_text(work: Path) -> None:
    (work / "a.txt").write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    proc = fix(work, "a.txt", "--diff", "--diff-format", "unified")
    assert proc.returncode == 0, explain(proc)
    assert "-In Gadrut — «quoted» café.\n+In Hadrut — «quoted» café.\n" in proc.stdout.decode()


@pytest.mark.parametrize("name", ["cp1251", "latin-1", "windows-1252"])
def test_encoding_option(work: Path, name: str) -> None:
    text = "In Gadrut, café.\n" if name != "cp1251" else "In Gadrut (Гадрут).\n"
    (work / "a.txt").write_bytes(text.encode(name))
    plain = fix(work, "a.txt")
    assert plain.returncode == 2 and b"--encoding" in plain.stderr, explain(plain)
    proc = fix(work, "a.txt", "--encoding", name)
    assert proc.returncode == 0, explain(proc)
    out = (work / "cleaned" / "a.txt").read_bytes()
    assert out == text.replace("Gadrut", "Hadrut").encode(name)


def test_an_unknown_encoding_is_a_usage_error(work: Path) -> None:
    (work / "a.txt").write_text("x\n")
    proc = fix(work, "a.txt", "--encoding", "klingon")
    assert proc.returncode == 2, explain(proc)
    assert proc.stderr.decode().startswith("error: --encoding klingon: unknown encoding")


def test_errors_name_the_detected_encoding(work: Path) -> None:
    (work / "a.txt").write_bytes(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xdc")
    proc = fix(work, "a.txt")
    assert proc.returncode == 2, explain(proc)
    err = proc.stderr.decode()
    assert "a.txt: not valid UTF-16-LE (with a byte-order mark)" in err, err


def test_stdin_with_an_encoding(work: Path) -> None:
    proc = run_cleanup(
        "fix",
        "-",
        "--encoding",
        "cp1251",
        "--no-default-rules",
        "--rules",
        "pack.yaml",
        cwd=work,
        input="Gadrut, Гадрут\n".encode("cp1251"),
    )
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout == "Hadrut, Гадрут\n".encode("cp1251")


@pytest.mark.parametrize(("codec", "bom"), WITH_MARK[:4])
@given(st.text(max_size=200))
def test_round_trip_in_pieces(
    tmp_path_factory: pytest.TempPathFactory, codec: str, bom: bytes, text: str
) -> None:
    """Decoding in small reads and encoding in pieces gives back the same bytes."""
    text = text.replace("\ud800", "")  # lone surrogates are not text
    data = bom + text.encode(codec, "surrogatepass")
    encoding = encoding_of(data[:4])
    if not text:
        return
    assert encoding == TextEncoding(codec, bom)
    try:
        pieces = list(decode_encoded(io.BytesIO(data), "f", encoding, size=3))
    except InputError:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in text)  # surrogates do not decode
        return
    assert "".join(pieces) == text
    target = tmp_path_factory.mktemp("rt") / "out.txt"
    writer = AtomicWriter(target, encoding=encoding)
    for piece in pieces:
        writer.write(piece)
    writer.commit()
    assert target.read_bytes() == data
    assert "".join(read_chunks(target, encoding=encoding)) == text

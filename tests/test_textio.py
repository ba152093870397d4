"""Reading UTF-8 in chunks with exact error offsets; atomic writes; walking folders."""

from __future__ import annotations

import io

import pytest

from cleanup import InputError, textio
from cleanup.textio import AtomicWriter, decode_chunks, walk


@pytest.mark.parametrize("size", [1, 2, 3, 5, 1024])
def test_chunks_decode_characters_split_across_reads(size):
    text = "Hadrut – “quoted” 😀 done\r\n"
    assert "".join(decode_chunks(io.BytesIO(text.encode()), "f", size)) == text


@pytest.mark.parametrize("size", [1, 3, 7, 1024])
def test_not_utf8_names_the_byte(size):
    data = "abc – d".encode() + b"\xff rest"
    with pytest.raises(InputError, match=r"^f: not UTF-8: invalid byte 0xff at byte 9;"):
        list(decode_chunks(io.BytesIO(data), "f", size))


def test_truncated_character_at_end():
    data = b"ok " + "–".encode()[:2]
    with pytest.raises(InputError, match=r"not UTF-8: invalid byte at byte 3"):
        list(decode_chunks(io.BytesIO(data), "f", 2))


def test_binary_and_empty():
    with pytest.raises(InputError, match=r"binary file \(NUL byte at byte 2\)"):
        list(decode_chunks(io.BytesIO(b"ab\0cd"), "f"))
    with pytest.raises(InputError, match="empty file"):
        list(decode_chunks(io.BytesIO(b""), "f"))


def test_atomic_writer_leaves_target_until_commit(tmp_path):
    target = tmp_path / "out" / "a.txt"
    writer = AtomicWriter(target)
    writer.write("new")
    assert not target.exists()
    writer.discard()
    assert not target.exists()
    assert not (tmp_path / "out").exists()  # the folder made for it goes too
    writer = AtomicWriter(target)
    writer.write("new")
    writer.commit()
    assert target.read_text() == "new"


def test_walk_skips_hidden_and_output_folders(tmp_path):
    for name in ["a.txt", "b.md", "c.py", ".hidden/d.txt", "cleaned/e.txt", "sub/f.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [
        p.relative_to(tmp_path).as_posix()
        for p in walk(tmp_path, ("*.txt", "*.md"), (tmp_path / "cleaned",))
    ]
    assert found == ["a.txt", "b.md", "sub/f.txt"]


def test_atomic_writer_as_a_context_manager_commits_or_discards(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    with AtomicWriter(target) as writer:
        writer.write("first\n")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(RuntimeError), AtomicWriter(target) as writer:
        writer.write("second\n")
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(RuntimeError), AtomicWriter(tmp_path / "new" / "x.txt") as writer:
        raise RuntimeError("stop")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out.txt", "sub"]


def test_a_folder_another_writer_drops_while_it_is_made_is_made_again(tmp_path, monkeypatch):
    # Two workers of one run: one makes cleaned/in/ and drops it again (its file failed)
    # just as the other asks for it, so mkdir sees "exists" and then no folder.
    from pathlib import Path

    target = tmp_path / "cleaned" / "in" / "a.txt"
    real = Path.mkdir
    raced: list[Path] = []

    def racing(self: Path, *args: object, **kwargs: object) -> None:
        if self == target.parent and not raced:
            raced.append(self)
            raise FileExistsError(17, "File exists", str(self))
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", racing)
    with AtomicWriter(target) as writer:
        writer.write("cleaned")
    assert raced and target.read_text(encoding="utf-8") == "cleaned"


@pytest.mark.skipif(not textio._HAS_TMPFILE, reason="needs O_TMPFILE")
def test_a_new_file_is_linked_under_its_name_and_an_old_one_replaced(tmp_path, monkeypatch):
    """Where no file has the target's name, the nameless file gets it at once (no
    temporary name, no rename); where one has, it is replaced through a temporary name."""
    named = []
    real = textio._link_tmpfile
    monkeypatch.setattr(textio, "_link_tmpfile", lambda fd, t: named.append(t) or real(fd, t))
    target = tmp_path / "out" / "a.txt"
    with AtomicWriter(target) as writer:
        writer.write("first\n")
    assert target.read_text() == "first\n" and named == []
    with AtomicWriter(target) as writer:
        writer.write("second\n")
    assert target.read_text() == "second\n" and named == [target]
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]

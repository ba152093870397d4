"""Patches that cannot lie (issue 10, item 3): odd file names are C-quoted as git quotes
them and apply with `git apply` and `patch -p1`; an input the patch could not name from the
working folder is refused with a one-line error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

from cleanup.diff import patch_name

PACK = "pack: t\nphrases:\n  - find: three-sided statement\n    replace: trilateral statement\n"
LINE = "The three-sided statement was signed.\n"
CLEANED = "The trilateral statement was signed.\n"

needs_tools = pytest.mark.skipif(
    shutil.which("patch") is None or shutil.which("git") is None, reason="needs patch and git"
)


def _fix(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    (cwd / "pack.yaml").write_text(PACK, encoding="utf-8")
    return run_cleanup(
        "fix", *args, "--no-default-rules", "--rules", "pack.yaml", "-j", "1", cwd=cwd
    )


def test_patch_names_are_c_quoted_as_git_does() -> None:
    assert patch_name("a/plain.txt") == "a/plain.txt"
    assert patch_name("a/with space.txt") == "a/with space.txt\t"
    assert patch_name('a/q"\\.txt') == '"a/q\\"\\\\.txt"'
    assert patch_name("a/new\nline\r\x01.txt") == '"a/new\\nline\\r\\001.txt"'
    assert patch_name("a/Ереван.txt") == "a/Ереван.txt"  # UTF-8 names stay readable


@needs_tools
@pytest.mark.parametrize("name", ["tab\there.txt", "cr\rname.txt", "new\nline.txt", 'q"uote\\.txt'])
def test_odd_names_apply_with_git_apply_and_patch(tmp_path: Path, name: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_text(LINE, encoding="utf-8")
    proc = _fix(tmp_path, "in", "--out", "out")
    assert proc.returncode == 0, proc.stderr
    for tool, cmd in (("git", ["git", "apply"]), ("patch", ["patch", "-p1", "--fuzz=0", "-s"])):
        copy = tmp_path / tool
        shutil.copytree(tmp_path / "in", copy / "in")
        if tool == "git":
            subprocess.run(["git", "init", "-q", "."], cwd=copy, check=True)
        patch = (tmp_path / "out" / "cleanup.patch").read_bytes()
        applied = subprocess.run(cmd, input=patch, cwd=copy, capture_output=True)
        assert applied.returncode == 0, (tool, applied)
        assert (copy / "in" / name).read_text(encoding="utf-8") == CLEANED, tool


@needs_tools
def test_a_folder_name_cannot_inject_patch_headers(tmp_path: Path) -> None:
    deep = tmp_path / "in" / "q\n--- a" / "in" / "victim.txt\n+++ b" / "in"
    deep.mkdir(parents=True)
    (deep / "victim.txt").write_text(LINE, encoding="utf-8")
    bystander = tmp_path / "in" / "victim.txt"
    bystander.write_text(LINE + "Not given to cleanup.\n", encoding="utf-8")
    proc = _fix(tmp_path, "in/q\n--- a", "--out", "out")
    assert proc.returncode == 0, proc.stderr
    patch = (tmp_path / "out" / "cleanup.patch").read_bytes()
    assert sum(line.startswith(b"--- ") for line in patch.splitlines()) == 1
    applied = subprocess.run(["patch", "-p1", "--fuzz=0", "-s"], input=patch, cwd=tmp_path)
    assert applied.returncode == 0
    assert "trilateral" not in bystander.read_text(encoding="utf-8")
    assert (deep / "victim.txt").read_text(encoding="utf-8") == CLEANED


def test_inputs_outside_the_working_folder_are_refused_for_the_patch(tmp_path: Path) -> None:
    # Neither git apply nor patch applies a patch through '..', an absolute name or a
    # symbolic link, so such inputs cannot be in a patch applied from the working folder.
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "common.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "sibling.txt").write_text(LINE, encoding="utf-8")
    (work / "in" / "common.txt").symlink_to("../../shared/common.txt")
    (work / "in" / "own.txt").write_text(LINE, encoding="utf-8")
    proc = _fix(work, "in", "../sibling.txt")
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.decode().splitlines() if line.startswith("error:")]
    assert len(errors) == 2, proc.stderr
    assert (
        errors[0].startswith("error: in/common.txt: ") and "outside the working folder" in errors[0]
    )
    assert errors[1].startswith("error: ../sibling.txt: ")
    assert b"Traceback" not in proc.stderr
    # The file inside is still cleaned, and its patch applies from here.
    assert (work / "cleaned" / "in" / "own.txt").read_text(encoding="utf-8") == CLEANED
    patch = (work / "cleaned" / "cleanup.patch").read_text(encoding="utf-8")
    assert patch.startswith("--- a/in/own.txt\n") and "common" not in patch
    # --in-place has no patch to name them in: they are cleaned.
    proc = _fix(work, "../sibling.txt", "--in-place")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "sibling.txt").read_text(encoding="utf-8") == CLEANED


def test_a_link_inside_the_working_folder_is_named_by_its_target(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "real.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "in" / "link.txt").symlink_to("../real.txt")
    proc = _fix(tmp_path, "in")
    assert proc.returncode == 0, proc.stderr
    patch = (tmp_path / "cleaned" / "cleanup.patch").read_text(encoding="utf-8")
    assert patch.startswith("--- a/real.txt\n+++ b/real.txt\n")


# About 4 MB, streamed; an edit on every tenth line, so that its diff has many hunks, and
# is made in sections of a megabyte or so (about 25,000 lines).
BIG = "".join(
    f"Ереван, строка {i}: {LINE if i % 10 == 0 else 'The talks went on.' + chr(10)}"
    for i in range(80_000)
)
FILES = {"a.txt": LINE, "b.txt": BIG, "c.txt": "Абв. " + LINE}


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _applies(patch: bytes, folder: Path, files: dict[str, str], cleaned: Path) -> None:
    """``patch`` applies with git to a copy of ``files`` in ``folder`` and gives the
    cleaned files."""
    _write(folder, files)
    applied = subprocess.run(["git", "apply", "-"], input=patch, cwd=folder, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    for name in files:
        assert (folder / name).read_bytes() == (cleaned / name).read_bytes()
        assert CLEANED.encode() in (cleaned / name).read_bytes()


@needs_tools
def test_a_streamed_file_s_diff_joins_the_patch_as_it_was_written(tmp_path: Path) -> None:
    """A file over a megabyte is streamed: with one job its diff is written into the
    patch as it is made, with two it goes through a part file copied into the patch. The
    patches are the same bytes, and, with a small file's diff on each side of the big
    one's, apply with git and give the cleaned files."""
    assert len(BIG.encode()) > 1 << 20
    work = tmp_path / "work"
    _write(work, FILES)
    (work / "pack.yaml").write_text(PACK, encoding="utf-8")
    patches = []
    for jobs in ("1", "2"):
        out = f"cleaned-{jobs}"
        fixed = run_cleanup(
            "fix",
            *FILES,
            "--out",
            out,
            "--no-default-rules",
            "--rules",
            "pack.yaml",
            "-j",
            jobs,
            cwd=work,
        )
        assert fixed.returncode == 0, fixed.stderr
        patches.append((work / out / "cleanup.patch").read_bytes())
    assert patches[0] == patches[1]
    _applies(patches[0], tmp_path / "copy", FILES, work / "cleaned-1")


# The big file fails once its diff is going into the patch: its input changes while the
# diff reads it again, or its cleaned copy cannot be put in place.
FAIL_LATE = """
import sys
from pathlib import Path
import cleanup.runner as runner
import cleanup.sink as sink
from cleanup.textio import OutputError
mode = sys.argv[1]
real_pieces, real_settle = runner.iter_pieces, sink.Sink.settle
def iter_pieces(path, *args, **options):
    for i, piece in enumerate(real_pieces(path, *args, **options)):
        yield piece
        # In the third section: the hunks of the first two are in the patch.
        if Path(path).name == "b.txt" and i == 60_000:
            if mode == "input":  # the rest of the diff is made, then the change is seen
                Path(path).write_text("short\\n")
            elif mode == "garbled":  # the diff stops half-way: the rest is not UTF-8
                Path(path).write_bytes(b"\\xff" * 4_000_000)
def settle(self, writer, outcome, **options):
    if mode == "output" and outcome.job.label == "b.txt":
        writer.discard()
        raise OutputError("cannot write: no space left on device", "out/b.txt")
    return real_settle(self, writer, outcome, **options)
runner.iter_pieces, sink.Sink.settle = iter_pieces, settle
sys.argv = ["cleanup", "fix", "a.txt", "b.txt", "c.txt", "--out", "out", "-j", "1",
            "--no-default-rules", "--rules", "pack.yaml"]
from cleanup.cli import main
main()
"""


@needs_tools
@pytest.mark.parametrize(
    ("mode", "error"),
    [
        (
            "input",
            "error: b.txt: changed while it was being read; nothing written for it, run again",
        ),
        (
            "garbled",
            "error: b.txt: changed while it was being read; nothing written for it, run again",
        ),
        ("output", "error: out/b.txt: cannot write: no space left on device"),
    ],
)
def test_a_file_that_fails_after_its_diff_leaves_none_of_it_in_the_patch(
    tmp_path: Path, mode: str, error: str
) -> None:
    work = tmp_path / "work"
    _write(work, FILES)
    (work / "pack.yaml").write_text(PACK, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", FAIL_LATE, mode], cwd=work, capture_output=True, timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    assert b"Traceback" not in proc.stderr, proc.stderr
    assert [line for line in proc.stderr.decode().splitlines() if line.startswith("error:")] == [
        error
    ]
    assert not (work / "out" / "b.txt").exists()
    patch = (work / "out" / "cleanup.patch").read_bytes()
    assert b"b.txt" not in patch
    others = {name: FILES[name] for name in ("a.txt", "c.txt")}
    _applies(patch, tmp_path / "copy", others, work / "out")

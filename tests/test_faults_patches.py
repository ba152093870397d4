"""Patches that cannot lie (issue 10, item 3): odd file names are C-quoted as git quotes
them and apply with `git apply` and `patch -p1`; an input the patch could not name from the
working folder is refused with a one-line error."""

from __future__ import annotations

import shutil
import subprocess
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


@needs_tools
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_streamed_file_s_diff_joins_the_patch_as_it_was_written(
    tmp_path: Path, jobs: str
) -> None:
    """A file over a megabyte is streamed and its diff goes through a part file, copied
    into the patch byte for byte; the patch, with a small file's diff on each side of
    it, applies with git and gives the cleaned files."""
    work = tmp_path / "work"
    work.mkdir()
    big = "".join(f"Ереван, строка {i}: {LINE}" for i in range(30_000))  # about 2 MB
    assert len(big.encode()) > 1 << 20
    files = {"a.txt": LINE, "b.txt": big, "c.txt": "Абв. " + LINE}
    for name, text in files.items():
        (work / name).write_text(text, encoding="utf-8")
    (work / "pack.yaml").write_text(PACK, encoding="utf-8")
    fixed = run_cleanup(
        "fix", ".", "--no-default-rules", "--rules", "pack.yaml", "-j", jobs, cwd=work
    )
    assert fixed.returncode == 0, fixed.stderr
    patch = (work / "cleaned" / "cleanup.patch").read_bytes()
    copy = tmp_path / "copy"
    copy.mkdir()
    for name, text in files.items():
        (copy / name).write_text(text, encoding="utf-8")
    applied = subprocess.run(["git", "apply", "-"], input=patch, cwd=copy, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    for name in files:
        cleaned = (work / "cleaned" / name).read_bytes()
        assert (copy / name).read_bytes() == cleaned
        assert CLEANED.encode() in cleaned

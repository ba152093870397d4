"""Writes that keep what they should (issue 10, item 4): outputs never overwrite inputs,
--in-place does not follow links out of the tree, keeps owner and extended attributes and
warns about hard links, copies get ordinary permissions, and killed runs leave nothing."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
from cli_helpers import CLEANUP, run_cleanup

PACK = "pack: t\nphrases:\n  - find: solar conflict\n    replace: Karabakh conflict\n"
LINE = "The solar conflict.\n"
CLEANED = "The Karabakh conflict.\n"


def _run(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    (cwd / "pack.yaml").write_text(PACK, encoding="utf-8")
    jobs = ["-j", "1"] if args[0] == "fix" else []
    return run_cleanup(*args, "--no-default-rules", "--rules", "pack.yaml", *jobs, cwd=cwd)


def _errors(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    assert b"Traceback" not in proc.stderr, proc.stderr
    return [line for line in proc.stderr.decode().splitlines() if line.startswith("error:")]


def test_an_out_folder_that_holds_or_is_an_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.txt").write_text(LINE, encoding="utf-8")
    for args in (["a.txt", "--out", "."], ["in", "--out", "in"], ["in/b.txt", "--out", "in"]):
        proc = _run(tmp_path, "fix", *args)
        assert proc.returncode == 2
        assert len(_errors(proc)) == 1 and "choose another --out" in _errors(proc)[0]
    proc = _run(tmp_path, "review", "in", "--out", ".", "--accept", "t")
    assert proc.returncode == 2 and "choose another --out" in _errors(proc)[0]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == LINE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "in", "pack.yaml"]


def test_a_report_that_is_an_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(LINE, encoding="utf-8")
    proc = _run(tmp_path, "fix", "in", "--in-place", "--report", "in/b.txt")
    assert proc.returncode == 2 and "--report would overwrite an input" in _errors(proc)[0]
    assert (tmp_path / "in" / "a.txt").read_text(encoding="utf-8") == LINE
    assert (tmp_path / "in" / "b.txt").read_text(encoding="utf-8") == LINE


@pytest.mark.parametrize("command", ["fix", "review"])
def test_in_place_does_not_follow_a_link_out_of_the_tree(tmp_path: Path, command: str) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "outside").mkdir()
    notes = tmp_path / "outside" / "notes.txt"
    notes.write_text(LINE, encoding="utf-8")
    (tmp_path / "archive" / "article.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "archive" / "zz-link.txt").symlink_to("../outside/notes.txt")
    extra = ["--accept", "t", "--decisions", "d.json"] if command == "review" else []
    proc = _run(tmp_path, command, "archive", "--in-place", *extra)
    assert proc.returncode == 2
    (error,) = _errors(proc)
    assert error.startswith("error: archive/zz-link.txt: a link to ") and "--follow-links" in error
    assert notes.read_text(encoding="utf-8") == LINE
    assert (tmp_path / "archive" / "article.txt").read_text(encoding="utf-8") == CLEANED
    proc = _run(tmp_path, command, "archive", "--in-place", "--follow-links", *extra)
    assert proc.returncode == 0, proc.stderr
    assert notes.read_text(encoding="utf-8") == CLEANED
    assert (tmp_path / "archive" / "zz-link.txt").is_symlink()


@pytest.mark.parametrize("command", ["fix", "review"])
def test_fix_and_review_in_place_rewrite_a_links_target(tmp_path: Path, command: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "real.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "in" / "link.txt").symlink_to("real.txt")
    extra = ["--accept", "t", "--decisions", "d.json"] if command == "review" else []
    proc = _run(tmp_path, command, "in/link.txt", "--in-place", *extra)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "in" / "link.txt").is_symlink()
    assert (tmp_path / "in" / "real.txt").read_text(encoding="utf-8") == CLEANED


def test_in_place_keeps_owner_and_xattrs_and_warns_about_hard_links(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(LINE, encoding="utf-8")
    a.chmod(0o640)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    if os.geteuid() == 0:
        os.chown(a, *owner)
    try:
        os.setxattr(a, "user.note", b"keep")
        xattrs = True
    except OSError:  # a file system without user xattrs
        xattrs = False
    os.link(a, tmp_path / "other-name.txt")
    proc = _run(tmp_path, "fix", "a.txt", "--in-place")
    assert proc.returncode == 0, proc.stderr
    assert a.read_text(encoding="utf-8") == CLEANED
    st = a.stat()
    assert (st.st_uid, st.st_gid) == owner and stat.S_IMODE(st.st_mode) == 0o640
    if xattrs:
        assert os.getxattr(a, "user.note") == b"keep"
    # The decision on hard links: a.txt is replaced (atomically), so the other name keeps
    # the old text, and the summary says so.
    assert (tmp_path / "other-name.txt").read_text(encoding="utf-8") == LINE
    assert "warning: a.txt: has 2 hard links" in proc.stderr.decode()


def test_copies_get_ordinary_permissions(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for mode in (0o666, 0o4755, 0o600):
        f = tmp_path / "in" / f"m{mode:o}.txt"
        f.write_text(LINE, encoding="utf-8")
        f.chmod(mode)
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    cmd = f"umask 022; exec '{CLEANUP}' fix in --out out --no-default-rules --rules pack.yaml -j 1"
    subprocess.run(["sh", "-c", cmd], cwd=tmp_path, check=True, capture_output=True)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out" / "in").iterdir()}
    # 0666 & ~umask, never more than the input allows, never setuid/setgid/sticky.
    assert modes == {"m666.txt": 0o644, "m4755.txt": 0o644, "m600.txt": 0o600}
    assert stat.S_IMODE((tmp_path / "out" / "cleanup.patch").stat().st_mode) == 0o644


def test_stale_temporary_files_of_a_dead_run_are_removed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LINE, encoding="utf-8")
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".a.txt.{dead.pid}.abcd1234.tmp"
    stale.write_text("partial", encoding="utf-8")
    mine = tmp_path / f".a.txt.{os.getpid()}.abcd1234.tmp"  # a live process's: kept
    mine.write_text("partial", encoding="utf-8")
    proc = _run(tmp_path, "fix", "a.txt", "--in-place")
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists() and mine.exists()


def test_kill_during_in_place_write_leaves_the_original_or_the_result_and_no_temp(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.txt"
    unit = "The talks on the solar conflict went on in Vienna today.\n"
    original = "".join(f"{i} {unit}" for i in range(600_000)).encode()
    big.write_bytes(original)
    cleaned = original.replace(b"solar conflict", b"Karabakh conflict")
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    args = [CLEANUP, "fix", "big.txt", "--in-place", "-j", "1", "--no-default-rules"]
    for delay in (0.3, 0.6, 0.9, 1.5):
        big.write_bytes(original)
        child = subprocess.Popen(
            [*args, "--rules", "pack.yaml"], cwd=tmp_path, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert big.read_bytes() in (original, cleaned)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "pack.yaml"]

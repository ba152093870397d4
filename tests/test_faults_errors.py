"""Every failure is one line, exit 2, and the run goes on (issue 10, item 5): rule files
whose pattern or replacement cannot run, unwritable places, a full disk, unreadable
folders, link loops, inputs that change while read and malformed decisions files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import CLEANUP, run_cleanup

PACK = "pack: t\nphrases:\n  - find: solar conflict\n    replace: Karabakh conflict\n"
LINE = "The solar conflict.\n"
CLEANED = "The Karabakh conflict.\n"
ROOT = Path(__file__).resolve().parent.parent


def _run(
    cwd: Path, *args: str | Path, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[bytes]:
    (cwd / "pack.yaml").write_text(PACK, encoding="utf-8")
    cmd = [*prefix, CLEANUP, *map(str, args), "--no-default-rules", "--rules", "pack.yaml"]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=120)


def _errors(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    assert b"Traceback" not in proc.stderr, proc.stderr
    return [line for line in proc.stderr.decode().splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("regex", "replace", "message"),
    [
        ("aa", "\\\\", "replacement cannot be used: bad escape"),
        ("aa", "x\\\\q", "replacement cannot be used: bad escape"),
        ("(?R)?a", "b", "a recursive pattern"),
        ("(a(?1)?b)", "c", "a recursive pattern"),
        ("(?P<w>a(?&w)?)", "c", "a recursive pattern"),
    ],
)
def test_a_pattern_that_cannot_run_is_refused_at_load(
    tmp_path: Path, regex: str, replace: str, message: str
) -> None:
    rules = tmp_path / "bad.yaml"
    rules.write_text(
        f'pack: p\npatterns:\n  - id: bad\n    regex: "{regex}"\n    replace: "{replace}"\n',
        encoding="utf-8",
    )
    (tmp_path / "input.txt").write_text("aa aab\n", encoding="utf-8")
    for args in (
        ("rules", "check", "bad.yaml"),
        ("fix", "input.txt", "--no-default-rules", "--rules", "bad.yaml"),
    ):
        proc = run_cleanup(*args, cwd=tmp_path)
        assert proc.returncode == 2
        (error,) = _errors(proc)
        line = 5 if "replacement" in message else 4
        assert error.startswith(f"error: bad.yaml:{line}:") and message in error, error
    assert not (tmp_path / "cleaned").exists()


def test_group_calls_that_do_not_recurse_still_load(tmp_path: Path) -> None:
    rules = tmp_path / "ok.yaml"
    rules.write_text(
        textwrap.dedent(
            r"""
            pack: p
            patterns:
              - id: twice
                regex: '(?(DEFINE)(?P<w>solar))(?&w) (?&w)'
                replace: 'solar'
                safety: auto
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("a solar solar day\n", encoding="utf-8")
    proc = run_cleanup(
        "fix",
        "-",
        "--no-default-rules",
        "--rules",
        "ok.yaml",
        cwd=tmp_path,
        input=b"a solar solar day\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"a solar day\n"


def _unprivileged() -> tuple[str, ...]:
    """A prefix that runs a command without root's power to ignore permissions."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("root without setpriv ignores permissions")
    caps = "-dac_override,-dac_read_search,-fowner"
    return ("setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}")


def test_unwritable_places_give_one_line_errors(tmp_path: Path) -> None:
    prefix = _unprivileged()
    (tmp_path / "a.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "ro").mkdir()
    (tmp_path / "rodir").mkdir()
    (tmp_path / "rodir" / "b.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "rodir" / "b.txt").chmod(0o666)
    (tmp_path / "ro").chmod(0o555)
    (tmp_path / "rodir").chmod(0o555)
    try:
        proc = _run(tmp_path, "fix", "a.txt", "--out", "ro/out", "-j", "1", prefix=prefix)
        assert proc.returncode == 2
        assert any("ro/out" in e and "Permission denied" in e for e in _errors(proc)), proc.stderr
        proc = _run(tmp_path, "fix", "rodir/b.txt", "a.txt", "--in-place", "-j", "1", prefix=prefix)
        assert proc.returncode == 2
        (error,) = _errors(proc)
        assert error.startswith("error: rodir/b.txt: cannot write: Permission denied"), error
        assert (tmp_path / "a.txt").read_text(encoding="utf-8") == CLEANED  # the run went on
        assert (tmp_path / "rodir" / "b.txt").read_text(encoding="utf-8") == LINE
    finally:
        (tmp_path / "ro").chmod(0o755)
        (tmp_path / "rodir").chmod(0o755)


def test_an_unreadable_folder_is_an_error_not_skipped(tmp_path: Path) -> None:
    prefix = _unprivileged()
    (tmp_path / "in" / "private").mkdir(parents=True)
    (tmp_path / "in" / "clean.txt").write_text("Nothing to fix here.\n", encoding="utf-8")
    (tmp_path / "in" / "private" / "needs-fix.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "in" / "private").chmod(0)
    try:
        proc = _run(tmp_path, "fix", "in", "--check", "-j", "1", prefix=prefix)
    finally:
        (tmp_path / "in" / "private").chmod(0o755)
    assert proc.returncode == 2
    (error,) = _errors(proc)
    assert error == "error: in/private: cannot read folder: Permission denied"


def test_a_link_loop_is_one_error_and_the_other_files_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "in" / "loop1.txt").symlink_to("loop2.txt")
    (tmp_path / "in" / "loop2.txt").symlink_to("loop1.txt")
    proc = _run(tmp_path, "fix", "in", "--out", "out", "-j", "1")
    assert proc.returncode == 2
    errors = _errors(proc)
    assert len(errors) == 2 and all("symbolic links" in e for e in errors), errors
    assert (tmp_path / "out" / "in" / "good.txt").read_text(encoding="utf-8") == CLEANED
    proc = _run(tmp_path, "fix", "in/loop1.txt", "-j", "1")
    assert proc.returncode == 2 and "points nowhere" in _errors(proc)[0]


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("mount") is None, reason="mounts a tmpfs (root)"
)
def test_a_full_disk_gives_one_line_errors_and_leaves_nothing(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "x.txt").write_text(LINE * 2000, encoding="utf-8")
        (disk / "filler").write_bytes(b"\0" * (2030 * 1024))
        proc = _run(tmp_path, "fix", "in", "--out", disk / "out", "-j", "1")
        assert proc.returncode == 2
        assert any("No space left on device" in e for e in _errors(proc)), proc.stderr
        assert not [p for p in disk.rglob("*") if p.name.endswith(".tmp")]
        (disk / "filler").unlink()
        (disk / "big.txt").write_text("The solar conflict. " * 60000, encoding="utf-8")
        (disk / "filler").write_bytes(b"\0" * (700 * 1024))
        (disk / "small.txt").write_text(LINE, encoding="utf-8")
        proc = _run(disk, "fix", "big.txt", "small.txt", "--in-place", "-j", "1")
        assert proc.returncode == 2
        (error,) = _errors(proc)
        assert error.startswith("error: ") and "big.txt: cannot write: No space left" in error
        assert (disk / "small.txt").read_text(encoding="utf-8") == CLEANED
        assert (disk / "big.txt").read_text(encoding="utf-8") == "The solar conflict. " * 60000
        assert sorted(p.name for p in disk.iterdir()) == [
            "big.txt",
            "filler",
            "pack.yaml",
            "small.txt",
        ]
    finally:
        subprocess.run(["umount", str(disk)])


RACE = """
import sys
import cleanup.runner as runner
import cleanup.textio as textio
mode = sys.argv[1]
real = textio.read_chunks
def read_chunks(path, size=textio.READ_BYTES, **options):
    for i, chunk in enumerate(real(path, 64 * 1024, **options)):
        yield chunk
        if i == 0:
            if mode == "truncate":
                path.write_text("short\\n")
            elif mode == "prepend":
                path.write_text("An extra first line.\\n" + open("orig.txt").read())
            else:
                path.unlink()
runner.read_chunks = read_chunks
sys.argv = ["cleanup", "fix", "a.txt", "--out", "out", "-j", "1", "--no-default-rules", "--rules", "pack.yaml"]
from cleanup.cli import main
main()
"""


@pytest.mark.parametrize("mode", ["truncate", "prepend", "delete"])
def test_an_input_that_changes_while_read_is_reported_and_not_written(
    tmp_path: Path, mode: str
) -> None:
    # Past the size read whole (runner.READ_ONCE_BYTES): streamed in pieces.
    text = "".join(f"Line {i}: the solar conflict.\n" for i in range(50_000))
    (tmp_path / "orig.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", RACE, mode], cwd=tmp_path, capture_output=True, timeout=120
    )
    assert proc.returncode == 2
    (error,) = _errors(proc)
    assert (
        error == "error: a.txt: changed while it was being read; nothing written for it, run again"
    )
    assert not (tmp_path / "out" / "a.txt").exists()


@pytest.mark.parametrize(
    "content",
    [
        '{"edits": [1, 2]}',
        '{"edits": {"k": "accept"}}',
        '{"edits": {"k": {"decision": "accept", "replacement": 5}}}',
        '{"edits": {"k": {}}}',
        '{"rules": ["x"]}',
        '{"rules": {"x": 1}}',
        "[1]",
        "[" * 100000 + "]" * 100000,
        "not json",
    ],
)
def test_a_malformed_decisions_file_is_one_line_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "a.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "d.json").write_text(content, encoding="utf-8")
    proc = _run(tmp_path, "review", "a.txt", "--decisions", "d.json")
    assert proc.returncode == 2
    (error,) = _errors(proc)
    assert error.startswith("error: d.json: cannot read decisions: ")
    assert error.endswith("; fix or remove the file")
    assert json.loads(content) if content.startswith("{") else True

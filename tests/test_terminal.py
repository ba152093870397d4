"""Terminal conventions: a closed pipe exits quietly with its own code, and the summary
names bundled rules by their place in the pack folder."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from cli_helpers import CLEANUP

ROOT = Path(__file__).resolve().parent.parent


def test_a_closed_pipe_exits_141_quietly(tmp_path: Path) -> None:
    # `cleanup rules list | head -1`: the reader goes away after one line.
    proc = subprocess.Popen(
        [CLEANUP, "rules", "list"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 141, err
    assert err == b"", "nothing on stderr for a closed pipe"


def test_summary_names_bundled_rules_in_their_pack_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("the solar conflict\n")
    proc = subprocess.run([CLEANUP, "fix", "a.txt"], cwd=tmp_path, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stderr.decode().splitlines() if "calques.solar-conflict" in x)
    assert line.split()[-1].startswith("calques.yaml:"), line


def _on_a_terminal(cwd: Path, *args: str, columns: int = 120) -> str:
    """What the command prints on a real terminal (stdin, stdout and stderr a pty)."""
    import pexpect

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    child = pexpect.spawn(
        CLEANUP,
        list(args),
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, columns),
    )
    child.expect(pexpect.EOF)
    child.close()
    return re.sub(r"\x1b\[[0-9;]*m", "", child.before).replace("\r\n", "\n")


def test_on_a_terminal_the_summary_is_tables_and_rule_ids_are_never_cut(tmp_path: Path) -> None:
    long_id = "a-rule-whose-id-is-far-longer-than-the-terminal-would-give-it-room-for"
    (tmp_path / "p.yaml").write_text(
        f"phrases:\n  - id: {long_id}\n    find: solar conflict\n    replace: Karabakh conflict\n"
        "  - find: three-sided\n    replace: trilateral\n"
    )
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("The solar conflict and the three-sided talks.\n" * i)
    (tmp_path / "0.txt").write_text("Nothing to change.\n")
    args = ("fix", ".", "--check", "--no-default-rules", "--rules", "p.yaml")
    lines = _on_a_terminal(tmp_path, *args, columns=160).splitlines()
    assert lines[0] == "3 files read, 2 would change"
    assert "6 edits would apply, by rule:" in lines
    header = next(line for line in lines if "defined in" in line).split()
    assert header == ["edits", "rule", "defined", "in"]
    assert [line.split() for line in lines if long_id in line] == [
        ["3", f"p.{long_id}", "p.yaml:2"]
    ]
    row = next(line for line in lines if line.lstrip().startswith("2.txt"))
    assert row.split() == ["2.txt", "4"]  # 4 would apply; no review, suggestion or drop
    # Too narrow for the id and the other columns: the rules are aligned lines instead.
    narrow = _on_a_terminal(tmp_path, *args, columns=60).splitlines()
    assert f"      3  p.{long_id}  p.yaml:2" in [line.rstrip() for line in narrow]
    assert "defined in" not in "".join(narrow)
    # Piped, the same summary is one plain line per item, for scripts and logs.
    piped = subprocess.run(
        [CLEANUP, "fix", ".", "--check", "--no-default-rules", "--rules", "p.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert f"      3  p.{long_id}  p.yaml:2" in piped.stderr.splitlines()
    assert "  2.txt: 4 would apply" in piped.stderr.splitlines()

"""Terminal conventions: a closed pipe exits quietly with its own code, and the summary
names bundled rules by their place in the pack folder."""

from __future__ import annotations

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

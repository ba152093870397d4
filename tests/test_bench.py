"""The benchmark script as a person runs it: a small corpus, the tools in turn, the report."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
SMALL = ["--size-mb", "0.2", "--files", "10", "--rules", "50", "--no-names", "--no-news"]


def _bench(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(BENCH),
            *SMALL,
            "--no-dask",
            "--repeat",
            "1",
            "--workdir",
            str(work),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(
    shutil.which("codespell") is None and not (Path(sys.executable).parent / "codespell").exists(),
    reason="needs codespell (the bench extra)",
)
def test_no_typos_leaves_typos_out_of_the_runs_and_the_table(tmp_path: Path) -> None:
    proc = _bench(tmp_path, "--no-typos")
    assert proc.returncode == 0, proc.stderr
    runs = json.loads((tmp_path / "report.json").read_text())["runs"]
    assert {r["tool"] for r in runs} == {"cleanup", "codespell"}
    assert "| one file | 50 | cleanup | 1 |" in proc.stdout
    assert "| typos |" not in proc.stdout and "cleanup / typos" not in proc.stdout
    assert "typos --version: not run (--no-typos)" in proc.stdout


def test_typos_and_no_typos_together_are_refused(tmp_path: Path) -> None:
    proc = _bench(tmp_path, "--no-typos", "--typos", "typos")
    assert proc.returncode == 2
    assert "not allowed with argument" in proc.stderr
    assert not (tmp_path / "report.json").exists()

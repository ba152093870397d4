"""--baseline: findings recorded once, then only new ones reported, matched by rule, file
and the text around them rather than by line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

from cleanup.baseline import Baseline

PACK = """\
pack: t
phrases:
  - find: solar conflict
    replace: Karabakh conflict
"""


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    return (
        f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n"
        f"{proc.stdout.decode(errors='replace')}--- stderr\n{proc.stderr.decode(errors='replace')}"
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "pack.yaml").write_text(PACK)
    (tmp_path / "a.txt").write_text("Talks on the solar conflict went on.\n")
    return tmp_path


def check(work: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return run_cleanup(
        "fix",
        "a.txt",
        "--check",
        "--baseline",
        "base.json",
        *args,
        "--no-default-rules",
        "--rules",
        "pack.yaml",
        cwd=work,
    )


def test_record_then_only_new_findings(work: Path) -> None:
    first = check(work)
    assert first.returncode == 0, explain(first)
    assert b"baseline: 1 findings recorded in base.json" in first.stderr
    assert Baseline.load(work / "base.json").known
    # Lines added above: the old finding is still known.
    (work / "a.txt").write_text("A new lead.\n\nTalks on the solar conflict went on.\n")
    again = check(work)
    assert again.returncode == 0, explain(again)
    assert b"1 known findings not reported" in again.stderr
    # A new finding elsewhere is reported, and --check fails on it alone.
    (work / "a.txt").write_text(
        "A new lead.\n\nTalks on the solar conflict went on.\nThe solar conflict is old.\n"
    )
    new = check(work, "--format", "json")
    assert new.returncode == 1, explain(new)
    (entry,) = json.loads(new.stdout)["files"]
    assert [(e["line"], e["before"]) for e in entry["edits"]] == [(4, "solar conflict")]


def test_two_equal_findings_are_counted(work: Path) -> None:
    (work / "a.txt").write_text("the solar conflict\n")
    assert check(work).returncode == 0
    (work / "a.txt").write_text("the solar conflict\nthe solar conflict\n")
    proc = check(work)
    assert proc.returncode == 1, "the second, equal finding is new" + explain(proc)


def test_a_bad_baseline_file_is_an_error(work: Path) -> None:
    (work / "base.json").write_text("{not json")
    proc = check(work)
    assert proc.returncode == 2, explain(proc)
    assert proc.stderr.decode().startswith("error: base.json: not a baseline file")


def test_baseline_and_in_place_are_refused(work: Path) -> None:
    proc = run_cleanup(
        "fix",
        "a.txt",
        "--in-place",
        "--baseline",
        "b.json",
        "--no-default-rules",
        "--rules",
        "pack.yaml",
        cwd=work,
    )
    assert proc.returncode == 2 and b"--baseline" in proc.stderr, explain(proc)

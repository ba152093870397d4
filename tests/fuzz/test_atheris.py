"""A short, deterministic run of the atheris harness (skipped without atheris)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fuzz
pytest.importorskip("atheris", reason="atheris is not installed (pip install -e '.[fuzz]')")

HARNESS = Path(__file__).with_name("atheris_harness.py")


def test_atheris_harness_runs_clean(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(HARNESS),
            "-atheris_runs=3000",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not list(tmp_path.glob("crash-*"))

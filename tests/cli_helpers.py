"""Running the installed `cleanup` command as a user would, for the command-line tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _find_cleanup() -> str:
    beside = Path(sys.executable).parent / "cleanup"
    if beside.exists():
        return str(beside)
    found = shutil.which("cleanup")
    if found is None:  # pragma: no cover - an installation without the script
        pytest.skip(
            "the cleanup command is not installed (run ./dev test)", allow_module_level=True
        )
    return found


CLEANUP = _find_cleanup()


def run_cleanup(
    *args: str | Path, cwd: Path, input: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed command as a user would; stdout and stderr are captured as bytes."""
    return subprocess.run(
        [CLEANUP, *map(str, args)], cwd=cwd, input=input, capture_output=True, timeout=timeout
    )

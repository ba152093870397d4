"""The architecture's contracts: the import-linter contracts of pyproject.toml hold, and no
function of the command line or the engine is above radon's grade C. Both need the lint
extra (`./dev lint` installs it); without it they are skipped with the reason."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists() and shutil.which("lint-imports") is None:
        pytest.skip("import-linter is not installed (./dev lint installs the lint extra)")
    command = str(lint_imports) if lint_imports.exists() else "lint-imports"
    proc = subprocess.run(
        [command, "--no-cache", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize("module", ["cli.py", "engine.py"])
def test_no_function_above_grade_c(module: str) -> None:
    complexity = pytest.importorskip("radon.complexity", reason="radon (the lint extra)")
    code = (ROOT / "cleanup" / module).read_text(encoding="utf-8")
    blocks = complexity.sorted_results(complexity.cc_visit(code))
    assert blocks, "radon found no functions"
    worse = [f"{b.name} ({b.complexity})" for b in blocks if complexity.cc_rank(b.complexity) > "C"]
    assert not worse, f"{module}: above grade C: {', '.join(worse)}"


def test_the_public_resolve_stays_the_function_once_its_module_is_imported() -> None:
    code = (
        "import sys, cleanup.engine\n"
        "from cleanup import resolve\n"
        "print(callable(resolve), resolve is sys.modules['cleanup.resolve'].resolve)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True"

"""Golden documents: whole texts cleaned and compared with hand-checked results.

``samples/`` are run through the installed ``cleanup fix`` as a user runs it and compared
with ``tests/golden/samples/``. ``cases/*.case`` are small documents in this form:

    === flags: --accept-review        (optional; also --rules FILE from packs/)
    input text
    === output
    expected text                     (no "=== output": the text must not change)

``=== expect: fail`` marks a known miss (a strict xfail).
"""

from __future__ import annotations

import difflib
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cleanup import Engine, FixOptions, Safety, builtin_pack_paths, load_rules

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CLEANUP = Path(sys.executable).parent / "cleanup"


def assert_same(expected: str, actual: str, name: str, applied: list[str]) -> None:
    """Fail with a unified diff and the rules that fired (black's _assert_format_equal)."""
    if expected == actual:
        return
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"{name} (expected)",
            f"{name} (actual)",
        )
    )
    pytest.fail(f"{name} differs from its golden file:\n{diff}\nrules applied: {applied}")


@pytest.mark.parametrize("sample", sorted(p.name for p in (ROOT / "samples").glob("*.txt")))
def test_sample_matches_golden(sample: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [str(CLEANUP), "fix", f"samples/{sample}", "--out", str(out), "--jobs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    actual = (out / "samples" / sample).read_text(encoding="utf-8")
    expected = (HERE / "samples" / sample).read_text(encoding="utf-8")
    assert_same(expected, actual, sample, [proc.stderr])


@dataclass
class Case:
    name: str
    text: str
    output: str | None = None
    flags: list[str] = field(default_factory=list)
    expect_fail: bool = False


def read_case(path: Path) -> Case:
    case = Case(path.stem, "")
    body: list[str] = []
    output: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("=== flags:"):
            case.flags = shlex.split(line.removeprefix("=== flags:"))
        elif line.startswith("=== expect: fail"):
            case.expect_fail = True
        elif line.rstrip("\n") == "=== output":
            output = []
        elif output is not None:
            output.append(line)
        else:
            body.append(line)
    case.text = "".join(body)
    case.output = "".join(output) if output is not None else None
    return case


def fix_case(case: Case) -> tuple[str, list[str]]:
    paths = builtin_pack_paths()
    accept = {Safety.AUTO}
    args = iter(case.flags)
    for flag in args:
        if flag == "--accept-review":
            accept.add(Safety.REVIEW)
        elif flag == "--rules":
            paths.append(HERE / "packs" / next(args))
        elif flag == "--no-default-rules":
            paths = [p for p in paths if p.parent.name != "rules"]
        else:
            raise ValueError(f"{case.name}: unknown flag {flag}")
    result = Engine(load_rules(paths)).fix_text(case.text, FixOptions(accept=frozenset(accept)))
    return result.text or "", [e.rule_id for e in result.applied]


CASES = sorted((HERE / "cases").glob("*.case"))


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True)) if read_case(p).expect_fail else p
        for p in CASES
    ],
    ids=[p.stem for p in CASES],
)
def test_case(path: Path) -> None:
    case = read_case(path)
    actual, applied = fix_case(case)
    expected = case.text if case.output is None else case.output
    assert_same(expected, actual, path.name, applied)
    again, _ = fix_case(Case(case.name, actual, flags=case.flags))
    assert_same(actual, again, f"{path.name} (second run)", applied)

"""The run layer (cleanup/run.py) and its sink: options that cannot work together are
refused in one line before anything is read or written, a review that quits writes
nothing, and the library runs fix, standard input and review alike."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

from cleanup import Engine, FixOptions, load_rules
from cleanup.edit import Edit
from cleanup.review import Decisions, FileReviewer, Review
from cleanup.run import Console, RunRequest, run
from cleanup.sink import Destination

PACK = """\
pack: t
phrases:
  - find: solar conflict
    replace: Karabakh conflict
"""
TEXT = "The solar conflict went on.\n"
CLEANED = "The Karabakh conflict went on.\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def own(*args: str) -> list[str]:
    return [*args, "--no-default-rules", "--rules", "pack.yaml"]


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["fix", "-", "--report", "r.html"], "--report needs files"),
        (["fix", "-", "--in-place"], "--in-place cannot rewrite '-'"),
        (["fix", "a.txt", "--in-place", "--out", "elsewhere"], "--in-place and --out"),
        (["review", "a.txt", "--in-place", "--out", "elsewhere", "--accept", "t"], "--out"),
        (["fix", "a.txt", "-"], "cannot be mixed"),
        (["fix", "a.txt", "--in-place", "--check"], "--in-place cannot be combined"),
        (["fix", "a.txt", "--diff", "--format", "json"], "pick one"),
    ],
)
def test_options_that_cannot_work_together_are_refused_in_one_line(
    work: Path, args: list[str], why: str
) -> None:
    proc = run_cleanup(*own(*args), cwd=work, input=TEXT.encode())
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and why in lines[0], lines
    assert proc.stdout == b""
    # Nothing is read or written: no report, no out folder, the input unchanged.
    assert sorted(p.name for p in work.iterdir()) == ["a.txt", "pack.yaml"]
    assert (work / "a.txt").read_text(encoding="utf-8") == TEXT


def test_in_place_with_the_default_out_is_not_refused(work: Path) -> None:
    proc = run_cleanup(*own("fix", "a.txt", "--in-place"), cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert (work / "a.txt").read_text(encoding="utf-8") == CLEANED


class Quitter:
    """A reviewer who accepts every edit of the first file and quits on the second."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @property
    def quit(self) -> bool:
        return len(self.seen) > 1

    def decide_all(
        self, engine: Engine, texts: Sequence[tuple[str, str]], docs: object = None
    ) -> list[list[Edit]]:
        out = []
        for label, text in texts:
            self.seen.append(label)
            if self.quit:
                break
            out.append(engine.fix_text(text).applied)
        return out


def _console(stdin: bytes = b"") -> tuple[Console, io.BytesIO, list[str]]:
    out = io.BytesIO()
    echoed: list[str] = []
    console = Console(echo=echoed.append, stdout=out, stdin=io.BytesIO(stdin))
    return console, out, echoed


def test_a_review_that_quits_leaves_an_earlier_output_alone(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(work)
    (work / "b.txt").write_text(TEXT, encoding="utf-8")
    engine = Engine(load_rules([work / "pack.yaml"]))
    finished = run(engine, RunRequest(paths=(Path("a.txt"), Path("b.txt"))), _console()[0])
    assert finished.exit_code == 0 and finished.patch == Path("cleaned/cleanup.patch")
    before = {p: p.read_bytes() for p in sorted((work / "cleaned").rglob("*"))}
    assert b"+The Karabakh conflict" in before[work / "cleaned" / "cleanup.patch"]

    request = RunRequest(paths=(Path("a.txt"), Path("b.txt")), review=Quitter())
    quit = run(engine, request, _console()[0])
    assert quit.quit and quit.patch is None and quit.exit_code == 0
    assert {p: p.read_bytes() for p in sorted((work / "cleaned").rglob("*"))} == before


def test_a_review_that_finishes_writes_the_accepted_edits_and_the_patch(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(work)
    engine = Engine(load_rules([work / "pack.yaml"]))
    reviewer = FileReviewer(Review(Decisions(None), accept=["t"]))
    result = run(engine, RunRequest(paths=(Path("a.txt"),), review=reviewer), _console()[0])
    assert result.exit_code == 0 and reviewer.counts() == "1 accepted, 0 rejected, 0 undecided"
    assert (work / "cleaned" / "a.txt").read_text(encoding="utf-8") == CLEANED
    copy = work / "copy"
    copy.mkdir()
    (copy / "a.txt").write_text(TEXT, encoding="utf-8")
    patch = (work / "cleaned" / "cleanup.patch").read_bytes()
    assert subprocess.run(["git", "apply", "-"], input=patch, cwd=copy).returncode == 0
    assert (copy / "a.txt").read_text(encoding="utf-8") == CLEANED


@pytest.mark.parametrize(
    ("request_args", "stdout", "destination"),
    [
        ({}, CLEANED.encode(), Destination.STDOUT),
        ({"check": True}, b"", Destination.NOTHING),
        ({"json": True, "check": True}, b"", Destination.NOTHING),
    ],
)
def test_standard_input_runs_through_the_same_function(
    work: Path, request_args: dict[str, bool], stdout: bytes, destination: Destination
) -> None:
    engine = Engine(load_rules([work / "pack.yaml"]))
    console, out, _ = _console(TEXT.encode())
    result = run(engine, RunRequest(paths=(Path("-"),), **request_args), console)
    assert out.getvalue() == stdout
    assert result.sink.destination is destination
    assert result.exit_code == (1 if request_args.get("check") else 0)
    (outcome,) = result.report.outcomes
    assert outcome.changed and bool(list(outcome.iter_findings())) == bool(request_args.get("json"))


def test_standard_input_diff_goes_to_the_echo(work: Path) -> None:
    engine = Engine(load_rules([work / "pack.yaml"]))
    console, out, echoed = _console(TEXT.encode())
    request = RunRequest(paths=(Path("-"),), show_diff=True, diff_format="unified")
    run(engine, request, console)
    assert out.getvalue() == b""
    assert "".join(echoed).splitlines()[-2:] == ["-" + TEXT.strip(), "+" + CLEANED.strip()]


def test_check_writes_nothing_and_exits_1(work: Path) -> None:
    options = FixOptions(select=("t",))
    engine = Engine(load_rules([work / "pack.yaml"], keep=options.wants))
    console, _, _ = _console()
    request = RunRequest(paths=(work / "a.txt",), check=True, options=options)
    result = run(engine, request, console)
    assert result.exit_code == 1 and result.sink.verb == "would change"
    assert (work / "a.txt").read_text(encoding="utf-8") == TEXT
    assert not (work / "cleaned").exists()

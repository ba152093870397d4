"""Runs that stay flat in memory whatever the outputs, streamed JSON and diffs, forked
workers, and the progress bar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanup import Engine, load_rules
from cleanup.diff import unified_diff, word_diff
from cleanup.outcome import FileJob, FileOutcome, count_findings
from cleanup.outputs import pieces
from cleanup.spool import FindingSpool
from cleanup.textio import iter_lines, iter_pieces, split_lines
from tests.cli_helpers import CLEANUP, run_cleanup

PACK = """\
pack: t
phrases:
  - find: solar conflict
    replace: Karabakh conflict
  - find: three-sided
    replace: trilateral
names:
  - canonical: Lachin
    category: place
    variants: [Latchin]
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "pack.yaml").write_text(PACK)
    return tmp_path


@pytest.fixture
def engine(work: Path) -> Engine:
    return Engine(load_rules([work / "pack.yaml"]))


def _peak_kb(args: list[str], cwd: Path, stdin: Path | None = None) -> tuple[int, int]:
    """Run the command in a child of a fresh interpreter; its exit status and peak RSS."""
    code = textwrap.dedent(
        """
        import resource, subprocess, sys
        stdin = open(sys.argv[1], "rb") if sys.argv[1] else None
        rc = subprocess.run(sys.argv[2:], stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
        print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(stdin or ""), CLEANUP, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    rc, kb = out.stdout.split()
    return int(rc), int(kb)


TEXTS = st.lists(
    st.text(alphabet="ab \n«»—é.solar conflict three-sided Latchin", max_size=200), max_size=4
)


@settings(deadline=None)
@given(TEXTS, st.sampled_from(["json", "jsonl", "sarif", "github"]))
def test_streamed_outputs_are_those_of_everything_at_once(texts: list[str], fmt: str) -> None:
    """Every machine format, written piece by piece from spooled findings, gives the bytes
    it gives from findings held in lists, and JSON as ``json.dumps(indent=2)`` writes it."""
    engine = _engine()
    held, spooled = [], []
    folder = Path(tempfile.mkdtemp())
    for i, text in enumerate(texts):
        findings = engine.fix_text(text).findings
        job = FileJob(Path(f"f{i}"), f"f{i} «é»")
        error = "" if i else "x"
        held.append(FileOutcome(job, count_findings(findings), findings, error=error))
        with FindingSpool(folder / f"{i}.findings") as spool:
            for finding in findings:
                spool(finding)
        spooled.append(FileOutcome(job, spool.counts, error=error, spool=spool.path))
    rules = {"t.solar-conflict": ("pack.yaml", "why")}
    whole = "".join(pieces(fmt, held, rules))
    assert "".join(pieces(fmt, spooled, rules)) == whole
    if fmt in ("json", "sarif"):
        assert json.dumps(json.loads(whole), ensure_ascii=False, indent=2) + "\n" == whole
    elif fmt == "jsonl":
        assert all(json.loads(line) for line in whole.splitlines())


_ENGINE: list[Engine] = []


def _engine() -> Engine:
    """One engine for every example of a property."""
    if not _ENGINE:
        import tempfile

        path = Path(tempfile.mkdtemp()) / "pack.yaml"
        path.write_text(PACK)
        _ENGINE.append(Engine(load_rules([path])))
    return _ENGINE[0]


@settings(deadline=None)
@given(
    st.text(alphabet="ab\n solar conflict Latchin three-sided\r", max_size=300),
    st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=5),
)
def test_a_diff_read_in_pieces_is_the_diff_of_the_text_held_whole(
    text: str, cuts: list[int]
) -> None:
    engine = _engine()
    applied = engine.fix_text(text).applied
    pieces: list[str] = []
    for line in split_lines(text):  # every line cut in pieces of the given sizes, in turn
        at, k = 0, 0
        while at < len(line):
            size = cuts[k % len(cuts)]
            pieces.append(line[at : at + size])
            at, k = at + size, k + 1

    def read() -> Iterator[str]:
        return iter(pieces)

    # Read in pieces, and held whole (the diff cut from the text): the same diff.
    assert "".join(unified_diff("x", read, applied)) == "".join(unified_diff("x", text, applied))
    words = "".join(word_diff("x", text, applied, color=False))
    assert "".join(word_diff("x", read, applied, color=False)) == words


def test_pieces_of_a_file_keep_characters_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("éé" * 5 + "\nab\n" + "ж" * 7, encoding="utf-8")
    pieces = list(iter_pieces(path, size=3))
    assert "".join(pieces) == path.read_text(encoding="utf-8")
    assert all(len(p.encode()) <= 4 for p in pieces)
    assert "".join(iter_lines(path)) == "".join(pieces)


def test_findings_are_counted_not_held_unless_spooled(engine: Engine, tmp_path: Path) -> None:
    text = "The solar conflict.\n" * 50
    counted = FindingSpool()
    engine.fix_stream([text], lambda _: None, emit=counted)
    spool = tmp_path / "f.findings"
    with FindingSpool(spool, keep_applied=True) as kept:
        result = engine.fix_stream([text], lambda _: None, emit=kept)
    assert result.findings == []  # the engine keeps no list when findings are emitted
    assert counted.counts == kept.counts and sum(counted.counts.values()) == 50
    assert counted.applied == [] and len(kept.applied) == 50
    outcome = FileOutcome(FileJob(Path("x"), "x"), kept.counts, spool=spool)
    assert list(outcome.iter_findings()) == engine.fix_text(text).findings


def test_a_tally_counts_and_keeps_what_emitted_findings_give(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that needs no findings' lines and columns has each block tallied: the same
    counts (applied, pending and dropped) and the same applied edits, spilt to their file
    in batches, as when every finding is emitted, and as one text held whole."""
    (work / "more.yaml").write_text(
        "pack: u\nphrases:\n  - find: Line\n    replace: Row\n    safety: review\n"
        "patterns:\n  - id: near\n    regex: 'conflict in Latchin'\n"
        "    replace: conflict near Lachin\n    safety: auto\n"
    )
    engine = Engine(load_rules([work / "pack.yaml", work / "more.yaml"]))
    monkeypatch.setattr("cleanup.spool.SPILL_EDITS", 1000)
    monkeypatch.setattr("cleanup.engine.BLOCK_CHARS", 64 * 1024)  # several blocks
    text = "".join(f"Line {i}: the solar conflict in Latchin.\n" for i in range(6_000))
    chunks = [text[i : i + 65_537] for i in range(0, len(text), 65_537)]
    emitted = FindingSpool(keep_applied=True, applied_to=work / "emitted.edits")
    engine.fix_stream(chunks, lambda _: None, emit=emitted)
    tallied = FindingSpool(keep_applied=True, applied_to=work / "tallied.edits")
    result = engine.fix_stream(chunks, lambda _: None, tally=tallied.tally)
    emitted.close()
    tallied.close()
    assert result.findings == []
    assert tallied.counts == emitted.counts == count_findings(engine.fix_text(text).findings)
    statuses = {status.value for _, status, _ in tallied.counts}
    assert statuses == {"applied", "pending", "dropped"}
    assert (tallied.size, tallied.changed) == (emitted.size, emitted.changed)
    assert (work / "tallied.edits").stat().st_size > 0  # the edits went to disk in batches
    assert list(tallied.iter_applied()) == list(emitted.iter_applied())
    assert list(tallied.iter_applied()) == engine.fix_text(text).applied


def test_dense_edits_keep_blocks_small_and_results_equal(engine: Engine) -> None:
    text = "".join(f"Line {i}: the solar conflict in Latchin.\n" for i in range(30_000))
    whole = engine.fix_text(text)
    pieces: list[str] = []
    streamed = engine.fix_stream(
        [text[i : i + 100_003] for i in range(0, len(text), 100_003)], pieces.append
    )
    assert "".join(pieces) == whole.text
    assert streamed.findings == whole.findings


def _long_line(path: Path, megabytes: int) -> None:
    unit = "The talks went on in Vienna today, and nothing else happened. " * 300
    unit += "They spoke about the solar conflict. "
    with path.open("w") as handle:
        for _ in range(megabytes * 1_000_000 // len(unit)):
            handle.write(unit)


@pytest.mark.slow
def test_a_long_line_with_json_report_and_patch_stays_flat(work: Path) -> None:
    _long_line(work / "long.txt", 40)
    args = ["fix", "long.txt", "--out", "out", "--no-default-rules", "--rules", "pack.yaml"]
    rc, kb = _peak_kb([*args, "-j", "1", "--format", "json", "--report", "r.html"], work)
    assert rc == 0
    # Held whole, the 40 MB line and its copies would take several hundred MB.
    assert kb < 200_000, f"peak RSS {kb} KB"
    patch = (work / "out" / "cleanup.patch").read_text()
    # Two headers, a hunk header, the line before and after, each with the marker.
    assert patch.count("\n") == 7 and patch.count("\\ No newline at end of file") == 2
    check = subprocess.run(
        ["patch", "-p1", "--dry-run", "-i", "out/cleanup.patch"], cwd=work, capture_output=True
    )
    assert check.returncode == 0, check.stdout


@pytest.mark.slow
def test_standard_input_streams(work: Path) -> None:
    _long_line(work / "long.txt", 60)
    args = ["fix", "-", "--no-default-rules", "--rules", "pack.yaml"]
    rc, kb = _peak_kb(args, work, stdin=work / "long.txt")
    assert rc == 0
    assert kb < 150_000, f"peak RSS {kb} KB"


@pytest.mark.slow
def test_an_edit_on_every_line_does_not_grow_memory(work: Path) -> None:
    with (work / "dense.txt").open("w") as handle:
        for i in range(400_000):
            handle.write(f"Line {i}: the solar conflict.\n")
    args = ["fix", "dense.txt", "--in-place", "--no-default-rules", "--rules", "pack.yaml"]
    rc, kb = _peak_kb([*args, "-j", "1"], work)
    assert rc == 0
    assert kb < 200_000, f"peak RSS {kb} KB"
    assert (work / "dense.txt").read_text().count("Karabakh conflict") == 400_000


@pytest.mark.parametrize("every", [10, 3])
def test_a_streamed_files_patch_does_not_hold_its_edits(work: Path, every: int) -> None:
    """The applied edits of a streamed file wait for its diff in a spool file, and its
    hunks are written as they are made: ten times the edits, about the same memory. With
    an edit every third line the whole file is one hunk, read from the spool as it is
    written."""
    line = "The talks went on for hours, and nothing else was said today at all.\n"
    edit = "The solar conflict was the topic of the three-sided statement today.\n"
    peaks = []
    base = 60_000 // every
    for repeat in (base, base * 10):  # 4 MB and 41 MB
        (work / "sparse.txt").write_text((line * (every - 1) + edit) * repeat)
        args = ["fix", "sparse.txt", "--out", "out", "--no-default-rules", "--rules", "pack.yaml"]
        rc, kb = _peak_kb([*args, "-j", "1"], work)
        assert rc == 0
        peaks.append(kb)
        patch = (work / "out" / "cleanup.patch").read_text()
        assert patch.count("+The Karabakh conflict") == repeat
        assert patch.count("\n@@ ") == (repeat if every > 7 else 1)
    # Held in memory, the 108,000 more edits and their hunks took about 70 MB more (an
    # edit every third line, in one hunk: 360,000 more edits, 120 MB more).
    assert peaks[1] - peaks[0] < 35_000, peaks


def test_jobs_give_the_same_bytes(work: Path) -> None:
    (work / "in").mkdir()
    for i in range(40):
        (work / "in" / f"{i:02}.txt").write_text(
            f"File {i}: the solar conflict in Latchin.\n" * (i + 1)
        )
    outs = []
    for jobs in ("1", "2"):
        r = run_cleanup(
            "fix",
            "in",
            "--out",
            f"o{jobs}",
            "-j",
            jobs,
            "--format",
            "json",
            "--no-default-rules",
            "--rules",
            "pack.yaml",
            cwd=work,
        )
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout.replace(f"o{jobs}/".encode(), b"O/"))
    assert outs[0] == outs[1]
    assert (work / "o1" / "cleanup.patch").read_bytes() == (
        work / "o2" / "cleanup.patch"
    ).read_bytes()


def _progress_corpus(work: Path) -> None:
    (work / "in").mkdir()
    text = "The talks on the solar conflict went on in Latchin. " * 4000
    for i in range(30):
        (work / "in" / f"{i:02}.txt").write_text(text)


def _in_terminal(work: Path, *args: str) -> str:
    child = pexpect.spawn(
        CLEANUP,
        list(args),
        cwd=str(work),
        timeout=300,
        dimensions=(24, 160),
        env={**os.environ, "TERM": "xterm", "COLUMNS": "160"},
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.before.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_long_run_shows_progress_on_a_terminal_only(work: Path) -> None:
    _progress_corpus(work)
    slow = ("fix", "in", "--check", "-j", "1")  # the bundled packs: a run of seconds
    shown = _in_terminal(work, *slow)
    assert "30/30 files" in shown and "edits" in shown and "MB" in shown, shown
    piped = run_cleanup(*slow, cwd=work, timeout=300)
    assert piped.returncode == 1, piped.stderr
    assert b"30/30 files" not in piped.stderr and b"\x1b[" not in piped.stderr
    quiet = _in_terminal(work, *slow, "--quiet")
    assert "files" not in quiet and "edits" not in quiet, quiet


def test_quiet_prints_only_errors(work: Path) -> None:
    (work / "a.txt").write_text("The solar conflict.\n")
    (work / "b.txt").write_bytes(b"ab\xff")
    r = run_cleanup(
        "fix",
        "a.txt",
        "b.txt",
        "--check",
        "--quiet",
        "--no-default-rules",
        "--rules",
        "pack.yaml",
        cwd=work,
    )
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == [
        "error: b.txt: not UTF-8: invalid byte 0xff at byte 2; convert it to UTF-8 first"
        " (or name its encoding with --encoding)"
    ]

"""Rule ids on the command line: comma lists, and typos refused with a suggestion."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

from cleanup.errors import CleanupError
from cleanup.selection import check_ids, split_ids
from cleanup.terminal import use_color

PACK = """\
pack: t
phrases:
  - find: solar conflict
    replace: Karabakh conflict
  - find: lasting world
    replace: lasting peace
  - find: very unique
    replace: unique
    safety: review
"""


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    return (
        f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n"
        f"{proc.stdout.decode(errors='replace')}--- stderr\n{proc.stderr.decode(errors='replace')}"
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "pack.yaml").write_text(PACK)
    (tmp_path / "a.txt").write_text("the solar conflict, a lasting world, very unique\n")
    return tmp_path


def fix(work: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return run_cleanup(
        "fix", "a.txt", *args, "--no-default-rules", "--rules", "pack.yaml", cwd=work
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--ignore", "t.solar-conflit"],
            "--ignore t.solar-conflit: no loaded rule has that id or pack; did you mean 't.solar-conflict'?",
        ),
        (["--select", "nosuchpack"], "--select nosuchpack: no loaded rule has that id or pack"),
        (["--select", "t,tt"], "--select tt:"),
        (["--safety", "t.lasting=review"], "--safety t.lasting: no loaded rule"),
    ],
)
def test_unknown_ids_are_errors(work: Path, args: list[str], says: str) -> None:
    proc = fix(work, *args)
    assert proc.returncode == 2, explain(proc)
    assert proc.stderr.decode().startswith(f"error: {says}"), explain(proc)
    assert not (work / "cleaned").exists()


def test_comma_lists(work: Path) -> None:
    proc = fix(work, "--ignore", "t.solar-conflict,t.lasting-world")
    assert proc.returncode == 0, explain(proc)
    assert (
        work / "cleaned/a.txt"
    ).read_text() == "the solar conflict, a lasting world, very unique\n"


def test_an_ignored_id_is_known_although_left_out(work: Path) -> None:
    proc = fix(work, "--select", "t.solar-conflict", "--ignore", "t.lasting-world")
    assert proc.returncode == 0, explain(proc)


def test_review_accept_and_reject_ids_are_checked(work: Path) -> None:
    proc = run_cleanup(
        "review",
        "a.txt",
        "--reject",
        "t.very-uniqe",
        "--no-default-rules",
        "--rules",
        "pack.yaml",
        cwd=work,
    )
    assert proc.returncode == 2, explain(proc)
    assert b"did you mean 't.very-unique'?" in proc.stderr


def test_dynamic_ids_pass() -> None:
    check_ids("--ignore", ["fuzzy", "languagetool:X", "names.consistency"], ["t.a"])
    with pytest.raises(CleanupError):
        check_ids("--ignore", ["t.b"], ["t.a"])
    assert split_ids(["a,,b", ""]) == ("a", "b")


def test_status_words_and_dry_runs(work: Path) -> None:
    proc = fix(work, "--check")
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "2 edits would apply, by rule:" in err and "edits applied" not in err, err
    assert "a.txt: 2 would apply, 1 review" in err, err
    assert "1 review edit (not applied" in err, err


def test_quiet_prints_nothing_but_errors(work: Path) -> None:
    proc = fix(work, "--quiet")
    assert proc.returncode == 0 and proc.stderr == b"", explain(proc)
    (work / "b.txt").write_bytes(b"\xff")
    proc = run_cleanup(
        "fix", "a.txt", "b.txt", "-q", "--no-default-rules", "--rules", "pack.yaml", cwd=work
    )
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        "error: b.txt: not UTF-8: invalid byte 0xff at byte 0; convert it to UTF-8 first "
        "(or name its encoding with --encoding)"
    ]


def test_verbose_lists_every_file(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(PACK)
    for i in range(25):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{i:02}.txt").write_text("the solar conflict\n")
    args = ["fix", "in", "--no-default-rules", "--rules", "pack.yaml"]
    short = run_cleanup(*args, cwd=tmp_path).stderr.decode()
    assert "... and 5 more files (--verbose)" in short and "in/24.txt" not in short, short
    full = run_cleanup(*args, "--verbose", cwd=tmp_path).stderr.decode()
    assert "in/24.txt: 1 applied" in full and "more files" not in full, full


@pytest.mark.parametrize(
    ("choice", "env", "expected"),
    [
        ("auto", {}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "0"}, False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
    ],
)
def test_use_color(choice: str, env: dict[str, str], expected: bool) -> None:
    import io

    assert use_color(choice, io.StringIO(), env) is expected


def test_color_on_the_word_diff(work: Path) -> None:
    args = ["a.txt", "--diff", "--diff-format", "words"]
    plain = fix(work, *args)
    assert b"\x1b[" not in plain.stdout, explain(plain)
    colored = fix(work, *args, "--color", "always")
    assert b"\x1b[" in colored.stdout, explain(colored)

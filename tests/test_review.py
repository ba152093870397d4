"""`cleanup review`: a real terminal session (pexpect), resuming, scripted decisions and
decisions that grow the reviewer's rule file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).parent.parent
CLEANUP = str(Path(sys.executable).parent / "cleanup")
TEXT = (
    "Three-way talks on the solar conflict went on in Gadrut.\n"
    "The cease-fire mode holds, said Pashinian.\n"
    "Dear Nikol Vovaevich! Read the three-sided statement.\n"
)


def spawn(cwd: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        CLEANUP,
        ["review", "text.txt", "--decisions", "d.json", "--rules-file", "mine.yaml", *args],
        cwd=str(cwd),
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 200),
    )
    return child


def answer(child: pexpect.spawn, number: int, total: int, key: str) -> str:
    child.expect(rf"\[{number}/{total}\] text.txt:(\d+):(\d+)")
    child.expect(r"\[q\]uit: ")
    shown = child.before
    child.send(key)
    return shown


def test_terminal_review_quit_resume_and_rule_growth(tmp_path):
    (tmp_path / "text.txt").write_text(TEXT, encoding="utf-8")
    child = spawn(tmp_path)
    first = answer(child, 1, 7, "y")  # Three-way -> Trilateral
    assert "calques.trilateral" in first and "Three-way" in first
    answer(child, 2, 7, "n")  # solar conflict: rejected
    answer(child, 3, 7, "N")  # Gadrut: rejected, and never again in this text
    answer(child, 4, 7, "q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    saved = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    verdicts = sorted((e["before"], e["decision"]) for e in saved["edits"].values())
    assert verdicts == [("Gadrut", "reject"), ("Three-way", "accept"), ("solar conflict", "reject")]
    # Quitting writes nothing: it must never replace what an earlier review wrote.
    assert not (tmp_path / "cleaned").exists()
    mine = (tmp_path / "mine.yaml").read_text(encoding="utf-8")
    assert "caucasus-names.hadrut:" in mine and "in Gadrut." in mine

    # Resume: the three decided edits are not asked again; Gadrut is no longer proposed.
    child = spawn(tmp_path)
    answer(child, 3, 6, "u")  # nothing decided in this session yet: stays on the same item
    answer(child, 3, 6, "e")
    child.expect("replacement")
    child.sendline("ceasefire")
    answer(child, 4, 6, "y")
    answer(child, 5, 6, "u")  # undo the last answer: item 4 is asked again
    answer(child, 4, 6, "n")
    answer(child, 5, 6, "a")  # accept this and every later edit of the rule
    answer(child, 6, 6, "y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    out = (tmp_path / "cleaned" / "text.txt").read_text(encoding="utf-8")
    assert "The ceasefire holds" in out
    patch = (tmp_path / "cleaned" / "cleanup.patch").read_text(encoding="utf-8")
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(tmp_path / "text.txt", copy / "text.txt")
    applied = subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=copy)
    assert applied.returncode == 0
    assert (copy / "text.txt").read_text(encoding="utf-8") == out

    # The exception keeps 'cleanup fix' away from that Gadrut too.
    fixed = subprocess.run(
        [CLEANUP, "fix", "-", "--rules", "mine.yaml"],
        input=TEXT,
        text=True,
        capture_output=True,
        cwd=tmp_path,
    )
    assert "in Gadrut." in fixed.stdout


def test_quitting_a_review_keeps_what_an_earlier_review_wrote(tmp_path):
    (tmp_path / "text.txt").write_text(TEXT, encoding="utf-8")
    done = subprocess.run(
        [CLEANUP, "review", "text.txt", "--accept", "calques", "--decisions", "first.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    written = {p: p.read_bytes() for p in sorted((tmp_path / "cleaned").iterdir())}
    assert b"trilateral" in written[tmp_path / "cleaned" / "cleanup.patch"]
    child = spawn(tmp_path)
    answer(child, 1, 7, "y")
    answer(child, 2, 7, "q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "quit: nothing written" in child.before
    assert {p: p.read_bytes() for p in sorted((tmp_path / "cleaned").iterdir())} == written


def test_edit_always_adds_a_rule_with_its_example(tmp_path):
    (tmp_path / "text.txt").write_text("The safety of motion matters.\n", encoding="utf-8")
    child = spawn(tmp_path)
    answer(child, 1, 1, "E")
    child.expect("replacement")
    child.sendline("traffic safety")
    child.expect(pexpect.EOF)
    child.close()
    mine = (tmp_path / "mine.yaml").read_text(encoding="utf-8")
    assert "find: safety of motion" in mine and "replace: traffic safety" in mine
    tested = subprocess.run(
        [CLEANUP, "rules", "test", "mine.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stdout


def test_scripted_review_without_terminal(tmp_path):
    (tmp_path / "text.txt").write_text(TEXT, encoding="utf-8")
    refused = subprocess.run(
        [CLEANUP, "review", "text.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode == 2 and "no terminal" in refused.stderr
    assert not (tmp_path / "cleaned").exists()
    run = subprocess.run(
        [
            CLEANUP,
            "review",
            "text.txt",
            "--accept",
            "calques",
            "--reject",
            "caucasus-names",
            "--decisions",
            "d.json",
            "--in-place",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 0, run.stderr
    text = (tmp_path / "text.txt").read_text(encoding="utf-8")
    assert text.startswith("Trilateral talks on the Karabakh conflict went on in Gadrut.\n")
    assert "Pashinian" in text
    # The saved decisions replay on their own.
    (tmp_path / "again.txt").write_text(TEXT, encoding="utf-8")
    replay = subprocess.run(
        [CLEANUP, "review", "again.txt", "--decisions", "d.json", "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert replay.returncode == 0, replay.stderr
    assert (tmp_path / "out" / "again.txt").read_text(encoding="utf-8") == text


def test_edit_always_on_a_pattern_rule_writes_a_rule_that_wins(tmp_path):
    (tmp_path / "text.txt").write_text("Then the president of Aliyev said no.\n", encoding="utf-8")
    child = spawn(
        tmp_path,
        "--no-default-rules",
        "--rules",
        str(ROOT / "rules" / "calques.yaml"),
        "--rules",
        str(ROOT / "rules" / "caucasus-names.yaml"),
    )
    shown = answer(child, 1, 1, "E")
    assert "calques.president-of-surname" in shown, shown
    child.expect("replacement")
    child.sendline("Azerbaijani President")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    tested = subprocess.run(
        [CLEANUP, "rules", "test", "mine.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stdout + (tmp_path / "mine.yaml").read_text()
    fixed = subprocess.run(
        [CLEANUP, "fix", "-", "--rules", "mine.yaml", "--accept-review"],
        input="Then the president of Aliyev said no.\n",
        text=True,
        capture_output=True,
        cwd=tmp_path,
    )
    assert fixed.stdout == "Then the Azerbaijani President Aliyev said no.\n", fixed.stderr


def test_help_unknown_keys_marks_and_n_without_rules_file(tmp_path):
    (tmp_path / "a.txt").write_text("First line.\nThe solar conflict.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("A lasting world.\n", encoding="utf-8")
    child = pexpect.spawn(
        CLEANUP,
        ["review", "a.txt", "b.txt", "--decisions", "d.json"],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 200),
        env={**__import__("os").environ, "NO_COLOR": "1"},
    )
    child.expect(r"\[1/2\] a.txt:2:5")
    child.expect(r"\[q\]uit: ")
    shown = child.before
    assert "| First line.\r\n  | The [-solar conflict-]{+Karabakh conflict+}." in shown, shown
    child.send("x")
    child.expect("no key 'x' here; \\? shows the keys")
    child.send("?")
    child.expect("undo the last answer")
    child.send("y")
    child.expect(r"\[2/2\] b.txt:1:11")
    child.expect(r"\[q\]uit: ")
    child.send("u")  # back into the previous file
    child.expect(r"\[1/2\] a.txt:2:5")
    child.expect(r"\[q\]uit: ")
    child.send("N")
    child.expect("no --rules-file: an exception cannot be written")
    child.expect(r"\[2/2\] b.txt")
    child.expect(r"\[q\]uit: ")
    child.send("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert (tmp_path / "cleaned" / "a.txt").read_text() == "First line.\nThe solar conflict.\n"
    assert (tmp_path / "cleaned" / "b.txt").read_text() == "A lasting peace.\n"

"""`cleanup review` reads every format as `fix` does: only translatable text is proposed,
and what is accepted is written back in the format, parsing as before."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_helpers import CLEANUP, run_cleanup

GOLDEN = Path(__file__).parent / "golden" / "formats"
PACKS = sorted(
    p.stem for p in (Path(__file__).parent.parent / "rules").glob("*.yaml") if p.stem != "grammar"
)


FRONT = ("--front-matter-keys", "title")
OUT = ("--out", "out", "--decisions", "d.json")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}


def test_accepting_every_proposal_writes_what_fix_writes_with_every_rule_auto(
    tmp_path: Path,
) -> None:
    (tmp_path / "in").mkdir()
    for source in GOLDEN.iterdir():
        if ".out." not in source.name:
            shutil.copyfile(source, tmp_path / "in" / source.name)
    before = _tree(tmp_path / "in")
    reviewed = subprocess.run(
        [CLEANUP, "review", "in", "--accept", ",".join(PACKS), "--out", "rev", *FRONT],
        cwd=tmp_path,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert reviewed.returncode == 0, reviewed.stderr.decode()
    safety = [arg for pack in PACKS for arg in ("--safety", f"{pack}=auto")]
    fixed = run_cleanup("fix", "in", *safety, "--out", "fix", *FRONT, cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr.decode()
    # The same files and patch: markup, code, ids, sources and timings were never proposed,
    # escapes and entities are written back, an emptied subtitle cue is removed.
    rev, fix = _tree(tmp_path / "rev"), _tree(tmp_path / "fix")
    assert rev.keys() == fix.keys() and len(rev) == len(before) + 1  # and the patch
    for name in fix:
        assert rev[name] == fix[name], name
    assert _tree(tmp_path / "in") == before
    assert "0 undecided" in reviewed.stderr.decode()


def test_a_bad_structured_file_is_one_error_and_the_others_are_reviewed(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"text": "The solar conflict."}\n{"text": \n')
    (tmp_path / "good.md").write_text("The solar conflict.\n\n`solar conflict`\n")
    r = subprocess.run(
        [CLEANUP, "review", "bad.jsonl", "good.md", "--accept", "calques", "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 2
    assert [line for line in r.stderr.splitlines() if line.startswith("error:")] == [
        next(line for line in r.stderr.splitlines() if "bad.jsonl:2:" in line)
    ]
    assert (tmp_path / "out" / "good.md").read_text() == (
        "The Karabakh conflict.\n\n`solar conflict`\n"
    )
    assert not (tmp_path / "out" / "bad.jsonl").exists()


pexpect = pytest.importorskip("pexpect")

PACK = """\
pack: t
phrases:
  - find: solar conflict
    replace: Karabakh conflict
"""


def test_an_edited_replacement_is_written_in_the_format(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(PACK)
    rows = [{"id": "solar conflict", "text": "The solar conflict ended."}]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    child = pexpect.spawn(
        CLEANUP,
        ["review", "rows.jsonl", "--no-default-rules", "--rules", "t.yaml", *OUT],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 200),
    )
    child.expect(r"\[1/1\] rows.jsonl:1:(\d+)")  # the text field only, not the id
    child.expect(r"\[q\]uit: ")
    child.send("e")
    child.expect("replacement")
    child.sendline('"Karabakh" war')
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    out = (tmp_path / "out" / "rows.jsonl").read_text()
    assert [json.loads(line) for line in out.splitlines()] == [
        {"id": "solar conflict", "text": 'The "Karabakh" war ended.'}
    ]

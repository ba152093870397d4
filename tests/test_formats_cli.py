"""Formats through the installed command, as a user runs it: folders of every type, the
format options, standard input, bad structured input, and an exact patch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

GOLDEN = Path(__file__).parent / "golden" / "formats"
INPUTS = sorted(p.name for p in GOLDEN.iterdir() if ".out." not in p.name)


def _expected(name: str) -> bytes:
    p = GOLDEN / name
    return p.with_name(p.stem + ".out" + p.suffix).read_bytes()


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent)}
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, env=env, timeout=60)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    docs = tmp_path / "in"
    docs.mkdir()
    for name in INPUTS:
        shutil.copyfile(GOLDEN / name, docs / name)
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4 solar conflict")
    (docs / "notes.docx").write_bytes(b"PK solar conflict")
    return tmp_path


def test_a_folder_of_every_format_is_cleaned_and_the_patch_is_exact(work: Path) -> None:
    proc = run_cleanup("fix", "in", "--front-matter-keys", "title", "--jobs", "2", cwd=work)
    assert proc.returncode == 0, proc.stderr.decode()
    err = proc.stderr.decode()
    assert f"{len(INPUTS)} files read, {len(INPUTS)} changed" in err
    assert "skipped 2 files in folders: 2 not a supported type" in err
    for name in INPUTS:
        assert (work / "cleaned" / "in" / name).read_bytes() == _expected(name), name
        assert (work / "in" / name).read_bytes() == (GOLDEN / name).read_bytes()
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert _git(work, "init", "-q").returncode == 0
    applied = _git(work, "apply", "--whitespace=nowarn", "cleaned/cleanup.patch")
    assert applied.returncode == 0, applied.stderr.decode()
    for name in INPUTS:
        assert (work / "in" / name).read_bytes() == _expected(name), name
    assert (work / "in" / "scan.pdf").read_bytes() == b"%PDF-1.4 solar conflict"


def test_include_exclude_and_a_format_for_every_input(work: Path) -> None:
    proc = run_cleanup("fix", "in", "--include", "*.json*", "--exclude", "*.json", cwd=work)
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(p.name for p in (work / "cleaned" / "in").iterdir()) == ["dump.jsonl"]
    err = proc.stderr.decode()
    assert (
        "skipped 12 files in folders: 1 excluded by --exclude, 2 not a supported type, 9 not matched by --include"
        in err
    )
    (work / "in" / "dump.log").write_bytes((GOLDEN / "dump.jsonl").read_bytes())
    proc = run_cleanup("fix", "in/dump.log", "--input-format", "jsonl", "--out", "o", cwd=work)
    assert proc.returncode == 0, proc.stderr.decode()
    assert (work / "o" / "in" / "dump.log").read_bytes() == _expected("dump.jsonl")


def test_fields_columns_and_front_matter_keys(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        '{"text": "Gadrut", "title": "Gadrut", "url": "Gadrut"}\n', encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text("id,body,text\nGadrut,Gadrut,Gadrut\n", encoding="utf-8")
    (tmp_path / "c.md").write_text(
        "---\ntitle: Gadrut\nauthor: Gadrut\n---\nGadrut\n", encoding="utf-8"
    )
    proc = run_cleanup(
        "fix", ".", "--field", "text,title", "--column", "body", "--front-matter-keys", "author",
        "--in-place", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "a.jsonl").read_text(encoding="utf-8") == (
        '{"text": "Hadrut", "title": "Hadrut", "url": "Gadrut"}\n'
    )
    assert (tmp_path / "b.csv").read_text(
        encoding="utf-8"
    ) == "id,body,text\nGadrut,Hadrut,Gadrut\n"
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == (
        "---\ntitle: Gadrut\nauthor: Hadrut\n---\nHadrut\n"
    )


def test_standard_input_in_a_format(tmp_path: Path) -> None:
    line = b'{"id": "Gadrut", "text": "\\"We agree\\", - said Lavrov in Gadrut"}\n'
    proc = run_cleanup("fix", "-", "--input-format", "jsonl", cwd=tmp_path, input=line)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b'{"id": "Gadrut", "text": "\\"We agree,\\" said Lavrov in Hadrut"}\n'
    proc = run_cleanup("fix", "-", "--input-format", "jsonl", "--check", cwd=tmp_path, input=line)
    assert proc.returncode == 1 and proc.stdout == b""
    proc = run_cleanup(
        "fix",
        "-",
        "--input-format",
        "jsonl",
        "--format",
        "json",
        "--output-file",
        "findings.json",
        cwd=tmp_path,
        input=line,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b'{"id": "Gadrut", "text": "\\"We agree,\\" said Lavrov in Hadrut"}\n'
    report = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert report
    proc = run_cleanup("fix", "-", "--input-format", "jsonl", "--diff", cwd=tmp_path, input=line)
    assert b'+{"id": "Gadrut", "text": "\\"We agree,\\" said Lavrov in Hadrut"}' in proc.stdout


def test_bad_structured_input_is_one_error_and_the_other_files_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text(
        '{"text": "Gadrut"}\n' * 39 + '{"text": "Gadrut",}\n', encoding="utf-8"
    )
    (tmp_path / "bad.csv").write_text('id,text\n1,"Gadrut\n', encoding="utf-8")
    (tmp_path / "bad.xlf").write_text("<xliff>\n<target>Gadrut</source>\n", encoding="utf-8")
    (tmp_path / "good.jsonl").write_text('{"text": "Gadrut"}\n', encoding="utf-8")
    proc = run_cleanup("fix", ".", cwd=tmp_path)
    assert proc.returncode == 2
    errors = sorted(line for line in proc.stderr.decode().splitlines() if line.startswith("error:"))
    assert errors == [
        "error: bad.csv:2:3: unterminated quoted field (its closing quote is missing)",
        "error: bad.jsonl:40:19: not valid JSON: Expecting property name enclosed in double quotes",
        "error: bad.xlf:2:17: malformed XML: mismatched tag",
    ]
    assert sorted(p.name for p in (tmp_path / "cleaned").iterdir()) == [
        "cleanup.patch",
        "good.jsonl",
    ]
    assert (tmp_path / "cleaned" / "good.jsonl").read_text(
        encoding="utf-8"
    ) == '{"text": "Hadrut"}\n'


def test_help_names_the_format_options(tmp_path: Path) -> None:
    out = run_cleanup("fix", "--help", cwd=tmp_path).stdout.decode()
    for option in (
        "--input-format",
        "--field",
        "--column",
        "--front-matter-keys",
        "--include",
        "--exclude",
    ):
        assert option in out

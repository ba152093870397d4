"""--format json, jsonl, github and sarif: shapes checked against their schemas (SARIF's
official 2.1.0 schema, vendored in tests/data; ours in docs/), run as a user would."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import jsonschema
import pytest
from cli_helpers import run_cleanup

from cleanup.outcome import FileJob, FileOutcome
from cleanup.outputs import end_of, status_word, to_github

HERE = Path(__file__).parent
SARIF_SCHEMA = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FINDINGS_SCHEMA = json.loads(
    (HERE.parent / "docs" / "findings.schema.json").read_text(encoding="utf-8")
)

PACK = """\
pack: t
names:
  - canonical: Hadrut
    category: place
    variants: [Gadrut]
phrases:
  - find: very unique
    replace: unique
    safety: review
  - find: sunny conflict
    replace: Karabakh conflict
    safety: suggest
"""
TEXT = "First line.\nThe  town of Gadrut, a very unique place,\nand the sunny conflict.\n"


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    return (
        f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n"
        f"{proc.stdout.decode(errors='replace')}--- stderr\n{proc.stderr.decode(errors='replace')}"
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text("Nothing to do here.\n", encoding="utf-8")
    return tmp_path


def fix(
    work: Path, *args: str | Path, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return run_cleanup(
        "fix", *args, "--no-default-rules", "--rules", "pack.yaml", cwd=work, input=input
    )


def test_sarif_is_valid_sarif_2_1_0_with_locations_and_fixes(work: Path) -> None:
    proc = fix(work, "docs", "--format", "sarif")
    assert proc.returncode == 0, explain(proc)
    log = json.loads(proc.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "cleanup"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"t.hadrut", "t.very-unique", "t.sunny-conflict"}, by_rule
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(by_rule)
    hadrut = by_rule["t.hadrut"]
    region = hadrut["locations"][0]["physicalLocation"]["region"]
    assert hadrut["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/a.txt"
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 14, 20)
    (change,) = hadrut["fixes"][0]["artifactChanges"]
    assert change["replacements"][0]["insertedContent"]["text"] == "Hadrut"
    assert hadrut["level"] == "warning" and by_rule["t.very-unique"]["level"] == "note"
    assert by_rule["t.sunny-conflict"]["properties"]["status"] == "suggestion"
    assert not (work / "cleaned").exists(), "a machine format writes no cleaned files by itself"


def test_sarif_of_a_bad_input_is_still_valid_and_says_so(work: Path) -> None:
    (work / "docs" / "bad.txt").write_bytes(b"caf\xe9\n")
    out = work / "report.sarif"
    proc = fix(work, "docs", "--format", "sarif", "--output-file", out)
    assert proc.returncode == 2, explain(proc)
    assert proc.stdout == b"", "with --output-file, stdout stays empty"
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert "not UTF-8" in note["message"]["text"]


def test_json_matches_its_documented_schema(work: Path) -> None:
    proc = fix(work, "docs", "--format", "json")
    assert proc.returncode == 0, explain(proc)
    doc = json.loads(proc.stdout)
    jsonschema.Draft202012Validator(FINDINGS_SCHEMA).validate(doc)
    assert doc["totals"] == {"applied": 1, "review": 1, "suggestion": 1, "dropped": 0}
    statuses = {e["rule"]: e["status"] for f in doc["files"] for e in f["edits"]}
    assert statuses == {
        "t.hadrut": "applied",
        "t.very-unique": "review",
        "t.sunny-conflict": "suggestion",
    }
    assert not (work / "cleaned").exists()


def test_json_with_out_writes_the_cleaned_files_too(work: Path) -> None:
    proc = fix(work, "docs", "--format", "json", "--out", "clean")
    assert proc.returncode == 0, explain(proc)
    doc = json.loads(proc.stdout)
    assert (work / "clean" / "docs" / "a.txt").read_text(encoding="utf-8") == TEXT.replace(
        "Gadrut", "Hadrut"
    )
    outputs = {f["path"]: f["output"] for f in doc["files"]}
    assert outputs["docs/a.txt"] == str(Path("clean") / "docs" / "a.txt")


def test_jsonl_lines_match_the_schema_and_end_in_a_summary(work: Path) -> None:
    (work / "docs" / "bin.txt").write_bytes(b"a\0b")
    proc = fix(work, "docs", "--format", "jsonl")
    assert proc.returncode == 2, explain(proc)
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    validator = jsonschema.Draft202012Validator(FINDINGS_SCHEMA)
    for record in records:
        validator.validate(record)
    assert [r["type"] for r in records].count("finding") == 3
    assert [r["type"] for r in records if r["type"] != "finding"] == ["error", "summary"]
    assert records[-1]["files"] == 2 and records[-1]["applied"] == 1
    assert b"error: docs/bin.txt" in proc.stderr, "errors are on stderr as well"


def test_stdin_keeps_the_cleaned_text_on_stdout(work: Path) -> None:
    found = work / "found.jsonl"
    proc = fix(work, "-", "--format", "jsonl", "--output-file", found, input=TEXT.encode())
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.decode() == TEXT.replace("Gadrut", "Hadrut")
    records = [json.loads(x) for x in found.read_text(encoding="utf-8").splitlines()]
    assert {r["rule"] for r in records if r["type"] == "finding"} == {
        "t.hadrut",
        "t.very-unique",
        "t.sunny-conflict",
    }


def test_stdin_with_a_machine_format_needs_an_output_file(work: Path) -> None:
    proc = fix(work, "-", "--format", "json", input=TEXT.encode())
    assert proc.returncode == 2, explain(proc)
    assert b"--output-file" in proc.stderr and proc.stdout == b""


def test_github_annotations(work: Path) -> None:
    proc = fix(work, "docs", "--format", "github", "--check")
    assert proc.returncode == 1, explain(proc)
    lines = proc.stdout.decode().splitlines()
    assert (
        "::warning file=docs/a.txt,line=2,col=14,endColumn=20,title=t.hadrut (applied)::"
        "fixed: 'Gadrut' -> 'Hadrut'" in lines
    ), lines
    assert any(
        x.startswith("::notice file=docs/a.txt,line=2,col=") and "t.very-unique (review)" in x
        for x in lines
    )
    assert len(lines) == 3, lines


def test_github_escapes_what_would_break_a_command() -> None:
    outcome = FileOutcome(FileJob(Path("a,b:c.txt"), "a,b:c.txt"), error="50% bad\nline")
    assert to_github([outcome]) == "::error file=a%2Cb%3Ac.txt::50%25 bad%0Aline\n"


def test_end_of_a_finding_across_lines() -> None:
    from cleanup.edit import Edit, Kind, Safety
    from cleanup.outcome import Finding, Status

    edit = Edit(0, 7, "ab\ncdef", "", "t.x", Kind.PHRASE, Safety.AUTO)
    assert end_of(Finding(edit, 3, 5, Status.APPLIED)) == (4, 5)
    assert status_word(Status.DROPPED, Safety.AUTO) == "dropped"


def test_the_documented_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(FINDINGS_SCHEMA)
    doc = textwrap.dedent((HERE.parent / "docs" / "output-formats.md").read_text(encoding="utf-8"))
    assert "findings.schema.json" in doc

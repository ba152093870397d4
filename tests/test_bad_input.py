"""Bad input through the installed `cleanup fix`: every failure is one line
`error: <file>[:line[:column]]: ...`, exit 2, nothing half-written, and the good files of
the same run are still cleaned, written and reported.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
import time
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

from cleanup import Engine, RuleError, load_rules
from cleanup.matchers import pattern as pattern_module


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    return f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n{out}--- stderr\n{err}"


def error_lines(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [
        line
        for line in proc.stderr.decode("utf-8", "replace").splitlines()
        if line.startswith("error:")
    ]


def assert_one_error(proc: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    """Exit 2, no traceback, exactly one 'error:' line, holding every fragment."""
    assert proc.returncode == 2, "bad input must exit 2" + explain(proc)
    assert b"Traceback" not in proc.stderr, "bad input must not crash the tool" + explain(proc)
    errors = error_lines(proc)
    assert len(errors) == 1, f"expected one 'error:' line, got {errors}" + explain(proc)
    for fragment in fragments:
        assert fragment in errors[0], f"the error should mention {fragment!r}" + explain(proc)
    return errors[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


PACK = """\
pack: t
phrases:
  - find: solar conflict
    replace: Karabakh conflict
"""
GOOD = b"the solar conflict\n"
GOOD_FIXED = b"the Karabakh conflict\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    write(tmp_path / "pack.yaml", PACK)
    return tmp_path


def own_rules(*args: str | Path) -> list[str | Path]:
    return [*args, "--no-default-rules", "--rules", "pack.yaml"]


# -- bad input files ---------------------------------------------------------------------

# name -> (bytes, what the error must say besides the file name)
BAD_FILES = {
    "binary.txt": (b"abc\x00def solar conflict\n", ["binary", "byte 3"]),
    "latin1.txt": ("the solar conflict café\n".encode("latin-1"), ["not UTF-8", "byte 22"]),
    # 'é' is two bytes: the offset is in bytes, not characters.
    "after-multibyte.txt": ("é – ok ".encode() + b"\xff\n", ["not UTF-8", "byte 10"]),
    "truncated.txt": (
        "ends in the middle of – ".encode() + "–".encode()[:2],
        ["not UTF-8", "byte 26"],
    ),
}


def test_an_empty_file_is_reported_and_skipped(work: Path) -> None:
    write(work / "in" / "empty.txt", b"")
    write(work / "in" / "good.txt", b"the solar conflict\n")
    proc = run_cleanup("fix", *own_rules("in"), cwd=work)
    assert proc.returncode == 0, explain(proc)
    assert b"in/empty.txt: empty file; skipped" in proc.stderr, explain(proc)
    assert not (work / "cleaned" / "in" / "empty.txt").exists(), "nothing written for it"
    assert (work / "cleaned" / "in" / "good.txt").exists(), explain(proc)


def test_an_empty_file_is_an_error_with_strict(work: Path) -> None:
    write(work / "in" / "empty.txt", b"")
    proc = run_cleanup("fix", *own_rules("in/empty.txt", "--strict"), cwd=work)
    assert_one_error(proc, "in/empty.txt", "empty")
    assert not (work / "cleaned" / "in" / "empty.txt").exists()


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_alone(work: Path, name: str) -> None:
    data, fragments = BAD_FILES[name]
    write(work / "in" / name, data)
    proc = run_cleanup("fix", *own_rules(f"in/{name}"), cwd=work)
    assert_one_error(proc, f"in/{name}", *fragments)
    assert not (work / "cleaned" / "in" / name).exists(), "no cleaned copy of a bad file"
    assert (work / "in" / name).read_bytes() == data, "the input must not change"
    assert not list(work.rglob("*.tmp")), "no temporary files left behind"


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_alone_in_place(work: Path, name: str) -> None:
    data, fragments = BAD_FILES[name]
    write(work / "in" / name, data)
    proc = run_cleanup("fix", *own_rules(f"in/{name}", "--in-place"), cwd=work)
    assert_one_error(proc, f"in/{name}", *fragments)
    assert (work / "in" / name).read_bytes() == data, "the input must not change"
    assert not list(work.rglob("*.tmp")), "no temporary files left behind"


def test_missing_path(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("no/such/file.txt"), cwd=work)
    assert_one_error(proc, "no/such/file.txt")
    assert not (work / "cleaned" / "no").exists()


def test_folder_without_text_files(work: Path) -> None:
    write(work / "pictures" / "a.png", b"\x89PNG\r\n")
    (work / "pictures" / "empty-sub").mkdir()
    proc = run_cleanup("fix", *own_rules("pictures"), cwd=work)
    assert_one_error(proc, "pictures", "no text files")


def test_stdin_that_is_not_utf8(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("-"), cwd=work, input=b"solar conflict \xe9t\xe9\n")
    assert_one_error(proc, "stdin", "not UTF-8", "byte 15")
    assert proc.stdout == b"", "no half-cleaned text on stdout" + explain(proc)


def test_stdin_that_is_binary(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("-"), cwd=work, input=b"solar conflict\x00\n")
    assert_one_error(proc, "stdin", "binary")
    assert proc.stdout == b"", explain(proc)


def _mixed_run(work: Path) -> list[str]:
    """Good files beside every kind of bad one; returns the good files' names."""
    good = ["in/a-good.txt", "in/sub/m-good.md", "in/z-good.txt", "in/unchanged.txt"]
    for name in good:
        write(work / name, GOOD if "unchanged" not in name else b"fine\n")
    for name, (data, _) in BAD_FILES.items():
        write(work / "in" / name, data)
    return good


def test_good_files_are_cleaned_beside_bad_ones(work: Path) -> None:
    good = _mixed_run(work)
    proc = run_cleanup("fix", *own_rules("in", "missing.txt", "--jobs", "1"), cwd=work)
    assert proc.returncode == 2, explain(proc)
    assert b"Traceback" not in proc.stderr, explain(proc)
    errors = error_lines(proc)
    assert len(errors) == len(BAD_FILES) + 1, f"one error line per bad input: {errors}" + explain(
        proc
    )
    for name in [*BAD_FILES, "missing.txt"]:
        assert any(name in e for e in errors), f"no error names {name}" + explain(proc)
    out = snapshot(work / "cleaned")
    expected = {name: (GOOD_FIXED if "unchanged" not in name else b"fine\n") for name in good}
    assert {k: v for k, v in out.items() if k != "cleanup.patch"} == expected, (
        "exactly the good files are written, cleaned" + explain(proc)
    )
    patch = out["cleanup.patch"].decode()
    changed = sorted(n for n in good if "unchanged" not in n)
    assert (
        sorted(line[6:] for line in patch.splitlines() if line.startswith("+++ b/")) == changed
    ), patch
    err = proc.stderr.decode()
    assert f"{len(good)} files read, {len(changed)} changed" in err, (
        "the good files are still reported" + explain(proc)
    )


def test_bad_file_leaves_nothing_in_the_out_folder(work: Path) -> None:
    write(work / "in" / "sub" / "bad.txt", b"ok \xff\n")
    write(work / "in" / "good.txt", GOOD)
    proc = run_cleanup("fix", *own_rules("in"), cwd=work)
    assert proc.returncode == 2, explain(proc)
    out = work / "cleaned"
    found = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert found == ["cleanup.patch", "in", "in/good.txt"], (
        f"only the good file's copy and the patch belong in cleaned/, found {found}"
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_good_files_are_rewritten_in_place_beside_bad_ones(work: Path, jobs: str) -> None:
    good = _mixed_run(work)
    proc = run_cleanup("fix", *own_rules("in", "--in-place", "--jobs", jobs), cwd=work)
    assert proc.returncode == 2, explain(proc)
    assert len(error_lines(proc)) == len(BAD_FILES), explain(proc)
    for name in good:
        expected = GOOD_FIXED if "unchanged" not in name else b"fine\n"
        assert (work / name).read_bytes() == expected, name + explain(proc)
    for name, (data, _) in BAD_FILES.items():
        assert (work / "in" / name).read_bytes() == data, f"bad file {name} was modified"
    assert not list(work.rglob("*.tmp")), "no temporary files left behind"
    assert not (work / "cleaned").exists()


def test_bad_files_under_check_and_diff_still_report_the_good_ones(work: Path) -> None:
    _mixed_run(work)
    before = snapshot(work)
    check = run_cleanup("fix", *own_rules("in", "--check"), cwd=work)
    assert check.returncode == 2, "an error outranks 'would change'" + explain(check)
    assert len(error_lines(check)) == len(BAD_FILES), explain(check)
    diff = run_cleanup("fix", *own_rules("in", "--diff"), cwd=work)
    assert diff.returncode == 2, explain(diff)
    assert diff.stdout.count(b"+++ b/") == 3, "the good files' diffs are printed" + explain(diff)
    assert snapshot(work) == before, "--check and --diff write nothing, even with bad input"


def test_bad_file_is_reported_in_json(work: Path) -> None:
    _mixed_run(work)
    proc = run_cleanup("fix", *own_rules("in", "--format", "json"), cwd=work)
    assert proc.returncode == 2, explain(proc)
    data = json.loads(proc.stdout)
    errors = {f["path"]: f["error"] for f in data["files"] if f["error"]}
    assert sorted(errors) == sorted(f"in/{n}" for n in BAD_FILES), data
    assert "byte 22" in errors["in/latin1.txt"], errors


# -- bad rule files ----------------------------------------------------------------------

BAD_RULES = {
    "broken-yaml": (
        "pack: x\nphrases:\n  - find: [solar conflict\n    replace: y\n",
        ["malformed YAML"],
        r":\d+:\d+: ",
    ),
    "tab-indent": ("pack: x\nphrases:\n\t- find: a\n", ["YAML"], r":3:\d+: "),
    "unknown-key": (
        "pack: x\nphrases:\n  - find: solar conflict\n    replac: Karabakh conflict\n",
        ["unknown key 'replac'", "replace"],
        r":4:5: ",
    ),
    "unknown-top-key": (
        "pack: x\nphrase:\n  - find: a\n    replace: b\n",
        ["unknown key 'phrase'"],
        r":2:1: ",
    ),
    "regex-does-not-compile": (
        "pack: x\npatterns:\n  - id: broken\n    regex: '(unclosed'\n    replace: y\n",
        ["regex does not compile"],
        r":4:\d+: ",
    ),
    "replacement-group-missing": (
        "pack: x\npatterns:\n  - id: g\n    regex: '(a)b'\n    replace: '\\2'\n",
        ["group"],
        r":5:\d+: ",
    ),
    "duplicate-id": (
        "pack: x\nphrases:\n  - id: same\n    find: aaa\n    replace: b\n"
        "  - id: same\n    find: ccc\n    replace: d\n",
        ["duplicate rule id", "x.same"],
        r":6",
    ),
    "same-variant-twice": (
        "pack: x\nnames:\n  - canonical: Hadrut\n    variants: [Gadrut]\n"
        "  - canonical: Gadrutovo\n    variants: [Gadrut]\n",
        ["Gadrut", "twice"],
        r":6",
    ),
    "same-phrase-twice-in-other-case": (
        "pack: x\nphrases:\n  - id: a\n    find: solar conflict\n    replace: a\n"
        "  - id: b\n    find: Solar Conflict\n    replace: b\n",
        ["Solar Conflict", "twice", "x.a"],
        r":7",
    ),
    "replacement-rewritten-again": (
        "pack: x\nphrases:\n  - find: solar conflict\n    replace: sunny conflict\n"
        "  - find: sunny conflict\n    replace: Karabakh conflict\n",
        ["sunny conflict", "settle"],
        r":3",
    ),
    "bad-pack-name": ("pack: My Pack\nphrases: []\n", ["pack name"], r":1:7: "),
    "not-a-mapping": ("- just\n- a list\n", ["mapping"], r":1:1: "),
    "empty-rule-file": ("", ["empty"], r""),
    "find-is-not-text": (
        "pack: x\nphrases:\n  - find: {a: b}\n    replace: c\n",
        ["text"],
        r":3:\d+: ",
    ),
    "unknown-macro": (
        "pack: x\npatterns:\n  - id: m\n    regex: 'the {{nobody}}'\n    replace: y\n",
        ["{{nobody}}"],
        r":4:\d+: ",
    ),
    "not-utf8": (b"pack: x\ndescription: caf\xe9\n", ["UTF-8"], r""),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_bad_rule_file(work: Path, case: str) -> None:
    text, fragments, place = BAD_RULES[case]
    write(work / "bad.yaml", text)
    write(work / "in" / "a.txt", GOOD)
    before = snapshot(work)
    proc = run_cleanup("fix", "in", "--no-default-rules", "--rules", "bad.yaml", cwd=work)
    line = assert_one_error(proc, "bad.yaml", *fragments)
    assert re.search(r"bad\.yaml" + place, line), (
        f"the error should name the place {place!r}: {line}"
    )
    assert snapshot(work) == before, (
        "a broken rule file must stop the run before anything is written"
    )
    assert proc.stdout == b"", explain(proc)


def test_duplicate_id_across_two_files(work: Path) -> None:
    write(work / "one.yaml", "pack: x\nphrases:\n  - find: aaa\n    replace: b\n")
    write(work / "two.yaml", "pack: x\nphrases:\n  - find: aaa\n    replace: c\n")
    write(work / "a.txt", GOOD)
    proc = run_cleanup(
        "fix", "a.txt", "--no-default-rules", "--rules", "one.yaml", "--rules", "two.yaml", cwd=work
    )
    assert_one_error(proc, "two.yaml", "one.yaml", "x.aaa")
    assert not (work / "cleaned").exists()


def test_same_variant_in_two_packs(work: Path) -> None:
    write(work / "one.yaml", "pack: one\nnames:\n  - canonical: Hadrut\n    variants: [Gadrut]\n")
    write(work / "two.yaml", "pack: two\nnames:\n  - canonical: Hadrutt\n    variants: [Gadrut]\n")
    write(work / "a.txt", GOOD)
    proc = run_cleanup(
        "fix", "a.txt", "--no-default-rules", "--rules", "one.yaml", "--rules", "two.yaml", cwd=work
    )
    assert_one_error(proc, "two.yaml:4", "Gadrut", "one.yaml:4")


def test_same_form_in_a_name_and_a_phrase(work: Path) -> None:
    write(
        work / "mixed.yaml",
        "pack: x\nnames:\n  - canonical: Hadrut\n    variants: [Gadrut]\n"
        "phrases:\n  - find: gadrut\n    replace: Hadrut town\n",
    )
    write(work / "a.txt", b"in Gadrut today\n")
    proc = run_cleanup("fix", "a.txt", "--no-default-rules", "--rules", "mixed.yaml", cwd=work)
    assert proc.returncode == 2, (
        "'Gadrut' (names, case exact) and 'gadrut' (phrase, any case) both claim 'Gadrut'; "
        "expected an error naming mixed.yaml:6" + explain(proc)
    )
    assert_one_error(proc, "mixed.yaml", "Gadrut")


def test_missing_rule_file(work: Path) -> None:
    write(work / "a.txt", GOOD)
    proc = run_cleanup("fix", "a.txt", "--rules", "nope.yaml", cwd=work)
    assert_one_error(proc, "nope.yaml")
    assert not (work / "cleaned").exists()


def test_bad_rule_file_with_stdin_prints_no_text(work: Path) -> None:
    write(work / "bad.yaml", "pack: x\nphrases:\n  - fnd: a\n")
    proc = run_cleanup("fix", "-", "--rules", "bad.yaml", cwd=work, input=GOOD)
    assert_one_error(proc, "bad.yaml:3:")
    assert proc.stdout == b"", explain(proc)


# -- alias bombs -------------------------------------------------------------------------

CLASSIC_BOMB = """\
pack: bomb
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _nested_bomb() -> str:
    """The same growth, but every level inside a key the format allows."""
    lines = [
        "pack: bomb",
        "phrases:",
        "  - find: lol",
        "    replace: laugh",
        "    examples: &l0",
        *["      - {before: lol, after: laugh}"] * 9,
    ]
    for level in range(1, 9):
        lines += [
            f"  - find: lol{level}",
            "    replace: laugh",
            f"    examples: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text", [CLASSIC_BOMB, _nested_bomb()], ids=["classic", "nested"])
def test_alias_bomb_fails_fast(work: Path, text: str) -> None:
    write(work / "bomb.yaml", text)
    write(work / "a.txt", GOOD)
    started = time.monotonic()
    proc = run_cleanup("fix", "a.txt", "--rules", "bomb.yaml", cwd=work, timeout=30)
    elapsed = time.monotonic() - started
    assert_one_error(proc, "bomb.yaml:")
    assert elapsed < 10, f"an alias bomb must fail fast, took {elapsed:.1f} s"
    assert not (work / "cleaned").exists()


def test_nested_alias_bomb_names_the_alias(work: Path) -> None:
    write(work / "bomb.yaml", _nested_bomb())
    write(work / "a.txt", GOOD)
    proc = run_cleanup("fix", "a.txt", "--rules", "bomb.yaml", cwd=work, timeout=30)
    assert_one_error(proc, "bomb.yaml:", "alias")


# -- catastrophic backtracking -----------------------------------------------------------

REDOS_PACK = """\
pack: redos
patterns:
  - id: evil
    regex: '(a|aa)+$'
    replace: x
    safety: auto
"""
EVIL = b"a" * 64 + b"!\n"


def test_catastrophic_pattern_stops_with_an_error_naming_the_rule(work: Path) -> None:
    write(work / "redos.yaml", REDOS_PACK)
    write(work / "in" / "evil.txt", EVIL)
    write(work / "in" / "good.txt", b"nothing for this rule\n")
    limit = pattern_module.PATTERN_TIMEOUT_SECONDS
    started = time.monotonic()
    proc = run_cleanup(
        "fix",
        "in",
        "--no-default-rules",
        "--rules",
        "redos.yaml",
        "--jobs",
        "1",
        cwd=work,
        timeout=limit + 60,
    )
    elapsed = time.monotonic() - started
    assert_one_error(proc, "redos.evil", "redos.yaml:3")
    assert elapsed < limit + 20, (
        f"the run should stop soon after the {limit} s limit: {elapsed:.1f} s"
    )
    assert not (work / "cleaned" / "in" / "evil.txt").exists(), "no half-cleaned copy"
    assert (work / "cleaned" / "in" / "good.txt").exists(), "the other file is still cleaned"
    assert not list(work.rglob("*.tmp"))


def test_catastrophic_pattern_in_process_with_a_lower_limit(work: Path, monkeypatch) -> None:
    monkeypatch.setattr(pattern_module, "PATTERN_TIMEOUT_SECONDS", 0.3)
    engine = Engine(load_rules([write(work / "redos.yaml", REDOS_PACK)]))
    started = time.monotonic()
    with pytest.raises(RuleError) as caught:
        engine.fix_text(EVIL.decode() * 3)
    elapsed = time.monotonic() - started
    message = str(caught.value)
    assert "redos.evil" in message and "redos.yaml:3" in message, message
    assert "\n" not in message, "the error is one line"
    assert elapsed < 5, f"the lowered limit should stop it in well under 5 s, took {elapsed:.1f} s"


def test_catastrophic_pattern_on_stdin(work: Path) -> None:
    write(work / "redos.yaml", REDOS_PACK)
    limit = pattern_module.PATTERN_TIMEOUT_SECONDS
    proc = run_cleanup(
        "fix",
        "-",
        "--no-default-rules",
        "--rules",
        "redos.yaml",
        cwd=work,
        input=EVIL,
        timeout=limit + 60,
    )
    assert_one_error(proc, "redos.evil")
    assert proc.stdout == b"", "no half-cleaned text on stdout" + explain(proc)


def test_rule_file_errors_are_one_line_even_for_multiline_yaml(work: Path) -> None:
    write(
        work / "bad.yaml",
        textwrap.dedent("""\
        pack: x
        patterns:
          - id: p
            regex: |
              (a
              b
            replace: c
        """),
    )
    write(work / "a.txt", GOOD)
    proc = run_cleanup("fix", "a.txt", "--rules", "bad.yaml", cwd=work)
    assert_one_error(proc, "bad.yaml:4:")
    non_error = [
        line for line in proc.stderr.decode().splitlines() if line and not line.startswith("error:")
    ]
    assert non_error == [], f"nothing but the error line on stderr: {non_error}"

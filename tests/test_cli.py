"""`cleanup fix` as a user runs it: the installed command in a subprocess, in a temporary
working folder, checked by its files, its exit status, stdout and stderr.

Most tests load only a small pack written here (``--no-default-rules --rules pack.yaml``),
so they do not depend on the wording of the bundled packs; the tests that are about the
bundled packs say so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import textwrap
from pathlib import Path

import pytest

from cleanup import Engine, Kind, builtin_pack_paths, load_rules

ROOT = Path(__file__).resolve().parent.parent


from cli_helpers import run_cleanup  # noqa: E402


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    """Everything about a run, for assertion messages."""
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    return f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n{out}--- stderr\n{err}"


def expect(proc: subprocess.CompletedProcess[bytes], code: int) -> None:
    assert proc.returncode == code, f"expected exit {code}" + explain(proc)
    assert b"Traceback" not in proc.stderr, "the command crashed" + explain(proc)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative posix path -> bytes), hidden ones included."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def temp_leftovers(folder: Path) -> list[str]:
    """Temporary files an atomic write may leave behind ('.name.XXXX.tmp')."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.tmp"))


# A pack with every kind of rule, written so that its fixes settle.
PACK = r"""
pack: t
names:
  - canonical: Hadrut
    category: place
    variants: [Gadrut, Gadrurt]
phrases:
  - find: [solar conflict, sunny conflict, 🌞 conflict]
    replace: Karabakh conflict
  - id: very-unique
    find: very unique
    replace: unique
    safety: review
    why: "'very unique' is a calque of 'очень уникальный'"
patterns:
  - id: space-before-stop
    regex: '(?<=\S)[ \t]+(?=[.,;:!?](?:\s|$))'
    replace: ''
    safety: auto
removals:
  - id: read-more
    regex: '(?m)(?:^[ \t]*\r?\n)*^[ \t]*Read more[ \t]*(?:\r?\n|\Z)'
"""

# Inputs (bytes, so line endings are exact) and what the pack makes of them.
FILES: dict[str, tuple[bytes, bytes]] = {
    "docs/crlf.txt": (
        b"The solar conflict\r\nin Gadrut .\r\nend\r\n",
        b"The Karabakh conflict\r\nin Hadrut.\r\nend\r\n",
    ),
    "docs/no-final-newline.txt": (
        "\u201cQuoted\u201d \U0001f600 sunny conflict".encode(),
        "\u201cQuoted\u201d \U0001f600 Karabakh conflict".encode(),
    ),
    "docs/sub/curly.md": (
        "He said: \u201cthe \U0001f31e conflict in Gadrurt\u201d \U0001f600\nsecond line\n".encode(),
        "He said: \u201cthe Karabakh conflict in Hadrut\u201d \U0001f600\nsecond line\n".encode(),
    ),
    "docs/trailing.txt": (
        b"keep these   \nthe solar conflict   \n\t\n  Read more\n",
        b"keep these   \nthe Karabakh conflict   \n",
    ),
    "docs/lone-cr.txt": (
        b"old\rMac line solar conflict\rend",
        b"old\rMac line Karabakh conflict\rend",
    ),
    "docs/unchanged.txt": (b"Nothing to fix here.\n", b"Nothing to fix here.\n"),
}
SKIPPED = {
    "docs/.hidden/skip.txt": b"solar conflict\n",  # hidden folder
    "docs/notes.dat": b"solar conflict\n",  # not a supported type
}
CHANGED = sorted(name for name, (before, after) in FILES.items() if before != after)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A working folder with the pack and the input files."""
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK).lstrip(), encoding="utf-8")
    for name, (before, _) in FILES.items():
        write(tmp_path / name, before)
    for name, data in SKIPPED.items():
        write(tmp_path / name, data)
    return tmp_path


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def own_rules(*args: str | Path) -> list[str | Path]:
    return [*args, "--no-default-rules", "--rules", "pack.yaml"]


def patch_files(patch: str) -> list[str]:
    """The files a unified diff changes, from its '+++ b/...' headers."""
    return sorted(line[len("+++ b/") :] for line in patch.splitlines() if line.startswith("+++ b/"))


def git_env() -> dict[str, str]:
    """git that reads no user or system configuration (no autocrlf, no hooks)."""
    env = dict(os.environ)
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


def apply_patch(tool: str, patch: Path, folder: Path) -> subprocess.CompletedProcess[bytes]:
    """Apply ``patch`` to the originals in ``folder`` with git or GNU patch, as a user would."""
    if tool == "git":
        if shutil.which("git") is None:
            pytest.skip("git is not installed")
        env = git_env()
        # Never let git discover a repository above the folder (paths would be repo-relative).
        env["GIT_CEILING_DIRECTORIES"] = str(folder.parent)
        cmd = ["git", "apply", "--whitespace=nowarn", str(patch)]
        return subprocess.run(cmd, cwd=folder, capture_output=True, env=env, timeout=60)
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    cmd = ["patch", "-p1", "--batch", "--fuzz=0", "--no-backup-if-mismatch", "-i", str(patch)]
    return subprocess.run(cmd, cwd=folder, capture_output=True, timeout=60)


# -- cleaned copies and the patch -------------------------------------------------------


def test_fix_writes_cleaned_copies_mirroring_the_input_paths(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs"), cwd=work)
    expect(proc, 0)
    assert proc.stdout == b"", "status must go to stderr, stdout stays empty" + explain(proc)
    out = snapshot(work / "cleaned")
    expected_names = sorted([*FILES, "cleanup.patch"])
    assert sorted(out) == expected_names, (
        "cleaned/ must hold exactly one copy per text file (hidden folders and *.dat skipped)"
        + explain(proc)
    )
    for name, (_, after) in FILES.items():
        assert out[name] == after, f"cleaned/{name}: {out[name]!r} != {after!r}" + explain(proc)
    for name, (before, _) in FILES.items():
        assert (work / name).read_bytes() == before, f"the original {name} was modified"
    patch = out["cleanup.patch"].decode()
    assert patch_files(patch) == CHANGED, (
        "the patch names every changed file and no unchanged one\n" + patch
    )


def test_summary_on_stderr_names_rules_files_and_the_out_folder(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs"), cwd=work)
    expect(proc, 0)
    err = proc.stderr.decode()
    assert f"{len(FILES)} files read, {len(CHANGED)} changed" in err, explain(proc)
    assert "cleaned/cleanup.patch" in err, explain(proc)
    for rule in ["t.solar-conflict", "t.hadrut", "t.space-before-stop", "t.read-more"]:
        assert rule in err, f"the summary should count rule {rule}" + explain(proc)
    assert "pack.yaml:" in err, "the summary should say where each rule is defined" + explain(proc)


@pytest.mark.parametrize("tool", ["git", "patch"])
def test_patch_applies_to_the_originals_to_give_the_cleaned_files(work: Path, tool: str) -> None:
    proc = run_cleanup("fix", *own_rules("docs"), cwd=work)
    expect(proc, 0)
    copy = work.parent / f"{work.name}-apply-{tool}"
    shutil.copytree(work / "docs", copy / "docs")
    applied = apply_patch(tool, work / "cleaned" / "cleanup.patch", copy)
    patch_text = (work / "cleaned" / "cleanup.patch").read_text(encoding="utf-8")
    assert applied.returncode == 0, (
        f"{tool} refused the patch:\n{applied.stdout.decode()}{applied.stderr.decode()}\n{patch_text}"
    )
    for name, (_, after) in FILES.items():
        got = (copy / name).read_bytes()
        assert got == after, (
            f"{tool}: {name} patched to {got!r}, cleaned copy is {after!r}\n{patch_text}"
        )
    leftovers = [p for p in snapshot(copy) if p.endswith((".orig", ".rej"))]
    assert leftovers == [], f"{tool} left {leftovers}"


@pytest.mark.parametrize("tool", ["git", "patch"])
@pytest.mark.parametrize("endings", ["lf", "crlf"])
def test_patch_of_the_bundled_packs_on_the_samples_applies(
    tmp_path: Path, tool: str, endings: str
) -> None:
    """The bundled packs on the shipped samples (and CRLF copies of them)."""
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        data = sample.read_bytes()
        if endings == "crlf":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        write(tmp_path / "articles" / sample.name, data)
    proc = run_cleanup("fix", "articles", "--jobs", "1", cwd=tmp_path)
    expect(proc, 0)
    patch = tmp_path / "cleaned" / "cleanup.patch"
    assert patch_files(patch.read_text(encoding="utf-8")), "the samples should need some edits"
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "articles", copy / "articles")
    applied = apply_patch(tool, patch, copy)
    assert applied.returncode == 0, applied.stdout.decode() + applied.stderr.decode()
    assert snapshot(copy / "articles") == snapshot(tmp_path / "cleaned" / "articles"), (
        f"{tool} + cleanup.patch must give exactly the cleaned copies"
    )


def test_out_option_and_the_out_folder_is_not_walked(work: Path) -> None:
    first = run_cleanup("fix", *own_rules(".", "--out", "out"), cwd=work)
    expect(first, 0)
    assert (work / "out" / "docs" / "crlf.txt").exists(), explain(first)
    assert not (work / "cleaned").exists(), "--out replaces the default folder"
    second = run_cleanup("fix", *own_rules(".", "--out", "out"), cwd=work)
    expect(second, 0)
    assert not (work / "out" / "out").exists(), "the out folder must be skipped when walking"
    assert first.stderr.splitlines()[0] == second.stderr.splitlines()[0], (
        "a second run reads the same files as the first" + explain(first) + explain(second)
    )


def test_out_folder_inside_the_input_folder_is_skipped(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs", "--out", "docs/cleaned"), cwd=work)
    expect(proc, 0)
    again = run_cleanup("fix", *own_rules("docs", "--out", "docs/cleaned"), cwd=work)
    expect(again, 0)
    assert not (work / "docs" / "cleaned" / "docs" / "cleaned").exists(), explain(again)


def test_include_chooses_the_files_picked_up_in_folders(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs", "--include", "*.dat"), cwd=work)
    expect(proc, 0)
    assert sorted(snapshot(work / "cleaned")) == ["cleanup.patch", "docs/notes.dat"], explain(proc)
    assert (work / "cleaned" / "docs" / "notes.dat").read_bytes() == b"Karabakh conflict\n"


def test_a_file_given_twice_is_cleaned_once(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs/crlf.txt", "docs", "./docs/crlf.txt"), cwd=work)
    expect(proc, 0)
    patch = (work / "cleaned" / "cleanup.patch").read_text(encoding="utf-8")
    assert patch.count("+++ b/docs/crlf.txt") == 1, patch


# -- --in-place --------------------------------------------------------------------------


def test_in_place_rewrites_only_changed_files(work: Path) -> None:
    old = 1_000_000_000  # 2001: any rewrite gives a newer mtime
    for name in FILES:
        os.utime(work / name, (old, old))
    (work / "docs/crlf.txt").chmod(0o640)
    inodes = {name: (work / name).stat().st_ino for name in FILES}
    files_before = set(snapshot(work))
    proc = run_cleanup("fix", *own_rules("docs", "--in-place"), cwd=work)
    expect(proc, 0)
    assert proc.stdout == b"", explain(proc)
    for name, (before, after) in FILES.items():
        path = work / name
        assert path.read_bytes() == after, f"{name} after --in-place" + explain(proc)
        if before == after:
            assert path.stat().st_mtime == old, f"unchanged {name} must not be rewritten"
            assert path.stat().st_ino == inodes[name], f"unchanged {name} was replaced"
        else:
            assert path.stat().st_mtime != old, f"{name} should have been rewritten"
            # A new inode: written beside and renamed over, never truncated in place.
            assert path.stat().st_ino != inodes[name], f"{name} was not replaced atomically"
    assert stat.S_IMODE((work / "docs/crlf.txt").stat().st_mode) == 0o640, "file mode is kept"
    assert not (work / "cleaned").exists(), "--in-place writes no out folder"
    assert temp_leftovers(work) == [], "atomic writes must not leave temporary files"
    assert set(snapshot(work)) == files_before, "no file is added or removed"
    for name, data in SKIPPED.items():
        assert (work / name).read_bytes() == data, f"{name} should not be touched"


def test_in_place_output_is_the_same_as_the_cleaned_copies(work: Path) -> None:
    copies = run_cleanup("fix", *own_rules("docs"), cwd=work)
    expect(copies, 0)
    in_place = run_cleanup("fix", *own_rules("docs", "--in-place"), cwd=work)
    expect(in_place, 0)
    assert snapshot(work / "docs") == {
        **{
            k.removeprefix("docs/"): v
            for k, v in snapshot(work / "cleaned").items()
            if k != "cleanup.patch"
        },
        **{k.removeprefix("docs/"): v for k, v in SKIPPED.items()},
    }


def test_in_place_cannot_be_combined_with_check_or_diff(work: Path) -> None:
    for flag in ("--check", "--diff"):
        proc = run_cleanup("fix", *own_rules("docs", "--in-place", flag), cwd=work)
        expect(proc, 2)
    for name, (before, _) in FILES.items():
        assert (work / name).read_bytes() == before


# -- --diff and --check ------------------------------------------------------------------


def test_diff_prints_the_patch_on_stdout_and_writes_nothing(work: Path) -> None:
    reference = work.parent / f"{work.name}-ref"
    shutil.copytree(work, reference)
    expect(run_cleanup("fix", *own_rules("docs"), cwd=reference), 0)
    patch = (reference / "cleaned" / "cleanup.patch").read_bytes()

    before = snapshot(work)
    proc = run_cleanup("fix", *own_rules("docs", "--diff"), cwd=work)
    expect(proc, 0)
    assert proc.stdout == patch, (
        "--diff to a pipe prints the same unified diff as cleanup.patch" + explain(proc)
    )
    assert snapshot(work) == before, "--diff must write nothing"
    assert not (work / "cleaned").exists(), "--diff must not create the out folder"
    assert b"would change" in proc.stderr, explain(proc)


def test_diff_format_unified_is_a_patch_that_applies(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs", "--diff", "--diff-format", "unified"), cwd=work)
    expect(proc, 0)
    patch = work.parent / "stdout.patch"
    patch.write_bytes(proc.stdout)
    applied = apply_patch("git", patch, work)
    assert applied.returncode == 0, applied.stderr.decode() + explain(proc)
    for name, (_, after) in FILES.items():
        assert (work / name).read_bytes() == after, name


def test_check_exits_1_when_an_edit_would_be_applied_and_writes_nothing(work: Path) -> None:
    before = snapshot(work)
    proc = run_cleanup("fix", *own_rules("docs", "--check"), cwd=work)
    expect(proc, 1)
    assert proc.stdout == b"", explain(proc)
    assert snapshot(work) == before, "--check must write nothing"


def test_check_exits_0_when_nothing_would_change(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs/unchanged.txt", "--check"), cwd=work)
    expect(proc, 0)
    cleaned = run_cleanup("fix", *own_rules("docs"), cwd=work)
    expect(cleaned, 0)
    again = run_cleanup("fix", *own_rules("cleaned/docs", "--check"), cwd=work)
    expect(again, 0)  # the cleaned copies are clean: the fix settled


def test_check_ignores_review_edits_unless_accepted(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK), encoding="utf-8")
    write(tmp_path / "a.txt", b"a very unique idea\n")
    proc = run_cleanup("fix", *own_rules("a.txt", "--check"), cwd=tmp_path)
    expect(proc, 0)
    assert b"review" in proc.stderr, "the summary must say an edit waits for review" + explain(proc)
    proc = run_cleanup("fix", *own_rules("a.txt", "--check", "--accept-review"), cwd=tmp_path)
    expect(proc, 1)


def test_check_with_diff_prints_the_diff_and_exits_1(work: Path) -> None:
    before = snapshot(work)
    proc = run_cleanup("fix", *own_rules("docs", "--check", "--diff"), cwd=work)
    expect(proc, 1)
    assert patch_files(proc.stdout.decode()) == CHANGED, explain(proc)
    assert snapshot(work) == before


# -- standard input ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
def test_stdin_to_stdout_exactly(work: Path, name: str) -> None:
    before, after = FILES[name]
    proc = run_cleanup("fix", *own_rules("-"), cwd=work, input=before)
    expect(proc, 0)
    assert proc.stdout == after, "stdout must be exactly the cleaned text" + explain(proc)
    assert b"1 file read" in proc.stderr, "the summary goes to stderr" + explain(proc)
    assert not (work / "cleaned").exists(), "'-' writes no files"


def test_stdin_check_and_diff(work: Path) -> None:
    before, _ = FILES["docs/crlf.txt"]
    check = run_cleanup("fix", *own_rules("-", "--check"), cwd=work, input=before)
    expect(check, 1)
    assert check.stdout == b"", "--check prints no text" + explain(check)
    diff = run_cleanup("fix", *own_rules("-", "--diff"), cwd=work, input=before)
    expect(diff, 0)
    assert diff.stdout.startswith(b"--- a/-\n+++ b/-\n@@ "), explain(diff)
    assert b"\n-in Gadrut .\r\n" in diff.stdout, "line endings kept in the diff" + explain(diff)
    assert b"\n+in Hadrut.\r\n" in diff.stdout, explain(diff)
    clean = run_cleanup("fix", *own_rules("-", "--check"), cwd=work, input=b"fine\n")
    expect(clean, 0)


def test_stdin_cannot_be_mixed_with_files(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("-", "docs"), cwd=work, input=b"x\n")
    expect(proc, 2)
    assert proc.stdout == b""


# -- --format json -----------------------------------------------------------------------

EDIT_KEYS = {
    "line",
    "column",
    "before",
    "after",
    "rule",
    "source",
    "safety",
    "confidence",
    "status",
}


def test_json_lists_every_edit_with_where_what_and_why(work: Path) -> None:
    write(work / "docs/review.txt", b"first line\n  a very unique \xf0\x9f\x98\x80 Gadrut\n")
    proc = run_cleanup("fix", *own_rules("docs", "--format", "json"), cwd=work)
    expect(proc, 0)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        pytest.fail(f"--format json must print valid JSON on stdout: {exc}" + explain(proc))
    by_path = {f["path"]: f for f in data["files"]}
    assert sorted(by_path) == sorted([*FILES, "docs/review.txt"]), explain(proc)
    originals = {name: before.decode() for name, (before, _) in FILES.items()}
    originals["docs/review.txt"] = (work / "docs/review.txt").read_text(encoding="utf-8")
    for path, entry in by_path.items():
        assert entry["error"] is None, entry
        text = originals[path]
        for e in entry["edits"]:
            assert EDIT_KEYS <= set(e), f"missing keys {EDIT_KEYS - set(e)} in {e}"
            assert re.fullmatch(r".+\.yaml:\d+", e["source"]), f"source is file:line: {e}"
            assert e["safety"] in {"auto", "review", "suggest"}, e
            assert e["status"] in {"applied", "review", "suggestion", "dropped"}, e
            assert isinstance(e["confidence"], (int, float)) and 0 <= e["confidence"] <= 1, e
            # line and column (1-based; lines end at '\n', columns count characters)
            # point at 'before' in the original.
            at = offset_of(text, e["line"], e["column"])
            assert text[at : at + len(e["before"])] == e["before"], (
                f"{path}:{e['line']}:{e['column']} does not point at {e['before']!r}: {e}"
            )
        assert entry["changed"] == any(e["status"] == "applied" for e in entry["edits"]), entry
    review = {
        (e["rule"], e["status"], e["before"], e["after"])
        for e in by_path["docs/review.txt"]["edits"]
    }
    assert ("t.very-unique", "review", "very unique", "unique") in review, review
    assert ("t.hadrut", "applied", "Gadrut", "Hadrut") in review, review
    hadrut = next(e for e in by_path["docs/review.txt"]["edits"] if e["rule"] == "t.hadrut")
    assert (hadrut["line"], hadrut["column"]) == (2, 19), (
        f"Gadrut is at line 2, column 19: {hadrut}"
    )
    where = re.fullmatch(r"pack\.yaml:(\d+)", hadrut["source"])
    assert where and 3 <= int(where[1]) <= 5, (
        f"source should be the Hadrut entry in pack.yaml: {hadrut}"
    )


def offset_of(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    assert 1 <= line <= len(lines), f"line {line} is not in the text"
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def test_json_for_stdin(work: Path) -> None:
    proc = run_cleanup(
        "fix",
        *own_rules("-", "--format", "json", "--output-file", "found.json"),
        cwd=work,
        input=b"x\r\nin Gadrut now",
    )
    expect(proc, 0)
    assert proc.stdout == b"x\r\nin Hadrut now", "the cleaned text still goes to stdout"
    data = json.loads((work / "found.json").read_text(encoding="utf-8"))
    (entry,) = data["files"]
    (edit,) = entry["edits"]
    assert (entry["path"], edit["line"], edit["column"], edit["before"], edit["after"]) == (
        "-",
        2,
        4,
        "Gadrut",
        "Hadrut",
    ), data


def test_json_with_check_is_still_json_and_exits_1(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs", "--format", "json", "--check"), cwd=work)
    expect(proc, 1)
    json.loads(proc.stdout)
    assert not (work / "cleaned").exists()


def test_diff_and_json_together_are_refused(work: Path) -> None:
    proc = run_cleanup("fix", *own_rules("docs", "--format", "json", "--diff"), cwd=work)
    expect(proc, 2)
    assert proc.stdout == b""


# -- rule packs, safety and selection ----------------------------------------------------


def _bundled_name_example() -> tuple[str, str]:
    """A 'before' of a bundled name rule and what the bundled packs make of it."""
    ruleset = load_rules(builtin_pack_paths())
    engine = Engine(ruleset)
    for rule in ruleset.rules:
        for ex in rule.examples:
            if rule.kind is Kind.NAME and ex.before != ex.after:
                fixed = engine.fix_text(ex.before).text
                if fixed != ex.before and "Gadrut" not in ex.before:
                    return ex.before, fixed
    pytest.skip("no bundled name rule with an example")


def test_rules_adds_a_pack_and_no_default_rules_drops_the_bundled_ones(tmp_path: Path) -> None:
    bundled_before, _ = _bundled_name_example()
    mine_pack = write(
        tmp_path / "mine.yaml",
        b"pack: mine\nphrases:\n  - find: blue widget\n    replace: gadget\n",
    )
    text = f"{bundled_before}\nthe Blue widget\n"
    write(tmp_path / "a.txt", text.encode())
    both = Engine(load_rules([*builtin_pack_paths(), mine_pack])).fix_text(text).text
    assert both.endswith("\nthe Gadget\n") and not both.startswith(bundled_before + "\n")

    proc = run_cleanup("fix", "a.txt", "--rules", "mine.yaml", "--out", "both", cwd=tmp_path)
    expect(proc, 0)
    assert (tmp_path / "both" / "a.txt").read_text(encoding="utf-8") == both, explain(proc)

    proc = run_cleanup(
        "fix", "a.txt", "--no-default-rules", "--rules", "mine.yaml", "--out", "mine", cwd=tmp_path
    )
    expect(proc, 0)
    got = (tmp_path / "mine" / "a.txt").read_text(encoding="utf-8")
    assert got == f"{bundled_before}\nthe Gadget\n", (
        "--no-default-rules must drop the bundled packs and keep --rules" + explain(proc)
    )


def test_rules_accepts_a_folder_of_packs(tmp_path: Path) -> None:
    write(
        tmp_path / "packs" / "one.yaml", b"pack: one\nphrases:\n  - find: foo\n    replace: bar\n"
    )
    write(tmp_path / "packs" / "two.yml", b"pack: two\nphrases:\n  - find: baz\n    replace: qux\n")
    proc = run_cleanup(
        "fix", "-", "--no-default-rules", "--rules", "packs", cwd=tmp_path, input=b"foo baz"
    )
    expect(proc, 0)
    assert proc.stdout == b"bar qux", explain(proc)


def test_accept_review_applies_review_edits(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK), encoding="utf-8")
    write(tmp_path / "a.txt", b"a very unique solar conflict\n")
    held = run_cleanup("fix", *own_rules("a.txt"), cwd=tmp_path)
    expect(held, 0)
    assert (tmp_path / "cleaned/a.txt").read_bytes() == b"a very unique Karabakh conflict\n"
    assert re.search(rb"review edits? \(not applied", held.stderr), (
        "stderr must say an edit waits for review" + explain(held)
    )
    assert b"--accept-review" in held.stderr, explain(held)
    accepted = run_cleanup("fix", *own_rules("a.txt", "--accept-review"), cwd=tmp_path)
    expect(accepted, 0)
    assert (tmp_path / "cleaned/a.txt").read_bytes() == b"a unique Karabakh conflict\n", explain(
        accepted
    )


def test_select_and_ignore(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK), encoding="utf-8")
    text = b"solar conflict in Gadrut .\n"
    cases = {
        ("--select", "t.hadrut"): b"solar conflict in Hadrut .\n",
        ("--ignore", "t.hadrut"): b"Karabakh conflict in Gadrut.\n",
        ("--ignore", "t"): text,
        ("--select", "t", "--ignore", "t.space-before-stop"): b"Karabakh conflict in Hadrut .\n",
    }
    for flags, expected in cases.items():
        proc = run_cleanup("fix", *own_rules("-", *flags), cwd=tmp_path, input=text)
        expect(proc, 0)
        assert proc.stdout == expected, f"{flags}" + explain(proc)


# -- parallel runs -----------------------------------------------------------------------


def test_jobs_2_gives_the_same_outputs_and_patch_as_jobs_1(tmp_path: Path) -> None:
    base = tmp_path / "base"
    samples = sorted((ROOT / "samples").glob("*.txt"))
    for i in range(20):
        data = samples[i % len(samples)].read_bytes()
        if i % 3 == 1:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if i % 4 == 2:
            data = data.rstrip(b"\r\n")
        if i % 5 == 0:
            data = b"Nothing to fix in this one.\n"
        write(base / "articles" / f"part{i // 10}" / f"article-{i:02}.txt", data)
    results = {}
    for jobs in ("1", "2"):
        folder = tmp_path / f"jobs{jobs}"
        shutil.copytree(base, folder)
        proc = run_cleanup("fix", "articles", "--jobs", jobs, cwd=folder)
        expect(proc, 0)
        as_json = run_cleanup(
            "fix", "articles", "--jobs", jobs, "--format", "json", "--check", cwd=folder
        )
        expect(as_json, 1)
        shown = run_cleanup("fix", "articles", "--jobs", jobs, "--diff", cwd=folder)
        expect(shown, 0)
        results[jobs] = (snapshot(folder / "cleaned"), proc.stderr, as_json.stdout, shown.stdout)
    out1, err1, json1, diff1 = results["1"]
    out2, err2, json2, diff2 = results["2"]
    assert diff1 == diff2, "the diffs on standard output differ"
    assert sorted(out1) == sorted(out2)
    for name in out1:
        assert out1[name] == out2[name], f"{name} differs between --jobs 1 and --jobs 2"
    assert err1 == err2, "the summaries differ:\n" + err1.decode() + "\n" + err2.decode()
    assert json1 == json2, "the JSON reports differ"
    assert len(patch_files(out1["cleanup.patch"].decode())) >= 10


# -- usage errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["fix"], id="no-path"),
        pytest.param(["fix", "docs", "--jobs", "0"], id="jobs-0"),
        pytest.param(["fix", "docs", "--format", "xml"], id="bad-format"),
        pytest.param(["fix", "docs", "--no-default-rules"], id="no-rules-at-all"),
        pytest.param(["fix", "docs", "--bogus"], id="unknown-option"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(work: Path, args: list[str]) -> None:
    before = snapshot(work)
    proc = run_cleanup(*args, cwd=work)
    expect(proc, 2)
    assert proc.stdout == b"", explain(proc)
    assert proc.stderr.strip(), "a usage error must say what is wrong" + explain(proc)
    assert snapshot(work) == before


def test_patch_applies_with_patch_for_names_with_spaces(tmp_path: Path) -> None:
    # GNU patch ends a name at the first space unless a tab follows the name.
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK), encoding="utf-8")
    write(tmp_path / "my articles" / "day one.txt", b"the solar conflict\n")
    proc = run_cleanup("fix", *own_rules("my articles"), cwd=tmp_path)
    expect(proc, 0)
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "my articles", copy / "my articles")
    applied = apply_patch("patch", tmp_path / "cleaned" / "cleanup.patch", copy)
    assert applied.returncode == 0, (
        "patch -p1 cannot apply cleanup.patch to 'my articles/day one.txt':\n"
        + applied.stdout.decode()
        + (tmp_path / "cleaned" / "cleanup.patch").read_text()
    )
    assert (copy / "my articles" / "day one.txt").read_bytes() == b"the Karabakh conflict\n"


def test_git_apply_handles_names_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK), encoding="utf-8")
    names = ["my articles/day one.txt", "статьи/день.txt"]
    for name in names:
        write(tmp_path / name, b"the solar conflict\n")
    proc = run_cleanup("fix", *own_rules("my articles", "статьи"), cwd=tmp_path)
    expect(proc, 0)
    copy = tmp_path / "copy"
    for name in names:
        write(copy / name, b"the solar conflict\n")
    applied = apply_patch("git", tmp_path / "cleaned" / "cleanup.patch", copy)
    assert applied.returncode == 0, applied.stderr.decode()
    for name in names:
        assert (copy / name).read_bytes() == b"the Karabakh conflict\n", name


def test_rules_list_shows_what_each_rule_matches(tmp_path: Path) -> None:
    pack = textwrap.dedent(PACK) + textwrap.dedent(
        """\
        structure:
          - id: quotes
            fixer: unbalanced-quotes
        """
    )
    # A surname in -li takes no case endings, and this one has nothing to transliterate.
    person = "  - canonical: Ali Bali\n    category: person\n    surname: Bali\n"
    pack = pack.replace("names:\n", "names:\n" + person)
    write(tmp_path / "pack.yaml", pack.encode())
    proc = run_cleanup("rules", "list", "--no-default-rules", "--rules", "pack.yaml", cwd=tmp_path)
    expect(proc, 0)
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in proc.stdout.decode().splitlines()}
    assert rows["t.very-unique"] == [
        "phrase",
        "review",
        "pack.yaml:13",
        "very unique -> unique",
        "'very unique' is a calque of 'очень уникальный'",
    ]
    assert rows["t.space-before-stop"][-1] == r"/(?<=\S)[ \t]+(?=[.,;:!?](?:\s|$))/ -> ''"
    assert rows["t.quotes"][-1] == "fixer unbalanced-quotes"
    assert "Gadrut -> Hadrut" in rows["t.hadrut"][-1].split(", ")
    assert rows["t.ali-bali"][-1] == "(no forms)", explain(proc)


def test_version_is_the_one_the_package_metadata_gives(tmp_path: Path) -> None:
    """`cleanup --version`, the SARIF tool version and the pack cache's key all read
    ``cleanup.__version__``; the installed metadata is built from the same line."""
    from importlib.metadata import version

    import cleanup

    assert version("cleanup") == cleanup.__version__
    shown = run_cleanup("--version", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.decode().split()[-1] == cleanup.__version__
    (tmp_path / "a.txt").write_text("The three-sided statement.\n", encoding="utf-8")
    sarif = run_cleanup("fix", "a.txt", "--check", "--format", "sarif", cwd=tmp_path)
    driver = json.loads(sarif.stdout)["runs"][0]["tool"]["driver"]
    assert driver["version"] == cleanup.__version__

"""Rule packs that compose: a user pack may restate a bundled form (and wins), `pack:`
defaults to the file name, `rules check FILE` checks the file beside the bundled packs,
`rules add --overrides`, and the README's own example works as written."""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

from cleanup import Engine, builtin_pack_paths, load_rules
from cleanup.errors import RuleError

README = Path(__file__).resolve().parent.parent / "README.md"


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    return (
        f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n"
        f"{proc.stdout.decode(errors='replace')}--- stderr\n{proc.stderr.decode(errors='replace')}"
    )


def blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def test_pack_defaults_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "House_Style.yaml"
    path.write_text("phrases:\n  - find: lasting world\n    replace: lasting peace\n")
    (rule,) = load_rules([path]).rules
    assert rule.id == "house-style.lasting-world"


def test_a_stem_that_cannot_be_a_pack_name_asks_for_pack(tmp_path: Path) -> None:
    path = tmp_path / "___.yaml"
    path.write_text("phrases: []\n")
    with pytest.raises(RuleError, match="add 'pack: NAME'"):
        load_rules([path])


def test_a_user_pack_restating_a_bundled_form_overrides_it(tmp_path: Path) -> None:
    bundled = Engine(load_rules(builtin_pack_paths()))
    before = "the solar conflict"
    assert bundled.fix_text(before).text != before, "the bundled packs fix this form"
    mine = tmp_path / "mine.yaml"
    mine.write_text("phrases:\n  - find: solar conflict\n    replace: sun-lit conflict\n")
    engine = Engine(load_rules([*builtin_pack_paths(), mine]))
    result = engine.fix_text(before)
    assert result.text == "the sun-lit conflict"
    assert {e.rule_id for e in result.applied} == {"mine.solar-conflict"}


def test_two_user_packs_claiming_one_form_still_clash(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text("phrases:\n  - find: xyzzy word\n    replace: q\n")
    with pytest.raises(RuleError, match=r"claimed twice.*overrides: a\.xyzzy-word"):
        load_rules([tmp_path / "a.yaml", tmp_path / "b.yaml"])


def test_rules_check_checks_a_file_beside_the_bundled_packs(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").write_text(
        "phrases:\n  - find: Karabakh conflict\n    replace: solar conflict\n"
    )
    proc = run_cleanup("rules", "check", "loop.yaml", cwd=tmp_path)
    assert proc.returncode == 1, explain(proc)
    out = proc.stdout.decode()
    assert "loop.yaml:2" in out and "calques." in out, out
    assert all(line.startswith("loop.yaml:") for line in out.splitlines()), out
    alone = run_cleanup("rules", "check", "loop.yaml", "--no-default-rules", cwd=tmp_path)
    assert alone.returncode == 0, explain(alone)


def test_rules_add_overrides(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("phrases:\n  - find: xyzzy word\n    replace: q\n")
    args = ["rules", "add", "mine.yaml", "--phrase", "xyzzy word", "--replace", "r"]
    args += ["--rules", "a.yaml", "--no-default-rules"]
    refused = run_cleanup(*args, cwd=tmp_path)
    assert refused.returncode == 2 and b"--overrides" in refused.stderr, explain(refused)
    typo = run_cleanup(*args, "--overrides", "a.xyzzy-wrd", cwd=tmp_path)
    assert typo.returncode == 2 and b"did you mean 'a.xyzzy-word'" in typo.stderr, explain(typo)
    done = run_cleanup(*args, "--overrides", "a.xyzzy-word", cwd=tmp_path)
    assert done.returncode == 0, explain(done)
    fixed = run_cleanup(
        "fix",
        "-",
        "--no-default-rules",
        "--rules",
        "a.yaml",
        "--rules",
        "mine.yaml",
        cwd=tmp_path,
        input=b"one xyzzy word",
    )
    assert fixed.stdout == b"one r", explain(fixed)


def test_the_readme_pack_works_as_written(tmp_path: Path) -> None:
    (pack,) = [b for b in blocks("yaml") if b.startswith("pack: my-names")]
    (tmp_path / "my-names.yaml").write_text(pack, encoding="utf-8")
    tested = run_cleanup("rules", "test", "my-names.yaml", cwd=tmp_path)
    assert tested.returncode == 0, explain(tested)
    checked = run_cleanup("rules", "check", "my-names.yaml", cwd=tmp_path)
    assert checked.returncode == 0, explain(checked)
    assert b"0 findings" in checked.stderr
    text = b"Dear Nikol Vovaevich! Nikola Pashinyan read the three-way statement.\n"
    fixed = run_cleanup("fix", "-", "--rules", "my-names.yaml", cwd=tmp_path, input=text)
    assert fixed.returncode == 0, explain(fixed)
    assert fixed.stdout == (
        b"Dear Prime Minister Pashinyan! Nikol Pashinyan read the trilateral statement.\n"
    )


def test_the_readme_python_block_runs() -> None:
    for block in blocks("python"):
        lines = []
        for line in block.splitlines():
            code, _, expected = line.partition("   # ")
            lines.append(code)
            if expected.startswith("'"):  # "result.text   # 'value'": the value it shows
                lines.append(f"assert {code.strip()} == {expected}, {code.strip()}")
        exec(compile(textwrap.dedent("\n".join(lines)), "README.md", "exec"), {})


def test_the_readme_shell_commands_name_real_options() -> None:
    """Every `cleanup ...` line of the README's shell blocks parses (with --help the
    command checks its options and exits before doing anything)."""
    from click.testing import CliRunner

    from cleanup.cli import cli

    runner = CliRunner()
    for block in blocks("sh"):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if not command.startswith("cleanup "):
                continue
            words = [w for w in command.split()[1:] if w not in ("<", ">") and "<" not in w]
            words = words[: words.index("<")] if "<" in words else words
            result = runner.invoke(cli, [*words, "--help"])
            assert result.exit_code == 0, f"{command}: {result.output}"

"""Configuration files: found from the working folder upwards, command-line options win,
every value's origin shown by `cleanup config`, bad keys named with file and line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_cleanup

from cleanup.config import (
    ConfigError,
    Setting,
    apply_safety,
    did_you_mean,
    excluded,
    find_config,
    load_config,
)
from cleanup.edit import Safety
from cleanup.ruleset import load_rules

PACK = """\
pack: t
phrases:
  - find: solar conflict
    replace: Karabakh conflict
  - find: lasting world
    replace: lasting peace
"""


def explain(proc: subprocess.CompletedProcess[bytes]) -> str:
    return (
        f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n"
        f"{proc.stdout.decode(errors='replace')}--- stderr\n{proc.stderr.decode(errors='replace')}"
    )


def test_found_in_a_parent_folder_nearest_first(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cleanup]\nselect = ['a']\n")
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "x" / ".cleanup.yaml").write_text("select: [b]\n")
    assert find_config(deep) == tmp_path / "x" / ".cleanup.yaml"
    (tmp_path / "x" / "cleanup.toml").write_text("select = 'c'\n")
    assert find_config(deep) == tmp_path / "x" / "cleanup.toml"
    assert load_config(deep).get("select") == ("c",)


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cleanup]\nignore = ['x']\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"


def test_values_know_their_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        "[project]\nname = 'x'\n\n[tool.cleanup]\nrules = ['mine.yaml']\n"
        "ignore = 'calques.a, calques.b'\n\n[tool.cleanup.safety]\ncalques = 'review'\n"
    )
    config = load_config(tmp_path)
    assert config.settings["rules"] == Setting((str(tmp_path / "mine.yaml"),), f"{path}:5")
    assert config.settings["ignore"] == Setting(("calques.a", "calques.b"), f"{path}:6")
    assert config.safety["calques"] == Setting("review", f"{path}:9")


def test_yaml_values_know_their_line(tmp_path: Path) -> None:
    path = tmp_path / ".cleanup.yaml"
    path.write_text("# settings\nselect: [calques]\nsafety:\n  calques.x: suggest\n")
    config = load_config(tmp_path)
    assert config.settings["select"].source == f"{path}:2"
    assert config.safety["calques.x"] == Setting("suggest", f"{path}:4")


@pytest.mark.parametrize(
    ("name", "text", "where", "says"),
    [
        ("cleanup.toml", "select = []\nignroe = ['x']\n", ":2", "did you mean 'ignore'?"),
        ("pyproject.toml", "[tool.cleanup]\n\nexlude = 'a'\n", ":3", "did you mean 'exclude'?"),
        (".cleanup.yaml", "rules: [a]\nformat: jsn\n", ":2", "'format' must be"),
        (".cleanup.yaml", "jobs: 0\n", ":1", "a whole number"),
        (".cleanup.yaml", "safety:\n  calques: sometimes\n", ":2", "safety of 'calques'"),
        ("cleanup.toml", "select = [\n", "", "malformed TOML"),
        (".cleanup.yaml", "a: [\n", ":2", "malformed YAML"),
    ],
)
def test_bad_configuration_names_file_and_line(
    tmp_path: Path, name: str, text: str, where: str, says: str
) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / name}{where}:"), caught.value
    assert says in str(caught.value)


def test_did_you_mean_only_when_close() -> None:
    assert did_you_mean("zzz", ["select"]) == ""


def test_exclude_patterns() -> None:
    assert excluded("a/drafts/b.txt", ["drafts"])
    assert excluded("a/b.md", ["*.md"])
    assert excluded("a/old/b.txt", ["a/old"])
    assert not excluded("a/b.txt", ["drafts", "*.md"])


def test_safety_overrides_most_specific_wins(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PACK)
    ruleset = load_rules([tmp_path / "p.yaml"])
    levels = {"t": Safety.SUGGEST, "t.solar-conflict": Safety.REVIEW}
    changed = {r.id: r.safety for r in apply_safety(ruleset, levels).rules}
    assert changed == {"t.solar-conflict": Safety.REVIEW, "t.lasting-world": Safety.SUGGEST}


# -- as a user runs it ----------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.yaml").write_text(PACK)
    (tmp_path / "news" / "drafts").mkdir(parents=True)
    (tmp_path / "news" / "a.txt").write_text("the solar conflict and a lasting world\n")
    (tmp_path / "news" / "drafts" / "b.txt").write_text("the solar conflict\n")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.cleanup]\n"
        "rules = ['rules/mine.yaml']\n"
        "no-default-rules = true\n"
        "exclude = ['drafts']\n"
        "ignore = ['t.lasting-world']\n"
    )
    return tmp_path


def test_fix_uses_the_configuration_from_a_subfolder(work: Path) -> None:
    proc = run_cleanup("fix", "a.txt", "--out", "../out", cwd=work / "news")
    assert proc.returncode == 0, explain(proc)
    cleaned = (work / "out" / "a.txt").read_text()
    assert cleaned == "the Karabakh conflict and a lasting world\n", explain(proc)


def test_exclude_from_the_configuration(work: Path) -> None:
    proc = run_cleanup("fix", "news", cwd=work)
    assert proc.returncode == 0, explain(proc)
    assert (work / "cleaned" / "news" / "a.txt").exists()
    assert not (work / "cleaned" / "news" / "drafts").exists(), explain(proc)


def test_command_line_options_override_the_configuration(work: Path) -> None:
    proc = run_cleanup("fix", "news/a.txt", "--ignore", "t.solar-conflict", cwd=work)
    assert proc.returncode == 0, explain(proc)
    cleaned = (work / "cleaned" / "news" / "a.txt").read_text()
    assert cleaned == "the solar conflict and a lasting peace\n", explain(proc)


def test_no_config_and_an_explicit_config(work: Path) -> None:
    other = work / "other.toml"
    other.write_text(
        "rules = ['rules/mine.yaml']\nno-default-rules = true\nselect = 't.lasting-world'\n"
    )
    proc = run_cleanup("--config", other, "fix", "news/a.txt", cwd=work)
    assert proc.returncode == 0, explain(proc)
    cleaned = (work / "cleaned" / "news" / "a.txt").read_text()
    assert cleaned == "the solar conflict and a lasting peace\n"
    proc = run_cleanup("--no-config", "rules", "list", cwd=work)
    assert proc.returncode == 0 and b"t.solar-conflict" not in proc.stdout, explain(proc)


def test_cleanup_config_shows_values_and_origins(work: Path) -> None:
    (work / "pyproject.toml").write_text(
        "[tool.cleanup]\nignore = ['t.lasting-world']\n[tool.cleanup.safety]\nt = 'review'\n"
    )
    proc = run_cleanup("config", cwd=work / "news")
    assert proc.returncode == 0, explain(proc)
    lines = proc.stdout.decode().splitlines()
    where = work / "pyproject.toml"
    assert lines[0] == f"# configuration: {where}"
    assert f"ignore = [t.lasting-world]    # {where}:2" in lines
    assert f"safety.t = review    # {where}:4" in lines
    assert "format = text    # default" in lines


def test_a_bad_key_stops_every_command_with_exit_2(work: Path) -> None:
    (work / "pyproject.toml").write_text("[tool.cleanup]\nselct = ['t']\n")
    proc = run_cleanup("fix", "news", cwd=work)
    assert proc.returncode == 2, explain(proc)
    err = proc.stderr.decode()
    assert (
        err == f"error: {work / 'pyproject.toml'}:2: unknown key 'selct'; did you mean 'select'?\n"
    )
    assert not (work / "cleaned").exists()


def test_safety_from_the_configuration_holds_a_rule_back(work: Path) -> None:
    (work / "cleanup.toml").write_text(
        "rules = ['rules/mine.yaml']\nno-default-rules = true\n[safety]\n't.solar-conflict' = 'review'\n"
    )
    proc = run_cleanup("fix", "news/a.txt", cwd=work)
    assert proc.returncode == 0, explain(proc)
    cleaned = (work / "cleaned" / "news" / "a.txt").read_text()
    assert cleaned == "the solar conflict and a lasting peace\n", explain(proc)
    assert b"1 review edit" in proc.stderr, explain(proc)

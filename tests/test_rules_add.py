"""`cleanup rules add`: additions keep the file's comments and layout; bad ones are refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CLEANUP = str(Path(sys.executable).parent / "cleanup")

ORIGINAL = """\
# My names. Keep this comment.
pack: mine
names:
  - canonical: Hadrut   # the town
    category: place
    variants: [Gadrurt]

phrases:
  # calques
  - find: lasting world
    replace: lasting peace
"""


def add(path: Path, *args: str, alone: bool = True) -> subprocess.CompletedProcess[str]:
    extra = ["--no-default-rules"] if alone else []
    return subprocess.run(
        [CLEANUP, "rules", "add", str(path), *args, *extra], capture_output=True, text=True
    )


def test_additions_keep_comments_and_layout(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(ORIGINAL, encoding="utf-8")
    assert add(path, "--name", "Hadrut", "--variant", "Hadrutt").returncode == 0
    assert (
        add(path, "--name", "Shusha", "--category", "place", "--variant", "Shushi").returncode == 0
    )
    proc = add(
        path,
        "--phrase",
        "cease-fire mode",
        "--replace",
        "ceasefire regime",
        "--before",
        "the cease-fire mode holds",
        "--after",
        "the ceasefire regime holds",
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        add(path, "--exception", "a lasting world order", "--rule", "mine.lasting-world").returncode
        == 0
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# My names. Keep this comment.\npack: mine\n")
    assert "  - canonical: Hadrut   # the town\n" in text
    assert "    variants: [Gadrurt, Hadrutt]\n" in text
    assert "  # calques\n" in text
    assert "      - a lasting world order\n" in text
    tested = subprocess.run(
        [CLEANUP, "rules", "test", str(path), "--no-default-rules"], capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stdout
    fixed = subprocess.run(
        [CLEANUP, "fix", "-", "--no-default-rules", "--rules", str(path)],
        input="Hadrutt: a lasting world order, a lasting world; Shushi",
        capture_output=True,
        text=True,
    )
    assert fixed.stdout == "Hadrut: a lasting world order, a lasting peace; Shusha"


def test_refused_change_writes_nothing(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(ORIGINAL, encoding="utf-8")
    proc = add(path, "--phrase", "peace", "--replace", "world")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {path}:") or "mine.yaml:" in proc.stderr
    assert "would not settle" in proc.stderr
    assert path.read_text(encoding="utf-8") == ORIGINAL
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]
    clash = add(path, "--name", "Hadruth", "--variant", "Gadrurt")
    assert clash.returncode == 2 and "claimed twice" in clash.stderr
    assert path.read_text(encoding="utf-8") == ORIGINAL


def test_new_file_and_usage_errors(tmp_path):
    path = tmp_path / "new-pack.yaml"
    assert add(path, "--phrase", "solar conflict", "--replace", "Karabakh conflict").returncode == 0
    assert path.read_text(encoding="utf-8").startswith("pack: new-pack\n")
    assert add(path, "--phrase", "x").returncode == 2
    assert add(path, "--exception", "x").returncode == 2
    assert add(path, "--exception", "x", "--rule", "new-pack.nope").returncode == 2


def test_checked_beside_the_bundled_packs_and_exceptions_for_their_rules(tmp_path):
    path = tmp_path / "mine.yaml"
    # Restating a bundled form is no clash: the user's fix wins.
    restated = add(path, "--phrase", "solar conflict", "--replace", "Karabakh war", alone=False)
    assert restated.returncode == 0, restated.stderr
    fixed = subprocess.run(
        [CLEANUP, "fix", "-", "--rules", str(path)],
        input="the solar conflict",
        capture_output=True,
        text=True,
    )
    assert fixed.stdout == "the Karabakh war", fixed.stderr
    path.unlink()
    text = "a lasting world order; a lasting world"
    ok = add(
        path, "--exception", "a lasting world order", "--rule", "calques.lasting-peace", alone=False
    )
    assert ok.returncode == 0, ok.stderr
    assert (
        "exceptions:\n  calques.lasting-peace:\n    - a lasting world order\n" in path.read_text()
    )
    fixed = subprocess.run(
        [CLEANUP, "fix", "-", "--rules", str(path)], input=text, capture_output=True, text=True
    )
    assert fixed.stdout == "a lasting world order; a lasting peace"


def test_a_saved_rule_file_keeps_its_mode_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(ORIGINAL, encoding="utf-8")
    path.chmod(0o640)
    proc = add(path, "--phrase", "three-sided statement", "--replace", "trilateral statement")
    assert proc.returncode == 0, proc.stderr
    assert "find: three-sided statement" in path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]

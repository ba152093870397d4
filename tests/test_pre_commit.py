"""The pre-commit hooks in .pre-commit-hooks.yaml, run by the real pre-commit (from PyPI)
in a temporary git repository, against this checkout (``pre-commit try-repo`` installs it
as pre-commit would from its git URL, uncommitted changes included)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not PRE_COMMIT.exists() or shutil.which("git") is None,
        reason="needs pre-commit (the test extra) and git",
    ),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("CLEANUP_CONFIG", None)
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), hook, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "news"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "editor@example.org")
    git(repo, "config", "user.name", "Editor")
    (repo / "article.txt").write_text("Talks on the solar conflict went on.\n")
    (repo / "notes.py").write_text("x = 'solar conflict'\n")  # not a text file the hook takes
    git(repo, "add", "article.txt", "notes.py")
    return repo


def test_check_hook_fails_on_staged_text_that_would_change(repo: Path, home: Path) -> None:
    proc = try_repo(repo, home, "cleanup")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "would apply" in proc.stdout, proc.stdout
    assert "article.txt" in proc.stdout
    assert (repo / "article.txt").read_text() == "Talks on the solar conflict went on.\n"
    (repo / "article.txt").write_text("Talks on the Karabakh conflict went on.\n")
    git(repo, "add", "article.txt")
    proc = try_repo(repo, home, "cleanup")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_fix_hook_rewrites_and_stops_the_commit(repo: Path, home: Path) -> None:
    proc = try_repo(repo, home, "cleanup-fix")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" in proc.stdout, proc.stdout
    assert (repo / "article.txt").read_text() == "Talks on the Karabakh conflict went on.\n"
    assert (repo / "notes.py").read_text() == "x = 'solar conflict'\n"

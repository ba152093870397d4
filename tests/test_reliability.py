"""Faults found by trying the tool as a user would, each kept fixed by a test."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import CLEANUP

from cleanup import InputError


def test_a_case_change_that_changes_letters_makes_no_form(engine_for):
    # "ﬁle".upper() == "FILE" and "Maß".upper() == "MASS": those must not become forms.
    engine = engine_for(
        """
        pack: fold
        phrases:
          - find: ﬁle
            replace: document
          - find: Maß
            replace: measure
        """
    )
    text = "Open the file. The mass of the ship. MASS. The ﬁle and the Maß."
    assert engine.fix_text(text).text == (
        "Open the file. The mass of the ship. MASS. The document and the Measure."
    )


@pytest.mark.parametrize("text", ["plain text \udcff", "Gadrut \ud800 said"])
def test_a_lone_surrogate_is_the_tool_s_own_input_error(engine_for, text):
    engine = engine_for("pack: t\nnames:\n  - canonical: Hadrut\n    category: place\n")
    with pytest.raises(InputError, match="lone surrogate"):
        engine.fix_text(text)


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3000):
        (folder / f"f{i}.txt").write_text(f"The three-sided statement, number {i}.\n")
    proc = subprocess.Popen(
        [CLEANUP, "fix", "in", "--diff", "-j", "1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stdout is not None
    # Each file's diff is written when the file is done: once one is out, the run is under
    # way (and held up once the pipe is full), however quick the machine.
    assert proc.stdout.readline().startswith(b"--- a/in/")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err


def test_ctrl_c_while_the_command_starts_exits_130(monkeypatch, capsys):
    # The interface is imported under the guard: an interrupt during that import (a slow
    # disk, a loaded machine) is answered like one during the run.
    import builtins
    import sys

    from cleanup import command

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "cleanup.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "cleanup.cli", raising=False)
    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as exit_:
        command.main()
    assert exit_.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_importing_the_package_is_quick():
    # What the command imports before its guard is in place: the package alone.
    code = "import sys, cleanup; print(sorted(m for m in sys.modules if m.startswith('cleanup')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (
        out.stdout.strip() == "['cleanup', 'cleanup._version', 'cleanup.edit', 'cleanup.resolve']"
    )


def test_a_package_name_that_is_also_a_module_s_is_the_function():
    code = "import cleanup.engine, cleanup; from cleanup import resolve; print(callable(resolve))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_a_closed_pipe_exits_quietly(tmp_path: Path):
    text = ("The three-sided statement on the solar conflict.\n" * 20000).encode()
    proc = subprocess.Popen(
        f"'{CLEANUP}' fix - | head -c 10 > /dev/null; echo ${{PIPESTATUS[0]}} >&2",
        shell=True,
        executable="/bin/bash",
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, err = proc.communicate(text, timeout=120)
    assert b"Traceback" not in err
    assert err.strip().splitlines()[-1] in {b"0", b"141"}


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "They signed it (the three-sided statement - Ed.) in Moscow.\n",
            "They signed it [the trilateral statement] in Moscow.\n",
        ),
        ("Zakharovu (yes ,, no - Ed.)\n", "Zakharova [yes, no]\n"),
    ],
)
def test_an_edit_that_swallows_another_carries_its_fix(text, fixed):
    from cleanup import Engine, builtin_pack_paths, load_rules

    engine = Engine(load_rules(builtin_pack_paths()))
    once = engine.fix_text(text).text
    assert once == fixed
    assert engine.fix_text(once).text == once

"""`cleanup rules check`: each kind of finding, from small packs, through the command."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cleanup import load_rules
from cleanup.lint import check_rules

CLEANUP = str(Path(sys.executable).parent / "cleanup")

PACKS = {
    "clash": """
        pack: t
        names:
          - {canonical: Hadrut, variants: [Gadrut]}
          - {canonical: Hadruth, variants: [Gadrut]}
        """,
    "cycle": """
        pack: t
        phrases:
          - {find: colour, replace: color, id: a}
          - {find: color, replace: colour, id: b}
        """,
    "unsettled": """
        pack: t
        phrases:
          - {find: three-way talks, replace: trilateral conversation, id: a}
          - {find: conversation, replace: talks, id: b}
        """,
    "overlap": """
        pack: t
        phrases:
          - {find: solar conflict, replace: Karabakh conflict, id: a}
          - {find: conflict zone, replace: war zone, id: b}
        """,
    "shadowed": r"""
        pack: t
        phrases:
          - id: long
            find: solar conflict zone
            replace: Karabakh conflict zone
        patterns:
          - id: short
            regex: '\bsolar(?= conflict)'
            replace: Karabakh
            examples:
              - {before: the solar conflict zone, after: the Karabakh conflict zone}
        """,
    "interaction": """
        pack: t
        phrases:
          - id: a
            find: lasting world
            replace: lasting peace
            examples:
              - {before: a lasting world in Gadrut, after: a lasting peace in Gadrut}
          - {id: b, find: Gadrut, replace: Hadrut}
        """,
}


@pytest.mark.parametrize("code", sorted(PACKS))
def test_each_finding(tmp_path, code):
    path = tmp_path / f"{code}.yaml"
    path.write_text(textwrap.dedent(PACKS[code]).lstrip(), encoding="utf-8")
    problems = check_rules(load_rules([path], strict=False))
    assert code in {p.code for p in problems}, [str(p) for p in problems]
    assert all(str(p).startswith(str(path)) for p in problems)


def test_clean_bundled_packs_and_unused_rules_on_a_corpus(tmp_path):
    assert subprocess.run([CLEANUP, "rules", "check"], capture_output=True).returncode == 0
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("the solar conflict, in Gadrut\n", encoding="utf-8")
    proc = subprocess.run(
        [CLEANUP, "rules", "check", "--corpus", str(corpus)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "[unused] rule 'calques.trilateral'" in proc.stdout
    assert "'calques.solar-conflict'" not in proc.stdout


def test_unreadable_rule_file_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: t\nphrases: [\n", encoding="utf-8")
    proc = subprocess.run([CLEANUP, "rules", "check", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {bad}:")


def test_exceptions_keep_a_rule_out_of_their_text(engine_for):
    engine = engine_for(
        """
        pack: t
        phrases:
          - find: lasting world
            replace: lasting peace
            exceptions: [a lasting world order]
        """
    )
    text = "a lasting world order, and a lasting world"
    assert engine.fix_text(text).text == "a lasting world order, and a lasting peace"

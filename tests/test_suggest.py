"""`cleanup suggest`: name clusters and calque candidates mined from the samples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cleanup import load_rules
from cleanup.suggest import Cluster, name_clusters, name_key

ROOT = Path(__file__).parent.parent
CLEANUP = str(Path(sys.executable).parent / "cleanup")


def test_keys_join_transliterations_and_russian_forms():
    assert name_key("Pashinian") == name_key("Pashinyan")
    assert name_key("Dzheikhun") == name_key("Jeyhun")
    assert name_key("Lachinsky") == name_key("Lachin")


def test_clusters_join_case_forms_and_near_misses():
    text = "Lavrov said. Lavrova said. Gadrurt and the Gadrutsky district. Lavrov again."
    clusters = {c.canonical(): set(c.spellings) for c in name_clusters([text], set())}
    assert clusters == {"Lavrov": {"Lavrov", "Lavrova"}, "Gadrut": {"Gadrurt", "Gadrutsky"}}
    assert name_clusters([text], {"Lavrov", "Lavrova", "Gadrurt", "Gadrutsky"}) == []


def test_canonical_prefers_the_plain_form_an_adjective_comes_from():
    cluster = Cluster()
    cluster.spellings.update({"Lachin": 20, "Lachinsky": 2})
    assert cluster.canonical() == "Lachin"


def test_suggest_on_the_samples(tmp_path):
    out = tmp_path / "candidates.yaml"
    proc = subprocess.run(
        [CLEANUP, "suggest", "samples", "--no-default-rules", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    rules = load_rules([out])
    found = {e.canonical: {k.find for k in e.keys if not k.generated} for e in rules.names}
    assert found["Gadrut"] == {"Gadrurt", "Gadrutsky"}
    assert found["Pashinyan"] == {"Pashinian"}
    assert all(r.safety.value == "review" for r in rules.rules)
    text = out.read_text(encoding="utf-8")
    assert "# Word pairs far more frequent here" in text
    known = subprocess.run(
        [CLEANUP, "suggest", "samples"],  # checked against the bundled packs by default
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "Pashinian" not in known.stdout and "Gadrutsky" not in known.stdout


def test_a_cluster_the_packs_know_gets_their_english_name(tmp_path):
    (tmp_path / "a.txt").write_text("In Gadrut today. Near Gadrutt again. Gadrut once more.\n")
    proc = subprocess.run(
        [CLEANUP, "suggest", "a.txt"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "canonical: Hadrut" in proc.stdout, proc.stdout
    assert "Gadrutt" in proc.stdout


def test_english_word_pairs_are_not_calques():
    from cleanup.suggest import calque_candidates

    text = (
        "The peace treaty was signed. The peace treaty holds. The foreign minister spoke. "
        "The foreign minister left. The solar conflict goes on. The solar conflict again."
    )
    assert [c.words for c in calque_candidates([text])] == ["solar conflict"]
    everything = calque_candidates([text], english=frozenset())
    assert {"peace treaty", "foreign minister"} <= {c.words for c in everything}

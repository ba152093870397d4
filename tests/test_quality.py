"""The quality benchmark as a test: recall on the machine-translated development texts
cannot fall below its floor, keep strings must survive, and no edit may appear on the
native English texts that is not listed (and judged) in benchmarks/quality/floor.json.

The project's scorer must also agree with the yardstick that judges the tool
(../shared/eval/score.py, when it is there) on the project's own gold.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUALITY = ROOT / "benchmarks" / "quality"
YARDSTICK = ROOT.parent / "shared" / "eval" / "score.py"
FLOOR = json.loads((QUALITY / "floor.json").read_text(encoding="utf-8"))

sys.path.insert(0, str(QUALITY))
import scoring  # noqa: E402


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("quality") / "figures.json"
    done = subprocess.run(
        [sys.executable, str(QUALITY / "run.py"), "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_recall_per_kind_does_not_fall_below_the_floor(figures):
    kinds = figures["mt"]["kinds"]
    fallen = {
        kind: (kinds.get(kind, {}).get("fixed", 0), floor)
        for kind, floor in FLOOR["fixed"].items()
        if kinds.get(kind, {}).get("fixed", 0) < floor
    }
    assert not fallen, f"fewer items fixed than the floor (now, floor): {fallen}"


def test_every_keep_string_survives(figures):
    assert figures["mt"]["kept"] == 1.0


def test_no_unjudged_edit_on_native_english(figures):
    seen = sorted(
        f"{status} {name}:{line} {rule}: {before!r} -> {after!r}"
        for status in ("applied", "review")
        for name, line, rule, before, after in figures["english"][status]
    )
    judged = sorted(FLOOR["english"])
    assert seen == judged, (
        "edits on native English changed; judge each, then list the harmless ones in "
        "benchmarks/quality/floor.json:\n" + "\n".join(sorted(set(seen) ^ set(judged)))
    )


@pytest.mark.skipif(not YARDSTICK.exists(), reason="no ../shared/eval/score.py beside the project")
def test_the_scorer_agrees_with_the_yardstick(tmp_path):
    out = tmp_path / "out"
    cleanup = Path(sys.executable).with_name("cleanup")
    subprocess.run(
        [str(cleanup), "fix", "mt", "--out", str(out)],
        cwd=QUALITY,
        capture_output=True,
        check=True,
    )
    gold = QUALITY / "gold.yaml"
    theirs = subprocess.run(
        [sys.executable, str(YARDSTICK), str(QUALITY / "mt"), str(out), "--gold", str(gold)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    items, keeps = scoring.load_gold(gold)
    originals = {p.name: p.read_text(encoding="utf-8") for p in (QUALITY / "mt").glob("*.txt")}
    cleaned = {p.name: p.read_text(encoding="utf-8") for p in out.rglob("*.txt")}
    ours = scoring.score(originals, cleaned, items, keeps)
    rows = {
        m.group(1): (int(m.group(2)), int(m.group(3)))
        for m in re.finditer(r"^(\w+)\s+(\d+)\s+(\d+)\s+[\d.]+$", theirs, re.M)
    }
    rows.pop("overall")
    assert rows == ours.by_kind()
    last = theirs.strip().splitlines()[-1]
    assert last == (
        f"recall={ours.recall:.3f} kept={ours.kept_share:.3f} unannotated={len(ours.unannotated)}"
    )


def test_the_scorer_reads_fixes_as_the_gold_format_says():
    item = scoring.Item("f", "name", "the Lachinsky corridor", ("the Lachin corridor",))
    assert scoring.is_fixed(item, "along the Lachin corridor today")
    assert not scoring.is_fixed(item, "along the Lachinsky corridor today")
    deletion = scoring.Item("f", "boilerplate", "Read more\n", ("",))
    assert scoring.is_fixed(deletion, "end of story.\nNext")
    assert not scoring.is_fixed(deletion, "end of story.\nRead more\nNext")
    quotes = scoring.Item("f", "punctuation", 'region, "the', ('region," the',))
    assert scoring.is_fixed(quotes, 'in this region," the words')
    assert not scoring.is_fixed(quotes, 'in this region, "the words')
    regex = scoring.Item("f", "name", "Gadrut", ("re:Hadrut\\b",))
    assert scoring.is_fixed(regex, "in Hadrut today")


def test_alignment_maps_a_stretch_to_where_it_went():
    original = "One two three Gadrut four five."
    cleaned = "One two three Hadrut four five."
    alignment = scoring.Alignment(original, cleaned)
    at = original.index("Gadrut")
    assert alignment.region(at, at + 6, 0) == " Hadrut "
    assert list(alignment.changes([])) == [(at, "Gadrut", "Hadrut")]
    assert list(alignment.changes([(at, at + 6)])) == []

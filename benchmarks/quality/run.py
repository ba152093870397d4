"""Quality benchmark: recall on real machine translations, false edits on native English.

    ./dev bench quality [-v] [--json FILE] [-- CLEANUP_FIX_ARGS...]

1. `cleanup fix mt/ --format json` cleans the 30 machine-translated development texts;
   the cleaned copies are scored against gold.yaml (recall per artifact kind, keep
   strings kept, and changes no gold item explains, for a person to judge).
2. `cleanup fix english/ --format json` runs on 30 native English news texts, where a good
   tool changes nothing: every applied and every proposed (review) edit is listed, with
   the rates per 10,000 words.

Arguments after `--` go to both `cleanup fix` runs (`-- --grammar`, `-- --accept-review`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scoring import GoldError, load_gold, score  # noqa: E402


def cleanup_command() -> list[str]:
    """The installed `cleanup`, next to this Python, or on PATH."""
    beside = Path(sys.executable).with_name("cleanup")
    found = str(beside) if beside.exists() else shutil.which("cleanup")
    if found is None:
        sys.exit("run.py: no `cleanup` command; run ./dev bench quality")
    return [found]


def run_fix(folder: Path, out: Path, extra: list[str]) -> dict:
    """`cleanup fix FOLDER --out OUT --format json`, run from FOLDER's parent."""
    cmd = [*cleanup_command(), "fix", folder.name, "--out", str(out), "--format", "json", *extra]
    done = subprocess.run(cmd, cwd=folder.parent, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"run.py: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


def cleaned_texts(out: Path, names: list[str]) -> dict[str, str | None]:
    found = {p.name: p for p in out.rglob("*.txt")}
    return {n: found[n].read_text(encoding="utf-8") if n in found else None for n in names}


def short(text: str, width: int = 70) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 3] + "..."


def machine_translated(tmp: Path, extra: list[str], verbose: bool) -> dict:
    originals = texts(HERE / "mt")
    run_fix(HERE / "mt", tmp / "mt-out", extra)
    items, keeps = load_gold(HERE / "gold.yaml")
    result = score(originals, cleaned_texts(tmp / "mt-out", list(originals)), items, keeps)
    print("Machine-translated texts (mt/, gold.yaml)")
    print(f"  {'kind':<13}{'items':>6}{'fixed':>7}{'recall':>8}")
    kinds = result.by_kind()
    for kind, (total, fixed) in kinds.items():
        print(f"  {kind:<13}{total:>6}{fixed:>7}{fixed / total:>8.2f}")
    total = len(result.items)
    fixed = sum(ok for _, ok in result.items)
    print(f"  {'overall':<13}{total:>6}{fixed:>7}{result.recall:>8.2f}")
    lost = [k for k, ok in result.kept if not ok]
    print(f"  kept {result.kept_share:.3f} ({len(result.kept) - len(lost)}/{len(result.kept)})")
    for keep in lost:
        print(f"    lost: {keep.file}: {keep.text!r}")
    print(f"  unannotated edits: {len(result.unannotated)}")
    if verbose:
        for item, ok in result.items:
            mark = "x" if ok else " "
            print(f"    [{mark}] {item.file[:28]} {item.kind}: {short(item.find)!r}")
    for name, line, old, new in result.unannotated:
        print(f"    {name}:{line}: {short(old, 50)!r} -> {short(new, 50)!r}")
    return {
        "recall": result.recall,
        "kept": result.kept_share,
        "unannotated": len(result.unannotated),
        "kinds": {k: {"items": t, "fixed": f} for k, (t, f) in kinds.items()},
        "fixed": sorted(f"{i.file}: {i.find}" for i, ok in result.items if ok),
    }


def native_english(tmp: Path, extra: list[str]) -> dict:
    originals = texts(HERE / "english")
    words = sum(len(t.split()) for t in originals.values())
    report = run_fix(HERE / "english", tmp / "english-out", extra)
    applied, proposed = [], []
    suggestions = 0
    for entry in report["files"]:
        name = Path(entry["path"]).name
        for edit in entry["edits"]:
            row = (name, edit["line"], edit["rule"], edit["before"], edit["after"])
            if edit["status"] == "applied":
                applied.append(row)
            elif edit["status"] == "review":
                proposed.append(row)
            elif edit["status"] == "suggestion":
                suggestions += 1
    per = 10_000 / words
    print(f"\nNative English texts (english/, {len(originals)} texts, {words} words)")
    print(f"  applied edits:  {len(applied):>3}  ({len(applied) * per:.2f} per 10,000 words)")
    print(f"  review edits:   {len(proposed):>3}  ({len(proposed) * per:.2f} per 10,000 words)")
    print(f"  suggestions:    {suggestions:>3}  (shown only, never applied)")
    for title, rows in (("applied", applied), ("review", proposed)):
        for name, line, rule, before, after in rows:
            print(
                f"    {title:<7} {name}:{line} {rule}: "
                f"{short(before, 40)!r} -> {short(after, 40)!r}"
            )
    by_rule = Counter(row[2] for row in applied + proposed)
    return {
        "words": words,
        "applied": [list(r) for r in applied],
        "review": [list(r) for r in proposed],
        "suggestions": suggestions,
        "by_rule": dict(by_rule),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every gold item")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--write-floor",
        action="store_true",
        help="set floor.json to this run's figures (after judging every English edit)",
    )
    parser.add_argument("extra", nargs="*", help="arguments for `cleanup fix` (after --)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cleanup-quality-") as tmp:
        try:
            figures = {
                "mt": machine_translated(Path(tmp), args.extra, args.verbose),
                "english": native_english(Path(tmp), args.extra),
            }
        except GoldError as exc:
            print(f"run.py: {exc}", file=sys.stderr)
            return 2
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.write_floor:
        write_floor(figures)
    return 0


def write_floor(figures: dict) -> None:
    """floor.json from a run: the items fixed per kind, and every English edit (each one
    judged harmless by a person before the floor is written)."""
    english = sorted(
        f"{status} {name}:{line} {rule}: {before!r} -> {after!r}"
        for status in ("applied", "review")
        for name, line, rule, before, after in figures["english"][status]
    )
    floor = {
        "fixed": {kind: c["fixed"] for kind, c in figures["mt"]["kinds"].items()},
        "english": english,
    }
    path = HERE / "floor.json"
    path.write_text(json.dumps(floor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    sys.exit(main())

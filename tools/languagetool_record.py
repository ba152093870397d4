"""Record LanguageTool's raw matches on the project's real texts, by rule and category.

    .venv/bin/python tools/languagetool_record.py URL [--out benchmarks/quality/languagetool-record]

URL is a running LanguageTool (`cleanup grammar serve` prints one). The texts are split
and filtered as `cleanup fix --grammar` does (cleanup.matchers.grammar.sentences and
worth_checking) and sent as they are: no names filter, no pack policy, so the record shows
what LanguageTool itself says. Three sets:

- seeds: the sample articles (/work/shared/seeds/*.txt, else samples/);
- mt: the 30 machine-translated development texts (benchmarks/quality/mt/);
- english: the 30 native English texts (benchmarks/quality/english/), where every match
  is noise or a real slip of a native writer.

For every rule the record gives its matches per set, the English rate per 10,000 words,
how many matches touch a capitalised word that is no common English word (a name, for
the names layer), and the gold items of benchmarks/quality/gold.yaml that applying the
rule's first suggestions alone fixes (by kind). It writes OUT.json and OUT.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "quality"))

from scoring import load_gold, score  # noqa: E402

from cleanup.english import is_common_word  # noqa: E402
from cleanup.matchers.grammar import SEPARATOR, _batches, sentences, worth_checking  # noqa: E402

_CAPITALISED = regex.compile(r"\b\p{Lu}[\p{L}'’-]*")


LEVEL = "default"


def check(url: str, text: str) -> list[dict]:
    query = {"language": "en-US", "text": text, "level": LEVEL}
    data = urllib.parse.urlencode(query).encode()
    with urllib.request.urlopen(url.rstrip("/") + "/v2/check", data, timeout=300) as r:
        return list(json.load(r)["matches"])


def utf16_to_str(text: str) -> list[int]:
    """For each UTF-16 code unit offset, the str offset (a table; texts are small)."""
    table = []
    for i, c in enumerate(text):
        table.append(i)
        if ord(c) > 0xFFFF:
            table.append(i)
    table.append(len(text))
    return table


def matches_of(url: str, text: str) -> list[dict]:
    """LanguageTool's matches in ``text`` (str offsets), sentence by sentence."""
    spans = [(a, b) for a, b in sentences(text) if worth_checking(text[a:b])]
    placed = []
    index = 0
    for batch in _batches([text[a:b] for a, b in spans]):
        joined = SEPARATOR.join(batch)
        table = utf16_to_str(joined)
        starts = []
        pos = 0
        for s in batch:
            starts.append(pos)
            pos += len(s) + len(SEPARATOR)
        for m in check(url, joined):
            a = table[m["offset"]]
            b = table[m["offset"] + m["length"]]
            k = max(i for i, s in enumerate(starts) if s <= a)
            at = spans[index + k][0] - starts[k]
            placed.append(
                {
                    "start": at + a,
                    "end": at + b,
                    "rule": m["rule"]["id"],
                    "category": m["rule"]["category"]["id"],
                    "issue": m["rule"].get("issueType", ""),
                    "message": m["message"],
                    "replacements": [r["value"] for r in m["replacements"][:3]],
                }
            )
        index += len(batch)
    return placed


def names_in(original: str) -> bool:
    """Whether the match holds a capitalised word that is no common English word."""
    return any(not is_common_word(w.strip("'’-")) for w in _CAPITALISED.findall(original))


def applied(text: str, found: list[dict]) -> str:
    """``text`` with the first suggestion of each match, left to right, no overlaps."""
    out, pos = [], 0
    for m in sorted(found, key=lambda m: (m["start"], m["end"])):
        if m["start"] < pos or not m["replacements"]:
            continue
        out.append(text[pos : m["start"]])
        out.append(m["replacements"][0])
        pos = m["end"]
    out.append(text[pos:])
    return "".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/quality/languagetool-record")
    parser.add_argument("--level", choices=["default", "picky"], default="default")
    args = parser.parse_args()
    global LEVEL
    LEVEL = args.level
    seeds = Path("/work/shared/seeds")
    sets = {
        "seeds": sorted((seeds if seeds.is_dir() else ROOT / "samples").glob("*.txt")),
        "mt": sorted((ROOT / "benchmarks/quality/mt").glob("*.txt")),
        "english": sorted((ROOT / "benchmarks/quality/english").glob("*.txt")),
    }
    texts = {k: {p.name: p.read_text(encoding="utf-8") for p in v} for k, v in sets.items()}
    found: dict[str, dict[str, list[dict]]] = {}
    with ThreadPoolExecutor(2) as pool:
        for name, files in texts.items():
            results = pool.map(lambda t: matches_of(args.url, t), files.values())
            found[name] = dict(zip(files, results, strict=True))
    words = {k: sum(len(t.split()) for t in v.values()) for k, v in texts.items()}

    rules: dict[str, dict] = {}
    for set_name, per_file in found.items():
        for file, matches in per_file.items():
            for m in matches:
                r = rules.setdefault(
                    m["rule"],
                    {
                        "category": m["category"],
                        "issue": m["issue"],
                        "matches": Counter(),
                        "on_names": 0,
                        "examples": [],
                        "english_examples": [],
                    },
                )
                r["matches"][set_name] += 1
                text = texts[set_name][file]
                original = text[m["start"] : m["end"]]
                if set_name != "english" and names_in(original):
                    r["on_names"] += 1
                example = f"{original!r} -> {m['replacements'][:1]}"
                key = "english_examples" if set_name == "english" else "examples"
                if len(r[key]) < 3:
                    r[key].append(f"{file[:24]}: {example}")

    # Gold items each rule's first suggestions fix on their own.
    items, keeps = load_gold(ROOT / "benchmarks/quality/gold.yaml")
    originals = texts["mt"]
    for rule_id, r in rules.items():
        cleaned = {
            f: applied(t, [m for m in found["mt"][f] if m["rule"] == rule_id])
            for f, t in originals.items()
        }
        result = score(originals, cleaned, items, keeps)
        kinds = Counter(i.kind for i, ok in result.items if ok)
        r["gold_fixed"] = dict(kinds)
        r["gold_examples"] = [f"{i.file[:24]}: {i.find!r}" for i, ok in result.items if ok][:3]
        r["english_per_10k"] = round(r["matches"]["english"] * 10_000 / words["english"], 2)
        r["matches"] = dict(r["matches"])

    categories: dict[str, Counter] = defaultdict(Counter)
    for r in rules.values():
        for set_name, n in r["matches"].items():
            categories[r["category"]][set_name] += n
    record = {
        "languagetool": check_version(args.url),
        "language": "en-US",
        "level": LEVEL,
        "files": {k: len(v) for k, v in texts.items()},
        "words": words,
        "gold_items": dict(Counter(i.kind for i in items)),
        "categories": {k: dict(v) for k, v in sorted(categories.items())},
        "rules": dict(sorted(rules.items(), key=lambda kv: -sum(kv[1]["matches"].values()))),
    }
    args.out.with_suffix(".json").write_text(
        json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    args.out.with_suffix(".md").write_text(markdown(record), encoding="utf-8")
    return 0


def check_version(url: str) -> str:
    query = urllib.parse.urlencode({"language": "en-US", "text": "Version."})
    with urllib.request.urlopen(url.rstrip("/") + "/v2/check?" + query, timeout=30) as r:
        software = json.load(r)["software"]
    return f"{software['version']} ({software['buildDate']})"


def markdown(record: dict) -> str:
    w = record["words"]
    lines = [
        "# LanguageTool's raw matches on the project's texts",
        "",
        f"LanguageTool {record['languagetool']}, {record['language']}, level "
        f"{record['level']}; written by "
        "`tools/languagetool_record.py` (what LanguageTool returns for the sentences "
        "`cleanup fix --grammar` sends, before the names filter and the packs' policy).",
        "",
        f"Texts: seeds {record['files']['seeds']} files ({w['seeds']} words), "
        f"mt {record['files']['mt']} ({w['mt']} words), english {record['files']['english']} "
        f"({w['english']} words). Gold items in gold.yaml: {record['gold_items']}.",
        "",
        "## By category",
        "",
        "| category | seeds | mt | english | english per 10k words |",
        "|---|---:|---:|---:|---:|",
    ]
    for cat, n in sorted(record["categories"].items(), key=lambda kv: -sum(kv[1].values())):
        rate = n.get("english", 0) * 10_000 / w["english"]
        lines.append(
            f"| {cat} | {n.get('seeds', 0)} | {n.get('mt', 0)} | {n.get('english', 0)} "
            f"| {rate:.1f} |"
        )
    lines += [
        "",
        "## By rule",
        "",
        "`names`: matches (seeds and mt) on a capitalised word that is no common English "
        "word. `gold`: gold items (by kind) that the rule's first suggestions fix on their own.",
        "",
        "| rule | category | seeds | mt | english | eng/10k | names | gold "
        "| example (mt) | example (english) |",
        "|---|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for rule_id, r in record["rules"].items():
        m = r["matches"]
        gold = ", ".join(f"{k} {v}" for k, v in r["gold_fixed"].items()) or "-"
        ex = (r["examples"][:1] or ["-"])[0].replace("|", "\\|")
        ee = (r["english_examples"][:1] or ["-"])[0].replace("|", "\\|")
        lines.append(
            f"| {rule_id} | {r['category']} | {m.get('seeds', 0)} | {m.get('mt', 0)} | "
            f"{m.get('english', 0)} | {r['english_per_10k']} | {r['on_names']} | {gold} | "
            f"{ex} | {ee} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

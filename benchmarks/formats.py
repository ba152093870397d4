"""Throughput of `cleanup fix` on each input format, with the bundled rule packs.

The paragraphs of samples/*.txt are written, in turn, as every format the tool reads
(one paragraph per JSONL record, CSV row, PO entry, XLIFF unit, subtitle cue, HTML or
Markdown paragraph) until each file holds about --size-mb MB; each file is then cleaned
by the installed command, one process, and timed.

    .venv/bin/python benchmarks/formats.py --size-mb 2
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent


def _po(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _csv_row(i: int, p: str, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow([i, p, "source"])
    return out.getvalue()


MAKERS: dict[str, tuple[str, str, Callable[[int, str], str], str]] = {
    # format: (extension, head, one record, tail)
    "text": (".txt", "", lambda i, p: p + "\n\n", ""),
    "markdown": (".md", "", lambda i, p: f"{p} [link](https://x.org/?a={i}) `code`\n\n", ""),
    "html": (
        ".html",
        "<!DOCTYPE html>\n<html><body>\n",
        lambda i, p: f'<p class="c{i}">{escape(p)} <b>bold</b></p>\n',
        "</body></html>\n",
    ),
    "jsonl": (".jsonl", "", lambda i, p: json.dumps({"id": i, "text": p}) + "\n", ""),
    "csv": (".csv", "id,text,source\n", lambda i, p: _csv_row(i, p, ","), ""),
    "tsv": (".tsv", "id\ttext\tsource\n", lambda i, p: _csv_row(i, p.replace("\t", " "), "\t"), ""),
    "po": (".po", "", lambda i, p: f'msgid "m{i}"\nmsgstr "{_po(p)}"\n\n', ""),
    "xliff": (
        ".xlf",
        '<?xml version="1.0"?>\n<xliff version="1.2"><file original="x"><body>\n',
        lambda i, p: (
            f'<trans-unit id="{i}"><source>s</source><target>{escape(p)}</target></trans-unit>\n'
        ),
        "</body></file></xliff>\n",
    ),
    "srt": (
        ".srt",
        "",
        lambda i, p: f"{i + 1}\n00:00:01,000 --> 00:00:02,000\n{p.strip()}\n\n",
        "",
    ),
}


def build(fmt: str, size: int, paragraphs: list[str]) -> str:
    _, head, record, tail = MAKERS[fmt]
    parts = [head]
    n, i = len(head), 0
    while n < size:
        piece = record(i, paragraphs[i % len(paragraphs)])
        parts.append(piece)
        n += len(piece.encode("utf-8"))
        i += 1
    parts.append(tail)
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=2.0)
    parser.add_argument("--formats", default=",".join(MAKERS))
    args = parser.parse_args()
    cleanup = shutil.which("cleanup", path=str(Path(sys.executable).parent)) or "cleanup"
    paragraphs = [
        p.strip()
        for s in sorted((ROOT / "samples").glob("*.txt"))
        for p in s.read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    size = int(args.size_mb * 1_000_000)
    print("| format | MB | seconds | MB/s |")
    print("| --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            path = Path(tmp) / f"input{MAKERS[fmt][0]}"
            path.write_text(build(fmt, size, paragraphs), encoding="utf-8")
            mb = path.stat().st_size / 1_000_000
            start = time.perf_counter()
            proc = subprocess.run(
                [cleanup, "fix", path.name, "--out", "out", "--jobs", "1"],
                cwd=tmp,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
            if proc.returncode != 0:
                print(f"{fmt}: cleanup failed: {proc.stderr.strip()}", file=sys.stderr)
                return 1
            print(f"| {fmt} | {mb:.1f} | {seconds:.2f} | {mb / seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

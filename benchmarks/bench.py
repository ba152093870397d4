"""Benchmark `cleanup fix` against codespell: same corpus, same N word fixes, time and memory.

Run `python benchmarks/bench.py --help`; see benchmarks/README.md for how to read the report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import zip_longest
from pathlib import Path
from typing import Any, BinaryIO

SEED = 20240917
MB = 1_000_000  # MB and MB/s in the report are decimal megabytes
TYPO_EVERY = 40  # about one word in this many gets a misspelling
SUBFOLDERS = 8
SAMPLES = Path(__file__).resolve().parent.parent / "samples"

TOKEN = re.compile(r"[\w\-'\u2019]+")  # codespell's default word pattern
PLAIN_WORD = re.compile(r"[a-z]+")  # a token both tools see as exactly this word
SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+(?=[\"\u201cA-Z])|(?<=[.!?][\"\u201d])\s+(?=[\"\u201cA-Z])"
)
DICTIONARY_KEY = re.compile(r"[a-z']+")
PLAIN_YAML = re.compile(r"[A-Za-z][A-Za-z0-9 '\-]*")
YAML_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
CODESPELL_OK = (0, 65)  # 65: misspellings found (EX_DATAERR)
CLEANUP_OK = (0, 1)
CODESPELL_QUIET = "50"  # default 34 plus 16: don't list fixed files
WRAPPER = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:]); s = time.perf_counter() - t; "
    "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
    "sys.stderr.write(f'\\n{m} {r.returncode} {s}\\n')"
)
FIND_DICTIONARY = (
    "import codespell_lib, pathlib; "
    "print(pathlib.Path(codespell_lib.__file__).parent / 'data' / 'dictionary.txt')"
)

Entry = tuple[str, str]  # (wrong, right)


class BenchError(Exception):
    """A failure that ends the benchmark; its message says what went wrong."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """What was generated: sizes in bytes per layout, the largest file, typos injected."""

    one_bytes: int
    many_bytes: int
    many_files: int
    largest_many_file: int
    typos: int


@dataclass(frozen=True, slots=True)
class Measurement:
    """One timed child run: wall-clock seconds, peak RSS of the largest process, exit code."""

    seconds: float
    peak_rss_kib: int
    returncode: int
    stderr: str


@dataclass(frozen=True, slots=True)
class Run:
    """One row of the report."""

    layout: str
    rules: int
    tool: str
    jobs: int
    seconds: float
    mb_per_s: float
    peak_rss_mb: float
    ratio: float | None = None


def rule_counts(text: str) -> list[int]:
    """``--rules``: comma-separated counts, sorted and without repeats.

    >>> rule_counts("10000,1000,1000")
    [1000, 10000]
    """
    try:
        return sorted({int(n) for n in text.split(",")})
    except ValueError as error:
        msg = f"not a comma-separated list of numbers: {text!r}"
        raise argparse.ArgumentTypeError(msg) from error


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=100.0, help="corpus size (10^6 bytes)")
    parser.add_argument("--files", type=int, default=2000, help="files in the many-files layout")
    parser.add_argument(
        "--rules", type=rule_counts, default="1000,10000", help="rule counts, comma-separated"
    )
    parser.add_argument("--jobs", type=int, default=2, help="cleanup --jobs for the extra run")
    parser.add_argument("--workdir", type=Path, help="where to work (default: a temp dir)")
    parser.add_argument("--cleanup", type=Path, help="cleanup executable")
    parser.add_argument("--codespell", type=Path, help="codespell executable")
    parser.add_argument("--keep", action="store_true", help="keep corpus, rules and outputs")
    args = parser.parse_args(argv)
    if args.files < 1 or args.jobs < 1 or args.rules[0] < 1:
        parser.error("--files, --jobs and every --rules count must be at least 1")
    if args.size_mb * MB / args.files < 4096:
        parser.error("--size-mb / --files must leave at least 4 KB per file")
    return args


def find_tool(name: str, given: Path | None) -> Path:
    """The executable: as given, else next to this interpreter, else on PATH."""
    if given is not None:
        found = shutil.which(given)
        if found is None:
            msg = f"{given} is not an executable"
            raise BenchError(msg)
        return Path(found).absolute()
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return beside
    found = shutil.which(name)
    if found is None:
        msg = f"{name} not found next to {sys.executable} or on PATH; pass --{name}"
        raise BenchError(msg)
    return Path(found)


def codespell_dictionary(codespell: Path) -> Path:
    """codespell's dictionary.txt, from the interpreter in its shebang or from this one."""
    with codespell.open("rb") as script:
        first_line = script.readline().decode(errors="replace")
    if first_line.startswith("#!"):
        interpreter = shlex.split(first_line[2:])
        try:
            found = subprocess.run(
                [*interpreter, "-c", FIND_DICTIONARY], capture_output=True, text=True, check=True
            )
            return Path(found.stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            pass
    try:
        import codespell_lib
    except ImportError as error:
        msg = f"cannot find codespell's dictionary for {codespell}"
        raise BenchError(msg) from error
    return Path(codespell_lib.__file__).parent / "data" / "dictionary.txt"


def load_entries(dictionary: Path) -> list[Entry]:
    """Single-answer entries with a lowercase key that differs from its fix, in file order."""
    entries = []
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        wrong, _, right = (part.strip() for part in line.partition("->"))
        if right and "," not in right and wrong != right and DICTIONARY_KEY.fullmatch(wrong):
            entries.append((wrong, right))
    return entries


def yaml_scalar(value: str) -> str:
    """The value as a YAML scalar: plain when that is safe, else double-quoted.

    >>> yaml_scalar("about it"), yaml_scalar("false"), yaml_scalar("applique\u0301")
    ('about it', '"false"', '"applique\u0301"')
    """
    if PLAIN_YAML.fullmatch(value) and value.lower() not in YAML_RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def rule_id(wrong: str) -> str:
    """An explicit id for a key with apostrophes, whose implicit one could clash.

    The implicit id of ``aircrafts'`` would be that of ``aircrafts``; keys have no hyphens,
    so this mapping keeps ids apart from implicit ones and from each other.

    >>> rule_id("aircrafts'")
    'apos-aircrafts-'
    """
    return "apos-" + wrong.replace("'", "-")


def write_rule_set(entries: Sequence[Entry], workdir: Path) -> tuple[Path, Path]:
    """Write the codespell dictionary and the cleanup pack for these entries."""
    count = len(entries)
    dictionary = workdir / f"dict-{count}.txt"
    dictionary.write_text("".join(f"{w}->{r}\n" for w, r in entries), encoding="utf-8")
    pack = workdir / f"pack-{count}.yaml"
    lines = ["pack: bench", "phrases:"]
    for wrong, right in entries:
        lines += [f"  - find: {yaml_scalar(wrong)}", f"    replace: {yaml_scalar(right)}"]
        if "'" in wrong:
            lines.append(f"    id: {rule_id(wrong)}")
    pack.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dictionary, pack


def read_sentences(samples: Path) -> list[str]:
    """Every sentence of the sample articles, whitespace collapsed."""
    sentences = []
    for path in sorted(samples.glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            sentences += [s for s in SENTENCE_END.split(" ".join(block.split())) if s]
    if not sentences:
        msg = f"no sentences in {samples}/*.txt"
        raise BenchError(msg)
    return sentences


def plain_word_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of the tokens that are plain lowercase words (where typos may go)."""
    return [m.span() for m in TOKEN.finditer(sentence) if PLAIN_WORD.fullmatch(m.group())]


class TypoInjector:
    """Replaces about one word in TYPO_EVERY with a misspelling taken from ``entries``."""

    def __init__(self, entries: Sequence[Entry], sentences: Sequence[str], rng: random.Random):
        self._wrongs_for: dict[str, list[str]] = {}
        for wrong, right in entries:
            self._wrongs_for.setdefault(right, []).append(wrong)
        self._wrongs = [wrong for wrong, _ in entries]
        self._rng = rng
        self._spans = {s: plain_word_spans(s) for s in sentences}
        plain = sum(len(spans) for spans in self._spans.values())
        tokens = sum(len(TOKEN.findall(s)) for s in sentences)
        # Gaps count plain words only, so shrink them to keep the rate per word of any kind.
        self._mean_gap = max(1, round(TYPO_EVERY * plain / max(tokens, 1)))
        self._gap = self._next_gap()
        self.count = 0

    def _next_gap(self) -> int:
        return self._rng.randint(1, 2 * self._mean_gap - 1)

    def _misspell(self, word: str) -> str:
        self.count += 1
        return self._rng.choice(self._wrongs_for.get(word) or self._wrongs)

    def __call__(self, sentence: str) -> str:
        """The sentence with its typos (if the next typo falls inside it)."""
        spans = self._spans[sentence]
        if self._gap > len(spans):
            self._gap -= len(spans)
            return sentence
        pieces, last, index = [], 0, self._gap - 1
        while index < len(spans):
            start, end = spans[index]
            pieces += [sentence[last:start], self._misspell(sentence[start:end])]
            last = end
            index += self._next_gap()
        self._gap = index - len(spans) + 1
        pieces.append(sentence[last:])
        return "".join(pieces)


def paragraphs(sentences: Sequence[str], inject: TypoInjector, rng: random.Random) -> Iterator[str]:
    """Endless paragraphs of 3-6 sentences, drawn from reshuffled rounds of ``sentences``."""
    deck: list[str] = []
    while True:
        chosen = []
        for _ in range(rng.randint(3, 6)):
            if not deck:
                deck = list(sentences)
                rng.shuffle(deck)
            chosen.append(inject(deck.pop()))
        yield " ".join(chosen)


def many_path(many: Path, index: int, files: int) -> Path:
    """The index-th file of the many-files layout, in one of SUBFOLDERS folders."""
    folder = many / f"part-{index * SUBFOLDERS // files}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"doc-{index:05d}.txt"


def write_corpus(
    workdir: Path, size: int, files: int, source: Iterator[str], inject: TypoInjector
) -> Corpus:
    """Write paragraphs until one/corpus.txt has ``size`` bytes; many/ gets the same split."""
    (workdir / "one").mkdir()
    per_file = size / files
    one_bytes = many_bytes = current = largest = index = 0
    part: BinaryIO = many_path(workdir / "many", 0, files).open("wb")
    with (workdir / "one" / "corpus.txt").open("wb") as one:
        while one_bytes < size:
            data = next(source).encode() + b"\n"
            if one_bytes and index < files - 1 and one_bytes >= (index + 1) * per_file:
                part.close()
                largest, current, index = max(largest, current), 0, index + 1
                part = many_path(workdir / "many", index, files).open("wb")
            separator = b"\n" if one_bytes else b""
            one.write(separator + data)
            one_bytes += len(separator) + len(data)
            separator = b"\n" if current else b""
            part.write(separator + data)
            current += len(separator) + len(data)
            many_bytes += len(separator) + len(data)
    part.close()
    return Corpus(one_bytes, many_bytes, index + 1, max(largest, current), inject.count)


def measure(cmd: Sequence[str | Path], cwd: Path) -> Measurement:
    """Run ``cmd`` under a wrapper that reports its wall time and peak RSS."""
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, *map(str, cmd)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        check=False,
    )
    *lines, last = proc.stderr.splitlines() or [""]
    try:
        rss, code, seconds = last.split()
        return Measurement(float(seconds), int(rss), int(code), "\n".join(lines).strip())
    except ValueError as error:
        msg = f"could not run {shlex.join(map(str, cmd))}:\n{proc.stderr}"
        raise BenchError(msg) from error


def layout_input(layout: str) -> Path:
    """What the tools are given for a layout: the one file, or the folder of many."""
    return Path(layout, "corpus.txt") if layout == "one" else Path(layout)


def fresh(path: Path) -> Path:
    """The path, with anything already there removed."""
    if path.exists():
        shutil.rmtree(path)
    return path


def run_cleanup(
    exe: Path, workdir: Path, layout: str, pack: Path, jobs: int
) -> tuple[Measurement, Path]:
    """`cleanup fix` the layout into a fresh output folder."""
    out = fresh(workdir / "runs" / f"cleanup-{layout}-{pack.stem}-j{jobs}")
    source = layout_input(layout)
    options = ["--no-default-rules", "--rules", pack.name, "--out", str(out), "--jobs", str(jobs)]
    result = measure([exe, "fix", source, *options], workdir)
    if result.returncode not in CLEANUP_OK:
        msg = f"cleanup exited {result.returncode} on {layout} with {pack.name}:\n{result.stderr}"
        raise BenchError(msg)
    return result, out


def run_codespell(
    exe: Path, workdir: Path, layout: str, dictionary: Path
) -> tuple[Measurement, Path]:
    """`codespell -w` a fresh copy of the layout (copying is not timed)."""
    copy = fresh(workdir / "runs" / f"codespell-{layout}-{dictionary.stem}")
    shutil.copytree(workdir / layout, copy)
    target = copy / layout_input(layout).relative_to(layout)
    options = ["-w", "-D", dictionary.name, "--quiet-level", CODESPELL_QUIET]
    result = measure([exe, *options, target], workdir)
    if result.returncode not in CODESPELL_OK:
        msg = f"codespell exited {result.returncode} on {layout}:\n{result.stderr}"
        raise BenchError(msg)
    return result, copy


def differing_lines(first: Path, second: Path) -> int:
    """How many lines differ between two text files (compared line by line)."""
    with first.open(encoding="utf-8") as a, second.open(encoding="utf-8") as b:
        return sum(x != y for x, y in zip_longest(a, b))


def output_file(out: Path) -> Path:
    """cleanup's cleaned copy of one/corpus.txt inside its output folder."""
    found = sorted(out.rglob("corpus.txt"))
    if not found:
        msg = f"cleanup wrote no corpus.txt under {out}"
        raise BenchError(msg)
    return found[0]


def make_run(layout: str, rules: int, tool: str, jobs: int, size: int, m: Measurement) -> Run:
    """A report row from a measurement over ``size`` input bytes."""
    rss_mb = m.peak_rss_kib * 1024 / MB
    return Run(layout, rules, tool, jobs, m.seconds, size / MB / m.seconds, rss_mb)


def with_ratios(runs: Sequence[Run]) -> list[Run]:
    """Rows with cleanup's MB/s over codespell's for the same layout and rule count."""
    codespell = {(r.layout, r.rules): r.mb_per_s for r in runs if r.tool == "codespell"}
    return [
        replace(r, ratio=r.mb_per_s / codespell[r.layout, r.rules])
        if r.tool == "cleanup" and (r.layout, r.rules) in codespell
        else r
        for r in runs
    ]


def remove(paths: Iterable[Path]) -> None:
    """Delete these files and folders where they exist."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def run_all(
    args: argparse.Namespace, workdir: Path, rule_sets: dict[int, tuple[Path, Path]], corpus: Corpus
) -> tuple[list[Run], int]:
    """Every timed run; also the differing-line count of the one-file, fewest-rules check."""
    runs: list[Run] = []
    differing = -1
    sizes = {"one": corpus.one_bytes, "many": corpus.many_bytes}
    for count, (dictionary, pack) in rule_sets.items():
        for layout, size in sizes.items():
            jobs_list = [1] if layout == "one" or args.jobs == 1 else [1, args.jobs]
            outputs = []
            for jobs in jobs_list:
                progress(f"cleanup {layout} rules={count} jobs={jobs}")
                result, out = run_cleanup(args.cleanup, workdir, layout, pack, jobs)
                runs.append(make_run(layout, count, "cleanup", jobs, size, result))
                outputs.append(out)
            progress(f"codespell {layout} rules={count}")
            result, copy = run_codespell(args.codespell, workdir, layout, dictionary)
            runs.append(make_run(layout, count, "codespell", 1, size, result))
            if layout == "one" and differing < 0:
                differing = differing_lines(output_file(outputs[0]), copy / "corpus.txt")
            if not args.keep:
                remove([*outputs, copy])
    return with_ratios(runs), differing


def progress(message: str) -> None:
    """A status line on stderr."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def version(exe: Path) -> str:
    """What ``exe --version`` prints (first line)."""
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if lines else f"unknown (exit {proc.returncode})"


def find_run(runs: Sequence[Run], layout: str, rules: int, tool: str, jobs: int) -> Run | None:
    """The row with these keys, if any."""
    return next(
        (r for r in runs if (r.layout, r.rules, r.tool, r.jobs) == (layout, rules, tool, jobs)),
        None,
    )


def derived(runs: Sequence[Run], args: argparse.Namespace, corpus: Corpus) -> dict[str, Any]:
    """The figures the project has targets for, per layout where it applies."""
    low, high = args.rules[0], args.rules[-1]
    figures: dict[str, Any] = {"throughput_ratio": {}, "time_scaling": {}, "jobs_speedup": {}}
    for layout in ("one", "many"):
        top = find_run(runs, layout, high, "cleanup", 1)
        base = find_run(runs, layout, low, "cleanup", 1)
        figures["throughput_ratio"][layout] = top.ratio if top else None
        figures["time_scaling"][layout] = top.seconds / base.seconds if top and base else None
    for count in args.rules:
        single = find_run(runs, "many", count, "cleanup", 1)
        multi = find_run(runs, "many", count, "cleanup", args.jobs)
        speedup = single.seconds / multi.seconds if single and multi and args.jobs > 1 else None
        figures["jobs_speedup"][str(count)] = speedup
    peak = max(r.peak_rss_mb for r in runs if r.tool == "cleanup" and r.layout == "one")
    figures["memory_ratio"] = peak * MB / corpus.one_bytes
    return figures


def fmt(value: float | None, suffix: str = "") -> str:
    """A figure for the report with two decimals, or n/a."""
    return "n/a" if value is None else f"{value:.2f}{suffix}"


def table(runs: Sequence[Run], corpus: Corpus) -> str:
    """The markdown table of runs."""
    names = {"one": "one file", "many": f"{corpus.many_files} files"}
    lines = [
        "| layout | rules | tool | jobs | seconds | MB/s | peak RSS MB | cleanup/codespell |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        rss = f"{r.peak_rss_mb:.0f}" + ("*" if r.jobs > 1 else "")
        lines.append(
            f"| {names[r.layout]} | {r.rules} | {r.tool} | {r.jobs} | {r.seconds:.2f} "
            f"| {r.mb_per_s:.1f} | {rss} | {'' if r.ratio is None else fmt(r.ratio, 'x')} |"
        )
    lines.append("")
    lines.append(
        "\\* peak RSS of the largest single process (ru_maxrss), not the sum over workers."
    )
    return "\n".join(lines)


def summary(figures: dict[str, Any], args: argparse.Namespace) -> str:
    """The derived figures against their targets, as markdown bullets."""
    low, high = args.rules[0], args.rules[-1]
    ratio, scaling = figures["throughput_ratio"], figures["time_scaling"]
    speedups = ", ".join(
        f"{count} rules {fmt(value, 'x')}" for count, value in figures["jobs_speedup"].items()
    )
    return "\n".join(
        [
            f"- cleanup / codespell throughput at {high} rules: one file {fmt(ratio['one'], 'x')}"
            f", many files {fmt(ratio['many'], 'x')} (target >= 2x)",
            f"- cleanup time at {high} rules / at {low} rules: one file {fmt(scaling['one'])}"
            f", many files {fmt(scaling['many'])} (target <= ~1.3)",
            f"- cleanup peak RSS / largest file (one file): {fmt(figures['memory_ratio'])} "
            "(target <= 3)",
            f"- cleanup jobs speed-up, many files, --jobs {args.jobs} vs 1: {speedups}",
        ]
    )


def machine(args: argparse.Namespace) -> dict[str, Any]:
    """What the numbers were measured on."""
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "cleanup": version(args.cleanup),
        "codespell": version(args.codespell),
    }


def report(
    args: argparse.Namespace, corpus: Corpus, runs: list[Run], differing: int, workdir: Path
) -> None:
    """Print the markdown report and write report.json."""
    figures = derived(runs, args, corpus)
    info = machine(args)
    print(table(runs, corpus))
    print()
    print(
        f"Corpus: {corpus.one_bytes / MB:.1f} MB, one file and {corpus.many_files} files "
        f"(largest {corpus.largest_many_file / 1000:.0f} KB); {corpus.typos} typos injected."
    )
    print(
        f"Lines differing between cleanup and codespell (one file, {args.rules[0]} rules): "
        f"{differing}"
    )
    print()
    print(
        f"Machine: nproc {info['nproc']}, Python {info['python']}, {info['platform']}, "
        f"load average {' '.join(map(str, info['load_average']))}; "
        f"cleanup --version: {info['cleanup']}; codespell --version: {info['codespell']}"
    )
    print()
    print(summary(figures, args))
    data = {
        "machine": info,
        "corpus": asdict(corpus),
        "runs": [asdict(r) for r in runs],
        "differing_lines": differing,
        "derived": figures,
    }
    path = workdir / "report.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON report: {path}")


def prepare(args: argparse.Namespace, workdir: Path) -> tuple[dict[int, tuple[Path, Path]], Corpus]:
    """Write the rule sets and the corpus into the work dir."""
    entries = load_entries(codespell_dictionary(args.codespell))
    if len(entries) < args.rules[-1]:
        msg = f"codespell's dictionary has only {len(entries)} usable entries"
        raise BenchError(msg)
    rule_sets = {count: write_rule_set(entries[:count], workdir) for count in args.rules}
    progress(f"generating {args.size_mb:g} MB in one file and in {args.files} files")
    rng = random.Random(SEED)
    sentences = read_sentences(SAMPLES)
    inject = TypoInjector(entries[: args.rules[0]], sentences, rng)
    size = round(args.size_mb * MB)
    return rule_sets, write_corpus(
        workdir, size, args.files, paragraphs(sentences, inject, rng), inject
    )


def generated(workdir: Path, rules: Sequence[int]) -> list[Path]:
    """Everything the benchmark writes into the work dir except report.json."""
    names = [
        "one",
        "many",
        "runs",
        *(f"{kind}-{n}.{ext}" for n in rules for kind, ext in (("dict", "txt"), ("pack", "yaml"))),
    ]
    return [workdir / name for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, run, report; the work dir keeps only report.json unless --keep."""
    args = parse_args(argv)
    made = args.workdir is None
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="cleanup-bench-"))).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        args.cleanup = find_tool("cleanup", args.cleanup)
        args.codespell = find_tool("codespell", args.codespell)
        remove(generated(workdir, args.rules))
        rule_sets, corpus = prepare(args, workdir)
        runs, differing = run_all(args, workdir, rule_sets, corpus)
        report(args, corpus, runs, differing, workdir)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            remove(generated(workdir, args.rules))
        if made and not any(workdir.iterdir()):
            workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())

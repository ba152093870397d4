"""Benchmark `cleanup fix` against codespell: same corpus, same N word fixes, time and memory.

Also its names layer (generated wrong forms of N names, fuzzy near-misses) against literal
rules alone. Run `python benchmarks/bench.py --help`; see benchmarks/README.md for how to
read the report.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import shlex
import shutil
import string
import subprocess
import sys
import tempfile
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from itertools import zip_longest
from pathlib import Path
from typing import Any, BinaryIO

SEED = 20240917
MB = 1_000_000  # MB and MB/s in the report are decimal megabytes
TYPO_EVERY = 40  # about one word in this many gets a misspelling
SUBFOLDERS = 8
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# News text for the bundled packs: the quality benchmark's machine translations and the
# samples, whole paragraphs in a shuffled order.
NEWS_SOURCES = (Path(__file__).resolve().parent / "quality" / "mt", SAMPLES)
NEWS_SEED = SEED + 3
TYPOS_OK = (0, 2)  # 2: typos found
CACHE_DIR_ENV = "CLEANUP_CACHE_DIR"  # where cleanup keeps rule files read before

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
# The English word list cleanup itself uses (pyspellchecker's): no name may be in it.
FIND_ENGLISH = (
    "import spellchecker, pathlib; "
    "print(pathlib.Path(spellchecker.__file__).parent / 'resources' / 'en.json.gz')"
)

# The names layer. Names are built from syllables: onset, vowel, coda, then an ending.
NAMES_SEED = SEED + 1  # the names; the names corpus uses SEED + 2
NAME_EVERY = 60  # about one word in this many becomes a name in the names corpus
WRONG_SHARE = 0.30  # mentions written in a wrong form that `cleanup rules show` lists
NEAR_MISS_SHARE = 0.05  # mentions with one letter changed, for fuzzy discovery
SHOWN_NAMES = 100  # names whose `cleanup rules show` forms are injected (one call each)
RECALL_SAMPLE = 200  # wrong forms and near-misses checked one by one
SHOWN_MISSES = 10  # missed ones printed (report.json has all)
# One changed letter in 8 leaves rapidfuzz's ratio at 100 * (1 - 1/8) = 87.5, above
# cleanup's default near-miss score of 85.
NEAR_MISS_LETTERS = 8
NEAR_EDITS = 2  # letters removed from each of two words to tell whether fuzzy finds them close
# Names made beyond --names, for those dropped for a form that codespell's dictionary has.
SPARE_NAMES = 0.05
CANDIDATES_PACK = "names-candidates.yaml"
MIN_NAMES = 100  # the fewest --names takes: enough long names for near-misses
GIVEN_NAMES = 400  # persons share given names from a pool this large
PLACE_SHARE = 1 / 3
ONSETS = ("", *"b d g gh h j k kh l m n p r s sh t ts v z zh ch".split())
VOWELS = tuple("a a e e i o u ya ye ey ay".split())  # repeats make a letter more likely
CODAS = ("", "", "", *"r n m s k z sh l t v d".split())
GIVEN_ENDINGS = tuple("am en org an ot ik ek el ar un ur id ad".split())
SURNAME_ENDINGS = tuple("yan yan ov ev yev in li".split())
# An -li surname takes no case endings; starting it with a letter that transliterates gives
# it wrong forms, which a name entry needs to load.
LI_ONSETS = ("h", "j", "kh")
PLACE_ENDINGS = tuple("abad kend shen avan adzor lu ut ak ir ash ar ovka ino chay a".split())
# How `cleanup rules show` notes a generated form, and the kind the report calls it.
FORM_KINDS = {
    "transliteration": "transliteration",
    "Russian case ending": "case ending",
    "Russian adjective": "adjective",
}
# A form line of `cleanup rules show`: "  Bairamov -> Bayramov    [transliteration ay>ai]".
SHOWN_FORM = re.compile(r"  (\S+(?: \S+)*) -> (\S+(?: \S+)*)    \[(" + "|".join(FORM_KINDS) + ")")
# The rule sets of the names corpus: the phrase pack (literal rules that find almost
# nothing there), every form the names pack generates written out as phrases (the same
# fixes with no names layer), the names pack, and the phrase pack with the names pack.
PACKS = ("literal-only", "forms", "names", "both")
TINY_TEXT = "The talks ended on Friday.\n"

Entry = tuple[str, str]  # (wrong, right)


class BenchError(Exception):
    """A failure that ends the benchmark; its message says what went wrong."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """What was generated: sizes in bytes per layout, the largest file, words replaced."""

    one_bytes: int
    many_bytes: int
    many_files: int
    largest_many_file: int
    injected: int  # typos, or names in the names corpus


@dataclass(frozen=True, slots=True)
class Measurement:
    """One timed child run: wall-clock seconds, peak RSS of the largest process, exit code."""

    seconds: float
    peak_rss_kib: int
    returncode: int
    stderr: str


@dataclass(frozen=True, slots=True)
class Run:
    """One row of the report.

    ``ratio`` is cleanup's MB/s over codespell's in the main table, and the run's time over
    the literal-only run's in the names table.
    """

    layout: str
    rules: int
    tool: str
    jobs: int
    seconds: float
    mb_per_s: float
    peak_rss_mb: float
    ratio: float | None = None


@dataclass(frozen=True, slots=True)
class Startup:
    """`cleanup fix` on one short line: what loading and compiling a rule set costs."""

    rules: int
    packs: str
    seconds: float
    peak_rss_mb: float


@dataclass(frozen=True, slots=True)
class Name:
    """A synthetic name entry: a person (given name and surname) or a place."""

    canonical: str
    surname: str = ""  # empty for a place

    @property
    def word(self) -> str:
        """The word near-misses change: the surname, or the place's name."""
        return self.surname or self.canonical


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as written into the names corpus, and what cleanup should make of it."""

    text: str
    target: str
    kind: str  # canonical, transliteration, case ending, adjective or near-miss


@dataclass(frozen=True, slots=True)
class NamesResult:
    """The names layer: its corpus, timed runs, start-up costs and the edit check."""

    corpus: Corpus
    mentions: dict[str, int]
    shown_names: int
    runs: list[Run]
    startup: list[Startup]
    edits: dict[str, int]
    check: dict[str, Any]


# The tool column of the run on a local Dask cluster.
DASK_TOOL = "cleanup --dask"


def rule_counts(text: str) -> list[int]:
    """``--rules`` and ``--names``: comma-separated counts, sorted and without repeats.

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
    parser.add_argument(
        "--names", type=rule_counts, default="1000,10000", help="name counts, comma-separated"
    )
    parser.add_argument(
        "--no-names", dest="names", action="store_const", const=[], help="skip the names layer"
    )
    parser.add_argument(
        "--news-mb", type=float, default=20.0, help="news corpus for the bundled packs (10^6 bytes)"
    )
    parser.add_argument(
        "--news-files", type=int, default=200, help="files in the news corpus's many-files layout"
    )
    parser.add_argument(
        "--no-news", dest="news_mb", action="store_const", const=0.0, help="skip the news runs"
    )
    parser.add_argument("--jobs", type=int, default=2, help="cleanup --jobs for the extra run")
    parser.add_argument(
        "--no-dask",
        dest="dask",
        action="store_false",
        help="skip the run on a local Dask cluster (run when cleanup has its dask extra)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds of the literal-rules runs, the tools in turn; each keeps its quickest",
    )
    parser.add_argument("--workdir", type=Path, help="where to work (default: a temp dir)")
    parser.add_argument("--cleanup", type=Path, help="cleanup executable")
    parser.add_argument("--codespell", type=Path, help="codespell executable")
    typos = parser.add_mutually_exclusive_group()
    typos.add_argument(
        "--typos", type=Path, help="typos executable (default: found as cleanup is; else skipped)"
    )
    typos.add_argument(
        "--no-typos",
        action="store_true",
        help="skip the typos runs (on one file of 100 MB they take many minutes)",
    )
    parser.add_argument("--keep", action="store_true", help="keep corpus, rules and outputs")
    args = parser.parse_args(argv)
    if args.files < 1 or args.jobs < 1 or args.repeat < 1 or args.rules[0] < 1:
        parser.error("--files, --jobs, --repeat and every --rules count must be at least 1")
    if args.names and args.names[0] < MIN_NAMES:
        parser.error(f"every --names count must be at least {MIN_NAMES}")
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


def optional_tool(name: str, given: Path | None) -> Path | None:
    """The executable as ``find_tool`` finds it, or None when it is not installed (a
    tool given on the command line must be there)."""
    if given is not None:
        return find_tool(name, given)
    try:
        return find_tool(name, None)
    except BenchError:
        progress(f"{name} not found: its runs are skipped (pip install {name})")
        return None


def python_output(exe: Path, code: str) -> str:
    """What ``code`` prints when run by the Python in ``exe``'s shebang, else by this one."""
    with exe.open("rb") as script:
        first_line = script.readline().decode(errors="replace")
    interpreters = [shlex.split(first_line[2:])] if first_line.startswith("#!") else []
    for interpreter in [*interpreters, [sys.executable]]:
        try:
            found = subprocess.run(
                [*interpreter, "-c", code], capture_output=True, text=True, check=True
            )
            return found.stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            continue
    msg = f"cannot run {code!r} with the Python of {exe} or this one"
    raise BenchError(msg)


def codespell_dictionary(codespell: Path) -> Path:
    """codespell's dictionary.txt, found by the Python that runs codespell."""
    return Path(python_output(codespell, FIND_DICTIONARY))


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
    # typos: the same fixes as words it adds to its own dictionary (TOML basic strings
    # take JSON's escapes)
    words = "".join(f"{json.dumps(w)} = {json.dumps(r)}\n" for w, r in entries)
    config = f"[default.extend-words]\n{words}"
    (workdir / f"typos-{count}.toml").write_text(config, encoding="utf-8")
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


class Injector(ABC):
    """Replaces about one word in ``every`` with what ``_replace`` makes of it.

    ``paragraph`` counts the paragraphs started (``paragraphs`` advances it): paragraph p
    is line 2p - 1 of the one-file layout.
    """

    def __init__(self, every: int, sentences: Sequence[str], rng: random.Random) -> None:
        self._rng = rng
        self._spans = {s: plain_word_spans(s) for s in sentences}
        plain = sum(len(spans) for spans in self._spans.values())
        tokens = sum(len(TOKEN.findall(s)) for s in sentences)
        # Gaps count plain words only, so shrink them to keep the rate per word of any kind.
        self._mean_gap = max(1, round(every * plain / max(tokens, 1)))
        self._gap = self._next_gap()
        self.count = 0
        self.paragraph = 0

    def _next_gap(self) -> int:
        return self._rng.randint(1, 2 * self._mean_gap - 1)

    @abstractmethod
    def _replace(self, word: str) -> str:
        """What replaces this plain word."""

    def __call__(self, sentence: str) -> str:
        """The sentence with its replacements (if the next one falls inside it)."""
        spans = self._spans[sentence]
        if self._gap > len(spans):
            self._gap -= len(spans)
            return sentence
        pieces, last, index = [], 0, self._gap - 1
        while index < len(spans):
            start, end = spans[index]
            pieces += [sentence[last:start], self._replace(sentence[start:end])]
            self.count += 1
            last = end
            index += self._next_gap()
        self._gap = index - len(spans) + 1
        pieces.append(sentence[last:])
        return "".join(pieces)


class TypoInjector(Injector):
    """Replaces about one word in TYPO_EVERY with a misspelling taken from ``entries``."""

    def __init__(self, entries: Sequence[Entry], sentences: Sequence[str], rng: random.Random):
        self._wrongs_for: dict[str, list[str]] = {}
        for wrong, right in entries:
            self._wrongs_for.setdefault(right, []).append(wrong)
        self._wrongs = [wrong for wrong, _ in entries]
        super().__init__(TYPO_EVERY, sentences, rng)

    def _replace(self, word: str) -> str:
        """The misspelling of this word when the rule set has one, else a random one."""
        return self._rng.choice(self._wrongs_for.get(word) or self._wrongs)


class NameInjector(Injector):
    """Replaces about one word in NAME_EVERY with a name, and keeps every mention.

    Most mentions are canonical names (any of ``names``); WRONG_SHARE are wrong forms of
    a shown name (a kind of form, then a form of that kind); NEAR_MISS_SHARE are a long
    surname or place name with one letter changed.
    """

    def __init__(
        self,
        names: Sequence[Name],
        wrong_forms: Sequence[dict[str, list[Mention]]],
        avoid: frozenset[str],
        sentences: Sequence[str],
        rng: random.Random,
    ) -> None:
        super().__init__(NAME_EVERY, sentences, rng)
        self._canonical = [Mention(n.canonical, n.canonical, "canonical") for n in names]
        self._wrong = [list(forms.values()) for forms in wrong_forms]
        self._long = [n.word for n in names if len(n.word) >= NEAR_MISS_LETTERS]
        self._avoid = avoid
        self.mentions: list[tuple[int, Mention]] = []  # (paragraph, mention), in text order

    def _replace(self, word: str) -> str:
        """A name mention (whatever the word was)."""
        rng = self._rng
        draw = rng.random()
        if draw < NEAR_MISS_SHARE:
            mention = self._near_miss(rng.choice(self._long))
        elif draw < NEAR_MISS_SHARE + WRONG_SHARE:
            mention = rng.choice(rng.choice(rng.choice(self._wrong)))
        else:
            mention = rng.choice(self._canonical)
        self.mentions.append((self.paragraph, mention))
        return mention.text

    def _near_miss(self, word: str) -> Mention:
        """The word with one inner letter changed, into no known word or name."""
        while True:
            index = self._rng.randrange(1, len(word) - 1)
            miss = word[:index] + self._rng.choice(string.ascii_lowercase) + word[index + 1 :]
            if miss != word and miss.lower() not in self._avoid:
                return Mention(miss, word, "near-miss")


def paragraphs(sentences: Sequence[str], inject: Injector, rng: random.Random) -> Iterator[str]:
    """Endless paragraphs of 3-6 sentences, drawn from reshuffled rounds of ``sentences``."""
    deck: list[str] = []
    while True:
        inject.paragraph += 1
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
    workdir: Path, size: int, files: int, source: Iterator[str], inject: Injector
) -> Corpus:
    """Write paragraphs until one/corpus.txt has ``size`` bytes; many/ gets the same split."""
    (workdir / "one").mkdir(parents=True)
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


def deletions(word: str, times: int = NEAR_EDITS) -> set[str]:
    """The word with up to ``times`` letters removed, the word itself included.

    Two words share one of these when removing at most ``times`` letters from each makes
    them equal, as for most pairs of names that cleanup's fuzzy score finds close.

    >>> sorted(deletions("abc", 1))
    ['ab', 'abc', 'ac', 'bc']
    """
    found = frontier = {word}
    for _ in range(times):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found = found | frontier
    return found


class WordMaker:
    """Fresh capitalised words built from syllables, none of them in ``unusable`` and none
    sharing a deletion form with ``near``."""

    def __init__(self, rng: random.Random, unusable: frozenset[str], near: frozenset[str]):
        self._rng = rng
        self._unusable = unusable
        self._near = near
        self.used: set[str] = set()  # lower case

    def _syllable(self, onsets: Sequence[str]) -> str:
        rng = self._rng
        return rng.choice(onsets) + rng.choice(VOWELS) + rng.choice(CODAS)

    def __call__(self, endings: Sequence[str], syllables: int) -> str:
        """A new word of ``syllables`` syllables and one of ``endings``."""
        while True:
            ending = self._rng.choice(endings)
            first = self._syllable(LI_ONSETS if ending == "li" else ONSETS)
            rest = "".join(self._syllable(ONSETS) for _ in range(syllables - 1))
            word = first + rest + ending
            new = word not in self._unusable and word not in self.used
            if new and self._near.isdisjoint(deletions(word)):
                self.used.add(word)
                return word.capitalize()


def make_names(
    count: int, unusable: frozenset[str], near: frozenset[str]
) -> tuple[list[Name], frozenset[str]]:
    """``count`` distinct names, about a third of them places, and every word they use.

    The sequence depends on the seed only, so a smaller set is a prefix of a larger one.
    """
    rng = random.Random(NAMES_SEED)
    make = WordMaker(rng, unusable, near)
    given = [make(GIVEN_ENDINGS, 1) for _ in range(GIVEN_NAMES)]
    names = []
    for _ in range(count):
        if rng.random() < PLACE_SHARE:
            names.append(Name(make(PLACE_ENDINGS, rng.randint(1, 2))))
        else:
            surname = make(SURNAME_ENDINGS, rng.randint(1, 2))
            names.append(Name(f"{rng.choice(given)} {surname}", surname))
    return names, frozenset(make.used)


def write_names_pack(names: Sequence[Name], pack: Path) -> Path:
    """Write a pack of canonical names only: cleanup generates the wrong forms."""
    lines = ["pack: names-bench", "names:"]
    for name in names:
        lines.append(f"  - canonical: {yaml_scalar(name.canonical)}")
        if name.surname:
            lines += ["    category: person", f"    surname: {yaml_scalar(name.surname)}"]
        else:
            lines.append("    category: place")
    pack.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pack


def codespell_keys(dictionary: Path) -> frozenset[str]:
    """Every misspelling in codespell's dictionary, lower case."""
    lines = dictionary.read_text(encoding="utf-8").splitlines()
    return frozenset(line.partition("->")[0].strip().lower() for line in lines)


def unusable_words(cleanup: Path, keys: frozenset[str], sentences: Sequence[str]) -> frozenset[str]:
    """Lower-case words no name may be: English ones (cleanup's list), codespell's keys
    (so the literal pack never touches a name) and every word of the samples."""
    english = Path(python_output(cleanup, FIND_ENGLISH))
    words = set(json.loads(gzip.decompress(english.read_bytes()))) | keys
    for sentence in sentences:
        words.update(token.lower() for token in TOKEN.findall(sentence))
    return frozenset(words)


def near_sample_names(sentences: Sequence[str]) -> frozenset[str]:
    """Deletion forms of the samples' capitalised words. A name sharing one would be within
    fuzzy reach of a real name in the text ("Larov" of "Lavrov"), and cleanup would propose
    it on every mention of that name, none of them injected."""
    capitalised = {t.lower() for s in sentences for t in TOKEN.findall(s) if t[:1].isupper()}
    return frozenset(form for word in capitalised for form in deletions(word))


def listed_pairs(exe: Path, workdir: Path, pack: Path) -> list[tuple[str, str]]:
    """Every (form, what it becomes) that `cleanup rules list` gives the pack's rules."""
    cmd: list[str | Path] = [exe, "rules", "list", *rules_options([pack])]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        msg = f"cleanup rules list exited {proc.returncode} on {pack.name}:\n{proc.stderr}"
        raise BenchError(msg)
    pairs = []
    for line in proc.stdout.splitlines():
        for pair in line.split("\t")[4].split(", "):
            form, arrow, target = pair.partition(" -> ")
            if arrow:  # not "(no forms)"
                pairs.append((form, target))
    return pairs


def listed_forms(exe: Path, workdir: Path, pack: Path) -> dict[str, set[str]]:
    """The forms `cleanup rules list` gives the pack's rules, by what each becomes."""
    forms: dict[str, set[str]] = {}
    for form, target in listed_pairs(exe, workdir, pack):
        forms.setdefault(target, set()).add(form)
    return forms


def write_forms_pack(exe: Path, workdir: Path, names_pack: Path) -> Path:
    """Every form the names pack generates, written out as phrases: the same fixes as
    literal rules, with no names layer (no guards, address forms or near-misses)."""
    pack = workdir / names_pack.name.replace("names-", "forms-")
    lines = ["pack: forms", "phrases:"]
    for form, target in listed_pairs(exe, workdir, names_pack):
        lines += [f"  - find: {yaml_scalar(form)}", f"    replace: {yaml_scalar(target)}"]
    pack.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pack


def without_clashes(
    exe: Path, workdir: Path, names: Sequence[Name], keys: frozenset[str]
) -> list[Name]:
    """The names none of whose generated forms is a codespell key, in any case.

    cleanup lets a generated form give way to a listed form written the same, but not to a
    phrase that matches it in any case: loading both packs fails ("claimed twice").
    """
    forms = listed_forms(exe, workdir, write_names_pack(names, workdir / CANDIDATES_PACK))
    return [
        name
        for name in names
        if not any(
            form.lower() in keys
            for target in {name.canonical, name.word}
            for form in forms.get(target, ())
        )
    ]


def shown_forms(exe: Path, workdir: Path, pack: Path, name: Name) -> dict[str, list[Mention]]:
    """The name's generated wrong forms in use, by kind, as `cleanup rules show` lists them."""
    cmd: list[str | Path] = [exe, "rules", "show", name.canonical, *rules_options([pack])]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        msg = f"cleanup rules show {name.canonical!r} exited {proc.returncode}:\n{proc.stderr}"
        raise BenchError(msg)
    forms: dict[str, list[Mention]] = {}
    inside = False
    for line in proc.stdout.splitlines():
        if not line.startswith(" "):  # an entry's header: only this name's block counts
            inside = line.startswith(f"{name.canonical}  (")
        elif inside and (m := SHOWN_FORM.match(line)):
            kind = FORM_KINDS[m[3]]
            forms.setdefault(kind, []).append(Mention(m[1], m[2], kind))
    return forms


def wrong_forms(
    exe: Path, workdir: Path, pack: Path, names: Sequence[Name]
) -> list[dict[str, list[Mention]]]:
    """`cleanup rules show` for SHOWN_NAMES names spread over the set, a call per core."""
    shown = names[:: max(1, len(names) // SHOWN_NAMES)][:SHOWN_NAMES]
    with ThreadPoolExecutor(len(os.sched_getaffinity(0))) as pool:
        found = list(pool.map(lambda name: shown_forms(exe, workdir, pack, name), shown))
    return [forms for forms in found if forms]


def measure(cmd: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None) -> Measurement:
    """Run ``cmd`` under a wrapper that reports its wall time and peak RSS."""
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, *map(str, cmd)],
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
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


def rules_options(packs: Sequence[Path]) -> list[str]:
    """cleanup's options for these packs (and none of its own); no packs: its own only."""
    if not packs:
        return []
    return ["--no-default-rules", *(option for p in packs for option in ("--rules", p.name))]


def run_cleanup(
    exe: Path, workdir: Path, source: Path, packs: Sequence[Path], jobs: int, name: str
) -> tuple[Measurement, Path]:
    """`cleanup fix` ``source`` with these packs into a fresh output folder runs/NAME."""
    out = fresh(workdir / "runs" / name)
    options = [*rules_options(packs), "--out", str(out), "--jobs", str(jobs)]
    result = measure([exe, "fix", source, *options], workdir)
    if result.returncode not in CLEANUP_OK:
        used = ", ".join(p.name for p in packs)
        msg = f"cleanup exited {result.returncode} on {source} with {used}:\n{result.stderr}"
        raise BenchError(msg)
    return result, out


def run_dask(
    exe: Path, workdir: Path, packs: Sequence[Path], name: str
) -> tuple[Measurement, Path] | None:
    """`cleanup fix many --dask` (a local cluster of one worker per core, started and
    stopped in the timed run) into runs/NAME; None when cleanup has no Dask."""
    out = fresh(workdir / "runs" / name)
    options = [*rules_options(packs), "--out", str(out), "--dask"]
    result = measure([exe, "fix", Path("many"), *options], workdir)
    if result.returncode in CLEANUP_OK:
        return result, out
    if "needs Dask" in result.stderr:
        progress("cleanup has no Dask (pip install 'cleanup[dask]'): its run is skipped")
        return None
    msg = f"cleanup --dask exited {result.returncode}:\n{result.stderr}"
    raise BenchError(msg)


def dask_workers() -> int:
    """The workers `--dask` starts without an address: one per core."""
    return os.cpu_count() or 1


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


def run_typos(exe: Path, workdir: Path, layout: str, count: int) -> Measurement:
    """`typos -w` (one thread) a fresh copy of the layout with the set's words added."""
    copy = fresh(workdir / "runs" / f"typos-{layout}-{count}")
    shutil.copytree(workdir / layout, copy)
    target = copy / layout_input(layout).relative_to(layout)
    config = f"typos-{count}.toml"
    options = ["-w", "--isolated", "-c", config, "-j", "1", "--format", "silent"]
    result = measure([exe, *options, target], workdir)
    shutil.rmtree(copy)
    if result.returncode not in TYPOS_OK:
        msg = f"typos exited {result.returncode} on {layout}:\n{result.stderr}"
        raise BenchError(msg)
    return result


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


def rss_mb(m: Measurement) -> float:
    """The measurement's peak RSS in MB."""
    return m.peak_rss_kib * 1024 / MB


def make_run(layout: str, rules: int, tool: str, jobs: int, size: int, m: Measurement) -> Run:
    """A report row from a measurement over ``size`` input bytes."""
    return Run(layout, rules, tool, jobs, m.seconds, size / MB / m.seconds, rss_mb(m))


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
    for count in args.rules:
        dictionary, pack = rule_sets[count]
        for layout, size in sizes.items():
            jobs_list = [1] if layout == "one" or args.jobs == 1 else [1, args.jobs]
            best: dict[tuple[str, int], Measurement] = {}
            outputs: list[Path] = []
            copy: Path | None = None
            # The tools run in turn, round after round; each keeps its quickest round, so
            # that a slow spell of a shared machine does not fall on one tool alone.
            for round_ in range(args.repeat):
                timed: list[tuple[str, int, Measurement]] = []
                for jobs in jobs_list:
                    progress(f"cleanup {layout} rules={count} jobs={jobs} round {round_ + 1}")
                    name = f"cleanup-{layout}-{pack.stem}-j{jobs}"
                    source = layout_input(layout)
                    result, out = run_cleanup(args.cleanup, workdir, source, [pack], jobs, name)
                    timed.append(("cleanup", jobs, result))
                    if round_ == 0:
                        outputs.append(out)
                if layout == "many" and args.dask:
                    progress(f"cleanup --dask {layout} rules={count} round {round_ + 1}")
                    dask = run_dask(args.cleanup, workdir, [pack], f"cleanup-dask-{pack.stem}")
                    if dask is None:
                        args.dask = False  # no Dask where cleanup runs: said once, below
                    else:
                        timed.append((DASK_TOOL, dask_workers(), dask[0]))
                        outputs.append(dask[1])
                progress(f"codespell {layout} rules={count} round {round_ + 1}")
                result, copy = run_codespell(args.codespell, workdir, layout, dictionary)
                timed.append(("codespell", 1, result))
                if args.typos is not None:
                    progress(f"typos {layout} rules={count} round {round_ + 1}")
                    timed.append(("typos", 1, run_typos(args.typos, workdir, layout, count)))
                for tool, jobs, result in timed:
                    kept = best.get((tool, jobs))
                    if kept is None or result.seconds < kept.seconds:
                        best[tool, jobs] = result
            for (tool, jobs), result in best.items():
                runs.append(make_run(layout, count, tool, jobs, size, result))
            assert copy is not None
            if layout == "one" and differing < 0:
                differing = differing_lines(output_file(outputs[0]), copy / "corpus.txt")
            if not args.keep:
                remove([*outputs, copy])
    return with_ratios(runs), differing


def pack_sets(literal: Path, forms: Path, names: Path) -> dict[str, list[Path]]:
    """The rule sets the names layer is timed with, literal-only first."""
    return dict(zip(PACKS, ([literal], [forms], [names], [literal, names]), strict=True))


def run_names(
    args: argparse.Namespace,
    workdir: Path,
    rule_sets: dict[int, tuple[Path, Path]],
    names_packs: dict[int, Path],
    forms_packs: dict[int, Path],
    corpus: Corpus,
) -> tuple[list[Run], list[Startup]]:
    """The names corpus with each rule set, then one short line with each."""
    runs: list[Run] = []
    startup: list[Startup] = []
    sizes = {"one": corpus.one_bytes, "many": corpus.many_bytes}
    for count in args.names:
        packs = pack_sets(rule_sets[count][1], forms_packs[count], names_packs[count])
        for layout, size in sizes.items():
            source = Path("names") / layout_input(layout)
            literal_seconds = 0.0
            for tool, used in packs.items():
                progress(f"names corpus {layout} names={count} rules={tool}")
                name = f"names-{layout}-{tool}-{count}"
                result, out = run_cleanup(args.cleanup, workdir, source, used, 1, name)
                literal_seconds = literal_seconds or result.seconds
                run = make_run(layout, count, tool, 1, size, result)
                runs.append(replace(run, ratio=result.seconds / literal_seconds))
                if not args.keep:
                    remove([out])
        for tool, used in packs.items():
            progress(f"start-up names={count} rules={tool}")
            name = f"tiny-{tool}-{count}"
            result, out = run_cleanup(args.cleanup, workdir, Path("tiny.txt"), used, 1, name)
            startup.append(Startup(count, tool, result.seconds, rss_mb(result)))
            if not args.keep:
                remove([out])
    for layout, size in sizes.items():  # what a user runs most: the bundled packs alone
        progress(f"names corpus {layout} rules=bundled")
        source = Path("names") / layout_input(layout)
        result, out = run_cleanup(args.cleanup, workdir, source, [], 1, f"names-{layout}-bundled")
        runs.append(make_run(layout, 0, "bundled", 1, size, result))
        if not args.keep:
            remove([out])
    return runs, startup


def corpus_lines(path: Path, wanted: set[int]) -> dict[int, str]:
    """These lines (1-based) of a text file."""
    found = {}
    with path.open(encoding="utf-8") as text:
        for number, line in enumerate(text, 1):
            if number in wanted:
                found[number] = line.rstrip("\n")
                if len(found) == len(wanted):
                    break
    return found


def check_names(
    exe: Path, workdir: Path, pack: Path, mentions: Sequence[tuple[int, Mention]]
) -> tuple[dict[str, int], dict[str, Any]]:
    """Edits by kind and status of the one-file names run (untimed, ``--format json``), and
    whether each of RECALL_SAMPLE injected wrong forms and near-misses was fixed or proposed.
    """
    source = Path("names") / layout_input("one")
    options = [*rules_options([pack]), "--check", "--format", "json", "--jobs", "1"]
    cmd: list[str | Path] = [exe, "fix", source, *options]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, check=False)
    if proc.returncode not in CLEANUP_OK:
        msg = f"cleanup --format json exited {proc.returncode} on {source}:\n{proc.stderr}"
        raise BenchError(msg)
    edits = [e for f in json.loads(proc.stdout)["files"] for e in f["edits"]]
    counts = Counter(f"{e['kind']} {e['status']} ({e['safety']})" for e in edits)
    kept = [e for e in edits if e["status"] != "dropped"]
    wrong = [(p, m) for p, m in mentions if m.kind != "canonical"]
    injected = {m.text for _, m in wrong}
    stray = Counter(f"{e['before']} -> {e['after']}" for e in kept if e["before"] not in injected)
    sample = random.Random(SEED).sample(wrong, min(RECALL_SAMPLE, len(wrong)))
    found = Counter((e["line"], e["before"], e["after"]) for e in kept)
    by_kind: dict[str, list[int]] = {}
    missed: list[tuple[int, Mention]] = []
    for paragraph, mention in sample:
        key = (2 * paragraph - 1, mention.text, mention.target)
        tally = by_kind.setdefault(mention.kind, [0, 0])
        tally[1] += 1
        if found[key]:
            found[key] -= 1
            tally[0] += 1
        else:
            missed.append((key[0], mention))
    lines = corpus_lines(workdir / source, {line for line, _ in missed})
    check = {
        "sample": len(sample),
        "recalled": sum(hit for hit, _ in by_kind.values()),
        "by_kind": by_kind,
        "missed": [
            {
                "line": line,
                "kind": m.kind,
                "text": m.text,
                "target": m.target,
                "context": context(lines[line], m.text),
                "edits": [
                    f"{e['before']} -> {e['after']} ({e['status']})"
                    for e in edits
                    if e["line"] == line and m.text in e["before"]
                ],
            }
            for line, m in missed
        ],
        "stray_edits": sum(stray.values()),
        "stray_examples": [f"{edit} ({n}x)" for edit, n in stray.most_common(5)],
    }
    return dict(counts), check


def context(line: str, text: str) -> str:
    """The first ``text`` in ``line`` with two words either side, as written.

    >>> context("one two three four five six seven", "four")
    '... two three four five six ...'
    >>> context('He said: "Vokova." Then', "Vokova")
    '... He said: "Vokova." Then ...'
    """
    near = r"(?<!\S)(?:\S+\s+){0,2}\S*" + re.escape(text) + r"\S*(?:\s+\S+){0,2}"
    found = re.search(near, line)
    return f"... {found.group() if found else text} ..."


@dataclass(frozen=True, slots=True)
class NewsResult:
    """The bundled packs on news text: timed runs, and start-up with and without the
    cache of rule files read before."""

    corpus: Corpus
    runs: list[Run]
    startup: dict[str, Startup]


def news_paragraphs() -> list[str]:
    """The paragraphs of the news texts in the project."""
    found = []
    for folder in NEWS_SOURCES:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            found += [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not found:
        msg = "no news texts in " + ", ".join(map(str, NEWS_SOURCES))
        raise BenchError(msg)
    return found


def write_news(folder: Path, size: int, files: int) -> Corpus:
    """Shuffled rounds of the news paragraphs, as one file and as ``files`` files."""
    rng = random.Random(NEWS_SEED)
    paragraphs = news_paragraphs()
    chosen: list[bytes] = []
    total = 0
    while total < size:
        deck = list(paragraphs)
        rng.shuffle(deck)
        for paragraph in deck:
            data = paragraph.encode() + b"\n\n"
            chosen.append(data)
            total += len(data)
            if total >= size:
                break
    (folder / "one").mkdir(parents=True)
    (folder / "one" / "corpus.txt").write_bytes(b"".join(chosen))
    per_file = -(-len(chosen) // files)
    largest = 0
    parts = 0
    for index in range(files):
        part = chosen[index * per_file : (index + 1) * per_file]
        if not part:
            break
        path = many_path(folder / "many", index, files)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = b"".join(part)
        path.write_bytes(data)
        largest, parts = max(largest, len(data)), parts + 1
    return Corpus(total, total, parts, largest, 0)


def news_layer(args: argparse.Namespace, workdir: Path) -> NewsResult:
    """The bundled packs alone on news text: one file, many files with --jobs 1 and J; then
    `cleanup fix tiny.txt` with an empty cache, a filled one, and the cache turned off."""
    progress(f"generating {args.news_mb:g} MB of news text in one file and in {args.news_files}")
    corpus = write_news(workdir / "news", round(args.news_mb * MB), args.news_files)
    runs = []
    for layout, jobs_list in (("one", [1]), ("many", sorted({1, args.jobs}))):
        for jobs in jobs_list:
            source = Path("news") / layout_input(layout)
            best: Measurement | None = None
            for round_ in range(args.repeat):  # the quickest of --repeat rounds
                progress(f"news {layout} rules=bundled jobs={jobs} round {round_ + 1}")
                name = f"news-{layout}"
                result, out = run_cleanup(args.cleanup, workdir, source, [], jobs, name)
                if best is None or result.seconds < best.seconds:
                    best = result
                if not args.keep:
                    remove([out])
            assert best is not None
            runs.append(make_run(layout, 0, "bundled", jobs, corpus.one_bytes, best))
    startup: dict[str, Startup] = {}
    cache = workdir / "pack-cache"
    for round_ in range(args.repeat):  # each keeps its quickest round
        for label, extra, env in (
            ("cold cache", [], {CACHE_DIR_ENV: str(fresh(cache))}),
            ("warm cache", [], {CACHE_DIR_ENV: str(cache)}),
            ("no cache", ["--no-cache"], {CACHE_DIR_ENV: str(cache)}),
        ):
            progress(f"start-up bundled packs, {label}, round {round_ + 1}")
            out = fresh(workdir / "runs" / "tiny-bundled")
            cmd = [args.cleanup, "fix", "tiny.txt", "--out", str(out), *extra]
            result = measure(cmd, workdir, env)
            if result.returncode not in CLEANUP_OK:
                msg = f"cleanup exited {result.returncode} on tiny.txt:\n{result.stderr}"
                raise BenchError(msg)
            kept = startup.get(label)
            if kept is None or result.seconds < kept.seconds:
                startup[label] = Startup(0, label, result.seconds, rss_mb(result))
    remove([cache, workdir / "runs" / "tiny-bundled"])
    return NewsResult(corpus, runs, startup)


def news_report(result: NewsResult, jobs: int) -> str:
    """The news runs as a markdown table, and the figures drawn from them."""
    layouts = layout_names(result.corpus)
    lines = [
        "| layout | rules | jobs | seconds | MB/s | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in result.runs:
        rss = f"{r.peak_rss_mb:.0f}" + ("*" if r.jobs > 1 else "")
        lines.append(
            f"| {layouts[r.layout]} | bundled | {r.jobs} | {r.seconds:.2f} | {r.mb_per_s:.1f} "
            f"| {rss} |"
        )
    single = find_run(result.runs, "many", 0, "bundled", 1)
    multi = find_run(result.runs, "many", 0, "bundled", jobs)
    speedup = single.seconds / multi.seconds if single and multi and jobs > 1 else None
    start = result.startup
    lines += [
        "",
        f"News corpus: {result.corpus.one_bytes / MB:.1f} MB, one file and "
        f"{result.corpus.many_files} files (largest {result.corpus.largest_many_file / 1000:.0f}"
        " KB).",
        "",
        f"- bundled packs on news text, one file, --jobs 1: "
        f"{result.runs[0].mb_per_s:.1f} MB/s (target >= 25)",
        f"- bundled packs, many files, --jobs {jobs} vs 1: {fmt(speedup, 'x')}",
        "- start-up (`cleanup fix tiny.txt`, bundled packs): "
        + ", ".join(
            f"{label} {s.seconds:.2f} s ({s.peak_rss_mb:.0f} MB)" for label, s in start.items()
        ),
    ]
    return "\n".join(lines)


def names_layer(
    args: argparse.Namespace, workdir: Path, rule_sets: dict[int, tuple[Path, Path]]
) -> NamesResult:
    """Write the names packs and corpus, time every run, check the edits."""
    wanted = args.names[-1]
    progress(f"generating {wanted} names")
    sentences = read_sentences(SAMPLES)
    keys = codespell_keys(codespell_dictionary(args.codespell))
    unusable = unusable_words(args.cleanup, keys, sentences)
    spare = round(wanted * SPARE_NAMES)
    candidates, words = make_names(wanted + spare, unusable, near_sample_names(sentences))
    names = without_clashes(args.cleanup, workdir, candidates, keys)[:wanted]
    if len(names) < wanted:
        msg = f"only {len(names)} of {wanted + spare} names have no form codespell has"
        raise BenchError(msg)
    packs = {
        count: write_names_pack(names[:count], workdir / f"names-{count}.yaml")
        for count in args.names
    }
    forms_packs = {
        count: write_forms_pack(args.cleanup, workdir, pack) for count, pack in packs.items()
    }
    smallest = args.names[0]
    progress(f"cleanup rules show for {min(SHOWN_NAMES, smallest)} of {smallest} names")
    forms = wrong_forms(args.cleanup, workdir, packs[smallest], names[:smallest])
    if not forms:
        msg = f"cleanup rules show lists no wrong form for any name in {packs[smallest].name}"
        raise BenchError(msg)
    progress(f"generating the names corpus, {args.size_mb:g} MB in one file and {args.files}")
    rng = random.Random(SEED + 2)
    inject = NameInjector(names[:smallest], forms, unusable | words, sentences, rng)
    size = round(args.size_mb * MB)
    source = paragraphs(sentences, inject, rng)
    corpus = write_corpus(workdir / "names", size, args.files, source, inject)
    (workdir / "tiny.txt").write_text(TINY_TEXT, encoding="utf-8")
    runs, startup = run_names(args, workdir, rule_sets, packs, forms_packs, corpus)
    progress(f"checking the edits of names={smallest} on one file (--format json)")
    edits, check = check_names(args.cleanup, workdir, packs[smallest], inject.mentions)
    mentions = Counter(m.kind for _, m in inject.mentions)
    return NamesResult(corpus, dict(mentions), len(forms), runs, startup, edits, check)


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
    dask = [r for r in runs if r.tool == DASK_TOOL and r.rules == high]
    multi = find_run(runs, "many", high, "cleanup", args.jobs)
    if dask and multi is not None:
        figures["dask_vs_jobs"] = {
            "workers": dask[0].jobs,
            "dask_seconds": dask[0].seconds,
            "jobs_seconds": multi.seconds,
        }
    typos = {r.layout: r for r in runs if r.tool == "typos" and r.rules == high}
    if typos:
        figures["typos_ratio"] = {
            layout: (top.mb_per_s / typos[layout].mb_per_s)
            if (top := find_run(runs, layout, high, "cleanup", 1)) and layout in typos
            else None
            for layout in ("one", "many")
        }
    peak = max(r.peak_rss_mb for r in runs if r.tool == "cleanup" and r.layout == "one")
    figures["memory_ratio"] = peak * MB / corpus.one_bytes
    return figures


def names_derived(result: NamesResult, counts: Sequence[int]) -> dict[str, Any]:
    """Per name count and layout: names and both over literal-only time, also with each
    run's start-up (`cleanup fix` on one short line) taken off; n/a when the literal-only
    run took no longer than its start-up (a corpus too small to tell)."""
    figures: dict[str, Any] = {}
    for count in counts:
        start = {s.packs: s.seconds for s in result.startup if s.rules == count}
        per_layout: dict[str, dict[str, float | None]] = {}
        for layout in ("one", "many"):
            seconds = {
                r.tool: r.seconds for r in result.runs if (r.layout, r.rules) == (layout, count)
            }
            work = {tool: seconds[tool] - start[tool] for tool in PACKS}
            literal = work["literal-only"]
            forms = work["forms"]
            per_layout[layout] = {
                "names_vs_forms": seconds["names"] / seconds["forms"],
                "names_vs_forms_less_startup": work["names"] / forms if forms > 0 else None,
                "names_vs_literal": seconds["names"] / seconds["literal-only"],
                "both_vs_literal": seconds["both"] / seconds["literal-only"],
                "names_vs_literal_less_startup": work["names"] / literal if literal > 0 else None,
                "both_vs_literal_less_startup": work["both"] / literal if literal > 0 else None,
            }
        figures[str(count)] = {"layouts": per_layout, "startup_seconds": start}
    return figures


def fmt(value: float | None, suffix: str = "") -> str:
    """A figure for the report with two decimals, or n/a."""
    return "n/a" if value is None else f"{value:.2f}{suffix}"


def layout_names(corpus: Corpus) -> dict[str, str]:
    """How the report names the layouts."""
    return {"one": "one file", "many": f"{corpus.many_files} files"}


def table(runs: Sequence[Run], corpus: Corpus) -> str:
    """The markdown table of runs."""
    names = layout_names(corpus)
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


def names_table(result: NamesResult) -> str:
    """The markdown tables of the names layer: the names corpus, then one short line."""
    names = layout_names(result.corpus)
    lines = [
        "| layout | N | rules | seconds | MB/s | peak RSS MB | time / literal-only "
        "| time / forms |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    forms = {(r.layout, r.rules): r.seconds for r in result.runs if r.tool == "forms"}
    for r in result.runs:
        to_literal = "" if r.ratio is None else fmt(r.ratio, "x")
        to_forms = "" if r.tool == "bundled" else fmt(r.seconds / forms[r.layout, r.rules], "x")
        lines.append(
            f"| {names[r.layout]} | {r.rules or ''} | {r.tool} | {r.seconds:.2f} "
            f"| {r.mb_per_s:.1f} | {r.peak_rss_mb:.0f} | {to_literal} | {to_forms} |"
        )
    lines += [
        "",
        "Start-up: `cleanup fix tiny.txt` (one short line), same rule sets:",
        "",
        "| N | rules | seconds | peak RSS MB |",
        "| ---: | --- | ---: | ---: |",
    ]
    for s in result.startup:
        lines.append(f"| {s.rules} | {s.packs} | {s.seconds:.2f} | {s.peak_rss_mb:.0f} |")
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
            *(
                [
                    f"- cleanup on a local Dask cluster ({figures['dask_vs_jobs']['workers']} "
                    f"workers, started in the run), many files, {high} rules: "
                    f"{figures['dask_vs_jobs']['dask_seconds']:.2f} s, against "
                    f"{figures['dask_vs_jobs']['jobs_seconds']:.2f} s with --jobs {args.jobs}"
                ]
                if figures.get("dask_vs_jobs")
                else []
            ),
            *(
                [
                    f"- cleanup / typos throughput at {high} rules: one file "
                    f"{fmt(figures['typos_ratio']['one'], 'x')}, many files "
                    f"{fmt(figures['typos_ratio']['many'], 'x')} (typos with its own "
                    "dictionary as well, one thread)"
                ]
                if figures.get("typos_ratio")
                else []
            ),
        ]
    )


def layout_pair(layouts: dict[str, dict[str, float | None]], key: str) -> str:
    """One figure for both layouts."""
    return f"one file {fmt(layouts['one'][key], 'x')}, many files {fmt(layouts['many'][key], 'x')}"


def names_summary(result: NamesResult, figures: dict[str, Any], smallest: int) -> str:
    """The names layer's derived figures and edit check, as markdown bullets."""
    lines = []
    for count, figure in figures.items():
        layouts, start = figure["layouts"], figure["startup_seconds"]
        lines += [
            f"- {count} names, names / forms time (the same fixes as phrases, no names "
            f"layer): {layout_pair(layouts, 'names_vs_forms')} (target <= 1.5x); with "
            f"start-up taken off: {layout_pair(layouts, 'names_vs_forms_less_startup')}",
            f"- {count} names, names / literal-only time (a phrase pack that finds almost "
            f"nothing here): {layout_pair(layouts, 'names_vs_literal')}; both / literal-only: "
            + layout_pair(layouts, "both_vs_literal"),
            f"- {count} names, start-up (one short line): literal-only "
            f"{start['literal-only']:.2f} s, forms {start['forms']:.2f} s, names "
            f"{start['names']:.2f} s, both {start['both']:.2f} s; with it taken off each run, "
            f"names / literal-only {layout_pair(layouts, 'names_vs_literal_less_startup')}, "
            f"both / literal-only {layout_pair(layouts, 'both_vs_literal_less_startup')}",
        ]
    bundled = {r.layout: r.mb_per_s for r in result.runs if r.tool == "bundled"}
    if bundled:
        lines.append(
            f"- the bundled packs alone (no names pack) on the names corpus: one file "
            f"{bundled['one']:.1f} MB/s, many files {bundled['many']:.1f} MB/s"
        )
    check = result.check
    edits = ", ".join(f"{what} {n}" for what, n in sorted(result.edits.items()))
    kinds = ", ".join(f"{kind} {hit}/{n}" for kind, (hit, n) in sorted(check["by_kind"].items()))
    recall = 100 * check["recalled"] / check["sample"] if check["sample"] else None
    examples = "; ".join(check["stray_examples"])
    lines += [
        f"- edits, one file, {smallest} names (kind status (safety)): {edits}",
        f"- recall on {check['sample']} sampled wrong forms and near-misses (fixed or proposed, "
        f"right target): {fmt(recall, '%')} ({kinds})",
        "- edits (not dropped) on text that was not an injected wrong form or near-miss: "
        f"{check['stray_edits']}" + (f" (e.g. {examples})" if examples else ""),
    ]
    missed = check["missed"]
    lines += [
        f"  - missed: line {m['line']}, {m['kind']} '{m['text']}' -> '{m['target']}' in "
        f'"{m["context"]}"; edits there: {", ".join(m["edits"]) or "none"}'
        for m in missed[:SHOWN_MISSES]
    ]
    if len(missed) > SHOWN_MISSES:
        lines.append(f"  - and {len(missed) - SHOWN_MISSES} more missed (report.json has all)")
    return "\n".join(lines)


def machine(args: argparse.Namespace) -> dict[str, Any]:
    """What the numbers were measured on."""
    typos_absent = "not run (--no-typos)" if args.no_typos else "not installed"
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "cleanup": version(args.cleanup),
        "codespell": version(args.codespell),
        "typos": version(args.typos) if args.typos is not None else typos_absent,
    }


def report(
    args: argparse.Namespace,
    corpus: Corpus,
    runs: list[Run],
    differing: int,
    names: NamesResult | None,
    news: NewsResult | None,
    workdir: Path,
) -> None:
    """Print the markdown report and write report.json."""
    figures = derived(runs, args, corpus)
    info = machine(args)
    print(table(runs, corpus))
    print()
    print(
        f"Corpus: {corpus.one_bytes / MB:.1f} MB, one file and {corpus.many_files} files "
        f"(largest {corpus.largest_many_file / 1000:.0f} KB); {corpus.injected} typos injected."
    )
    print(
        f"Lines differing between cleanup and codespell (one file, {args.rules[0]} rules): "
        f"{differing}"
    )
    data: dict[str, Any] = {
        "machine": info,
        "corpus": asdict(corpus),
        "runs": [asdict(r) for r in runs],
        "differing_lines": differing,
        "derived": figures,
    }
    if names is not None:
        names_figures = names_derived(names, args.names)
        mentions = ", ".join(f"{kind} {n}" for kind, n in sorted(names.mentions.items()))
        print()
        print("Names layer, on the names corpus (`--jobs 1`):")
        print()
        print(names_table(names))
        print()
        print(
            f"Names corpus: {names.corpus.one_bytes / MB:.1f} MB, one file and "
            f"{names.corpus.many_files} files; {names.corpus.injected} names of the "
            f"{args.names[0]}-name set ({mentions}); wrong forms from `cleanup rules show` "
            f"of {names.shown_names} names."
        )
        data["names"] = {**asdict(names), "derived": names_figures}
    print()
    print(
        f"Machine: nproc {info['nproc']}, Python {info['python']}, {info['platform']}, "
        f"load average {' '.join(map(str, info['load_average']))}; "
        f"cleanup --version: {info['cleanup']}; codespell --version: {info['codespell']}; "
        f"typos --version: {info['typos']}"
    )
    print()
    print(summary(figures, args))
    if names is not None:
        print(names_summary(names, data["names"]["derived"], args.names[0]))
    if news is not None:
        print()
        print("Bundled packs on news text (the packs a user runs, no `--rules`):")
        print()
        print(news_report(news, args.jobs))
        data["news"] = asdict(news)
    path = workdir / "report.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON report: {path}")


def prepare(args: argparse.Namespace, workdir: Path) -> tuple[dict[int, tuple[Path, Path]], Corpus]:
    """Write the rule sets (for every --rules and --names count) and the corpus."""
    entries = load_entries(codespell_dictionary(args.codespell))
    counts = sorted({*args.rules, *args.names})
    if len(entries) < counts[-1]:
        msg = f"codespell's dictionary has only {len(entries)} usable entries"
        raise BenchError(msg)
    rule_sets = {count: write_rule_set(entries[:count], workdir) for count in counts}
    progress(f"generating {args.size_mb:g} MB in one file and in {args.files} files")
    rng = random.Random(SEED)
    sentences = read_sentences(SAMPLES)
    inject = TypoInjector(entries[: args.rules[0]], sentences, rng)
    size = round(args.size_mb * MB)
    return rule_sets, write_corpus(
        workdir, size, args.files, paragraphs(sentences, inject, rng), inject
    )


def generated(workdir: Path, args: argparse.Namespace) -> list[Path]:
    """Everything the benchmark writes into the work dir except report.json."""
    counts = sorted({*args.rules, *args.names})
    names = [
        "one",
        "many",
        "runs",
        "names",
        "tiny.txt",
        CANDIDATES_PACK,
        "news",
        "pack-cache",
        *(
            f"{kind}-{n}.{ext}"
            for n in counts
            for kind, ext in (("dict", "txt"), ("pack", "yaml"), ("typos", "toml"))
        ),
        *(f"names-{n}.yaml" for n in args.names),
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
        args.typos = None if args.no_typos else optional_tool("typos", args.typos)
        remove(generated(workdir, args))
        rule_sets, corpus = prepare(args, workdir)
        runs, differing = run_all(args, workdir, rule_sets, corpus)
        names = names_layer(args, workdir, rule_sets) if args.names else None
        if not (workdir / "tiny.txt").exists():
            (workdir / "tiny.txt").write_text(TINY_TEXT, encoding="utf-8")
        news = news_layer(args, workdir) if args.news_mb > 0 else None
        report(args, corpus, runs, differing, names, news, workdir)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            remove(generated(workdir, args))
        if made and not any(workdir.iterdir()):
            workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())

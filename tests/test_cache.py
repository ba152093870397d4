"""The cache of rule files read before: hits, misses, damaged entries, concurrent runs."""

from __future__ import annotations

import os
import pickle
import pkgutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import regex
from cli_helpers import CLEANUP, run_cleanup

from cleanup import Engine, english, load_rules
from cleanup.matchers import pattern as pattern_module
from cleanup.ruleset import cache
from cleanup.ruleset import load as load_module
from cleanup.ruleset.model import RuleSet

PACK = """\
pack: cached
phrases:
  - find: three-sided statement
    replace: trilateral statement
names:
  - canonical: Nikol Pashinyan
    category: person
    variants: [Pashinian]
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The English word list is kept in the same cache, once per process, by the first
    # load with names: loaded here, it is not an entry of these tests, whatever ran first.
    english._counts()
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setattr(cache, "_disabled", [])
    return folder


def _first_arguments(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[Any]:
    """The first argument of every call of ``module.name`` from now on."""
    seen: list[Any] = []
    real = getattr(module, name)

    def counting(first: Any, *rest: Any) -> Any:
        seen.append(first)
        return real(first, *rest)

    monkeypatch.setattr(module, name, counting)
    return seen


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The rule files parsed from YAML (not taken from the cache)."""
    return _first_arguments(monkeypatch, load_module, "_parse_file")


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_hit_gives_the_same_rules_without_parsing(
    cache_dir: Path, pack: Callable[[str], Path], parses: list[Path]
) -> None:
    path = pack(PACK)
    first = load_rules([path])
    assert parses == [path]
    assert len(entries(cache_dir)) == 1
    second = load_rules([path])
    assert parses == [path]  # not parsed again
    assert second == first


def test_a_hit_keeps_the_forms_generation_made(
    cache_dir: Path, pack: Callable[[str], Path], parses: list[Path]
) -> None:
    path = pack(PACK)
    first = load_rules([path])
    second = load_rules([path])
    assert parses == [path]
    (entry,) = second.names
    assert entry.made and entry.made == first.names[0].made
    assert second.index.dropped == first.index.dropped


def test_a_new_entry_format_reads_no_old_entry(
    cache_dir: Path,
    pack: Callable[[str], Path],
    parses: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = pack(PACK)
    load_rules([path])
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    cache._fingerprint.cache_clear()
    try:
        load_rules([path])
    finally:
        monkeypatch.undo()
        cache._fingerprint.cache_clear()
    assert parses == [path, path]
    assert len(entries(cache_dir)) == 2


def test_a_changed_file_is_read_again(
    cache_dir: Path, pack: Callable[[str], Path], parses: list[Path]
) -> None:
    path = pack(PACK)
    load_rules([path])
    path.write_text(PACK.replace("trilateral", "three-party"), encoding="utf-8")
    changed = load_rules([path])
    assert len(parses) == 2
    assert changed.by_id("cached.three-sided-statement").replace == "three-party statement"
    assert len(entries(cache_dir)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x80\x05garbage", id="not a pickle"),
        pytest.param(pickle.dumps({"rules": []}), id="something else pickled"),
    ],
)
def test_a_damaged_entry_is_rebuilt(
    cache_dir: Path, pack: Callable[[str], Path], parses: list[Path], damage: bytes
) -> None:
    path = pack(PACK)
    expected = load_rules([path])
    (entry,) = entries(cache_dir)
    entry.write_bytes(damage)
    assert load_rules([path]) == expected
    assert len(parses) == 2
    assert pickle.loads(entry.read_bytes()) is not None  # written again, whole
    assert load_rules([path]) == expected
    assert len(parses) == 2


def test_a_cut_short_entry_is_rebuilt(
    cache_dir: Path, pack: Callable[[str], Path], parses: list[Path]
) -> None:
    path = pack(PACK)
    expected = load_rules([path])
    (entry,) = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:-40])
    assert load_rules([path]) == expected
    assert len(parses) == 2


def test_an_unwritable_cache_is_no_error(
    tmp_path: Path, pack: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.DIR_ENV, str(blocker / "cache"))
    monkeypatch.setattr(cache, "_disabled", [])
    path = pack(PACK)
    assert load_rules([path]).by_id("cached.three-sided-statement")


def test_errors_are_not_kept(cache_dir: Path, pack: Callable[[str], Path]) -> None:
    path = pack("pack: broken\nphrases:\n  - find: x\n")
    for _ in range(2):
        with pytest.raises(Exception, match="needs 'replace'"):
            load_rules([path])
    assert entries(cache_dir) == []


def test_turned_off_by_the_environment(
    cache_dir: Path,
    pack: Callable[[str], Path],
    parses: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "1")
    path = pack(PACK)
    load_rules([path])
    load_rules([path])
    assert len(parses) == 2
    assert not cache_dir.exists()


def test_old_entries_are_pruned(
    cache_dir: Path, pack: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for n in range(6):
        load_rules([pack(PACK.replace("cached", f"cached{n}"))])
    assert len(entries(cache_dir)) == 3


def _env(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != cache.CACHE_ENV}
    return {**env, cache.DIR_ENV: str(folder), **extra}


def test_cli_runs_read_the_cache_and_no_cache_turns_it_off(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("Pashinian read the three-sided statement.\n", "utf-8")
    folder = tmp_path / "cache"
    outputs = []
    for flags in ([], [], ["--no-cache"]):
        done = subprocess.run(
            [CLEANUP, "fix", "in.txt", "--diff", *flags],
            cwd=tmp_path,
            capture_output=True,
            env=_env(folder),
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert b"+Pashinian read the trilateral statement." in outputs[0]
    written = {p: p.stat().st_mtime_ns for p in entries(folder)}
    assert written  # the bundled packs, one entry each
    subprocess.run(
        [CLEANUP, "fix", "in.txt", "--diff", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        env=_env(folder),
        timeout=120,
    )
    assert {p: p.stat().st_mtime_ns for p in entries(folder)} == written


def test_concurrent_runs_with_an_empty_cache(tmp_path: Path) -> None:
    """Runs that all miss at once write the same entries; none fails or reads half of one."""
    (tmp_path / "in.txt").write_text("Pashinian read the three-sided statement.\n", "utf-8")
    folder = tmp_path / "cache"
    runs = [
        subprocess.Popen(
            [CLEANUP, "fix", "in.txt", "--diff"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(folder),
        )
        for _ in range(4)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, [err for _, err in results]
    assert len({out for out, _ in results}) == 1
    assert not list(folder.glob(".tmp-*"))
    for entry in entries(folder):
        assert isinstance(pickle.loads(entry.read_bytes()), tuple | list | english.WordList)
    again = run_cleanup("fix", "in.txt", "--diff", cwd=tmp_path)
    assert again.stdout == results[0][0]


PATTERNS = r"""
pack: cached
patterns:
  - id: year-dot
    regex: '(\d{4}) y\.'
    replace: '\1'
    safety: auto
  - id: surname-first
    regex: '\b({{surname}}) (Nikol)\b'
    replace: '\2 \1'
    safety: auto
  - id: never
    regex: 'zzz(?=qqq)'
    replace: ''
    safety: auto
names:
  - canonical: Nikol Pashinyan
    category: person
"""


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The regexes of patterns compiled from their source (not read from the cache)."""
    return _first_arguments(monkeypatch, pattern_module, "_compile")


@pytest.fixture
def rules(cache_dir: Path, pack: Callable[[str], Path]) -> RuleSet:
    """The pattern pack, loaded with the cache in ``cache_dir``."""
    return load_rules([pack(PATTERNS)])


def test_compiled_patterns_are_read_back_and_find_the_same(
    rules: RuleSet, compiles: list[str]
) -> None:
    text = "In 2020 y. Pashinyan Nikol spoke.\n"
    first = Engine(rules).fix_text(text)
    # Every regex of the set is compiled at once, the macro check too, and kept.
    assert len(compiles) == 4
    assert first.text == "In 2020 Nikol Pashinyan spoke.\n"
    again = Engine(rules).fix_text(text)
    assert len(compiles) == 4  # nothing compiled again
    assert again.text == first.text
    assert [f.edit for f in again.findings] == [f.edit for f in first.findings]


def test_a_new_regex_version_compiles_afresh(
    rules: RuleSet, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Engine(rules)
    monkeypatch.setattr(regex, "__version__", regex.__version__ + ".1")
    Engine(rules)
    assert len(compiles) == 8


def test_without_the_cache_a_regex_is_compiled_when_a_text_needs_it(
    rules: RuleSet, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "1")
    engine = Engine(rules)
    assert compiles == []
    assert engine.fix_text("In 2020 y. it rained.\n").text == "In 2020 it rained.\n"
    assert not any("zzz" in source for source in compiles)  # its trigger is not in the text


@pytest.mark.parametrize(
    "counts",
    [{}, {"a": 3}, {"zeta": 5, "alpha": 70, "mid": 2**40, "ünïcode": 9, "a'b": 1}],
    ids=["empty", "one", "several"],
)
def test_a_word_list_reads_back_the_same_from_its_pickle(counts: dict[str, int]) -> None:
    words = pickle.loads(pickle.dumps(english.WordList(counts), protocol=pickle.HIGHEST_PROTOCOL))
    assert dict(words.items()) == counts
    assert len(words) == len(counts)
    for word in [*counts, "", "b", "zz", "ALPHA", "\uffff"]:
        assert (word in words) is (word in counts)
        assert words.get(word, -1) == counts.get(word, -1)


def test_the_cached_word_list_holds_every_word_of_the_shipped_one(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(english, "_counts", english._counts.__wrapped__)
    data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    assert data is not None
    shipped = english._parsed(data)
    built, read = english._counts(), english._counts()  # the second from the cache
    assert len(entries(cache_dir)) == 1
    assert dict(read.items()) == dict(built.items()) == shipped

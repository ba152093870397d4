"""Against a real LanguageTool: the server `cleanup grammar serve` runs, from Maven Central.

The module starts one LanguageTool 6.8 (fetched with Maven into the cache folder on first
use, ~250 MB) on 127.0.0.1 and stops it at the end; CLEANUP_LANGUAGETOOL_URL names a
running server instead. Without Java or Maven the tests are skipped with the reason; a
fetch or start that fails is a failure (set CLEANUP_LANGUAGETOOL_UNAVAILABLE=reason to
skip them instead).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleanup import Engine, FixOptions, Safety, builtin_pack_paths, load_rules
from cleanup.grammar_server import UNAVAILABLE_ENV, LocalServer, ServerError, fetch, missing_tools
from cleanup.matchers.grammar import GrammarConfig, GrammarMatcher
from cleanup.ruleset.model import RuleSet

pytestmark = pytest.mark.languagetool
pytest.importorskip("language_tool_python", reason="language-tool-python is not installed")

ACCEPT_ALL = FixOptions(accept=frozenset(Safety))


@pytest.fixture(scope="module")
def bundled() -> RuleSet:
    return load_rules(builtin_pack_paths())


@pytest.fixture(scope="module")
def names_only() -> RuleSet:
    """The names packs without the grammar pack's policy: every LanguageTool match comes
    through, so the names filter alone is what keeps names out."""
    return load_rules([p for p in builtin_pack_paths() if p.stem.endswith("-names")])


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    given = os.environ.get("CLEANUP_LANGUAGETOOL_URL")
    if given:
        yield given
        return
    reason = os.environ.get(UNAVAILABLE_ENV) or missing_tools()
    if reason:
        pytest.skip(f"needs LanguageTool: {reason}")
    try:
        server = LocalServer(fetch()).wait()
    except ServerError as exc:
        pytest.fail(f"LanguageTool could not be fetched or started: {exc}")
    yield server.url
    server.stop()


def matcher(url: str, rules: RuleSet, cache: Path, **kwargs: int) -> GrammarMatcher:
    return GrammarMatcher(GrammarConfig(url=url, cache_dir=cache, **kwargs), rules)


# Curly quotes, emoji (two UTF-16 units each, a flag is two of them), CRLF line ends, a
# name of the packs, and capitalised names no pack knows (LanguageTool's speller flags
# "Hadrut", "Krasnokumsky" and "Serzh"; the grammar check must not).
REAL = (
    "“Nikol Pashinyan visited Hadrut 🙂 on Monday,” the ministry said.\r\n"
    "🇦🇲 He have made a error in the statement about Krasnokumsky district.\r\n"
    "Serzh Sargsyan and Lachin residents was in the Black sea port 😀 yesterday.\r\n"
)
NAMES = {"Nikol", "Pashinyan", "Hadrut", "Krasnokumsky", "Serzh", "Sargsyan", "Lachin"}


def test_offsets_on_real_text(url: str, names_only: RuleSet, tmp_path: Path) -> None:
    found = matcher(url, names_only, tmp_path)
    edits = list(found.find(REAL))
    assert found.calls == 1
    assert {(e.original, e.replacement) for e in edits} >= {("have", "has"), ("a", "an")}
    for edit in edits:
        assert REAL[edit.start : edit.end] == edit.original, edit
        assert edit.rule_id.startswith("languagetool:")
    engine = Engine(names_only)
    engine.matchers.append(found)
    fixed = engine.fix_text(REAL, ACCEPT_ALL).text
    assert fixed is not None
    assert "He has made an error" in fixed and fixed.count("\r\n") == 3
    assert "🇦🇲" in fixed and "🙂" in fixed and "😀" in fixed and "“Nikol" in fixed
    found.close()


def test_names_are_never_flagged_or_changed(url: str, names_only: RuleSet, tmp_path: Path) -> None:
    found = matcher(url, names_only, tmp_path)
    edits = list(found.find(REAL))
    for edit in edits:
        touched = set(edit.original.replace("’", " ").split())
        assert not touched & NAMES or all(name in edit.replacement for name in touched & NAMES), (
            edit
        )
    assert not [e for e in edits if e.rule_id == "languagetool:MORFOLOGIK_RULE_EN_US"]
    found.close()


def test_the_bundled_policy(url: str, bundled: RuleSet, tmp_path: Path) -> None:
    found = matcher(url, bundled, tmp_path)
    by_rule = {e.rule_id: e for e in found.find(REAL)}
    assert by_rule["languagetool:HE_VERB_AGR"].safety is Safety.REVIEW  # GRAMMAR
    assert by_rule["languagetool:BLACK_SEA"].safety is Safety.REVIEW
    assert by_rule["languagetool:EN_A_VS_AN"].safety is Safety.SUGGEST
    assert not any("MORFOLOGIK" in r for r in by_rule)
    found.close()
    again = matcher(url, bundled, tmp_path)  # the cache answers: no request
    assert {e.rule_id for e in again.find(REAL)} == set(by_rule) and again.calls == 0
    again.close()


def test_several_requests_in_flight(url: str, bundled: RuleSet, tmp_path: Path) -> None:
    sentences = [f"In {1990 + i} he have met them {i} times in the town." for i in range(80)]
    text = " ".join(sentences)
    one = matcher(url, bundled, tmp_path / "one", workers=1)
    serial = list(one.find(text))
    assert one.calls == 1
    two = matcher(url, bundled, tmp_path / "two", workers=2)
    assert list(two.find(text)) == serial and two.calls >= 2  # one batch per request
    assert len([e for e in serial if e.original == "have"]) == 80
    one.close()
    two.close()


def test_the_command_line(url: str, tmp_path: Path) -> None:
    env = {**os.environ, "CLEANUP_LANGUAGETOOL_URL": url, "XDG_CACHE_HOME": str(tmp_path)}
    cmd = [str(Path(sys.executable).with_name("cleanup")), "fix", "-", "--grammar=required"]
    done = subprocess.run(
        [*cmd, "--format", "json", "--output-file", tmp_path / "found.json"],
        input=REAL.encode(),
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    edits = json.loads((tmp_path / "found.json").read_text(encoding="utf-8"))["files"][0]["edits"]
    rules = {e["rule"]: e["status"] for e in edits if e["source"] == "LanguageTool"}
    assert rules["languagetool:HE_VERB_AGR"] == "review"
    done = subprocess.run(
        [*cmd, "--accept-review"], input=REAL.encode(), capture_output=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"He has made a error" in done.stdout and done.stdout.count(b"\r\n") == 3

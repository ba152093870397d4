"""LanguageTool through language-tool-python, without Java or a LanguageTool server.

LanguageTool's answers are written here as its ``/v2/check`` returns them (offsets in
UTF-16 code units, as Java counts) and turned into the library's own
``language_tool_python.Match`` objects by a stand-in that plays the server: in process
(``FakeLanguageTool``, injected into the matcher) or over HTTP on 127.0.0.1 (for the
library's own client and for the command line). The tests against a real LanguageTool
are in test_languagetool_real.py.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cleanup import Engine, FixOptions, Safety, load_rules
from cleanup.edit import Edit, Kind
from cleanup.matchers import grammar
from cleanup.matchers.grammar import GrammarConfig, GrammarMatcher, GrammarUnavailable
from cleanup.ruleset.model import RuleSet

NEEDS_LTP = "language-tool-python is not installed (the 'test' extra should include it)"

PACK = """
pack: t
grammar:
  review: [GRAMMAR, EN_A_VS_AN]
  ignore: [STYLE, languagetool:MORFOLOGIK_RULE_EN_US]
names:
  - canonical: Nikol Pashinyan
    category: person
    surname: Pashinyan
  - canonical: Hadrut
    category: place
phrases:
  - find: solar conflict
    replace: Karabakh conflict
"""

NAMES_ONLY = """
pack: n
names:
  - canonical: Nikol Pashinyan
    category: person
    surname: Pashinyan
  - canonical: Hadrut
    category: place
"""

ACCEPT_ALL = FixOptions(accept=frozenset(Safety))


def u16(text: str) -> int:
    """Length in UTF-16 code units, as LanguageTool (Java) counts."""
    return len(text.encode("utf-16-le")) // 2


def lt_json(
    sentence: str,
    target: str,
    rule: str,
    category: str,
    issue: str,
    message: str,
    replacements: list[str],
    start: int | None = None,
) -> dict[str, Any]:
    """One entry of /v2/check's ``matches`` for ``target`` (at ``start``, or its first
    occurrence) in ``sentence`` checked alone: for the tests where the wording of the
    answer does not matter."""
    at = u16(sentence[: sentence.index(target) if start is None else start])
    return {
        "message": message,
        "shortMessage": "",
        "replacements": [{"value": r} for r in replacements],
        "offset": at,
        "length": u16(target),
        "context": {"text": sentence, "offset": at, "length": u16(target)},
        "sentence": sentence,
        "type": {"typeName": "Other"},
        "rule": {
            "id": rule,
            "description": message,
            "issueType": issue,
            "category": {"id": category, "name": category.title()},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def respond(text: str, canned: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """LanguageTool's /v2/check answer for ``text``: the canned matches of every sentence
    that occurs in it, moved to where the sentence stands (in UTF-16 code units)."""
    matches = []
    for sentence, found in canned.items():
        at = text.find(sentence)
        while at != -1:
            shift = u16(text[:at])
            for match in found:
                match = copy.deepcopy(match)
                match["offset"] += shift
                matches.append(match)
            at = text.find(sentence, at + 1)
    matches.sort(key=lambda m: m["offset"])
    return {
        "software": {
            "name": "LanguageTool",
            "version": "6.6",
            "buildDate": "2025-03-27 14:34:00 +0000",
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {"name": "English (US)", "code": "en-US"},
        "matches": matches,
    }


class FakeLanguageTool:
    """Plays ``language_tool_python.LanguageTool``: ``check`` answers with the library's
    own Match objects made from /v2/check JSON, and every request is recorded."""

    def __init__(self, ltp: ModuleType, canned: dict[str, list[dict[str, Any]]]) -> None:
        self.ltp = ltp
        self.canned = canned
        self.texts: list[str] = []

    def check(self, text: str) -> list[Any]:
        self.texts.append(text)
        return [self.ltp.Match(m, text) for m in respond(text, self.canned)["matches"]]


@pytest.fixture(autouse=True)
def own_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No server that `cleanup grammar serve` runs on this machine is found by a test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def ltp() -> ModuleType:
    return pytest.importorskip("language_tool_python", reason=NEEDS_LTP)


@pytest.fixture
def rules(pack: Callable[[str], Path]) -> RuleSet:
    return load_rules([pack(PACK)])


@pytest.fixture
def names_only(pack: Callable[[str], Path]) -> RuleSet:
    return load_rules([pack(NAMES_ONLY)])


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def matcher_for(
    ltp: ModuleType, rules: RuleSet, cache: Path, canned: dict[str, list[dict[str, Any]]]
) -> tuple[GrammarMatcher, FakeLanguageTool]:
    tool = FakeLanguageTool(ltp, canned)
    return GrammarMatcher(GrammarConfig(cache_dir=cache), rules, tool=tool), tool


# -- matches become edits -------------------------------------------------------------------

A_ERROR = "Lavrov said it was a error of judgement."
A_VS_AN = {
    "message": "Use “an” instead of ‘a’ if the following word starts with a vowel sound, "
    "e.g. ‘an article’, ‘an hour’.",
    "shortMessage": "Wrong article",
    "replacements": [{"value": "an"}],
    "offset": 19,
    "length": 1,
    "context": {"text": "Lavrov said it was a error of judgement.", "offset": 19, "length": 1},
    "sentence": "Lavrov said it was a error of judgement.",
    "type": {"typeName": "Other"},
    "rule": {
        "id": "EN_A_VS_AN",
        "description": "Use of 'a' vs. 'an'",
        "issueType": "misspelling",
        "category": {"id": "MISC", "name": "Miscellaneous"},
    },
    "ignoreForIncompleteSentence": False,
    "contextForSureMatch": 1,
}
NO_FIX = "The the talks went on."
REPEAT_WITHOUT_FIX = {
    "message": "Possible typo: you repeated a word.",
    "shortMessage": "Word repetition",
    "replacements": [],
    "offset": 0,
    "length": 7,
    "context": {"text": "The the talks went on.", "offset": 0, "length": 7},
    "sentence": "The the talks went on.",
    "type": {"typeName": "Other"},
    "rule": {
        "id": "ENGLISH_WORD_REPEAT_RULE",
        "description": "Word repetition (e.g. 'will will')",
        "issueType": "duplication",
        "category": {"id": "MISC", "name": "Miscellaneous"},
    },
    "ignoreForIncompleteSentence": False,
    "contextForSureMatch": 0,
}


def test_a_match_becomes_a_suggestion(ltp: ModuleType, names_only: RuleSet, cache: Path) -> None:
    matcher, _ = matcher_for(ltp, names_only, cache, {A_ERROR: [A_VS_AN]})
    text = "Intro line here.\n" + A_ERROR + "\n"
    assert list(matcher.find(text, base=100)) == [
        Edit(
            100 + 17 + 19,
            100 + 17 + 20,
            "a",
            "an",
            "languagetool:EN_A_VS_AN",
            Kind.GRAMMAR,
            Safety.SUGGEST,
            "LanguageTool",
            0.5,
            A_VS_AN["message"],
        )
    ]


def test_a_match_without_replacements_is_a_flag(
    ltp: ModuleType, names_only: RuleSet, cache: Path
) -> None:
    matcher, _ = matcher_for(ltp, names_only, cache, {NO_FIX: [REPEAT_WITHOUT_FIX]})
    (edit,) = matcher.find(NO_FIX)
    assert (edit.start, edit.end, edit.original, edit.replacement) == (0, 7, "The the", "The the")
    assert edit.safety is Safety.SUGGEST


# The second sentence has two flag emoji (4 UTF-16 units, 2 characters) before its match;
# the third has an emoji inside its match; the sentences before them have emoji too.
EMOJI_1 = "🌞 Sunny news from Yerevan today."
EMOJI_2 = "🇦🇲 He have said so twice."
EMOJI_3 = "They met so 😀 twice in March."
HE_HAVE = {
    "message": "The pronoun ‘He’ is usually used with a third-person or a past tense verb.",
    "shortMessage": "Grammatical problem",
    "replacements": [{"value": "has"}, {"value": "had"}],
    "offset": 8,  # 🇦 (2 units) 🇲 (2) space H e space
    "length": 4,
    "context": {"text": "🇦🇲 He have said so twice.", "offset": 8, "length": 4},
    "sentence": "🇦🇲 He have said so twice.",
    "type": {"typeName": "Other"},
    "rule": {
        "id": "HE_VERB_AGR",
        "description": "Agreement error: 'he/she/it' plus verb",
        "issueType": "grammar",
        "category": {"id": "GRAMMAR", "name": "Grammar"},
    },
    "ignoreForIncompleteSentence": False,
    "contextForSureMatch": 0,
}
SO_TWICE = {
    "message": "This phrase is redundant.",
    "shortMessage": "Redundancy",
    "replacements": [{"value": "twice"}],
    "offset": 9,
    "length": 11,  # "so 😀 twice": 10 characters, 11 code units
    "context": {"text": "They met so 😀 twice in March.", "offset": 9, "length": 11},
    "sentence": "They met so 😀 twice in March.",
    "type": {"typeName": "Other"},
    "rule": {
        "id": "SO_TWICE_REDUNDANCY",
        "description": "Redundancy",
        "issueType": "style",
        "category": {"id": "REDUNDANCY", "name": "Redundant Phrases"},
    },
    "ignoreForIncompleteSentence": False,
    "contextForSureMatch": 0,
}


def test_offsets_after_emoji_and_crlf(ltp: ModuleType, names_only: RuleSet, cache: Path) -> None:
    canned = {EMOJI_2: [HE_HAVE], EMOJI_3: [SO_TWICE]}
    matcher, tool = matcher_for(ltp, names_only, cache, canned)
    text = f"{EMOJI_1}\r\n{EMOJI_2}\r\n\r\n{EMOJI_3}\r\n"
    edits = sorted(matcher.find(text), key=lambda e: e.start)
    assert len(tool.texts) == 1 and "🇦🇲" in tool.texts[0]  # one request: emoji shift offsets
    assert [(text[e.start : e.end], e.original, e.replacement) for e in edits] == [
        ("have", "have", "has"),
        ("so 😀 twice", "so 😀 twice", "twice"),
    ]
    engine = Engine(names_only)
    engine.matchers.append(matcher)
    fixed = engine.fix_text(text, ACCEPT_ALL).text
    assert fixed == text.replace("He have", "He has").replace("so 😀 twice", "twice")
    assert fixed is not None and fixed.count("\r\n") == 4 and "\n" not in fixed.replace("\r\n", "")


def test_a_match_that_does_not_sit_where_it_says_is_dropped(
    ltp: ModuleType, names_only: RuleSet, cache: Path
) -> None:
    wrong = copy.deepcopy(A_VS_AN)
    wrong["offset"] += 1  # an off-by-one server: the context shows "a", the text has " "
    matcher, _ = matcher_for(ltp, names_only, cache, {A_ERROR: [wrong]})
    assert list(matcher.find(A_ERROR)) == []


def test_utf16_offsets_map_both_ways() -> None:
    units = grammar._Utf16("a😀b🇦🇲c")
    assert [units.to_utf16(i) for i in range(7)] == [0, 1, 3, 4, 6, 8, 9]
    assert [units.to_str(u) for u in range(10)] == [0, 1, None, 2, 3, None, 4, None, 5, 6]


def test_the_library_units_are_probed(ltp: ModuleType) -> None:
    # language-tool-python >= 2.8.1 turns the offset into characters, not the length.
    assert grammar._offset_units(ltp) == (True, False)
    assert grammar._offset_units(None) == (False, False)


# -- names ------------------------------------------------------------------------------

NAMES = "Pashinyan visited Hadrut and Gadrut, Pashinyan's goverment said."


def spelling(sentence: str, word: str, fixes: list[str]) -> dict[str, Any]:
    return lt_json(
        sentence,
        word,
        "MORFOLOGIK_RULE_EN_US",
        "TYPOS",
        "misspelling",
        "Possible spelling mistake found.",
        fixes,
    )


def test_names_and_their_forms_are_never_flagged(
    ltp: ModuleType, names_only: RuleSet, cache: Path
) -> None:
    canned = {
        NAMES: [
            spelling(NAMES, "Pashinyan", ["Pakistan"]),
            spelling(NAMES, "Hadrut", ["Hadrat"]),
            spelling(NAMES, "Gadrut", ["Gadget"]),  # a generated wrong form: the names pack's job
            spelling(NAMES, "Pashinyan's", ["Pakistan's"]),
            spelling(NAMES, "goverment", ["government"]),
            lt_json(
                NAMES,
                "Pashinyan visited",
                "SOME_GRAMMAR_RULE",
                "GRAMMAR",
                "grammar",
                "A rewrite that would lose the name.",
                ["He visited"],
            ),
        ]
    }
    matcher, _ = matcher_for(ltp, names_only, cache, canned)
    assert [(e.original, e.replacement) for e in matcher.find(NAMES)] == [
        ("goverment", "government")
    ]


def test_a_match_that_keeps_the_name_is_kept(
    ltp: ModuleType, names_only: RuleSet, cache: Path
) -> None:
    sentence = "Yesterday Pashinyan have said it."
    canned = {
        sentence: [
            lt_json(
                sentence,
                "Pashinyan have",
                "NON3PRS_VERB",
                "GRAMMAR",
                "grammar",
                "The verb does not agree with the subject.",
                ["Pashinyan has"],
            )
        ]
    }
    matcher, _ = matcher_for(ltp, names_only, cache, canned)
    assert [(e.original, e.replacement) for e in matcher.find(sentence)] == [
        ("Pashinyan have", "Pashinyan has")
    ]


# -- the packs' grammar policy ----------------------------------------------------------------

POLICY = "He have left Pashinyn, a error, and this is considered by many as bad."
A_AT = POLICY.index(" a ") + 1


def test_review_and_ignore_come_from_the_packs(
    ltp: ModuleType, rules: RuleSet, cache: Path
) -> None:
    assert rules.grammar_review == {"GRAMMAR", "EN_A_VS_AN"}
    canned = {
        POLICY: [
            lt_json(POLICY, "have", "HE_VERB_AGR", "GRAMMAR", "grammar", "Agreement.", ["has"]),
            lt_json(POLICY, "Pashinyn", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", "S.", []),
            lt_json(POLICY, "a", "EN_A_VS_AN", "MISC", "misspelling", "A.", ["an"], A_AT),
            lt_json(POLICY, "is considered", "REP_PASSIVE_VOICE", "STYLE", "style", "P.", []),
            lt_json(POLICY, "He", "UPPERCASE_SENTENCE_START", "CASING", "typographical", "C.", []),
        ]
    }
    matcher, _ = matcher_for(ltp, rules, cache, canned)
    found = {e.rule_id: e.safety for e in matcher.find(POLICY)}
    assert found == {
        "languagetool:HE_VERB_AGR": Safety.REVIEW,  # category GRAMMAR
        "languagetool:EN_A_VS_AN": Safety.REVIEW,  # rule id
        "languagetool:UPPERCASE_SENTENCE_START": Safety.SUGGEST,  # the default
    }  # STYLE and MORFOLOGIK_RULE_EN_US are ignored


# -- what is sent, batching and caching ---------------------------------------------------------

ARTICLE = """\
BAKU, 12.05.2023 14:55

Lavrov and Bayramov met in Moscow. They discussed the peace treaty! Was it signed?
Mr. Pashinyan was not there.
***
2023
He have said that the talks went well.
"""
SENT = [
    "Lavrov and Bayramov met in Moscow.",
    "They discussed the peace treaty!",
    "Was it signed?",
    "Mr. Pashinyan was not there.",
    "He have said that the talks went well.",
]


def test_only_prose_is_sent_in_one_request(
    ltp: ModuleType, names_only: RuleSet, cache: Path
) -> None:
    matcher, tool = matcher_for(ltp, names_only, cache, {})
    assert list(matcher.find(ARTICLE)) == []
    assert tool.texts == ["\n\n".join(SENT)]  # no date line, no '***', no '2023'


def test_batches_hold_several_sentences(
    ltp: ModuleType, names_only: RuleSet, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grammar, "BATCH_CHARS", 90)
    last = SENT[-1]
    canned = {last: [lt_json(last, "have", "HE_VERB_AGR", "GRAMMAR", "grammar", "A.", ["has"])]}
    matcher, tool = matcher_for(ltp, names_only, cache, canned)
    (edit,) = matcher.find(ARTICLE)
    assert ARTICLE[edit.start : edit.end] == "have"
    assert sorted(t.split("\n\n") for t in tool.texts) == [SENT[:3], SENT[3:]]


def test_a_rerun_asks_languagetool_nothing(
    ltp: ModuleType, rules: RuleSet, names_only: RuleSet, cache: Path
) -> None:
    last = SENT[-1]
    canned = {
        last: [
            lt_json(last, "have", "HE_VERB_AGR", "GRAMMAR", "grammar", "A.", ["has"]),
            lt_json(last, "went well", "REP_PASSIVE_VOICE", "STYLE", "style", "S.", []),
        ]
    }
    first, tool = matcher_for(ltp, names_only, cache, canned)
    edits = list(first.find(ARTICLE))
    assert len(tool.texts) == 1 and len(edits) == 2
    first.close()
    assert [p.name for p in cache.iterdir()] == ["checks.sqlite3"]

    again, tool = matcher_for(ltp, names_only, cache, canned)
    assert list(again.find(ARTICLE)) == edits
    assert tool.texts == [] and again.calls == 0

    # The cache holds LanguageTool's answer; a pack's policy applies to it afresh.
    policy, tool = matcher_for(ltp, rules, cache, canned)
    assert [(e.original, e.safety) for e in policy.find(ARTICLE)] == [("have", Safety.REVIEW)]
    assert tool.texts == []

    # Another language is another question.
    other = FakeLanguageTool(ltp, canned)
    en_gb = GrammarMatcher(GrammarConfig(language="en-GB", cache_dir=cache), names_only, tool=other)
    list(en_gb.find(ARTICLE))
    assert len(other.texts) == 1


def test_blocks_see_each_match_once(ltp: ModuleType, names_only: RuleSet, cache: Path) -> None:
    sentence = "He have said that the talks went well."
    canned = {
        sentence: [lt_json(sentence, "have", "HE_VERB_AGR", "GRAMMAR", "grammar", "A.", ["has"])]
    }
    matcher, _ = matcher_for(ltp, names_only, cache, canned)
    text = " ".join([sentence] * 20)
    whole = sorted(matcher.find(text))
    assert len(whole) == 20
    cut = text.index("have", len(text) // 2) - 1  # inside a sentence
    halves = sorted([*matcher.find(text, 0, cut), *matcher.find(text, cut, None)])
    assert halves == whole
    block = text[cut - 100 :]  # a later block keeps some text before its start
    shifted = sorted(matcher.find(block, 100, None, base=cut - 100))
    assert shifted == [e for e in whole if e.start >= cut]


def test_the_cache_lives_in_xdg_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert grammar.default_cache_dir() == tmp_path / "cleanup" / "languagetool"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert grammar.default_cache_dir() == Path.home() / ".cache" / "cleanup" / "languagetool"


# -- the library's own client against a LanguageTool stand-in over HTTP ------------------------


class FakeServer:
    """LanguageTool's HTTP API on 127.0.0.1: /v2/languages and /v2/check."""

    def __init__(self, canned: dict[str, list[dict[str, Any]]]) -> None:
        self.canned = canned
        self.checked: list[str] = []  # texts POSTed to /v2/check
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                if url.path == "/v2/languages":
                    self.reply([{"name": "English (US)", "code": "en", "longCode": "en-US"}])
                elif url.path == "/v2/check":
                    text = urllib.parse.parse_qs(url.query).get("text", [""])[0]
                    self.reply(respond(text, server.canned))
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
                text = urllib.parse.parse_qs(body).get("text", [""])[0]
                server.checked.append(text)
                self.reply(respond(text, server.canned))

            def reply(self, data: object) -> None:
                payload = json.dumps(data).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    fake = FakeServer({EMOJI_2: [HE_HAVE], EMOJI_3: [SO_TWICE]})
    yield fake
    fake.close()


def test_a_server_through_language_tool_python(
    ltp: ModuleType, server: FakeServer, names_only: RuleSet, cache: Path
) -> None:
    matcher = GrammarMatcher(GrammarConfig(url=server.url, cache_dir=cache), names_only)
    assert matcher.version == "6.6 2025-03-27 14:34:00 +0000"
    text = f"{EMOJI_1}\r\n{EMOJI_2}\r\n{EMOJI_3}\r\n"
    found = [(text[e.start : e.end], e.replacement) for e in matcher.find(text)]
    assert sorted(found) == [("have", "has"), ("so 😀 twice", "twice")]
    assert len(server.checked) == 1
    matcher.close()


@pytest.mark.parametrize(
    "url",
    ["{}", "{}/", "{}/v2", "{}/v2/", "{}/v2/check"],
    ids=["bare", "slash", "v2", "v2/", "check"],
)
def test_server_urls_may_name_the_api(
    ltp: ModuleType, server: FakeServer, names_only: RuleSet, cache: Path, url: str
) -> None:
    config = GrammarConfig(url=url.format(server.url), cache_dir=cache)
    assert [e.original for e in GrammarMatcher(config, names_only).find(EMOJI_2)] == ["have"]


# -- when LanguageTool cannot run ----------------------------------------------------------------


def test_without_the_library(
    monkeypatch: pytest.MonkeyPatch, names_only: RuleSet, cache: Path
) -> None:
    monkeypatch.setitem(sys.modules, "language_tool_python", None)
    with pytest.raises(GrammarUnavailable) as err:
        GrammarMatcher(GrammarConfig(cache_dir=cache), names_only)
    assert "pip install 'cleanup[grammar]'" in str(err.value)
    one_line(err.value)


def test_without_java(
    ltp: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, names_only: RuleSet
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(GrammarUnavailable) as err:
        GrammarMatcher(GrammarConfig(cache_dir=tmp_path / "cache"), names_only)
    assert "Java" in str(err.value) and "17" in str(err.value)
    assert "--languagetool-url" in str(err.value)
    assert not (tmp_path / "cache").exists()
    one_line(err.value)


def test_an_unreachable_server(ltp: ModuleType, names_only: RuleSet, cache: Path) -> None:
    with pytest.raises(GrammarUnavailable) as err:
        GrammarMatcher(GrammarConfig(url="http://127.0.0.1:9", cache_dir=cache), names_only)
    message = str(err.value)
    assert message.startswith("cannot reach the LanguageTool server at http://127.0.0.1:9: ")
    assert "Connection refused" in message
    one_line(err.value)


def _chained(outer: Exception, inner: BaseException) -> Exception:
    outer.__cause__ = inner
    return outer


def _offline(ltp: ModuleType) -> Exception:
    requests = pytest.importorskip("requests")
    error = requests.exceptions.ConnectionError("HTTPSConnectionPool(...): Max retries exceeded")
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    return error


LIBRARY_ERRORS: list[tuple[Callable[[ModuleType], BaseException], str]] = [
    (
        _offline,
        "LanguageTool could not be downloaded or found (Name or service not known); "
        "when offline, give --languagetool-url URL of a LanguageTool server",
    ),
    (
        lambda ltp: ltp.exceptions.PathError("Access forbidden to URL https://example.org/LT.zip"),
        "LanguageTool could not be downloaded or found (Access forbidden to URL",
    ),
    (
        lambda ltp: ltp.exceptions.ServerError("LanguageTool server exited early with code 1"),
        "the local LanguageTool server did not start: LanguageTool server exited early",
    ),
    (
        lambda ltp: SystemError(
            "Detected java 11.0. LanguageTool requires Java >= 17 for version 6.8."
        ),
        "Detected java 11.0. LanguageTool requires Java >= 17 for version 6.8.; install Java",
    ),
    (
        lambda ltp: SystemExit("Could not parse Java version from 'x'."),
        "Could not parse Java version",
    ),
    (lambda ltp: ltp.exceptions.JavaError("can't find Java"), "Java cannot be run (can't find"),
    (
        lambda ltp: ValueError("unsupported language: 'xx-YY'"),
        "LanguageTool does not check language 'en-US' (unsupported language: 'xx-YY')",
    ),
]


@pytest.mark.parametrize(
    "error, message",
    LIBRARY_ERRORS,
    ids=["offline", "download", "server", "old-java", "odd-java", "no-java", "language"],
)
def test_why_a_local_languagetool_cannot_run(
    ltp: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    names_only: RuleSet,
    error: Callable[[ModuleType], BaseException],
    message: str,
) -> None:
    bin_dir = tmp_path / "bin"  # a 'java' on PATH, so the library is asked to start
    bin_dir.mkdir()
    (bin_dir / "java").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "java").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    raised = error(ltp)

    def fail(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(ltp, "LanguageTool", fail)
    with pytest.raises(GrammarUnavailable) as err:
        GrammarMatcher(GrammarConfig(cache_dir=tmp_path / "cache"), names_only)
    assert message in str(err.value)
    one_line(err.value)


def test_a_server_that_fails_while_checking(names_only: RuleSet, cache: Path) -> None:
    class Broken:
        def check(self, text: str) -> list[Any]:
            raise ConnectionResetError(104, "Connection reset by peer")

    matcher = GrammarMatcher(GrammarConfig(cache_dir=cache), names_only, tool=Broken())
    with pytest.raises(GrammarUnavailable, match="failed while checking: Connection reset"):
        list(matcher.find(A_ERROR))


def one_line(error: Exception) -> None:
    assert "\n" not in str(error) and "Traceback" not in str(error)


# -- the command line ---------------------------------------------------------------------------


def _cleanup_command() -> str:
    beside = Path(sys.executable).parent / "cleanup"
    found = str(beside) if beside.exists() else shutil.which("cleanup")
    if found is None:  # pragma: no cover - an installation without the script
        pytest.skip("the cleanup command is not installed (run ./dev test)")
    return found


def run_cleanup(
    *args: str, cwd: Path, input: bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    environ = {k: v for k, v in os.environ.items() if k != "CLEANUP_LANGUAGETOOL_URL"}
    environ.update({"XDG_CACHE_HOME": str(cwd / "xdg-cache"), "NO_PROXY": "127.0.0.1"})
    environ.update(env or {})
    return subprocess.run(
        [_cleanup_command(), *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        timeout=120,
        env=environ,
    )


ARTICLE_IN = b"The three-sided statement on the solar conflict.\n"
ARTICLE_OUT = b"The trilateral statement on the Karabakh conflict.\n"


def test_cli_goes_on_without_languagetool(ltp: ModuleType, tmp_path: Path) -> None:
    proc = run_cleanup(
        "fix", "-", "--grammar", "--languagetool-url", "http://127.0.0.1:9",
        cwd=tmp_path, input=ARTICLE_IN,
    )  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert proc.stdout == ARTICLE_OUT
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: grammar check skipped: cannot reach the LanguageTool server at "
        "http://127.0.0.1:9: Connection refused; check --languagetool-url (or "
        "CLEANUP_LANGUAGETOOL_URL) and that the server is running"
    ]
    assert "Traceback" not in err


def test_cli_grammar_required_stops(ltp: ModuleType, tmp_path: Path) -> None:
    proc = run_cleanup(
        "fix", "-", "--grammar=required",
        cwd=tmp_path, input=ARTICLE_IN, env={"CLEANUP_LANGUAGETOOL_URL": "http://127.0.0.1:9"},
    )  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert proc.stdout == b""
    assert len(err.splitlines()) == 1 and err.startswith("error: cannot reach the LanguageTool")


def test_cli_with_a_server(ltp: ModuleType, server: FakeServer, tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK).lstrip(), encoding="utf-8")
    text = f"The solar conflict.\r\n{EMOJI_2}\r\n{EMOJI_3}\r\n".encode()
    args = ["fix", "-", "--grammar=required", "--languagetool-url", server.url]
    args += ["--no-default-rules", "--rules", "pack.yaml"]
    found = tmp_path / "found.json"
    proc = run_cleanup(*args, "--format", "json", "--output-file", found, cwd=tmp_path, input=text)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == text.replace(b"solar", b"Karabakh")
    edits = json.loads(found.read_text(encoding="utf-8"))["files"][0]["edits"]
    grammar_edits = [
        (e["before"], e["after"], e["rule"], e["safety"], e["status"])
        for e in edits
        if e["source"] == "LanguageTool"
    ]
    assert grammar_edits == [
        ("have", "has", "languagetool:HE_VERB_AGR", "review", "review"),
        ("so 😀 twice", "twice", "languagetool:SO_TWICE_REDUNDANCY", "suggest", "suggestion"),
    ]
    assert len(server.checked) == 1

    proc = run_cleanup(*args, cwd=tmp_path, input=text)  # the same sentences: from the cache
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == text.replace(b"solar", b"Karabakh")
    assert len(server.checked) == 1
    assert (tmp_path / "xdg-cache" / "cleanup" / "languagetool" / "checks.sqlite3").is_file()


# A real LanguageTool: tests/test_languagetool_real.py.


def test_jobs_share_one_server(ltp: ModuleType, server: FakeServer, tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(PACK).lstrip(), encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):  # distinct sentences, so that the cache answers none of them
        (folder / f"a{i}.txt").write_text(f"Text {i} here.\r\n{EMOJI_2}\r\n", encoding="utf-8")
    args = ["fix", "in", "--grammar=required", "--languagetool-url", server.url, "--jobs", "2"]
    args += ["--no-default-rules", "--rules", "pack.yaml", "--format", "json"]
    proc = run_cleanup(*args, cwd=tmp_path, input=b"")
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)["files"]
    assert len(report) == 6
    for entry in report:  # every file, in whichever worker, got LanguageTool's finding
        rules = {e["rule"] for e in entry["edits"] if e["source"] == "LanguageTool"}
        assert rules == {"languagetool:HE_VERB_AGR"}, entry["path"]
    assert server.checked  # all of it from the one server

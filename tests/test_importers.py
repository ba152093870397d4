"""`cleanup rules import`: prh, Vale and codespell files, written here as their own docs show
them (codespell: its installed dictionary), become packs that load, compile and fix text as
the source tool would; what cannot be converted is named in a note.
"""

from __future__ import annotations

import importlib.resources
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from cleanup import Engine, FixOptions, RuleError, Safety, Status, load_rules
from cleanup.importers import Converted, _js_regex, _scalar, convert
from cleanup.ruleset.model import CaseMode, Rule, RuleSet
from cleanup.ruletest import run_examples

CLEANUP = str(Path(sys.executable).parent / "cleanup")
EVERYTHING = FixOptions(accept=frozenset(Safety))
WITH_REVIEW = FixOptions(accept=frozenset({Safety.AUTO, Safety.REVIEW}))

# prh's own sample dictionary (misc/prh.yml in github.com/prh/prh), comments left out.
PRH_SAMPLE = r"""
version: 1
imports:
  - ./prh-rules/media/techbooster.yml
rules:
  - expected: Cookie
  - expected: jQuery
    specs:
      - from: jquery
        to:   jQuery
      - from: ＪＱＵＥＲＹ
        to:   jQuery
  - expected: デフォルト
    pattern:  ディフォルト
  - expected: ハードウェア
    patterns:
      - ハードウエアー
      - ハードウェアー
      - ハードウエア
  - expected: （$1）
    pattern:  /\(([^)]+)\)/
    specs:
      - from: (そのとおり)
        to:   （そのとおり）
  - expected: ソフトウェア
    pattern:  /(日経)?ソフトウエア/
    regexpMustEmpty: $1
    specs:
      - from: 広義のソフトウエア
        to:   広義のソフトウェア
      - from: 日経ソフトウエア
        to:   日経ソフトウエア
  - expected: サーバー
    pattern:  /サーバ(?!ー)/
    specs:
      - from: サーバ
        to:   サーバー
  - expected: js
    options:
      wordBoundary: true
    specs:
      - from: foo JS bar
        to:   foo js bar
      - from: foo altJS bar
        to:   foo altJS bar
"""

# What prh 5.4.4 (prh --rules sample.yml --stdout) makes of this text.
PRH_SAMPLE_TEXT = (
    "cookieとＣＯＯＫＩＥとCookieの話。jqueryとＪＱＵＥＲＹとjQuery。\n"
    "ディフォルトの設定はハードウエアーとハードウェアーとハードウエアに依存する。\n"
    "広義のソフトウエアと日経ソフトウエアを読む(そのとおり)。\n"
    "サーバとサーバーとサーバーー。今日もJS祭り、altJSとJS。\n"
)
PRH_SAMPLE_FIXED = (
    "CookieとCookieとCookieの話。jQueryとjQueryとjQuery。\n"
    "デフォルトの設定はハードウェアとハードウェアとハードウェアに依存する。\n"
    "広義のソフトウェアと日経ソフトウエアを読む（そのとおり）。\n"
    "サーバーとサーバーとサーバーー。今日もjs祭り、altJSとjs。\n"
)

PRH_ENGLISH = r"""
version: 1
rules:
  - expected: JavaScript
    patterns: [Javascript, javascript]
    prh: The language's own spelling.
    specs:
      - from: I like javascript.
        to: I like JavaScript.
  - expected: GitHub
  - expected: $1-based
    pattern: /\b(\w+) based\b/
    specs:
      - from: a cloud based service
        to: a cloud-based service
  - expected: Node.js
    pattern: /\bnode\.?js\b/i
  - expected: colour
    pattern: color
    options:
      wordBoundary: true
  - expected: web server
    pattern: webserver
    options:
      wordBoundary: true
"""
PRH_ENGLISH_TEXT = (
    "I like javascript and Javascript on github; install NODEJS or node.js.\n"
    "A cloud based service, the color of the webserver.\n"
)
PRH_ENGLISH_FIXED = (
    "I like JavaScript and JavaScript on GitHub; install Node.js or Node.js.\n"
    "A cloud-based service, the colour of the web server.\n"
)

# A Vale substitution rule as vale.sh/docs/checks/substitution shows them.
VALE = r"""
extends: substitution
message: "Consider using '%s' instead of '%s'"
link: https://example.com/style#terms
level: warning
ignorecase: true
action:
  name: replace
swap:
  abundance: plenty
  accelerate: speed up
  '(?:give|gave) rise to': lead to
  'within the (.*)?directory': in the $1 directory
  javascript: JavaScript
  e-mail: email|electronic mail
  e\.g\.: for example
exceptions:
  - Abundance Software
  - '[Gg]ave rise to a'
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def loaded(tmp_path: Path, converted: Converted, name: str = "out.yaml") -> RuleSet:
    """The converted pack as cleanup loads it (strictly), and compiled once."""
    path = tmp_path / name
    path.write_text(converted.yaml, encoding="utf-8")
    rules = load_rules([path])
    Engine(rules)  # compiles, and checks that every fix settles
    return rules


def fixed(rules: RuleSet, text: str, options: FixOptions = EVERYTHING) -> str:
    result = Engine(rules).fix_text(text, options).text
    assert result is not None
    return result


def rule_for(rules: RuleSet, local_id: str) -> Rule:
    return next(r for r in rules.rules if r.id.endswith("." + local_id))


# -- prh --------------------------------------------------------------------------------------


def test_prh_sample_converts_whole_and_its_specs_pass(tmp_path: Path) -> None:
    source = write(tmp_path, "prh.yml", PRH_SAMPLE)
    converted = convert("prh", source, None)
    rules = loaded(tmp_path, converted)
    assert converted.count == len(rules.rules) == 8
    assert converted.skipped == (
        f"{source}:3: imports[0] './prh-rules/media/techbooster.yml': convert that file on its own",
    )
    assert rules.files and rules.rules[0].id.startswith("prh.")
    results = list(run_examples(rules))
    assert len(results) == 8 and all(r.passed for r in results), [r.problem for r in results]


def test_prh_sample_fixes_text_as_prh_does(tmp_path: Path) -> None:
    rules = loaded(tmp_path, convert("prh", write(tmp_path, "prh.yml", PRH_SAMPLE), None))
    assert fixed(rules, PRH_SAMPLE_TEXT) == PRH_SAMPLE_FIXED


def test_prh_english_fixes_text_as_prh_does(tmp_path: Path) -> None:
    rules = loaded(tmp_path, convert("prh", write(tmp_path, "en.yml", PRH_ENGLISH), None))
    assert fixed(rules, PRH_ENGLISH_TEXT) == PRH_ENGLISH_FIXED
    assert all(r.passed for r in run_examples(rules))


def test_prh_mapping(tmp_path: Path) -> None:
    """Plain patterns: exact phrases; regexes: patterns for review; 'expected' alone: any case."""
    rules = loaded(tmp_path, convert("prh", write(tmp_path, "en.yml", PRH_ENGLISH), None))
    js = rule_for(rules, "javascript")
    assert [k.find for k in js.keys] == ["Javascript", "javascript"]
    assert js.keys[0].replace == "JavaScript" and js.case is CaseMode.EXACT
    assert js.safety is Safety.AUTO
    assert js.why == "from prh: rules[0] (en.yml:3); The language's own spelling."
    assert [(e.before, e.after) for e in js.examples] == [
        ("I like javascript.", "I like JavaScript.")
    ]
    based = rule_for(rules, "based")
    assert based.regex == r"(?a:\b)([A-Za-z0-9_]+) based(?a:\b)"
    assert based.replace == r"\g<1>-based" and based.safety is Safety.REVIEW
    assert rule_for(rules, "node-js").regex == r"(?i)(?a:\b)node\.?js(?a:\b)"
    github = rule_for(rules, "github")  # prh: any case, full-width letters too
    assert github.safety is Safety.AUTO
    assert fixed(rules, "ＧＩＴＨＵＢ and GITHUB and GitHub") == "GitHub and GitHub and GitHub"
    # Patterns ask for review, as cleanup's own patterns do.
    text = "A cloud based service."
    assert fixed(rules, text, FixOptions()) == text
    assert fixed(rules, text, WITH_REVIEW) == "A cloud-based service."


def test_prh_plain_patterns_match_whole_words_in_spaced_scripts(tmp_path: Path) -> None:
    """The one difference from prh: 'webserver' is fixed, 'webservers' is not."""
    source = write(tmp_path, "p.yml", "rules:\n  - {expected: web server, pattern: webserver}\n")
    rules = loaded(tmp_path, convert("prh", source, None))
    assert fixed(rules, "the webserver and the webservers") == "the web server and the webservers"


def test_prh_plain_japanese_patterns_match_anywhere(tmp_path: Path) -> None:
    source = write(tmp_path, "p.yml", "rules:\n  - {expected: デフォルト, pattern: ディフォルト}\n")
    rules = loaded(tmp_path, convert("prh", source, None))
    assert rules.rules[0].safety is Safety.AUTO and rules.rules[0].regex == "ディフォルト"
    assert fixed(rules, "ディフォルトの設定", FixOptions()) == "デフォルトの設定"


@pytest.mark.parametrize(
    ("js", "python", "matches", "misses"),
    [
        (r"\d+", "[0-9]+", "42", "٤٢"),  # JavaScript's \d is ASCII only
        (r"\w+ing", "[A-Za-z0-9_]+ing", "testing", "éing"),
        (r"\bJS\b", r"(?a:\b)JS(?a:\b)", "今日もJS祭り", "altJS"),
        (r"[^]", r"[\s\S]", "\n", ""),
        (r"a[]", "a(?!)", "", "a"),
        (r"(?<q>['\"]).*?\k<q>", r"(?<q>['\"]).*?(?P=q)", "'x'", "'x\""),
        (r"[\d\-]+", r"[0-9\-]+", "1-2", ""),
        (r"\u{1F600}", r"\U0001f600", "\U0001f600", "x"),
        (r"a\/b", "a/b", "a/b", ""),
        (r"\cJ", r"\x0a", "\n", "J"),
    ],
)
def test_javascript_regexes_are_translated(js: str, python: str, matches: str, misses: str) -> None:
    translated, problem = _js_regex(js)
    assert (translated, problem) == (python, "")
    compiled = regex.compile(translated)
    if matches:
        assert compiled.search(matches)
    if misses:
        assert not compiled.fullmatch(misses)


def test_prh_rules_cleanup_cannot_express_are_noted(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "p.yml",
        r"""
        rules:
          - expected: x
            pattern: /[\D]x/
          - expected: y
            patterns: [/a/i, b]
          - pattern: nothing expected
          - expected: z
            pattern: ''
          - expected: same
            pattern: same
          - expected: fine
            pattern: fien
        """,
    )
    converted = convert("prh", source, None)
    assert converted.count == 1
    assert converted.skipped == (
        f"{source}:2: rules[0]: pattern /[\\D]x/: \\D inside [...] has no equivalent here",
        f"{source}:4: rules[1]: its patterns mix the i flag with others (prh refuses to combine them)",
        f"{source}:6: rules[2]: no 'expected' (prh refuses such a rule)",
        f"{source}:7: rules[3]: a pattern is empty (prh refuses it)",
        f"{source}:9: rules[4]: its pattern is its expected text: nothing to fix",
    )
    loaded(tmp_path, converted)


def test_prh_colliding_patterns_merge_or_are_skipped(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "p.yml",
        """
        rules:
          - {expected: colour, pattern: color}
          - {expected: colour, patterns: [color, Color]}
          - {expected: hue, pattern: color}
          - {expected: shade, patterns: [Color, tint]}
        """,
    )
    converted = convert("prh", source, None)
    rules = loaded(tmp_path, converted)
    assert converted.count == 3
    assert converted.skipped == (
        f"{source}:4: 'color': already converted from rules[0] (p.yml:2) (-> 'colour'); "
        "this entry (-> 'hue') is skipped",
        f"{source}:5: 'Color': already converted from rules[1] (p.yml:3) (-> 'colour'); "
        "this entry (-> 'shade') is skipped",
    )
    first, second, third = rules.rules
    assert first.why == "from prh: rules[0] (p.yml:2), rules[1] (p.yml:3)"
    assert [k.find for k in second.keys] == ["Color"]
    assert [k.find for k in third.keys] == ["tint"]


def test_ids_are_unique_and_output_is_deterministic(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "p.yml",
        """
        rules:
          - {expected: a, pattern: Foo bar}
          - {expected: b, pattern: foo-bar}
          - {expected: c, pattern: FOO BAR!}
          - {expected: d, pattern: /(ー)+/}
        """,
    )
    first = convert("prh", source, None)
    assert first == convert("prh", source, None)
    rules = loaded(tmp_path, first)
    assert [r.id for r in rules.rules] == ["p.foo-bar", "p.foo-bar-2", "p.foo-bar-3", "p.rules-3"]


def test_tricky_strings_survive_the_round_trip(tmp_path: Path) -> None:
    patterns = [
        "yes", "null", "#hash", "trailing  ", "Ärger", "~", "true", "1.5", "0o17", "-dash",
        "@at", "tab\there", "nbsp\u00a0x", "line\u2028sep", "back\\slash", '"dq"', "it's",
        "x: y #z", "[flow, list]", "{brace}", "*star", "&amp", "!bang", "%pc", "`tick`",
    ]  # fmt: skip
    expected = ["no", "'quoted'", ": colon", "  leading", "ünïcödé “quotes” — dash", "a, b"]
    pairs = list(zip(patterns, expected * 5, strict=False))
    one_each = {"rules": [{"expected": e, "pattern": p} for p, e in pairs]}
    in_a_list = {"rules": [{"expected": "", "patterns": patterns}]}
    for name, data in (("each.yml", one_each), ("list.yml", in_a_list)):
        source = tmp_path / name
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        converted = convert("prh", source, None)
        assert converted.skipped == ()
        rules = loaded(tmp_path, converted, name + ".yaml")
        got = [(k.find, k.replace) for r in rules.rules for k in r.keys]
        assert got == (pairs if name == "each.yml" else [(p, "") for p in patterns])


@given(st.text())
def test_yaml_scalars_read_back_unchanged(text: str) -> None:
    for reader in (yaml.safe_load, YAML(typ="safe", pure=True).load):
        assert reader(f"k: {_scalar(text)}\n") == {"k": text}
        assert reader(f"k: [{_scalar(text, flow=True)}, x]\n") == {"k": [text, "x"]}


# -- Vale -------------------------------------------------------------------------------------


def test_vale_substitution_rule(tmp_path: Path) -> None:
    source = write(tmp_path, "Terms.yml", VALE)
    converted = convert("vale", source, None)
    rules = loaded(tmp_path, converted)
    assert converted.count == 7
    assert converted.skipped == (
        f"{source}:18: exception '[Gg]ave rise to a': a regular expression; "
        "cleanup exceptions are literal text",
    )
    abundance = rule_for(rules, "abundance")
    assert abundance.kind.value == "phrase" and abundance.case is CaseMode.PRESERVE
    assert abundance.safety is Safety.REVIEW  # level: warning
    assert abundance.exceptions == ("Abundance Software",)
    assert (
        abundance.why
        == "from vale: swap 'abundance' (Terms.yml:9); https://example.com/style#terms"
    )
    directory = rule_for(rules, "within-the-directory")
    assert directory.regex == r"(?i)\b(?:within the (.*)?directory)\b"
    assert directory.replace == r"in the \g<1> directory"
    javascript = rule_for(rules, "javascript")  # a fix of case only: a case-insensitive pattern
    assert javascript.regex == r"(?i)\b(?:javascript)\b" and javascript.case is CaseMode.EXACT
    email = rule_for(rules, "e-mail")
    assert (
        email.safety is Safety.SUGGEST and "Vale suggests 'email' or 'electronic mail'" in email.why
    )
    assert [k.find for k in rule_for(rules, "e-g").keys] == ["e.g."]
    text = "Abundance of javascript, JAVASCRIPT gave rise to Abundance Software, e.g. to e-mail."
    result = Engine(rules).fix_text(text, WITH_REVIEW)
    assert result.text == (
        "Plenty of JavaScript, JavaScript lead to Abundance Software, for example to e-mail."
    )
    assert [f.edit.replacement for f in result.findings if f.status is Status.PENDING] == ["email"]


@pytest.mark.parametrize(
    ("level", "safety"),
    [
        ("error", Safety.AUTO),
        ("warning", Safety.REVIEW),
        ("suggestion", Safety.SUGGEST),
        (None, Safety.SUGGEST),
    ],
)
def test_vale_levels_become_safeties(tmp_path: Path, level: str | None, safety: Safety) -> None:
    head = f"level: {level}\n" if level else ""
    source = write(
        tmp_path,
        "R.yml",
        f"extends: substitution\nmessage: m\n{head}swap:\n  colour: color\n  'colou?rs': hues\n",
    )
    rules = loaded(tmp_path, convert("vale", source, None))
    assert [r.safety for r in rules.rules] == [safety, safety]


def test_vale_case_sensitive_and_nonword_rules(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "R.yml",
        """
        extends: substitution
        message: m
        level: error
        nonword: true
        capitalize: true
        swap:
          Colour: color
          '\\s+,': ','
        """,
    )
    rules = loaded(tmp_path, convert("vale", source, None))
    colour, comma = rules.rules
    assert colour.regex == "(?:Colour)" and colour.replace == "Color"
    assert colour.case is CaseMode.PRESERVE  # capitalize: the replacement follows the match
    assert comma.regex == r"(?:\s+,)"
    assert fixed(rules, "Colours , and colour") == "Colors, and colour"


def test_vale_capitalize_without_ignorecase(tmp_path: Path) -> None:
    """Matching stays case-sensitive; a capitalised key gets a capitalised replacement."""
    source = write(
        tmp_path,
        "R.yml",
        "extends: substitution\nlevel: error\ncapitalize: true\nswap:\n  Colour: color\n  hue: shade\n",
    )
    rules = loaded(tmp_path, convert("vale", source, None))
    assert [(r.keys[0].replace, r.case) for r in rules.rules] == [
        ("Color", CaseMode.EXACT),
        ("shade", CaseMode.EXACT),
    ]
    assert fixed(rules, "Colour, colour, hue, Hue.") == "Color, colour, shade, Hue."


def test_vale_rule_of_another_kind_is_an_error(tmp_path: Path) -> None:
    source = write(tmp_path, "Avoid.yml", "extends: existence\nmessage: m\ntokens: [foo]\n")
    with pytest.raises(RuleError) as err:
        convert("vale", source, None)
    assert err.value.where == f"{source}:1"
    assert "'extends: existence'" in err.value.message and "substitution" in err.value.message


# -- codespell --------------------------------------------------------------------------------


def _codespell_dictionary() -> Path:
    pytest.importorskip(
        "codespell_lib", reason="codespell is not installed (pip install '.[bench]')"
    )
    path = Path(str(importlib.resources.files("codespell_lib") / "data" / "dictionary.txt"))
    if not path.is_file():  # pragma: no cover - a codespell without its dictionary
        pytest.skip("codespell's dictionary.txt is not installed")
    return path


@pytest.fixture(scope="module")
def codespell(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Converted, RuleSet]:
    path = _codespell_dictionary()
    converted = convert("codespell", path, None)
    return path, converted, loaded(tmp_path_factory.mktemp("codespell"), converted)


def test_codespell_dictionary_converts_whole(codespell: tuple[Path, Converted, RuleSet]) -> None:
    path, converted, rules = codespell
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    curly = sum("'" in line.split("->")[0] for line in lines)  # also read with ’
    several = sum("," in line.split("->")[1] for line in lines)
    assert converted.count == len(rules.rules) == len(lines) + curly - len(converted.skipped)
    assert len(converted.skipped) < 20, converted.skipped
    assert all(note.startswith(f"{path}:") for note in converted.skipped)
    suggested = [r for r in rules.rules if r.safety is Safety.SUGGEST]
    assert several <= len(suggested) + len(converted.skipped) and len(suggested) <= several + curly
    abandoned = rule_for(rules, "abandonned")
    assert abandoned.why == "from codespell: dictionary.txt:60" or abandoned.why.startswith(
        "from codespell: dictionary.txt:"
    )


def test_codespell_pack_fixes_known_misspellings(
    codespell: tuple[Path, Converted, RuleSet],
) -> None:
    _, _, rules = codespell
    engine = Engine(rules)
    result = engine.fix_text(
        "Teh team will recieve ABANDONNED code from Amercia aboutit; it doesn' work, "
        "it doesn't. Accomodate the fiel."
    )
    assert result.text == (
        "The team will receive ABANDONED code from America about it; it doesn't work, "
        "it doesn't. Accommodate the fiel."
    )
    pending = [(f.edit.original, f.edit.replacement) for f in result.pending]
    assert pending == [("fiel", "feel")]  # several answers: shown, never applied
    assert (
        "codespell suggests 'feel' or 'field' or 'file' or 'phial'" in rule_for(rules, "fiel").why
    )


def test_codespell_lines_that_are_not_entries(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "mine.txt",
        """
        # my corrections
        teh->the

        bad line
        a->b->c
        ->nothing
        clas->class, disabled because of name clash in c++
        same->same
        """,
    )
    converted = convert("codespell", source, "mine")
    rules = loaded(tmp_path, converted)
    assert converted.count == 2
    assert converted.skipped == (
        f"{source}:4: 'bad line': malformed line (expected 'wrong->right' or 'wrong->a, b,')",
        f"{source}:5: 'a->b->c': malformed line (expected 'wrong->right' or 'wrong->a, b,')",
        f"{source}:6: '->nothing': malformed line: the misspelling must be one word",
        f"{source}:8: 'same': its correction is the same text: nothing to fix",
    )
    clas = rule_for(rules, "clas")
    assert clas.safety is Safety.SUGGEST
    assert clas.why.endswith("codespell suggests 'class' (disabled because of name clash in c++)")


def test_a_file_that_is_not_a_codespell_dictionary_is_an_error(tmp_path: Path) -> None:
    source = write(tmp_path, "notes.txt", "Just some notes.\nNothing else.\n")
    with pytest.raises(RuleError) as err:
        convert("codespell", source, None)
    assert err.value.where == f"{source}:1"
    assert err.value.message.startswith("not a codespell dictionary")


# -- errors -----------------------------------------------------------------------------------


def test_unreadable_and_malformed_files_are_one_line_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yml"
    with pytest.raises(RuleError) as err:
        convert("prh", missing, None)
    assert (err.value.where, err.value.message) == (
        str(missing),
        "cannot read file: No such file or directory",
    )
    broken = write(tmp_path, "broken.yml", "rules:\n  - expected: a\n   pattern: [b\n")
    with pytest.raises(RuleError) as err:
        convert("prh", broken, None)
    assert err.value.where == f"{broken}:3" and err.value.message.startswith("malformed YAML")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"caf\xe9->cafe\n")
    with pytest.raises(RuleError, match=r"not UTF-8 \(byte 3\)"):
        convert("codespell", latin, None)
    not_list = write(tmp_path, "n.yml", "rules: {expected: a}\n")
    with pytest.raises(RuleError, match="'rules' must be a list"):
        convert("prh", not_list, None)
    duplicate = write(tmp_path, "d.yml", "extends: substitution\nswap:\n  a: b\n  a: c\n")
    with pytest.raises(RuleError, match="duplicate key 'a' in swap") as err:
        convert("vale", duplicate, None)
    assert err.value.where == f"{duplicate}:4"
    with pytest.raises(RuleError, match="pack name 'My Pack'"):
        convert("codespell", write(tmp_path, "ok.txt", "teh->the\n"), "My Pack")


def test_pack_name_defaults_to_the_file_name(tmp_path: Path) -> None:
    source = write(tmp_path, "WEB+DB_PRESS.yml", "rules:\n  - {expected: b, pattern: a}\n")
    assert "\npack: web-db-press\n" in convert("prh", source, None).yaml
    assert "\npack: mine\n" in convert("prh", source, "mine").yaml


# -- the command ------------------------------------------------------------------------------


def run(*args: str | Path, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLEANUP, *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_imports_then_fixes(tmp_path: Path) -> None:
    write(tmp_path, "en.yml", PRH_ENGLISH)
    imported = run("rules", "import", "--from", "prh", "en.yml", "-o", "out.yaml", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == ""
    assert imported.stderr.splitlines()[-1] == "6 rules converted, 0 entries skipped"
    fix = run(
        "fix", "-", "--no-default-rules", "--rules", "out.yaml", "--accept-review",
        cwd=tmp_path, stdin=PRH_ENGLISH_TEXT,
    )  # fmt: skip
    assert fix.returncode == 0, fix.stderr
    assert fix.stdout == PRH_ENGLISH_FIXED
    printed = run("rules", "import", "--from", "prh", "en.yml", cwd=tmp_path)
    assert printed.stdout == (tmp_path / "out.yaml").read_text(encoding="utf-8")


def test_command_notes_skipped_entries(tmp_path: Path) -> None:
    write(tmp_path, "mine.txt", "teh->the\nbad line\n")
    done = run("rules", "import", "--from", "codespell", "mine.txt", "-o", "out.yaml", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        "skipped: mine.txt:2: 'bad line': malformed line (expected 'wrong->right' or 'wrong->a, b,')",
        "1 rules converted, 1 entries skipped",
    ]


@pytest.mark.parametrize(
    ("name", "text", "fmt", "message"),
    [
        (
            "missing.yml",
            None,
            "prh",
            "error: missing.yml: cannot read file: No such file or directory",
        ),
        ("broken.yml", "rules: [a\n", "prh", "error: broken.yml:2: malformed YAML"),
        (
            "Avoid.yml",
            "extends: existence\n",
            "vale",
            "error: Avoid.yml:1: 'extends: existence': only",
        ),
        (
            "notes.txt",
            "no arrows here\n",
            "codespell",
            "error: notes.txt:1: not a codespell dictionary",
        ),
    ],
)
def test_command_errors_are_one_line(
    tmp_path: Path, name: str, text: str | None, fmt: str, message: str
) -> None:
    if text is not None:
        write(tmp_path, name, text)
    done = run("rules", "import", "--from", fmt, name, "-o", "out.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(message), done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out.yaml").exists()


# -- parity with prh itself -------------------------------------------------------------------

PRH = os.environ.get("CLEANUP_PRH", "")


@pytest.mark.skipif(not PRH, reason="set CLEANUP_PRH to a prh executable (npm install prh)")
@pytest.mark.parametrize(
    ("dictionary", "text"),
    [(PRH_SAMPLE, PRH_SAMPLE_TEXT), (PRH_ENGLISH, PRH_ENGLISH_TEXT)],
    ids=["prh-sample", "english"],
)
def test_same_result_as_prh(tmp_path: Path, dictionary: str, text: str) -> None:
    imports = "imports:\n  - ./prh-rules/media/techbooster.yml\n"  # prh would read that file
    source = write(tmp_path, "dict.yml", dictionary.replace(imports, ""))
    article = tmp_path / "article.md"
    article.write_text(text, encoding="utf-8")
    by_prh = subprocess.run(
        [PRH, "--rules", str(source), "--stdout", str(article)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    rules = loaded(tmp_path, convert("prh", source, None))
    assert fixed(rules, text) == by_prh.stdout

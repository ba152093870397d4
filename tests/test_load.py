"""Rule files: what loads, and the errors (with file:line:column) for what does not."""

from __future__ import annotations

import re
import time

import pytest

from cleanup import RuleError, load_rules
from cleanup.edit import Kind, Safety
from cleanup.ruleset import keys_of


def test_sections_load_with_defaults(pack):
    path = pack(
        """
        pack: demo
        names:
          - canonical: Hadrut
            category: place
            variants: [Gadrut]
        phrases:
          - find: [three-sided statement]
            replace: trilateral statement
        patterns:
          - id: the-said
            regex: '\\bthe (?=Lavrov said)'
            replace: ''
        removals:
          - id: read-more
            find: Read more
        """
    )
    rules = load_rules([path])
    by_id = {r.id: r for r in rules.rules}
    assert set(by_id) == {
        "demo.hadrut",
        "demo.three-sided-statement",
        "demo.the-said",
        "demo.read-more",
    }
    assert by_id["demo.hadrut"].kind is Kind.NAME
    assert by_id["demo.hadrut"].safety is Safety.AUTO
    assert by_id["demo.the-said"].safety is Safety.REVIEW  # patterns ask for review unless told
    assert by_id["demo.hadrut"].source == f"{path}:3" or by_id["demo.hadrut"].source.endswith(":3")


def test_patronymic_makes_address_forms(pack):
    rules = load_rules(
        [
            pack(
                """
                pack: demo
                names:
                  - canonical: Nikol Pashinyan
                    category: person
                    surname: Pashinyan
                    patronymic: Vovaevich
                    address: Prime Minister Pashinyan
                """
            )
        ]
    )
    listed = {k.find: k.replace for k in keys_of(rules.rules[0]) if not k.generated}
    assert listed == {
        "Nikol Vovaevich": "Prime Minister Pashinyan",
        "Nikol Vovaevich Pashinyan": "Nikol Pashinyan",
    }


BAD = [
    pytest.param(
        "pack: demo\nphrases:\n  - find: a\n    replace: b\n    safty: auto\n",
        r":5:5: unknown key 'safty' in a phrase; did you mean 'safety'\?",
        id="unknown-key",
    ),
    pytest.param(
        "pack: demo\nphrases: {find: a}\n", r":2:10: phrases must be a list", id="wrong-type"
    ),
    pytest.param(
        "pack: demo\nphrases:\n  - find: a\n", r":3:5: a phrase needs 'replace'", id="missing"
    ),
    pytest.param(
        "pack: demo\nphrases:\n  - find: [a\n", r":\d+:\d+: malformed YAML", id="broken-yaml"
    ),
    pytest.param("- a\n", r":1:1: a rule file must be a mapping", id="not-a-mapping"),
    pytest.param(
        "pack: demo\npatterns:\n  - id: x\n    regex: '(unclosed'\n    replace: ''\n",
        r":4:12: regex does not compile",
        id="bad-regex",
    ),
    pytest.param(
        "pack: demo\npatterns:\n  - id: x\n    regex: 'a(b)'\n    replace: '\\2'\n",
        r":5:14: replacement refers to group '2'",
        id="bad-group",
    ),
    pytest.param(
        "pack: demo\npatterns:\n  - id: x\n    regex: '{{nobody}}'\n    replace: ''\n",
        r"unknown macro \{\{nobody\}\}",
        id="bad-macro",
    ),
    pytest.param(
        "pack: demo\nphrases:\n  - find: a\n    replace: b\n    safety: maybe\n",
        r":5:13: safety must be auto, review or suggest",
        id="bad-safety",
    ),
    pytest.param(
        "pack: demo\nphrases:\n  - find: Lachin Corridor\n    replace: Lachin corridor\n",
        r"only differs from its replacement in case; use 'case: exact'",
        id="case-only",
    ),
    pytest.param(
        "pack: demo\nphrases:\n  - {find: a, replace: b}\n  - {find: c, replace: d, id: a}\n",
        r"duplicate rule id 'demo.a'",
        id="duplicate-id",
    ),
    pytest.param(
        "pack: demo\nnames:\n  - {canonical: X, variants: [Y]}\n  - {canonical: Z, variants: [Y]}\n",
        r":4: 'Y' is claimed twice: here and by rule 'demo.x'",
        id="variant-twice",
    ),
    pytest.param(
        "pack: demo\nnames:\n  - {canonical: X, variants: [X]}\n",
        r"'X' is the form it would be replaced with",
        id="variant-is-canonical",
    ),
    pytest.param("pack: demo\nx: &a [1, 2]\ny: *a\n", r"unknown key 'x'", id="unknown-top"),
    pytest.param(
        "pack: demo\nphrases:\n  - &a {find: a, replace: b}\n  - *a\n",
        r"YAML aliases \(\*name\) are not allowed",
        id="alias",
    ),
    pytest.param(
        "pack: demo\nphrases:\n  - find: a\n    find: b\n    replace: c\n",
        r":4:5: duplicate key 'find'",
        id="duplicate-key",
    ),
    pytest.param("pack: Demo Pack\n", r"pack name must be lowercase", id="pack-name"),
    pytest.param("", r"empty rule file", id="empty"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_rule_files_name_the_place(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules([path])
    shown = str(info.value)
    assert "bad.yaml" in shown
    assert re.search(message, shown), shown
    assert "\n" not in shown


def test_alias_bomb_fails_fast(tmp_path):
    lines = ["pack: demo", "phrases:", "  - &a0 {find: x, replace: y}"]
    lines += [f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 30)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RuleError, match=r"bomb.yaml:4:5: a phrase must be a mapping"):
        load_rules([path])
    assert time.monotonic() - started < 2


def test_not_utf8_rule_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("pack: d\nphrases:\n  - {find: caf\xe9, replace: cafe}\n".encode("latin-1"))
    with pytest.raises(RuleError, match=r"latin1.yaml: not UTF-8 \(byte 31\)"):
        load_rules([path])


def test_missing_rule_path(tmp_path):
    with pytest.raises(RuleError, match="no such rule file or folder"):
        load_rules([tmp_path / "nope.yaml"])


def test_yaml_booleans_stay_text(pack):
    rules = load_rules(
        [
            pack(
                "pack: demo\nphrases:\n  - find: 'no'\n    replace: yes sir\n  - find: on\n    replace: upon\n"
            )
        ]
    )
    assert [k.find for r in rules.rules for k in keys_of(r)] == ["no", "on"]


def test_huge_rule_file_is_refused_before_parsing(tmp_path, monkeypatch):
    from cleanup.ruleset import load as load_module

    monkeypatch.setattr(load_module, "MAX_RULE_FILE_BYTES", 1000)
    path = tmp_path / "huge.yaml"
    path.write_text(
        "pack: demo\nphrases:\n" + "  - {find: a, replace: b}\n" * 100, encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"huge.yaml: rule file is larger than"):
        load_rules([path])


def test_deeply_nested_yaml_fails_clearly(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("pack: demo\nphrases: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"deep.yaml:"):
        load_rules([path])


def test_each_kind_of_rule_is_a_record_with_only_its_fields(tmp_path):
    from cleanup.ruleset.model import (
        LiteralRule,
        NameRule,
        PatternRule,
        PhraseRule,
        StructureRule,
    )

    pack = tmp_path / "kinds.yaml"
    pack.write_text(
        "pack: kinds\n"
        "names: [{canonical: Hadrut, category: place}]\n"
        "phrases: [{find: solar conflict, replace: Karabakh conflict}]\n"
        "patterns: [{id: p, regex: 'a(b)', replace: '\\1'}]\n"
        "removals: [{id: lit, find: Read more}, {id: re, regex: 'x+y'}]\n"
        "structure: [{fixer: glued-words}]\n",
        encoding="utf-8",
    )
    rules = {r.id.removeprefix("kinds."): r for r in load_rules([pack]).rules}
    assert {name: type(r) for name, r in rules.items()} == {
        "hadrut": NameRule,
        "solar-conflict": PhraseRule,
        "p": PatternRule,
        "lit": LiteralRule,
        "re": PatternRule,
        "glued-words": StructureRule,
    }
    assert rules["solar-conflict"].replace == "Karabakh conflict"
    assert rules["re"].replace == "" and rules["re"].kind is Kind.REMOVAL
    assert keys_of(rules["p"]) == () and keys_of(rules["lit"])[0].find == "Read more"
    assert not hasattr(rules["p"], "keys") and not hasattr(rules["hadrut"], "regex")
    assert not hasattr(rules["lit"], "replace") and not hasattr(rules["glued-words"], "keys")
    assert rules["glued-words"].fixer == "glued-words"

"""The JSON Schema for rule packs (cleanup/schema/rules.schema.json): shipped inside the
package, equal to the loader's keys and values, and in agreement with the loader on packs.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from cleanup import RuleError, builtin_pack_paths, load_rules
from cleanup.edit import Safety
from cleanup.importers import convert
from cleanup.ruleset import load
from cleanup.ruleset.fixers import FIXERS
from cleanup.ruleset.model import CaseMode

SCHEMA_FILE = importlib.resources.files("cleanup") / "schema" / "rules.schema.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def keys(schema: dict[str, Any], definition: str) -> set[str]:
    return set(schema["$defs"][definition]["properties"])


def test_the_schema_is_inside_the_package() -> None:
    assert SCHEMA_FILE.is_file()
    assert Path(str(SCHEMA_FILE)).parent.parent == Path(load.__file__).parent.parent


def test_keys_are_the_loaders(schema: dict[str, Any]) -> None:
    # The loader takes its key sets from the schema; what it accepts, read from its own
    # errors, is the schema's too, key for key, per kind of rule.
    assert set(schema["properties"]) == load._TOP_KEYS == known_keys("a rule file")
    for definition, what in KINDS.items():
        assert keys(schema, definition) == known_keys(what), definition
    kinds = schema["$defs"]["examples"]["items"]["oneOf"]
    assert {key for kind in kinds for key in kind["properties"]} == known_keys("an example")
    assert set(schema["properties"]["grammar"]["properties"]) == known_keys("grammar")


# Each schema definition of a rule, as the loader's errors name it, and its section.
KINDS = {
    "name": "a name entry",
    "phrase": "a phrase",
    "pattern": "a pattern",
    "removal": "a removal",
    "structure": "a structure fixer",
}
SECTION = {
    "a name entry": "names",
    "a phrase": "phrases",
    "a pattern": "patterns",
    "a removal": "removals",
    "a structure fixer": "structure",
}


def test_required_keys_are_the_loaders(schema: dict[str, Any], tmp_path: Path) -> None:
    """A rule without one of the keys the schema requires is refused, naming the key."""
    full = {
        "name": "{canonical: Hadrut}",
        "phrase": "{find: a, replace: b}",
        "pattern": "{id: p, regex: a, replace: b}",
        "removal": "{id: r, find: a}",
        "structure": "{fixer: spacing}",
    }
    for definition, what in KINDS.items():
        required = schema["$defs"][definition].get("required", [])
        assert required, definition
        for key in required:
            item = yaml.safe_load(full[definition])
            del item[key]
            path = tmp_path / f"{definition}-{key}.yaml"
            body = yaml.safe_dump({"pack": "t", SECTION[what]: [item]})
            path.write_text(body, encoding="utf-8")
            with pytest.raises(RuleError, match=f"needs '{key}'"):
                load_rules([path], strict=False)


def known_keys(what: str) -> set[str]:
    """The keys the loader knows for a mapping that has no constant of its own, read from
    its error for an unknown key ("... (known: after, before, unchanged)")."""
    packs = {
        "an example": "pack: t\nphrases:\n  - {find: a, replace: b, examples: [{zzz: a}]}\n",
        "grammar": "pack: t\ngrammar: {zzz: [a]}\n",
        "a rule file": "pack: t\nzzz: 1\n",
        **{what: f"pack: t\n{SECTION[what]}:\n  - {{zzz: 1}}\n" for what in KINDS.values()},
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pack.yaml"
        path.write_text(packs[what], encoding="utf-8")
        with pytest.raises(RuleError) as err:
            load_rules([path])
    m = re.search(
        r"unknown key 'zzz' in (.+?)(?:; did you .*?)? \(known: ([^)]*)\)", err.value.message
    )
    assert m is not None and m.group(1) == what, err.value.message
    return set(m.group(2).split(", "))


def test_values_are_the_loaders(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert defs["safety"]["enum"] == [s.value for s in Safety]
    assert defs["case"]["enum"] == [c.value for c in CaseMode]
    assert tuple(defs["name"]["properties"]["category"]["enum"]) == load.CATEGORIES
    assert defs["rule-id"]["pattern"] == load._LOCAL_ID.pattern
    assert schema["properties"]["pack"]["pattern"] == load._PACK_NAME.pattern
    fuzzy = defs["name"]["properties"]["fuzzy"]["oneOf"][1]
    assert (fuzzy["minimum"], fuzzy["maximum"]) == (50, 100)


def test_structure_fixers_and_their_options_are_the_loaders(schema: dict[str, Any]) -> None:
    structure = schema["$defs"]["structure"]
    assert set(structure["properties"]["fixer"]["enum"]) == set(FIXERS)
    only: dict[str, str] = {}  # option -> the fixer that takes it
    for rule in structure["allOf"]:
        (option,) = rule["else"]["not"]["required"]
        only[option] = rule["if"]["properties"]["fixer"]["const"]
    assert only == {option: name for name, (opts, _) in FIXERS.items() for option in opts}
    for name, (options, _) in FIXERS.items():
        for option, values in options.items():
            allowed = {str(v).lower() for v in structure["properties"][option]["enum"]}
            assert values is None or allowed == set(values), (name, option)


def test_every_object_is_closed_and_every_key_explained(schema: dict[str, Any]) -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, path
                for key, value in node["properties"].items():
                    has_help = "description" in value or "description" in _target(schema, value)
                    assert has_help, f"{path}.{key} has no description"
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(schema, "$")


def _target(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    return schema["$defs"][ref.rsplit("/", 1)[1]] if ref else {}


# -- validation (needs the jsonschema package) ------------------------------------------------

GOOD = {
    "minimal": "pack: mine",
    "every-section": r"""
        pack: mine
        description: Everything once.
        exceptions:
          calques.solar-conflict: [the solar conflict of 1990]
        grammar:
          review: GRAMMAR
          ignore: [STYLE, TYPOGRAPHY]
        names:
          - canonical: Nikol Pashinyan
            category: person
            surname: Pashinyan
            variants: [Nikola Pashinyan]
            patronymic: Vovaevich
            address: Prime Minister Pashinyan
            fuzzy: 90
            generate: true
            examples:
              - before: Dear Nikol Vovaevich!
                after: Dear Prime Minister Pashinyan!
              - unchanged: Nikol Pashinyan said.
        phrases:
          - find: 2020s
            replace: ''
            case: exact
            safety: suggest
            exceptions: the 2020s
        patterns:
          - id: p
            regex: '\b(a) (b)\b'
            replace: '\2 \1'
            why: Swapped.
        removals:
          - {id: r, find: [Read more]}
          - {id: s, regex: '\s+$'}
        structure:
          - fixer: quote-style
            style: curly
          - {fixer: foreign-fragments, remove: true, safety: review}
          - fixer: glued-words
            examples: [{flags: Pashinyansaid}]
        """,
}

BAD = {
    "unknown key": """
        pack: mine
        phrases:
          - {find: a, replace: b, varaints: [c]}
        """,
    "wrong type": """
        pack: mine
        phrases:
          - {find: {a: b}, replace: c}
        """,
    "bad safety": """
        pack: mine
        phrases:
          - {find: a, replace: b, safety: always}
        """,
    "bad pack name": "pack: My Pack",
    "bad id": """
        pack: mine
        patterns:
          - {id: Big_Id, regex: a, replace: b}
        """,
    "pattern without id": """
        pack: mine
        patterns:
          - {regex: a, replace: b}
        """,
    "removal with find and regex": """
        pack: mine
        removals:
          - {id: r, find: a, regex: b}
        """,
    "half an example": """
        pack: mine
        phrases:
          - {find: a, replace: b, examples: [{before: a}]}
        """,
    "empty find": """
        pack: mine
        phrases:
          - {find: [], replace: b}
        """,
    "patronymic without address": """
        pack: mine
        names:
          - {canonical: Ilham Aliyev, category: person, patronymic: Heydarovich}
        """,
    "fuzzy out of range": """
        pack: mine
        names:
          - {canonical: Baku, category: place, fuzzy: 30}
        """,
    "option of another fixer": """
        pack: mine
        structure:
          - {fixer: glued-words, style: curly}
        """,
    "unknown fixer": """
        pack: mine
        structure:
          - {fixer: spellcheck}
        """,
    "bad category": """
        pack: mine
        names:
          - {canonical: Baku, category: city, variants: [Baky]}
        """,
}


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Any:
    jsonschema = pytest.importorskip(
        "jsonschema", reason="jsonschema is not installed (a test dependency to add)"
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: Any, text: str) -> list[str]:
    data = yaml.safe_load(textwrap.dedent(text))
    return [e.message for e in validator.iter_errors(data)]


@pytest.mark.parametrize("path", builtin_pack_paths(), ids=lambda p: p.stem)
def test_bundled_packs_are_valid(validator: Any, path: Path) -> None:
    assert errors(validator, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_packs_pass_the_schema_and_the_loader(
    validator: Any, tmp_path: Path, name: str
) -> None:
    assert errors(validator, GOOD[name]) == []
    path = tmp_path / "pack.yaml"
    path.write_text(textwrap.dedent(GOOD[name]), encoding="utf-8")
    load_rules([path], strict=False)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_packs_fail_the_schema_and_the_loader(
    validator: Any, tmp_path: Path, name: str
) -> None:
    assert errors(validator, BAD[name]), f"the schema accepts a pack with {name}"
    path = tmp_path / "pack.yaml"
    path.write_text(textwrap.dedent(BAD[name]), encoding="utf-8")
    with pytest.raises(RuleError):
        load_rules([path], strict=False)


def test_imported_packs_are_valid(validator: Any, tmp_path: Path) -> None:
    prh = tmp_path / "prh.yml"
    prh.write_text(
        "rules:\n"
        "  - {expected: JavaScript, patterns: [javascript], specs: [{from: javascript, to: JavaScript}]}\n"
        "  - {expected: $1-based, pattern: '/(\\w+) based/'}\n",
        encoding="utf-8",
    )
    vale = tmp_path / "Terms.yml"
    vale.write_text(
        "extends: substitution\nlevel: error\nexceptions: [Foo Bar]\nswap:\n  bar: baz\n",
        encoding="utf-8",
    )
    for fmt, path in (("prh", prh), ("vale", vale)):
        assert errors(validator, convert(fmt, path, None).yaml) == []

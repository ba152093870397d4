"""The name index: built once when the packs load, the one source of known name forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_cleanup

import cleanup.ruleset.model as model
from cleanup import Engine, FixOptions, Safety, builtin_pack_paths, load_rules
from cleanup.edit import Finder
from cleanup.matchers import build_matchers
from cleanup.names import build_index

BUNDLED = load_rules(builtin_pack_paths())


def test_views_hold_what_each_matcher_needs():
    names, found = BUNDLED.names, BUNDLED.index
    assert found.entries == names
    assert found.canonicals == {e.canonical for e in names}
    assert found.forms.keys() == {k.find for e in names for k in e.keys}
    assert all(k.find in {x.find for x in found.forms[k.find].keys} for e in names for k in e.keys)
    assert found.spellings == found.forms.keys() | found.canonicals
    assert found.surnames == {e.surname for e in names if e.surname}
    assert found.words == {w for e in names for w in e.canonical.split()} | {
        k.find for e in names for k in e.keys if " " not in k.find
    }
    persons = [e for e in names if e.category == "person" and e.surname]
    assert found.surname_forms == {e.surname for e in persons} | {
        k.find for e in persons for k in e.keys if " " not in k.find
    }
    assert found.first_names == {w for e in persons for w in e.canonical[: -len(e.surname)].split()}
    assert found.word_fixes["Lavrova"] == "Lavrov"
    assert found.word_fixes["Hadrut"] == "Hadrut"
    assert found.targets["place"] >= {"Hadrut", "Lachin"}
    assert {"Mr.", "Bayramov", "Jeyhun"} <= found.name_words


def test_an_empty_set_has_an_empty_index():
    empty = build_index(())
    assert not empty.entries and not empty.forms and not empty.has_persons
    assert empty.find("Lavrov") == []


def test_the_matchers_read_the_index_the_loader_built(monkeypatch):
    def no_second_build(entries: object) -> None:
        raise AssertionError("the name index was built again")

    monkeypatch.setattr(model, "build_index", no_second_build)
    built = build_matchers(BUNDLED)
    assert built.matchers


def test_dropped_forms_are_recorded_when_the_packs_load(tmp_path: Path):
    pack = tmp_path / "twins.yaml"
    pack.write_text(
        "pack: twins\n"
        "names:\n"
        "  - canonical: Anna Petrova\n    category: person\n"
        "  - canonical: Ivan Petrov\n    category: person\n"
        "  - canonical: Oleg Petrov\n    category: person\n    generate: false\n",
        encoding="utf-8",
    )
    rules = load_rules([pack])
    dropped = {(d.rule_id, d.text): d.reason for d in rules.index.dropped}
    # "Petrova" is Anna's surname and a case form of Petrov: Ivan gives it up.
    assert dropped[("twins.ivan-petrov", "Petrova")] == "also a form of twins.anna-petrova"
    ivan = rules.index.find("Ivan Petrov")[0]
    assert "Petrova" in ivan.made and "Petrova" not in {k.find for k in ivan.keys}
    # An entry without generation made nothing, so it drops nothing.
    assert not [d for d in rules.index.dropped if d.rule_id == "twins.oleg-petrov"]
    shown = run_cleanup(
        "rules", "show", "Ivan Petrov", "--no-default-rules", "--rules", pack, cwd=tmp_path
    )
    assert shown.returncode == 0, shown.stderr
    assert b"  Petrova    [not used: also a form of twins.anna-petrova]" in shown.stdout


@pytest.mark.parametrize("name", ["lavrov", "CAUCASUS-NAMES.SERGEI-LAVROV", "Lavrovym"])
def test_find_by_id_name_or_form(name):
    assert [e.canonical for e in BUNDLED.index.find(name)] == ["Sergei Lavrov"]


def test_the_finder_is_a_field_and_the_shown_id_is_made_from_it():
    engine = Engine(BUNDLED)
    everything = FixOptions(accept=frozenset(Safety))
    near = [f.edit for f in engine.fix_text("Ilham Aliev met Pashinjan.", everything).findings]
    (fuzzy,) = [e for e in near if e.original == "Pashinjan"]
    assert (fuzzy.rule, fuzzy.finder) == ("caucasus-names.nikol-pashinyan", Finder.FUZZY)
    assert fuzzy.rule_id == "fuzzy.caucasus-names.nikol-pashinyan"
    assert [(e.rule_id, e.finder) for e in near if e.original == "Aliev"] == [
        ("caucasus-names.ilham-aliyev", Finder.RULE)
    ]
    text = "Farhad Mammadov spoke. Farhad Ibragimovich added."
    (address,) = [f.edit for f in engine.fix_text(text, everything).findings]
    assert (address.rule, address.finder) == ("address-form", Finder.ADDRESS)
    assert address.rule_id == "names.address-form"

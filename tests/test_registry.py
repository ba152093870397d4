"""The matcher registry: every matcher is made by its ``from_ruleset`` and listed once;
the engine's settle check does not depend on the matchers' order; a block's bytes travel
with the block (cleanup/matchers/bytescan.py keeps no state of its own)."""

from __future__ import annotations

import pytest

from cleanup import Engine, builtin_pack_paths, load_rules
from cleanup.errors import RuleError
from cleanup.matchers import MATCHERS, Shared, build_matchers, bytescan
from cleanup.matchers.literal import LiteralMatcher
from cleanup.matchers.pattern import PatternMatcher
from cleanup.matchers.structure import StructureMatcher
from cleanup.ruleset.model import LiteralRule

PHRASES = """
pack: t
phrases:
  - {id: a, find: Gadrutt, replace: Gadrut}
  - {id: b, find: Gadrut, replace: Hadrut}
"""


def test_every_matcher_is_made_from_the_rule_set_and_listed_once() -> None:
    rules = load_rules(builtin_pack_paths())
    assert len(set(MATCHERS)) == len(MATCHERS)
    built = build_matchers(rules)
    assert [type(m) for m in built.matchers] == [make.__self__ for make in MATCHERS]  # type: ignore[attr-defined]
    assert built.matchers[0] is built.shared.literal  # one literal automaton, shared


def test_a_matcher_with_nothing_to_find_is_not_made(pack) -> None:
    rules = load_rules([pack(PHRASES.replace("Gadrut, replace: Hadrut", "Gadrut2, replace: x"))])
    shared = Shared(
        LiteralMatcher([r for r in rules.rules if isinstance(r, LiteralRule) and r.keys])
    )
    assert PatternMatcher.from_ruleset(rules, shared) is None
    assert StructureMatcher.from_ruleset(rules, shared) is None
    kinds = {type(m) for m in build_matchers(rules).matchers}
    assert PatternMatcher not in kinds and StructureMatcher not in kinds


def test_the_settle_check_does_not_depend_on_the_matchers_order(pack) -> None:
    rules = load_rules([pack(PHRASES)])
    with pytest.raises(RuleError, match="would not settle"):
        Engine(rules)
    engine = Engine(rules, check=False)
    engine.matchers.reverse()
    (problem,) = engine.unsettled()
    assert "replacement 'Gadrut' of rule 't.a'" in problem.message
    engine.matchers.clear()
    assert len(list(engine.unsettled())) == 1


def test_the_block_carries_its_bytes_and_the_module_keeps_none(pack) -> None:
    engine = Engine(load_rules(builtin_pack_paths()))

    def state() -> dict[str, object]:
        return {
            k: v
            for k, v in vars(bytescan).items()
            if isinstance(v, list | dict | set) and not k.startswith("__")
        }

    before = state()
    text = "Nikol Pashinian met Sergei Lavrov in Gadrut. " * 50
    assert engine.fix_text(text).text == engine.fix_text(text).text
    after = state()
    assert after == before == {}
    block = bytescan.Block(text)
    assert bytescan.encode(block, 3) is bytescan.encode(block, 3)
    assert bytescan.encode(block, 3, lower=True) == text[3:].encode().lower()
    assert bytescan.encode(text, 3) == text[3:].encode()


def test_a_block_is_searched_as_it_is_and_lets_its_bytes_go_after(pack) -> None:
    """The engine hands every matcher the one Block it is given (not a copy of it each
    search), with the bytes made once for all of them, and drops the bytes when done."""
    engine = Engine(load_rules(builtin_pack_paths()))
    block = bytescan.Block("Nikol Pashinian met Sergei Lavrov in Gadrut. " * 20)
    seen: list[tuple[str, bytes]] = []

    class Spy:
        def find(self, text, start=0, stop=None, base=0, state=None):  # type: ignore[no-untyped-def]
            seen.append((text, bytescan.encode(text, 0)))
            return iter(())

    engine.find_edits(block, matchers=[Spy(), Spy()])
    assert [text is block for text, _ in seen] == [True, True]
    assert seen[0][1] is seen[1][1]
    assert bytescan.encode(block, 0) == seen[0][1]
    assert bytescan.encode(block, 0) is not seen[0][1]  # made again: the first were let go

"""Structure fixers: what each finds, the cases each must leave alone, and their options."""

from __future__ import annotations

import pytest

from cleanup import RuleError, Safety, Status

ALL = frozenset(Safety)


def pack(fixer: str, extra: str = "") -> str:
    return f"pack: s\nnames:\n  - {{canonical: Nikol Pashinyan, category: person}}\nstructure:\n  - fixer: {fixer}\n{extra}"


def findings(engine_for, fixer, text, extra=""):
    from cleanup import FixOptions

    result = engine_for(pack(fixer, extra)).fix_text(text, FixOptions(accept=ALL))
    return [
        (f.edit.original, f.edit.replacement, f.edit.message)
        for f in result.findings
        if f.edit.rule_id == f"s.{fixer}"
    ], result.text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('He said: "we will help.\n', 1),
        ("“Open and “closed”.\n", 1),
        ('"One," he said, "two."\n', 0),
        ("“Balanced” here.\n", 0),
        ("No quotes at all.\n", 0),
    ],
)
def test_unbalanced_quotes_are_shown_not_changed(engine_for, text, found):
    shown, result = findings(engine_for, "unbalanced-quotes", text)
    assert len(shown) == found
    assert result == text


def test_quote_style_follows_the_document_or_the_pack(engine_for):
    text = 'He said “yes” and “no”, then "maybe".'
    _, result = findings(engine_for, "quote-style", text)
    assert result == "He said “yes” and “no”, then “maybe”."
    _, straight = findings(engine_for, "quote-style", text, "    style: straight\n")
    assert straight == 'He said "yes" and "no", then "maybe".'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as Pashinyansaid on Monday", "as Pashinyan said on Monday"),
        ("the peacekeepersarrived", "the peacekeepers arrived"),
        ("the peacekeepers arrived", "the peacekeepers arrived"),
        ("Nagorno-Karabakh and Stepanakert", "Nagorno-Karabakh and Stepanakert"),
        ("an unprecedented, indivisible whole", "an unprecedented, indivisible whole"),
    ],
)
def test_glued_words(engine_for, text, expected):
    _, result = findings(engine_for, "glued-words", text)
    assert result == expected


def test_foreign_fragments_shown_or_removed(engine_for):
    text = "Read the statement. Читайте также: новости дня\nNext line."
    shown, kept = findings(engine_for, "foreign-fragments", text)
    assert kept == text and shown[0][0] == "Читайте также: новости дня"
    _, removed = findings(engine_for, "foreign-fragments", text, "    remove: true\n")
    assert removed == "Read the statement. \nNext line."


def test_structure_safety_defaults(engine_for):
    engine = engine_for(pack("glued-words"))
    (finding,) = [
        f for f in engine.fix_text("as Pashinyansaid").findings if f.edit.rule_id == "s.glued-words"
    ]
    assert finding.edit.safety is Safety.REVIEW and finding.status is Status.PENDING


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    style: fancy\n", "style must be one of curly, majority, straight"),
        ("    remove: true\n", "fixer 'quote-style' takes no 'remove'"),
    ],
)
def test_bad_options(engine_for, extra, message):
    with pytest.raises(RuleError, match=message):
        engine_for(pack("quote-style", extra))


def test_unknown_fixer(engine_for):
    with pytest.raises(RuleError, match="unknown fixer 'spellcheck'"):
        engine_for(pack("spellcheck"))

"""Names: generated forms, guards, collisions, near-miss discovery and address forms."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanup import Engine, FixOptions, Safety, Status, builtin_pack_paths, load_rules
from cleanup.names import person_forms, place_forms, transliterations
from cleanup.ruleset import keys_of

BUNDLED = Engine(load_rules(builtin_pack_paths()))
EVERYTHING = FixOptions(accept=frozenset(Safety))


@pytest.mark.parametrize(
    ("word", "form", "how"),
    [
        ("Hadrut", "Gadrut", "h>g"),
        ("Pashinyan", "Pashinian", "ya>ia"),
        ("Bayramov", "Bairamov", "ay>ai"),
        ("Aliyev", "Aliev", "iy>i"),
        ("Sergei", "Sergey", "ei>ey"),
        ("Dmitry", "Dmitriy", "y>iy"),
        ("Yerevan", "Erevan", "ye>e"),
        ("Jeyhun", "Dzheikhun", "j>dzh, h>kh, ey>ei"),
    ],
)
def test_transliterations(word, form, how):
    assert set(transliterations(word)[form].split(", ")) == set(how.split(", "))


def test_person_forms_cover_case_endings_and_given_names():
    forms = {f.text: f for f in person_forms("Sergei Lavrov", "Lavrov")}
    assert forms["Lavrovym"].target == "Lavrov"
    assert forms["Lavrova"].guard is not None  # also a woman's surname
    assert forms["Lavrovu"].guard is None
    assert forms["Sergey Lavrov"].target == "Sergei Lavrov"


def test_place_adjectives():
    forms = {f.text: f.target for f in place_forms("Shusha", adjectives=True, transliterate=True)}
    assert forms["Shushinsky"] == "Shusha"
    assert forms["Shushinskaya"] == "Shusha"


FIXED = [
    ("Dzheikhun Bairamov said", "Jeyhun Bayramov said"),
    ("Nikola Pashinian said", "Nikol Pashinyan said"),
    ("the Gadrutskiy district", "the Hadrut district"),
    ("the Lachinskaya road", "the Lachin road"),
    ("talks with Lavrovym", "talks with Lavrov"),
    ("Sergei Lavrova said", "Sergei Lavrov said"),
    ("Minister Lavrova said", "Minister Lavrov said"),
    ("Ilkham Aliev and Erevan", "Ilham Aliyev and Yerevan"),
    ("ARARAT MIRZOIAN", "ARARAT MIRZOYAN"),
]


@pytest.mark.parametrize(("text", "expected"), FIXED)
def test_generated_forms_are_fixed_in_one_run(text, expected):
    result = BUNDLED.fix_text(text)
    assert result.text == expected
    assert BUNDLED.fix_text(expected).findings == []


LEFT_ALONE = [
    pytest.param("Hadrut and the Hadrut district", id="already-right"),
    pytest.param("Mehriban Aliyeva said; Aliyeva left", id="a-woman-in-the-pack"),
    pytest.param("Yelena Lavrova said", id="another-womans-name"),
    pytest.param("Olga Putina, a teacher", id="another-woman-unknown-to-the-pack"),
    pytest.param("in Baku, never Bako", id="baku-is-a-word"),
    pytest.param("the Pashinyans and the Lavrovs", id="english-plurals"),
    pytest.param("Leaves fall in Goris", id="english-words"),
    pytest.param("Nagorno-Karabakh and Artsakh", id="naming-choices"),
    pytest.param("The Rabinovich family", id="not-an-address-form"),
    pytest.param("Alexander Lukashevich said", id="surname-like-a-patronymic"),
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_tricky_non_matches(text):
    result = BUNDLED.fix_text(text, EVERYTHING)
    assert result.findings == [], [(f.edit.original, f.edit.rule_id) for f in result.findings]


def test_case_form_without_context_asks_for_review():
    result = BUNDLED.fix_text("Lavrova said")
    (finding,) = result.findings
    assert finding.status is Status.PENDING
    assert finding.edit.safety is Safety.REVIEW
    assert finding.edit.message == "generated: Russian case ending -a"


def test_near_misses_are_proposed_with_their_score():
    result = BUNDLED.fix_text("Pashinjan and Zakharva met in Bako.")
    proposals = {f.edit.original: f for f in result.findings}
    assert set(proposals) == {"Pashinjan", "Zakharva"}
    assert proposals["Pashinjan"].edit.replacement == "Pashinyan"
    assert proposals["Pashinjan"].edit.safety is Safety.REVIEW
    assert proposals["Pashinjan"].edit.confidence == pytest.approx(0.889, abs=0.001)
    assert proposals["Zakharva"].edit.message == "close to 'Zakharova' (score 94)"
    assert result.text == "Pashinjan and Zakharva met in Bako."


def test_fuzzy_threshold_and_opt_out(engine_for):
    pack = """
    pack: t
    names:
      - canonical: Hadrut
        category: place
        fuzzy: {fuzzy}
    """
    assert engine_for(pack.format(fuzzy="false")).fix_text("Hadrot").findings == []
    assert engine_for(pack.format(fuzzy="95")).fix_text("Hadrot").findings == []
    (finding,) = engine_for(pack.format(fuzzy="80")).fix_text("Hadrot").findings
    assert finding.edit.replacement == "Hadrut"


def test_near_misses_are_not_judged_against_forms_with_a_russian_ending(engine_for):
    """ "Gadrutsky" (Hadrut's adjective, Hadrut unknown here) is close to "Garutsky", an
    adjective of Harut, but it is no misspelling of Harut."""
    engine = engine_for(
        """
        pack: t
        names:
          - canonical: Harut
            category: place
          - canonical: Ivan Zakaov
            category: person
            surname: Zakaov
        """
    )
    assert engine.fix_text("the Gadrutsky district and Zakharova said").findings == []
    (finding,) = engine.fix_text("the Harutt district").findings
    assert (finding.edit.original, finding.edit.replacement) == ("Harutt", "Harut")


def test_generated_forms_clash_between_entries_are_dropped(engine_for):
    engine = engine_for(
        """
        pack: t
        names:
          - {canonical: Hasan Aliev, category: person, surname: Aliev}
          - {canonical: Gasan Aliev, category: person, surname: Aliev}
          - {canonical: Hadrut, category: place}
          - {canonical: Gadrut, category: place, generate: false, variants: [Gadrutt]}
        """
    )
    assert engine.fix_text("Gasan Aliev and Gadrut").findings == []  # both canonical
    kept = {k.find for r in engine.rules.rules for k in keys_of(r)}
    assert "Gadrut" not in kept and "Khadrut" in kept


def test_generated_forms_are_never_common_english_words():
    from cleanup.english import is_common_word

    generated = [k.find for r in BUNDLED.rules.rules for k in keys_of(r) if k.generated]
    assert generated
    assert [f for f in generated if is_common_word(f)] == []


def test_unknown_address_form_is_suggested():
    result = BUNDLED.fix_text("Farhad Mammadov spoke. Then Farhad Ibragimovich said")
    (finding,) = result.findings
    assert finding.edit.safety is Safety.SUGGEST
    assert finding.edit.replacement == "Mr. Mammadov"
    lone = BUNDLED.fix_text("Anna Sergeyevna said").findings
    assert [(f.edit.original, f.edit.replacement) for f in lone] == [
        ("Anna Sergeyevna", "Anna Sergeyevna")  # flagged, nothing to propose
    ]


CANONICAL = st.sampled_from(
    sorted(
        {e.canonical for e in BUNDLED.rules.names}
        | {e.surname for e in BUNDLED.rules.names if e.surname}
    )
)
FILLER = st.sampled_from(["said", "in", "and", "the", ",", ".", "\n", "met", "President", "of"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CANONICAL, FILLER), max_size=30))
def test_generated_forms_never_change_canonical_text(words):
    text = " ".join(words)
    changes = [
        (f.edit.original, f.edit.rule_id)
        for f in BUNDLED.fix_text(text, EVERYTHING).findings
        if f.edit.rule_id.startswith(("caucasus-names.", "fuzzy."))
    ]
    assert changes == []


def test_rules_show_lists_generated_and_dropped_forms():
    cleanup = f"{sys.executable[: -len('python')]}cleanup"
    shown = subprocess.run(
        [cleanup, "rules", "show", "Lavrov"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sergei Lavrov  (person, caucasus-names.sergei-lavrov" in shown
    assert "Lavrovym -> Lavrov    [Russian case ending -ym]" in shown
    assert "Sergey Lavrov -> Sergei Lavrov    [transliteration ei>ey]" in shown
    aliyev = subprocess.run(
        [cleanup, "rules", "show", "Aliyev"], capture_output=True, text=True, check=True
    ).stdout
    assert "Aliyeva    [not used: also a form of caucasus-names.mehriban-aliyeva]" in aliyev

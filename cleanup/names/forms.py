"""The wrong forms machine translation from Russian gives a name, made from its canonical
form: Russian transliteration ("Hadrut" -> "Gadrut", "Bayramov" -> "Bairamov"), Russian
case endings on surnames ("Lavrov" -> "Lavrova", "Lavrovym") and Russian adjectives made
from place names ("Lachin" -> "Lachinsky").

A pack lists the canonical form and the few odd variants; these forms are added to the
same automaton as every other literal, so they cost no extra pass over the text. Forms of
address (given name + patronymic) are made in cleanup.names.address.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from cleanup.english import common_words
from cleanup.names.context import TITLES

# Canonical English spelling -> the spelling a Russian transliteration produces. Each
# applies to one lower-case word; up to MAX_STEPS of them combine.
TRANSLITERATIONS: tuple[tuple[str, str, str], ...] = (
    ("ya>ia", r"(?<=\w)ya", "ia"),
    ("yu>iu", r"(?<=\w)yu", "iu"),
    ("ye>e", r"^ye", "e"),
    ("iy>i", r"iy(?=[aeiou])", "i"),
    ("ey>ei", r"ey", "ei"),
    ("ay>ai", r"ay", "ai"),
    ("oy>oi", r"oy", "oi"),
    ("ei>ey", r"ei$", "ey"),
    ("y>iy", r"(?<=[^aeiouy])y$", "iy"),
    ("y>ii", r"(?<=[^aeiouy])y$", "ii"),
    ("y>i", r"(?<=[^aeiouy])y$", "i"),
    ("h>g", r"(?<![kszcgtp])h", "g"),
    ("h>kh", r"(?<![kszcgtp])h", "kh"),
    ("kh>h", r"kh", "h"),
    ("j>dzh", r"j", "dzh"),
    ("ts>c", r"ts", "c"),
    ("w>v", r"w", "v"),
    ("x>ks", r"x", "ks"),
)
# Each rule with the letters it needs, to skip it cheaply on words without them.
_COMPILED = tuple(
    (name, name.split(">")[0], re.compile(expr), repl) for name, expr, repl in TRANSLITERATIONS
)
MAX_STEPS = 3
MAX_WORD_FORMS = 12
MAX_NAME_FORMS = 24

# Russian endings that leak onto surnames: genitive/accusative, dative, instrumental,
# prepositional. "-a" on a man's surname is also the woman's surname: guarded.
MASCULINE_ENDINGS = ("a", "u", "om", "ym", "e")
FEMININE_ENDINGS = ("oy", "u", "e")
# Russian adjectives from place names: Лачинский, Лачинская, Лачинского, ...
ADJECTIVE_SUFFIXES = (
    "sky",
    "skiy",
    "skii",
    "ski",
    "skaya",
    "skoye",
    "skoe",
    "skogo",
    "skom",
    "skoy",
)


@dataclass(frozen=True, slots=True)
class Form:
    """A generated wrong form, what replaces it, and how it was made."""

    text: str
    target: str
    note: str
    # When set, the form is left alone after a capitalised word outside this set (another
    # person's given name: "Yelena Lavrova" is a real woman's name).
    guard: frozenset[str] | None = None
    # Wrong given names (and their right form) taken along when they stand just before.
    before: tuple[tuple[str, str], ...] = ()


def transliterations(word: str) -> dict[str, str]:
    """Forms of one word under Russian transliteration, each with the steps that made it.

    >>> sorted(transliterations("Hadrut"))
    ['Gadrut', 'Khadrut']
    >>> transliterations("Pashinyan")["Pashinian"]
    'ya>ia'
    """
    return dict(_cased_transliterations(word))


@functools.lru_cache(maxsize=65536)
def _cased_transliterations(word: str) -> tuple[tuple[str, str], ...]:
    forms = {_restore_case(word, form): how for form, how in _transliterate(word.lower())}
    return tuple(forms.items())


@functools.lru_cache(maxsize=65536)
def _transliterate(lower: str) -> tuple[tuple[str, str], ...]:
    found: dict[str, tuple[str, ...]] = {}
    frontier: dict[str, tuple[str, ...]] = {lower: ()}
    for _ in range(MAX_STEPS):
        next_frontier: dict[str, tuple[str, ...]] = {}
        for form, steps in frontier.items():
            for name, needs, pattern, repl in _COMPILED:
                if needs not in form or name in steps:
                    continue
                new = pattern.sub(repl, form)
                if new != form and new != lower and new not in found and new not in next_frontier:
                    next_frontier[new] = (*steps, name)
        found.update(next_frontier)
        frontier = next_frontier
    ranked = sorted(found.items(), key=lambda kv: (len(kv[1]), kv[0]))
    return tuple((form, ", ".join(steps)) for form, steps in ranked[:MAX_WORD_FORMS])


def _restore_case(model: str, form: str) -> str:
    """``form`` (lower case) in the case shape of ``model``, part by part across hyphens
    ("Kassym-Jomart" gives "Kassym-Dzhomart").

    >>> _restore_case("Kassym-Jomart", "kassym-dzhomart")
    'Kassym-Dzhomart'
    """
    if model.isupper():
        return form.upper()
    models, parts = model.split("-"), form.split("-")
    if len(models) != len(parts):
        models, parts = [model], [form]
    return "-".join(
        part[:1].upper() + part[1:] if shape[:1].isupper() else part
        for shape, part in zip(models, parts, strict=True)
    )


def person_forms(canonical: str, surname: str, *, listed: Iterable[str] = ()) -> Iterator[Form]:
    """Wrong forms of a person's full name and of the surname alone (all kinds made).

    A wrong surname form carries the wrong forms of the given name (``before``), so that
    "Dzheikhun Bairamov" is put right in one step, not one word per run.
    """
    forms, _ = person_form_tuples(canonical, surname, listed=listed)
    for form in forms:
        yield Form(*form)


# A form as a plain tuple, in the order of Form's fields (the loader makes keys of these).
FormTuple = tuple[str, str, str, frozenset[str] | None, tuple[tuple[str, str], ...]]


def person_form_tuples(
    canonical: str,
    surname: str,
    *,
    listed: Iterable[str] = (),
    inflect: bool = True,
    transliterate: bool = True,
    patronymic_pairs: Iterable[str] = (),
) -> tuple[list[FormTuple], list[str]]:
    """``person_forms`` as tuples, and the wrong given names (``wrong_given_names``).

    >>> forms, wrong = person_form_tuples("Nikol Pashinyan", "Pashinyan")
    >>> forms[0][:3], wrong
    (('Pashinian', 'Pashinyan', 'generated: transliteration ya>ia'), [])
    """
    given = canonical[: -len(surname)].strip() if surname else ""
    given_forms = _given_name_forms(given) if transliterate else ()
    wrong_given = _wrong_given_names(given, surname, listed, given_forms, patronymic_pairs)
    before = tuple((g, given) for g in wrong_given)
    forms: list[FormTuple] = []
    if transliterate:
        for text, note in _transliteration_notes(surname):
            forms.append((text, surname, note, None, before))
        for wrong, note in given_forms[:MAX_NAME_FORMS]:
            forms.append((f"{wrong} {surname}", canonical, note, None, ()))
    if inflect and surname:
        # The word before the surname may be the person's own given name, or a title.
        own = {given.split(" ")[-1]} | {g.split(" ")[-1] for g, _ in before} if given else set()
        for text, note, guard in _inflections(surname, TITLES | own):
            forms.append((text, surname, note, guard, before))
    return forms, wrong_given


def wrong_given_names(
    canonical: str,
    surname: str,
    listed: Iterable[str],
    transliterate: bool,
    patronymic_pairs: Iterable[str] = (),
) -> list[str]:
    """Wrong forms of the given name: generated, and those in listed full-name variants.

    >>> wrong_given_names("Nikol Pashinyan", "Pashinyan", ["Nikola Pashinyan"], False)
    ['Nikola']
    """
    given = canonical[: -len(surname)].strip() if surname else ""
    given_forms = _given_name_forms(given) if transliterate else ()
    return _wrong_given_names(given, surname, listed, given_forms, patronymic_pairs)


def _wrong_given_names(
    given: str,
    surname: str,
    listed: Iterable[str],
    given_forms: tuple[tuple[str, str], ...],
    patronymic_pairs: Iterable[str],
) -> list[str]:
    if not given:
        return []
    found: dict[str, None] = dict.fromkeys(patronymic_pairs)
    for variant in listed:
        head, _, tail = variant.rpartition(" ")
        if head and head != given and tail and tail[0] == surname[0]:
            found[head] = None
    found.update(dict.fromkeys(form for form, _ in given_forms))
    return list(found)


@functools.lru_cache(maxsize=65536)
def _given_name_forms(given: str) -> tuple[tuple[str, str], ...]:
    """Forms of a (multi-word) given name, one word changed at a time, with their notes;
    a form two words give is noted as the last one makes it."""
    forms: dict[str, str] = {}
    for word_forms in _word_products(given.split(" ")):
        for form, how in word_forms.items():
            forms[form] = TRANSLITERATION_NOTE + how
    return tuple(forms.items())


TRANSLITERATION_NOTE = "generated: transliteration "


@functools.lru_cache(maxsize=65536)
def _transliteration_notes(word: str) -> tuple[tuple[str, str], ...]:
    return tuple((form, TRANSLITERATION_NOTE + how) for form, how in _cased_transliterations(word))


def _word_products(words: list[str]) -> Iterator[dict[str, str]]:
    """Forms of a multi-word given name, changing one word at a time."""
    for i, word in enumerate(words):
        yield {
            " ".join([*words[:i], form, *words[i + 1 :]]): how
            for form, how in _cased_transliterations(word)
        }


CASE_ENDING_NOTE = "generated: Russian case ending"
ADJECTIVE_NOTE = "generated: Russian adjective"


def adds_ending(note: str) -> bool:
    """Whether a generated form is its name with a Russian ending added (a case form or
    an adjective), by the note it was made with."""
    return note.startswith((CASE_ENDING_NOTE, ADJECTIVE_NOTE))


_CASE_ENDING_NOTES = {
    ending: f"{CASE_ENDING_NOTE} -{ending}" for ending in (*MASCULINE_ENDINGS, *FEMININE_ENDINGS)
}


def _inflections(
    surname: str, allowed: frozenset[str]
) -> Iterator[tuple[str, str, frozenset[str] | None]]:
    """Case forms of a surname: text, note and guard."""
    if " " in surname or surname.lower().endswith(("y", "i", "o")):
        return  # adjectival or indeclinable surnames
    if surname.endswith("a"):
        stem = surname[:-1]
        for ending in FEMININE_ENDINGS:
            yield stem + ending, _CASE_ENDING_NOTES[ending], None
        return
    for ending in MASCULINE_ENDINGS:
        guard = allowed if ending == "a" else None
        yield surname + ending, _CASE_ENDING_NOTES[ending], guard


def place_forms(canonical: str, *, adjectives: bool, transliterate: bool) -> Iterator[Form]:
    """Wrong forms of a place name, and the Russian adjectives made from it."""
    for form in place_form_tuples(canonical, adjectives=adjectives, transliterate=transliterate):
        yield Form(*form)


def place_form_tuples(canonical: str, *, adjectives: bool, transliterate: bool) -> list[FormTuple]:
    """``place_forms`` as tuples.

    >>> place_form_tuples("Hadrut", adjectives=False, transliterate=True)[0][:3]
    ('Gadrut', 'Hadrut', 'generated: transliteration h>g')
    """
    bases = {canonical: ""}
    if transliterate and " " not in canonical:
        bases.update(_cased_transliterations(canonical))
    elif transliterate:
        for word_forms in _word_products(canonical.split(" ")):
            bases.update(word_forms)
    forms: list[FormTuple] = [
        (form, canonical, TRANSLITERATION_NOTE + how, None, ())
        for form, how in bases.items()
        if how
    ]
    if not adjectives or " " in canonical or "-" in canonical:
        return forms
    for base, how in bases.items():
        stem = base[:-1] + "in" if base[-1].lower() in "aeiou" else base
        note = ADJECTIVE_NOTE + (f" ({how})" if how else "")
        forms.extend((stem + suffix, canonical, note, None, ()) for suffix in ADJECTIVE_SUFFIXES)
    return forms


def keep_forms(forms: Iterable[Form], taken: set[str]) -> list[Form]:
    """Drop forms that are common English words, already listed, or repeated.

    >>> [f.text for f in keep_forms([Form("Leaves", "X", ""), Form("Gadrut", "X", "")], set())]
    ['Gadrut']
    """
    kept: list[Form] = []
    seen = set(taken)
    common = common_words()
    for form in forms:
        text = form.text
        if text in seen or text.lower() in common:
            continue
        seen.add(text)
        kept.append(form)
    return kept


def keep_form_tuples(forms: Iterable[FormTuple], taken: set[str]) -> list[FormTuple]:
    """``keep_forms`` for forms as tuples."""
    kept: list[FormTuple] = []
    seen = set(taken)
    common = common_words()
    for form in forms:
        text = form[0]
        if text in seen or text.lower() in common:
            continue
        seen.add(text)
        kept.append(form)
    return kept


class Generated(NamedTuple):
    """What generation makes for one name entry."""

    kept: list[FormTuple]  # the forms to use: no common word, nothing listed, no repeat
    made: tuple[str, ...]  # every form made, kept or not, in the order made
    # Wrong given names that listed surname variants take along (see Form.before).
    before: tuple[tuple[str, str], ...]


def generate_forms(
    canonical: str, category: str, surname: str, listed: Sequence[tuple[str, str]]
) -> Generated:
    """Forms made from a canonical name, given the forms a pack lists (form, replacement).

    >>> made = generate_forms("Hadrut", "place", "", [("Gadrut", "Hadrut")])
    >>> "Gadrut" in made.made, [form[:2] for form in made.kept][0]
    (True, ('Khadrut', 'Hadrut'))
    """
    listed_full = [find for find, target in listed if target == canonical]
    # Given name + patronymic ("Nikol Vovaevich") before a wrong surname goes with it.
    pairs = [find for find, target in listed if target not in (canonical, surname)]
    wrong: list[str] = []
    if category == "person":
        forms, wrong = person_form_tuples(
            canonical, surname, listed=listed_full, patronymic_pairs=pairs
        )
    elif category == "place":
        forms = place_form_tuples(canonical, adjectives=True, transliterate=True)
    else:
        return Generated([], (), ())
    taken = {canonical, surname, *(find for find, _ in listed)}
    kept = keep_form_tuples(forms, taken)
    before: tuple[tuple[str, str], ...] = ()
    if category == "person" and surname:
        given = canonical[: -len(surname)].strip()
        before = tuple((g, given) for g in wrong)
    return Generated(kept, tuple(form[0] for form in forms), before)

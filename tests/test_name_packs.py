"""The names packs (caucasus-names, russia-names, neighbours-names, organizations,
spelling-choices, world-names): house-style spellings, two names of one place, shared surnames,
spelling choices that can be turned off, and no edit at all on native English news."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleanup import Engine, FixOptions, Safety, builtin_pack_paths, load_rules

ROOT = Path(__file__).resolve().parent.parent
PACKS = (
    "caucasus-names",
    "russia-names",
    "neighbours-names",
    "organizations",
    "spelling-choices",
    "world-names",
)
PACK_PATHS = [p for p in builtin_pack_paths() if p.stem in PACKS]
BUNDLED = Engine(load_rules(builtin_pack_paths()))
EVERYTHING = FixOptions(accept=frozenset(Safety))
ENGLISH = sorted((ROOT / "benchmarks" / "quality" / "english").glob("*.txt"))


def ours(rule_id: str) -> bool:
    return rule_id.startswith(tuple(f"{p}." for p in PACKS) + tuple(f"fuzzy.{p}." for p in PACKS))


def name_edits(text: str, options: FixOptions = EVERYTHING) -> list[tuple[str, str, str]]:
    """(rule, before, after) of every edit the name packs propose, any safety but suggest."""
    return [
        (f.edit.rule_id, f.edit.original, f.edit.replacement)
        for f in BUNDLED.fix_text(text, options).findings
        if ours(f.edit.rule_id) and f.edit.safety is not Safety.SUGGEST
    ]


def fixed(text: str, options: FixOptions = EVERYTHING) -> str:
    return BUNDLED.fix_text(text, options).text


def test_all_name_packs_are_bundled():
    assert {p.stem for p in PACK_PATHS} == set(PACKS)


@pytest.mark.parametrize("pack", PACK_PATHS, ids=lambda p: p.stem)
def test_each_pack_loads_on_its_own(pack):
    rules = load_rules([pack])
    assert rules.rules, pack


@pytest.mark.skipif(not ENGLISH, reason="no native English benchmark in this checkout")
@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name[:40])
def test_native_english_news_is_left_alone(path):
    assert name_edits(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "text",
    [
        "Serzh Sarksyan met Ilham Aliyev in Moscow.",  # Reuters
        "Nikol Pashinian's government and Archbishop Bagrat Galstanian.",  # RFE/RL
        "Volodymyr Zelenskiy said on Thursday.",  # Reuters
        "Volodymyr Zelenskyy and Sergey Lavrov spoke.",  # Al Jazeera
        "Free Alexey Navalny, Meduza wrote.",  # Meduza
        "the Terter, Agdam and Agjabedi regions",  # AP
        "fighting near Severodonetsk",  # Al Jazeera, 2022
        "Dmitri Peskov told reporters.",  # NYT style
        "Alyaksandr Lukashenka spoke in Minsk.",  # RFE/RL
        "Roskosmos said the launch went well.",
    ],
)
def test_house_style_spellings_used_alone_are_left_alone(text):
    assert name_edits(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zelensky spoke. Later Zelenskiy added.", "Zelensky spoke. Later Zelensky added."),
        ("Sergey Lavrov and Sergei Lavrov", "Sergei Lavrov and Sergei Lavrov"),
        ("Aghdam and Agdam", "Aghdam and Aghdam"),
        ("Dmitri Peskov and Dmitry Peskov", "Dmitry Peskov and Dmitry Peskov"),
    ],
)
def test_house_style_spellings_are_unified_with_another_spelling(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dzheikhun Bairamov said", "Jeyhun Bayramov said"),
        ("the Gadrutsky district", "the Hadrut district"),
        ("Vladimir Zelensky said", "Volodymyr Zelensky said"),
        ("talks with Medvedevym", "talks with Medvedev"),
        ("in financing of the cosmodrome East", "in financing of the Vostochny cosmodrome"),
        ("Zenith St. Petersburg beat Spartacus Moscow", "Zenit St. Petersburg beat Spartak Moscow"),
        ("Dear Shavkat Miromonovich!", "Dear President Mirziyoyev!"),
        ("the Turkmen leader Berdymukhammedov", "the Turkmen leader Berdimuhamedov"),
        ("arrived in Alma-Ata", "arrived in Almaty"),
        ("the Unified Russia party won", "the United Russia party won"),
        ("the head of the Counting Chamber said", "the head of the Accounts Chamber said"),
        (
            "the Federal Service of Execution of Punishments said",
            "the Federal Penitentiary Service said",
        ),
        ("Tractor Chelyabinsk beat Torch Voronezh", "Traktor Chelyabinsk beat Fakel Voronezh"),
        ("according to Caucasian Node", "according to Caucasian Knot"),
        ("the 19th round of the WORLD RPL", "the 19th round of the Russian Premier League"),
        ("the rocket Soyuz-2.1 a lifted off", "the rocket Soyuz-2.1a lifted off"),
        ("in the Gorno-Badakhshan region (GB-AO)", "in the Gorno-Badakhshan region (GBAO)"),
        ("Gennady Trukhanov and Andrei Sadovoy", "Hennadiy Trukhanov and Andriy Sadovyi"),
        ("Vasily Malyuk said", "Vasyl Maliuk said"),
        ("Mikhail Popshoi said", "Mihai Popsoi said"),
        ("talks with Kosachevym", "talks with Kosachev"),
        ("the Stavropol governor Vladimirovym", "the Stavropol governor Vladimirov"),
    ],
)
def test_machine_translation_forms_are_fixed(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Stepanakert, which Azerbaijanis call Khankendi",
        "Shusha, which Armenians call Shushi",
        "Lachin, or Berdzor to Armenians",
        "Sadyr Nurgozhoevich Japarov",  # a patronymic inside a correct full name
        "Mehriban Aliyeva and Ilham Aliyev",
        "Yulia Navalnaya and Alexei Navalny",
        "Oleksiy Kuleba, head of the Kyiv regional administration",
        "Magomed Gasanov, a Dagestani official",
        "the Alma-Ata 1991 Declaration",
        "a plate of chicken Kiev",
        "on Tverskaya Street",
        "Heydar Aliyev International Airport",
        "the dream of a unified Russia",
        "Dynamo Minsk won on Monday.",
        "Evening Moscow traffic was heavy.",
        "across Siberia Novosibirsk stands out",
        "Igor Grosu and Nicu Popescu met",
        "Vladimir Vladimirov, the Stavropol governor",
    ],
)
def test_correct_names_are_left_alone(text):
    assert name_edits(text) == []


def test_spelling_choices_can_be_turned_off():
    text = "Missiles hit Kiev and Kharkov."
    assert fixed(text) == "Missiles hit Kyiv and Kharkiv."
    one_off = FixOptions(accept=frozenset(Safety), ignore=("spelling-choices.kyiv",))
    assert fixed(text, one_off) == "Missiles hit Kiev and Kharkiv."
    pack_off = FixOptions(accept=frozenset(Safety), ignore=("spelling-choices",))
    assert fixed(text, pack_off) == text


def test_name_packs_lint_clean():
    cleanup = Path(sys.executable).parent / "cleanup"
    out = subprocess.run(
        [str(cleanup), "rules", "check"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    mine = [line for line in out.splitlines() if any(f"rules/{p}.yaml" in line for p in PACKS)]
    assert mine == []


def capitals_and_quotes(text: str) -> list[tuple[str, str, str]]:
    """(rule, before, after) of the engine's name-capital and quoted-name edits."""
    return [
        (f.edit.rule_id, f.edit.original, f.edit.replacement)
        for f in BUNDLED.fix_text(text, EVERYTHING).findings
        if f.edit.rule_id in {"names.capitals", "names.quoted-name"}
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ships in the Black sea and the sea of Azov",
            "ships in the Black Sea and the Sea of Azov",
        ),
        ("the far Eastern Federal district", "the Far Eastern Federal District"),
        ("floods in Krasnodar krai", "floods in Krasnodar Krai"),
        ("the US state Department said", "the US State Department said"),
        (
            "the European parliament and the council of Europe",
            "the European Parliament and the Council of Europe",
        ),
        ("the OSCE Minsk group", "the OSCE Minsk Group"),
        ('the gas pipeline "Power of Siberia"', "the gas pipeline Power of Siberia"),
        ("the rocket “Soyuz-2.1b” lifted off", "the rocket Soyuz-2.1b lifted off"),
        ("the Nord stream pipelines", "the Nord Stream pipelines"),
        ("the State Department of the USA said", "the US State Department said"),
        ("activists of Green Peace", "activists of Greenpeace"),
        (
            "appealed to the Sports Arbitration Court",
            "appealed to the Court of Arbitration for Sport",
        ),
        ("Kassym-Zhomart Tokayev said", "Kassym-Jomart Tokayev said"),
        ("in Kabardino-Balkariya", "in Kabardino-Balkaria"),
    ],
)
def test_places_and_bodies_get_their_english_form(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a black sea of umbrellas",
        "the Don Quixote and the river Don",
        "Lena and the Leninsky district",
        "the Dmitry Donskoy monastery",
        "the Crimean bridge",  # Guardian style: its capitals are left alone
        "the state Department of Health said",
        "a white house on the hill",
        "the Organisation for Security and Cooperation in Europe",
        "the World Health Organisation",
        "the Kabardino-Balkarian capital",
        'a "Progress" report',
        "the central federal district",
        "floods in the Krasnodar region",
    ],
)
def test_look_alike_places_and_bodies_are_left_alone(text):
    assert name_edits(text) == []
    assert capitals_and_quotes(text) == []

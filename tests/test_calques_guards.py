"""The calques pack with every bundled pack loaded: correct English that contains a calque's
key is left alone, and native English news gets no calques edit at all, not even a proposal."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanup import Engine, builtin_pack_paths, load_rules

ENGINE = Engine(load_rules(builtin_pack_paths()))
ENGLISH = Path(__file__).resolve().parent.parent / "benchmarks" / "quality" / "english"

GUARDS = [
    "Solar conflict of interest rules bind the utility's board.",
    "The board adopted a solar conflict of interest policy.",
    "The EU-China solar conflict over panel tariffs eased.",
    "New solar conflicts over farmland split the county.",
    "Leaders spoke of a lasting world order.",
    "the RCC (Roman Catholic Church) choir sang on Sunday.",
    "The Roman Catholic Church (RCC) runs the schools.",
    "The GSV market grew by 4% last year.",
    "GSV (gross sales value) rose in the quarter.",
    "He should be judged by his words, not by his deeds.",
    "The talks were held on the eve of the summit in Minsk.",
    "The trip began with a visit to the museum.",
    "An attack came from the side of the hill.",
    "The hotel offers special services for guests.",
    "There was a smell in the air of the room.",
    "The strength of the RF signal dropped.",
    "Flights from SVO to Dubai resumed.",
    "The phone switches to emergency mode.",
    "The pain was localized in the knee.",
    "Police showed a measure of restraint.",
    "Sales in the last time period fell.",
    "He stood there for the last time.",
    "A late-night telephone talk show aired.",
    "The Chess Olympiad in Chennai ended.",
    "The military-industrial complex grew.",
    "It was a day of victory for the team.",
    "The first persons to arrive were doctors.",
    "Territorial claims on the territory of Armenia were rejected.",
    "They focused on the fact of his absence.",
    "A world treaty on plastic pollution is under negotiation.",
    "He took part in the work of the commission.",
    "The master of the Kremlin said nothing.",
    "He played in the first decade of the century.",
    "The companies listed on the stock exchange rose.",
    "Items listed in the federal budget include defence.",
    "The vaccine comes with the formulation approved in 2020.",
    "The transfer of the election results took a week.",
    "The party called for responsibility and restraint.",
    "The bishop called for responsibility in public spending.",
    "A statement of the candidate's assets was published.",
    "It would be unkind to put a spoke in his wheel.",
    "A state of emergency was declared after two men were shot.",
    "The curfew ended after the suspect was shot.",
    "The chirp is an alarm call used by many songbirds.",
    "This is an alarm call for the flock.",
    "Stir the carrots into the rest of the stew.",
    "He got on a video call with the minister.",
    "Varnish the table twice and let it dry.",
    "A commemorative sign was put up on the house.",
    "The fire brigade is operating in the district.",
    "Fire crews are operating in the hills.",
    "Nurses used a non-contact thermometer.",
    "It was a non-contact injury.",
    "The weekly NVO wrote about the army.",
    "Investors were attracted to the liability side of the market.",
    "He was a former acting mayor.",
    "The issue is under review at the request of the family.",
    "Police shoved him under the carpet of snow.",
    "He spoke with reference to the new bill.",
    "She sent a letter to the address of the ministry.",
    "The fire was brought under control on Monday.",
    "The situation was taken under control.",
    "The DRG codes set hospital payments.",
    "Parents asked for an interdistrict transfer.",
    "I.O. Smith wrote the report.",
    "Talks went on within the framework of the treaty.",
    "The plant's exploitation of workers was exposed.",
    "Oxygen supplies were delivered to the hospital.",
    "The letters were delivered to the police station.",
    "The governor declared an emergency.",
    "The situation was recognized as emergency.",
    "Families moved from emergency housing into new homes.",
    "The city set up an emergency housing fund.",
    "The band's final tour of the season starts in May.",
    "The car was left in the opposite lane.",
    "Drones of many types were shown.",
    "He ran into the gates of the palace.",
    "Her expertise in forensic science helped.",
    "Opposition parties agreed on the coordination of candidates.",
    "He sent threats to the address of his neighbour.",
    "The situation was taken under control the same day.",
    "The suspect stuffed it under the rug.",
    "He was in a state of intoxication when arrested.",
    "The drone is seen in the frames of the video.",
    "A bird sits in the frame of the painting.",
]


def calques_edits(text: str) -> list[tuple[str, str, str]]:
    return [
        (f.edit.rule_id, f.edit.original, f.edit.replacement)
        for f in ENGINE.fix_text(text).findings
        if f.edit.rule_id.startswith("calques.")
    ]


@pytest.mark.parametrize("text", GUARDS)
def test_guard_is_left_alone(text):
    assert calques_edits(text) == []


@pytest.mark.parametrize("path", sorted(ENGLISH.glob("*.txt")), ids=lambda p: p.name)
def test_native_english_gets_no_calques_edit(path):
    assert calques_edits(path.read_text(encoding="utf-8")) == []

"""Page debris: furniture lines go whole, in one run, and native English stays as it is."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from cleanup import Engine, FixOptions, Safety, builtin_pack_paths, load_rules

RULES = Path(__file__).resolve().parent.parent / "rules"


@functools.cache
def bundled() -> Engine:
    return Engine(load_rules(builtin_pack_paths()))


def fix(text: str) -> str:
    return bundled().fix_text(text, FixOptions(accept=frozenset({Safety.AUTO}))).text


def test_both_chrome_rules_list_the_same_lines():
    removals = {
        r["id"]: r["regex"]
        for r in yaml.safe_load((RULES / "scraping.yaml").read_text())["removals"]
    }
    mid, top = removals["page-chrome"], removals["page-chrome-top"]
    assert mid[mid.index("(?(DEFINE)") :] == top[top.index("(?(DEFINE)") :]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # debris of different kinds one after another: all of it in one run
        (
            "Home » News » Talks\n\nShow original\n\nTitle\n\nBody.\n\nShare\nTweet\n\n"
            "Leave a Reply\n\nYour email address will not be published.\n\n[ad_2]\n\nSource link\n",
            "Title\n\nBody.\n",
        ),
        ("Skip to main content\nRead also:\nTitle\nBody.\n", "Title\nBody.\n"),
        ("Title\r\n\r\nPrint\r\n\r\nBody.\r\n\r\nRelated posts\r\n", "Title\r\n\r\nBody.\r\n"),
        ("Title\n\n© RIA Novosti / Ivan Petrov\n\nBody.", "Title\n\nBody."),
    ],
)
def test_debris_goes_in_one_run(text, expected):
    once = fix(text)
    assert once == expected
    assert fix(once) == once


@pytest.mark.parametrize(
    "text",
    [
        "Share prices fell.\nPrint media were closed.\nComment is free, facts are sacred.\n",
        "Photo: Putin meets Aliyev in Sochi. The talks lasted three hours.\n",
        "Posted on Telegram, the video showed a column of tanks.\n",
        "Home / away games were cancelled, the club said.\n",
        "Updated figures were published on Monday.\n",
        "He said “yes” and left. Read more in our report.\n",
    ],
)
def test_native_english_lines_stay(text):
    assert fix(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 15 марта 2023 г. the talks began.", "On 15 March 2023 the talks began."),
        ("From 1 января to 12 декабря.", "From 1 January to 12 December."),
        ("В марта", "В марта"),
    ],
)
def test_russian_dates(text, expected):
    assert fix(text) == expected


# A page of a site the rules were not written for, machine-translated: every kind of
# furniture at once, and Russian punctuation in the article.
UNSEEN_PAGE = """Main » News » Politics » Lavrov held talks with Mirzoyan

Lavrov held talks with Mirzoyan

12.03.2023 14:25

Views: 1520

MOSCOW, March 12 - RIA Novosti. Lavrov held talks with Ararat Mirzoyan, the ministry said.

"We discussed the region, — said Lavrov. — The parties agreed to continue contacts."

The ministers also discussed, according to the statement,

preparations for the summit, — from the Armenian side.

Read also: Pashinyan spoke about relations with Moscow

Photo: © RIA Novosti / Alexei Nikolsky

If you find an error, please select a piece of text and press Ctrl+Enter.

Subscribe to our channel in Yandex.Zen

Join us on Telegram

Comments (0)

Copying of materials is allowed only with an active hyperlink to the source.

© 2023 Vestnik. All rights reserved.
"""
UNSEEN_CLEAN = """Lavrov held talks with Mirzoyan

MOSCOW, March 12 - RIA Novosti. Lavrov held talks with Ararat Mirzoyan, the ministry said.

"We discussed the region," said Lavrov. "The parties agreed to continue contacts."

The ministers also discussed, according to the statement, preparations for the summit, from \
the Armenian side.
"""


def test_a_page_of_an_unseen_site():
    once = fix(UNSEEN_PAGE)
    assert once == UNSEEN_CLEAN
    assert fix(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an untranslated Russian headline between the title and the dateline
        (
            "Title\n\nВ Госдуме ответили на заявление Госдепа США по морякам\n\nBody.\n",
            "Title\n\nBody.\n",
        ),
        # syndication headers
        (
            "Title\n\nTranslation. Region: Russian Federal\n\nSource: Moscow Government –\n\n"
            "An important disclaimer is at the bottom of this article.\n\nBody.\n",
            "Title\n\nBody.\n",
        ),
        # a caption line with the credit under it, and a line that starts with ©
        ("Body.\n\nCows on a farm\nA photo:\n\nMore.\n", "Body.\n\nMore.\n"),
        # ... but a title is no caption: only the credit under it goes
        ("Talks resume\nPhoto: Reuters\n\nBody.\n", "Talks resume\n\nBody.\n"),
        # the page's date field alone goes; the date line after it is no stamp
        (
            " date 2023-09-28 Thursday, September 28, 2023\nTitle\n",
            "Thursday, September 28, 2023\nTitle\n",
        ),
        # a comma and a dash: in a quotation the attribution rules close it, outside the
        # comma stays alone
        (
            '"We are ready to help, — said the minister.',
            '"We are ready to help," said the minister.',
        ),
        ("“We lead it”, — he said.", "“We lead it,” he said."),
        (
            "the governor of Sughd region, — from the Tajik side",
            "the governor of Sughd region, from the Tajik side",
        ),
        ("Title\n\n© TASS / Ivan Petrov. Archive photoTitle© TASS\n\nBody.", "Title\n\nBody."),
        # a video player's label with its caption; a pointer to the missing video
        ("Body.\n\nGet Adobe Flash player Footage of the launch\n", "Body.\n"),
        ("It was never so hostile. Details in the video.\n", "It was never so hostile.\n"),
        # image markup glued to a sentence
        ("He was elected ” media=”(max-width: 320px)” >\n\nBody.", "He was elected\n\nBody."),
        # a lower-case label standing alone, and the page's date field before a stamp
        ("Title\n\n\nstory article\n\nBody.\n", "Title\n\nBody.\n"),
        (" date 2023-09-22 22 Sep. 12:20 (UTC+3 MSK)\n\nBody.\n", "Body.\n"),
        # a reader prompt whose address was cut off, and an author bio in the tail
        ("Body.\n\nStories about how you got help, send to", "Body.\n"),
        ("Body.\nI am Mike Brown, an experienced news writer.\n", "Body.\n"),
    ],
)
def test_debris_kinds(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # bylines, datelines and credits inside native English articles
        "By Guy Faulconbridge and Andrew Osborn\n\nMOSCOW (Reuters) - Russia said so.\n",
        "ISTANBUL, Oct 5 (AP) — Turkish officials said talks would resume.\n",
        "A soldier fires near Bakhmut, Ukraine, December 3, 2022. REUTERS/Stringer\n",
        "Reporting by Guy Faulconbridge; Editing by Alex Richardson\n",
        "Associated Press writer Jim Heintz in Tallinn contributed to this report.\n",
        "Ukraine's President Volodymyr Zelenskiy (file photo)\n",
        # a Russian name or an agent label in an English text, a first-person quote
        "Japarov\nСадыр Жапаров\nJaparov was born in 1968.\n",
        "Talks\n\nРоссийская Советская Федеративная Социалистическая Республика\n\nText.\n",
        "I am Yulia Petrova, a journalist, and I saw the column.\nThe talks went on.\n",
        "I am a refugee, and I am tired, she said.\n",
        # a quotation that opens mid-paragraph; an inch mark; a comma and a lone dash
        'The ministry said it would "respond accordingly," the agency reported.\n',
        'The board is 6 feet 2" wide, the club said.\n',
        "He came in 2014, 2015 — and later.\n",
        # prompts with a full sentence in them, follow-ups in prose
        "Photos of the strike were posted to Telegram. Send tips to\n",
        "Follow us on Twitter, he told his fans, and they did.\n",
        "Read also: the statement. It is short.\n",
        "Dear colleagues,\n\nThe talks went on.\n",
    ],
)
def test_native_english_shapes_stay(text):
    assert fix(text) == text

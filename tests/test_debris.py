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

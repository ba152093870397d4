"""Terminal conventions: whether to colour (--color, NO_COLOR, FORCE_COLOR) and how much
to say (--quiet, --verbose), and the summary as tables on a terminal."""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from cleanup.report import COUNT_WORDS

if TYPE_CHECKING:
    from cleanup.report import Summary

COLOR_CHOICES = ("auto", "always", "never")


def use_color(choice: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether output on ``stream`` is coloured. ``always`` and ``never`` win; ``auto``
    follows NO_COLOR (any non-empty value turns colour off, https://no-color.org), then
    FORCE_COLOR (non-empty and not "0" turns it on), then whether the stream is a terminal.

    >>> import io
    >>> use_color("auto", io.StringIO(), {"FORCE_COLOR": "1"})
    True
    >>> use_color("auto", io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"})
    False
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force and force != "0":
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Verbosity(enum.Enum):
    """How much a command says on stderr."""

    QUIET = "quiet"  # errors only
    NORMAL = "normal"
    VERBOSE = "verbose"  # every file in the summary


def verbosity(quiet: bool, verbose: bool) -> Verbosity:
    """The level the flags ask for (``--quiet`` and ``--verbose`` together are refused
    by the command before this)."""
    if quiet:
        return Verbosity.QUIET
    return Verbosity.VERBOSE if verbose else Verbosity.NORMAL


def print_summary(summary: Summary, stream: TextIO, *, color: bool) -> None:
    """The summary on a terminal: its lines, and the edits by rule and by file as tables
    (rich). Piped output keeps ``Summary.text``, one plain line per item."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(
        file=stream, force_terminal=True, no_color=not color, highlight=False, soft_wrap=True
    )

    def line(text: str) -> None:
        style = "red" if text.startswith("error:") else "yellow" if text.startswith("warn") else ""
        console.print(text, style=style or None, markup=False, highlight=False)

    for text in summary.head:
        line(text)
    if summary.rules:
        widest = max(len(r) for _, r, _ in summary.rules)
        sources = max(len(s) for _, _, s in summary.rules)
        if widest + sources + 16 <= console.width:
            rules = Table(
                box=box.SIMPLE_HEAD,
                title=summary.rules_title(),
                title_justify="left",
                pad_edge=False,
            )
            rules.add_column("edits", justify="right", style="bold")
            # A rule id is never cut: it is what --ignore and --select take.
            rules.add_column("rule", no_wrap=True, min_width=widest)
            rules.add_column("defined in", style="dim", overflow="fold")
            for n, rule, source in summary.rules:
                rules.add_row(str(n), rule, source)
            console.print(rules)
        else:  # too narrow for a table that keeps every id whole: aligned lines
            line(summary.rules_title())
            for text in summary.rule_lines():
                line(text)
        files = Table(box=box.SIMPLE_HEAD, title="by file:", title_justify="left", pad_edge=False)
        files.add_column("file", overflow="fold")
        for word in COUNT_WORDS:
            name = summary.applied_word if word == "applied" else word
            files.add_column(name, justify="right")
        for label, counts in summary.files:
            files.add_row(label, *(str(counts[w]) if counts[w] else "" for w in COUNT_WORDS))
        console.print(files)
        if summary.more_files:
            line(summary.more())
    for text in summary.tail:
        line(text)

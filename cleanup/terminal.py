"""Terminal conventions: whether to colour (--color, NO_COLOR, FORCE_COLOR) and how much
to say (--quiet, --verbose)."""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from typing import TextIO

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

"""The ``cleanup`` command's entry point: the command-line interface is imported under a
Ctrl-C guard, so an interrupt while the tool starts exits 130 without a traceback, as it
does later in the run."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the ``cleanup`` command."""
    try:
        from cleanup.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    cli_main()

"""User-facing errors: each says what went wrong, where, and what to do."""

from __future__ import annotations


class CleanupError(Exception):
    """An error the user can act on; printed as one line, exit status 2.

    ``where`` is a path, optionally with ``:line:column``.
    """

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class RuleError(CleanupError):
    """A rule file that cannot be loaded or a rule that cannot compile."""


class InputError(CleanupError):
    """An input file that cannot be read as UTF-8 text."""

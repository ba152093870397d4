"""Inputs of a run: which files a folder gives, in which format each is read, and one
file read once and cleaned as a Document."""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleanup.config import excluded
from cleanup.formats import (
    DEFAULT_INCLUDE,
    EXTENSIONS,
    ReadOptions,
    detect_format,
)
from cleanup.textio import walk

EXCLUDED = "excluded by --exclude"
NOT_INCLUDED = "not matched by --include"
UNSUPPORTED = "not a supported type"


@dataclass(frozen=True, kw_only=True)
class InputOptions:
    """How a run picks and reads its inputs."""

    input_format: str | None = None  # every input in this format, whatever its extension
    read: ReadOptions = field(default_factory=ReadOptions)
    include: tuple[str, ...] = ()  # name or path globs; none: every supported extension
    exclude: tuple[str, ...] = ()

    @classmethod
    def from_options(
        cls,
        input_format: str | None,
        fields: Sequence[str],
        columns: Sequence[str],
        front_matter_keys: str,
        include: Sequence[str],
        exclude: Sequence[str],
    ) -> InputOptions:
        """The options as the command line gives them (lists may be comma-separated)."""
        read = ReadOptions(
            fields=_names(fields) or ("text",),
            columns=_names(columns) or ("text",),
            front_matter_keys=_names([front_matter_keys]),
        )
        return cls(
            input_format=input_format, read=read, include=tuple(include), exclude=tuple(exclude)
        )

    def format_of(self, path: Path) -> str:
        """The format ``path`` is read in: --input-format, else by extension, else text
        (a file named on the command line is cleaned whatever its name)."""
        return detect_format(path, self.input_format) or "text"


def _names(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def _matches(path: Path, relative: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(path.name, g) or fnmatch.fnmatch(relative, g) for g in globs)


def walk_inputs(
    root: Path,
    options: InputOptions,
    skip: tuple[Path, ...] = (),
    errors: list[OSError] | None = None,
) -> tuple[list[Path], Counter[str]]:
    """The files under ``root`` a run cleans, sorted, and how many others it skipped, by
    reason (hidden folders and ``skip`` are not walked at all)."""
    include = options.include or DEFAULT_INCLUDE
    found: list[Path] = []
    skipped: Counter[str] = Counter()
    for path in walk(root, ("*",), skip, errors):
        relative = path.relative_to(root).as_posix()
        if options.exclude and excluded(relative, options.exclude):
            skipped[EXCLUDED] += 1
        elif _matches(path, relative, include):
            found.append(path)
        elif options.include and path.suffix.lower() in EXTENSIONS:
            skipped[NOT_INCLUDED] += 1
        else:
            skipped[UNSUPPORTED] += 1
    return found, skipped


def describe_skipped(skipped: Counter[str]) -> str:
    """``skipped 3 files: 2 not a supported type, 1 excluded by --exclude``, or ''."""
    total = sum(skipped.values())
    if not total:
        return ""
    parts = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
    return f"skipped {total} file{'s' if total != 1 else ''} in folders: {parts}"

"""Convert prh dictionaries, Vale substitution rules and codespell dictionaries into cleanup
rule packs (``cleanup rules import``); what cannot be expressed is skipped with a note.

One module per format reads its file into ``Entry`` records (``source``); ``pack`` merges,
names, writes and checks them; ``yaml_scalars`` quotes what PyYAML must read back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cleanup.errors import RuleError
from cleanup.importers.codespell import read_codespell
from cleanup.importers.jsregex import js_regex
from cleanup.importers.pack import Converted, Pack, merge_duplicates
from cleanup.importers.prh import read_prh
from cleanup.importers.source import Source, read_text, slug
from cleanup.importers.vale import read_vale
from cleanup.importers.yaml_scalars import scalar

__all__ = ["FORMATS", "Converted", "convert"]

FORMATS = ("prh", "vale", "codespell")
# Older names, for callers that reach into the converters.
_js_regex = js_regex
_scalar = scalar
_PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def convert(source_format: str, path: Path, pack_name: str | None) -> Converted:
    """Convert one file of ``source_format`` (prh, vale or codespell) into a cleanup pack.

    The pack is named ``pack_name``, or after the file (``WEB+DB_PRESS.yml`` gives
    ``web-db-press``). Raises RuleError when the file cannot be read or is malformed.
    """
    readers: dict[str, Callable[[Source], None]] = {
        "prh": read_prh,
        "vale": read_vale,
        "codespell": read_codespell,
    }
    if source_format not in readers:
        raise RuleError(f"unknown format '{source_format}' (known: {', '.join(FORMATS)})", "")
    name = pack_name if pack_name is not None else (slug(path.stem) or "imported")
    if not _PACK_NAME.match(name):
        raise RuleError(f"pack name '{name}' must be lowercase letters, digits and '-'", "--pack")
    source = Source(source_format, path, read_text(path))
    readers[source_format](source)
    entries = merge_duplicates(source)
    return Pack(source, name, entries).finish()

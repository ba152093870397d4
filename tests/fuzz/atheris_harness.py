"""Coverage-guided fuzzing of the rule loader and the engine with atheris.

    pip install -e '.[fuzz]'
    python tests/fuzz/atheris_harness.py -atheris_runs=100000     # or -max_total_time=600

Each input is split into a rule file and a text: the rule file must load or be refused
with a RuleError (a one-line message); the text must be cleaned, or refused with a
CleanupError, and its fix must settle on rule sets that settle. Anything else (a
traceback) is a finding, saved by libFuzzer as crash-*. tests/fuzz/test_atheris.py runs a
short deterministic slice of it when atheris is installed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from cleanup import Engine, load_rules
    from cleanup.errors import CleanupError

SEED_PACK = """pack: f
phrases:
  - find: solar conflict
    replace: Karabakh conflict
patterns:
  - id: p
    regex: '\\bthe (?=Lavrov said)'
    replace: ''
    safety: auto
"""
_folder = Path(tempfile.mkdtemp(prefix="cleanup-atheris-"))


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    pack = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 2000)) or SEED_PACK
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    path = _folder / "f.yaml"
    path.write_text(pack, encoding="utf-8")
    try:
        engine = Engine(load_rules([path]))
    except CleanupError:
        return
    try:
        once = engine.fix_text(text).text
    except CleanupError:
        return
    assert once is not None
    if not list(engine.unsettled()):
        engine.fix_text(once)  # must not crash on its own output either


def main(argv: list[str]) -> None:
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)

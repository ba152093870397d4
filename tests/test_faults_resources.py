"""Bounded resources (issue 10, item 6): standard input is cleaned as it arrives."""

from __future__ import annotations

import select
import subprocess
import threading
from pathlib import Path

from cli_helpers import CLEANUP

PACK = "pack: t\nphrases:\n  - find: solar conflict\n    replace: Karabakh conflict\n"


def test_stdin_is_cleaned_as_it_arrives(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    child = subprocess.Popen(
        [CLEANUP, "fix", "-", "--no-default-rules", "--rules", "pack.yaml"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdin is not None and child.stdout is not None
    line = b"The talks on the solar conflict went on.\n"
    block = line * (20 * 1024 * 1024 // len(line))  # more than two read blocks

    def feed() -> None:
        assert child.stdin is not None
        child.stdin.write(block)
        child.stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    # Cleaned text comes out while standard input is still being written.
    ready, _, _ = select.select([child.stdout], [], [], 60)
    assert ready, "nothing written"
    assert feeder.is_alive(), "standard input was read whole before anything was written"
    out = child.stdout.read()
    feeder.join()
    assert child.wait(timeout=60) == 0
    assert out == block.replace(b"solar conflict", b"Karabakh conflict")

"""A large run's HTML report is split: an index of every file, and pages of files that each
open quickly in a browser."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleanup import Engine
from cleanup.edit import Safety
from cleanup.html_report import pages_folder, split_pages, write_report
from cleanup.outcome import Status
from cleanup.runner import FileJob, FileOutcome, count_findings
from tests.cli_helpers import run_cleanup
from tests.test_html_report import chromium, engine, many_edits, needs_chromium, read_page

__all__ = ["engine"]  # the module's engine fixture


def _outcome(edits: int, i: int = 0) -> FileOutcome:
    outcome = FileOutcome(FileJob(Path(f"f{i}.txt"), f"f{i}.txt"))
    outcome.counts = count_findings([])
    if edits:
        outcome.counts[("r", Status.APPLIED, Safety.AUTO)] = edits
    return outcome


def test_pages_hold_at_most_so_many_files_and_edits() -> None:
    files = [_outcome(1, i) for i in range(250)]
    assert split_pages(files) == [(0, 100), (100, 200), (200, 250)]
    heavy = [_outcome(1500), _outcome(1500), _outcome(9000), _outcome(1)]
    assert split_pages(heavy) == [(0, 1), (1, 2), (2, 3), (3, 4)]  # a big file is alone
    assert split_pages([_outcome(2)] * 3) == [(0, 3)]
    assert split_pages([]) == [(0, 0)]


def _links(page: Path) -> list[str]:
    return re.findall(r'href="([^"#]*)#(d\d+)"', page.read_text(encoding="utf-8"))


def _run(work: Path, files: int) -> None:
    for i in range(files):
        (work / "in" / f"{i:04}.txt").write_text(f"Item {i}: the three-sided statement .\n")
    r = run_cleanup("fix", "in", "--out", "out", "--report", "report.html", cwd=work)
    assert r.returncode == 0, r.stderr


def test_a_large_run_gets_an_index_and_pages(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    _run(tmp_path, 230)
    index = tmp_path / "report.html"
    folder = pages_folder(index)
    assert sorted(p.name for p in folder.iterdir()) == ["001.html", "002.html", "003.html"]
    # Every file of the run is listed once on the index, linked to the page that draws it.
    links = _links(index)
    assert len(links) == 230
    drawn = 0
    for page_name in sorted({page for page, _ in links}):
        page = tmp_path / page_name
        text = page.read_text(encoding="utf-8")
        assert '<nav class="pages"' in text and 'href="../report.html"' in text
        for _, anchor in (link for link in links if link[0] == page_name):
            assert f'id="{anchor}"' in text
        drawn += len(read_page(page).drawn)
    totals = read_page(index).totals
    assert drawn == totals["applied"] == 2 * 230  # trilateral, and the space before '.'

    # A smaller run then writes one page again, and the earlier pages go.
    for extra in sorted((tmp_path / "in").iterdir())[5:]:
        extra.unlink()
    _run(tmp_path, 5)
    assert not folder.exists()
    assert len(read_page(index).drawn) == 10


def test_a_small_run_is_one_page(tmp_path: Path) -> None:
    outcome = FileOutcome(FileJob(tmp_path / "a.txt", "a.txt"))
    (tmp_path / "a.txt").write_text("x\n")
    write_report(tmp_path / "r.html", [outcome])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "r.html"]


@needs_chromium
def test_every_page_of_a_large_report_opens_quickly(engine: Engine, tmp_path: Path) -> None:
    outcomes = []
    for i in range(8):
        path = tmp_path / "in" / f"{i}.txt"
        path.parent.mkdir(exist_ok=True)
        text = many_edits(300)  # 900 edits each: two files a page
        path.write_text(text)
        result = engine.fix_text(text)
        outcomes.append(
            FileOutcome(FileJob(path, path.name), count_findings(result.findings), result.findings)
        )
    index = tmp_path / "report.html"
    write_report(index, outcomes)
    pages = sorted(pages_folder(index).iterdir())
    assert len(pages) == 4
    with chromium(tmp_path) as tab:
        for url in [index.as_uri(), *(p.as_uri() for p in pages)]:
            started = time.monotonic()
            tab.open(url)
            took = time.monotonic() - started
            assert took < 3, (url, took)
        assert tab.js("document.querySelectorAll('span.e[id]').length") == len(
            read_page(pages[-1]).drawn
        )


def test_a_pages_folder_that_holds_inputs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report-pages").mkdir()
    (tmp_path / "report-pages" / "a.txt").write_text("The three-sided statement.\n")
    r = run_cleanup("fix", "report-pages", "--report", "report.html", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.decode().splitlines()[-1].startswith("error: report.html: the report's")
    assert not (tmp_path / "report.html").exists() and not (tmp_path / "cleaned").exists()


_COUNT_OPENS = """
import os, sys
target = os.path.realpath(sys.argv[1])
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)):
        if os.path.realpath(args[0]) == target and "w" not in str(args[1] or "r"):
            opened.append(1)
sys.addaudithook(hook)
sys.argv = ["cleanup", *sys.argv[2:]]
from cleanup.command import main
try:
    main()
except SystemExit as exit:
    print(len(opened), file=sys.stderr)
    raise
"""


OUTPUTS = ("--report", "r.html", "--format", "json", "--output-file", "f.json")


@pytest.mark.parametrize("size", ["small", "large"])
def test_each_input_is_read_once_for_cleaning_diff_and_report(tmp_path: Path, size: str) -> None:
    """A small file is opened once; a large one once for its encoding mark (4 bytes) and
    once for its text, streamed. The patch and the report draw on what was read."""
    filler = [
        f"Line {i} holds nothing to change.\n" for i in range(60_000 if size == "large" else 3)
    ]
    edits = [f"Item {i}: the solar conflict, the three-sided statement .\n" for i in range(3)]
    text = edits[0] + "".join(filler) + edits[1] + "".join(filler) + edits[2]  # 2 x 1.1 MB
    (tmp_path / "a.txt").write_text(text)
    for extra in (["--out", "cleaned"], ["--in-place"]):
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                _COUNT_OPENS,
                "a.txt",
                "fix",
                "a.txt",
                "-j",
                "1",
                *OUTPUTS,
                *extra,
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        assert run.stderr.splitlines()[-1] == ("1" if size == "small" else "2"), run.stderr
        page = read_page(tmp_path / "r.html")
        assert len(page.drawn) == 9
        if size == "small":
            assert page.shown["d0"] == text
        if "--out" in extra:
            assert (tmp_path / "cleaned" / "a.txt").exists()
            assert (tmp_path / "cleaned" / "cleanup.patch").stat().st_size > 0


def test_the_report_draws_a_file_in_another_encoding(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("The solar conflict — «Гадрут».\n".encode("cp1251"))
    r = run_cleanup("fix", "a.txt", "--encoding", "cp1251", "--report", "r.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    page = read_page(tmp_path / "r.html")
    assert page.shown["d0"] == "The solar conflict — «Гадрут».\n"

"""The HTML report of `cleanup fix --report`: what the page holds (built from real engine
runs and parsed back), the command as a user runs it, and the page in a real browser
(headless chromium driven over the DevTools protocol with the standard library only).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from cleanup import (
    Edit,
    Engine,
    Finding,
    FixOptions,
    Kind,
    Safety,
    Status,
    builtin_pack_paths,
    html_report,
    load_rules,
)
from cleanup.html_report import write_report
from cleanup.runner import FileJob, FileOutcome, count_findings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))

# Curly quotes, emoji outside the BMP before the edits (so code-point offsets matter),
# CRLF line ends, markup in the text, and every status: applied, review, suggest, dropped.
TRICKY = (
    "\u201cThe three-sided statement\u201d \U0001f600 on the solar conflict .\r\n"
    "<script>alert('x')</script> He met Pashinian Prime Minister (Pashinyan) today.\r\n"
    "Mr. Pashinjan spoke. Dear Ivan Petrovich! Ivan Petrov said \U0001f31e so.\r\n"
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_rules(builtin_pack_paths()))


def outcome_for(
    engine: Engine, path: Path, text: str, options: FixOptions | None = None
) -> FileOutcome:
    """Write ``text`` to ``path`` (bytes as given) and run the engine on it, as a run would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    result = engine.fix_text(text, options)
    return FileOutcome(FileJob(path, path.name), count_findings(result.findings), result.findings)


# -- reading the page back --------------------------------------------------------------

VOID = {"meta", "input", "br", "img", "link", "hr", "source", "wbr"}


@dataclass
class Drawn:
    """An edit drawn in the text: its classes and the text of its parts."""

    classes: set[str]
    attrs: dict[str, str]
    original: str = ""
    replacement: str = ""


@dataclass
class Page:
    """What a report holds, read with the standard HTML parser."""

    tags: list[str] = field(default_factory=list)
    drawn: dict[str, Drawn] = field(default_factory=dict)
    items: dict[str, dict[str, str]] = field(default_factory=dict)
    item_text: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # doc id -> text as drawn, edits undone
    totals: dict[str, int] = field(default_factory=dict)  # top cards: category -> count
    sections: dict[str, str] = field(default_factory=dict)  # doc id -> its whole text


class ReportParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[tuple[str, str], list[str]] = {}  # (what, id) -> pieces

    def close(self) -> None:
        super().close()
        for (what, key), pieces in self.texts.items():
            getattr(self.page, what)[key] = "".join(pieces)

    def _add(self, what: str, key: str, data: str) -> None:
        self.texts.setdefault((what, key), []).append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.page.tags.append(tag)
        if tag == "span" and values.get("id", "").startswith("e"):
            self.page.drawn[values["id"]] = Drawn(set(values["class"].split()), values)
        if tag == "li" and "item" in values.get("class", ""):
            self.page.items[values["id"]] = values
            self._add("item_text", values["id"], "")
        if "data-count" in values and self._inside("cards"):
            self.page.totals[values["data-count"]] = int(values["data-total"])
        if tag not in VOID:
            self.stack.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        section = self._attr("section", "id")
        if section:
            self._add("sections", section, data)
        item = self._attr("li", "id")
        if item:
            self._add("item_text", item, data)
        edit = next((a.get("id") for t, a in self.stack if t == "span" and "e" in _cls(a)), None)
        if edit in self.page.drawn and not self._inside("item"):
            part = "replacement" if self._inside("r") else "original"
            drawn = self.page.drawn[edit]
            setattr(drawn, part, getattr(drawn, part) + data)
        if section and self._inside("text") and not self._inside("r") and not self._inside("gap"):
            self._add("shown", section, data)

    def _inside(self, cls: str) -> bool:
        return any(cls in _cls(a) for _, a in self.stack)

    def _attr(self, tag: str, name: str) -> str:
        return next((a.get(name, "") for t, a in self.stack if t == tag), "")


def _cls(attrs: dict[str, str]) -> set[str]:
    return set(attrs.get("class", "").split())


def read_page(path: Path) -> Page:
    parser = ReportParser()
    parser.feed(path.read_bytes().decode("utf-8"))  # CR kept
    parser.close()
    return parser.page


def report_of(tmp_path: Path, outcomes: list[FileOutcome]) -> tuple[Path, Page]:
    target = tmp_path / "out" / "report.html"
    write_report(target, outcomes)
    return target, read_page(target)


# -- the page ---------------------------------------------------------------------------


def test_tricky_text_has_every_kind_of_finding(engine: Engine, tmp_path: Path) -> None:
    outcome = outcome_for(engine, tmp_path / "tricky.txt", TRICKY)
    kinds = {html_report.category(f) for f in outcome.findings}
    assert kinds == {"applied", "review", "suggest", "dropped"}, outcome.findings


def test_applied_edits_show_original_and_replacement_at_their_offsets(
    engine: Engine, tmp_path: Path
) -> None:
    outcome = outcome_for(engine, tmp_path / "tricky.txt", TRICKY)
    _, page = report_of(tmp_path, [outcome])
    drawn = list(page.drawn.values())
    applied = [f for f in outcome.findings if f.status is Status.APPLIED]
    assert len([d for d in drawn if "applied" in d.classes]) == len(applied)
    for f in applied:
        match = [d for d in drawn if d.original == f.edit.original and "applied" in d.classes]
        assert match, f"applied edit {f.edit.original!r} is not drawn"
        assert any(d.replacement == f.edit.replacement for d in match), f
        assert any(d.attrs["data-rule"] == f.edit.rule_id for d in match), f
    # The text with every drawn edit undone is the original, CRLF, emoji and all: each
    # edit sits exactly at its code-point offsets.
    assert page.shown["d0"] == TRICKY


def test_pending_edits_show_their_proposal_and_dropped_ones_are_listed(
    engine: Engine, tmp_path: Path
) -> None:
    outcome = outcome_for(engine, tmp_path / "tricky.txt", TRICKY)
    _, page = report_of(tmp_path, [outcome])
    review = [d for d in page.drawn.values() if "review" in d.classes]
    assert [(d.original, d.replacement) for d in review] == [("Pashinjan", "Pashinyan")]
    suggest = [d for d in page.drawn.values() if "suggest" in d.classes]
    assert [(d.original, d.replacement) for d in suggest] == [("Ivan Petrovich", "Mr. Petrov")]
    dropped = [f for f in outcome.findings if f.status is Status.DROPPED]
    items = {k: v for k, v in page.items.items() if v["data-cat"] == "dropped"}
    assert len(items) == len(dropped) == 1
    (item_id,) = items
    assert dropped[0].reason in page.item_text[item_id]
    assert "e" + item_id[1:] not in page.drawn, "a dropped edit must not be drawn in the text"
    # Every finding is in the list, with its rule, safety, source and confidence.
    assert len(page.items) == len(outcome.findings)
    for f, (item_id, attrs) in zip(outcome.findings, page.items.items(), strict=True):
        assert attrs["data-rule"] == f.edit.rule_id
        assert attrs["data-safety"] == f.edit.safety.value
        assert f"confidence {f.edit.confidence:.2f}" in page.item_text[item_id]
        assert (f.edit.source or "built in") in page.item_text[item_id]


def test_tooltips_name_rule_safety_source_confidence_and_message(
    engine: Engine, tmp_path: Path
) -> None:
    outcome = outcome_for(engine, tmp_path / "tricky.txt", TRICKY)
    _, page = report_of(tmp_path, [outcome])
    fuzzy = next(f for f in outcome.findings if f.edit.kind is Kind.FUZZY)
    (drawn,) = [d for d in page.drawn.values() if d.attrs["data-rule"] == fuzzy.edit.rule_id]
    title = drawn.attrs["title"]
    for part in (fuzzy.edit.rule_id, "review", fuzzy.edit.source, "0.89", fuzzy.edit.message):
        assert part in title, (part, title)


def test_counts_at_the_top(engine: Engine, tmp_path: Path) -> None:
    outcomes = [
        outcome_for(engine, tmp_path / "tricky.txt", TRICKY),
        outcome_for(engine, tmp_path / "solar.txt", "The solar conflict and the solar conflict."),
    ]
    _, page = report_of(tmp_path, outcomes)
    findings = [f for o in outcomes for f in o.findings]
    applied = sum(1 for f in findings if f.status is Status.APPLIED)
    assert page.totals == {"applied": applied, "review": 1, "suggest": 1, "dropped": 1}
    # By rule: the table holds every rule with its number of edits.
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    row = re.search(r"<code>calques\.solar-conflict</code></th><td>(\d+)</td>", html)
    assert row is not None and row.group(1) == "3"


def test_accept_review_shows_review_edits_as_applied(engine: Engine, tmp_path: Path) -> None:
    options = FixOptions(accept=frozenset({Safety.AUTO, Safety.REVIEW}))
    outcome = outcome_for(engine, tmp_path / "tricky.txt", TRICKY, options)
    _, page = report_of(tmp_path, [outcome])
    (drawn,) = [d for d in page.drawn.values() if d.original == "Pashinjan"]
    assert "applied" in drawn.classes and drawn.attrs["data-safety"] == "review"
    assert page.shown["d0"] == TRICKY


def test_text_rule_ids_and_messages_are_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    text = f'Before {evil} & "quotes" <b>bold</b> after.\n'
    start = text.index(evil)
    edit = Edit(
        start,
        start + len(evil),
        evil,
        '<img src=x onerror="alert(2)">',
        f"pack.{evil}",
        Kind.PATTERN,
        Safety.AUTO,
        f"{evil}.yaml:1",
        1.0,
        f'"><script>alert(3)</script>{evil}',
    )
    path = tmp_path / "evil.txt"
    path.write_text(text, encoding="utf-8")
    outcome = FileOutcome(
        FileJob(path, f"docs/{evil}.txt"), findings=[Finding(edit, 1, start + 1, Status.APPLIED)]
    )
    _target, page = report_of(tmp_path, [outcome])
    assert page.tags.count("script") == 1, "only the report's own script may be a script"
    assert "img" not in page.tags and "<b>bold</b>" in page.shown["d0"]
    (drawn,) = page.drawn.values()
    assert drawn.original == evil and drawn.replacement == edit.replacement
    assert drawn.attrs["data-rule"] == edit.rule_id
    assert edit.message in drawn.attrs["title"]
    assert page.shown["d0"] == text
    assert evil in page.sections["d0"]  # the label, as text


def test_errors_and_unreadable_files_are_noted(engine: Engine, tmp_path: Path) -> None:
    fine = outcome_for(engine, tmp_path / "fine.txt", "The solar conflict.\n")
    gone = outcome_for(engine, tmp_path / "gone.txt", "The solar conflict.\n")
    gone.job.path.unlink()
    broken = outcome_for(engine, tmp_path / "broken.txt", "The solar conflict.\n")
    broken.job.path.write_bytes(b"The solar \xff conflict.\n")  # changed since the run
    failed = FileOutcome(FileJob(tmp_path / "bad.txt", "bad.txt"), error="bad.txt: not UTF-8")
    _, page = report_of(tmp_path, [fine, gone, broken, failed])
    assert "Karabakh conflict" in page.sections["d0"]
    assert "cannot read" in page.sections["d1"] and "No such file" in page.sections["d1"]
    assert "cannot read" in page.sections["d2"] and "not UTF-8" in page.sections["d2"]
    assert "bad.txt: not UTF-8" in page.sections["d3"]
    assert sum(1 for d in page.drawn.values() if "applied" in d.classes) == 1


def test_an_edit_the_text_no_longer_holds_is_listed_not_drawn(
    engine: Engine, tmp_path: Path
) -> None:
    outcome = outcome_for(engine, tmp_path / "a.txt", "The solar conflict.\n")
    outcome.job.path.write_text("The lunar conflict.\n", encoding="utf-8")
    _, page = report_of(tmp_path, [outcome])
    assert not page.drawn
    (text,) = page.item_text.values()
    assert "not drawn in the text" in text
    assert page.shown["d0"] == "The lunar conflict.\n"


def test_large_files_show_the_lines_around_their_edits(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_report, "FULL_TEXT_BYTES", 100)
    lines = [f"Line {n} \U0001f600 of plain text.\r\n" for n in range(1, 41)]
    lines[9] = "Line 10 \U0001f600 on the solar conflict .\r\n"
    lines[29] = "Line 30 \U0001f600 on the\nsolar conflict.\r\n"
    text = "".join(lines)
    outcome = outcome_for(engine, tmp_path / "big.txt", text)
    _, page = report_of(tmp_path, [outcome])
    shown = page.shown["d0"]
    assert "Line 8 " in shown and "Line 12 " in shown and "Line 7 " not in shown
    assert "Line 20 " not in shown and "Line 40 " not in shown
    assert "lines 1–7 not shown" in page.sections["d0"]
    assert shown == "".join(lines[7:12]) + "".join(lines[28:32])
    applied = [f for f in outcome.findings if f.status is Status.APPLIED]
    assert sum(1 for d in page.drawn.values() if "applied" in d.classes) == len(applied) == 3


def many_edits(paragraphs: int) -> str:
    """Three applied edits per paragraph (distinct paragraphs: no repeated-title removal)."""
    return "".join(
        f"Paragraph {n}: the solar conflict and the three-sided statement .\n"
        for n in range(paragraphs)
    )


def test_thousands_of_edits_stay_quick(engine: Engine, tmp_path: Path) -> None:
    text = many_edits(2000)
    outcome = outcome_for(engine, tmp_path / "many.txt", text)
    assert len(outcome.findings) == 6000
    target = tmp_path / "report.html"
    started = time.perf_counter()
    write_report(target, [outcome])
    assert time.perf_counter() - started < 5
    page = read_page(target)
    # The first 5,000 are drawn (memory stays flat however many a file has); every one is
    # counted, and the page says where the rest are listed.
    assert len(page.drawn) == html_report.DRAWN_EDITS == 5000
    assert page.totals["applied"] == 6000
    assert "The first 5,000 of 6,000 edits are drawn" in target.read_text(encoding="utf-8")
    drawn_lines = page.shown["d0"].splitlines(keepends=True)
    assert drawn_lines == text.splitlines(keepends=True)[: len(drawn_lines)]


def test_page_is_self_contained(engine: Engine, tmp_path: Path) -> None:
    target, _page = report_of(tmp_path, [outcome_for(engine, tmp_path / "t.txt", TRICKY)])
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    for needle in ("http:", "https:", "//cdn", "@import", "url(", " src=", "<link", "@font-face"):
        assert needle not in html, needle
    assert "white-space:pre-wrap" in html


def test_written_atomically(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = outcome_for(engine, tmp_path / "t.txt", TRICKY)
    target, _ = report_of(tmp_path, [outcome])
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]
    before = target.read_bytes()

    def broken(outcomes: object, page: object = None) -> Iterator[str]:
        yield "<!DOCTYPE html><p>half"
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(html_report, "render_report", broken)
    with pytest.raises(RuntimeError):
        write_report(target, [outcome])
    assert target.read_bytes() == before, "a failed write must leave the old page"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]


# -- the command ------------------------------------------------------------------------


def _find_cleanup() -> str | None:
    beside = Path(sys.executable).parent / "cleanup"
    return str(beside) if beside.exists() else shutil.which("cleanup")


CLEANUP = _find_cleanup()


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`cleanup fix samples --out out --report out/report.html` in a copy of the samples."""
    if CLEANUP is None:
        pytest.skip("the cleanup command is not installed (run ./dev test)")
    work = tmp_path_factory.mktemp("cli")
    shutil.copytree(ROOT / "samples", work / "samples")
    cmd = [CLEANUP, "fix", "samples", "--out", "out", "--report", "out/report.html"]
    proc = subprocess.run(cmd, cwd=work, capture_output=True, timeout=120)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0 and "Traceback" not in err, err
    return work, err


def test_command_writes_the_report(cli_run: tuple[Path, str]) -> None:
    work, err = cli_run
    report = work / "out" / "report.html"
    page = read_page(report)
    applied = int(re.search(r"(\d+) edits applied", err).group(1))  # type: ignore[union-attr]
    assert page.totals["applied"] == applied
    assert sum(1 for d in page.drawn.values() if "applied" in d.classes) == applied
    dropped = re.search(r"(\d+) edits? dropped", err)
    assert page.totals["dropped"] == (int(dropped.group(1)) if dropped else 0)
    for sample in SAMPLES:
        label = f"samples/{sample.name}"
        doc = next(k for k, v in page.sections.items() if v.startswith(label))
        assert page.shown[doc] == sample.read_text(encoding="utf-8")
    assert not list(work.rglob("*.tmp")), "the report must be written atomically"
    assert (work / "out" / "cleanup.patch").is_file()


# -- in a real browser ------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install chromium); "
    "the browser test opens the report in headless chromium",
)


class DevTools:
    """A minimal Chrome DevTools Protocol client: JSON over one WebSocket (RFC 6455)."""

    def __init__(self, url: str, timeout: float = 30) -> None:
        where = urlsplit(url)
        assert where.hostname is not None and where.port is not None
        self.sock = socket.create_connection((where.hostname, where.port), timeout=timeout)
        self.stream = self.sock.makefile("rb")
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {where.path} HTTP/1.1\r\nHost: {where.hostname}:{where.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        status = self.stream.readline()
        assert status.startswith(b"HTTP/1.1 101"), status
        while self.stream.readline() not in (b"\r\n", b""):
            pass
        self.last_id = 0

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(json.dumps(message).encode())
        while True:  # events and other replies are skipped
            reply = json.loads(self._receive())
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def _send(self, data: bytes) -> None:
        size = len(data)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + masked)

    def _receive(self) -> bytes:
        message = b""
        while True:
            first, second = self._read(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(size)  # frames from the server are not masked
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("chromium closed the DevTools connection")
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if first & 0x80:
                    return message

    def _read(self, size: int) -> bytes:
        data = self.stream.read(size)
        if len(data) != size:
            raise ConnectionError("the DevTools connection ended")
        return data

    def close(self) -> None:
        self.stream.close()
        self.sock.close()


class Tab:
    """One page of the browser, attached through a flat session."""

    def __init__(self, devtools: DevTools) -> None:
        self.devtools = devtools
        targets = devtools.call("Target.getTargets")["targetInfos"]
        target = next((t["targetId"] for t in targets if t["type"] == "page"), None)
        if target is None:
            target = devtools.call("Target.createTarget", url="about:blank")["targetId"]
        attached = devtools.call("Target.attachToTarget", targetId=target, flatten=True)
        self.session: str = attached["sessionId"]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=1280,
            height=2000,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        return self.devtools.call(method, session=self.session, **params)

    def js(self, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in reply:
            raise AssertionError(f"JavaScript failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def open(self, url: str, timeout: float = 20) -> None:
        """Load ``url`` and wait until the report's script has run."""
        self.call("Page.navigate", url=url)
        check = f"location.href === {json.dumps(url)} && document.body?.dataset.ready === '1'"
        deadline = time.monotonic() + timeout
        while not self.js(check):
            assert time.monotonic() < deadline, f"the page did not finish loading: {url}"
            time.sleep(0.05)

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element."""
        box = self.js(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def screenshot(self, target: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(data))


@contextmanager
def chromium(tmp_path: Path) -> Iterator[Tab]:
    """Headless chromium on a fresh profile, no network services; closed afterwards."""
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        "--window-size=1280,2000",
    ]
    log_path = tmp_path / "chromium.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [CHROMIUM, *flags, "about:blank"],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    devtools: DevTools | None = None
    try:
        devtools = DevTools(_devtools_url(proc, profile, log_path))
        yield Tab(devtools)
    finally:
        if devtools is not None:
            with suppress(OSError, RuntimeError):
                devtools.call("Browser.close")
            devtools.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _devtools_url(proc: subprocess.Popen[bytes], profile: Path, log: Path) -> str:
    """The browser's DevTools address, from the file chromium writes in its profile."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"chromium exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        lines = port_file.read_text().split() if port_file.exists() else []
        if len(lines) == 2:
            return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.05)
    pytest.fail(f"chromium did not open its DevTools port:\n{log.read_text()[-3000:]}")


SHOWN = """(() => {
  const spans = [...document.querySelectorAll(".text span.e")];
  const visible = (el) => !!el && getComputedStyle(el).display !== "none"
    && el.getBoundingClientRect().width > 0;
  return {
    shown: spans.filter((s) => !s.classList.contains("off")).map((s) => s.dataset.rule),
    hidden: spans.filter((s) => s.classList.contains("off")).map((s) => s.dataset.rule),
    insVisible: spans.filter((s) => !s.classList.contains("off") && s.querySelector("ins"))
      .every((s) => visible(s.querySelector("ins"))),
    insHidden: spans.filter((s) => s.classList.contains("off") && s.querySelector("ins"))
      .every((s) => !visible(s.querySelector("ins"))),
    struck: spans.filter((s) => !s.classList.contains("off") && s.querySelector("del"))
      .every((s) => getComputedStyle(s.querySelector("del")).textDecorationLine
        .includes("line-through")),
    items: [...document.querySelectorAll("li.item")].filter((i) => !i.hidden).length,
    applied: document.querySelector(".cards [data-count=applied]").textContent,
    hash: location.hash,
  };
})()"""


@needs_chromium
def test_report_in_a_browser(cli_run: tuple[Path, str], tmp_path: Path) -> None:
    work, _ = cli_run
    report = work / "out" / "report.html"
    page = read_page(report)
    total = page.totals["applied"]
    trilateral = sum(1 for d in page.drawn.values() if d.attrs["data-rule"] == "calques.trilateral")
    assert trilateral > 0
    url = report.resolve().as_uri()
    with chromium(tmp_path) as tab:
        # A filter in the address, applied on load: only that rule's edits are shown.
        tab.open(url + "#rule=calques.trilateral")
        state = tab.js(SHOWN)
        assert state["shown"] == ["calques.trilateral"] * trilateral, state["shown"]
        assert len(state["hidden"]) == len(page.drawn) - trilateral
        assert state["insHidden"] and state["applied"] == str(trilateral)
        assert state["items"] == trilateral

        # Unfiltered: every edit is highlighted, deletions struck through, insertions shown.
        tab.open(url)
        state = tab.js(SHOWN)
        assert len(state["shown"]) == len(page.drawn) and not state["hidden"]
        assert state["insVisible"] and state["struck"]
        assert state["applied"] == str(total)
        shot = tmp_path / "report.png"
        tab.screenshot(shot)

        # A click on an edit in the text picks out its entry in the document's list.
        tab.click(".text span.e")
        picked = tab.js("[...document.querySelectorAll('li.item.flash')].map((i) => i.id)")
        first = tab.js("document.querySelector('.text span.e').id")
        assert picked == ["r" + first[1:]]

        # A click on a filter: applied edits disappear, the counts follow, the address too.
        tab.click("input[name=cat][value=applied]")
        state = tab.js(SHOWN)
        assert state["applied"] == "0" and "show=" in state["hash"]
        assert all(r for r in state["hidden"]) and len(state["hidden"]) == total
        assert state["items"] == sum(
            n for kind, n in page.totals.items() if kind not in {"applied", "files"}
        )
    assert_real_png(shot, 1280, 2000)


@needs_chromium
def test_a_malformed_address_hash_is_ignored(cli_run: tuple[Path, str], tmp_path: Path) -> None:
    work, _ = cli_run
    report = work / "out" / "report.html"
    total = read_page(report).totals["applied"]
    with chromium(tmp_path) as tab:
        tab.open(report.resolve().as_uri() + "#%E0%A4%A")  # waits for the page's ready mark
        state = tab.js(SHOWN)
    assert state["applied"] == str(total) and not state["hidden"]


@needs_chromium
def test_filters_stay_quick_with_thousands_of_edits(engine: Engine, tmp_path: Path) -> None:
    text = many_edits(1500)
    target = tmp_path / "report.html"
    write_report(target, [outcome_for(engine, tmp_path / "many.txt", text)])
    with chromium(tmp_path) as tab:
        tab.open(target.resolve().as_uri())
        took = tab.js(
            "(() => { const t = performance.now();"
            " document.querySelector('input[name=rule][value=\"calques.trilateral\"]').click();"
            " return performance.now() - t; })()"
        )
        applied = tab.js("document.querySelector('.cards [data-count=applied]').textContent")
    assert applied == "3000", "the trilateral edits must be hidden by the click"
    print(f"filter on 4500 edits: {took:.0f} ms")
    assert took < 1000, f"a filter took {took:.0f} ms on 4500 edits"


def assert_real_png(path: Path, width: int, height: int) -> None:
    """A PNG of that size whose pixels are not all alike."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert struct.unpack("!II", data[16:24]) == (width, height)
    assert len(data) > 20_000, f"suspiciously small screenshot: {len(data)} bytes"
    pixels = b""
    pos = 8
    while pos < len(data):
        size, kind = struct.unpack("!I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            pixels += data[pos + 8 : pos + 8 + size]
        pos += size + 12
    assert len(set(zlib.decompress(pixels))) > 50, "the screenshot is nearly blank"


def test_a_report_of_a_run_in_place_draws_every_edit_in_the_original(tmp_path: Path) -> None:
    # The report is written after the file is rewritten: it works the original back from
    # the cleaned text and the applied edits.
    from cli_helpers import run_cleanup

    original = "The three-sided statement on the solar conflict.\nNikol Vovaevich said Gadrut.\n"
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    (tmp_path / "b.txt").write_text(original, encoding="utf-8")
    inplace = run_cleanup("fix", "a.txt", "--in-place", "--report", "in.html", cwd=tmp_path)
    copied = run_cleanup("fix", "b.txt", "--report", "out.html", cwd=tmp_path)
    assert inplace.returncode == 0 and copied.returncode == 0, inplace.stderr.decode()
    page = (tmp_path / "in.html").read_text(encoding="utf-8")
    assert "not drawn in the text" not in page
    assert page.count('class="o"') == (tmp_path / "out.html").read_text().count('class="o"')
    for word in ("three-sided", "solar conflict", "Nikol Vovaevich", "Gadrut"):
        assert word in page

"""The browser side of ``cleanup review --browser``: a page served on 127.0.0.1 (a random
port, a fresh token in every address) over the same ``Review`` as the terminal prompt.
Every answer is saved as it is made; the review ends with "Finish" (or Ctrl-C), and the
run then writes what the decisions so far say, or with "Quit", and then writes nothing.
"""

from __future__ import annotations

import hmac
import json
import secrets
import signal
import threading
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from cleanup.errors import CleanupError
from cleanup.review import Choice, Decision, Proposal, Review
from cleanup.review_prompt import context

HOST = "127.0.0.1"  # never another interface: the page can rewrite files and rule files
MAX_BODY = 1 << 20  # bytes in one request: an answer is a few hundred
ASSETS = {  # what the page is made of: address below the token -> (file, content type)
    "": ("review.html", "text/html; charset=utf-8"),
    "review.css": ("review.css", "text/css; charset=utf-8"),
    "review.js": ("review.js", "text/javascript; charset=utf-8"),
}
# The page loads nothing but its own files and talks to nothing but this server.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
ANSWERS = {c.value: c for c in Choice if c not in (Choice.UNDO, Choice.QUIT)}


class RequestRefusedError(Exception):
    """A request the server answers with an error status."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class BrowserState:
    """The review as the page sees it: every proposal and its decision, and where the
    reviewer is. All changes go through the session, under one lock."""

    session: Review
    items: Sequence[Proposal]
    texts: Mapping[str, str]
    rules_file: bool
    cursor: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for item in self.items:  # saved and --accept/--reject decisions, as the terminal
            self.session.known(item)
        self.cursor = self._next_open(0)

    def decided(self) -> dict[str, Decision]:
        """The decision on every proposal that has one (its own, or its rule's)."""
        with self.lock:
            found = {}
            for item in self.items:
                known = self.session.decisions.get(item)
                if known is not None:
                    found[item.key] = known
            return found

    def proposals(self) -> list[dict[str, Any]]:
        """What the page draws once: each proposal with its context, line breaks kept."""
        out = []
        for index, item in enumerate(self.items):
            e = item.edit
            text = self.texts.get(item.label)
            before, after = (
                context(text, e.start, e.end) if text is not None else (item.before, item.after)
            )
            out.append(
                {
                    "index": index,
                    "file": item.label,
                    "line": item.line,
                    "column": item.column,
                    "rule": e.rule_id,
                    "kind": e.kind.value,
                    "safety": e.safety.value,
                    "source": e.source or "built in",
                    "confidence": round(e.confidence, 2),
                    "message": e.message,
                    "original": e.original,
                    "replacement": e.replacement,
                    "before": before,
                    "after": after,
                }
            )
        return out

    def status(self) -> dict[str, Any]:
        """What changes as the review goes: decisions, the counter, the cursor, notes."""
        decisions = self.session.decisions
        verdicts: list[dict[str, Any] | None] = []
        for item in self.items:
            own = decisions.edits.get(item.key)
            if own is not None:
                verdicts.append(
                    {
                        "accept": own["decision"] == "accept",
                        "replacement": own.get("replacement"),
                        "by": "edit",
                    }
                )
            elif (rule := decisions.rules.get(item.edit.rule_id)) is not None:
                verdicts.append({"accept": rule == "accept", "replacement": None, "by": "rule"})
            else:
                verdicts.append(None)
        return {
            "total": len(self.items),
            "decided": sum(1 for v in verdicts if v is not None),
            "decisions": verdicts,
            "cursor": self.cursor,
            "can_undo": bool(self.session.history),
            "notes": list(self.session.notes),
            "rules_file": self.rules_file,
            "finished": self.done.is_set(),
        }

    def answer(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise RequestRefusedError(HTTPStatus.BAD_REQUEST, "an answer is a JSON object")
        index, key, text = body.get("index"), body.get("choice"), body.get("text")
        if not isinstance(index, int) or not 0 <= index < len(self.items):
            raise RequestRefusedError(HTTPStatus.BAD_REQUEST, f"no proposal {index!r}")
        choice = ANSWERS.get(key) if isinstance(key, str) else None
        if choice is None:
            raise RequestRefusedError(HTTPStatus.BAD_REQUEST, f"no answer {key!r}")
        if text is not None and not isinstance(text, str):
            raise RequestRefusedError(HTTPStatus.BAD_REQUEST, "'text' must be a string")
        with self.lock:
            self._open()
            self.session.answer(index, self.items[index], choice, text)
            self.cursor = self._next_open(index + 1)
            return self.status()

    def undo(self) -> dict[str, Any]:
        with self.lock:
            self._open()
            undone = self.session.undo()
            if undone is not None:
                self.cursor = undone.at
            return self.status()

    def finish(self, body: Any) -> dict[str, Any]:
        quit = isinstance(body, dict) and body.get("quit") is True
        with self.lock:
            if not self.done.is_set():
                self.session.quit = quit
                self.done.set()
            return self.status()

    def _open(self) -> None:
        if self.done.is_set():
            raise RequestRefusedError(HTTPStatus.CONFLICT, "the review is finished")

    def _next_open(self, start: int) -> int:
        """The first undecided proposal from ``start`` on (then from the top); else
        ``start`` itself, within the list."""
        n = len(self.items)
        for step in range(n):
            i = (start + step) % n
            if self.session.decisions.get(self.items[i]) is None:
                return i
        return min(start, max(n - 1, 0))


class ReviewServer(ThreadingHTTPServer):
    """The HTTP server of one browser review; every address starts with its token."""

    daemon_threads = True
    block_on_close = False  # a browser's open connection never holds the run up

    def __init__(self, state: BrowserState, port: int = 0) -> None:
        self.state = state
        self.token = secrets.token_urlsafe(24)
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/{self.token}/"


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "cleanup-review"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve(self._get)

    def do_POST(self) -> None:
        self._serve(self._post)

    def _get(self, rest: str) -> tuple[str, bytes]:
        state = self.server.state
        if rest == "api/proposals":
            return _json({"proposals": state.proposals()})
        if rest == "api/status":
            with state.lock:
                return _json(state.status())
        if rest in ASSETS:
            name, kind = ASSETS[rest]
            return kind, asset(name).encode("utf-8")
        raise RequestRefusedError(HTTPStatus.NOT_FOUND, "not found")

    def _post(self, rest: str) -> tuple[str, bytes]:
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise RequestRefusedError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON")
        origin = self.headers.get("Origin")
        if origin is not None and origin.removeprefix("http://") not in self._hosts():
            raise RequestRefusedError(HTTPStatus.FORBIDDEN, "forbidden: another site's page")
        body = self._body()
        state = self.server.state
        actions: dict[str, Callable[[], dict[str, Any]]] = {
            "api/answer": lambda: state.answer(body),
            "api/undo": state.undo,
            "api/finish": lambda: state.finish(body),
        }
        if rest not in actions:
            raise RequestRefusedError(HTTPStatus.NOT_FOUND, "not found")
        return _json(actions[rest]())

    def _body(self) -> Any:
        try:
            size = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise RequestRefusedError(HTTPStatus.BAD_REQUEST, "bad Content-Length") from None
        if not 0 <= size <= MAX_BODY:
            raise RequestRefusedError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too large")
        raw = self.rfile.read(size) if size else b"{}"
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise RequestRefusedError(HTTPStatus.BAD_REQUEST, "not JSON") from None

    def _serve(self, handle: Callable[[str], tuple[str, bytes]]) -> None:
        try:
            rest = self._checked_path()
            kind, data = handle(rest)
            status = HTTPStatus.OK
        except RequestRefusedError as exc:
            status, kind = exc.status, "text/plain; charset=utf-8"
            data = (str(exc) + "\n").encode("utf-8")
        except CleanupError as exc:  # the decisions file could not be written
            status, kind = HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8"
            data = (str(exc) + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(data)

    def _checked_path(self) -> str:
        """The address below the token; refused (403) without the right token, or when
        the Host header names another site (a DNS rebinding page)."""
        if self.headers.get("Host") not in self._hosts():
            raise RequestRefusedError(HTTPStatus.FORBIDDEN, "forbidden")
        path = urlsplit(self.path).path
        token, _, rest = path.removeprefix("/").partition("/")
        if not hmac.compare_digest(token.encode(), self.server.token.encode()):
            raise RequestRefusedError(HTTPStatus.FORBIDDEN, "forbidden")
        if not rest and not path.endswith("/"):
            raise RequestRefusedError(HTTPStatus.NOT_FOUND, "not found: the address ends with '/'")
        return rest

    def _hosts(self) -> tuple[str, str]:
        port = self.server.server_address[1]
        return f"{HOST}:{port}", f"localhost:{port}"

    def log_message(self, format: str, *args: Any) -> None:
        return None  # the terminal shows the address and the summary, not every request


def _json(data: dict[str, Any]) -> tuple[str, bytes]:
    return "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8")


@cache
def asset(name: str) -> str:
    """A file of the page's own, shipped in the package."""
    return resources.files("cleanup").joinpath("assets", name).read_text(encoding="utf-8")


@dataclass
class BrowserFront:
    """Asks the reviewer in a browser (``FileReviewer``'s front): serves the page, waits
    for Finish, Quit or Ctrl-C, and returns the decisions so far. Undecided proposals are
    left out of what is written and stay undecided in the decisions file, so the next
    review asks about them."""

    session: Review
    texts: Mapping[str, str]
    rules_file: bool
    echo: Callable[[str], None]
    open_browser: bool = True
    port: int = 0
    state: BrowserState | None = None

    def __call__(self, items: Sequence[Proposal]) -> dict[str, Decision]:
        self.state = state = BrowserState(self.session, items, self.texts, self.rules_file)
        if not items:  # nothing to ask: no page to wait on
            self.echo("no edits to review\n")
            return {}
        server = ReviewServer(state, self.port)
        thread = threading.Thread(target=server.serve_forever, name="review-server", daemon=True)
        interrupted = threading.Event()

        def interrupt(signum: int, frame: object) -> None:
            interrupted.set()
            state.done.set()

        # Ctrl-C while the page is open ends the review as Finish does; the command's own
        # handler is back for the writing, so a second Ctrl-C stops that.
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, interrupt) if main else None
        thread.start()
        try:
            self.echo(f"review in the browser: {server.url}\n")
            self.echo("press Finish on the page (or Ctrl-C here) to write the result\n")
            if self.open_browser:  # aside: a browser in this terminal may not return
                threading.Thread(target=self._open, args=(server.url,), daemon=True).start()
            while not state.done.wait(0.2):
                pass
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)
            with state.lock:  # an answer being saved is finished first
                state.done.set()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        if interrupted.is_set():
            self.echo("interrupted: writing what the decisions so far say\n")
        return state.decided()

    def _open(self, url: str) -> None:
        if not webbrowser.open(url):
            self.echo("no web browser could be started: open the address above in one\n")

"""Grammar and spelling suggestions from LanguageTool, through language-tool-python.

An optional extra (``pip install 'cleanup[grammar]'``): LanguageTool runs as a local Java
server that language-tool-python downloads and starts on first use, or is reached at a
URL (``--languagetool-url``). Its matches become ``suggest`` edits (``review`` for the
categories and rules a pack's ``grammar: review:`` names; a pack's ``grammar: ignore:``
hides them). Names are never flagged: every canonical name, surname and form of the
loaded packs is accepted spelling.

Only sentences with prose in them are sent (at least one word of four or more letters
in lower case or capitalised), several sentences to a request, and LanguageTool's answer
for each sentence is kept in an on-disk cache, so a re-run does not ask again. The cache
holds LanguageTool's own matches; the names and the packs' policy are applied after it,
so changing a pack needs no new check.

LanguageTool counts offsets in UTF-16 code units (Java strings); they are mapped back to
``str`` offsets here, and every match is checked against the context LanguageTool sends
with it, so a match that does not sit where it says is dropped rather than misplaced.
"""

from __future__ import annotations

import bisect
import concurrent.futures
import dataclasses
import hashlib
import importlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import NamedTuple, Protocol

import regex

from cleanup.edit import Edit, Kind, Safety
from cleanup.english import is_common_word
from cleanup.errors import CleanupError
from cleanup.ruleset.model import RuleSet

log = logging.getLogger(__name__)

RULE_PREFIX = "languagetool:"
SOURCE = "LanguageTool"
CONFIDENCE = 0.5
# One request holds sentences up to this many characters (the public API takes 20 KB).
BATCH_CHARS = 10_000
BATCH_SENTENCES = 100
# With several requests in flight, a batch is cut smaller (down to this) so that one
# article keeps every server thread busy.
MIN_BATCH_CHARS = 2_000
# Longer "sentences" are tables, lists or markup without full stops, not prose.
MAX_SENTENCE = 10_000
# How far before ``start`` the sentence that holds it is looked for.
LOOKBACK = 4096
# Sentences are joined with a paragraph break, so LanguageTool checks each on its own.
SEPARATOR = "\n\n"
CACHE_FORMAT = "cleanup-grammar-1"
PUBLIC_HOSTS = frozenset({"languagetool.org", "www.languagetool.org", "api.languagetool.org"})
SPELLING_CATEGORY = "TYPOS"
SPELLING_ISSUE = "misspelling"

# A sentence ends after . ! or ? (and closing quotes or brackets) before a space and a
# capital, or at a line break unless the next line goes on in lower case (hard wrapping).
_BREAK = regex.compile(
    r"(?P<stop>(?<=[.!?][\"'”’»)\]]*))[ \t]+(?=[\"'“‘«(]?\p{Lu})"
    r"|[ \t]*(?:\r\n|\r|\n)(?![ \t]*\p{Ll})\s*"
)
_WORD_BEFORE_STOP = regex.compile(r"(\w+)[.!?][\"'”’»)\]]*\Z")
_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr St Jr Sr Prof Gen Col Lt Sgt Capt Gov Sen Rep Amb No Nos Art Vol vs".split()
)
# Prose: a word of four or more letters, in lower case or capitalised.
_WORDY = regex.compile(r"\b(?:\p{Lu}\p{Ll}{3,}|\p{Ll}{4,})")
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")


@dataclass(frozen=True)
class GrammarConfig:
    """Where LanguageTool runs and in which language it checks."""

    url: str | None = None  # a LanguageTool server; None: `cleanup grammar serve`'s, or a local one
    language: str = "en-US"
    cache_dir: Path | None = None  # default: $XDG_CACHE_HOME/cleanup/languagetool
    workers: int = 0  # requests in flight at once; 0: one per core (the public API: 1)
    picky: bool = False  # LanguageTool's level=picky: more rules, more noise


class GrammarUnavailable(CleanupError):  # noqa: N818 - the name the CLI catches
    """LanguageTool cannot run; the message says why and what to do, in one line."""


class LanguageToolMatch(Protocol):
    """What is read of a ``language_tool_python.Match`` (language-tool-python >= 3.0)."""

    @property
    def offset(self) -> int: ...
    @property
    def error_length(self) -> int: ...
    @property
    def rule_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def rule_issue_type(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def replacements(self) -> Sequence[str]: ...
    @property
    def context(self) -> str: ...
    @property
    def offset_in_context(self) -> int: ...


class LanguageToolClient(Protocol):
    """``language_tool_python.LanguageTool``, or a stand-in for tests."""

    def check(self, text: str) -> Sequence[LanguageToolMatch]: ...


class Found(NamedTuple):
    """One LanguageTool match in a sentence, in ``str`` offsets: what the cache keeps."""

    start: int
    end: int
    rule_id: str
    category: str
    issue_type: str
    message: str
    replacements: tuple[str, ...]


class GrammarMatcher:
    """Proposes LanguageTool's fixes as suggestions, names excepted.

    ``tool`` replaces the connection to LanguageTool (tests pass a stand-in whose
    ``check`` returns ``language_tool_python.Match`` objects).
    """

    def __init__(
        self, config: GrammarConfig, rules: RuleSet, *, tool: LanguageToolClient | None = None
    ) -> None:
        lt = _import_library(required=tool is None)
        self._owned = tool is None
        if tool is None and config.url is None:
            from cleanup.grammar_server import running_url

            served = running_url()  # the server `cleanup grammar serve` runs, if any
            if served is not None:
                config = dataclasses.replace(config, url=served)
        self.config = config
        if tool is None:
            assert lt is not None
            tool, self.version = _connect(lt, config)
        else:
            self.version = str(getattr(tool, "version", ""))
        self._tool = tool
        self._units = _offset_units(lt)
        self._names = _NameWords(rules)
        self._review = _normalized(rules.grammar_review)
        self._ignore = _normalized(rules.grammar_ignore)
        self._cache = _Cache(config.cache_dir or default_cache_dir())
        self.calls = 0  # requests sent to LanguageTool
        self.workers = _workers(config, tool)
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]:
        """Suggestions for LanguageTool's matches that start in ``[start, stop)``."""
        stop = len(text) if stop is None else stop
        spans: list[tuple[int, int]] = []
        for a, b in sentences(text, max(0, start - LOOKBACK)):
            if a >= stop:
                break
            if b > start and worth_checking(text[a:b]):
                spans.append((a, b))
        if not spans:
            return
        results = self._results([text[a:b] for a, b in spans])
        for a, b in spans:
            for found in results[text[a:b]]:
                if start <= a + found.start < stop:
                    edit = self._edit(text, a, found, base)
                    if edit is not None:
                        yield edit

    def close(self) -> None:
        """Stop the local server (if this matcher started one) and close the cache."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._owned:
            close = getattr(self._tool, "close", None)
            if callable(close):
                close()
        self._cache.close()

    # -- edits --------------------------------------------------------------------------
    def _edit(self, text: str, at: int, found: Found, base: int) -> Edit | None:
        rule, category = found.rule_id.upper(), found.category.upper()
        if rule in self._ignore or category in self._ignore:
            return None
        original = text[at + found.start : at + found.end]
        replacement = found.replacements[0] if found.replacements else original
        if not original and not replacement:
            return None
        if any(c in s for s in (original, replacement) for c in "\r\n"):
            return None  # line breaks stay as they are (CRLF included)
        spelling = category == SPELLING_CATEGORY or found.issue_type == SPELLING_ISSUE
        if self._names.touched(original, replacement, spelling=spelling):
            return None
        review = rule in self._review or category in self._review
        return Edit(
            base + at + found.start,
            base + at + found.end,
            original,
            replacement,
            RULE_PREFIX + found.rule_id,
            Kind.GRAMMAR,
            Safety.REVIEW if review else Safety.SUGGEST,
            SOURCE,
            CONFIDENCE,
            found.message,
        )

    # -- checking, batched and cached -------------------------------------------------
    def _results(self, texts: list[str]) -> dict[str, list[Found]]:
        keys = {t: self._key(t) for t in dict.fromkeys(texts)}
        cached = self._cache.get(list(keys.values()))
        results = {t: cached[k] for t, k in keys.items() if k in cached}
        missing = [t for t in keys if t not in results]
        limit = BATCH_CHARS
        if self.workers > 1:  # share the sentences out among the requests in flight
            total = sum(len(t) + len(SEPARATOR) for t in missing)
            limit = min(BATCH_CHARS, max(MIN_BATCH_CHARS, -(-total // self.workers)))
        batches = list(_batches(missing, limit))
        if len(batches) > 1 and self.workers > 1:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    self.workers, thread_name_prefix="languagetool"
                )
            answers: Iterator[dict[str, list[Found]]] = self._pool.map(self._check, batches)
        else:
            answers = map(self._check, batches)
        for checked in answers:
            self._cache.put({keys[t]: found for t, found in checked.items()})
            results.update(checked)
        return results

    def _key(self, sentence: str) -> str:
        asked: list[object] = [CACHE_FORMAT, self.config.language, self.version, sentence]
        if self.config.picky:
            asked.append("picky")
        data = json.dumps(asked)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def _check(self, batch: list[str]) -> dict[str, list[Found]]:
        """Send sentences in one request; each one's matches, in its own offsets."""
        text = SEPARATOR.join(batch)
        with self._lock:
            self.calls += 1
        try:
            matches = self._tool.check(text)
        except Exception as exc:  # the server went away, a rate limit, a bad answer
            where = self.config.url or "the local server"
            msg = f"LanguageTool ({where}) failed while checking: {_reason(exc)}"
            raise GrammarUnavailable(msg) from exc
        starts = [0]
        for sentence in batch[:-1]:
            starts.append(starts[-1] + len(sentence) + len(SEPARATOR))
        results: dict[str, list[Found]] = {s: [] for s in batch}
        units = _Utf16(text)
        for match in matches:
            span = self._span(match, units, text)
            if span is None:
                continue
            i = bisect.bisect_right(starts, span[0]) - 1
            a, b = span[0] - starts[i], span[1] - starts[i]
            if b > len(batch[i]):
                log.debug("dropped a match across sentences: %s", match.rule_id)
                continue
            found = Found(
                a,
                b,
                str(match.rule_id),
                str(match.category),
                str(match.rule_issue_type),
                str(match.message),
                tuple(str(r) for r in match.replacements[:3]),
            )
            results[batch[i]].append(found)
        return results

    def _span(self, match: LanguageToolMatch, units: _Utf16, text: str) -> tuple[int, int] | None:
        """The match's ``[start, end)`` in ``str`` offsets of ``text``, when it checks out."""
        start_in_chars, length_in_chars = self._units
        offset, length = int(match.offset), int(match.error_length)
        start = offset if start_in_chars else units.to_str(offset)
        if start is None or not 0 <= start <= len(text) or length < 0:
            return None
        if length_in_chars:
            end: int | None = start + length
        else:
            end = units.to_str(units.to_utf16(start) + length)
        if end is None or end > len(text):
            return None
        if not _agrees(text[start:end], match.context, int(match.offset_in_context)):
            log.debug("dropped a match that does not sit where it says: %s", match.rule_id)
            return None
        return start, end


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/cleanup/languagetool``, else ``~/.cache/cleanup/languagetool``."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "cleanup" / "languagetool"


def sentences(text: str, pos: int = 0) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each sentence from ``pos``, without surrounding whitespace.

    >>> t = "Mr. Lavrov spoke. He left!\\r\\nBAKU, 12 May\\n\\nand then\\nmore"
    >>> [t[a:b] for a, b in sentences(t)]
    ['Mr. Lavrov spoke.', 'He left!', 'BAKU, 12 May', 'and then\\nmore']
    """
    begin = pos
    for m in _BREAK.finditer(text, pos):
        if m.group("stop") is not None and _abbreviation(text, m.start()):
            continue
        yield from _trimmed(text, begin, m.start())
        begin = m.end()
    yield from _trimmed(text, begin, len(text))


def worth_checking(sentence: str) -> bool:
    """Whether a sentence is prose: a word of four letters or more, not in capitals.

    >>> [worth_checking(s) for s in ("He have said it.", "12.05.2023 14:55", "BAKU")]
    [True, False, False]
    """
    return len(sentence) <= MAX_SENTENCE and _WORDY.search(sentence) is not None


def _abbreviation(text: str, at: int) -> bool:
    """Whether the full stop before ``at`` ends an abbreviation or an initial ("N.")."""
    m = _WORD_BEFORE_STOP.search(text, max(0, at - 16), at)
    if m is None or not text[m.end(1)] == ".":
        return False
    word = m.group(1)
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _trimmed(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        yield a, b


def _batches(texts: list[str], limit: int | None = None) -> Iterator[list[str]]:
    limit = BATCH_CHARS if limit is None else limit
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (size + len(text) > limit or len(batch) >= BATCH_SENTENCES):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text) + len(SEPARATOR)
    if batch:
        yield batch


def _normalized(ids: frozenset[str]) -> frozenset[str]:
    """Categories and rule ids as LanguageTool writes them ("languagetool:" allowed)."""
    return frozenset(i.upper().removeprefix(RULE_PREFIX.upper()) for i in ids)


class _NameWords:
    """Every name, surname and form of the loaded packs, and every capitalised word that
    is no common English word (a name to the names layer): never flagged, never rewritten.
    """

    def __init__(self, rules: RuleSet) -> None:
        words: set[str] = set()
        for form in rules.index.spellings | rules.index.surnames:
            for word in _LETTERS.findall(form):
                if len(word) > 1:
                    words.update((word, word.upper()))
        self.words = frozenset(words)

    def touched(self, original: str, replacement: str, *, spelling: bool) -> bool:
        """Whether a match flags a name (spelling, or the whole match is names) or its
        replacement would change one."""
        found = [w for w in _LETTERS.findall(original) if len(w) > 1]
        names = [w for w in found if self.is_name(w)]
        if not names:
            return False
        if spelling or len(names) == len(found):
            return True
        kept = set(_LETTERS.findall(replacement))
        return any(w not in kept for w in names)

    def is_name(self, word: str) -> bool:
        """A pack's name, or a capitalised word that is no common English word ("Hadrut",
        "Serzh", "Stavropol"; not "Black", "The" or "Date")."""
        if word in self.words:
            return True
        return word[0].isupper() and not word.isupper() and not is_common_word(word)


class _Utf16:
    """Offsets of one text in ``str`` indices and in UTF-16 code units (Java strings):
    a character outside the BMP (most emoji) is one ``str`` index and two code units.
    """

    def __init__(self, text: str) -> None:
        wide = len(text.encode("utf-16-le")) // 2 != len(text)
        self.astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF] if wide else []
        self.astral16 = [i + k for k, i in enumerate(self.astral)]

    def to_utf16(self, index: int) -> int:
        return index + bisect.bisect_left(self.astral, index)

    def to_str(self, unit: int) -> int | None:
        """The ``str`` index of a code-unit offset; None inside a surrogate pair."""
        k = bisect.bisect_left(self.astral16, unit)
        if k and self.astral16[k - 1] == unit - 1:
            return None
        return unit - k


def _agrees(matched: str, context: str, offset16: int) -> bool:
    """Whether the context LanguageTool sent shows ``matched`` at ``offset16``.

    Context offsets are UTF-16 code units of the context; LanguageTool writes line breaks
    in it as spaces, so whitespace is compared loosely. A context too short to hold the
    match says nothing.
    """
    units = context.encode("utf-16-le", "surrogatepass")
    length = len(matched.encode("utf-16-le", "surrogatepass")) // 2
    if offset16 < 0 or 2 * (offset16 + length) > len(units):
        return True
    shown = units[2 * offset16 : 2 * (offset16 + length)].decode("utf-16-le", "replace")
    return shown.split() == matched.split()


class _Cache:
    """LanguageTool's matches per sentence, in SQLite; in memory when the folder fails."""

    def __init__(self, directory: Path) -> None:
        self.path: Path | None = directory / "checks.sqlite3"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = self._open(str(self.path))
        except (OSError, sqlite3.Error) as exc:
            log.warning("grammar cache in memory only (%s: %s)", directory, exc)
            self.path = None
            self._db = self._open(":memory:")

    @staticmethod
    def _open(where: str) -> sqlite3.Connection:
        db = sqlite3.connect(where, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS checks (key TEXT PRIMARY KEY, found TEXT NOT NULL)")
        db.commit()
        return db

    def get(self, keys: list[str]) -> dict[str, list[Found]]:
        out: dict[str, list[Found]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(
                    f"SELECT key, found FROM checks WHERE key IN ({marks})", chunk
                ).fetchall()
            except sqlite3.Error as exc:
                log.warning("grammar cache not read: %s", exc)
                return out
            for key, data in rows:
                try:
                    out[key] = [Found._make([*f[:6], tuple(f[6])]) for f in json.loads(data)]
                except (ValueError, TypeError):
                    continue  # a damaged entry is checked again
        return out

    def put(self, items: dict[str, list[Found]]) -> None:
        rows = [(k, json.dumps([list(f) for f in v], ensure_ascii=False)) for k, v in items.items()]
        try:
            self._db.executemany("INSERT OR REPLACE INTO checks (key, found) VALUES (?, ?)", rows)
            self._db.commit()
        except sqlite3.Error as exc:
            log.warning("grammar cache not written: %s", exc)

    def close(self) -> None:
        self._db.close()


# -- connecting ---------------------------------------------------------------------------
def _import_library(*, required: bool) -> ModuleType | None:
    try:
        return importlib.import_module("language_tool_python")
    except ImportError:
        if not required:
            return None
        msg = "language-tool-python is not installed; pip install 'cleanup[grammar]' adds it"
        raise GrammarUnavailable(msg) from None


def _connect(lt: ModuleType, config: GrammarConfig) -> tuple[LanguageToolClient, str]:
    """Start or reach LanguageTool; the tool and the server's version ('' if unknown)."""
    if config.url is None and shutil.which("java") is None:
        raise GrammarUnavailable(
            "Java is not installed (no 'java' on PATH), so LanguageTool cannot run here; "
            "install Java 17 or newer, or give --languagetool-url URL of a LanguageTool server"
        )
    try:
        if config.url is None:
            tool = lt.LanguageTool(config.language)
        elif urllib.parse.urlsplit(_base_url(config.url)).hostname in PUBLIC_HOSTS:
            tool = lt.LanguageToolPublicAPI(config.language)
        else:
            tool = lt.LanguageTool(config.language, remote_server=_base_url(config.url))
    except (Exception, SystemExit) as exc:  # language-tool-python exits on an odd `java -version`
        raise GrammarUnavailable(_explain(lt, config, exc)) from None
    if config.picky:
        tool.picky = True
    api = str(getattr(tool, "url", "") or "")
    version = _server_version(api, config.language) if api else ""
    if not version:
        version = str(getattr(tool, "language_tool_download_version", "") or "")
    client: LanguageToolClient = tool
    return client, version


def _workers(config: GrammarConfig, tool: object) -> int:
    """Requests in flight at once: the config's, else one per core; one for the public
    API, which limits requests per minute."""
    if config.workers:
        return config.workers
    url = config.url or str(getattr(tool, "url", "") or "")
    if url and urllib.parse.urlsplit(_base_url(url)).hostname in PUBLIC_HOSTS:
        return 1
    return max(1, min(8, os.cpu_count() or 1))


def _base_url(url: str) -> str:
    """The server's root, as language-tool-python wants it (it adds 'v2/').

    >>> _base_url("localhost:8081/v2/check"), _base_url("https://languagetool.org/api")
    ('http://localhost:8081/', 'https://languagetool.org/api/')
    """
    if "://" not in url:
        url = "http://" + url
    return url.rstrip("/").removesuffix("/check").removesuffix("/v2") + "/"


def _server_version(api: str, language: str) -> str:
    """The version a LanguageTool server reports ('' when it does not say)."""
    query = urllib.parse.urlencode({"language": language, "text": "Version check."})
    try:
        with urllib.request.urlopen(urllib.parse.urljoin(api, "check?" + query), timeout=10) as r:
            software = json.load(r).get("software", {})
        return f"{software.get('version', '')} {software.get('buildDate', '')}".strip()
    except (OSError, ValueError, AttributeError):
        return ""


def _explain(lt: ModuleType, config: GrammarConfig, exc: BaseException) -> str:
    """One line: what failed and what to do."""
    errors = getattr(lt, "exceptions", lt)

    def raised(name: str) -> bool:
        cls = getattr(errors, name, None)
        return isinstance(cls, type) and isinstance(exc, cls)

    reason = _reason(exc)
    if isinstance(exc, ValueError) and "language" in str(exc):
        return f"LanguageTool does not check language '{config.language}' ({reason})"
    if config.url is not None:
        if raised("RateLimitError"):
            return f"the LanguageTool server at {config.url} refused the request: {reason}"
        return (
            f"cannot reach the LanguageTool server at {config.url}: {reason}; check "
            "--languagetool-url (or CLEANUP_LANGUAGETOOL_URL) and that the server is running"
        )
    if raised("JavaError") or isinstance(exc, ModuleNotFoundError):
        return f"Java cannot be run ({reason}); install Java 17 or newer"
    if isinstance(exc, SystemError | SystemExit):
        return f"{reason}; install Java 17 or newer, or give --languagetool-url"
    if raised("ServerError"):
        return f"the local LanguageTool server did not start: {reason}"
    if raised("PathError") or isinstance(exc, OSError):
        return (
            f"LanguageTool could not be downloaded or found ({reason}); when offline, "
            "give --languagetool-url URL of a LanguageTool server"
        )
    if raised("LanguageToolError"):
        return f"the local LanguageTool server does not answer: {reason}"
    return f"LanguageTool cannot run: {type(exc).__name__}: {reason}"


def _reason(exc: BaseException) -> str:
    """The innermost cause, short: "Connection refused" rather than urllib3's story."""
    inner: BaseException = exc
    seen = {id(exc)}
    while (nxt := inner.__cause__ or inner.__context__) is not None and id(nxt) not in seen:
        seen.add(id(nxt))
        inner = nxt
    if isinstance(inner, OSError) and inner.strerror:
        text = inner.strerror
    else:
        text = str(inner) or str(exc) or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


def _offset_units(lt: ModuleType | None) -> tuple[bool, bool]:
    """Whether this language-tool-python turns a Match's offset and length into ``str``
    units (LanguageTool sends UTF-16 code units). Found by building one Match.

    From 2.8.1 the offset is converted and the length is not; asking keeps the mapping
    right whatever a later version does.
    """
    if lt is None:
        return False, False
    text = "\U0001f600 a\U0001f600b"  # code units: emoji 0-1, space 2, a 3, emoji 4-5, b 6
    attrib = {
        "message": "probe",
        "replacements": [],
        "offset": 3,
        "length": 4,
        "context": {"text": text, "offset": 3, "length": 4},
        "rule": {"id": "PROBE", "issueType": "misspelling", "category": {"id": "TYPOS"}},
    }
    try:
        match = lt.Match(attrib, text)
        return int(match.offset) == 2, int(match.error_length) == 3
    except Exception:  # an unknown Match: take LanguageTool's units as they come
        return False, False

"""The pipeline: find edits on the original text, keep what the options allow, settle
overlaps, apply. Large inputs go through in blocks, so memory stays flat.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleanup.apply import apply_edits
from cleanup.collector import paused_gc
from cleanup.edit import Edit, Finder, Safety
from cleanup.errors import InputError, RuleError
from cleanup.exposed import joinable_replacements, settle_exposed
from cleanup.matchers import Matcher, build_matchers
from cleanup.matchers.bytescan import Block
from cleanup.matchers.literal import HELD_NOTE
from cleanup.outcome import Finding, FixResult, Status
from cleanup.resolve import Dropped, resolve
from cleanup.ruleset.model import LiteralKey, PatternRule, RuleSet, StructureRule, keys_of

if TYPE_CHECKING:
    from cleanup.matchers.grammar import GrammarConfig

__all__ = ["EVERYTHING", "Engine", "Finding", "FixOptions", "FixResult", "Status", "id_matches"]

# What Engine.fix_stream(tally=) is given for each block: its applied edits, in order,
# and its other findings as (edit, status, reason).
Tally = Callable[[list[Edit], list[tuple[Edit, Status, str]]], None]

BLOCK_CHARS = 4 * 1024 * 1024
# An edit may span at most this much text; blocks overlap by it, so a match that starts
# near the end of one block is seen whole in the next.
OVERLAP_CHARS = 64 * 1024
# Text kept before a block, so word boundaries and lookbehinds see what came before.
CONTEXT_CHARS = 4 * 1024
# Blocks shrink (down to MIN_BLOCK_CHARS) where they would hold more findings than this.
BLOCK_FINDINGS = 20_000
MIN_BLOCK_CHARS = 64 * 1024


@dataclass(frozen=True, kw_only=True)
class FixOptions:
    """Which edits a run applies."""

    accept: frozenset[Safety] = frozenset({Safety.AUTO})  # the safeties applied unasked
    select: tuple[str, ...] = ()  # rule ids or id prefixes ("calques." or "calques")
    ignore: tuple[str, ...] = ()

    def wants(self, rule_id: str) -> bool:
        """Whether this rule takes part in the run at all."""
        if self.select and not any(id_matches(rule_id, s) for s in self.select):
            return False
        return not any(id_matches(rule_id, s) for s in self.ignore)


# Every edit of every rule applied (no safety held back): what review proposes, and what
# the rule checks and examples look at.
EVERYTHING = FixOptions(accept=frozenset(Safety))


def id_matches(rule_id: str, selector: str) -> bool:
    prefix = selector.rstrip(".:")
    return rule_id == selector or rule_id.startswith((prefix + ".", prefix + ":"))


class Engine:
    """A compiled RuleSet: matchers built once, then used on any number of texts."""

    def __init__(
        self, rules: RuleSet, *, check: bool = True, grammar: GrammarConfig | None = None
    ) -> None:
        self.rules = rules
        with paused_gc():  # compiled rules live as long as the engine
            built = build_matchers(rules)
        self.matchers: list[Matcher] = built.matchers
        self._literal = built.shared.literal  # the settle check's: every literal form
        # The grammar check's settings, with the server it found (None: no grammar check).
        self.grammar: GrammarConfig | None = None
        if grammar is not None:  # optional extra: LanguageTool through language-tool-python
            from cleanup.matchers.grammar import GrammarMatcher

            matcher = GrammarMatcher(grammar, rules)
            self.grammar = matcher.config
            self.matchers.append(matcher)
        # The matchers that look again where a fix exposes another: all but the grammar
        # check, whose edits are never made unasked and which costs a server call.
        self.local_matchers = self.matchers[: len(self.matchers) - (self.grammar is not None)]
        # Literal replacements that can begin or end another literal form.
        self.joinable = joinable_replacements(
            (k.find, k.replace) for r in rules.rules for k in keys_of(r)
        )
        self._exceptions = {r.id: r.exceptions for r in rules.rules if r.exceptions}
        # Whether any rule reads whole lines (a regex, a structure fixer): only then can a
        # swap on a short line make it equal to a line near it.
        self.lines_compared = any(isinstance(r, PatternRule | StructureRule) for r in rules.rules)
        if check:
            for problem in self.unsettled():
                raise problem

    def find_edits(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
        matchers: Sequence[Matcher] | None = None,
    ) -> list[Edit]:
        """Every edit any matcher proposes for matches starting in ``[start, stop)``.

        ``base`` is the position of ``text[0]`` in the whole input; edits carry whole-input
        offsets. ``state`` carries the matchers' progress from one block of an input to
        the next. ``matchers`` narrows the search to those (default: all).
        """
        found: list[Edit] = []
        # Its bytes are encoded once, for every matcher that reads them, and let go when
        # they are done with it (an input's text is a Block already: it is not copied).
        block = text if isinstance(text, Block) else Block(text)
        try:
            for matcher in self.matchers if matchers is None else matchers:
                found.extend(matcher.find(block, start, stop, base, state))
        finally:
            block.release()
        if self._exceptions:
            found = [e for e in found if not self._excepted(text, e, base)]
        return found

    def _excepted(self, text: str, edit: Edit, base: int) -> bool:
        """Whether the edit falls inside one of its rule's exceptions."""
        a, b = edit.start - base, edit.end - base
        # A near-miss of a name keeps to the exceptions of the name's rule.
        for exception in self._exceptions.get(edit.rule, ()):
            # An occurrence that covers [a, b) starts in [b - len, a].
            i = text.find(exception, max(0, b - len(exception)), a + len(exception))
            while i != -1:
                if i + len(exception) >= b:
                    return True
                i = text.find(exception, i + 1, a + len(exception))
        return False

    def fix_text(self, text: str, options: FixOptions | None = None) -> FixResult:
        """Clean a text held in memory."""
        pieces: list[str] = []
        result = self.fix_stream([text], pieces.append, options)
        result.text = "".join(pieces)
        return result

    def fix_stream(
        self,
        chunks: Iterable[str],
        write: Callable[[str], None],
        options: FixOptions | None = None,
        emit: Callable[[Finding], None] | None = None,
        *,
        tally: Tally | None = None,
    ) -> FixResult:
        """Clean text arriving in chunks, writing the cleaned text as it is settled.

        With ``emit``, each finding goes to it as it is made, in text order, and the
        result's list of findings stays empty: memory does not grow with their number.
        With ``tally`` instead, each block's applied edits (in order) and its other
        findings (edit, status, reason) go to it, without the line and column a finding
        carries: for a run that only counts them, and keeps the applied edits.
        """
        return _Stream(self, options or FixOptions(), write, emit, tally).run(chunks)

    def unsettled(self) -> Iterator[RuleError]:
        """Literal replacements that another rule would rewrite: such fixes never settle.

        Every distinct replacement is checked in one scan: they are joined by line breaks,
        which no literal form spans.
        """
        owners: dict[str, tuple[str, LiteralKey]] = {}
        for rule in self.rules.rules:
            for key in keys_of(rule):
                if key.replace and "\n" not in key.replace:
                    owners.setdefault(key.replace, (rule.id, key))
        if not owners:
            return
        replacements = list(owners)
        joined = "\n".join(replacements)
        starts = list(itertools.accumulate((len(r) + 1 for r in replacements), initial=0))
        for other in self._literal.find(joined):
            rule_id, key = owners[replacements[bisect.bisect_right(starts, other.start) - 1]]
            cycle = " (a cycle)" if other.replacement == key.find else ""
            msg = (
                f"replacement '{key.replace}' of rule '{rule_id}' would itself be "
                f"rewritten by rule '{other.rule_id}' ('{other.original}' -> "
                f"'{other.replacement}'){cycle}, so the fix would not settle"
            )
            yield RuleError(msg, key.source)


class _Stream:
    """Block-by-block fixing with overlap; edits are found on the original text only."""

    def __init__(
        self,
        engine: Engine,
        options: FixOptions,
        write: Callable[[str], None],
        emit: Callable[[Finding], None] | None = None,
        tally: Tally | None = None,
    ) -> None:
        self.engine = engine
        self.options = options
        self.write = write
        self.result = FixResult()
        self.emit = emit or self.result.findings.append
        self.tally = tally
        self.state: dict[str, int] = {}  # the matchers' progress through this input
        self.buf = ""
        self.base = 0  # whole-input offset of buf[0]
        self.done = 0  # buf offset up to which output is written
        self.line = 1  # line number at buf[0]
        self.line_start = 0  # whole-input offset where the line holding buf[0] starts
        self.size = BLOCK_CHARS  # the next block's size: smaller where edits are dense

    def run(self, chunks: Iterable[str]) -> FixResult:
        try:
            for chunk in chunks:
                at = 0
                while at < len(chunk):  # a block is what the buffer holds: fill it to size
                    room = max(1, self.size + OVERLAP_CHARS - (len(self.buf) - self.done))
                    piece = chunk if not at and len(chunk) <= room else chunk[at : at + room]
                    at += len(piece)
                    self.buf += piece
                    while len(self.buf) - self.done >= self.size + OVERLAP_CHARS:
                        self._block(len(self.buf) - OVERLAP_CHARS)
            self._block(len(self.buf))
        except UnicodeEncodeError as exc:  # a lone surrogate: no text a file can hold
            at = self.base + exc.start
            raise InputError(
                f"the text holds a lone surrogate (U+{ord(exc.object[exc.start]):04X}) at "
                f"character {at}, which is not Unicode text"
            ) from None
        return self.result

    def _block(self, stop: int) -> None:
        # The buffer becomes the Block the matchers scan, rather than being copied into
        # one at each search of it.
        self.buf = Block(self.buf)
        buf, start, accept = self.buf, self.done, self.options.accept
        found, applied, dropped, cut = self._settle(start, stop)
        joinable = self.engine.joinable
        applied = settle_exposed(
            buf,
            applied,
            start,
            cut,
            self.base,
            self._applicable,
            CONTEXT_CHARS,
            joinable,
            lines_compared=self.engine.lines_compared,
        )
        waiting = [e for e in found if e.safety not in accept or e.original == e.replacement]
        blocked: list[Edit] = []
        free: list[Edit] = []
        starts = [e.start for e in applied]
        for e in waiting:
            (blocked if _touches_any(e, applied, starts) else free).append(e)
        pending, pending_dropped = resolve(free)
        self.write(apply_edits(buf, applied, start, cut, self.base))
        others = [(e, Status.PENDING, "") for e in pending]
        others += [(d.edit, Status.DROPPED, d.reason) for d in dropped + pending_dropped]
        others += [(e, Status.DROPPED, "overlaps an applied edit") for e in blocked]
        self._record(applied, others)
        self._advance(cut)
        # A block's findings are held while it settles: keep their number near
        # BLOCK_FINDINGS, so memory stays flat on text with an edit on every line.
        count = len(applied) + len(others)
        if count > BLOCK_FINDINGS:
            self.size = max(MIN_BLOCK_CHARS, self.size * BLOCK_FINDINGS // count)
        elif count < BLOCK_FINDINGS // 4:
            self.size = min(BLOCK_CHARS, self.size * 2)

    def _settle(self, start: int, stop: int) -> tuple[list[Edit], list[Edit], list[Dropped], int]:
        """The edits found from ``start`` on, those applied and those they displaced, and
        where the block ends: where its last applied edit ends. Edits that start between
        the block's stop and that end are found and settled with the block: a later block
        starts past them and would never see them."""
        buf, base, options = self.buf, self.base, self.options
        accept = options.accept
        found: list[Edit] = []
        scanned, cut = start, stop
        while True:
            more = self.engine.find_edits(buf, scanned, cut, base, self.state)
            if options.select or options.ignore:
                more = [e for e in more if options.wants(e.rule_id)]
            found += more
            found = _release_held(found, accept)
            # A finding that only shows something (its replacement is the text itself)
            # is never applied, whatever the options: it waits for a person.
            applied, dropped = resolve(
                e for e in found if e.safety in accept and e.original != e.replacement
            )
            scanned, cut = cut, max([cut, *(e.end - base for e in applied)])
            if cut <= scanned:
                return found, applied, dropped, cut

    def _applicable(self, text: str) -> list[Edit]:
        """The edits this run would apply to ``text``, a text of its own."""
        options = self.options
        return [
            e
            for e in self.engine.find_edits(text, matchers=self.engine.local_matchers)
            if e.safety in options.accept
            and e.original != e.replacement
            and not e.message.startswith(HELD_NOTE)
            and options.wants(e.rule_id)
        ]

    def _record(self, applied: list[Edit], others: list[tuple[Edit, Status, str]]) -> None:
        """Emit the block's findings in text order: the applied edits (in order already)
        and the others (pending and dropped), each with its line and column; or, to a
        tally, the block's edits as they are."""
        if self.tally is not None:
            self.tally(applied, others)
            return
        buf, base, emit = self.buf, self.base, self.emit
        statuses: Iterable[tuple[Edit, Status, str]] = ((e, Status.APPLIED, "") for e in applied)
        if others:
            statuses = sorted([*statuses, *others], key=lambda s: (s[0].start, s[0].end))
        line, pos = self.line, 0
        for edit, status, reason in statuses:
            at = edit.start - base
            line += buf.count("\n", pos, at)
            pos = at
            nl = buf.rfind("\n", 0, at)
            column = at - nl if nl >= 0 else base + at - self.line_start + 1
            emit(Finding(edit, line, column, status, reason))

    def _advance(self, cut: int) -> None:
        keep = max(0, cut - CONTEXT_CHARS)
        nl = self.buf.rfind("\n", 0, keep)
        if nl >= 0:
            self.line_start = self.base + nl + 1
        self.line += self.buf.count("\n", 0, keep)
        self.base += keep
        self.buf = self.buf[keep:]
        self.done = cut - keep


def _release_held(found: list[Edit], accept: frozenset[Safety]) -> list[Edit]:
    """House-style edits that the literal matcher held back, made where another edit
    that the run applies writes the same name (its near-miss put right), and dropped
    elsewhere: either way the block ends with one spelling of each name."""
    held = [e for e in found if e.message.startswith(HELD_NOTE)]
    if not held:
        return found
    written: dict[str, set[str]] = {}  # name -> the surnames near-miss fixes write
    for e in found:
        if e.finder is Finder.FUZZY and e.safety in accept:
            surname = e.replacement.rsplit(" ", 1)[-1].lower()
            written.setdefault(e.rule, set()).add(surname)
    kept = [e for e in found if not e.message.startswith(HELD_NOTE)]
    for e in held:
        if written.get(e.rule, set()) - {e.original.rsplit(" ", 1)[-1].lower()}:
            kept.append(e._replace(message=e.message[len(HELD_NOTE) :]))
    return kept


def _touches_any(edit: Edit, applied: list[Edit], starts: list[int]) -> bool:
    """Whether ``edit`` shares text with any of ``applied`` (sorted, not overlapping), whose
    starts are ``starts``."""
    i = bisect.bisect_right(starts, edit.start)
    return any(
        (a.start < edit.end and edit.start < a.end) or a.start == edit.start
        for a in applied[max(0, i - 1) : i + 1]
    )

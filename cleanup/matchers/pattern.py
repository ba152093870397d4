"""Regular-expression rules (patterns and regex removals), run with a time limit.

Patterns use the ``regex`` package: variable-length lookbehind, and a timeout so that a
catastrophic pattern stops with an error naming its rule instead of hanging a run.
A replacement is first expanded from the match's groups, then any known wrong form of a
name inside it is put right, so a pattern never writes back a spelling a name rule fixes.
A pattern with a literal trigger (cleanup.matchers.trigger) is searched only around the
places where its trigger occurs, found for all patterns in one pass. A pattern that calls
groups defined in ``(?(DEFINE)...)`` has its calls written out (cleanup.matchers.calls)
once it has been searched over enough text to pay for compiling the longer regex.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

import regex

from cleanup.apply import apply_edits
from cleanup.casing import preserve_case
from cleanup.edit import Edit, Kind, Safety
from cleanup.errors import RuleError
from cleanup.matchers.calls import anchored_at_start, inline_calls, may_call
from cleanup.matchers.trigger import (
    Lines,
    Scanner,
    Trigger,
    core_windows,
    finditer_in,
    line_starts,
    match_at,
    search_in,
    trigger_for,
    windows,
)
from cleanup.resolve import resolve
from cleanup.ruleset import cache
from cleanup.ruleset.macros import MACRO_GROUP, expand_macros
from cleanup.ruleset.model import CaseMode, PatternRule

if TYPE_CHECKING:
    from cleanup.matchers.base import Shared
    from cleanup.names.index import NameIndex
    from cleanup.ruleset.model import RuleSet

PATTERN_TIMEOUT_SECONDS = 5.0
# Replacements whose inner fixes are remembered (the memory starts afresh when full).
INNER_MEMO = 4096
# Characters a pattern with group calls is searched over, in all, before its calls are
# written out: compiling the written-out regex costs about as much as searching this many
# characters faster saves. Counted, not timed, so that a run does the same work each time.
WRITE_OUT_AFTER = 512 * 1024


class _Compiled(NamedTuple):
    rule: PatternRule
    source: str  # the regex, its macros stood in for
    # The same regex with the words of its macros captured, to check them on each match;
    # None for a regex without macros.
    with_words: str | None
    # Where the pattern can match (None: anywhere, searched whole).
    trigger: Trigger | None


class _Regexes(NamedTuple):
    plain: regex.Pattern[str]
    checked: regex.Pattern[str] | None


Windows = list[tuple[int, int, int]] | None


class PatternMatcher:
    """Runs each regex rule over the text; edits are trimmed to the characters that change."""

    def __init__(
        self,
        rules: Sequence[PatternRule],
        index: NameIndex,
        normalize: Callable[[str, str], str] = lambda s, _: s,
        *,
        prefilter: bool = True,
    ) -> None:
        self._surnames = index.surname_forms
        self._folded = {s.casefold() for s in self._surnames}
        self._compiled = []
        small = [s for s in self._surnames if not s[:1].isupper()]
        for rule in rules:
            try:
                source = expand_macros(rule.regex, small=small)
                with_words = expand_macros(rule.regex, capture=True, small=small)
            except ValueError as exc:  # pragma: no cover - checked at load
                raise RuleError(f"regex does not compile: {exc}", rule.source) from None
            self._compiled.append(
                _Compiled(rule, source, with_words if with_words != source else None, None)
            )
        # Each regex is compiled when a text first needs it, a pattern whose trigger a
        # run's texts never hold costing nothing; or, where the rule-file cache is on,
        # every one is read from it compiled (see compiled_for).
        self._regexes: list[_Regexes | None] = (
            compiled_for(self._compiled) if cache.enabled() else [None] * len(self._compiled)
        )
        # Characters each pattern has been searched over while its group calls could be
        # written out; -1 once written out, or when there is nothing to write out.
        self._searched = [0 if may_call(c.source) else -1 for c in self._compiled]
        if prefilter:
            triggers = triggers_for([c.source for c in self._compiled])
            self._compiled = [
                c._replace(trigger=t) for c, t in zip(self._compiled, triggers, strict=True)
            ]
        self._cores: list[regex.Pattern[str] | None] = [  # see Trigger.core
            regex.compile(c.trigger.core) if c.trigger is not None and c.trigger.core else None
            for c in self._compiled
        ]
        self._normalize = normalize
        self._fixed_in: str | None = None  # the text the replacements below were fixed in
        self._fixed: dict[str, str] = {}
        self._inner_done: dict[tuple[int, str], str] = {}  # see _inner_fixes
        # Trigger positions of the last text scanned (the same block is searched again
        # when its end moves on).
        self._scanner = Scanner([c.trigger.literals if c.trigger else None for c in self._compiled])
        self._last: tuple[str, list[list[tuple[int, int]]], Lines] | None = None
        self._prefiltered = any(c.trigger is not None for c in self._compiled)

    def _regex(self, index: int, size: int = 0) -> _Regexes:
        """The compiled regexes of pattern ``index``, compiled on first use, for a search
        of ``size`` characters. The plain regex has its group calls written out once the
        pattern's searches come to WRITE_OUT_AFTER characters (never for a regex anchored
        at the start of the text: it is tried at one place only)."""
        done = self._regexes[index]
        rule, source, with_words, _ = self._compiled[index]
        searched = self._searched[index]
        plain = None
        if searched >= 0:
            searched += size
            if searched >= WRITE_OUT_AFTER:
                searched = -1
                written = inline_calls(source)
                if written != source and not anchored_at_start(source):
                    plain = _compile(written, rule)
            self._searched[index] = searched
        if done is None:
            checked = _compile(with_words, rule) if with_words is not None else None
            done = _Regexes(plain or _compile(source, rule), checked)
        elif plain is not None:
            done = done._replace(plain=plain)
        else:
            return done
        self._regexes[index] = done
        return done

    def _normalized(self, replacement: str, text: str) -> str:
        """``normalize(replacement, text)``, worked out once per replacement and text
        (most replacements are the same few words and signs)."""
        if self._fixed_in is not text:
            self._fixed_in, self._fixed = text, {}
        done = self._fixed.get(replacement)
        if done is None:
            done = self._fixed[replacement] = self._normalize(replacement, text)
        return done

    def _hits(self, text: str) -> tuple[list[list[tuple[int, int]]], Lines]:
        if self._last is None or self._last[0] is not text:
            self._last = None  # the last text's positions go before this one's are found
            self._last = (text, self._scanner.hits(text), Lines(text))
        return self._last[1], self._last[2]

    @classmethod
    def from_ruleset(cls, rules: RuleSet, shared: Shared) -> PatternMatcher | None:
        """The regex rules of the set, their replacements' literal fixes made by ``shared``."""
        regexes = [r for r in rules.rules if isinstance(r, PatternRule)]
        return cls(regexes, rules.index, shared.fix_literals) if regexes else None

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]:
        """Edits for matches that start in ``[start, stop)``.

        With ``state``, each rule's search starts no earlier than the end of its last
        match in an earlier call (whole-input offsets, kept under the rule's id), so that
        blocks searched one after another find what one search of the whole input finds.
        """
        stop = len(text) if stop is None else stop
        hits, lines = self._hits(text) if self._prefiltered else (None, Lines(text))
        for index, (rule, _, _, trigger) in enumerate(self._compiled):
            core = self._cores[index]
            if core is None and trigger is not None and hits is not None and not hits[index]:
                continue  # its trigger is nowhere in the text
            pos = start
            if state is not None:
                pos = max(start, min(stop, state.get(rule.id, 0) - base))
            wins: Windows = None
            starts: list[int] | None = None
            plain, checked = self._regex(index, stop - pos)
            try:
                if core is not None and trigger is not None:
                    found = core.finditer(
                        text, pos, overlapped=True, timeout=PATTERN_TIMEOUT_SECONDS
                    )
                    wins = core_windows(lines, [m.start() for m in found], trigger, pos, stop)
                elif trigger is not None and hits is not None:
                    if trigger.line_start:
                        starts = line_starts(text, hits[index], pos, stop)
                    else:
                        wins = windows(lines, hits[index], trigger, pos, stop)
                if starts is not None and checked is None:
                    matches = match_at(plain, text, starts, pos, PATTERN_TIMEOUT_SECONDS)
                elif starts is not None and checked is not None:
                    # a checked regex at line starts: a window of one position each
                    spots = [(s, s + 1, len(text)) for s in starts]
                    matches = self._checked_matches(plain, checked, text, pos, stop, spots)
                elif checked is not None:
                    matches = self._checked_matches(plain, checked, text, pos, stop, wins)
                elif wins is not None:
                    matches = finditer_in(plain, text, wins, pos, PATTERN_TIMEOUT_SECONDS)
                else:
                    matches = plain.finditer(text, pos=pos, timeout=PATTERN_TIMEOUT_SECONDS)
                for m in matches:
                    if m.start() >= stop:
                        break
                    if state is not None:
                        state[rule.id] = base + max(m.end(), m.start() + 1)
                    edit = self._edit(rule, m, base, text)
                    if edit is not None:
                        yield edit
            except TimeoutError:
                msg = (
                    f"pattern '{rule.id}' took over {PATTERN_TIMEOUT_SECONDS:g} s on one block "
                    "of text (catastrophic backtracking?); simplify its regex"
                )
                raise RuleError(msg, rule.source) from None

    def _checked_matches(
        self,
        plain: regex.Pattern[str],
        checked: regex.Pattern[str],
        text: str,
        pos: int,
        stop: int,
        wins: Windows = None,
    ) -> Iterator[regex.Match[str]]:
        """Matches whose macro words are what the macros stand for (every word a surname);
        a match with another word is passed over and the search goes on after its start.
        With ``wins``, only matches that start in those windows are looked for."""
        deadline = time.monotonic() + PATTERN_TIMEOUT_SECONDS
        fold = bool(plain.flags & regex.IGNORECASE)
        while pos <= len(text):
            left = max(0.0, deadline - time.monotonic())
            m = (
                plain.search(text, pos, timeout=left)
                if wins is None
                else search_in(plain, text, wins, pos, left)
            )
            if m is None or m.start() >= stop:
                return
            words = checked.match(text, m.start(), timeout=PATTERN_TIMEOUT_SECONDS)
            if words is not None and self._all_surnames(words, fold):
                yield m
                pos = m.end() if m.end() > m.start() else m.start() + 1
            else:
                pos = m.start() + 1

    def _all_surnames(self, m: regex.Match[str], fold: bool) -> bool:
        for name, word in m.groupdict().items():
            if word is None or not name.startswith(MACRO_GROUP):
                continue
            if word not in self._surnames and not (fold and word.casefold() in self._folded):
                return False
        return True

    def _edit(self, rule: PatternRule, m: regex.Match[str], base: int, text: str) -> Edit | None:
        found = m.group(0)
        replacement = (
            ""
            if rule.kind is Kind.REMOVAL
            else self._inner_fixes(self._normalized(m.expand(rule.replace), text), rule)
        )
        if rule.case is CaseMode.PRESERVE:
            replacement = preserve_case(found, replacement)
        a, b, before, after = trim_common(m.start() + base, found, replacement)
        if before == after:
            return None
        return Edit(a, b, before, after, rule.id, rule.kind, rule.safety, rule.source)

    def _inner_fixes(self, replacement: str, outer: PatternRule) -> str:
        """The other patterns' automatic fixes inside a replacement, made in one pass:
        an edit that swallows another carries its fix ("(the three-sided statement -
        Ed.)" becomes "[the trilateral statement]", not "[the three-sided statement]").
        They depend on the replacement and its rule alone, and the same few replacements
        come back again and again: each is worked out once."""
        if len(replacement) < 8 or " " not in replacement:
            return replacement  # punctuation, a word: no phrase for another rule inside
        key = (id(outer), replacement)
        done = self._inner_done.get(key)
        if done is None:
            if len(self._inner_done) >= INNER_MEMO:
                self._inner_done.clear()
            done = self._inner_done[key] = self._inner_fixes_of(replacement, outer)
        return done

    def _inner_fixes_of(self, replacement: str, outer: PatternRule) -> str:
        inner = []
        end = len(replacement)
        hits = self._scanner.hits(replacement) if self._prefiltered else None
        for index, (rule, _, _, trigger) in enumerate(self._compiled):
            if rule is outer or rule.safety is not Safety.AUTO or rule.kind is Kind.REMOVAL:
                continue
            wins: Windows = None
            if trigger is not None and hits is not None and trigger.core is None:
                if not hits[index]:
                    continue
                if trigger.line_start:
                    wins = [(s, s + 1, end) for s in line_starts(replacement, hits[index], 0, end)]
                else:
                    wins = windows(Lines(replacement), hits[index], trigger, 0, end)
            plain, checked = self._regex(index)
            if checked is not None:
                matches = self._checked_matches(plain, checked, replacement, 0, end, wins)
            elif wins is not None:
                matches = finditer_in(plain, replacement, wins, 0, PATTERN_TIMEOUT_SECONDS)
            else:
                matches = plain.finditer(replacement, timeout=PATTERN_TIMEOUT_SECONDS)
            for m in matches:
                expanded = self._normalize(m.expand(rule.replace), replacement)
                if rule.case is CaseMode.PRESERVE:
                    expanded = preserve_case(m.group(0), expanded)
                a, b, before, after = trim_common(m.start(), m.group(0), expanded)
                if before != after:
                    inner.append(Edit(a, b, before, after, rule.id, rule.kind, rule.safety))
        if not inner:
            return replacement
        kept, _ = resolve(inner)
        return apply_edits(replacement, kept)


def _compile(source: str, rule: PatternRule) -> regex.Pattern[str]:
    try:
        return regex.compile(source)
    except regex.error as exc:  # pragma: no cover - checked at load
        raise RuleError(f"regex does not compile: {exc}", rule.source) from None


def compiled_for(patterns: Sequence[_Compiled]) -> list[_Regexes | None]:
    """The patterns' regexes compiled, kept in the rule-file cache: a compiled regex
    pickles as the code ``regex`` compiled it to, so it is read back without parsing the
    regex again, which is most of what compiling costs (and most of the time a run on
    one article spends searching). The entry is made of every regex of the set at once,
    and is named by the regexes and the version of ``regex``."""
    sources = [f"regex {regex.__version__}"]
    for c in patterns:
        sources += [c.source, c.with_words or ""]
    joined = "\0".join(sources).encode("utf-8", "surrogatepass")

    def build() -> list[_Regexes | None]:
        return [
            _Regexes(
                _compile(c.source, c.rule),
                _compile(c.with_words, c.rule) if c.with_words is not None else None,
            )
            for c in patterns
        ]

    found = cache.remember(joined, "compiled patterns", build, list)
    if len(found) != len(patterns) or not all(isinstance(r, _Regexes) for r in found):
        return [None] * len(patterns)  # pragma: no cover - a foreign entry: compile as needed
    return found


def triggers_for(sources: list[str]) -> list[Trigger | None]:
    """The triggers of these regexes, kept in the rule-file cache: reading them from the
    regexes' syntax costs more than the rest of the start-up of a run with few files."""
    joined = "\0".join(sources).encode("utf-8", "surrogatepass")
    found = cache.remember(
        joined, "pattern triggers", lambda: [trigger_for(s) for s in sources], list
    )
    if len(found) != len(sources) or not all(t is None or isinstance(t, Trigger) for t in found):
        return [trigger_for(s) for s in sources]  # pragma: no cover - a foreign entry
    return found


def trim_common(start: int, found: str, replacement: str) -> tuple[int, int, str, str]:
    """Shrink an edit to the words that change, so that nearby edits do not collide.

    The shared start and end are cut off at word boundaries only, so the edit still
    reads as whole words.

    >>> trim_common(10, "Pashinian Prime Minister", "Prime Minister Pashinyan")
    (10, 34, 'Pashinian Prime Minister', 'Prime Minister Pashinyan')
    >>> trim_common(0, "the words, the words", "the words")
    (9, 20, ', the words', '')
    >>> trim_common(0, "three-way talks", "trilateral talks")
    (0, 9, 'three-way', 'trilateral')
    """
    limit = min(len(found), len(replacement))
    p = 0
    while p < limit and found[p] == replacement[p]:
        p += 1
    while 0 < p < len(found) and _inside_word(found, p):
        p -= 1
    s = 0
    while s < limit - p and found[-1 - s] == replacement[-1 - s]:
        s += 1
    while 0 < s and _inside_word(found, len(found) - s):
        s -= 1
    return (
        start + p,
        start + len(found) - s,
        found[p : len(found) - s],
        replacement[p : len(replacement) - s],
    )


def _inside_word(text: str, i: int) -> bool:
    """Whether position ``i`` falls between two word characters."""
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()

"""Every literal form of every rule (names, phrases, removals) in one Aho-Corasick pass.

The automaton runs over the UTF-8 bytes of the text with ASCII letters lower-cased (that
is several times faster than over a Python ``str``); each hit is checked for word
boundaries and for the case its rule asks for, and only hits that hold are turned into
character offsets. The cost hardly grows with the number of forms, which keeps packs of
tens of thousands of rules fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick_rs

from cleanup.casing import preserve_case
from cleanup.collector import paused_gc
from cleanup.edit import Edit, Safety
from cleanup.matchers.bytescan import encode
from cleanup.names.context import (
    Context,
    context_before,
    in_running_text,
    namesakes,
    take_given_name,
)
from cleanup.ruleset.model import CaseMode, LiteralKey, LiteralRule

if TYPE_CHECKING:
    from cleanup.matchers.base import Shared
    from cleanup.ruleset.model import RuleSet

# Bytes that are not UTF-8 continuation bytes; deleting them counts the continuations.
_NOT_CONTINUATION = bytes(b for b in range(256) if not 0x80 <= b <= 0xBF)
# For ASCII bytes: whether they are word characters. Other bytes need the text itself.
_ASCII_WORD = [chr(b).isalnum() or b == 0x5F for b in range(128)]


@dataclass(frozen=True, slots=True)
class _Target:
    rule: LiteralRule
    key: LiteralKey


def fold(form: str) -> bytes:
    """The automaton's form of a key: UTF-8 with ASCII letters lower-cased.

    >>> fold("Gadrut"), fold("ÉTAT")
    (b'gadrut', b'\\xc3\\x89tat')
    """
    return form.encode("utf-8").lower()


def _case_forms(key: LiteralKey) -> set[str]:
    """Shapes of a case-preserving key with non-ASCII letters the byte folding cannot see."""
    if key.case is not CaseMode.PRESERVE or key.find.isascii():
        return {key.find}
    f = key.find
    shapes = {f, f.lower(), f.upper(), f[:1].upper() + f[1:].lower(), f.title()}
    # A change of case must not change the letters: "ﬁle".upper() is "FILE" and
    # "Maß".upper() is "MASS", which would make the rule match "file" and "mass".
    return {s for s in shapes if len(s) == len(f) and s.casefold() == f.casefold()}


_NON_WORD = re.compile(r"[^\w]")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class LiteralMatcher:
    """Finds every rule's literal forms, word-bounded, with case-aware replacements."""

    def __init__(self, rules: Sequence[LiteralRule]) -> None:
        # Every form makes objects that live as long as the matcher: the cyclic
        # collector's passes over them would cost more than making them.
        with paused_gc():
            by_key: dict[bytes, list[_Target]] = {}
            for rule in rules:
                for key in rule.keys:
                    find = key.find
                    if find.isascii():  # one shape: fold() of the form as written
                        folded = find.encode().lower()
                        targets = by_key.get(folded)
                        if targets is None:
                            by_key[folded] = [_Target(rule, key)]
                        elif all(t.key is not key for t in targets):
                            targets.append(_Target(rule, key))
                        continue
                    for form in _case_forms(key):
                        targets = by_key.setdefault(fold(form), [])
                        if not targets or all(t.key is not key for t in targets):
                            targets.append(_Target(rule, key))
            # Rules with house-style spellings: their canonical spellings are looked for
            # too (a target that makes no edit), so the block's spellings can be compared.
            for rule in rules:
                for spelling in {k.replace for k in rule.keys if k.house}:
                    marker = LiteralKey(spelling, spelling, CaseMode.EXACT, rule.source)
                    by_key.setdefault(fold(spelling), []).append(_Target(rule, marker))
            self._keys = list(by_key)
            # Key index -> (rule, spelling) for the rules with house-style spellings: the
            # spelling the text will have there once fixed ("Alexander Syrsky", a listed
            # wrong form, will read "Oleksandr Syrskyi"; a house-style form stays itself).
            self._spelling_of = {
                i: tuple(
                    {
                        (t.rule.id, fold(t.key.find if t.key.house else t.key.replace).decode())
                        for t in ts
                        if any(k.house for k in t.rule.keys)
                    }
                )
                for i, ts in enumerate(by_key.values())
                if any(k.house for t in ts for k in t.rule.keys)
            }
            # Exact-case targets are tried before case-preserving ones for the same letters.
            self._targets = [
                ts
                if len(ts) == 1
                else sorted(
                    ts,
                    key=lambda t: (t.key.find == t.key.replace, t.key.case is not CaseMode.EXACT),
                )
                for ts in by_key.values()
            ]
            keys = self._keys
            # Where a form's first or last byte is ASCII it is the whole character.
            self._word_start = [
                _ASCII_WORD[k[0]] if k[0] < 0x80 else _is_word(k.decode("utf-8")[0]) for k in keys
            ]
            # A form ending in an apostrophe ("Nakhichevan'", a Russian soft sign) must not
            # run into a following letter either.
            self._word_end = [
                _ASCII_WORD[k[-1]] or k[-1] == 0x27
                if k[-1] < 0x80
                else _is_word(k.decode("utf-8")[-1]) or k.endswith("’".encode())
                for k in keys
            ]
            # Whether a form has a word break inside, where a shorter form could start.
            self._inner_break = [
                not k[1:].isalnum() and _NON_WORD.search(k.decode("utf-8"), 1) is not None
                for k in keys
            ]
            self._any_inner_break = any(self._inner_break)
            self._namesakes: dict[tuple[str, str], set[str]] = {}
            # The last two texts asked about: a block, and a replacement inside it.
            self._context: list[tuple[str, dict[str, set[str]]]] = []
            self._longest = max(map(len, map(bytes.decode, keys)), default=0)
            self._automaton = (
                ahocorasick_rs.BytesAhoCorasick(
                    self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
                )
                if self._keys
                else None
            )

    @classmethod
    def from_ruleset(cls, rules: RuleSet, shared: Shared) -> LiteralMatcher:
        """The rule set's one literal matcher, made before every other matcher: they share
        it (see ``Shared``)."""
        return shared.literal

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
        context: str | None = None,
    ) -> Iterator[Edit]:
        """Edits for forms that start in ``[start, stop)``; text around them is context.

        ``context`` is a larger text that ``text`` stands in (a pattern's replacement in
        its block): the spellings of names it holds decide house-style edits too.
        """
        if self._automaton is None:
            return
        stop = len(text) if stop is None else stop
        # A guarded form seen as someone else's surname ("Yelena Lavrova") is left alone
        # everywhere in the block, so its edits wait until the block is read.
        blocked: set[str] = set()
        spellings: dict[str, set[str]] = {}
        self._namesakes = {}  # who else the block names, by given name
        edits = list(self._scan(text, start, stop, base, blocked, spellings, block=True))
        if context is not None:  # a text inside a larger one: its spellings count too
            for rule_id, found in self.spellings_in(context).items():
                spellings.setdefault(rule_id, set()).update(found)
        if len(edits) > 1 and self._any_inner_break:  # retries can find a form twice
            edits = list(dict.fromkeys(edits))
        if blocked:
            edits = [e for e in edits if e.original not in blocked]
        if not self._spelling_of:
            yield from edits
            return
        for e in edits:  # a house-style edit the text gives no reason for is held back
            yield e if _unified(e, spellings) else e._replace(message=HELD_NOTE + e.message)

    def _scan(
        self,
        text: str,
        start: int,
        stop: int,
        base: int,
        blocked: set[str],
        spellings: dict[str, set[str]],
        end: int | None = None,
        *,
        block: bool = False,
    ) -> Iterator[Edit]:
        if block:  # the block's bytes are shared with the other matchers
            data = encode(text, start, lower=True)
            ascii_only = len(data) == len(text) - start
        else:  # a retry inside one hit
            segment = text[start : min(len(text), stop + self._longest) if end is None else end]
            data = segment.encode("utf-8").lower()
            ascii_only = len(data) == len(segment)
        hits = self._automaton.find_matches_as_indexes(data)  # type: ignore[union-attr]
        if block and self._spelling_of:
            self._spellings(data, hits, spellings)
        last_byte = last_char = 0
        word_start, word_end, inner_break = self._word_start, self._word_end, self._inner_break
        size = len(data)
        for index, bs, be in hits:
            # Reject hits inside words on the bytes where the neighbour is ASCII, before
            # paying for character offsets, unless a shorter form may start inside.
            before = data[bs - 1] if bs else 0x20
            after = data[be] if be < size else 0x20
            inside = (word_start[index] and before < 0x80 and _ASCII_WORD[before]) or (
                word_end[index] and after < 0x80 and _ASCII_WORD[after]
            )
            if inside and not inner_break[index]:
                continue
            if ascii_only:
                a, b = start + bs, start + be
            else:
                last_char += (
                    bs - last_byte - len(data[last_byte:bs].translate(None, _NOT_CONTINUATION))
                )
                last_byte = bs
                a = start + last_char
                b = a + len(data[bs:be].decode("utf-8"))
            if a >= stop:
                break
            edit = None
            if not inside and not (
                # A non-ASCII neighbour may still be a letter: ask the text.
                (before >= 0x80 and word_start[index] and _is_word(text[a - 1]))
                or (after >= 0x80 and word_end[index] and _is_word(text[b]))
                or (not bs and word_start[index] and a > 0 and _is_word(text[a - 1]))
                or (be == size and word_end[index] and b < len(text) and _is_word(text[b]))
            ):
                edit = self._edit(text, a, b, index, base, blocked)
            if edit is not None:
                yield edit
            elif inner_break[index]:
                # The longest form here failed its boundary or case check; a shorter form
                # at the same start ("solar conflict" in "solar conflict zones"), or one
                # starting at a word break inside it, may still hold.
                yield from self._scan(text, a, a + 1, base, blocked, spellings, end=b - 1)
                yield from self._scan(text, a + 1, min(b, stop), base, blocked, spellings)

    def spellings_in(self, text: str) -> dict[str, set[str]]:
        """The spellings of names with house-style forms in ``text`` (the last two texts
        asked about are remembered: every replacement of a block asks about the same
        block, and a replacement's own replacements about it)."""
        for i, (seen, known) in enumerate(self._context):
            if seen is text:
                if i:
                    self._context.reverse()
                return known
        spellings: dict[str, set[str]] = {}
        if self._spelling_of and self._automaton is not None:
            data = text.encode("utf-8").lower()
            self._spellings(data, self._automaton.find_matches_as_indexes(data), spellings)
        self._context = [(text, spellings), *self._context[:1]]
        return spellings

    def _spellings(
        self, data: bytes, hits: list[tuple[int, int, int]], spellings: dict[str, set[str]]
    ) -> None:
        """The spellings of names with house-style forms that the block holds, whole
        words only (as lower-cased text), by rule id."""
        size = len(data)
        for index, bs, be in hits:
            owners = self._spelling_of.get(index)
            if owners is None:
                continue
            before = data[bs - 1] if bs else 0x20
            after = data[be] if be < size else 0x20
            if (before < 0x80 and _ASCII_WORD[before]) or (after < 0x80 and _ASCII_WORD[after]):
                continue
            for owner, spelling in owners:
                spellings.setdefault(owner, set()).add(spelling)

    def _edit(
        self, text: str, a: int, b: int, index: int, base: int, blocked: set[str]
    ) -> Edit | None:
        """The edit for the whole-word hit ``text[a:b]`` of form ``index``, if its case fits."""
        found = text[a:b]
        for target in self._targets[index]:
            key = target.key
            replacement: str | None = key.replace
            if not (key.case is CaseMode.PRESERVE and found.islower()):  # else: the common case
                replacement = _replacement(found, key)
            if replacement is None:
                continue
            if replacement == found:
                return None
            rule = target.rule
            safety = rule.safety
            if key.guard is not None:
                context = context_before(text, a, key.guard)
                if context is Context.OTHER_NAME:
                    blocked.add(found)
                    return None
                if context is not Context.OWN_NAME and safety is Safety.AUTO:
                    safety = Safety.REVIEW  # a man's case form or a woman's surname: ask
            note = key.note
            if key.address and found.count(" ") > 1:
                # News leaves the patronymic out; a name card or an encyclopedia's first
                # line ("... Putin (born 1952)") keeps it: shown there, never applied.
                note = "a full name with the Russian patronymic; news writes " + replacement
                if not in_running_text(text, a, b):
                    safety = Safety.SUGGEST
            elif key.address:
                given = found.split(" ", 1)[0]
                others = self._namesakes.get((rule.id, given))
                if others is None:
                    others = self._namesakes[rule.id, given] = namesakes(
                        text, given, _own_words(rule)
                    )
                if others:  # "his namesake: Vladimir Vladimirovich" may be someone else
                    safety, replacement = Safety.SUGGEST, found
                    note = (
                        "Russian form of address; the text also names "
                        + ", ".join(sorted(others))
                        + ": write the title and surname of the person meant"
                    )
            if key.before:
                a, found, replacement = take_given_name(text, a, found, replacement, key.before)
            if key.house:
                note = HOUSE_NOTE + (f" ({note})" if note else "")
            return Edit(
                a + base,
                b + base,
                found,
                replacement,
                rule.id,
                rule.kind,
                safety,
                key.source,
                1.0,
                note,
            )
        return None


def _own_words(rule: LiteralRule) -> frozenset[str]:
    """The one-word spellings of a name rule: its surname and the forms of it."""
    words = {k.replace for k in rule.keys if " " not in k.replace}
    words.update(k.find for k in rule.keys if " " not in k.find)
    return frozenset(words)


HOUSE_NOTE = "house-style spelling, unified with the other spelling in this text"
# A house-style edit that waits: the engine makes it only where another edit of the same
# name writes its canonical spelling into the block (a near-miss put right, say).
HELD_NOTE = "held: "


def _unified(edit: Edit, spellings: dict[str, set[str]]) -> bool:
    """Whether an edit stands: any edit but a house-style spelling's, which stands only
    where the text spells the same name another way too.

    Spellings differ where their last words differ ("Pashinian" and "Pashinyan" or
    "Nikol Pashinyan"), or where both are full names ("Sergey Lavrov" and "Sergei
    Lavrov"); a full name and its surname alone ("Sergey Lavrov", "Lavrov") do not.
    """
    if not edit.message.startswith(HOUSE_NOTE):
        return True
    own = fold(edit.original).decode("utf-8")
    surname = own.rsplit(" ", 1)[-1]
    for other in spellings.get(edit.rule_id, ()):
        if other == own:
            continue
        if other.rsplit(" ", 1)[-1] != surname or (" " in own and " " in other):
            return True
    return False


def _replacement(found: str, key: LiteralKey) -> str | None:
    """What ``found`` becomes under ``key``, or None when its case does not fit the key."""
    if key.case is CaseMode.PRESERVE:
        return preserve_case(found, key.replace)
    if found == key.find:
        return key.replace
    if found == key.find.upper() and any(c.islower() for c in key.find):
        return key.replace.upper()
    return None

"""Fixes that an applied edit exposes: the one-run answer to "run it twice".

Removing a "Read more" line can leave a title standing twice; dropping a doubled word can
put an article before a name; capitalising "president of" can lift the guard that kept a
name's case ending. A second run would find these, so a block finds them itself: the
matchers look again at the cleaned text, in a window around each edit that can expose
something, and what they find there that touches such an edit is folded into the
block's edits, still in offsets of the original text.

An edit that merely swaps one word for another (most literal fixes) exposes nothing that
was not there before, and gets no second look: the common run pays nothing for this.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from cleanup.apply import apply_edits
from cleanup.edit import Edit, Kind
from cleanup.resolve import resolve

# Rounds after the first: a fix that exposes a fix that exposes another is rare; three
# more rounds settle every chain seen, and bound the work on a pathological text.
MAX_ROUNDS = 3
# A window around an edit inside a line reaches this far, to the line's ends at most (a
# guard reads the words next to a name; a doubled word meets its neighbour)...
NEAR_REACH = 80
# ...and around an edit that removes text, touches a line break or stands on a short
# line, over the whole lines within this distance.
REACH = 600
# Each window carries this much more text on each side, read but never edited, so
# anchors and lookarounds at a cut window see the text that is really there.
MARGIN = 64
# A match this close to an edit's replacement reads it as context (a guard that looks at
# the words before a name); one further away was decided by the first look.
NEAR = 80
# A swap on a line this short (a title, a caption, a label) can make it equal to a line
# near it, which repeated-line rules remove: such a swap gets a second look too.
SHORT_LINE = 200
# An edit that adds, removes or moves a quotation mark changes how its paragraph's marks
# pair up, which paragraph-wide fixers read (a lost opening mark goes at the paragraph's
# start): its window is its whole paragraph, this far either side at most.
PARAGRAPH_REACH = 2000
QUOTE_MARKS = frozenset('"“”«»„')
# Between windows in one search: no rule matches across a private-use character on a
# line of its own.
_SEP = "\n\n\ue000\n\n"

Finder = Callable[[str], list[Edit]]


class _Region(NamedTuple):
    """An applied edit, and where its replacement lies in the cleaned block."""

    edit: Edit
    start: int  # in the cleaned block
    end: int


def may_expose(edit: Edit, joinable: frozenset[str] = frozenset()) -> bool:
    """Whether applying ``edit`` can make a match that was not there before.

    Removals, patterns and structure fixes change what stands next to what; a word
    swapped for one with other capitals changes what a guard sees; a replacement in
    ``joinable`` can begin or end another literal form. A like-for-like word swap does
    none of these.
    """
    if edit.kind in _CHANGING_KINDS:
        return True
    replacement = edit.replacement
    if not replacement.strip() or (joinable and replacement.casefold() in joinable):
        return True
    return edit.original[:1].isupper() != replacement[:1].isupper()


# Edits that change what stands next to what.
_CHANGING_KINDS = frozenset({Kind.PATTERN, Kind.REMOVAL, Kind.STRUCTURE})


def joinable_replacements(pairs: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The replacements (casefolded) of ``(find, replace)`` pairs whose last words begin
    another form, or whose first words end one: "solar conflict" -> "Karabakh conflict"
    next to a form "conflict zone" makes "Karabakh conflict zone" a match that was not
    there."""
    pairs = [(f.casefold(), r.casefold()) for f, r in pairs if r]
    heads: set[str] = set()  # the first words of forms of more than one word
    tails: set[str] = set()  # and their last words
    for form, _ in pairs:
        words = form.split()
        for k in range(1, len(words)):
            heads.add(" ".join(words[:k]))
            tails.add(" ".join(words[k:]))
    if not heads:
        return frozenset()
    found = set()
    for _, replacement in pairs:
        words = replacement.split()
        for k in range(len(words)):
            if " ".join(words[k:]) in heads or " ".join(words[: k + 1]) in tails:
                found.add(replacement)
                break
    return frozenset(found)


def settle_exposed(
    buf: str,
    applied: list[Edit],
    start: int,
    stop: int,
    base: int,
    find: Finder,
    context: int,
    joinable: frozenset[str] = frozenset(),
    *,
    lines_compared: bool = True,
) -> list[Edit]:
    """``applied`` (sorted edits of ``buf[start:stop]``) with the fixes they expose.

    ``find`` proposes the edits a run would apply to a text (nothing else: no review
    edits, none whose rule the run leaves out). ``context`` characters before ``start``
    are read as the text before the block, never edited. ``joinable`` is what
    ``joinable_replacements`` gives for the run's literal forms. ``lines_compared`` says
    whether the run has rules that read whole lines (regexes and structure fixers, such
    as the repeated-line removals); without them a swap on a short line exposes nothing
    more than one on a long line.
    """
    triggers = [
        e
        for e in applied
        if may_expose(e, joinable) or (lines_compared and _on_short_line(buf, e.start - base))
    ]
    for _ in range(MAX_ROUNDS):
        if not triggers:
            break
        applied, triggers = _round(buf, applied, triggers, start, stop, base, find, context)
    return applied


def _round(
    buf: str,
    applied: list[Edit],
    triggers: list[Edit],
    start: int,
    stop: int,
    base: int,
    find: Finder,
    context: int,
) -> tuple[list[Edit], list[Edit]]:
    """One more look; returns the edits and those of them that are new or grew."""
    lead = buf[max(0, start - context) : start]
    cleaned = lead + apply_edits(buf, applied, start, stop, base)
    regions = _regions(applied, start, base, len(lead))
    wanted = {id(e) for e in triggers}  # by identity: hashing an edit hashes all its fields
    chosen = [r for r in regions if id(r.edit) in wanted]
    spans = _windows(cleaned, chosen, len(lead))
    if not spans:
        return applied, []
    offsets: list[int] = []  # where each window's text starts in the joined search text
    at = 0
    for lo, _, _, hi in spans:
        offsets.append(at)
        at += hi - lo + len(_SEP)
    # The windows' own copies go once they are joined: they are not held in the search.
    joined = _SEP.join(cleaned[lo:hi] for lo, _, _, hi in spans)
    paragraphs = [_paragraph(cleaned, r, len(lead)) for r in chosen if _quotes(r.edit)]
    ends = [r.end for r in regions]
    found: list[Edit] = []
    for e in find(joined):
        i = bisect.bisect_right(offsets, e.start) - 1
        lo, first, last, _ = spans[i]
        s, t = e.start - offsets[i] + lo, e.end - offsets[i] + lo
        if not (first <= s and t <= last):
            continue
        # Near an edit; or a structure fix in the paragraph of an edit that moved a
        # quotation mark (how its marks pair up changed everywhere in it).
        paired = e.kind is Kind.STRUCTURE and any(a <= s and t <= b for a, b in paragraphs)
        if paired or _touches(s, t, regions, ends):
            found.append(e._replace(start=s, end=t))
    second, _ = resolve(found)
    if not second:
        return applied, []
    return _compose(buf, regions, second, cleaned, start, base, len(lead))


def _regions(applied: Sequence[Edit], start: int, base: int, lead: int) -> list[_Region]:
    regions: list[_Region] = []
    shift = lead - start  # cleaned position of an unchanged buf position, so far
    for e in applied:
        a = e.start - base + shift
        regions.append(_Region(e, a, a + len(e.replacement)))
        shift += len(e.replacement) - (e.end - e.start)
    return regions


def _quotes(edit: Edit) -> bool:
    """Whether ``edit`` adds, removes or moves a quotation mark."""
    return not QUOTE_MARKS.isdisjoint(edit.original) or not QUOTE_MARKS.isdisjoint(edit.replacement)


def _paragraph(cleaned: str, r: _Region, lead: int) -> tuple[int, int]:
    """The paragraph (line) of the cleaned block that holds ``r``, PARAGRAPH_REACH either
    side at most, and never into the text before the block."""
    first = max(lead, _line_start(cleaned, r.start, r.start - PARAGRAPH_REACH))
    return first, _line_end(cleaned, r.end, r.end + PARAGRAPH_REACH)


def _on_short_line(text: str, at: int) -> bool:
    """Whether position ``at`` of ``text`` is on a line of at most ``SHORT_LINE``."""
    end = text.find("\n", at, at + SHORT_LINE + 1)
    if end == -1:
        if len(text) - at > SHORT_LINE:
            return False
        end = len(text)  # the last line
    return end - text.rfind("\n", max(0, at - SHORT_LINE - 1), at) <= SHORT_LINE + 1


def _windows(
    cleaned: str, regions: Sequence[_Region], lead: int
) -> list[tuple[int, int, int, int]]:
    """Merged windows around ``regions``: (read from, edit from, edit to, read to)."""
    windows: list[tuple[int, int]] = []
    for r in regions:
        near = r.start == r.end or cleaned[r.start] == "\n" or cleaned[r.end - 1] == "\n"
        if near or _on_short_line(cleaned, r.start):
            # The whole lines around, as far as REACH goes: a removed line brings its
            # neighbours together; a title may stand again across a blank line.
            first, last = _whole_lines(cleaned, r.start - REACH, r.end + REACH, lead)
        else:
            first = max(lead, _line_start(cleaned, r.start, r.start - NEAR_REACH))
            last = _line_end(cleaned, r.end, r.end + NEAR_REACH)
        if _quotes(r.edit):
            p_first, p_last = _paragraph(cleaned, r, lead)
            first, last = min(first, p_first), max(last, p_last)
        windows.append((first, last))
    spans: list[tuple[int, int, int, int]] = []
    for first, last in sorted(windows):
        lo, hi = _outside_words(cleaned, max(0, first - MARGIN), min(len(cleaned), last + MARGIN))
        if spans and first <= spans[-1][2]:
            p_lo, p_first, p_last, p_hi = spans[-1]
            spans[-1] = (p_lo, p_first, max(last, p_last), max(hi, p_hi))
        else:
            spans.append((lo, first, last, hi))
    return spans


def _outside_words(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` widened (by MARGIN at most each side) so that it cuts no word in two:
    a cut word reads as another word ("Nikol Pashiny" names someone else)."""
    floor, ceiling = max(0, lo - MARGIN), min(len(text), hi + MARGIN)
    while floor < lo < len(text) and text[lo - 1].isalnum() and text[lo].isalnum():
        lo -= 1
    while 0 < hi < ceiling and text[hi - 1].isalnum() and text[hi].isalnum():
        hi += 1
    return lo, hi


def _whole_lines(text: str, lo: int, hi: int, lead: int) -> tuple[int, int]:
    """``[lo, hi)`` narrowed to the whole lines in it (to the block's ends where it
    reaches them)."""
    if lo <= lead:
        first = lead
    else:
        nl = text.find("\n", lo, hi)
        first = nl + 1 if nl >= 0 else lo
    if hi >= len(text):
        last = len(text)
    else:
        nl = text.rfind("\n", first, hi)
        last = nl + 1 if nl >= 0 else hi
    return first, last


def _line_start(text: str, at: int, floor: int) -> int:
    """The start of ``at``'s line, or ``floor`` when that is nearer."""
    nl = text.rfind("\n", max(0, floor), at)
    return nl + 1 if nl >= 0 else max(0, floor)


def _line_end(text: str, at: int, ceiling: int) -> int:
    """The end of ``at``'s line (after its line break), or ``ceiling`` when nearer."""
    ceiling = min(len(text), ceiling)
    nl = text.find("\n", at, ceiling)
    return nl + 1 if nl >= 0 else ceiling


def _touches(s: int, t: int, regions: Sequence[_Region], ends: Sequence[int]) -> bool:
    """Whether ``[s, t)`` of the cleaned block is near an applied edit's replacement
    (``ends``: where each of them ends).

    A match far from all of them stood in the original text with the same text around
    it; the first look saw it and decided.
    """
    i = bisect.bisect_left(ends, s - NEAR)
    return i < len(regions) and regions[i].start <= t + NEAR


def _compose(
    buf: str,
    regions: list[_Region],
    second: list[Edit],
    cleaned: str,
    start: int,
    base: int,
    lead: int,
) -> tuple[list[Edit], list[Edit]]:
    """Edits of the original that give ``cleaned`` with ``second`` applied.

    A new edit that shares text with applied ones merges with them into one edit over
    the original text they cover together.
    """
    ends = [r.end for r in regions]

    def original_at(p: int) -> int:
        """The original offset of cleaned position ``p``, outside every replacement."""
        j = bisect.bisect_right(ends, p) - 1
        while j >= 0 and regions[j].start == regions[j].end == p:
            j -= 1  # ends exactly where a removal was: before it
        if j < 0:
            return base + start + (p - lead)
        return regions[j].edit.end + (p - regions[j].end)

    def original_after(p: int) -> int:
        """Like ``original_at``, for a start: after a removal that lies at ``p``."""
        j = bisect.bisect_right(ends, p) - 1
        if j < 0:
            return base + start + (p - lead)
        return regions[j].edit.end + (p - regions[j].end)

    # New edits that meet the same applied edit go into one group with it.
    groups: list[tuple[list[Edit], list[int]]] = []
    for e in second:
        members = _members(regions, ends, e)
        if groups and members and groups[-1][1] and members[0] <= groups[-1][1][-1]:
            groups[-1][0].append(e)
            groups[-1][1].extend(k for k in members if k > groups[-1][1][-1])
        else:
            groups.append(([e], members))
    grown: list[Edit] = []
    used: set[int] = set()
    for news, members in groups:
        e = news[0]
        if used.intersection(members):
            continue  # meets an edit another group took: the next round looks again
        if not members:
            a = original_after(e.start)
            b = a if e.start == e.end else original_at(e.end)
            grown.append(e._replace(start=a, end=b, original=buf[a - base : b - base]))
            continue
        first, last = regions[members[0]], regions[members[-1]]
        s, t = min(e.start, first.start), max(news[-1].end, last.end)
        a = first.edit.start if s == first.start else original_after(s)
        b = last.edit.end if t == last.end else original_at(t)
        text = apply_edits(cleaned, news, s, t)
        rules = ", ".join(dict.fromkeys(regions[k].edit.rule_id for k in members))
        more = [f.rule_id for f in news[1:]]
        confidence = min(f.confidence for f in [*news, *(regions[k].edit for k in members)])
        grown.append(
            e._replace(
                start=a,
                end=b,
                original=buf[a - base : b - base],
                replacement=text,
                message=f"{e.message} (with {', '.join([*more, rules])})".lstrip(),
                confidence=confidence,
            )
        )
        used.update(members)
    result = grown + [r.edit for k, r in enumerate(regions) if k not in used]
    result.sort(key=lambda e: (e.start, e.end))
    return result, grown


def _members(regions: Sequence[_Region], ends: Sequence[int], e: Edit) -> list[int]:
    """The indexes of the regions that ``e`` (in cleaned offsets) overlaps or meets, in
    order: an empty one inside it, or any at the place where ``e`` is empty. Regions are
    in text order and do not overlap, so their starts and their ``ends`` both rise: the
    members are among those that end at ``e.start`` or later and start at ``e.end`` or
    earlier."""
    members = []
    k = bisect.bisect_left(ends, e.start)
    while k < len(regions) and regions[k].start <= e.end:
        r = regions[k]
        if (r.start < e.end and e.start < r.end) or r.start == r.end or e.start == e.end:
            members.append(k)
        k += 1
    return members

"""Structure fixers: what a regex cannot say well, written once in code and switched on
(with options) by a pack's ``structure:`` section.

- ``unbalanced-quotes``: a paragraph whose quotation marks do not pair up (shown only).
- ``lost-opening-quote``: a paragraph that is a quotation ending in its one quotation mark
  ('..., he said." with no opening mark) gets its opening mark.
- ``quote-style``: one quote style per document, curly or straight (the one it uses most,
  or the one the pack names).
- ``glued-words``: two words run together by scraping ("Pashinyansaid"), split where both
  halves are English words or known names.
- ``broken-words``: a word broken by a hyphen where a line was wrapped ("govern- ment"),
  joined when the whole is an English word or a known name and the part after the hyphen
  is no word on its own.
- ``foreign-fragments``: runs of Cyrillic left in an English text, shown, or removed when
  the pack says ``remove: true``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from cleanup.edit import Edit, Safety
from cleanup.english import is_common_word, is_word
from cleanup.ruleset.model import StructureRule

if TYPE_CHECKING:
    from cleanup.matchers.base import Shared
    from cleanup.names.index import NameIndex
    from cleanup.ruleset.model import RuleSet

# What a fixer finds: start, end, replacement, message, and whether the finding is sure
# enough to apply where the rule's safety is the fixer's default review (glued-words).
Finding = tuple[int, int, str, str, bool]

_PARAGRAPH = re.compile(r"[^\n]+")
_STRAIGHT = re.compile(r'"')
_CURLY = re.compile(r"[“”]")
# Words remembered as whole words, at most (see StructureMatcher.glued_words).
WHOLE_WORDS_KEPT = 200_000
_LONG_WORD = re.compile(r"\b[A-Za-z]{7,}\b")
# A word broken by a hyphen where a line was wrapped: "govern- ment", "govern-ment",
# "govern-\nment". The left part starts the word (any case), the right part is lower case.
# The hyphen is searched for first; the word before it is read back from there.
_BROKEN_WORD = re.compile(r"-(?<=[A-Za-z]{2}-)(?:[ \t]*\r?\n[ \t]*|[ \t]?)([a-z]{2,})\b")
_WORD_BEFORE = re.compile(r"[A-Za-z]+\Z")
# The one quotation mark of a paragraph, closing a quotation before its speaker:
# '..., the social infrastructure," Uali wrote.' The speaker is up to eight words ending in a
# verb of saying (or a verb of saying and up to eight words: '," said the minister').
_SAY = (
    r"(?:said|says|wrote|writes|added|noted|stressed|emphasized|emphasised|explained|"
    r"stated|told|concluded|continued|recalled|declared|announced|reported|replied|"
    r"answered|asked|insisted|warned|admitted|believes|thinks)"
)
_LOST_OPENING = re.compile(
    r'(?<=[\w)][,.!?…])(?P<q>["”]) (?:(?:[\w’\'.-]+ ){0,8}'
    + _SAY
    + r"|"
    + _SAY
    + r"(?: [\w’'.-]+){0,8})[.,;]"
)
_CYRILLIC = re.compile(r"[\u0400-\u04FF][\u0400-\u04FF0-9 .,:;!?()«»\"'-]*[\u0400-\u04FF.!?)»]")


class StructureMatcher:
    """Runs the structure fixers the loaded packs switch on."""

    def __init__(self, rules: Sequence[StructureRule], index: NameIndex) -> None:
        self._rules = list(rules)
        # Every one-word name or form, and what it is written as: a wrong form glued to
        # the next word comes out right when the words are split.
        self._names = index.word_fixes
        # Long words known to be one word (English, a name, an English word with an
        # ending): news repeats its words, and each is looked up once.
        self._whole: set[str] = set()

    @classmethod
    def from_ruleset(cls, rules: RuleSet, shared: Shared) -> StructureMatcher | None:
        """The structure fixers the set names."""
        fixers = [r for r in rules.rules if isinstance(r, StructureRule)]
        return cls(fixers, rules.index) if fixers else None

    def find(
        self,
        text: str,
        start: int = 0,
        stop: int | None = None,
        base: int = 0,
        state: dict[str, int] | None = None,
    ) -> Iterator[Edit]:
        """Edits for the fixers' findings that start in ``[start, stop)``."""
        stop = len(text) if stop is None else stop
        for rule in self._rules:
            fixer = _FIXER_FUNCTIONS[rule.fixer]
            for a, b, replacement, message, sure in fixer(
                self, text, start, stop, dict(rule.options)
            ):
                safety = Safety.AUTO if sure and rule.safety is Safety.REVIEW else rule.safety
                yield Edit(
                    a + base,
                    b + base,
                    text[a:b],
                    replacement,
                    rule.id,
                    rule.kind,
                    safety,
                    rule.source,
                    0.9,
                    message,
                )

    # -- fixers: each yields a Finding in text offsets ----------------------------------
    def unbalanced_quotes(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[Finding]:
        for m in _PARAGRAPH.finditer(text, _line_start(text, start)):
            if m.start() >= stop:
                break
            if m.start() < start:
                continue
            line = m.group()
            opening, closing = line.count("“"), line.count("”")
            straight = [q.start() for q in _STRAIGHT.finditer(line)]
            if len(straight) % 2:
                at = m.start() + straight[-1]
                yield at, at + 1, '"', "a quotation mark in this paragraph has no partner", False
            elif opening != closing:
                mark = "“" if opening > closing else "”"
                at = m.start() + line.rfind(mark)
                yield (
                    at,
                    at + 1,
                    mark,
                    "curly quotation marks in this paragraph do not pair up",
                    False,
                )

    def lost_opening_quote(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[Finding]:
        for m in _PARAGRAPH.finditer(text, _line_start(text, start)):
            if m.start() >= stop:
                break
            if m.start() < start:
                continue
            line = m.group()
            if sum(line.count(q) for q in '"“”«»„') != 1:
                continue
            close = _LOST_OPENING.search(line)
            if close is None:
                continue
            lead = len(line) - len(line.lstrip())
            if lead >= close.start() or not line[lead].isupper():
                continue  # the paragraph must open with a capitalised word
            mark = "“" if close.group("q") == "”" else '"'
            at = m.start() + lead
            yield at, at, mark, "a quotation closed in its paragraph was never opened", False

    def quote_style(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[Finding]:
        style = options.get("style", "majority")
        if style == "majority":  # decided over the whole block the fixer sees
            straight, curly = text.count('"'), len(_CURLY.findall(text))
            style = "curly" if curly > straight else "straight"
        if style == "straight":
            for m in _CURLY.finditer(text, start, stop):
                yield m.start(), m.end(), '"', "one quote style per document: straight", False
            return
        for m in _STRAIGHT.finditer(text, start, stop):
            opening = m.start() == 0 or text[m.start() - 1] in " \t\n([{—–-"
            mark = "“" if opening else "”"
            yield m.start(), m.end(), mark, "one quote style per document: curly", False

    def glued_words(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[Finding]:
        whole = self._whole
        for m in _LONG_WORD.finditer(text, start, stop):
            word = m.group()
            if word in whole:
                continue
            if is_word(word) or word in self._names or _is_inflected_word(word):
                if len(whole) >= WHOLE_WORDS_KEPT:
                    whole.clear()
                whole.add(word)
                continue
            split = self._split(word)
            if split:
                left, right = split
                fixed = self._names.get(left, left)
                right = self._names.get(right, right)
                message = f"'{left}' and '{right}' run together"
                sure = right in _SURE_AFTER and len(left) > 3 and left.lower() not in _ARCHAIC
                yield m.start(), m.end(), f"{fixed} {right}", message, sure

    def _split(self, word: str) -> tuple[str, str] | None:
        """Where something says the word was glued, not just that its halves are words.

        - a known name on the left and, on the right, a word that goes on a sentence
          ("Pashinyansaid", "Pashinyanhowever"), or a capitalised word ("GadrutVice");
        - a word on the left and a known name on the right, capitalised
          ("saidPashinyan", "PresidentPutin");
        - in a word that starts in lower case, a word on the left and, on the right, a word
          that goes on a sentence ("reportedthat"), or any word starting with a capital
          ("saidThe").
        A capitalised word with no known name in it is never split: it is a name the packs
        do not know ("Martuni", "Rainsford", "Interfax"), or labels and values run together
        in a table ("CitizenshipSoviet"), not words a scraper glued.
        """
        best: tuple[int, str, str] | None = None
        lower = word[0].islower()
        for i in range(2, len(word) - 1):
            left, right = word[:i], word[i:]
            if left in self._names and (
                _goes_on(right) or (right[0].isupper() and len(right) > 2 and is_common_word(right))
            ):
                rank = 0
            elif right in self._names and right[0].isupper() and is_common_word(left):
                rank = 1
            elif (
                lower
                and len(left) > 2
                and is_common_word(left)
                and (
                    _goes_on(right)
                    or (right[0].isupper() and len(right) > 2 and is_common_word(right))
                )
            ):
                rank = 2
            else:
                continue
            if best is None or rank < best[0]:
                best = (rank, left, right)
        return None if best is None else (best[1], best[2])

    def broken_words(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[Finding]:
        for m in _BROKEN_WORD.finditer(text, start, stop):
            before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if before is None or (before.start() > 0 and text[before.start() - 1].isalnum()):
                continue  # not a word's start (a digit or a letter outside A-Z before it)
            if before.start() > 0 and text[before.start() - 1] in "-'’":
                continue  # part of a longer hyphenated or quoted form
            left, right = before.group(), m.group(1)
            joined = left + right
            if not (is_common_word(joined) or joined in self._names):
                continue
            if left.lower() in _PREFIXES or is_word(right):
                # "co-op", "re-elect", "well-known", "socio-economic": hyphenated words.
                # A line is wrapped inside a word, so the part after the hyphen is no word.
                continue
            if m.end() < len(text) and text[m.end()] in "-'’":
                continue  # part of a longer hyphenated or quoted form
            yield before.start(), m.end(), joined, f"'{joined}' broken by a hyphen", False

    def foreign_fragments(
        self, text: str, start: int, stop: int, options: dict[str, str]
    ) -> Iterator[Finding]:
        remove = options.get("remove") == "true"
        for m in _CYRILLIC.finditer(text, start, stop):
            a, b = m.start(), m.end()
            if remove:
                while b < len(text) and text[b] in " \t":
                    b += 1
                yield a, b, "", "a Cyrillic fragment left in the English text", False
            else:
                yield a, b, m.group(), "a Cyrillic fragment left in the English text", False


# Words that go on a sentence after a subject or a clause: what a scraper glues to the word
# before it ("Pashinyansaid", "reportedthat"). Nouns are left out: two nouns run together
# are as often a compound ("crosshairs", "frontlines") as a glue.
_GOES_ON = frozenset(
    """
    said says told noted added stated stressed emphasized emphasised explained reported
    announced recalled wrote writes asked answered replied declared claimed confirmed denied
    warned urged insisted admitted believes thinks continued concluded arrived met visited
    signed called left returned began ended agreed refused promised
    and but or nor the that this these those however which who whom whose where when while
    was were is are has have had will would could should can may might must also not
    with from for after before during about against between into over under since until
    than then there their they them his her its our your
    """.split()
)
# Prefixes English writes with a hyphen before a word that is not one on its own
# ("co-op", "pre-empt", "e-mail"): the joined form may be a word, but the hyphen is right.
_PREFIXES = frozenset(
    """
    a an anti ante auto bi bio co counter cross de dis e eco euro ex extra geo hyper il im in
    infra inter intra ir macro mega meta micro mid mini mis multi neo non off on out over pan
    para post pre pro pseudo re retro semi self sub super tele trans tri ultra un under up
    vice x
    """.split()
)
# Of those, the words whose split is applied without review where the fixer is left at
# review: verbs of saying and conjunctions of four letters or more, which no English word
# or name ends with once the word is not in the dictionary ("Pashinyanhowever",
# "reportedthat"), after a left part of four letters or more. Short ones ("is", "his",
# "the") end real words and names too ("Dagestanis").
_SURE_AFTER = frozenset(
    w
    for w in _GOES_ON
    if len(w) >= 4
    and w not in {"this", "these", "those", "their", "them", "they", "there", "then", "were"}
)
# Left parts that make old compounds with a preposition ("whereafter", "thereunder"): a
# split after them waits for review even when the right part is sure.
_ARCHAIC = frozenset({"here", "there", "where"})
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "ers", "ly")


def _goes_on(word: str) -> bool:
    return word in _GOES_ON


def _is_inflected_word(word: str) -> bool:
    """Whether ``word`` is an English word with an ending ("crosshairs", "frontlines"):
    compounds are often listed without their plural."""
    lowered = word.lower()
    return any(
        lowered.endswith(end) and len(lowered) - len(end) > 3 and is_word(lowered[: -len(end)])
        for end in _INFLECTIONS
    )


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


Fixer = Callable[[StructureMatcher, str, int, int, dict[str, str]], Iterator[Finding]]
_FIXER_FUNCTIONS: dict[str, Fixer] = {
    "unbalanced-quotes": StructureMatcher.unbalanced_quotes,
    "lost-opening-quote": StructureMatcher.lost_opening_quote,
    "quote-style": StructureMatcher.quote_style,
    "glued-words": StructureMatcher.glued_words,
    "foreign-fragments": StructureMatcher.foreign_fragments,
    "broken-words": StructureMatcher.broken_words,
}

"""The one index of known names: built once when a rule set loads, read by every matcher
that needs to know names (canonical names, every listed and generated form, surnames,
given names) and by ``cleanup rules show`` (forms generated and dropped, and why).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleanup.english import is_common_word

if TYPE_CHECKING:
    from cleanup.ruleset.model import NameEntry, RuleSet


@dataclass(frozen=True, slots=True)
class DroppedForm:
    """A form generated for an entry and not used, and why."""

    rule_id: str
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Every name the packs know, and the views of them the matchers read."""

    entries: tuple[NameEntry, ...]
    canonicals: frozenset[str]
    # Every wrong form (listed or generated) -> the entry it belongs to (the last one,
    # when a set loaded without clash checks gives a form to two).
    forms: Mapping[str, NameEntry]
    surnames: frozenset[str]
    # The given names of persons with a surname, word by word.
    first_names: frozenset[str]
    dropped: tuple[DroppedForm, ...]
    # -- views ---------------------------------------------------------------------------
    # Every canonical name and every form.
    spellings: frozenset[str]
    # The words of canonical names and every one-word form.
    words: frozenset[str]
    # The words of canonical names, of every form and of what each form becomes.
    name_words: frozenset[str]
    # Every one-word canonical name, surname and form, and how it is written.
    word_fixes: Mapping[str, str]
    # What ``{{surname}}`` stands for: persons' surnames and their one-word forms.
    surname_forms: frozenset[str]
    # By category: canonical names and what their forms become.
    targets: Mapping[str, frozenset[str]]

    @property
    def has_persons(self) -> bool:
        """Whether any entry is a person."""
        return any(e.category == "person" for e in self.entries)

    def find(self, name: str) -> list[NameEntry]:
        """Entries whose id, canonical name or any form is ``name`` (any case)."""
        wanted = name.casefold()
        return [
            e
            for e in self.entries
            if wanted in {e.rule_id.casefold(), e.canonical.casefold(), e.surname.casefold()}
            or any(k.find.casefold() == wanted for k in e.keys)
        ]

    def dropped_of(self, rule_id: str) -> Iterator[DroppedForm]:
        """The forms generated for an entry and not used."""
        return (d for d in self.dropped if d.rule_id == rule_id)


def build_index(entries: Sequence[NameEntry]) -> NameIndex:
    """The index of these entries, in load order (entries as the loader leaves them:
    forms given up to other rules are gone from their keys)."""
    entries = tuple(entries)
    forms: dict[str, NameEntry] = {}
    spellings: set[str] = set()
    words: set[str] = set()
    name_words: set[str] = set()
    word_fixes: dict[str, str] = {}
    surname_forms: set[str] = set()
    first_names: set[str] = set()
    targets: dict[str, set[str]] = {}
    for entry in entries:
        canonical, surname = entry.canonical, entry.surname
        spellings.add(canonical)
        words.update(canonical.split())
        name_words.update(canonical.split())
        person = entry.category == "person" and bool(surname)
        if person:
            first_names.update(canonical[: -len(surname)].split())
            surname_forms.add(surname)
        own = targets.setdefault(entry.category, set())
        own.add(canonical)
        for key in entry.keys:
            find = key.find
            forms[find] = entry
            spellings.add(find)
            name_words.update(find.split())
            name_words.update(key.replace.split())
            own.add(key.replace)
            if " " not in find:
                words.add(find)
                if person:
                    surname_forms.add(find)
    # One-word canonical names and surnames stand for themselves; a form, for what it
    # becomes (a later entry's form wins).
    for entry in entries:
        for word in (entry.canonical, entry.surname):
            if word and " " not in word:
                word_fixes[word] = word
    for entry in entries:
        for key in entry.keys:
            if " " not in key.find:
                word_fixes[key.find] = key.replace
    return NameIndex(
        entries=entries,
        canonicals=frozenset(e.canonical for e in entries),
        forms=forms,
        surnames=frozenset(e.surname for e in entries if e.surname),
        first_names=frozenset(first_names),
        dropped=tuple(_dropped(entries)),
        spellings=frozenset(spellings),
        words=frozenset(words),
        name_words=frozenset(name_words),
        word_fixes=word_fixes,
        surname_forms=frozenset(surname_forms),
        targets={category: frozenset(found) for category, found in targets.items()},
    )


def _dropped(entries: Sequence[NameEntry]) -> Iterator[DroppedForm]:
    """Forms generated for each entry that it does not use, and why: another entry's name
    or form, a common English word, or else a form generated for two entries."""
    # Each text's first two holders (an entry's own text is no reason to drop it).
    holders: dict[str, list[str]] = {}
    for entry in entries:
        for text in _texts(entry):
            found = holders.setdefault(text, [])
            if entry.rule_id not in found and len(found) < 2:
                found.append(entry.rule_id)
    for entry in entries:
        used = {k.find for k in entry.keys}
        seen: set[str] = set()
        for text in entry.made:
            if text in used or text in seen:
                continue
            seen.add(text)
            owner = next((o for o in holders.get(text, ()) if o != entry.rule_id), None)
            if owner is not None:
                reason = f"also a form of {owner}"
            elif is_common_word(text):
                reason = "a common English word"
            else:
                reason = "generated for another entry too"
            yield DroppedForm(entry.rule_id, text, reason)


def _texts(entry: NameEntry) -> Iterable[str]:
    return {entry.canonical, entry.surname, *(k.find for k in entry.keys)}


def find_entries(rules: RuleSet, name: str) -> list[NameEntry]:
    """Name entries whose id, canonical name or any form is ``name`` (any case)."""
    return rules.index.find(name)


def dropped_forms(rules: RuleSet, entry: NameEntry) -> Iterator[tuple[str, str]]:
    """Generated forms of ``entry`` that are not used, and why (as the packs loaded)."""
    for dropped in rules.index.dropped_of(entry.rule_id):
        yield dropped.text, dropped.reason

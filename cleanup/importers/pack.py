"""The pack an import writes: duplicates merged, ids given, then loaded and checked, with
the rules that would not load, settle or pass their examples dropped with a note."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from cleanup.engine import Engine
from cleanup.errors import RuleError
from cleanup.importers.source import Entry, Source, slug
from cleanup.importers.yaml_scalars import scalar
from cleanup.ruleset.load import find_clashes, load_rules
from cleanup.ruleset.model import RuleSet
from cleanup.ruletest import run_examples

_RANK = {"auto": 0, "review": 1, "suggest": 2}


@dataclass(frozen=True)
class Converted:
    """A converted pack: its YAML text, how many rules it has, and what was left out."""

    yaml: str
    count: int
    skipped: tuple[str, ...]


# -- duplicates and ids ---------------------------------------------------------------------


def _find_key(entry: Entry, find: str) -> tuple[str, str]:
    return (find.lower() if entry.case == "preserve" else find, entry.case)


def merge_duplicates(source: Source) -> list[Entry]:
    """The first entry for a text wins; a later one with the same fix merges into it."""
    owners: dict[tuple[str, str], Entry] = {}
    kept: list[Entry] = []
    for entry in source.entries:
        remaining = []
        for find in entry.finds or [entry.regex]:
            key = _find_key(entry, find) if entry.finds else (find, "regex:" + entry.case)
            first = owners.setdefault(key, entry)
            if first is entry:
                remaining.append(find)
            else:
                _merge_into(source, first, entry, find)
        if remaining:
            entry.finds = remaining if entry.finds else []
            kept.append(entry)
    _assign_ids(kept)
    return kept


def _merge_into(source: Source, first: Entry, later: Entry, find: str) -> None:
    if first.replace == later.replace and first.safety == later.safety:
        if later.origin not in first.also:
            first.also.append(later.origin)
        for example, where in zip(later.examples, later.example_where, strict=True):
            if example not in first.examples:
                first.examples.append(example)
                first.example_where.append(where)
        return
    source.notes.append(
        f"{later.where}: '{find}': already converted from {first.origin} "
        f"(-> '{first.replace}'); this entry (-> '{later.replace}') is skipped"
    )


def _assign_ids(entries: list[Entry]) -> None:
    """Ids from the text each rule finds, made unique in file order (-2, -3, ...)."""
    used: set[str] = set()
    for entry in entries:
        hint = entry.hint
        if entry.regex:  # /\bnode\.?js\b/i gives node-js: no escapes, groups or flags
            hint = re.sub(r"\\[A-Za-z]|\(\?[^)]*?[:=!>]|/[gimy]*$", " ", hint)
        base = slug(hint)
        if len(base) < 2 or (entry.regex and not re.search(r"[a-z]{2}", base)):
            base = entry.fallback
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        entry.id = candidate


# -- writing and checking the pack ----------------------------------------------------------


class Pack:
    """Renders entries as YAML, loads the result with cleanup's own loader, and drops what
    cleanup refuses (clashes, fixes that would not settle, failing examples) with a note.
    """

    def __init__(self, source: Source, name: str, entries: list[Entry]) -> None:
        self.source = source
        self.name = name
        self.entries = entries
        self.lines: dict[int, tuple[Entry, int | None]] = {}  # line -> rule, example index
        self.text = ""  # the pack as last loaded

    def finish(self) -> Converted:
        rules = self.load()
        while rules is None:  # a rule the loader refuses: dropped, and the pack read again
            rules = self.load()
        notes = len(self.source.notes)
        rules = self.settle(rules)
        self.drop_failing_examples(rules)
        text = self.text if len(self.source.notes) == notes else self.render()
        return Converted(text, len(self.entries), tuple(self.source.notes))

    # -- rendering
    def render(self) -> str:
        described = f"Imported from {self.source.path.name} ({self.source.format})."
        out = [
            f"# Converted by 'cleanup rules import --from {self.source.format}' "
            f"from {self.source.path.name}.",
            f"pack: {scalar(self.name)}",
            f"description: {scalar(described)}",
        ]
        self.lines = {}
        for section in ("phrases", "patterns"):
            members = [e for e in self.entries if e.section == section]
            if members:
                out += ["", f"{section}:"]
            for i, entry in enumerate(members):
                if i:
                    out.append("")
                self.lines[len(out) + 1] = (entry, None)
                for text, example in _entry_lines(entry, self.source.format):
                    if example is not None:
                        self.lines[len(out) + 1] = (entry, example)
                    out.append(text)
        return "\n".join(out) + "\n"

    # -- checking
    def load(self) -> RuleSet | None:
        """The pack as cleanup loads it; None when a rule was refused (and dropped)."""
        with tempfile.TemporaryDirectory(prefix="cleanup-import-") as tmp:
            pack = Path(tmp) / f"{self.name}.yaml"
            self.text = self.render()
            pack.write_text(self.text, encoding="utf-8")
            try:
                return load_rules([pack], strict=False)
            except RuleError as exc:
                entry, _ = self.at(_where_line(exc.where))
                self.drop({id(entry)}, {id(entry): exc.message})
                return None

    def settle(self, rules: RuleSet) -> RuleSet:
        """Drop rules that clash with an earlier one or whose fix another rule rewrites."""
        clashing = {
            id(self.at(_where_line(e.where))[0]): e.message for e in find_clashes(rules.rules)
        }
        while True:
            rules = self.drop(set(clashing), clashing, rules)
            problems = list(Engine(rules, check=False).unsettled())
            if not problems:
                return rules
            clashing = self.unsettled_drops(problems)

    def unsettled_drops(self, problems: list[RuleError]) -> dict[int, str]:
        """Entries to drop for fixes that would not settle, and why.

        A rule that rewrites its own replacement goes, and so does a rule that disturbs a
        more certain one (a 'suggest' rule inside an 'auto' fix). Otherwise the rules whose
        replacement is rewritten go, unless the rule rewriting it goes in this round (so of
        two rules that undo each other only the first is dropped).
        """
        by_id = {e.id: e for e in self.entries}
        drops: dict[int, str] = {}
        found = []
        for problem in problems:
            owner = self.at(_where_line(problem.where))[0]
            m = re.search(r"rewritten by rule '[^.']*\.([^']+)'", problem.message)
            other = by_id.get(m.group(1)) if m else None
            found.append((owner, other, problem.message))
            if other is not None and other.replace == owner.replace:
                drops[id(other)] = f"it also matches inside its own replacement '{other.replace}'"
            elif other is not None and _RANK[other.safety] > _RANK[owner.safety]:
                drops.setdefault(
                    id(other),
                    f"it also matches inside '{owner.replace}', the replacement of the "
                    f"more certain rule '{owner.id}' ({owner.where})",
                )
        for owner, other, message in found:
            if other is None or id(other) not in drops:
                message = re.sub(
                    r"^replacement '(.*)' of rule '[^']*' ", r"its replacement '\1' ", message
                )
                same = [e for e in self.entries if e.finds and e.replace == owner.replace]
                drops.update((id(e), message) for e in same if id(e) not in drops)
        return drops

    def drop(self, gone: set[int], why: dict[int, str], rules: RuleSet | None = None) -> RuleSet:
        """Leave out entries (by id()), with a note each; the loaded rules follow."""
        kept = []
        for entry in self.entries:
            if id(entry) in gone:
                note = f"{entry.where}: {_shown(entry)}: skipped: {why[id(entry)]}"
                self.source.notes.append(note)
            else:
                kept.append(entry)
        self.entries = kept
        if rules is None:
            return RuleSet()
        ids = {f"{self.name}.{e.id}" for e in kept}
        return replace(rules, rules=tuple(r for r in rules.rules if r.id in ids))

    def drop_failing_examples(self, rules: RuleSet) -> None:
        failing = []
        for result in run_examples(rules):
            if not result.passed:
                problem = " ".join(result.problem.split())
                failing.append((_where_line(result.example.source), problem))
        for line, problem in sorted(failing, reverse=True):  # later indexes first
            entry, index = self.at(line)
            assert index is not None
            before, after = entry.examples[index]
            self.source.notes.append(
                f"{entry.example_where[index]}: example {before!r} -> {after!r} of "
                f"{_shown(entry)} is not kept: in cleanup {problem}"
            )
            del entry.examples[index]
            del entry.example_where[index]

    def at(self, line: int) -> tuple[Entry, int | None]:
        """The entry (and example) on a line of the last rendered pack."""
        starts = [n for n in self.lines if n <= line]
        if not starts:
            raise RuleError(f"internal error: the converted pack is refused at line {line}", "")
        return self.lines[max(starts)]


def _where_line(where: str) -> int:
    m = re.search(r":(\d+)(?::\d+)?$", where)
    if m is None:
        raise RuleError(f"internal error: the converted pack is refused ({where})", "")
    return int(m.group(1))


def _shown(entry: Entry) -> str:
    return f"'{entry.finds[0]}'" if entry.finds else f"/{entry.regex}/"


def _entry_lines(entry: Entry, source_format: str) -> Iterator[tuple[str, int | None]]:
    """The entry's YAML lines; the second item marks the line that starts an example."""
    yield f"  - id: {scalar(entry.id)}", None
    if entry.regex:
        yield f"    regex: {scalar(entry.regex)}", None
    elif len(entry.finds) == 1:
        yield f"    find: {scalar(entry.finds[0])}", None
    else:
        yield from ((line, None) for line in _list_lines("find", entry.finds))
    yield f"    replace: {scalar(entry.replace)}", None
    if entry.case != ("exact" if entry.regex else "preserve"):
        yield f"    case: {entry.case}", None
    if entry.safety != ("review" if entry.regex else "auto"):
        yield f"    safety: {entry.safety}", None
    yield f"    why: {scalar(_why(entry, source_format))}", None
    if entry.exceptions:
        yield from ((line, None) for line in _list_lines("exceptions", entry.exceptions))
    if entry.examples:
        yield "    examples:", None
    for i, (before, after) in enumerate(entry.examples):
        if before == after:
            yield f"      - unchanged: {scalar(before)}", i
        else:
            yield f"      - before: {scalar(before)}", i
            yield f"        after: {scalar(after)}", None


def _list_lines(key: str, items: list[str]) -> Iterator[str]:
    flow = [scalar(item, flow=True) for item in items]
    line = f"    {key}: [{', '.join(flow)}]"
    if len(line) <= 100:
        yield line
        return
    yield f"    {key}:"
    yield from (f"      - {scalar(item)}" for item in items)


def _why(entry: Entry, source_format: str) -> str:
    why = f"from {source_format}: " + ", ".join([entry.origin, *entry.also])
    return f"{why}; {entry.note}" if entry.note else why

"""Rule-set lint for ``cleanup rules check``: problems no single rule shows on its own.

Clashes (an id or a form claimed twice), replacements that another rule rewrites (the
fix would not settle; a cycle when two rules undo each other), forms that overlap so a
text with both settles in two runs, rules that another rule always beats on their own
examples (shadowed), examples whose result other rules edit again, and rules that never
fire on a corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleanup.engine import EVERYTHING, Engine, Status
from cleanup.errors import CleanupError
from cleanup.ruleset.load import find_clashes
from cleanup.ruleset.model import RuleSet, keys_of
from cleanup.textio import read_chunks


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: where, what kind, and what to do."""

    where: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: [{self.code}] {self.message}"


def check_rules(rules: RuleSet, corpus: Iterable[Path] = ()) -> list[Problem]:
    """Every problem in a loaded (not strictly checked) rule set."""
    problems = [Problem(e.where, "clash", e.message) for e in find_clashes(rules.rules)]
    engine = Engine(rules, check=False)
    for error in engine.unsettled():
        code = "cycle" if "(a cycle)" in error.message else "unsettled"
        problems.append(Problem(error.where, code, error.message))
    problems.extend(_overlapping_forms(rules))
    problems.extend(_shadowed(engine))
    problems.extend(_example_interactions(engine))
    files = list(corpus)
    if files:
        problems.extend(_unused(engine, files))
    return problems


def _overlapping_forms(rules: RuleSet) -> Iterator[Problem]:
    """Two forms that share words ("solar conflict", "conflict zone") where the first
    one's fix keeps the shared words: a text with both settles only in a second run."""
    starts: dict[str, list[tuple[str, str]]] = {}
    for rule in rules.rules:
        for key in keys_of(rule):
            words = key.find.lower().split(" ")
            for i in range(1, len(words)):
                starts.setdefault(" ".join(words[:i]), []).append((rule.id, key.find))
    for rule in rules.rules:
        for key in keys_of(rule):
            words = key.find.lower().split(" ")
            for i in range(1, len(words)):
                shared = " ".join(words[i:])
                if not key.replace.lower().endswith(" " + shared):
                    continue
                for other_id, other in starts.get(shared, ()):
                    yield Problem(
                        key.source,
                        "overlap",
                        f"'{key.find}' ({rule.id}) and '{other}' ({other_id}) share "
                        f"'{shared}', and the fix keeps it: a text with both needs two runs",
                    )


def _shadowed(engine: Engine) -> Iterator[Problem]:
    """Rules whose edit loses to another rule's on every one of their own examples."""
    for rule in engine.rules.rules:
        fixing = [ex for ex in rule.examples if ex.before != ex.after]
        if not fixing:
            continue
        lost_to: set[str] = set()
        for example in fixing:
            result = engine.fix_text(example.before, EVERYTHING)
            mine = [f for f in result.findings if f.edit.rule_id == rule.id]
            if any(f.status is Status.APPLIED for f in mine) or not mine:
                break
            lost_to.update(f.reason for f in mine if f.reason)
        else:
            why = "; ".join(sorted(lost_to)) or "another edit"
            yield Problem(
                rule.source, "shadowed", f"rule '{rule.id}' never wins on its examples: {why}"
            )


def _example_interactions(engine: Engine) -> Iterator[Problem]:
    """Examples whose expected result the whole rule set would still change."""
    for rule in engine.rules.rules:
        for example in rule.examples:
            result = engine.fix_text(example.after, EVERYTHING)
            others = sorted(
                {
                    f.edit.rule_id
                    for f in result.findings
                    if f.status is Status.APPLIED and f.edit.original != f.edit.replacement
                }
            )
            if others:
                yield Problem(
                    example.source,
                    "interaction",
                    f"the result of this example of '{rule.id}' is edited again by "
                    f"{', '.join(others)}: {example.after!r} -> {result.text!r}",
                )


def _unused(engine: Engine, files: list[Path]) -> Iterator[Problem]:
    """Rules with no edit at all on the corpus."""
    fired: Counter[str] = Counter()
    for path in files:
        try:
            result = engine.fix_stream(read_chunks(path), lambda _: None, EVERYTHING)
        except CleanupError:
            continue  # unreadable corpus files are not the rules' problem
        fired.update(f.edit.rule_id for f in result.findings)
    for rule in engine.rules.rules:
        if not fired[rule.id]:
            yield Problem(
                rule.source, "unused", f"rule '{rule.id}' makes no edit on the {len(files)} files"
            )

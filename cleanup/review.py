"""Review proposed edits one by one; decisions are saved as they are made and replayed.

Every edit a run would propose (auto, review and suggest) becomes a ``Proposal`` keyed by
its rule, its text and the text around it, so a decision still applies on a later run
while that text is unchanged. Decisions live in a JSON file written after each one, so a
review can stop at any point and resume. The prompt is injected: the command line passes
a terminal prompt, tests and scripts pass their own.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cleanup.edit import Edit, Finder, Kind
from cleanup.engine import EVERYTHING, Engine, Status
from cleanup.errors import CleanupError
from cleanup.ruleset.write import RuleFile
from cleanup.textio import write_text_atomic

if TYPE_CHECKING:
    from cleanup.formats.document import Document, View

CONTEXT_CHARS = 40


class Choice(enum.Enum):
    """What a reviewer can answer."""

    ACCEPT = "y"
    REJECT = "n"
    EDIT = "e"
    ACCEPT_RULE = "a"  # accept this and every later edit of the rule
    REJECT_RULE = "r"
    REJECT_ALWAYS = "N"  # reject, and keep the rule out of this text in the rule file
    EDIT_ALWAYS = "E"  # edit, and make the edited fix a rule in the rule file
    UNDO = "u"
    QUIT = "q"


@dataclass(frozen=True)
class Proposal:
    """One proposed edit in one file, with what a reviewer needs to judge it."""

    label: str
    edit: Edit
    line: int
    column: int
    before: str  # text just before the edit
    after: str  # text just after
    # In a structured document: the edit made with another replacement, as the reviewer
    # types it (decoded), in the original's offsets and encoding, or why it cannot be.
    remap: Callable[[str], Edit | str] | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """Stable while the rule, the edit and the text around it are unchanged."""
        parts = (
            self.edit.rule_id,
            self.edit.original,
            self.edit.replacement,
            self.before,
            self.after,
        )
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Decision:
    """A reviewer's verdict on one proposal; ``replacement`` when it was edited."""

    accept: bool
    replacement: str | None = None


def proposals(engine: Engine, label: str, text: str, doc: Document | None = None) -> list[Proposal]:
    """Every edit the rules propose for a text, overlaps already settled. Of a structured
    document (Markdown, HTML, JSONL, ...), only its translatable segments are looked at,
    and the proposals are in the original's offsets, as ``fix`` would make them."""
    if doc is not None and doc.format != "text":
        return _document_proposals(engine, label, doc)
    result = engine.fix_text(text, EVERYTHING)
    return [
        _proposal(label, text, f.edit, f.line, f.column)
        for f in result.findings
        if f.status is Status.APPLIED
    ]


def _proposal(
    label: str,
    text: str,
    e: Edit,
    line: int,
    column: int,
    remap: Callable[[str], Edit | str] | None = None,
) -> Proposal:
    before = text[max(0, e.start - CONTEXT_CHARS) : e.start]
    after = text[e.end : e.end + CONTEXT_CHARS]
    return Proposal(label, e, line, column, before, after, remap)


def _document_proposals(engine: Engine, label: str, doc: Document) -> list[Proposal]:
    from cleanup.formats.text import Lines

    lines = Lines(doc.text)
    found = []
    for view in doc.views():
        for f in engine.fix_text(view.text, EVERYTHING).findings:
            if f.status is not Status.APPLIED:
                continue
            mapped = view.map_edit(f.edit)
            if isinstance(mapped, str):  # it cannot be made in the original
                continue
            line, column = lines.where(mapped.start)
            remap = functools.partial(_remapped, view, f.edit)
            found.append(_proposal(label, doc.text, mapped, line, column, remap))
    return sorted(found, key=lambda p: (p.edit.start, p.edit.end))


def _remapped(view: View, edit: Edit, replacement: str) -> Edit | str:
    return view.map_edit(edit._replace(replacement=replacement))


def finish_document(doc: Document | None, edits: list[Edit]) -> list[Edit]:
    """The accepted edits of a structured document as they are made: those that must both
    rewrite one field whole settled, and the format's follow-ups (an emptied cue goes)."""
    if doc is None or doc.format == "text":
        return edits
    from cleanup.resolve import resolve

    kept, _ = resolve(edits)
    final = doc.finish(doc, kept) if doc.finish is not None else kept
    return sorted(final, key=lambda e: (e.start, e.end))


@dataclass
class Decisions:
    """Decisions by proposal key and by rule, saved to ``path`` after every change."""

    path: Path | None
    edits: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> Decisions:
        if path is None or not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            edits, rules = _checked_decisions(data)
        except (ValueError, AttributeError, OSError, RecursionError) as exc:
            problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            if isinstance(exc, RecursionError):
                problem = "nested too deeply"
            msg = f"cannot read decisions: {problem}; fix or remove the file"
            raise CleanupError(msg, str(path)) from None
        return cls(path, edits, rules)

    def save(self) -> None:
        if self.path is not None:
            data = {"version": 1, "rules": self.rules, "edits": self.edits}
            write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def get(self, proposal: Proposal) -> Decision | None:
        """The saved decision for this proposal or its rule."""
        saved = self.edits.get(proposal.key)
        if saved is not None:
            return Decision(saved["decision"] == "accept", saved.get("replacement"))
        verdict = self.rules.get(proposal.edit.rule_id)
        return None if verdict is None else Decision(verdict == "accept")

    def record(self, proposal: Proposal, decision: Decision | None) -> None:
        """Save (or, with None, forget) the decision on one proposal."""
        if decision is None:
            self.edits.pop(proposal.key, None)
        else:
            e = proposal.edit
            self.edits[proposal.key] = {
                "decision": "accept" if decision.accept else "reject",
                "replacement": decision.replacement,
                "rule": e.rule_id,
                "file": proposal.label,
                "line": proposal.line,
                "before": e.original,
                "after": e.replacement,
            }
        self.save()

    def record_rule(self, rule_id: str, accept: bool | None) -> None:
        if accept is None:
            self.rules.pop(rule_id, None)
        else:
            self.rules[rule_id] = "accept" if accept else "reject"
        self.save()


def _checked_decisions(data: Any) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The edits and rules of a decisions file, or ValueError naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    edits, rules = data.get("edits", {}), data.get("rules", {})
    if not isinstance(edits, dict) or not isinstance(rules, dict):
        raise ValueError("'edits' and 'rules' must be objects")
    for key, saved in edits.items():
        if not isinstance(saved, dict) or saved.get("decision") not in ("accept", "reject"):
            raise ValueError(f"edit {key}: 'decision' must be 'accept' or 'reject'")
        if not isinstance(saved.get("replacement"), str | None):
            raise ValueError(f"edit {key}: 'replacement' must be a string or null")
    for rule, verdict in rules.items():
        if verdict not in ("accept", "reject"):
            raise ValueError(f"rule {rule}: must be 'accept' or 'reject'")
    return dict(edits), dict(rules)


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """Whether a rule id is one of the selectors (ids, packs or id prefixes, or a safety).

    >>> matches("calques.trilateral", ["calques"]), matches("calques.x", ["scraping"])
    (True, False)
    """
    return any(
        rule_id == s or rule_id.startswith((s.rstrip(".:") + ".", s.rstrip(".:") + ":"))
        for s in selectors
    )


Prompt = Callable[[Proposal, int, int], tuple[Choice, str | None]]
Grow = Callable[[Proposal, Choice, str | None], str]
Front = Callable[[Sequence[Proposal]], dict[str, Decision]]  # e.g. the browser review


@dataclass
class Review:
    """The decisions of one review, whatever asks the reviewer: saved and scripted
    decisions, answers (``answer``) and their undoing (``undo``, across files). ``run``
    goes through proposals in order and asks ``prompt`` (the terminal); the browser review
    answers proposals in any order through the same methods."""

    decisions: Decisions
    accept: Sequence[str] = ()
    reject: Sequence[str] = ()
    prompt: Prompt | None = None
    grow: Grow | None = None  # writes "always" decisions into a rule file; returns a note
    notes: list[str] = field(default_factory=list)
    quit: bool = False
    history: list[Answered] = field(default_factory=list)  # answers, latest last

    def run(self, items: Sequence[Proposal]) -> dict[str, Decision]:
        """Decisions for as many proposals as can be decided (all unless the reviewer quits)."""
        decided: dict[str, Decision] = {}
        i = 0
        while i < len(items) and not self.quit:
            item = items[i]
            known = self.known(item)
            if known is not None:
                decided[item.key] = known
                i += 1
                continue
            if self.prompt is None:
                i += 1
                continue
            choice, text = self.prompt(item, i + 1, len(items))
            if choice is Choice.QUIT:
                self.quit = True
            elif choice is Choice.UNDO:
                undone = self.undo()
                if undone is not None:
                    decided.pop(undone.proposal.key, None)
                    i = undone.at
            else:
                decided[item.key] = self.answer(i, item, choice, text)
                i += 1
        return decided

    def known(self, item: Proposal) -> Decision | None:
        """The saved decision on a proposal (its own or its rule's), else the one
        --accept/--reject give, which is saved so the run can be replayed from the file."""
        known = self.decisions.get(item)
        if known is None and (known := self._scripted(item)) is not None:
            self.decisions.record(item, known)
        return known

    def answer(self, index: int, item: Proposal, choice: Choice, text: str | None) -> Decision:
        """Decide proposal ``index`` (``item``) as the reviewer chose; saved at once, and
        undoable. ``text`` is the edited replacement for EDIT and EDIT_ALWAYS."""
        if choice in (Choice.UNDO, Choice.QUIT):
            raise ValueError(f"{choice.name.lower()} is not an answer")
        rule_id = item.edit.rule_id
        before = Answered(
            index, item, self.decisions.edits.get(item.key), self.decisions.rules.get(rule_id)
        )
        decision, rule_wide = self._decide(item, choice, text)
        self.decisions.record(item, decision)
        if rule_wide:
            self.decisions.record_rule(rule_id, decision.accept)
        self.history.append(before if rule_wide else before._replace(rule=_SAME))
        return decision

    def undo(self) -> Answered | None:
        """Take back the latest answer (in whichever file): the proposal, and its rule for
        an every-edit answer, are as they were before it. None when nothing is left."""
        if not self.history:
            return None
        undone = self.history.pop()
        item = undone.proposal
        if undone.saved is None:
            self.decisions.record(item, None)
        else:
            saved = undone.saved
            was = Decision(saved["decision"] == "accept", saved.get("replacement"))
            self.decisions.record(item, was)
        if undone.rule != _SAME:
            verdict = None if undone.rule is None else undone.rule == "accept"
            self.decisions.record_rule(item.edit.rule_id, verdict)
        return undone

    def _scripted(self, item: Proposal) -> Decision | None:
        rule_id = item.edit.rule_id
        if matches(rule_id, self.accept) or item.edit.safety.value in self.accept:
            return Decision(True)
        if matches(rule_id, self.reject) or item.edit.safety.value in self.reject:
            return Decision(False)
        return None

    def _decide(self, item: Proposal, choice: Choice, text: str | None) -> tuple[Decision, bool]:
        if choice in (Choice.EDIT, Choice.EDIT_ALWAYS):
            decision = Decision(True, text if text is not None else item.edit.replacement)
        else:
            decision = Decision(choice in (Choice.ACCEPT, Choice.ACCEPT_RULE))
        if choice in (Choice.REJECT_ALWAYS, Choice.EDIT_ALWAYS) and self.grow is not None:
            self.notes.append(self.grow(item, choice, decision.replacement))
        return decision, choice in (Choice.ACCEPT_RULE, Choice.REJECT_RULE)


_SAME = "\x00same"  # Answered.rule when the answer left the rule's verdict alone


class Answered(NamedTuple):
    """One answer, as ``Review.undo`` needs it: where the proposal was, and its saved
    entry and its rule's verdict ("accept", "reject", None; ``_SAME``: untouched) before."""

    at: int  # the proposal's place in the review's list
    proposal: Proposal
    saved: dict[str, Any] | None
    rule: str | None


def accepted_edits(items: Sequence[Proposal], decided: dict[str, Decision]) -> list[Edit]:
    """The edits to apply, with edited replacements, in text order."""
    edits = []
    for item in items:
        decision = decided.get(item.key)
        if decision is None or not decision.accept:
            continue
        edit = item.edit
        if decision.replacement is not None and decision.replacement != edit.replacement:
            if item.remap is None:
                edit = edit._replace(replacement=decision.replacement)
            else:  # typed as the text reads; written as the format needs
                remapped = item.remap(decision.replacement)
                if isinstance(remapped, str):
                    continue  # the edited fix cannot be made there (it crosses a segment)
                edit = remapped
            edit = edit._replace(message="edited in review")
        edits.append(edit)
    return sorted(edits, key=lambda e: (e.start, e.end))


def exception_text(text: str, edit: Edit, words: int = 3) -> str:
    """The edit's original with a few words either side, within its line: the text in
    which a rejected-always rule must not fire again.

    >>> t = "one two three four GADRUT five six seven eight"
    >>> from cleanup.edit import Kind, Safety
    >>> exception_text(t, Edit(19, 25, "GADRUT", "HADRUT", "r", Kind.NAME, Safety.AUTO))
    'two three four GADRUT five six seven'
    """
    line_start = text.rfind("\n", 0, edit.start) + 1
    line_end = text.find("\n", edit.end)
    line_end = len(text) if line_end == -1 else line_end
    head = text[line_start : edit.start].split(" ")
    tail = text[edit.end : line_end].split(" ")
    left = " ".join(head[-(words + 1) :]) if len(head) > words else " ".join(head)
    right = " ".join(tail[: words + 1]) if len(tail) > words else " ".join(tail)
    return (left + edit.original + right).strip()


class RuleGrower:
    """Writes 'always' decisions into the reviewer's rule file."""

    def __init__(self, path: Path | None, context: list[Path]) -> None:
        self.path = path
        self.context = [p for p in context if path is None or p.resolve() != path.resolve()]
        self.texts: dict[str, str] = {}

    def grow(self, item: Proposal, choice: Choice, replacement: str | None) -> str:
        if self.path is None:
            return f"{item.label}:{item.line}: decided for this run only (no --rules-file)"
        rule_file = RuleFile(self.path, self.context)
        edit = item.edit
        if choice is Choice.REJECT_ALWAYS:
            rule_id = _grown_rule(edit)
            around = exception_text(self.texts[item.label], edit)
            rule_file.add_exception(rule_id, around)
            what = f"exception for {rule_id}: {around!r}"
        elif edit.kind in (Kind.NAME, Kind.FUZZY):
            added = rule_file.add_name(
                replacement or edit.replacement,
                category=None,
                variants=[edit.original],
                surname=None,
                overrides=_grown_rule(edit),
            )
            what = f"variant {edit.original!r} of {added}"
        elif edit.kind is Kind.PHRASE:
            lead = item.before[-20:].split(" ", 1)[-1] if " " in item.before[-20:] else ""
            example = (lead + edit.original, lead + (replacement or ""))
            added = rule_file.add_phrase(
                edit.original, replacement or "", example=example, overrides=edit.rule_id
            )
            what = f"phrase rule {added}"
        else:
            what = self._phrase_over(rule_file, item, replacement or "")
        try:
            rule_file.save()
        except CleanupError as exc:
            return f"{self.path}: not added ({exc.message})"
        return f"{self.path}: added {what}"

    def _phrase_over(self, rule_file: RuleFile, item: Proposal, replacement: str) -> str:
        """A pattern, a removal or a fixer has no forms to take over: the new phrase wins
        because the rule gets an exception for this text, which is also the phrase's
        example."""
        edit = item.edit
        text = self.texts[item.label]
        around = exception_text(text, edit)
        line_start = text.rfind("\n", 0, edit.start) + 1
        left = " ".join(text[line_start : edit.start].split(" ")[-4:]).lstrip()
        at = (
            len(left)
            if around[len(left) :].startswith(edit.original)
            else around.find(edit.original)
        )
        fixed = around[:at] + replacement + around[at + len(edit.original) :]
        added = rule_file.add_phrase(
            edit.original, replacement, example=(around, fixed), case="exact"
        )
        rule_file.add_exception(edit.rule_id, around)
        return f"phrase rule {added} (and an exception for {edit.rule_id}: {around!r})"


def _grown_rule(edit: Edit) -> str:
    """The rule a decision on an edit grows: a near-miss's name rule, else the edit's id."""
    return edit.rule if edit.finder is Finder.FUZZY else edit.rule_id


class FileReviewer:
    """Decides the edits of one file after another for a run (``cleanup.run.Reviewer``):
    the review session's decisions, with counts of what was decided, and the texts that
    'never here' exceptions are cut from. ``front`` asks the reviewer instead of the
    session's prompt (``cleanup.review_web``); it decides through the same session."""

    def __init__(
        self, session: Review, grower: RuleGrower | None = None, front: Front | None = None
    ) -> None:
        self.session = session
        self.grower = grower
        self.front = front  # what asks the reviewer; None: the session's prompt, in order
        if grower is not None:
            session.grow = grower.grow
        self.totals = {"accepted": 0, "rejected": 0, "undecided": 0}

    @property
    def quit(self) -> bool:
        return self.session.quit

    def decide_all(
        self,
        engine: Engine,
        texts: Sequence[tuple[str, str]],
        docs: Sequence[Document | None] | None = None,
    ) -> list[list[Edit]]:
        """One review over the proposals of every text (so the counter is overall and an
        undo goes back into the previous file); the accepted edits of each text. A text
        with a structured Document in ``docs`` is reviewed as ``fix`` reads it."""
        documents = list(docs) if docs is not None else [None] * len(texts)
        per_text = []
        for (label, text), doc in zip(texts, documents, strict=True):
            if self.grower is not None:
                self.grower.texts[label] = text
            per_text.append(proposals(engine, label, text, doc))
        every = [item for items in per_text for item in items]
        decided = self.session.run(every) if self.front is None else self.front(every)
        out = []
        for items, doc in zip(per_text, documents, strict=True):
            edits = finish_document(doc, accepted_edits(items, decided))
            verdicts = [decided.get(item.key) for item in items]
            self.totals["accepted"] += len(edits)
            self.totals["rejected"] += sum(1 for d in verdicts if d is not None and not d.accept)
            self.totals["undecided"] += sum(1 for d in verdicts if d is None)
            out.append(edits)
        return out

    def counts(self) -> str:
        """'N accepted, N rejected, N undecided'."""
        return ", ".join(f"{n} {what}" for what, n in self.totals.items())

"""The terminal side of ``cleanup review``: one proposal shown in about two lines of its
text, changes marked in colour or, without colour, as ``[-old-]{+new+}``, a key read and
answered (``?`` for help, unknown keys named)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import click

from cleanup.edit import Safety
from cleanup.review import Choice, Proposal

CONTEXT_LINES = 2  # lines of text shown around an edit: the one before and its own
LINE_CHARS = 160  # a longer line is cut around the edit

HELP = """\
  y  accept this edit                 n  reject it
  e  edit the replacement, then accept
  a  accept every edit of this rule   r  reject every edit of this rule
  N  reject, and never again here: an exception in --rules-file
  E  edit, and make the fix a rule in --rules-file
  u  undo the last answer (in any file)
  q  quit: nothing is written; decisions are kept, run again to resume
  ?  this help
"""
KEYS_LINE = (
    "  [y]es [n]o [e]dit [a]ll of rule [r]eject rule [N]ever here [E]dit always [u]ndo "
    "[?]help [q]uit: "
)
SAFETY_WORDS = {Safety.AUTO: "auto", Safety.REVIEW: "review", Safety.SUGGEST: "suggestion"}


def marked(old: str, new: str, *, color: bool) -> str:
    """A change as shown: coloured, or with word-diff marks when colour is off.

    >>> marked("Gadrut", "Hadrut", color=False)
    '[-Gadrut-]{+Hadrut+}'
    >>> marked("", "the ", color=False)
    '{+the +}'
    """
    if color:
        shown = click.style(old, fg="red", strikethrough=True) if old else ""
        return shown + (click.style(new, fg="green", bold=True) if new else "")
    return (f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else "")


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The text before an edit, from the start of the line before its line, and after it,
    to the end of its line (each line cut to about ``LINE_CHARS``).

    >>> context("one\\ntwo\\nthree Gadrut four\\nfive", 14, 20)
    ('two\\nthree ', ' four')
    """
    head_start = text.rfind("\n", 0, start) + 1  # the edit's own line
    for _ in range(CONTEXT_LINES - 1):  # and the lines before it
        if head_start == 0:
            break
        head_start = text.rfind("\n", 0, head_start - 1) + 1
    before = text[head_start:start]
    line_end = text.find("\n", end)
    after = text[end : len(text) if line_end < 0 else line_end]
    lines = before.split("\n")
    lines = [_cut(line, LINE_CHARS, keep_end=i == len(lines) - 1) for i, line in enumerate(lines)]
    return "\n".join(lines), _cut(after, LINE_CHARS // 2, keep_end=False)


def _cut(line: str, limit: int, *, keep_end: bool) -> str:
    if len(line) <= limit:
        return line
    return "..." + line[-limit:] if keep_end else line[:limit] + "..."


@dataclass
class TerminalPrompt:
    """The prompt ``Review`` asks through: shows the proposal, reads one key."""

    texts: Mapping[str, str]  # each file's text, by label
    color: bool
    rules_file: bool  # whether 'always' answers have a file to go to
    getchar: Callable[[], str] = field(default=click.getchar)
    echo: Callable[[str], None] = field(default=lambda s: click.echo(s, nl=False))
    ask: Callable[[str, str], str] = field(
        default=lambda label, value: str(click.prompt(label, default=value))
    )

    def __call__(self, item: Proposal, number: int, total: int) -> tuple[Choice, str | None]:
        edit = item.edit
        score = f", score {edit.confidence:.2f}" if edit.confidence < 1 else ""
        head = f"[{number}/{total}] {item.label}:{item.line}:{item.column}"
        self.echo("\n" + (click.style(head, bold=True) if self.color else head) + "\n")
        word = SAFETY_WORDS[edit.safety]
        self.echo(f"  {edit.rule_id} ({word}{score})  {edit.source}\n")
        if edit.safety is Safety.SUGGEST:
            self.echo("  a suggestion: never applied unless you accept it here\n")
        if edit.message:
            self.echo(f"  {edit.message}\n")
        text = self.texts.get(item.label)
        if text is not None:
            before, after = context(text, edit.start, edit.end)
        else:
            before, after = item.before, item.after
        change = marked(edit.original, edit.replacement, color=self.color)
        if not edit.replacement and not self.color:
            change = f"[-{edit.original}-]"
        shown = (before + change + after).replace("\n", "\n  | ")
        self.echo(f"  | {shown}\n")
        self.echo(KEYS_LINE)
        while True:
            key = self.getchar()
            if key == "?":
                self.echo("?\n" + HELP + KEYS_LINE)
                continue
            try:
                choice = Choice(key)
            except ValueError:
                shown_key = key if key.isprintable() else repr(key)
                self.echo(f"\n  no key '{shown_key}' here; ? shows the keys: ")
                continue
            self.echo(key + "\n")
            if choice in (Choice.REJECT_ALWAYS, Choice.EDIT_ALWAYS) and not self.rules_file:
                what = "an exception" if choice is Choice.REJECT_ALWAYS else "a rule"
                self.echo(
                    f"  no --rules-file: {what} cannot be written, so this answer holds for "
                    "this run only (run with --rules-file FILE to keep it)\n"
                )
            if choice in (Choice.EDIT, Choice.EDIT_ALWAYS):
                return choice, self.ask("  replacement", edit.replacement)
            return choice, None

"""The terminal side of ``cleanup review``: one proposal shown in its context, one key
read. The decisions themselves are cleanup/review.py's."""

from __future__ import annotations

import click

from cleanup.review import Choice, Proposal


def terminal_prompt(item: Proposal, number: int, total: int) -> tuple[Choice, str | None]:
    """Show one proposal in its context and read a key."""
    edit = item.edit
    score = f", score {edit.confidence:.2f}" if edit.confidence < 1 else ""
    click.echo()
    click.secho(f"[{number}/{total}] {item.label}:{item.line}:{item.column}", bold=True)
    click.echo(f"  {edit.rule_id} ({edit.safety.value}{score})  {edit.source}")
    if edit.message:
        click.echo(f"  {edit.message}")
    shown = (
        item.before.replace("\n", " ")
        + click.style(edit.original, fg="red", strikethrough=True)
        + click.style(edit.replacement, fg="green", bold=True)
        + item.after.replace("\n", " ")
    )
    click.echo(f"  ...{shown}...")
    click.echo(
        "  [y]es [n]o [e]dit [a]ll of rule [r]eject rule [N]ever here [E]dit always "
        "[u]ndo [q]uit: ",
        nl=False,
    )
    while True:
        key = click.getchar()
        try:
            choice = Choice(key)
        except ValueError:
            continue
        click.echo(key)
        if choice in (Choice.EDIT, Choice.EDIT_ALWAYS):
            return choice, click.prompt("  replacement", default=edit.replacement)
        return choice, None

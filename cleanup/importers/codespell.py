"""codespell dictionaries (``wrong->right, other``) become phrases."""

from __future__ import annotations

import re

import regex

from cleanup.errors import RuleError
from cleanup.importers.source import Entry, Source, escape_template

_WORD = re.compile(r"\w")


# -- codespell ------------------------------------------------------------------------------


def read_codespell(source: Source) -> None:
    found = 0
    first_bad: tuple[int, str] | None = None
    for number, line in enumerate(source.text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        problem = _codespell_line(source, number, line)
        if problem:
            first_bad = first_bad or (number, problem)
            source.skip(number, f"'{line.strip()[:60]}'", problem)
        else:
            found += 1
    if not found and first_bad is not None:
        raise RuleError(f"not a codespell dictionary: {first_bad[1]}", source.where(first_bad[0]))


def _codespell_line(source: Source, number: int, line: str) -> str:
    """Read one ``wrong->right`` line into entries; what is wrong with it, or ''."""
    if line.count("->") != 1:
        return "malformed line (expected 'wrong->right' or 'wrong->a, b,')"
    wrong, data = (part.strip() for part in line.split("->"))
    if not wrong or any(ch.isspace() for ch in wrong):
        return "malformed line: the misspelling must be one word"
    reason = ""
    if "," in data:
        data, reason = data.rsplit(",", 1)
        reason = reason.strip()
    answers = [a.strip() for a in data.split(",") if a.strip()]
    if not answers:
        return "malformed line: no correction"
    # A comma means codespell does not fix the word by itself: several answers, or a reason.
    note = ""
    if "," in line.split("->")[1]:
        note = "codespell suggests " + " or ".join(f"'{a}'" for a in answers)
        note += f" ({reason})" if reason else ""
    _codespell_entry(source, number, wrong, answers[0], note)
    if "'" in wrong:  # codespell also checks the typographic apostrophe
        _codespell_entry(
            source, number, wrong.replace("'", "’"), answers[0].replace("'", "’"), note
        )
    return ""


def _codespell_entry(source: Source, number: int, wrong: str, answer: str, note: str) -> None:
    where = f"{source.path.name}:{number}"
    entry = Entry(where, source.where(number), wrong, f"line-{number}", answer, finds=[wrong])
    if wrong == answer:
        source.skip(number, f"'{wrong}'", "its correction is the same text: nothing to fix")
        return
    if wrong.lower() == answer.lower():
        entry.case = "exact"  # a fix of case only, which 'preserve' refuses
    if not (_WORD.match(wrong[0]) and _WORD.match(wrong[-1])):
        # "doesn'": a phrase would also match inside "doesn't"; codespell's words are
        # runs of letters, digits, '_', '-' and apostrophes.
        entry.regex = rf"(?i)(?<![\w'’-]){regex.escape(wrong)}(?![\w'’-])"
        entry.finds, entry.replace = [], escape_template(answer)
    entry.safety = "suggest" if note else "auto"
    entry.note = note
    source.entries.append(entry)

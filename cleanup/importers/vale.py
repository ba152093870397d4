"""Vale substitution rules (YAML ``swap`` maps) become phrases or patterns."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import regex
import yaml

from cleanup.errors import RuleError
from cleanup.importers.source import (
    ANCHOR,
    Entry,
    Source,
    compose,
    escape_template,
    flag,
    mapping,
    node_line,
    scalar_text,
)

# -- Vale -----------------------------------------------------------------------------------

_VALE_SAFETY = {"error": "auto", "warning": "review", "suggestion": "suggest"}
_REGEX_META = set(".^$*+?()[]{}|\\")


@dataclass(frozen=True)
class _ValeRule:
    safety: str
    ignorecase: bool
    nonword: bool
    capitalize: bool
    exceptions: tuple[str, ...]
    link: str


def read_vale(source: Source) -> None:
    root = mapping(source, compose(source), "a Vale rule")
    extends = scalar_text(root["extends"]) if "extends" in root else None
    if extends != "substitution":
        where = source.where(node_line(root["extends"]) if "extends" in root else None)
        shown = f"'extends: {extends}'" if extends else "no 'extends' key"
        raise RuleError(
            f"{shown}: only Vale rules with 'extends: substitution' can be imported", where
        )
    rule = _vale_rule(source, root)
    swap = root.get("swap")
    if swap is None:
        raise RuleError("no 'swap' map", str(source.path))
    for key_node, value in _vale_swap(source, swap):
        _vale_entry(source, rule, key_node, value)


def _vale_rule(source: Source, root: dict[str, yaml.Node]) -> _ValeRule:
    level = scalar_text(root["level"]) if "level" in root else "suggestion"
    if level not in _VALE_SAFETY:
        where = source.where(node_line(root["level"]))
        raise RuleError(f"level must be suggestion, warning or error, not '{level}'", where)
    flags = {}
    for key in ("ignorecase", "nonword", "capitalize"):
        value = flag(root.get(key))
        if value is None:
            raise RuleError(f"{key} must be true or false", source.where(node_line(root[key])))
        flags[key] = value
    for key in ("scope", "limit"):
        if key in root and not (key == "scope" and scalar_text(root[key]) in {"text", "raw"}):
            source.skip(
                node_line(root[key]), f"key '{key}'", "not kept: cleanup fixes the whole text"
            )
    link = scalar_text(root["link"]) or "" if "link" in root else ""
    return _ValeRule(
        _VALE_SAFETY[level],
        flags["ignorecase"],
        flags["nonword"],
        flags["capitalize"],
        _vale_exceptions(source, root.get("exceptions")),
        link,
    )


def _vale_exceptions(source: Source, node: yaml.Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise RuleError("exceptions must be a list", source.where(node_line(node)))
    kept = []
    for item in node.value:
        text = scalar_text(item) or ""
        literal = _literal(text)
        if literal:
            kept.append(literal)
        else:
            why = "a regular expression; cleanup exceptions are literal text"
            source.skip(node_line(item), f"exception '{text}'", why)
    return tuple(kept)


def _vale_swap(source: Source, node: yaml.Node) -> Iterator[tuple[yaml.Node, str]]:
    if not isinstance(node, yaml.MappingNode):
        raise RuleError("'swap' must be a map of observed: expected", source.where(node_line(node)))
    mapping(source, node, "swap")  # duplicate keys are errors
    for key_node, value in node.value:
        yield key_node, scalar_text(value) or ""


def _vale_entry(source: Source, rule: _ValeRule, key_node: yaml.Node, value: str) -> None:
    key, line = scalar_text(key_node) or "", node_line(key_node)
    what = f"swap '{key}'"
    if not key:
        source.skip(line, what, "empty key")
        return
    options = _vale_options(value)
    entry = Entry(
        f"{what} ({source.path.name}:{line})",
        source.where(line),
        key,
        f"swap-{line}",
        options[0] if options else "",
        safety=rule.safety,
    )
    if len(options) > 1:
        entry.safety = "suggest"
        entry.note = "Vale suggests " + " or ".join(f"'{o}'" for o in options)
    if rule.link:
        entry.note = "; ".join(filter(None, [entry.note, rule.link]))
    problem = _vale_match(entry, rule, key)
    if problem:
        source.skip(line, what, problem)
        return
    _vale_attach_exceptions(entry, rule)
    source.entries.append(entry)


def _vale_options(value: str) -> list[str]:
    """Vale's '|'-separated suggestions; an escaped '\\|' is a literal bar."""
    parts = re.split(r"(?<!\\)\|", value)
    return [p.replace("\\|", "|") for p in parts if p]


def _vale_match(entry: Entry, rule: _ValeRule, key: str) -> str:
    """Fill the entry's find or regex; the reason it cannot be converted, or ''."""
    literal = _literal(key)
    replace = entry.replace
    if rule.capitalize and not rule.ignorecase and literal and literal[:1].isupper():
        replace = replace[:1].upper() + replace[1:]
    case_only = literal is not None and literal.lower() == replace.lower()
    if literal is not None and not rule.nonword and not (rule.ignorecase and case_only):
        if literal == replace:
            return "its replacement is the same text: nothing to fix"
        entry.finds, entry.replace = [literal], replace  # a phrase's case also decides matching
        entry.case = "preserve" if rule.ignorecase and not case_only else "exact"
        return ""
    body, problem = _vale_regex(key)
    if problem:
        return problem
    bounded = f"(?:{body})" if rule.nonword else rf"\b(?:{body})\b"
    flags = ("(?i)" if rule.ignorecase else "") + ("(?m)" if ANCHOR.search(body) else "")
    try:
        compiled = regex.compile(flags + bounded)
    except regex.error as exc:
        return f"the regex does not compile in Python: {exc}"
    template, problem = _vale_template(replace, compiled.groups, compiled.groupindex)
    if problem:
        return problem
    entry.regex, entry.replace = flags + bounded, template
    entry.case = "preserve" if (rule.ignorecase or rule.capitalize) and not case_only else "exact"
    return ""


def _literal(text: str) -> str | None:
    """The text a regex matches when it is literal (``e\\.g\\.`` is 'e.g.'), else None."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            nxt = text[i + 1 : i + 2]
            if not nxt or nxt.isalnum() or nxt == "_":
                return None
            out.append(nxt)
            i += 2
            continue
        if ch in _REGEX_META:
            return None
        out.append(ch)
        i += 1
    return "".join(out)


def _vale_regex(key: str) -> tuple[str, str]:
    """A Vale (Go regexp2) key in the regex package's syntax."""
    body = re.sub(r"\\k<(\w+)>", r"(?P=\1)", key)
    try:
        regex.compile(body)
    except regex.error as exc:
        return "", f"the regex does not compile in Python: {exc}"
    return body, ""


def _vale_template(value: str, groups: int, names: Mapping[str, int]) -> tuple[str, str]:
    """Vale expands ``$1``, ``${1}``, ``${name}``, ``$$`` only when the value has ``$<digit>``."""
    if not re.search(r"\$\d", value):
        return escape_template(value), ""
    out, pos = [], 0
    for m in re.finditer(r"\$(?:(\d+)|\{(\w+)\}|(.))", value, re.S):
        out.append(escape_template(value[pos : m.start()]))
        ref = m.group(1) or m.group(2)
        if m.group(3) == "$":
            out.append("$")
        elif m.group(3) == "&":
            out.append("\\g<0>")
        elif m.group(3) is not None:
            return "", f"'${m.group(3)}' in the replacement has no equivalent here"
        elif (ref.isdigit() and int(ref) <= groups) or ref in names:
            out.append(f"\\g<{ref}>")
        else:
            out.append(escape_template(m.group(0)))
        pos = m.end()
    out.append(escape_template(value[pos:]))
    return "".join(out), ""


def _vale_attach_exceptions(entry: Entry, rule: _ValeRule) -> None:
    """Give the entry the exceptions it can match inside (the others never concern it)."""
    for exception in rule.exceptions:
        if entry.regex:
            if regex.search(entry.regex, exception):
                entry.exceptions.append(exception)
            continue
        find = entry.finds[0]
        folded = (
            (find.lower(), exception.lower()) if entry.case == "preserve" else (find, exception)
        )
        if folded[0] in folded[1]:
            entry.exceptions.append(exception)

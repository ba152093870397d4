"""prh dictionaries (YAML): patterns, expected texts and specs become phrases or patterns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

import regex
import yaml

from cleanup.errors import RuleError
from cleanup.importers.jsregex import ASCII_B, js_regex
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

# -- prh ------------------------------------------------------------------------------------

_PRH_REGEX = re.compile(r"/(.*)/([gimy]*)")
_HANKAKU = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_ZENKAKU = (
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ０１２３４５６７８９"
)
_SPACELESS = ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "IDEOGRAPHIC", "THAI", "LAO")


def read_prh(source: Source) -> None:
    root = mapping(source, compose(source), "a prh file")
    for key in sorted(set(root) - {"version", "rules", "imports", "targets"}):
        source.skip(node_line(root[key]), f"key '{key}'", "not a prh key; ignored")
    _prh_skip_list(source, root.get("imports"), "imports", "convert that file on its own")
    _prh_skip_list(source, root.get("targets"), "targets", "cleanup has no per-file targets")
    rules = root.get("rules")
    if rules is None or (scalar_text(rules) is None and isinstance(rules, yaml.ScalarNode)):
        return
    if not isinstance(rules, yaml.SequenceNode):
        raise RuleError("'rules' must be a list", source.where(node_line(rules)))
    for index, node in enumerate(rules.value):
        _prh_rule(source, index, node)


def _prh_skip_list(source: Source, node: yaml.Node | None, key: str, why: str) -> None:
    if node is None or (isinstance(node, yaml.ScalarNode) and scalar_text(node) is None):
        return
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for i, item in enumerate(items):
        if isinstance(item, yaml.MappingNode):
            item = mapping(source, item, f"{key}[{i}]").get("path", item)
        shown = scalar_text(item)
        source.skip(node_line(item), f"{key}[{i}]" + (f" '{shown}'" if shown else ""), why)


@dataclass
class _PrhRule:
    expected: str
    patterns: list[str]
    word_boundary: bool
    must_empty: int | None
    specs: list[tuple[str, str, int]]
    comment: str


def _prh_rule(source: Source, index: int, node: yaml.Node) -> None:
    line = node_line(node)
    what = f"rules[{index}]"
    try:
        rule = _prh_fields(source, node)
    except ValueError as exc:
        source.skip(line, what, str(exc))
        return
    origin = f"{what} ({source.path.name}:{line})"
    entry = Entry(origin, source.where(line), "", f"rules-{index}", rule.expected)
    entry.note = rule.comment
    problem = _prh_entry(entry, rule)
    if problem:
        source.skip(line, what, problem)
        return
    for before, after, spec_line in rule.specs:
        entry.examples.append((before, after))
        entry.example_where.append(source.where(spec_line))
    source.entries.append(entry)


def _prh_fields(source: Source, node: yaml.Node) -> _PrhRule:
    """A prh rule's keys, checked as prh checks them (ValueError says what is wrong)."""
    if isinstance(node, yaml.ScalarNode):
        expected = scalar_text(node)
        if expected is None:
            raise ValueError("empty rule")
        return _PrhRule(expected, [], False, None, [], "")
    fields = mapping(source, node, "a prh rule")
    expected = scalar_text(fields["expected"]) if "expected" in fields else None
    if expected is None:
        raise ValueError("no 'expected' (prh refuses such a rule)")
    raw = fields.get("pattern")
    if raw is None or (isinstance(raw, yaml.ScalarNode) and scalar_text(raw) is None):
        raw = fields.get("patterns")  # prh reads 'pattern || patterns'
    patterns = _prh_patterns(raw)
    options = fields.get("options")
    boundary: bool | None = False
    if options is not None and not (isinstance(options, yaml.ScalarNode) and not options.value):
        boundary = flag(mapping(source, options, "options").get("wordBoundary"))
    if boundary is None:
        raise ValueError("options.wordBoundary must be true or false")
    return _PrhRule(
        expected,
        patterns,
        boundary,
        _prh_must_empty(fields.get("regexpMustEmpty")),
        _prh_specs(source, fields.get("specs")),
        scalar_text(fields["prh"]) or "" if "prh" in fields else "",
    )


def _prh_patterns(node: yaml.Node | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, yaml.SequenceNode):
        return [p for item in node.value for p in _prh_patterns(item)]
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError("a pattern must be text or a list of texts")
    text = scalar_text(node)
    if text == "":
        raise ValueError("a pattern is empty (prh refuses it)")
    return [text] if text is not None else []


def _prh_must_empty(node: yaml.Node | None) -> int | None:
    if node is None:
        return None
    m = re.fullmatch(r"\$([0-9]+)", scalar_text(node) or "")
    if m is None:
        raise ValueError("regexpMustEmpty must be '$1', '$2', ...")
    return int(m.group(1))


def _prh_specs(source: Source, node: yaml.Node | None) -> list[tuple[str, str, int]]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise ValueError("specs must be a list of {from, to}")
    specs = []
    for item in node.value:
        spec = mapping(source, item, "a spec")
        before = scalar_text(spec["from"]) if "from" in spec else None
        after = scalar_text(spec["to"]) if "to" in spec else None
        if not before or not after:
            raise ValueError("a spec needs 'from' and 'to' (prh refuses it)")
        specs.append((before, after, node_line(item)))
    return specs


def _prh_entry(entry: Entry, rule: _PrhRule) -> str:
    """Fill the entry from the prh rule; the reason it cannot be converted, or ''."""
    if not rule.patterns:
        return _prh_spread(entry, rule)
    if any(_PRH_REGEX.fullmatch(p) for p in rule.patterns):
        return _prh_regex(entry, rule, "review")
    finds = [p for p in dict.fromkeys(rule.patterns) if p != rule.expected]
    if not finds:
        return "its pattern is its expected text: nothing to fix"
    if any(_spaceless(f[0]) or _spaceless(f[-1]) for f in finds):
        # Japanese and Thai have no spaces between words: match anywhere, as prh does.
        return _prh_regex(entry, replace(rule, patterns=finds), "auto")
    entry.finds, entry.case, entry.hint = finds, "exact", finds[0]
    return ""


def _spaceless(ch: str) -> bool:
    """Whether ``ch`` is a letter of a script written without spaces between words."""
    return unicodedata.name(ch, "").startswith(_SPACELESS)


def _prh_spread(entry: Entry, rule: _PrhRule) -> str:
    """prh's rule with only 'expected': any case, and full-width letters, become it."""
    classes = []
    for ch in rule.expected:
        upper, lower = _HANKAKU.find(ch.upper()), _HANKAKU.find(ch.lower())
        if upper < 0 and lower < 0:
            classes.append(regex.escape(ch))
        elif upper == lower:
            classes.append(f"[{ch}{_ZENKAKU[upper]}]")
        else:
            chars = f"{ch.upper()}{ch.lower()}{_ZENKAKU[upper]}{_ZENKAKU[lower]}"
            classes.append(f"[{chars}]")
    body = "".join(classes)
    if not body:
        return "'expected' is empty"
    entry.regex = f"{ASCII_B}{body}{ASCII_B}" if rule.word_boundary else body
    entry.replace = escape_template(rule.expected)
    entry.case, entry.safety, entry.hint = "exact", "auto", rule.expected
    return ""


def _prh_regex(entry: Entry, rule: _PrhRule, safety: str) -> str:
    """One pattern for the rule's patterns, combined as prh combines them."""
    parts: list[str] = []
    flags: set[bool] = set()
    for pattern in rule.patterns:
        m = _PRH_REGEX.fullmatch(pattern)
        body, problem = js_regex(m.group(1)) if m else (regex.escape(pattern), "")
        if problem:
            return f"pattern {pattern}: {problem}"
        flags.add(bool(m and "i" in m.group(2)))
        parts.append(f"{ASCII_B}{body}{ASCII_B}" if rule.word_boundary else body)
    if len(flags) > 1:
        return "its patterns mix the i flag with others (prh refuses to combine them)"
    expr = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    prefix = ("(?i)" if True in flags else "") + ("(?m)" if ANCHOR.search(expr) else "")
    try:
        groups = regex.compile(prefix + expr).groups
    except regex.error as exc:
        return f"regex {rule.patterns[0]} does not compile in Python: {exc}"
    if rule.must_empty is not None and rule.must_empty <= groups:
        expr += f"(?({rule.must_empty})(*SKIP)(*FAIL))"
    entry.regex = prefix + expr
    entry.replace = _prh_template(rule.expected, groups)
    entry.case, entry.safety, entry.hint = "exact", safety, rule.patterns[0]
    return ""


def _prh_template(expected: str, groups: int) -> str:
    """prh's replacement: ``$1``..``$99`` insert groups that exist; the rest is literal."""
    out, pos = [], 0
    for m in re.finditer(r"\$([0-9]{1,2})", expected):
        out.append(escape_template(expected[pos : m.start()]))
        n = int(m.group(1))
        out.append(f"\\g<{n}>" if 0 < n <= groups else escape_template(m.group(0)))
        pos = m.end()
    out.append(escape_template(expected[pos:]))
    return "".join(out)

"""Convert prh dictionaries, Vale substitution rules and codespell dictionaries into cleanup
rule packs (``cleanup rules import``); what cannot be expressed is skipped with a note.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import regex
import yaml

from cleanup.engine import Engine
from cleanup.errors import RuleError
from cleanup.ruleset.load import find_clashes, load_rules
from cleanup.ruleset.model import RuleSet
from cleanup.ruletest import run_examples

FORMATS = ("prh", "vale", "codespell")
_PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_WORD = re.compile(r"\w")
_RANK = {"auto": 0, "review": 1, "suggest": 2}
_NULL = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class Converted:
    """A converted pack: its YAML text, how many rules it has, and what was left out."""

    yaml: str
    count: int
    skipped: tuple[str, ...]


def convert(source_format: str, path: Path, pack_name: str | None) -> Converted:
    """Convert one file of ``source_format`` (prh, vale or codespell) into a cleanup pack.

    The pack is named ``pack_name``, or after the file (``WEB+DB_PRESS.yml`` gives
    ``web-db-press``). Raises RuleError when the file cannot be read or is malformed.
    """
    readers: dict[str, Callable[[_Source], None]] = {
        "prh": _read_prh,
        "vale": _read_vale,
        "codespell": _read_codespell,
    }
    if source_format not in readers:
        raise RuleError(f"unknown format '{source_format}' (known: {', '.join(FORMATS)})", "")
    name = pack_name if pack_name is not None else (_slug(path.stem) or "imported")
    if not _PACK_NAME.match(name):
        raise RuleError(f"pack name '{name}' must be lowercase letters, digits and '-'", "--pack")
    source = _Source(source_format, path, _read_text(path))
    readers[source_format](source)
    entries = _merge_duplicates(source)
    return _Pack(source, name, entries).finish()


# -- the intermediate form ------------------------------------------------------------------


@dataclass
class _Entry:
    """One rule to write: a phrase (``finds``) or a pattern (``regex``)."""

    origin: str  # where it came from, for 'why' ("rules[3] (prh.yml:12)")
    where: str  # path:line, for notes
    hint: str  # text the id is made from
    fallback: str  # id when the hint gives none
    replace: str
    finds: list[str] = field(default_factory=list)
    regex: str = ""
    case: str = "preserve"
    safety: str = "auto"
    note: str = ""  # appended to 'why'
    examples: list[tuple[str, str]] = field(default_factory=list)
    example_where: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # origins of merged duplicates
    id: str = ""

    @property
    def section(self) -> str:
        return "patterns" if self.regex else "phrases"


@dataclass
class _Source:
    """The file being converted, the entries read from it, and the notes on what was not."""

    format: str
    path: Path
    text: str
    entries: list[_Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def where(self, line: int | None = None) -> str:
        return f"{self.path}:{line}" if line else str(self.path)

    def skip(self, line: int | None, what: str, why: str) -> None:
        self.notes.append(f"{self.where(line)}: {what}: {why}")


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"cannot read file: {exc.strerror or exc}", str(path)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(f"not UTF-8 (byte {exc.start})", str(path)) from exc


def _slug(text: str) -> str:
    """An id or pack name made from text: lowercase ASCII letters, digits and '-'.

    >>> _slug("WEB+DB_PRESS"), _slug("ＪＱｕｅｒｙ"), _slug("naïve café")
    ('web-db-press', 'jquery', 'naive-cafe')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


# -- YAML sources (prh, Vale) ---------------------------------------------------------------


def _compose(source: _Source) -> yaml.Node:
    """The file's node tree (positions kept); duplicate keys are errors, as in prh and Vale."""
    try:
        root = yaml.compose(source.text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = source.where(mark.line + 1 if mark else None)
        raise RuleError(f"malformed YAML: {exc.problem or exc.context}", where) from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"malformed YAML: {exc}", str(source.path)) from exc
    if root is None:
        raise RuleError("empty file", str(source.path))
    return root


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _mapping(source: _Source, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise RuleError(f"{what} must be a mapping", source.where(_line(node)))
    out: dict[str, yaml.Node] = {}
    for key_node, value in node.value:
        key = _scalar_text(key_node)
        if key is None:
            raise RuleError(f"{what} has a key that is not text", source.where(_line(key_node)))
        if key in out:
            raise RuleError(f"duplicate key '{key}' in {what}", source.where(_line(key_node)))
        out[key] = value
    return out


def _scalar_text(node: yaml.Node) -> str | None:
    """A scalar as written (YAML 1.2 readers such as prh's and Vale's keep 'yes' text)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.style is None and node.value in _NULL:
        return None
    return str(node.value)


def _flag(node: yaml.Node | None) -> bool | None:
    """true/false as Go's ParseBool and YAML read them; None when absent or not a flag."""
    if node is None:
        return False
    value = _scalar_text(node)
    if value in {"1", "t", "T", "true", "True", "TRUE"}:
        return True
    if value in {"0", "f", "F", "false", "False", "FALSE"}:
        return False
    return None


# -- prh ------------------------------------------------------------------------------------

_PRH_REGEX = re.compile(r"/(.*)/([gimy]*)")
_HANKAKU = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_ZENKAKU = (
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ０１２３４５６７８９"
)
_ASCII_B = r"(?a:\b)"
_SPACELESS = ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "IDEOGRAPHIC", "THAI", "LAO")
_ANCHOR = re.compile(r"(?<![\[\\])[$^]")  # ^ or $ outside [^...] and escapes: needs (?m)


def _read_prh(source: _Source) -> None:
    root = _mapping(source, _compose(source), "a prh file")
    for key in sorted(set(root) - {"version", "rules", "imports", "targets"}):
        source.skip(_line(root[key]), f"key '{key}'", "not a prh key; ignored")
    _prh_skip_list(source, root.get("imports"), "imports", "convert that file on its own")
    _prh_skip_list(source, root.get("targets"), "targets", "cleanup has no per-file targets")
    rules = root.get("rules")
    if rules is None or (_scalar_text(rules) is None and isinstance(rules, yaml.ScalarNode)):
        return
    if not isinstance(rules, yaml.SequenceNode):
        raise RuleError("'rules' must be a list", source.where(_line(rules)))
    for index, node in enumerate(rules.value):
        _prh_rule(source, index, node)


def _prh_skip_list(source: _Source, node: yaml.Node | None, key: str, why: str) -> None:
    if node is None or (isinstance(node, yaml.ScalarNode) and _scalar_text(node) is None):
        return
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for i, item in enumerate(items):
        if isinstance(item, yaml.MappingNode):
            item = _mapping(source, item, f"{key}[{i}]").get("path", item)
        shown = _scalar_text(item)
        source.skip(_line(item), f"{key}[{i}]" + (f" '{shown}'" if shown else ""), why)


@dataclass
class _PrhRule:
    expected: str
    patterns: list[str]
    word_boundary: bool
    must_empty: int | None
    specs: list[tuple[str, str, int]]
    comment: str


def _prh_rule(source: _Source, index: int, node: yaml.Node) -> None:
    line = _line(node)
    what = f"rules[{index}]"
    try:
        rule = _prh_fields(source, node)
    except ValueError as exc:
        source.skip(line, what, str(exc))
        return
    origin = f"{what} ({source.path.name}:{line})"
    entry = _Entry(origin, source.where(line), "", f"rules-{index}", rule.expected)
    entry.note = rule.comment
    problem = _prh_entry(entry, rule)
    if problem:
        source.skip(line, what, problem)
        return
    for before, after, spec_line in rule.specs:
        entry.examples.append((before, after))
        entry.example_where.append(source.where(spec_line))
    source.entries.append(entry)


def _prh_fields(source: _Source, node: yaml.Node) -> _PrhRule:
    """A prh rule's keys, checked as prh checks them (ValueError says what is wrong)."""
    if isinstance(node, yaml.ScalarNode):
        expected = _scalar_text(node)
        if expected is None:
            raise ValueError("empty rule")
        return _PrhRule(expected, [], False, None, [], "")
    fields = _mapping(source, node, "a prh rule")
    expected = _scalar_text(fields["expected"]) if "expected" in fields else None
    if expected is None:
        raise ValueError("no 'expected' (prh refuses such a rule)")
    raw = fields.get("pattern")
    if raw is None or (isinstance(raw, yaml.ScalarNode) and _scalar_text(raw) is None):
        raw = fields.get("patterns")  # prh reads 'pattern || patterns'
    patterns = _prh_patterns(raw)
    options = fields.get("options")
    boundary: bool | None = False
    if options is not None and not (isinstance(options, yaml.ScalarNode) and not options.value):
        boundary = _flag(_mapping(source, options, "options").get("wordBoundary"))
    if boundary is None:
        raise ValueError("options.wordBoundary must be true or false")
    return _PrhRule(
        expected,
        patterns,
        boundary,
        _prh_must_empty(fields.get("regexpMustEmpty")),
        _prh_specs(source, fields.get("specs")),
        _scalar_text(fields["prh"]) or "" if "prh" in fields else "",
    )


def _prh_patterns(node: yaml.Node | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, yaml.SequenceNode):
        return [p for item in node.value for p in _prh_patterns(item)]
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError("a pattern must be text or a list of texts")
    text = _scalar_text(node)
    if text == "":
        raise ValueError("a pattern is empty (prh refuses it)")
    return [text] if text is not None else []


def _prh_must_empty(node: yaml.Node | None) -> int | None:
    if node is None:
        return None
    m = re.fullmatch(r"\$([0-9]+)", _scalar_text(node) or "")
    if m is None:
        raise ValueError("regexpMustEmpty must be '$1', '$2', ...")
    return int(m.group(1))


def _prh_specs(source: _Source, node: yaml.Node | None) -> list[tuple[str, str, int]]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise ValueError("specs must be a list of {from, to}")
    specs = []
    for item in node.value:
        spec = _mapping(source, item, "a spec")
        before = _scalar_text(spec["from"]) if "from" in spec else None
        after = _scalar_text(spec["to"]) if "to" in spec else None
        if not before or not after:
            raise ValueError("a spec needs 'from' and 'to' (prh refuses it)")
        specs.append((before, after, _line(item)))
    return specs


def _prh_entry(entry: _Entry, rule: _PrhRule) -> str:
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


def _prh_spread(entry: _Entry, rule: _PrhRule) -> str:
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
    entry.regex = f"{_ASCII_B}{body}{_ASCII_B}" if rule.word_boundary else body
    entry.replace = _escape_template(rule.expected)
    entry.case, entry.safety, entry.hint = "exact", "auto", rule.expected
    return ""


def _prh_regex(entry: _Entry, rule: _PrhRule, safety: str) -> str:
    """One pattern for the rule's patterns, combined as prh combines them."""
    parts: list[str] = []
    flags: set[bool] = set()
    for pattern in rule.patterns:
        m = _PRH_REGEX.fullmatch(pattern)
        body, problem = _js_regex(m.group(1)) if m else (regex.escape(pattern), "")
        if problem:
            return f"pattern {pattern}: {problem}"
        flags.add(bool(m and "i" in m.group(2)))
        parts.append(f"{_ASCII_B}{body}{_ASCII_B}" if rule.word_boundary else body)
    if len(flags) > 1:
        return "its patterns mix the i flag with others (prh refuses to combine them)"
    expr = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    prefix = ("(?i)" if True in flags else "") + ("(?m)" if _ANCHOR.search(expr) else "")
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
        out.append(_escape_template(expected[pos : m.start()]))
        n = int(m.group(1))
        out.append(f"\\g<{n}>" if 0 < n <= groups else _escape_template(m.group(0)))
        pos = m.end()
    out.append(_escape_template(expected[pos:]))
    return "".join(out)


def _escape_template(text: str) -> str:
    return text.replace("\\", "\\\\")


# JavaScript regex escapes and what they are in the regex package (prh's regexes use the
# u flag, where \d, \w and \b are ASCII-only).
_JS_OUTSIDE = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[A-Za-z0-9_]",
    "W": "[^A-Za-z0-9_]",
    "b": _ASCII_B,
    "B": r"(?a:\B)",
    "/": "/",
}
_JS_INSIDE = {"d": "0-9", "w": "A-Za-z0-9_", "b": r"\x08", "/": "/", "[": r"\["}
_JS_KEPT = set("sSfnrtv0123456789xpP")


def _js_regex(source: str) -> tuple[str, str]:
    """A JavaScript regex in the syntax of the ``regex`` package, or '' and why not.

    >>> _js_regex(r"\\d+(?<y>\\w)\\k<y>[^]")
    ('[0-9]+(?<y>[A-Za-z0-9_])(?P=y)[\\\\s\\\\S]', '')
    >>> _js_regex(r"[\\D]")
    ('', '\\\\D inside [...] has no equivalent here')
    """
    out: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            piece, i, problem = _js_escape(source, i, in_class)
            if problem:
                return "", problem
            out.append(piece)
            continue
        if not in_class and source.startswith("[^]", i):
            out.append(r"[\s\S]")
            i += 3
            continue
        if not in_class and source.startswith("[]", i):
            out.append("(?!)")
            i += 2
            continue
        if ch == "[":
            out.append("[" if not in_class else r"\[")
            in_class = True
            if source.startswith("^", i + 1):
                out.append("^")
                i += 1
        elif ch == "]" and in_class:
            out.append("]")
            in_class = False
        else:
            out.append(ch)
        i += 1
    return "".join(out), ""


def _js_escape(source: str, i: int, in_class: bool) -> tuple[str, int, str]:
    """The escape at ``source[i]`` (a backslash): its translation, the next index, a problem."""
    c = source[i + 1] if i + 1 < len(source) else ""
    table = _JS_INSIDE if in_class else _JS_OUTSIDE
    if not c:
        return "", i, "it ends with a lone backslash"
    if c in table:
        return table[c], i + 2, ""
    if c in "DW":
        return "", i, f"\\{c} inside [...] has no equivalent here"
    if c == "k" and not in_class:
        m = re.match(r"\\k<(\w+)>", source[i:])
        if m:
            return f"(?P={m.group(1)})", i + m.end(), ""
    if c == "u" and source.startswith("{", i + 2):
        m = re.match(r"\\u\{([0-9A-Fa-f]{1,6})\}", source[i:])
        if m:
            return f"\\U{int(m.group(1), 16):08x}", i + m.end(), ""
    if c == "c" and i + 2 < len(source) and source[i + 2].isascii() and source[i + 2].isalpha():
        return f"\\x{ord(source[i + 2]) % 32:02x}", i + 3, ""
    if c in _JS_KEPT or c == "u" or (c and not c.isascii()) or (c and not c.isalnum()):
        return "\\" + c, i + 2, ""
    return "", i, f"the escape \\{c} has no equivalent here"


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


def _read_vale(source: _Source) -> None:
    root = _mapping(source, _compose(source), "a Vale rule")
    extends = _scalar_text(root["extends"]) if "extends" in root else None
    if extends != "substitution":
        where = source.where(_line(root["extends"]) if "extends" in root else None)
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


def _vale_rule(source: _Source, root: dict[str, yaml.Node]) -> _ValeRule:
    level = _scalar_text(root["level"]) if "level" in root else "suggestion"
    if level not in _VALE_SAFETY:
        where = source.where(_line(root["level"]))
        raise RuleError(f"level must be suggestion, warning or error, not '{level}'", where)
    flags = {}
    for key in ("ignorecase", "nonword", "capitalize"):
        value = _flag(root.get(key))
        if value is None:
            raise RuleError(f"{key} must be true or false", source.where(_line(root[key])))
        flags[key] = value
    for key in ("scope", "limit"):
        if key in root and not (key == "scope" and _scalar_text(root[key]) in {"text", "raw"}):
            source.skip(_line(root[key]), f"key '{key}'", "not kept: cleanup fixes the whole text")
    link = _scalar_text(root["link"]) or "" if "link" in root else ""
    return _ValeRule(
        _VALE_SAFETY[level],
        flags["ignorecase"],
        flags["nonword"],
        flags["capitalize"],
        _vale_exceptions(source, root.get("exceptions")),
        link,
    )


def _vale_exceptions(source: _Source, node: yaml.Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise RuleError("exceptions must be a list", source.where(_line(node)))
    kept = []
    for item in node.value:
        text = _scalar_text(item) or ""
        literal = _literal(text)
        if literal:
            kept.append(literal)
        else:
            why = "a regular expression; cleanup exceptions are literal text"
            source.skip(_line(item), f"exception '{text}'", why)
    return tuple(kept)


def _vale_swap(source: _Source, node: yaml.Node) -> Iterator[tuple[yaml.Node, str]]:
    if not isinstance(node, yaml.MappingNode):
        raise RuleError("'swap' must be a map of observed: expected", source.where(_line(node)))
    _mapping(source, node, "swap")  # duplicate keys are errors
    for key_node, value in node.value:
        yield key_node, _scalar_text(value) or ""


def _vale_entry(source: _Source, rule: _ValeRule, key_node: yaml.Node, value: str) -> None:
    key, line = _scalar_text(key_node) or "", _line(key_node)
    what = f"swap '{key}'"
    if not key:
        source.skip(line, what, "empty key")
        return
    options = _vale_options(value)
    entry = _Entry(
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


def _vale_match(entry: _Entry, rule: _ValeRule, key: str) -> str:
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
    flags = ("(?i)" if rule.ignorecase else "") + ("(?m)" if _ANCHOR.search(body) else "")
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
        return _escape_template(value), ""
    out, pos = [], 0
    for m in re.finditer(r"\$(?:(\d+)|\{(\w+)\}|(.))", value, re.S):
        out.append(_escape_template(value[pos : m.start()]))
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
            out.append(_escape_template(m.group(0)))
        pos = m.end()
    out.append(_escape_template(value[pos:]))
    return "".join(out), ""


def _vale_attach_exceptions(entry: _Entry, rule: _ValeRule) -> None:
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


# -- codespell ------------------------------------------------------------------------------


def _read_codespell(source: _Source) -> None:
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


def _codespell_line(source: _Source, number: int, line: str) -> str:
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


def _codespell_entry(source: _Source, number: int, wrong: str, answer: str, note: str) -> None:
    where = f"{source.path.name}:{number}"
    entry = _Entry(where, source.where(number), wrong, f"line-{number}", answer, finds=[wrong])
    if wrong == answer:
        source.skip(number, f"'{wrong}'", "its correction is the same text: nothing to fix")
        return
    if wrong.lower() == answer.lower():
        entry.case = "exact"  # a fix of case only, which 'preserve' refuses
    if not (_WORD.match(wrong[0]) and _WORD.match(wrong[-1])):
        # "doesn'": a phrase would also match inside "doesn't"; codespell's words are
        # runs of letters, digits, '_', '-' and apostrophes.
        entry.regex = rf"(?i)(?<![\w'’-]){regex.escape(wrong)}(?![\w'’-])"
        entry.finds, entry.replace = [], _escape_template(answer)
    entry.safety = "suggest" if note else "auto"
    entry.note = note
    source.entries.append(entry)


# -- duplicates and ids ---------------------------------------------------------------------


def _find_key(entry: _Entry, find: str) -> tuple[str, str]:
    return (find.lower() if entry.case == "preserve" else find, entry.case)


def _merge_duplicates(source: _Source) -> list[_Entry]:
    """The first entry for a text wins; a later one with the same fix merges into it."""
    owners: dict[tuple[str, str], _Entry] = {}
    kept: list[_Entry] = []
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


def _merge_into(source: _Source, first: _Entry, later: _Entry, find: str) -> None:
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


def _assign_ids(entries: list[_Entry]) -> None:
    """Ids from the text each rule finds, made unique in file order (-2, -3, ...)."""
    used: set[str] = set()
    for entry in entries:
        hint = entry.hint
        if entry.regex:  # /\bnode\.?js\b/i gives node-js: no escapes, groups or flags
            hint = re.sub(r"\\[A-Za-z]|\(\?[^)]*?[:=!>]|/[gimy]*$", " ", hint)
        base = _slug(hint)
        if len(base) < 2 or (entry.regex and not re.search(r"[a-z]{2}", base)):
            base = entry.fallback
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        entry.id = candidate


# -- writing and checking the pack ----------------------------------------------------------


class _Pack:
    """Renders entries as YAML, loads the result with cleanup's own loader, and drops what
    cleanup refuses (clashes, fixes that would not settle, failing examples) with a note.
    """

    def __init__(self, source: _Source, name: str, entries: list[_Entry]) -> None:
        self.source = source
        self.name = name
        self.entries = entries
        self.lines: dict[int, tuple[_Entry, int | None]] = {}  # line -> rule, example index
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
            f"pack: {_scalar(self.name)}",
            f"description: {_scalar(described)}",
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

    def at(self, line: int) -> tuple[_Entry, int | None]:
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


def _shown(entry: _Entry) -> str:
    return f"'{entry.finds[0]}'" if entry.finds else f"/{entry.regex}/"


def _entry_lines(entry: _Entry, source_format: str) -> Iterator[tuple[str, int | None]]:
    """The entry's YAML lines; the second item marks the line that starts an example."""
    yield f"  - id: {_scalar(entry.id)}", None
    if entry.regex:
        yield f"    regex: {_scalar(entry.regex)}", None
    elif len(entry.finds) == 1:
        yield f"    find: {_scalar(entry.finds[0])}", None
    else:
        yield from ((line, None) for line in _list_lines("find", entry.finds))
    yield f"    replace: {_scalar(entry.replace)}", None
    if entry.case != ("exact" if entry.regex else "preserve"):
        yield f"    case: {entry.case}", None
    if entry.safety != ("review" if entry.regex else "auto"):
        yield f"    safety: {entry.safety}", None
    yield f"    why: {_scalar(_why(entry, source_format))}", None
    if entry.exceptions:
        yield from ((line, None) for line in _list_lines("exceptions", entry.exceptions))
    if entry.examples:
        yield "    examples:", None
    for i, (before, after) in enumerate(entry.examples):
        if before == after:
            yield f"      - unchanged: {_scalar(before)}", i
        else:
            yield f"      - before: {_scalar(before)}", i
            yield f"        after: {_scalar(after)}", None


def _list_lines(key: str, items: list[str]) -> Iterator[str]:
    flow = [_scalar(item, flow=True) for item in items]
    line = f"    {key}: [{', '.join(flow)}]"
    if len(line) <= 100:
        yield line
        return
    yield f"    {key}:"
    yield from (f"      - {_scalar(item)}" for item in items)


def _why(entry: _Entry, source_format: str) -> str:
    why = f"from {source_format}: " + ", ".join([entry.origin, *entry.also])
    return f"{why}; {entry.note}" if entry.note else why


# -- YAML scalars ---------------------------------------------------------------------------

_FLOW_UNSAFE = set(",[]{}?:#'\"")  # PyYAML ends a plain scalar at ? and : in [...]
_RESOLVER = yaml.resolver.Resolver()
_RESOLVED_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)


def _scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar that every YAML reader (1.1 or 1.2) reads back unchanged.

    >>> [_scalar(s) for s in ["plain text", "yes", "#hash", " lead", "it's", "a\\tb"]]
    ['plain text', "'yes'", "'#hash'", "' lead'", "it's", '"a\\\\tb"']
    """
    if not text.isprintable():  # the space is printable; tabs, line breaks, NBSP are not
        return _double_quoted(text)
    if _plain_ok(text, flow):
        return text
    return "'" + text.replace("'", "''") + "'"


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or not text[0].isalpha():
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and not _FLOW_UNSAFE.isdisjoint(text):
        return False
    if len(text) == 1 and text in "yYnN":
        return False  # YAML 1.1 booleans to some readers
    if text[0] not in _RESOLVED_FIRST:
        return True
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == "tag:yaml.org,2002:str")


def _double_quoted(text: str) -> str:
    named = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
    out = []
    for ch in text:
        if ch in named:
            out.append(named[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'

"""What every importer reads into: the file being converted (``Source``), the rules read
from it (``Entry``), and the helpers for YAML sources (prh, Vale)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cleanup.errors import RuleError

# ^ or $ outside [^...] and escapes: a regex that needs (?m).
ANCHOR = re.compile(r"(?<![\[\\])[$^]")
_NULL = {"", "~", "null", "Null", "NULL"}


# -- the intermediate form ------------------------------------------------------------------


@dataclass
class Entry:
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
class Source:
    """The file being converted, the entries read from it, and the notes on what was not."""

    format: str
    path: Path
    text: str
    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def where(self, line: int | None = None) -> str:
        return f"{self.path}:{line}" if line else str(self.path)

    def skip(self, line: int | None, what: str, why: str) -> None:
        self.notes.append(f"{self.where(line)}: {what}: {why}")


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"cannot read file: {exc.strerror or exc}", str(path)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(f"not UTF-8 (byte {exc.start})", str(path)) from exc


def slug(text: str) -> str:
    """An id or pack name made from text: lowercase ASCII letters, digits and '-'.

    >>> slug("WEB+DB_PRESS"), slug("ＪＱｕｅｒｙ"), slug("naïve café")
    ('web-db-press', 'jquery', 'naive-cafe')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


# -- YAML sources (prh, Vale) ---------------------------------------------------------------


def compose(source: Source) -> yaml.Node:
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


def node_line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def mapping(source: Source, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise RuleError(f"{what} must be a mapping", source.where(node_line(node)))
    out: dict[str, yaml.Node] = {}
    for key_node, value in node.value:
        key = scalar_text(key_node)
        if key is None:
            raise RuleError(f"{what} has a key that is not text", source.where(node_line(key_node)))
        if key in out:
            raise RuleError(f"duplicate key '{key}' in {what}", source.where(node_line(key_node)))
        out[key] = value
    return out


def scalar_text(node: yaml.Node) -> str | None:
    """A scalar as written (YAML 1.2 readers such as prh's and Vale's keep 'yes' text)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.style is None and node.value in _NULL:
        return None
    return str(node.value)


def flag(node: yaml.Node | None) -> bool | None:
    """true/false as Go's ParseBool and YAML read them; None when absent or not a flag."""
    if node is None:
        return False
    value = scalar_text(node)
    if value in {"1", "t", "T", "true", "True", "TRUE"}:
        return True
    if value in {"0", "f", "F", "false", "False", "FALSE"}:
        return False
    return None


def escape_template(text: str) -> str:
    return text.replace("\\", "\\\\")

"""Settings from a configuration file, found from the working folder upwards the way
ruff and black find theirs: ``cleanup.toml``, ``.cleanup.yaml``, or ``[tool.cleanup]``
in ``pyproject.toml``. Every value remembers the file and line it came from.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from cleanup.edit import Safety
from cleanup.errors import CleanupError
from cleanup.ruleset.model import RuleSet
from cleanup.textio import DEFAULT_INCLUDE

# In the order they are looked for in each folder; the first found is the one used.
CONFIG_NAMES = ("cleanup.toml", ".cleanup.yaml", "pyproject.toml")


class ConfigError(CleanupError):
    """A configuration file that cannot be used."""


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _choice(*allowed: str) -> Callable[[object], object]:
    def check(value: object) -> object:
        return value if value in allowed else None

    check.__doc__ = " | ".join(allowed)
    return check


def _bool(value: object) -> object:
    return value if isinstance(value, bool) else None


def _positive(value: object) -> object:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return value if ok else None


def _text(value: object) -> object:
    return value if isinstance(value, str) and value else None


def _list(value: object) -> object:
    return _strings(value)


_bool.__doc__ = "true or false"
_positive.__doc__ = "a whole number >= 1"
_text.__doc__ = "a text"
_list.__doc__ = "a list of texts (or one comma-separated text)"

SAFETIES = tuple(s.value for s in Safety)

# Every key a configuration may hold, and how its value is checked. Keys are written
# with dashes, as the command-line options are.
KEYS: dict[str, Callable[[object], object]] = {
    "rules": _list,
    "no-default-rules": _bool,
    "select": _list,
    "ignore": _list,
    "include": _list,
    "exclude": _list,
    "accept-review": _bool,
    "format": _choice("text", "json", "jsonl", "github", "sarif"),
    "diff-format": _choice("auto", "unified", "words"),
    "color": _choice("auto", "always", "never"),
    "encoding": _text,
    "baseline": _text,
    "jobs": _positive,
    "grammar": _choice("off", "on", "required"),
    "safety": lambda v: v,  # a table: checked entry by entry
}
# Keys whose values are paths, read relative to the file that holds them.
PATH_KEYS = frozenset({"rules", "baseline"})


@dataclass(frozen=True)
class Setting:
    """One value and where it came from ("file:line")."""

    value: Any
    source: str


@dataclass(frozen=True)
class Config:
    """The settings of one configuration file (none: every default)."""

    path: Path | None = None
    settings: Mapping[str, Setting] = field(default_factory=dict)
    # Per rule id or pack: the safety it is given, and where that was said.
    safety: Mapping[str, Setting] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        setting = self.settings.get(key)
        return default if setting is None else setting.value

    def defaults(self) -> dict[str, Any]:
        """The settings as click option defaults (``ctx.default_map``) of ``fix``.

        >>> Config(settings={"select": Setting(("a",), "x:1")}).defaults()["select"]
        ('a',)
        """
        out: dict[str, Any] = {}
        for key, setting in self.settings.items():
            name = _PARAMETERS.get(key, key.replace("-", "_"))
            value = setting.value
            if key == "rules":
                value = tuple(Path(v) for v in value)
            elif key == "baseline":
                value = Path(value)
            out[name] = value
        if self.safety:
            out["safety"] = tuple(f"{k}={s.value}" for k, s in self.safety.items())
        return out


# click parameter names that differ from the key.
_PARAMETERS = {
    "rules": "rule_paths",
    "format": "output_format",
    "grammar": "grammar_mode",
    "baseline": "baseline_path",
}


def find_config(start: Path) -> Path | None:
    """The configuration file that applies in ``start``: the nearest folder, upwards, with
    ``cleanup.toml``, ``.cleanup.yaml`` or a ``pyproject.toml`` holding ``[tool.cleanup]``.
    """
    folder = start.resolve()
    for here in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = here / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and not _has_tool_table(candidate):
                continue
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*cleanup\s*[.\]]", text, re.MULTILINE) is not None


def load_config(start: Path | None = None, path: Path | None = None) -> Config:
    """Read the configuration for ``start`` (the working folder), or the file ``path``."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read configuration: {exc.strerror}", str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte {exc.start})", str(path)) from None
    if path.suffix in (".yaml", ".yml"):
        raw = _read_yaml(path, text)
    else:
        raw = _read_toml(path, text)
    return _check(path, raw)


# A value as read, with the line (1-based) of its key.
_Raw = dict[str, tuple[object, int]]


def _read_toml(path: Path, text: str) -> _Raw:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"malformed TOML: {exc}", str(path)) from None
    table_name = "tool.cleanup" if path.name == "pyproject.toml" else ""
    table: object = data.get("tool", {}).get("cleanup", {}) if table_name else data
    if not isinstance(table, dict):
        raise ConfigError("[tool.cleanup] must be a table", str(path))
    lines = text.splitlines()
    raw: _Raw = {}
    for key, value in table.items():
        line = _toml_line(lines, table_name, key)
        if isinstance(value, dict) and key == "safety":
            sub = f"{table_name}.safety".lstrip(".")
            entries = {k: (v, _toml_line(lines, sub, k, line)) for k, v in value.items()}
            raw[key] = (entries, line)
        else:
            raw[key] = (value, line)
    return raw


def _toml_line(lines: list[str], table: str, key: str, fallback: int = 0) -> int:
    """The line of ``key`` in ``table`` (tomllib keeps no positions, so it is looked up)."""
    key_re = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    header = re.compile(r"^\s*\[\s*([^\]]*?)\s*\]")
    current = ""
    for number, line in enumerate(lines, 1):
        m = header.match(line)
        if m:
            current = re.sub(r"\s*\.\s*", ".", m.group(1))
            if current == f"{table}.{key}".lstrip("."):
                return number
            continue
        if current == table and key_re.match(line):
            return number
    return fallback


def _read_yaml(path: Path, text: str) -> _Raw:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"malformed YAML: {exc.problem or exc.context}", where) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"malformed YAML: {exc}", str(path)) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError("the configuration must be a mapping of settings", f"{path}:1")
    raw: _Raw = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        key = str(key_node.value)
        if key == "safety" and isinstance(value_node, yaml.MappingNode):
            entries = {
                str(k.value): (_yaml_value(v), k.start_mark.line + 1) for k, v in value_node.value
            }
            raw[key] = (entries, line)
        else:
            raw[key] = (_yaml_value(value_node), line)
    return raw


def _yaml_value(node: yaml.Node) -> object:
    return yaml.SafeLoader(yaml.serialize(node)).get_single_data()


def _check(path: Path, raw: _Raw) -> Config:
    settings: dict[str, Setting] = {}
    safety: dict[str, Setting] = {}
    for key, (value, line) in raw.items():
        where = f"{path}:{line}" if line else str(path)
        checker = KEYS.get(key)
        if checker is None:
            raise ConfigError(f"unknown key '{key}'{did_you_mean(key, KEYS)}", where)
        if key == "safety":
            if not isinstance(value, dict):
                raise ConfigError("'safety' must map rule ids or packs to a safety", where)
            for rule, (level, at) in value.items():
                if level not in SAFETIES:
                    raise ConfigError(
                        f"safety of '{rule}' must be one of {', '.join(SAFETIES)}"
                        f"{did_you_mean(str(level), SAFETIES)}",
                        f"{path}:{at or line}",
                    )
                safety[str(rule)] = Setting(level, f"{path}:{at or line}")
            continue
        checked = checker(value)
        if checked is None:
            raise ConfigError(f"'{key}' must be {checker.__doc__}; got {value!r}", where)
        if key in PATH_KEYS:
            folder = path.parent
            if isinstance(checked, tuple):
                checked = tuple(str(folder / v) for v in checked)
            else:
                checked = str(folder / str(checked))
        settings[key] = Setting(checked, where)
    return Config(path, settings, safety)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest choice, or nothing.

    >>> did_you_mean("ignroe", ["ignore", "select"])
    "; did you mean 'ignore'?"
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def parse_safety(pairs: Iterable[str]) -> dict[str, Safety]:
    """``ID=LEVEL`` pairs (``--safety``) as a mapping; a bad pair is an error.

    >>> parse_safety(["calques=review"])
    {'calques': <Safety.REVIEW: 'review'>}
    """
    out: dict[str, Safety] = {}
    for pair in pairs:
        rule, sep, level = pair.partition("=")
        if not sep or not rule.strip() or level.strip() not in SAFETIES:
            msg = (
                f"--safety {pair}: give RULE_OR_PACK=LEVEL, LEVEL one of {', '.join(SAFETIES)}"
                f"{did_you_mean(level.strip(), SAFETIES) if sep else ''}"
            )
            raise CleanupError(msg)
        out[rule.strip()] = Safety(level.strip())
    return out


def apply_safety(ruleset: RuleSet, levels: Mapping[str, Safety]) -> RuleSet:
    """The rules with the safety they are given by id or pack; the most specific wins."""
    if not levels:
        return ruleset
    from cleanup.engine import id_matches

    ordered = sorted(levels.items(), key=lambda kv: len(kv[0]))  # packs first, then ids
    rules = []
    for rule in ruleset.rules:
        safety = rule.safety
        for selector, level in ordered:
            if id_matches(rule.id, selector):
                safety = level
        rules.append(rule if safety is rule.safety else replace(rule, safety=safety))
    return replace(ruleset, rules=tuple(rules))


def excluded(label: str, patterns: Iterable[str]) -> bool:
    """Whether a file (a forward-slash path) matches an exclude pattern: a pattern matches
    the whole path, any folder in it, or the file's name.

    >>> excluded("news/drafts/a.txt", ["drafts"])
    True
    >>> excluded("news/a.txt", ["*.md"])
    False
    """
    path = PurePosixPath(label)
    parts = path.parts
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(label, pattern) or fnmatch.fnmatch(path.name, pattern):
            return True
        if any(fnmatch.fnmatch(part, pattern) for part in parts[:-1]):
            return True
        if "/" in pattern and any(
            fnmatch.fnmatch("/".join(parts[:i]), pattern) for i in range(1, len(parts))
        ):
            return True
    return False


def describe(config: Config, command_line: Mapping[str, Any] | None = None) -> list[str]:
    """Lines for ``cleanup config``: each setting in effect, and where it came from."""
    lines = [f"# configuration: {config.path or 'none found (defaults only)'}"]
    given = dict(command_line or {})
    for key in KEYS:
        if key == "safety":
            for rule, setting in config.safety.items():
                lines.append(f"safety.{rule} = {setting.value}    # {setting.source}")
            continue
        if key in given:
            lines.append(f"{key} = {_show(given[key])}    # command line")
        elif key in config.settings:
            setting = config.settings[key]
            lines.append(f"{key} = {_show(setting.value)}    # {setting.source}")
        else:
            lines.append(f"{key} = {_show(DEFAULTS.get(key))}    # default")
    return lines


def _show(value: object) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "(none)"
    return str(value)


DEFAULTS: dict[str, object] = {
    "rules": (),
    "no-default-rules": False,
    "select": (),
    "ignore": (),
    "include": DEFAULT_INCLUDE,
    "exclude": (),
    "accept-review": False,
    "format": "text",
    "diff-format": "auto",
    "color": "auto",
    "encoding": None,
    "baseline": None,
    "jobs": None,
    "grammar": "off",
}


# The settings each command takes from a configuration file (the rest are fix's only).
_PACK_KEYS = frozenset({"rules", "no-default-rules"})
_COMMAND_KEYS: dict[str, frozenset[str] | None] = {
    "fix": None,  # every key
    "review": _PACK_KEYS | {"include"},
    "suggest": frozenset({"include"}),
}
_RULES_COMMANDS = ("list", "show", "add")


def default_map(config: Config) -> dict[str, Any]:
    """The configuration as click's ``default_map`` for the ``cleanup`` group: defaults
    that options given on the command line override.

    >>> config = Config(settings={"rules": Setting(("a.yaml",), "x:1")})
    >>> default_map(config)["rules"]["list"]
    {'rule_paths': (PosixPath('a.yaml'),)}
    """
    values = config.defaults()
    out: dict[str, Any] = {}
    for command, keys in _COMMAND_KEYS.items():
        allowed = None if keys is None else {_PARAMETERS.get(k, k.replace("-", "_")) for k in keys}
        out[command] = {k: v for k, v in values.items() if allowed is None or k in allowed}
    pack_params = {_PARAMETERS.get(k, k.replace("-", "_")) for k in _PACK_KEYS}
    packs = {k: v for k, v in values.items() if k in pack_params}
    out["rules"] = {command: dict(packs) for command in _RULES_COMMANDS}
    return out

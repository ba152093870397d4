"""YAML rule packs -> RuleSet, with errors that name the file, line and column.

Files are parsed with libyaml's composer (PyYAML's C loader): it keeps the position of
every value and reads a 10,000-rule pack in about 0.1 s, where a pure-Python round-trip
parser takes seconds. Round-trip editing of rule files (comments kept) is done elsewhere
with ruamel.yaml.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import regex
import yaml

from cleanup import names, schema
from cleanup.collector import paused_gc
from cleanup.edit import Kind, Safety
from cleanup.errors import RuleError
from cleanup.names.index import build_index
from cleanup.ruleset import cache
from cleanup.ruleset.fixers import FIXERS
from cleanup.ruleset.macros import expand_macros
from cleanup.ruleset.model import (
    CaseMode,
    Example,
    LiteralKey,
    LiteralRule,
    NameEntry,
    NameRule,
    PatternRule,
    PhraseRule,
    Rule,
    RuleSet,
    StructureRule,
    keys_of,
)

try:  # libyaml is bundled with PyYAML's wheels; the pure loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only on builds of PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

RULE_SUFFIXES = (".yaml", ".yml")
MAX_RULE_FILE_BYTES = 64 * 1024 * 1024
_LOCAL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_GROUP_REF = re.compile(r"\\g<([^>]*)>|\\(\d{1,2})")
_STR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
}
CATEGORIES = ("person", "place", "organization", "other")
DEFAULT_FUZZY_SCORE = 85.0

# The keys of a file and of each kind of rule: the schema's (cleanup/schema/).
_TOP_KEYS = set(schema.top_keys())
_COMMON = set(schema.common_keys())
_NAME_KEYS = set(schema.rule_keys("name"))
_PHRASE_KEYS = set(schema.rule_keys("phrase"))
_PATTERN_KEYS = set(schema.rule_keys("pattern"))
_REMOVAL_KEYS = set(schema.rule_keys("removal"))
_STRUCTURE_KEYS = set(schema.rule_keys("structure"))
_DEFAULT_SAFETY = {
    Kind.NAME: Safety.AUTO,
    Kind.PHRASE: Safety.AUTO,
    Kind.PATTERN: Safety.REVIEW,
    Kind.REMOVAL: Safety.AUTO,
    Kind.STRUCTURE: Safety.REVIEW,
}


def builtin_pack_paths() -> list[Path]:
    """The rule packs bundled with the tool (inside the package once installed)."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "packs", here.parent / "rules"):
        if folder.is_dir():
            return sorted(p for p in folder.iterdir() if p.suffix in RULE_SUFFIXES)
    return []  # pragma: no cover - a broken installation


def rule_files(paths: list[Path]) -> list[Path]:
    """Expand folders to the rule files inside them, keeping the given order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix in RULE_SUFFIXES)
            if not inside:
                raise RuleError("no rule files (*.yaml, *.yml) in this folder", str(path))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise RuleError("no such rule file or folder", str(path))
    return found


def load_rules(
    paths: list[Path], keep: Callable[[str], bool] | None = None, *, strict: bool = True
) -> RuleSet:
    """Load rule files and folders into one RuleSet, checking ids and forms across files.

    ``keep`` chooses rules by id before that check, so a rule left out (``--ignore``)
    cannot clash with one that is kept. ``strict=False`` skips that check, for
    ``cleanup rules check``, which reports every clash with ``find_clashes``.
    """
    with paused_gc():  # a large pack makes hundreds of thousands of objects, all kept
        return _load_rules(paths, keep, strict)


def _load_rules(paths: list[Path], keep: Callable[[str], bool] | None, strict: bool) -> RuleSet:
    rules: list[Rule] = []
    names: list[NameEntry] = []
    bundled_ids: set[str] = set()
    review: set[str] = set()
    ignore: set[str] = set()
    overlays: list[tuple[str, tuple[str, ...], str]] = []
    files = rule_files(paths)
    bundled = {p.resolve() for p in builtin_pack_paths()}
    restated: set[str] = set()  # forms that users' packs list, lower-cased
    for path in files:
        pack_rules, pack_names, (pack_review, pack_ignore, pack_overlays) = _load_file(path)
        if path.resolve() in bundled:
            bundled_ids.update(r.id for r in pack_rules)
        else:
            restated.update(k.find.lower() for r in pack_rules for k in keys_of(r))
        rules.extend(pack_rules)
        names.extend(pack_names)
        review |= pack_review
        ignore |= pack_ignore
        overlays.extend(pack_overlays)
    rules = _add_exceptions(rules, overlays)
    rules = _apply_overrides(rules)
    rules = _give_up_restated(rules, bundled_ids, restated)
    if keep is not None:
        rules = [r for r in rules if keep(r.id)]
    rules, names = _drop_clashing_forms(rules, names)
    if strict:
        for problem in find_clashes(rules):
            raise problem
    files_shown = tuple(str(p) for p in files)
    index = build_index(names)  # once, for every matcher and for `cleanup rules show`
    return RuleSet(
        tuple(rules), tuple(names), files_shown, frozenset(review), frozenset(ignore), index
    )


# Per file: grammar review and ignore sets, and exceptions for rules by id.
_Policy = tuple[frozenset[str], frozenset[str], list[tuple[str, tuple[str, ...], str]]]


def _load_file(path: Path) -> tuple[list[Rule], list[NameEntry], _Policy]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"cannot read rule file: {exc.strerror}", str(path)) from exc
    if len(data) > MAX_RULE_FILE_BYTES:
        raise RuleError("rule file is larger than 64 MB; split it into packs", str(path))
    # A file read before, unchanged, comes back from the cache (cleanup.ruleset.cache).
    return cache.remember(data, display_path(path), lambda: _parse_file(path, data), tuple)


def _parse_file(path: Path, data: bytes) -> tuple[list[Rule], list[NameEntry], _Policy]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(f"not UTF-8 (byte {exc.start})", str(path)) from exc
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise RuleError(f"malformed YAML: {exc.problem or exc.context}", where) from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"malformed YAML: {exc}", str(path)) from exc
    if root is None:
        raise RuleError("empty rule file", str(path))
    return _Pack(path)._read_all(root)


class _Pack:
    """Reads one file's node tree; every error carries the node's position."""

    def __init__(self, path: Path) -> None:
        self.path = display_path(path)
        self.pack = ""
        self.seen_nodes: set[int] = set()
        # LanguageTool categories and rule ids whose matches are review edits / not shown.
        self.grammar_review: set[str] = set()
        self.grammar_ignore: set[str] = set()
        self.overlays: list[tuple[str, tuple[str, ...], str]] = []

    # -- node helpers -------------------------------------------------------------------
    def where(self, node: yaml.Node) -> str:
        mark = node.start_mark
        return f"{self.path}:{mark.line + 1}:{mark.column + 1}"

    def line(self, node: yaml.Node) -> str:
        return f"{self.path}:{node.start_mark.line + 1}"

    def fail(self, node: yaml.Node, message: str) -> RuleError:
        return RuleError(message, self.where(node))

    def mapping(
        self, node: yaml.Node, allowed: set[str], what: str, *, any_key: bool = False
    ) -> dict[str, yaml.Node]:
        self._no_alias(node)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = self.text(key_node, "key")
            if key in out:
                raise self.fail(key_node, f"duplicate key '{key}' in {what}")
            if key not in allowed and not any_key:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                known = ", ".join(sorted(allowed))
                raise self.fail(key_node, f"unknown key '{key}' in {what}{hint} (known: {known})")
            out[key] = value
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        self._no_alias(node)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def text(self, node: yaml.Node, what: str, *, empty: bool = False) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _STR_TAGS:
            raise self.fail(node, f"{what} must be text")
        value = str(node.value)
        if not empty and not value:
            raise self.fail(node, f"{what} must not be empty")
        return value

    def texts(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        """A value that may be one text or a list of texts."""
        if isinstance(node, yaml.ScalarNode):
            return [(self.text(node, what), node)]
        items = self.sequence(node, f"{what} (text or list of texts)")
        if not items:
            raise self.fail(node, f"{what} must not be an empty list")
        return [(self.text(item, what), item) for item in items]

    def _no_alias(self, node: yaml.Node) -> None:
        # Aliases would let a small file expand to a huge tree; rule files never need them.
        if id(node) in self.seen_nodes:
            raise self.fail(node, "YAML aliases (*name) are not allowed in rule files")
        self.seen_nodes.add(id(node))

    # -- the file -----------------------------------------------------------------------
    def _read_all(self, root: yaml.Node) -> tuple[list[Rule], list[NameEntry], _Policy]:
        rules, names = self.read(root)
        policy = (frozenset(self.grammar_review), frozenset(self.grammar_ignore), self.overlays)
        return rules, names, policy

    def read(self, root: yaml.Node) -> tuple[list[Rule], list[NameEntry]]:
        top = self.mapping(root, _TOP_KEYS, "a rule file")
        if "pack" not in top:  # the file's name: my-names.yaml is the pack 'my-names'
            self.pack = slug(Path(self.path).stem)
            if not _PACK_NAME.match(self.pack):
                msg = "no 'pack' key, and the file name cannot be a pack name: add 'pack: NAME'"
                raise self.fail(root, msg)
        else:
            self.pack = self.text(top["pack"], "pack")
            if not _PACK_NAME.match(self.pack):
                msg = "pack name must be lowercase letters, digits and '-'"
                raise self.fail(top["pack"], msg)
        if "description" in top:
            self.text(top["description"], "description")
        if "exceptions" in top:
            # Exceptions for rules of any pack, by full id: how a user's own file keeps a
            # bundled rule out of a text without touching the bundled pack.
            self.mapping(top["exceptions"], set(), "exceptions", any_key=True)
            for key_node, value in top["exceptions"].value:
                rule_id = self.text(key_node, "rule id")
                texts = tuple(t for t, _ in self.texts(value, "exceptions"))
                self.overlays.append((rule_id, texts, self.where(key_node)))
        if "grammar" in top:
            policy = self.mapping(top["grammar"], {"review", "ignore"}, "grammar")
            for key, target in (("review", self.grammar_review), ("ignore", self.grammar_ignore)):
                if key in policy:
                    target.update(t for t, _ in self.texts(policy[key], key))
        rules: list[Rule] = []
        names: list[NameEntry] = []
        readers = {
            "names": self.name_rule,
            "phrases": self.phrase_rule,
            "patterns": self.pattern_rule,
            "removals": self.removal_rule,
            "structure": self.structure_rule,
        }
        for section, reader in readers.items():
            if section not in top:
                continue
            for item in self.sequence(top[section], section):
                rule, name = reader(item)
                rules.append(rule)
                if name is not None:
                    names.append(name)
        return rules, names

    def rule_id(self, fields: dict[str, yaml.Node], default: str, node: yaml.Node) -> str:
        if "id" in fields:
            local = self.text(fields["id"], "id")
            if not _LOCAL_ID.match(local):
                raise self.fail(fields["id"], "id must be lowercase letters, digits and '-'")
        else:
            local = slug(default)
            if not local:
                raise self.fail(node, "cannot make an id from this rule; give it an 'id'")
        return f"{self.pack}.{local}"

    def safety(self, fields: dict[str, yaml.Node], kind: Kind) -> Safety:
        if "safety" not in fields:
            return _DEFAULT_SAFETY[kind]
        value = self.text(fields["safety"], "safety")
        try:
            return Safety(value)
        except ValueError:
            raise self.fail(fields["safety"], "safety must be auto, review or suggest") from None

    def case(self, fields: dict[str, yaml.Node], default: CaseMode) -> CaseMode:
        if "case" not in fields:
            return default
        value = self.text(fields["case"], "case")
        try:
            return CaseMode(value)
        except ValueError:
            raise self.fail(fields["case"], "case must be preserve or exact") from None

    def examples(self, fields: dict[str, yaml.Node]) -> tuple[Example, ...]:
        if "examples" not in fields:
            return ()
        out = []
        for item in self.sequence(fields["examples"], "examples"):
            ex = self.mapping(item, {"before", "after", "unchanged", "flags"}, "an example")
            if "unchanged" in ex and len(ex) == 1:
                kept = self.text(ex["unchanged"], "unchanged")
                out.append(Example(kept, kept, self.line(item)))
            elif "flags" in ex and len(ex) == 1:
                shown = self.text(ex["flags"], "flags")
                out.append(Example(shown, shown, self.line(item), flagged=True))
            elif set(ex) == {"before", "after"}:
                before = self.text(ex["before"], "before")
                after = self.text(ex["after"], "after", empty=True)
                out.append(Example(before, after, self.line(item)))
            else:
                raise self.fail(item, "an example is {before, after}, {unchanged} or {flags}")
        return tuple(out)

    def common(self, fields: dict[str, yaml.Node]) -> dict[str, object]:
        why = self.text(fields["why"], "why") if "why" in fields else ""
        exceptions: tuple[str, ...] = ()
        if "exceptions" in fields:
            exceptions = tuple(t for t, _ in self.texts(fields["exceptions"], "exceptions"))
        overrides = self.text(fields["overrides"], "overrides") if "overrides" in fields else ""
        return {
            "why": why,
            "examples": self.examples(fields),
            "exceptions": exceptions,
            "overrides": overrides,
        }

    def required(self, fields: dict[str, yaml.Node], key: str, node: yaml.Node, what: str) -> None:
        if key not in fields:
            raise self.fail(node, f"{what} needs '{key}'")

    # -- sections -----------------------------------------------------------------------
    def name_rule(self, node: yaml.Node) -> tuple[Rule, NameEntry]:
        f = self.mapping(node, _NAME_KEYS, "a name entry")
        self.required(f, "canonical", node, "a name entry")
        canonical = self.text(f["canonical"], "canonical")
        category = self.text(f["category"], "category") if "category" in f else "other"
        if category not in CATEGORIES:
            raise self.fail(f["category"], f"category must be one of {', '.join(CATEGORIES)}")
        surname = self.text(f["surname"], "surname") if "surname" in f else ""
        if surname and not canonical.endswith(surname):
            raise self.fail(f["surname"], f"surname must end the canonical name '{canonical}'")
        if category == "person" and not surname and " " in canonical:
            surname = canonical.rsplit(" ", 1)[1]
        keys: list[LiteralKey] = []

        def add(forms_node: str, target: str) -> None:
            for form, form_node in self.texts(f[forms_node], forms_node):
                if form == target:
                    raise self.fail(form_node, f"'{form}' is the form it would be replaced with")
                keys.append(LiteralKey(form, target, CaseMode.EXACT, self.line(form_node)))

        if "variants" in f:
            add("variants", canonical)
        if "surname-variants" in f:
            if not surname:
                raise self.fail(f["surname-variants"], "surname-variants needs 'surname'")
            add("surname-variants", surname)
        if "patronymic" in f:
            keys.extend(self.address_keys(f, canonical, surname))
        made: tuple[str, ...] = ()
        if self.flag(f, "generate", default=True):
            generated, made = self.generated_keys(node, canonical, category, surname, keys)
            keys.extend(generated)
        keys = self.house_style(f, canonical, category, surname, keys)
        rule = NameRule(
            id=self.rule_id(f, canonical, node),
            kind=Kind.NAME,
            safety=self.safety(f, Kind.NAME),
            source=self.line(node),
            keys=tuple(keys),
            **self.common(f),  # type: ignore[arg-type]
        )
        entry = NameEntry(
            rule.id, canonical, category, surname, tuple(keys), self.fuzzy_threshold(f), made
        )
        return rule, entry

    def generated_keys(
        self,
        node: yaml.Node,
        canonical: str,
        category: str,
        surname: str,
        listed: list[LiteralKey],
    ) -> tuple[list[LiteralKey], tuple[str, ...]]:
        """Forms made from the canonical name (see cleanup.names.forms), and every form
        made, kept or not."""
        pairs = [(k.find, k.replace) for k in listed]
        made = names.generate_forms(canonical, category, surname, pairs)
        if made.before:  # listed surname variants take wrong given names along too
            before = made.before
            listed[:] = [replace(k, before=before) if k.replace == surname else k for k in listed]
        where = self.line(node)
        exact = CaseMode.EXACT
        keys = [
            LiteralKey(text, target, exact, where, note, guard, given_names)
            for text, target, note, guard, given_names in made.kept
        ]
        return keys, made.made

    def house_style(
        self,
        f: dict[str, yaml.Node],
        canonical: str,
        category: str,
        surname: str,
        keys: list[LiteralKey],
    ) -> list[LiteralKey]:
        """Mark the spellings reputable English outlets use ("Pashinian", "Sergey Lavrov"):
        ``house-style`` lists them (generated or not), ``transliterations: house-style``
        takes every generated transliteration. Forms with Russian endings stay fixes."""
        loose = False
        if "transliterations" in f:
            mode = self.text(f["transliterations"], "transliterations")
            if mode not in {"fix", "house-style"}:
                raise self.fail(
                    f["transliterations"], "transliterations must be fix or house-style"
                )
            loose = mode == "house-style"
        listed: dict[str, str] = {}
        if "house-style" in f:
            for form, form_node in self.texts(f["house-style"], "house-style"):
                if form in {canonical, surname}:
                    raise self.fail(form_node, f"'{form}' is the canonical spelling itself")
                listed[form] = self.line(form_node)
        if not loose and not listed:
            return keys
        marked = []
        for key in keys:
            house = key.find in listed or (
                loose and key.note.startswith(names.TRANSLITERATION_NOTE)
            )
            marked.append(replace(key, house=True) if house else key)
            listed.pop(key.find, None)
        for form, where in listed.items():  # spellings no rule generates
            target = surname if category == "person" and surname and " " not in form else canonical
            marked.append(LiteralKey(form, target, CaseMode.EXACT, where, house=True))
        return marked

    def flag(self, f: dict[str, yaml.Node], key: str, *, default: bool) -> bool:
        if key not in f:
            return default
        node = f[key]
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.fail(node, f"{key} must be true or false")
        return str(node.value).lower() in {"true", "yes", "on"}

    def fuzzy_threshold(self, f: dict[str, yaml.Node]) -> float | None:
        """``fuzzy: false`` turns near-miss discovery off; a number sets its score."""
        if "fuzzy" not in f:
            return DEFAULT_FUZZY_SCORE
        node = f["fuzzy"]
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return DEFAULT_FUZZY_SCORE if str(node.value).lower() in {"true", "yes", "on"} else None
        if isinstance(node, yaml.ScalarNode) and node.tag in {
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        }:
            score = float(node.value)
            if 50 <= score <= 100:
                return score
        raise self.fail(node, "fuzzy must be false, true, or a score from 50 to 100")

    def address_keys(
        self, f: dict[str, yaml.Node], canonical: str, surname: str
    ) -> Iterator[LiteralKey]:
        """Given name + patronymic is a Russian form of address: use the English one."""
        if "address" not in f:
            raise self.fail(f["patronymic"], "patronymic needs 'address' (e.g. 'Mr. Bayramov')")
        address = self.text(f["address"], "address")
        for patronymic, node in self.texts(f["patronymic"], "patronymic"):
            where = self.line(node)
            for form, target in names.address_forms(canonical, surname, patronymic, address):
                yield LiteralKey(form, target, CaseMode.EXACT, where, address=True)

    def phrase_rule(self, node: yaml.Node) -> tuple[Rule, None]:
        f = self.mapping(node, _PHRASE_KEYS, "a phrase")
        self.required(f, "find", node, "a phrase")
        self.required(f, "replace", node, "a phrase")
        replace = self.text(f["replace"], "replace", empty=True)
        case = self.case(f, CaseMode.PRESERVE)
        keys = []
        for form, form_node in self.texts(f["find"], "find"):
            if form == replace or (case is CaseMode.PRESERVE and form.lower() == replace.lower()):
                raise self.fail(
                    form_node,
                    f"'{form}' only differs from its replacement in case; use 'case: exact'"
                    if form != replace
                    else f"'{form}' is its own replacement",
                )
            keys.append(LiteralKey(form, replace, case, self.line(form_node)))
        first = keys[0].find
        rule = PhraseRule(
            id=self.rule_id(f, first, node),
            kind=Kind.PHRASE,
            safety=self.safety(f, Kind.PHRASE),
            source=self.line(node),
            keys=tuple(keys),
            replace=replace,
            case=case,
            **self.common(f),  # type: ignore[arg-type]
        )
        return rule, None

    def pattern_rule(self, node: yaml.Node) -> tuple[Rule, None]:
        f = self.mapping(node, _PATTERN_KEYS, "a pattern")
        for key in ("id", "regex", "replace"):
            self.required(f, key, node, "a pattern")
        expr = self.text(f["regex"], "regex")
        replace = self.text(f["replace"], "replace", empty=True)
        self.check_regex(f["regex"], expr, f["replace"], replace)
        rule = PatternRule(
            id=self.rule_id(f, "", node),
            kind=Kind.PATTERN,
            safety=self.safety(f, Kind.PATTERN),
            source=self.line(node),
            regex=expr,
            replace=replace,
            case=self.case(f, CaseMode.EXACT),
            **self.common(f),  # type: ignore[arg-type]
        )
        return rule, None

    def removal_rule(self, node: yaml.Node) -> tuple[Rule, None]:
        f = self.mapping(node, _REMOVAL_KEYS, "a removal")
        self.required(f, "id", node, "a removal")
        if ("find" in f) == ("regex" in f):
            raise self.fail(node, "a removal needs exactly one of 'find' (text) or 'regex'")
        common = {
            "id": self.rule_id(f, "", node),
            "kind": Kind.REMOVAL,
            "safety": self.safety(f, Kind.REMOVAL),
            "source": self.line(node),
            **self.common(f),
        }
        if "regex" in f:
            expr = self.text(f["regex"], "regex")
            self.check_regex(f["regex"], expr, None, "")
            return PatternRule(regex=expr, **common), None  # type: ignore[arg-type]
        keys = tuple(
            LiteralKey(form, "", CaseMode.EXACT, self.line(n))
            for form, n in self.texts(f["find"], "find")
        )
        return LiteralRule(keys=keys, **common), None  # type: ignore[arg-type]

    def structure_rule(self, node: yaml.Node) -> tuple[Rule, None]:
        f = self.mapping(node, _STRUCTURE_KEYS, "a structure fixer")
        self.required(f, "fixer", node, "a structure fixer")
        fixer = self.text(f["fixer"], "fixer")
        if fixer not in FIXERS:
            raise self.fail(f["fixer"], f"unknown fixer '{fixer}' (known: {', '.join(FIXERS)})")
        allowed, default_safety = FIXERS[fixer]
        options = []
        for key in sorted(_STRUCTURE_KEYS - _COMMON - {"fixer"}):
            if key not in f:
                continue
            if key not in allowed:
                raise self.fail(f[key], f"fixer '{fixer}' takes no '{key}'")
            value = str(f[key].value).lower() if isinstance(f[key], yaml.ScalarNode) else ""
            values = allowed[key]
            if values is not None and value not in values:
                raise self.fail(f[key], f"{key} must be one of {', '.join(sorted(values))}")
            options.append((key, value))
        safety = self.safety(f, Kind.STRUCTURE) if "safety" in f else default_safety
        rule = StructureRule(
            id=self.rule_id(f, fixer, node),
            kind=Kind.STRUCTURE,
            safety=safety,
            source=self.line(node),
            fixer=fixer,
            options=tuple(options),
            **self.common(f),  # type: ignore[arg-type]
        )
        return rule, None

    def check_regex(
        self, node: yaml.Node, expr: str, replace_node: yaml.Node | None, replace: str
    ) -> None:
        """Compile the regex (macros stood in for) and check the groups its replacement uses."""
        try:
            expanded = expand_macros(expr)
        except ValueError as exc:
            raise self.fail(node, str(exc)) from None
        try:
            compiled = regex.compile(expanded)
        except regex.error as exc:
            raise self.fail(node, f"regex does not compile: {exc}") from None
        if recursive(expanded, compiled.groupindex):
            # each level of recursion takes memory, without bound
            raise self.fail(
                node, "a recursive pattern ((?R), or a group that calls itself) is not allowed"
            )
        where = replace_node if replace_node is not None else node
        for named, number in _GROUP_REF.findall(replace):
            ref = named or number
            ok = (int(ref) <= compiled.groups) if ref.isdigit() else ref in compiled.groupindex
            if not ok:
                raise self.fail(where, f"replacement refers to group '{ref}' the regex lacks")
        # Expand the replacement once on a match with the same groups, all empty, so that a
        # replacement that cannot run (a lone backslash, an unknown escape) fails here.
        names = {number: name for name, number in compiled.groupindex.items()}
        probe = "".join(
            f"(?P<{names[i]}>)" if i in names else "()" for i in range(1, compiled.groups + 1)
        )
        match = regex.compile(probe).match("")
        assert match is not None
        try:
            match.expand(replace)
        except (regex.error, IndexError) as exc:
            raise self.fail(where, f"replacement cannot be used: {exc}") from None


# Group calls: (?R), (?0), (?1), (?+1), (?-1), (?&name), (?P>name).
_CALL = re.compile(r"\(\?(?:(R)|([+-]?\d+)\)|&(\w+)\)|P>(\w+)\))")
_NAMED = re.compile(r"\(\?(?:P?<(?![=!])(\w+)>|'(\w+)')")


def recursive(expr: str, names: Mapping[str, int]) -> bool:
    """Whether a regex calls itself: (?R), or a group called from inside itself (directly
    or through other groups). Calls of groups defined apart, as in (?(DEFINE)...), are fine.

    >>> recursive("(?R)?a", {}), recursive("(a(?1)?b)", {}), recursive("(?P<w>a)(?&w)", {"w": 1})
    (True, True, False)
    """
    plain = _without_classes(expr)
    spans: dict[int, tuple[int, int]] = {}
    stack: list[tuple[int, int | None]] = []
    number = 0
    opened_before: list[int] = []  # groups opened before each position
    for i, ch in enumerate(plain):
        opened_before.append(number)
        if ch == "(":
            named = _NAMED.match(plain, i)
            if named is not None:
                number += 1
                stack.append((i, names.get(named[1] or named[2], number)))
            elif not plain.startswith(("(?", "(*"), i):
                number += 1
                stack.append((i, number))
            else:
                stack.append((i, None))
        elif ch == ")" and stack:
            start, group = stack.pop()
            if group is not None:
                spans[group] = (start, i)
    calls: dict[int, set[int]] = {}
    for m in _CALL.finditer(plain):
        if m[1]:
            return True
        if m[2]:
            n = int(m[2])  # (?-1) is the group opened last before it, (?+1) the next one
            relative = m[2][0] in "+-"
            target = opened_before[m.start()] + n + (m[2][0] == "-") if relative else n
        else:
            target = names.get(m[3] or m[4], -1)
        if target == 0:
            return True
        for group, (start, end) in spans.items():
            if start < m.start() < end:
                calls.setdefault(group, set()).add(target)
    # A cycle among the groups that call one another.
    state: dict[int, int] = {}

    def cycle(group: int) -> bool:
        state[group] = 1
        for callee in calls.get(group, ()):
            if state.get(callee) == 1 or (callee not in state and cycle(callee)):
                return True
        state[group] = 2
        return False

    return any(group not in state and cycle(group) for group in calls)


def _without_classes(expr: str) -> str:
    """A regex with its escapes and character classes blanked out, for scanning."""
    out = []
    i = 0
    while i < len(expr):
        ch = expr[i]
        if ch == "\\":
            out.append("__")
            i += 2
            continue
        if ch == "[":
            j = i + (3 if expr.startswith("[^]", i) else 2 if expr.startswith("[]", i) else 1)
            while j < len(expr) and expr[j] != "]":
                j += 2 if expr[j] == "\\" else 1
            out.append("_" * (j + 1 - i))
            i = j + 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def display_path(path: Path) -> str:
    """A path as errors and reports show it: relative to here when it is inside; a bundled
    pack elsewhere (in site-packages) by its name in the pack folder."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        pass
    folder = _bundled_folder()
    if folder is not None and resolved.parent == folder:
        return resolved.name
    return str(path)


@functools.cache
def _bundled_folder() -> Path | None:
    packs = builtin_pack_paths()
    return packs[0].resolve().parent if packs else None


def slug(text: str) -> str:
    """A rule id made from text.

    >>> slug("Nikol Pashinyan")
    'nikol-pashinyan'
    >>> slug("three-sided statement")
    'three-sided-statement'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _add_exceptions(
    rules: list[Rule], overlays: list[tuple[str, tuple[str, ...], str]]
) -> list[Rule]:
    """Give rules the exceptions that files list for them by id."""
    if not overlays:
        return rules
    extra: dict[str, tuple[str, ...]] = {}
    ids = {r.id for r in rules}
    for rule_id, texts, _where in overlays:
        if rule_id in ids:  # exceptions for a rule not loaded in this run do nothing
            extra[rule_id] = extra.get(rule_id, ()) + texts
    return [
        replace(r, exceptions=r.exceptions + extra[r.id]) if r.id in extra else r for r in rules
    ]


def _apply_overrides(rules: list[Rule]) -> list[Rule]:
    """A rule that overrides another takes over the forms they share (a user's own fix
    for a form a bundled rule fixes otherwise)."""
    taken: dict[str, set[str]] = {}
    ids = {r.id for r in rules}
    for rule in rules:
        if rule.overrides in ids:  # a rule not loaded in this run has nothing to give up
            taken.setdefault(rule.overrides, set()).update(k.find.lower() for k in keys_of(rule))
    if not taken:
        return rules
    return [
        replace(r, keys=tuple(k for k in r.keys if k.find.lower() not in taken[r.id]))
        if r.id in taken and isinstance(r, LiteralRule)
        else r
        for r in rules
    ]


def _give_up_restated(rules: list[Rule], bundled: set[str], restated: set[str]) -> list[Rule]:
    """A bundled rule gives up every form (listed or generated) that a user's pack lists
    or generates: restating a bundled name or phrase in your own pack overrides it, as
    ``overrides:`` does, without having to know the bundled rule's id."""
    if not restated or not bundled:
        return rules
    out = []
    for rule in rules:
        if (
            rule.id in bundled
            and isinstance(rule, LiteralRule)
            and any(k.find.lower() in restated for k in rule.keys)
        ):
            rule = replace(rule, keys=tuple(k for k in rule.keys if k.find.lower() not in restated))
        out.append(rule)
    return out


def _drop_clashing_forms(
    rules: list[Rule], entries: list[NameEntry]
) -> tuple[list[Rule], list[NameEntry]]:
    """Generated forms give way to anything listed, and to each other when two names share one.

    A generated form that is another entry's canonical name, a listed form, or a form
    generated for two entries at once would be a guess between people or places: dropped.
    """
    listed = {e.canonical for e in entries} | {e.surname for e in entries if e.surname}
    # A listed form matched in any case claims every case of its letters.
    any_case: set[str] = set()
    owner: dict[str, str] = {}  # generated form -> the first rule that has it
    shared: set[str] = set()  # generated forms of more than one rule
    for rule in rules:
        rule_id = rule.id
        for key in keys_of(rule):
            find = key.find
            if key.note:  # generated
                if owner.setdefault(find, rule_id) != rule_id:
                    shared.add(find)
            else:
                listed.add(find)
            if key.case is CaseMode.PRESERVE:
                any_case.add(find.lower())
    dropped = shared | (owner.keys() & listed)
    if any_case:
        dropped.update(f for f in owner if f.lower() in any_case)
    if not dropped:
        return rules, entries

    def clashes(keys: tuple[LiteralKey, ...]) -> bool:
        return any(k.note and k.find in dropped for k in keys)

    def keep(keys: tuple[LiteralKey, ...]) -> tuple[LiteralKey, ...]:
        return tuple(k for k in keys if not (k.generated and k.find in dropped))

    rules = [
        replace(r, keys=keep(r.keys)) if isinstance(r, NameRule) and clashes(r.keys) else r
        for r in rules
    ]
    entries = [replace(e, keys=keep(e.keys)) if clashes(e.keys) else e for e in entries]
    return rules, entries


def find_clashes(rules: Iterable[Rule]) -> Iterator[RuleError]:
    """Ids used twice, and literal forms claimed by two rules."""
    ids: dict[str, Rule] = {}
    # By lower-case letters: an exact form and a case-preserving one with the same letters
    # match the same text; two exact forms only when they are equal or one is the other
    # in capitals (exact forms also match in capitals).
    forms: dict[str, list[tuple[Rule, LiteralKey]]] = {}
    for rule in rules:
        if rule.id in ids:
            first = ids[rule.id].source
            msg = f"duplicate rule id '{rule.id}' (first defined at {first}); give it an 'id'"
            yield RuleError(msg, rule.source)
        ids[rule.id] = rule
        for key in keys_of(rule):
            lower = key.find.lower()
            claimed = forms.get(lower)
            if claimed is None:  # the first form with these letters
                forms[lower] = [(rule, key)]
                continue
            found = next((c for c in claimed if _same_text(c[1], key)), None)
            if found is not None:
                other, other_key = found
                theirs = f" as '{other_key.find}'" if other_key.find != key.find else ""
                msg = (
                    f"'{key.find}' is claimed twice: here and by rule '{other.id}'{theirs} "
                    f"at {other_key.source} (keep one, or give the one that wins "
                    f"'overrides: {other.id}'; 'cleanup rules add --overrides' writes it)"
                )
                yield RuleError(msg, key.source)
            else:
                claimed.append((rule, key))


def _same_text(a: LiteralKey, b: LiteralKey) -> bool:
    """Whether two forms with the same lower-case letters can match the same text."""
    if CaseMode.PRESERVE in (a.case, b.case):
        return True
    return a.find == b.find or a.find == b.find.upper() or b.find == a.find.upper()

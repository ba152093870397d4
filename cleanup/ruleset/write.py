"""Add to a rule file in place, keeping its comments and layout (ruamel.yaml round trip).

Every change is checked before it is written: the changed file must load, settle and
pass the clash checks on its own, or nothing is written.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from cleanup.errors import CleanupError, RuleError
from cleanup.ruleset.load import display_path, load_rules, slug
from cleanup.textio import AtomicWriter


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, quotes and order kept
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


class RuleFile:
    """One rule file opened for additions; ``save`` checks and writes it atomically."""

    def __init__(self, path: Path, context: list[Path] | None = None) -> None:
        self.path = path
        # Packs loaded beside this file (the bundled ones, say), so exceptions and new
        # forms are checked against the rules they will run with.
        self.context = context or []
        if path.exists():
            try:
                self.data = _yaml().load(path.read_text(encoding="utf-8"))
            except Exception as exc:  # ruamel raises many error types; all mean "unreadable"
                raise RuleError(f"cannot read rule file: {exc}".splitlines()[0], str(path)) from exc
            if not isinstance(self.data, CommentedMap) or "pack" not in self.data:
                raise RuleError("not a rule pack (no 'pack:' key)", str(path))
        else:
            self.data = CommentedMap(pack=slug(path.stem) or "my-rules")

    @property
    def pack(self) -> str:
        return str(self.data["pack"])

    def _section(self, name: str) -> CommentedSeq:
        if name not in self.data:
            self.data[name] = CommentedSeq()
        section = self.data[name]
        assert isinstance(section, CommentedSeq)
        return section

    def find_rule(self, rule_id: str) -> CommentedMap:
        """The rule with this full id (``pack.local``) in this file."""
        for section in ("names", "phrases", "patterns", "removals"):
            for item in self.data.get(section) or []:
                if (
                    isinstance(item, CommentedMap)
                    and f"{self.pack}.{self._local_id(item)}" == rule_id
                ):
                    return item
        msg = f"no rule '{rule_id}' in this file (pack '{self.pack}')"
        raise CleanupError(msg, str(self.path))

    @staticmethod
    def _local_id(item: CommentedMap) -> str:
        if "id" in item:
            return str(item["id"])
        if "canonical" in item:
            return slug(str(item["canonical"]))
        find = item.get("find")
        first = find[0] if isinstance(find, list) else find
        return slug(str(first or ""))

    def add_name(
        self,
        canonical: str,
        *,
        category: str | None,
        variants: list[str],
        surname: str | None,
        overrides: str | None = None,
    ) -> str:
        """Add variants to the entry for ``canonical``, creating the entry if needed."""
        names = self._section("names")
        entry = next((e for e in names if str(e.get("canonical")) == canonical), None)
        if entry is None:
            entry = CommentedMap(canonical=canonical)
            if overrides and not overrides.startswith(self.pack + "."):
                entry["overrides"] = overrides
            if category:
                entry["category"] = category
            if surname:
                entry["surname"] = surname
            names.append(entry)
        if variants:
            listed = entry.setdefault("variants", _flow([]))
            if isinstance(listed, str):
                listed = entry["variants"] = _flow([listed])
            listed.extend(v for v in variants if v not in listed)
        return f"{self.pack}.{self._local_id(entry)}"

    def add_phrase(
        self,
        find: str,
        replace: str,
        *,
        case: str | None = None,
        safety: str | None = None,
        example: tuple[str, str] | None = None,
        overrides: str | None = None,
    ) -> str:
        """Add a phrase rule (``find`` -> ``replace``), with an example as its test."""
        rule = CommentedMap(find=find, replace=replace)
        if overrides and not overrides.startswith(self.pack + "."):
            rule["overrides"] = overrides
        if case:
            rule["case"] = case
        if safety:
            rule["safety"] = safety
        if example:
            rule["examples"] = [CommentedMap(before=example[0], after=example[1])]
        self._section("phrases").append(rule)
        return f"{self.pack}.{self._local_id(rule)}"

    def add_exception(self, rule_id: str, text: str) -> None:
        """Keep the rule out of ``text`` from now on; a rule of another pack gets it in
        this file's top-level ``exceptions:``, by id."""
        if rule_id.startswith(self.pack + "."):
            rule = self.find_rule(rule_id)
            listed = rule.setdefault("exceptions", CommentedSeq())
        else:
            overlays = self.data.setdefault("exceptions", CommentedMap())
            listed = overlays.setdefault(rule_id, CommentedSeq())
        if text not in listed:
            listed.append(text)

    def render(self) -> str:
        out = io.StringIO()
        _yaml().dump(self.data, out)
        return out.getvalue()

    def save(self) -> None:
        """Check the changed file on its own, then replace the original atomically."""
        text = self.render()
        # The candidate is loaded beside the other packs from a private folder, under the
        # target's name; only a candidate that loads is written over the original.
        with tempfile.TemporaryDirectory(prefix="cleanup-rules-") as folder:
            candidate = Path(folder) / self.path.name
            candidate.write_text(text, encoding="utf-8", newline="")
            _check(candidate, self.path, self.context)
        keep = self.path if self.path.exists() else None
        with AtomicWriter(self.path, keep_from=keep) as writer:
            writer.write(text)


def _check(candidate: Path, target: Path, others: list[Path]) -> None:
    from cleanup.engine import Engine  # the engine needs the loader; import late

    try:
        Engine(load_rules([*others, candidate]))
    except RuleError as exc:
        where = exc.where.replace(display_path(candidate), display_path(target))
        msg = f"refused, the changed file would not load beside its packs: {exc.message}"
        raise RuleError(msg, where) from None


def _flow(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq

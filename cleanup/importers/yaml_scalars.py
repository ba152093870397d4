"""YAML scalars written so that PyYAML reads back exactly the text they hold."""

from __future__ import annotations

import yaml

# -- YAML scalars ---------------------------------------------------------------------------

_FLOW_UNSAFE = set(",[]{}?:#'\"")  # PyYAML ends a plain scalar at ? and : in [...]
_RESOLVER = yaml.resolver.Resolver()
_RESOLVED_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)


def scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar that every YAML reader (1.1 or 1.2) reads back unchanged.

    >>> [scalar(s) for s in ["plain text", "yes", "#hash", " lead", "it's", "a\\tb"]]
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

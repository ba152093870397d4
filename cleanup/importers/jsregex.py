"""JavaScript regexes (prh's) in the syntax of the ``regex`` package."""

from __future__ import annotations

import re

ASCII_B = r"(?a:\b)"

# JavaScript regex escapes and what they are in the regex package (prh's regexes use the
# u flag, where \d, \w and \b are ASCII-only).
_JS_OUTSIDE = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[A-Za-z0-9_]",
    "W": "[^A-Za-z0-9_]",
    "b": ASCII_B,
    "B": r"(?a:\B)",
    "/": "/",
}
_JS_INSIDE = {"d": "0-9", "w": "A-Za-z0-9_", "b": r"\x08", "/": "/", "[": r"\["}
_JS_KEPT = set("sSfnrtv0123456789xpP")


def js_regex(source: str) -> tuple[str, str]:
    """A JavaScript regex in the syntax of the ``regex`` package, or '' and why not.

    >>> js_regex(r"\\d+(?<y>\\w)\\k<y>[^]")
    ('[0-9]+(?<y>[A-Za-z0-9_])(?P=y)[\\\\s\\\\S]', '')
    >>> js_regex(r"[\\D]")
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

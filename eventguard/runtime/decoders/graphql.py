"""GraphQL documents (an AppSync resolver's ``info.selectionSetGraphQL``, a query text): the
literal values the client wrote, by where they stand.

A selection set is the client's text: besides field names (identifiers, which can carry no
injection syntax) it holds the arguments of nested fields (``comments(filter: "...")``), which
reach a resolver that reads its own selection set only there, not in ``arguments``. Each string
literal (escapes and block strings resolved, as a GraphQL parser would) and each number is
returned under its path: the enclosing fields, then the argument and object-field names
(``posts.comments.filter``); enum values and variables are names and are left out. The raw
document is then not inspected as text (it is a container, ``decoders.STRUCTURED``): its line
breaks and ``alias: field`` lines look like header syntax to a detector of CRLF injection.

Strict: a text that does not tokenize as GraphQL, or whose brackets do not balance, is not
GraphQL (``DecodeError``) and stays a plain text. Bounded by ``MAX_DECODED_BYTES``,
``MAX_NESTING_DEPTH`` and ``MAX_GRAPHQL_VALUES``.

Spec: https://spec.graphql.org/October2021/#sec-Language
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_GRAPHQL_VALUES, MAX_NESTING_DEPTH
from ._text import add_value, bounded_text

# One token at a time. Each alternative is linear: a block string's body has one way to match
# (possessive: an unterminated one fails without trying its body again).
_LEXEMES = (
    r"(?P<skip>[\s,\ufeff]+|#[^\n\r]*)"
    r'|(?P<block>"""(?:\\"""|[^"\\]|\\(?!""")|"(?!""))*+""")'
    r'|(?P<string>"(?:[^"\\\n\r]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}|u\{[0-9A-Fa-f]{1,6}\}))*")'
    r"|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![_A-Za-z.]))"
    r"|(?P<name>[_A-Za-z][_0-9A-Za-z]*)"
    r"|(?P<punct>\.\.\.|[!$&():=@\[\]{|}])"
)
_ESCAPE_PATTERN = r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|(.))"
# Compiled on first use: an import of the runtime (a cold start) compiles none of a decoder's
# patterns for documents most functions never see.
_compiled: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def _regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    global _compiled
    if _compiled is None:
        _compiled = (re.compile(_LEXEMES), re.compile(_ESCAPE_PATTERN))
    return _compiled


_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    if code is not None:
        value = int(code, 16)
        return chr(value) if value < 0x110000 and not 0xD800 <= value < 0xE000 else "\ufffd"
    return _SIMPLE.get(m.group(3), m.group(3))


def _block(raw: str) -> str:
    """A block string's value: ``\\\"""`` as three quotes, the common indentation of its lines
    after the first removed, blank first and last lines dropped (the spec's BlockStringValue)."""
    lines = raw.replace('\\"""', '"""').replace("\r\n", "\n").replace("\r", "\n").split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines[1:] if line.strip(" \t")]
    common = min(indents, default=0)
    lines = [lines[0], *(line[common:] for line in lines[1:])]
    while lines and not lines[0].strip(" \t"):
        lines.pop(0)
    while lines and not lines[-1].strip(" \t"):
        lines.pop()
    return "\n".join(lines)


def decode(value: str | bytes) -> dict[str, Any]:
    text = bounded_text(value, "GraphQL text")
    if "{" not in text:
        raise DecodeError("not GraphQL: no selection set")
    token_rx, escape_rx = _regexes()
    out: dict[str, Any] = {}
    # per open bracket: its closing bracket, its kind (a selection set, arguments, an object or
    # a list value) and the field it was opened after; and the path step it stands for (a
    # field, an argument, a key; none for an operation's own brackets)
    stack: list[tuple[str, str, str]] = []
    steps: list[str] = []
    field = name = key = ""  # the last field, the last name, the name before the last ":"
    after = ""  # "@" or "$" just before a name: a directive or a variable, not a field
    count = 0
    pos, end = 0, len(text)
    while pos < end:
        m = token_rx.match(text, pos)
        if m is None:
            raise DecodeError(f"not GraphQL: unexpected {text[pos]!r} at {pos}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "skip":
            continue
        lexeme = m.group(0)
        if kind == "name":
            name = lexeme
            if not after:
                field = lexeme
            after = ""
            continue
        if kind == "punct":
            after = lexeme if lexeme in ("@", "$") else ""
            if lexeme in _CLOSE:
                if len(stack) >= MAX_NESTING_DEPTH:
                    raise LimitExceeded("MAX_NESTING_DEPTH", "GraphQL document")
                inner = stack[-1][1] if stack else ""
                if lexeme == "(":
                    opened, step = "arguments", name
                elif lexeme == "[":
                    opened, step = "list", key
                elif inner in ("", "selection"):
                    opened, step = "selection", field
                else:
                    opened, step = "object", key
                stack.append((_CLOSE[lexeme], opened, field))
                steps.append(step if stack[1:] else "")  # an operation's own: no step
                field = name = key = ""
            elif lexeme in (")", "]", "}"):
                if not stack or stack[-1][0] != lexeme:
                    raise DecodeError(f"not GraphQL: unbalanced {lexeme!r} at {m.start()}")
                _, closed, opener = stack.pop()
                steps.pop()
                # a field's arguments may be followed by its directives and selection set
                field = opener if closed == "arguments" else ""
                name = key = ""
            elif lexeme == ":":
                key = name
            continue
        if kind == "string":
            literal = escape_rx.sub(_unescape, lexeme[1:-1]) if "\\" in lexeme else lexeme[1:-1]
        elif kind == "block":
            literal = _block(lexeme[3:-3])
        else:
            literal = lexeme
        count += 1
        if count > MAX_GRAPHQL_VALUES:
            raise LimitExceeded("MAX_GRAPHQL_VALUES", f"more than {MAX_GRAPHQL_VALUES} values")
        add_value(out, ".".join(p for p in (*steps, key) if p) or "#value", literal)
    if stack:
        raise DecodeError("not GraphQL: unclosed brackets")
    return out

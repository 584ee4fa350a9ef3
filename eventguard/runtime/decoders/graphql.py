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

# One match per token, the white space, commas and comments before it included, so ``finditer``
# walks the whole document from match to match, never from inside ignored text: after the
# ignored text comes a token or, failing those, one ``bad`` character (the document is then
# not GraphQL), or the end. The token's kind is the number of its group (``lastindex``). Each
# alternative is linear: the ignored text and a block string's body have one way to match
# (possessive: an unterminated block string fails without trying its body again).
_TOKENS = (
    r"(?:[\s,\ufeff]++|#[^\n\r]*+)*+"
    r"(?:([_A-Za-z][_0-9A-Za-z]*+)"  # 1: a name
    r"|([(\[{])"  # 2: an opening bracket
    r"|([)\]}])"  # 3: a closing bracket
    r"|(:)"  # 4
    r"|([@$])"  # 5: a directive or a variable follows
    r"|(\.\.\.|[!&=|])"  # 6: other punctuators
    r'|("""(?:\\"""|[^"\\]|\\(?!""")|"(?!""))*+""")'  # 7: a block string
    r'|("(?:[^"\\\n\r]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}|u\{[0-9A-Fa-f]{1,6}\}))*")'  # 8
    r"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![_A-Za-z.]))"  # 9: a number
    r"|(?s:(.))"  # 10: anything else
    r"|\Z)"  # the end, after the last token's trailing ignored text (no group)
)
_NAME, _OPEN, _CLOSE, _COLON, _SIGIL, _PUNCT, _BLOCK, _STRING, _NUMBER, _BAD = range(1, 11)
_ESCAPE_PATTERN = r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|(.))"
# Compiled on first use: an import of the runtime (a cold start) compiles none of a decoder's
# patterns for documents most functions never see.
_compiled: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def _regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    global _compiled
    if _compiled is None:
        _compiled = (re.compile(_TOKENS), re.compile(_ESCAPE_PATTERN))
    return _compiled


_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_CLOSING = {"(": ")", "[": "]", "{": "}"}


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
    # a list value) and the field it was opened after; and the path of the steps it and the
    # brackets around it stand for (a field, an argument, a key; none for an operation's own
    # brackets), joined once when it opens rather than at every value
    stack: list[tuple[str, str, str]] = []
    paths: list[str] = [""]
    field = name = key = ""  # the last field, the last name, the name before the last ":"
    after = ""  # "@" or "$" just before a name: a directive or a variable, not a field
    count = 0
    for m in token_rx.finditer(text):
        kind = m.lastindex
        if kind is None:  # the end
            break
        if kind == _NAME:
            name = m.group(kind)
            if not after:
                field = name
            after = ""
            continue
        if kind == _OPEN:
            lexeme = m.group(kind)
            after = ""
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
            stack.append((_CLOSING[lexeme], opened, field))
            top = paths[-1]
            if len(stack) == 1 or not step:  # an operation's own brackets: no step
                paths.append(top)
            else:
                paths.append(f"{top}.{step}" if top else step)
            field = name = key = ""
            continue
        if kind == _CLOSE:
            lexeme = m.group(kind)
            after = ""
            if not stack or stack[-1][0] != lexeme:
                raise DecodeError(f"not GraphQL: unbalanced {lexeme!r} at {m.start(kind)}")
            _, closed, opener = stack.pop()
            paths.pop()
            # a field's arguments may be followed by its directives and selection set
            field = opener if closed == "arguments" else ""
            name = key = ""
            continue
        if kind == _COLON:
            after, key = "", name
            continue
        if kind == _SIGIL:
            after = m.group(kind)
            continue
        if kind == _PUNCT:
            after = ""
            continue
        if kind == _BAD:
            at = m.start(kind)
            raise DecodeError(f"not GraphQL: unexpected {text[at]!r} at {at}")
        lexeme = m.group(kind)
        if kind == _STRING:
            literal = escape_rx.sub(_unescape, lexeme[1:-1]) if "\\" in lexeme else lexeme[1:-1]
        elif kind == _BLOCK:
            literal = _block(lexeme[3:-3])
        else:
            literal = lexeme
        count += 1
        if count > MAX_GRAPHQL_VALUES:
            raise LimitExceeded("MAX_GRAPHQL_VALUES", f"more than {MAX_GRAPHQL_VALUES} values")
        top = paths[-1]
        add_value(out, (f"{top}.{key}" if top else key) if key else (top or "#value"), literal)
    if stack:
        raise DecodeError("not GraphQL: unclosed brackets")
    return out

"""Writes ``graphql_documents.jsonl``: GraphQL documents and what the ``graphql`` decoder read
from each (its values by path, or the error it raised), recorded with the decoder of the time
so that a rewrite of it (a faster tokenizer) is held to the same output on every document.

Hand-written documents and documents built at random (``random.Random(SEED)``) from the
language's parts, a third of them then cut or corrupted, so that every token kind, bracket kind
and way of failing is exercised: ``python tests/data/make_graphql_documents.py``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from eventguard.runtime.decoders import graphql
from eventguard.runtime.errors import DecodeError, LimitExceeded

SEED = 3
COUNT = 240
OUT = Path(__file__).with_name("graphql_documents.jsonl")

HANDWRITTEN = (
    "{ id }",
    '{ f(x: "a", y: "b") { g(z: [1, 2, {k: "v"}]) } }',
    'query Q($id: ID = "d1", $n: Int = 3) { post(id: $id) @skip(if: false) { t(x: "v") } }',
    'mutation { add(input: {title: """\n  block\n    body\n  """, n: -0.5e-3}) { id } }',
    'subscription S { on(filter: {a: {b: {c: ["deep", "deeper"]}}}) { x } }',
    'fragment F on Post { c(first: 2, after: "cur") } { ...F ... on T { u(v: "w") } }',
    '{ a(x: "esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u{1F600} \\uDFFF") }',
    "# comment only line\n{ a(x: 1) # trailing comment\n, b(y: 2) }",
    "\ufeff{ a(x: 1),,, b }",
    '{ a(x: """ \\""" quoted """) }',
    '{ a(x: """\r\n  one\r\n    two\r  three\n""") }',
    "{ a(x: 0, y: -0, z: 1.0, w: 1e5, v: 1E+5, u: 1.5e-5) }",
    '{ a(x: "dup"), a(x: "dup again"), a(x: "third") }',
    "{ a(x: [[[]]], y: {}, z: [{}]) }",
    '{ a(x: "v") @dir(arg: "d") @other { b @include(if: $c) } }',
    "{ a(list: [ONE, TWO, $v, null, true]) }",
    '{ "not a name" }',
    "{ a(x: 1a) }",
    "{ a(x: 1.) }",
    "{ a(x: .5) }",
    "{ a(x: 01) }",
    '{ a(x: "unterminated) }',
    '{ a(x: """never closed) }',
    "{ a(x: 'single') }",
    "{ a ] }",
    "{ a ( }",
    "} {",
    "{ a",
    "",
    "   ",
    "no braces",
    "{ a(x: ?) }",
    "{ a(x: %) }",
    '{ a(x: "tab\tinside") }',
    '{ a(x: "line\nbreak") }',
    "{ a(x: -) }",
    "{ ... }",
    "{ a(x: 1) } trailing   ",
    "{ a(x: 1) } # trailing comment",
    '{ a(x: "\\q") }',
    '{ a(x: "\\u12") }',
    '{ a(x: "\\u{110000}") }',
    '{ a(x: "\\u{D800}") }',
)

_NAMES = ("id", "post", "comments", "author", "filter", "where", "name", "_x", "a1", "Title")
_STRINGS = (
    '""',
    '"plain"',
    '"x\' OR 1=1--"',
    '"<script>alert(1)</script>"',
    '"a\\"b"',
    '"\\u0027"',
    '"\\u{1F600}"',
    '"\\n\\t\\\\"',
    '"é ü 中"',
    '"$(id)"',
    '"""block"""',
    '"""\n   indented\n     more\n   """',
    '"""with \\""" inside"""',
    '"""  """',
    '"""a "b" ""c"" d"""',
)
_NUMBERS = ("0", "-1", "42", "3.14", "-0.0", "1e3", "2E-7", "6.02e+23")
_SPACE = (" ", "\n", "\t", ", ", "\r\n", " # note\n", "\ufeff", ",")


def _space(rng: random.Random) -> str:
    return "".join(rng.choice(_SPACE) for _ in range(rng.randint(0, 2))) or " "


def _value(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth < 3 and roll < 0.15:
        items = [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        return "[" + _space(rng).join(items) + "]"
    if depth < 3 and roll < 0.3:
        pairs = [f"{rng.choice(_NAMES)}:{_space(rng)}{_value(rng, depth + 1)}" for _ in range(2)]
        return "{" + _space(rng).join(pairs[: rng.randint(0, 2)]) + "}"
    if roll < 0.4:
        return "$" + rng.choice(_NAMES)
    if roll < 0.5:
        return rng.choice(("ASC", "DESC", "true", "false", "null"))
    if roll < 0.65:
        return rng.choice(_NUMBERS)
    return rng.choice(_STRINGS)


def _arguments(rng: random.Random) -> str:
    args = [f"{rng.choice(_NAMES)}:{_space(rng)}{_value(rng, 0)}" for _ in range(rng.randint(1, 3))]
    return "(" + _space(rng).join(args) + ")"


def _selection(rng: random.Random, depth: int) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.1:
            parts.append("..." + rng.choice(_NAMES))
            continue
        field = rng.choice(_NAMES)
        if roll < 0.25:
            field = f"{rng.choice(_NAMES)}:{_space(rng)}{field}"
        if rng.random() < 0.5:
            field += _arguments(rng)
        if rng.random() < 0.15:
            field += f"{_space(rng)}@{rng.choice(_NAMES)}"
            if rng.random() < 0.5:
                field += _arguments(rng)
        if depth < 3 and rng.random() < 0.4:
            field += _space(rng) + _selection(rng, depth + 1)
        elif depth < 3 and rng.random() < 0.1:
            field = "... on " + rng.choice(_NAMES) + " " + _selection(rng, depth + 1)
        parts.append(field)
    return "{" + _space(rng) + _space(rng).join(parts) + _space(rng) + "}"


def _document(rng: random.Random) -> str:
    roll = rng.random()
    body = _selection(rng, 0)
    if roll < 0.3:
        variables = f"($v: ID = {_value(rng, 0)}, $w: [Int!]!)" if rng.random() < 0.5 else ""
        body = f"{rng.choice(('query', 'mutation', 'subscription'))} Op{variables} {body}"
    elif roll < 0.4:
        body = f"fragment F on T {_selection(rng, 0)}{_space(rng)}{body}"
    return body


def _corrupt(rng: random.Random, text: str) -> str:
    """Cut the document, drop or replace a character: most results are no longer GraphQL."""
    if not text:
        return text
    at = rng.randrange(len(text))
    roll = rng.random()
    if roll < 0.3:
        return text[:at]
    if roll < 0.6:
        return text[:at] + text[at + 1 :]
    return text[:at] + rng.choice("\"'{}[]()?%\\#.-1a\n") + text[at + 1 :]


def documents() -> list[str]:
    """The hand-written documents, then ``COUNT`` random ones, a third of them corrupted."""
    rng = random.Random(SEED)
    out = list(HANDWRITTEN)
    for i in range(COUNT):
        text = _document(rng)
        out.append(_corrupt(rng, text) if i % 3 == 2 else text)
    return out


def outcome(document: str) -> dict[str, object]:
    """What the decoder reads from ``document``: ``{"values": ...}`` or ``{"error": name}``."""
    try:
        return {"values": graphql.decode(document)}
    except (DecodeError, LimitExceeded) as exc:
        return {"error": type(exc).__name__}


def main() -> None:
    lines = [json.dumps({"document": d, **outcome(d)}, ensure_ascii=False) for d in documents()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

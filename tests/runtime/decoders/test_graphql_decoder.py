"""The GraphQL decoder: literal values by path, as a GraphQL parser reads them; anything that
is not GraphQL stays text; bounded and linear on hostile input."""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

import pytest

from eventguard.runtime import inspect, limits
from eventguard.runtime.decoders import DECODERS, STRUCTURED, graphql
from eventguard.runtime.errors import DecodeError, LimitExceeded


def test_registered_as_a_container() -> None:
    assert DECODERS["graphql"] is graphql.decode
    assert "graphql" in STRUCTURED


def test_a_selection_of_names_has_no_values() -> None:
    assert graphql.decode("{\n  id\n  field1\n  field2\n}") == {}
    assert graphql.decode("{ a: id b: author { name } ... on Post { title } }") == {}


def test_arguments_of_nested_fields_by_path() -> None:
    doc = """
    {
      id
      comments(limit: 5, filter: "open") {
        author(where: {name: "ada", tags: ["x", "y"], age: {gt: 30}}) { name }
      }
    }
    """
    assert graphql.decode(doc) == {
        "comments.limit": "5",
        "comments.filter": "open",
        "comments.author.where.name": "ada",
        "comments.author.where.tags": ["x", "y"],
        "comments.author.where.age.gt": "30",
    }


def test_enums_booleans_nulls_and_variables_are_names_not_values() -> None:
    doc = "{ f(order: DESC, flag: true, none: null, v: $var, n: -1.5e3) }"
    assert graphql.decode(doc) == {"f.n": "-1.5e3"}


def test_aliases_directives_and_operation_variables() -> None:
    doc = 'query Q($id: ID = "d1") { mine: post(id: $id) @include(if: true) { t(x: "v") } }'
    assert graphql.decode(doc) == {"id": "d1", "post.t.x": "v"}


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        (r'"x\u0027 OR 1=1--"', "x' OR 1=1--"),
        (r'"\u{1F600}"', "\U0001f600"),
        (r'"a\"b\\c\/d\n"', 'a"b\\c/d\n'),
        (r'"\uD800"', "\ufffd"),
        ('"""\n    line one\n      indented\n    """', "line one\n  indented"),
        ('"""she said "hi" and ""two"" """', 'she said "hi" and ""two"" '),
        ('"""a\\"""b"""', 'a"""b'),
    ],
)
def test_strings_as_a_parser_reads_them(literal: str, value: str) -> None:
    assert graphql.decode("{ f(x: " + literal + ") }") == {"f.x": value}


@pytest.mark.parametrize(
    "text",
    [
        "{ unclosed",
        "x } {",
        '{ f(x: "unterminated) }',
        "{ f(x: 1a) }",
        "{ f(x: 'single') }",
        "SELECT * FROM t WHERE a = '{'",
        "no braces at all",
        "{ f(x: ] }",
    ],
)
def test_what_is_not_graphql_stays_text(text: str) -> None:
    with pytest.raises(DecodeError):
        graphql.decode(text)


def test_limits() -> None:
    deep = "{ f(x: " + "[" * (limits.MAX_NESTING_DEPTH + 5) + "]" * (limits.MAX_NESTING_DEPTH + 5)
    with pytest.raises(LimitExceeded):
        graphql.decode(deep + ") }")
    many = "{ f(x: [" + ", ".join(['"v"'] * (limits.MAX_GRAPHQL_VALUES + 1)) + "]) }"
    with pytest.raises(LimitExceeded):
        graphql.decode(many)
    with pytest.raises(LimitExceeded):
        graphql.decode("{" + " " * limits.MAX_DECODED_BYTES + "}")


@pytest.mark.parametrize("unit", ['"""a"', '"\\u', "{ f(x: ", '"a', "#c\n", "\\", '""" """ """'])
def test_linear_on_hostile_documents(unit: str) -> None:
    """A megabyte of near-misses (unterminated strings and block strings, comments) stays within
    a fixed multiple of a plain regex pass over it, as the detectors' linear-time tests do: a
    quadratic tokenizer would take minutes."""
    text = "{ f(x: " + unit * (1_000_000 // len(unit))
    plain = min(_seconds(_PLAIN.search, text) for _ in range(2))
    start = time.perf_counter()
    with contextlib.suppress(DecodeError, LimitExceeded):
        graphql.decode(text)
    spent = time.perf_counter() - start
    assert spent < 200 * plain, f"{spent:.2f}s vs plain scan {plain:.3f}s"


_PLAIN = re.compile(r"\bzq\w*\d")


def _seconds(func: Any, text: str) -> float:
    start = time.perf_counter()
    func(text)
    return time.perf_counter() - start


def test_appsync_selection_set_is_inspected_without_raw_text_false_positives() -> None:
    event = {
        "arguments": {},
        "info": {
            "fieldName": "getPost",
            "parentTypeName": "Query",
            "variables": {},
            "selectionSetList": ["id", "comments"],
            # alias lines look like header syntax after a line break; the text is GraphQL
            "selectionSetGraphQL": "{\n id\n first: comments(limit: 1) {\n body\n }\n}",
        },
    }
    assert inspect(event).findings == []
    event["info"]["selectionSetGraphQL"] = (
        '{ comments(filter: "1\' UNION SELECT password FROM users--") { id } }'
    )
    found = inspect(event).findings
    assert [(f.path, f.rule) for f in found] == [
        ("info.selectionSetGraphQL<graphql>.comments.filter", "sqli")
    ]

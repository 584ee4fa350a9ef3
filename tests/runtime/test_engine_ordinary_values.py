"""Ordinary values of real events are not attacks: plain keys, scratch paths, binary data."""

from __future__ import annotations

import base64

import pytest

from eventguard.runtime import inspect


@pytest.mark.parametrize(
    "value",
    ["/tmp", "/tmp/reports/2026-11.csv", "/var/task/templates", "/home/ann/docs", "/srv/exports"],
)
def test_an_ordinary_absolute_path_is_no_traversal(value: str) -> None:
    assert inspect({"directory": value}).findings == []


@pytest.mark.parametrize("key", ["Id", "id", "ls", "env", "order.total", "user-id", "Type"])
def test_a_plain_key_is_a_name(key: str) -> None:
    assert inspect({key: "42"}).findings == []


@pytest.mark.parametrize(
    ("event", "rule"),
    [
        ({"__proto__": {"isAdmin": True}}, "proto_pollution"),
        ({"a": 1, "b": {"__PROTO__": 1}, "c": 2}, "proto_pollution"),
        ({"a": 1, "\uff3f\uff3f\uff50\uff52\uff4f\uff54\uff4f\uff3f\uff3f": 1}, "proto_pollution"),
        ({"user": {"$ne": None}}, "nosqli"),
        ({"x' OR '1'='1": "v"}, "sqli"),
        # plain names around a key whose line break makes it no name: keys are tested together,
        # one a line, and a line break inside one must not split it into two plain names
        ({"Host": 1, "a\nSet-Cookie:sid@evil": 1, "X-Forwarded-Proto": 1}, "crlf"),
        ({"constructor": {"prototype": {"polluted": 1}}}, "proto_pollution"),
        ({"a": 1, "x" * 129 + "'or'1'='1": 1}, "sqli"),
    ],
    ids=[
        "proto-key",
        "proto-key-among-others",
        "fullwidth-proto-key",
        "mongo-operator-key",
        "sql-in-key",
        "line-break-in-key-among-names",
        "constructor-prototype-keys",
        "long-key",
    ],
)
def test_keys_with_attack_syntax_are_still_inspected(event: dict, rule: str) -> None:
    assert rule in inspect(event).rules


@pytest.mark.parametrize(
    "event",
    [{"x": {"prototype": 1}}, {"prototype": {"constructor": 1}}, {"constructor": {"proto": 1}}],
)
def test_prototype_is_a_name_where_no_constructor_holds_it(event: dict) -> None:
    assert inspect(event).findings == []


def test_binary_data_is_not_read_as_a_null_byte_path() -> None:
    blob = base64.b64encode(bytes(range(256)) * 4).decode()
    event = {
        "Records": [
            {
                "eventSource": "aws:kinesis",
                "eventSourceARN": "arn:aws:kinesis:us-east-1:1:stream/s",
                "kinesis": {"data": blob, "sequenceNumber": "1", "partitionKey": "p"},
            }
        ]
    }
    assert inspect(event).findings == []


def test_text_hidden_in_binary_data_is_still_inspected() -> None:
    blob = base64.b64encode(b"\x00\x01\x02\x03\xff" * 20 + b"../../../../etc/passwd" + b"\x00" * 30)
    event = {
        "Records": [
            {
                "eventSource": "aws:kinesis",
                "eventSourceARN": "arn:aws:kinesis:us-east-1:1:stream/s",
                "kinesis": {"data": blob.decode(), "sequenceNumber": "1", "partitionKey": "p"},
            }
        ]
    }
    assert "path_traversal" in inspect(event).rules

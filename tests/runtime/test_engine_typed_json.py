"""Polymorphic JSON typing in events: a JSON body is inspected as its keys and its values apart,
so the value of a type key (fastjson's ``@type``, Jackson's ``@class``, Json.NET's ``$type``,
DataContractJsonSerializer's ``__type``) is read again with its key, as the member it was."""

from __future__ import annotations

import json

import pytest

from eventguard.runtime import inspect

ATTACKS = [
    ({"@type": "com.sun.rowset.JdbcRowSetImpl", "autoCommit": True}, "@type"),
    ({"@type": "java.lang.AutoCloseable"}, "@type"),
    ({"user": {"@class": "org.springframework.beans.factory.ObjectFactory"}}, "user.@class"),
    (
        {"$type": "System.Windows.Data.ObjectDataProvider, PresentationFramework"},
        "$type",
    ),
    (
        {"__type": "System.Configuration.Install.AssemblyInstaller, System.Configuration.Install"},
        "__type",
    ),
]
ORDINARY = [
    {"@type": "Person", "name": "Jane Doe", "@context": "https://schema.org"},
    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"},
    {"filter": {"age": {"$type": "number"}}},
    {"@class": "card", "title": "Order summary"},
    {"type": "com.example.orders.created", "source": "/orders"},
]


def _sqs(body: str) -> dict:
    return {
        "Records": [
            {
                "messageId": "0b3c1f2a-1111-4d2b-9c1a-2b3c4d5e6f70",
                "receiptHandle": "AQEB",
                "body": body,
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:210987654321:orders",
                "awsRegion": "eu-west-1",
            }
        ]
    }


@pytest.mark.parametrize(("document", "path"), ATTACKS, ids=[p for _, p in ATTACKS])
def test_a_type_key_naming_a_class_is_deserialization(document, path) -> None:
    verdict = inspect({"payload": json.dumps(document)})
    assert any(
        f.rule == "deserialization" and f.path == f"payload<json>.{path}" for f in verdict.findings
    ), verdict.findings
    in_queue = inspect(_sqs(json.dumps(document)))
    assert any(
        f.rule == "deserialization" and f.path == f"Records[0].body<json>.{path}" and f.record == 0
        for f in in_queue.findings
    ), in_queue.findings


@pytest.mark.parametrize("document", ORDINARY, ids=lambda d: next(iter(d)))
def test_ordinary_type_members_stay_quiet(document) -> None:
    verdict = inspect({"payload": json.dumps(document)})
    assert "deserialization" not in verdict.rules, verdict.findings


def test_a_value_already_found_is_not_reported_twice() -> None:
    verdict = inspect({"payload": json.dumps({"$type": "System.Windows.Data.ObjectDataProvider"})})
    at_value = [f for f in verdict.findings if f.path == "payload<json>.$type"]
    assert [f.rule for f in at_value].count("deserialization") == 1

"""Quarantine keeps blocked payloads in SQS through the stdlib client; failures are loud."""

from __future__ import annotations

import json

import pytest

from eventguard.runtime.errors import QuarantineError
from eventguard.runtime.quarantine import MAX_MESSAGE_BYTES, Quarantine


def test_keeps_payload_and_verdict_in_the_queue(sqs, quarantine_url: str) -> None:
    q = Quarantine(queue_url=quarantine_url, function="Shop/Orders")
    q.keep({"body": "x"}, {"blocked": True}, source="sqs", request_id="r-1", record=2)
    messages = sqs.receive_message(QueueUrl=quarantine_url, MaxNumberOfMessages=10)["Messages"]
    doc = json.loads(messages[0]["Body"])
    assert (doc["function"], doc["record"], doc["payload"], doc["verdict"]) == (
        "Shop/Orders",
        2,
        {"body": "x"},
        {"blocked": True},
    )


def test_fails_when_the_queue_does_not_exist(aws_env: str) -> None:
    q = Quarantine(queue_url=f"{aws_env}/123456789012/no-such-queue")
    with pytest.raises(QuarantineError, match="HTTP 400"):
        q.keep({}, {}, source="sqs", request_id="r")


def test_fails_when_the_endpoint_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, aws_env: str
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9")
    q = Quarantine(queue_url="http://127.0.0.1:9/123456789012/q")
    with pytest.raises(QuarantineError, match="failed"):
        q.keep({}, {}, source="sqs", request_id="r")


def test_rejects_a_payload_larger_than_an_sqs_message() -> None:
    sent: list[str] = []
    q = Quarantine(queue_url="https://example.invalid/q", send=lambda url, body: sent.append(body))
    with pytest.raises(QuarantineError, match="exceeds"):
        q.keep("x" * MAX_MESSAGE_BYTES, {}, source="direct", request_id="r")
    assert sent == []


def test_fails_without_a_queue_url() -> None:
    with pytest.raises(QuarantineError, match="EVENTGUARD_QUARANTINE_URL"):
        Quarantine(queue_url="").keep({}, {}, source="direct", request_id="r")

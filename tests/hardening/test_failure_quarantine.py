"""Quarantine against a real SQS protocol peer (moto's server): kept when the queue answers; when
it does not, nothing is acknowledged that was neither processed nor kept.

The runtime's own stdlib client (``awsapi``, ``quarantine.sqs_send``) does the talking; boto3 is
only used by the test to create and read the queues.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from eventguard.runtime import sources, wrapper
from eventguard.runtime.model import INTERNAL_ERROR
from eventguard.runtime.policy import Policy, Trigger
from eventguard.runtime.quarantine import MAX_MESSAGE_BYTES, sqs_send
from eventguard.runtime.sources._batch import RetryBatch

SQLI = "1' OR '1'='1' --"


@pytest.fixture
def queue(sqs_server, request) -> str:
    name = "q-" + request.node.name.replace("[", "-").replace("]", "")[:60]
    return sqs_server.create(name)


@pytest.fixture
def missing_queue(sqs_server) -> str:
    """A queue URL of the right shape that the server does not know."""
    return f"{sqs_server.endpoint}/123456789012/no-such-queue"


@pytest.fixture
def closed_port(sqs_server, monkeypatch, unused_port) -> str:
    """The SQS endpoint pointed at a port nobody listens on."""
    port = unused_port
    monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", f"http://127.0.0.1:{port}")
    return f"http://127.0.0.1:{port}/123456789012/quarantine"


def _configure(guard, queue_url: str, policy: Policy | None = None, **kwargs: Any):
    return guard.configure(
        policy or Policy(function="hardening"), queue_url=queue_url, send=sqs_send, **kwargs
    )


def _failures(response: Any) -> set[str]:
    return {f["itemIdentifier"] for f in (response or {}).get("batchItemFailures", [])}


def _passed(guard) -> list[str]:
    return [r["messageId"] for e in guard.seen for r in e["Records"]]


def test_sqs_send_really_talks_sqs_json_protocol(sqs_server, queue):
    sqs_send(queue, '{"hello": "quarantine"}')
    assert sqs_server.drain(queue) == [{"hello": "quarantine"}]


def test_blocked_record_is_kept_in_the_quarantine_queue(guard, sqs_server, queue, sqs_event):
    _configure(guard, queue)
    response = guard(sqs_event(["plain", SQLI, "also plain"]))
    assert _passed(guard) == ["m0", "m2"]
    assert _failures(response) == set()
    kept = sqs_server.drain(queue)
    assert len(kept) == 1
    message = kept[0]
    assert message["record"] == 1 and message["source"] == "sqs"
    assert message["payload"]["messageId"] == "m1" and message["payload"]["body"] == SQLI
    assert "sqli" in [f["rule"] for f in message["verdict"]["findings"]]
    assert message["request_id"] == guard.context.aws_request_id


def _assert_nothing_lost(guard, response: Any, blocked: set[str], clean: list[str]) -> None:
    assert _passed(guard) == clean
    assert _failures(response) == blocked
    failed = [d for d in guard.lines() if d["type"] == "quarantine_failed"]
    assert len(failed) == len(blocked)


def test_blocked_record_becomes_item_failure_when_queue_does_not_exist(
    guard, sqs_server, missing_queue, sqs_event
):
    _configure(guard, missing_queue)
    response = guard(sqs_event(["plain", SQLI, "also plain", SQLI]))
    _assert_nothing_lost(guard, response, {"m1", "m3"}, ["m0", "m2"])


def test_blocked_record_becomes_item_failure_when_port_is_closed(guard, closed_port, sqs_event):
    _configure(guard, closed_port)
    response = guard(sqs_event([SQLI, "plain"]))
    _assert_nothing_lost(guard, response, {"m0"}, ["m1"])


def test_whole_batch_becomes_item_failures_on_internal_error_and_unreachable_queue(
    guard, missing_queue, sqs_event, monkeypatch
):
    from eventguard.runtime import engine

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("injected")

    monkeypatch.setattr(engine, "collect", boom)  # the extraction inspect() runs
    _configure(guard, missing_queue)
    response = guard(sqs_event(["plain", "plain too"]))
    assert guard.seen == []
    assert _failures(response) == {"m0", "m1"}
    findings = [d for d in guard.lines() if d["type"] == "finding"]
    assert [d["rule"] for d in findings] == [INTERNAL_ERROR]


def test_fifo_followers_of_a_blocked_message_wait(guard, sqs_server, queue, sqs_event):
    event = sqs_event([SQLI, "plain same group", "plain other group"])
    for record, group in zip(event["Records"], ["g1", "g1", "g2"], strict=True):
        record["attributes"]["MessageGroupId"] = group
        record["eventSourceARN"] = "arn:aws:sqs:us-west-2:123456789012:orders.fifo"
    _configure(guard, queue)
    response = guard(event)
    assert _passed(guard) == ["m2"]
    assert _failures(response) == {"m1"}
    assert [m["record"] for m in sqs_server.drain(queue)] == [0]


def test_oversized_blocked_record_is_reported_failed_not_dropped(guard, queue, sqs_event):
    _configure(guard, queue)
    big = SQLI + " " + "x" * (MAX_MESSAGE_BYTES + 10)
    response = guard(sqs_event([big, "plain"]))
    assert _passed(guard) == ["m1"]
    assert _failures(response) == {"m0"}


def test_async_event_is_handed_back_to_the_platform_when_queue_unreachable(
    guard, missing_queue, sample
):
    event = sample("s3")
    event["Records"][0]["s3"]["object"]["key"] = "uploads/" + SQLI
    _configure(guard, missing_queue)
    assert getattr(sources.identify(event), "KIND", "") == "async"
    with pytest.raises(wrapper.Blocked):
        guard(event)
    assert guard.seen == []
    assert "quarantine_failed" in guard.types()


def test_async_event_is_kept_when_queue_answers(guard, sqs_server, queue, sample):
    event = sample("eventbridge-aws-service")
    event["detail"] = {"comment": SQLI}
    _configure(guard, queue)
    guard(event)
    assert guard.seen == []
    kept = sqs_server.drain(queue)
    assert len(kept) == 1 and kept[0]["payload"]["detail"] == {"comment": SQLI}


def test_sync_request_still_gets_blocked_answer_when_queue_unreachable(
    guard, missing_queue, sample
):
    event = sample("apigw-rest-v1")
    event["body"] = '{"name": "' + SQLI.replace("'", "\\u0027") + '"}'
    _configure(guard, missing_queue)
    response = guard(event)
    assert guard.seen == []
    assert response["statusCode"] == 403
    assert SQLI not in str(response)
    assert "quarantine_failed" in guard.types()


def test_kafka_batch_is_retried_when_queue_unreachable(guard, missing_queue, sample):
    import base64

    event = sample("kafka-msk")
    records = sources.BY_ID["kafka"].records(event)
    assert records, "the Kafka seed has records"
    records[0]["value"] = base64.b64encode(SQLI.encode()).decode()
    _configure(guard, missing_queue)
    with pytest.raises(RetryBatch):
        guard(event)
    assert guard.seen == []


def test_undeclared_trigger_is_blocked_and_kept(guard, sqs_server, queue, sqs_event):
    policy = Policy(
        function="hardening",
        triggers=(Trigger(source="sqs", id="arn:aws:sqs:us-west-2:123456789012:declared"),),
    )
    _configure(guard, queue, policy)
    response = guard(sqs_event(["plain"]))
    assert guard.seen == []
    assert _failures(response) == set()
    assert [m["record"] for m in sqs_server.drain(queue)] == [0]


def test_kinesis_blocked_record_becomes_item_failure_when_queue_unreachable(
    guard, missing_queue, sample
):
    import base64

    event = sample("kinesis")
    records = event["Records"]
    records[1]["kinesis"]["data"] = base64.b64encode(SQLI.encode()).decode()
    records[1]["kinesis"]["sequenceNumber"] = (
        "49568167373333333333333333333333333333333333333333333399"
    )
    _configure(guard, missing_queue)
    response = guard(event)
    passed = [r["kinesis"]["sequenceNumber"] for e in guard.seen for r in e["Records"]]
    assert passed == [records[0]["kinesis"]["sequenceNumber"]]
    assert _failures(response) == {records[1]["kinesis"]["sequenceNumber"]}


@pytest.mark.parametrize("reachable", [True, False], ids=["kept", "queue-unreachable"])
def test_firehose_blocked_record_is_processing_failed(
    guard, sqs_server, queue, missing_queue, sample, reachable
):
    import base64

    event = sample("kinesis-firehose")
    event["records"][0]["data"] = base64.b64encode(SQLI.encode()).decode()
    ids = [r["recordId"] for r in event["records"]]

    def transform(evt: Any, context: Any) -> Any:
        guard.seen.append(evt)
        return {
            "records": [
                {"recordId": r["recordId"], "result": "Ok", "data": r["data"]}
                for r in evt["records"]
            ]
        }

    _configure(guard, queue if reachable else missing_queue, user_handler=transform)
    response = guard(event)
    results = {r["recordId"]: r["result"] for r in response["records"]}
    assert set(results) == set(ids)  # Firehose needs an answer for every record
    assert results[ids[0]] == "ProcessingFailed"
    assert all(results[i] == "Ok" for i in ids[1:])
    assert [m["record"] for m in sqs_server.drain(queue)] == ([0] if reachable else [])


def test_a_noisy_record_does_not_stop_others_being_kept(
    guard, sqs_server, queue, sqs_event, monkeypatch
):
    from eventguard.runtime import engine

    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)  # deterministic findings
    noisy = json.dumps([SQLI] * 3000)
    _configure(guard, queue)
    response = guard(sqs_event([noisy, SQLI, "plain"]))
    assert _passed(guard) == ["m2"]
    kept = sorted(m["record"] for m in sqs_server.drain(queue))
    assert 1 in kept
    assert _failures(response) <= {"m0"}


def test_handlers_own_item_failures_are_kept_alongside_held_records(
    guard, missing_queue, sqs_event
):
    def partial(event: Any, context: Any) -> Any:
        guard.seen.append(event)
        return {"batchItemFailures": [{"itemIdentifier": "m2"}]}

    _configure(guard, missing_queue, user_handler=partial)
    response = guard(sqs_event(["plain", SQLI, "handler fails this one"]))
    assert _passed(guard) == ["m0", "m2"]
    assert _failures(response) == {"m1", "m2"}

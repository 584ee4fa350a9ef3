"""The wrapper end to end: allow, block, quarantine, partial batches, alert mode, failure modes."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from eventguard.runtime import wrapper
from eventguard.runtime.policy import from_dict
from eventguard.runtime.quarantine import Quarantine
from eventguard.runtime.seclog import SecurityLog

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:orders"
SQLI = "1' OR '1'='1' --"
CONTEXT = SimpleNamespace(aws_request_id="req-42", function_name="orders")


def sqs_event(
    *bodies: str, arn: str = QUEUE_ARN, groups: list[str] | None = None
) -> dict[str, Any]:
    records = []
    for i, body in enumerate(bodies):
        record: dict[str, Any] = {
            "messageId": f"m{i}",
            "body": body,
            "attributes": {},
            "messageAttributes": {},
            "eventSource": "aws:sqs",
            "eventSourceARN": arn,
        }
        if groups:
            record["attributes"]["MessageGroupId"] = groups[i]
        records.append(record)
    return {"Records": records}


class Recorder:
    """The user's handler: remembers what it saw, returns what it is told to."""

    def __init__(self, result: Any = None) -> None:
        self.events: list[Any] = []
        self.result = result

    def __call__(self, event: Any, context: Any) -> Any:
        self.events.append(event)
        return self.result


@pytest.fixture
def stream() -> io.StringIO:
    return io.StringIO()


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    yield
    wrapper.reset()


def setup(
    policy: dict[str, Any], queue_url: str, stream: io.StringIO, result: Any = None
) -> Recorder:
    user = Recorder(result)
    wrapper.configure(
        policy=from_dict(policy),
        user_handler=user,
        quarantine=Quarantine(queue_url=queue_url, function="orders"),
        log=SecurityLog(stream, function="orders"),
    )
    return user


def log_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_benign_batch_reaches_the_handler_unchanged(
    quarantine_url: str, stream: io.StringIO
) -> None:
    user = setup({"triggers": [{"source": "sqs", "id": QUEUE_ARN}]}, quarantine_url, stream, "ok")
    event = sqs_event("hello", "world")
    assert wrapper.handler(event, CONTEXT) == "ok"
    assert user.events == [event]


def test_blocks_a_malicious_record_and_quarantines_it(
    sqs, quarantine_url: str, stream: io.StringIO
) -> None:
    user = setup({"triggers": [{"source": "sqs", "id": QUEUE_ARN}]}, quarantine_url, stream)
    result = wrapper.handler(sqs_event("hello", SQLI, "world"), CONTEXT)
    kept = json.loads(sqs.receive_message(QueueUrl=quarantine_url)["Messages"][0]["Body"])
    assert [r["messageId"] for r in user.events[0]["Records"]] == ["m0", "m2"]
    assert result in (None, {"batchItemFailures": []})
    assert (kept["record"], kept["payload"]["messageId"], kept["request_id"]) == (1, "m1", "req-42")


def test_failed_quarantine_reports_the_record_as_a_batch_item_failure(
    aws_env: str, stream: io.StringIO
) -> None:
    missing = f"{aws_env}/123456789012/missing"
    user = setup({"triggers": [{"source": "sqs", "id": QUEUE_ARN}]}, missing, stream)
    result = wrapper.handler(sqs_event("hello", SQLI), CONTEXT)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert [r["messageId"] for r in user.events[0]["Records"]] == ["m0"]


def test_handler_failures_are_kept_next_to_eventguard_failures(
    aws_env: str, stream: io.StringIO
) -> None:
    own = {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    setup({"triggers": [{"source": "sqs", "id": QUEUE_ARN}]}, f"{aws_env}/1/missing", stream, own)
    result = wrapper.handler(sqs_event("hello", SQLI), CONTEXT)
    ids = sorted(f["itemIdentifier"] for f in result["batchItemFailures"])
    assert ids == ["m0", "m1"]


def test_fifo_records_after_a_blocked_one_in_its_group_wait(
    quarantine_url: str, stream: io.StringIO
) -> None:
    arn = QUEUE_ARN + ".fifo"
    user = setup({"triggers": [{"source": "sqs", "id": arn, "fifo": True}]}, quarantine_url, stream)
    event = sqs_event("a", SQLI, "b", "c", arn=arn, groups=["g1", "g1", "g1", "g2"])
    result = wrapper.handler(event, CONTEXT)
    assert [r["messageId"] for r in user.events[0]["Records"]] == ["m0", "m3"]
    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}]}


def test_alert_mode_changes_nothing_the_handler_sees(
    quarantine_url: str, stream: io.StringIO
) -> None:
    user = setup({"mode": "alert"}, quarantine_url, stream, "done")
    event = sqs_event("hello", SQLI)
    assert wrapper.handler(event, CONTEXT) == "done"
    assert user.events == [event]
    findings = [line for line in log_lines(stream) if line["type"] == "finding"]
    assert findings and all(line["action"] == "alert" for line in findings)


def test_blocks_an_event_from_an_undeclared_queue(
    sqs, quarantine_url: str, stream: io.StringIO
) -> None:
    user = setup({"triggers": [{"source": "sqs", "id": QUEUE_ARN}]}, quarantine_url, stream)
    wrapper.handler(sqs_event("hello", arn=QUEUE_ARN + "-forged"), CONTEXT)
    kept = json.loads(sqs.receive_message(QueueUrl=quarantine_url)["Messages"][0]["Body"])
    assert user.events == []
    assert kept["verdict"]["findings"][0]["rule"] == "unexpected_source"


def test_blocks_a_malicious_direct_invocation_without_calling_the_handler(
    quarantine_url: str, stream: io.StringIO
) -> None:
    user = setup({}, quarantine_url, stream)
    result = wrapper.handler({"name": SQLI}, CONTEXT)
    assert (user.events, result["requestId"]) == ([], "req-42")


def test_every_log_line_is_one_json_object_without_the_payload(
    quarantine_url: str, stream: io.StringIO
) -> None:
    setup({}, quarantine_url, stream)
    payload = SQLI + '\n{"type": "forged"}' + "x" * 1000
    wrapper.handler({"name": payload}, CONTEXT)
    lines = log_lines(stream)
    assert lines and all(line["type"] != "forged" for line in lines)
    assert payload not in stream.getvalue()


def test_fails_closed_without_a_traceback_when_no_policy_is_deployed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("EVENTGUARD_POLICY", raising=False)
    result = wrapper.handler({"x": "y"}, CONTEXT)
    line = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (result["error"], line["type"]) == ("blocked by eventguard", "internal_error")


def test_loads_policy_and_handler_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    (tmp_path / "shop_handler.py").write_text(
        "def handle(event, context):\n    return {'seen': event}\n"
    )
    monkeypatch.setenv("LAMBDA_TASK_ROOT", str(tmp_path))
    monkeypatch.setenv("EVENTGUARD_HANDLER", "shop_handler.handle")
    monkeypatch.setenv("EVENTGUARD_POLICY", json.dumps({"function": "Shop/Orders"}))
    assert wrapper.handler({"a": "b"}, CONTEXT) == {"seen": {"a": "b"}}


def test_blocked_custom_resource_answer_is_never_sent_to_a_forged_url(
    quarantine_url: str, stream: io.StringIO
) -> None:
    user = setup({"triggers": [{"source": "cloudformation"}]}, quarantine_url, stream)
    event = {
        "RequestType": "Create",
        "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:cr",
        "ResponseURL": "http://169.254.169.254/latest/meta-data/",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
        "RequestId": "cr-1",
        "ResourceType": "Custom::Thing",
        "LogicalResourceId": "Thing",
        "ResourceProperties": {"Name": SQLI},
    }
    result = wrapper.handler(event, CONTEXT)
    refused = [line for line in log_lines(stream) if line["type"] == "response_not_delivered"]
    assert (user.events, result["Status"], refused[0]["reason"]) == (
        [],
        "FAILED",
        "not an AWS https URL",
    )


def test_a_shapeless_iot_payload_is_the_declared_iot_source() -> None:
    from eventguard.runtime import inspect

    verdict = inspect(
        {"temperature": 21, "room": "lab"}, policy=from_dict({"triggers": [{"source": "iot"}]})
    )
    assert (verdict.source, verdict.findings) == ("iot", [])


def test_a_direct_invocation_is_unexpected_when_only_queues_are_declared() -> None:
    from eventguard.runtime import inspect

    policy = from_dict({"triggers": [{"source": "sqs", "id": QUEUE_ARN}]})
    verdict = inspect({"temperature": 21}, policy=policy)
    assert ([f.rule for f in verdict.findings], verdict.blocked) == (["unexpected_source"], True)

"""Flow contexts through real SDK calls: boto3 clients against moto (``ThreadedMotoServer``, so the
stdlib client reads the flow key from Secrets Manager over HTTP) or ``botocore.stub.Stubber``."""

from __future__ import annotations

import base64
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto.server import ThreadedMotoServer

from eventguard.runtime import flow, wrapper
from eventguard.runtime.model import UNEXPECTED_FLOW
from eventguard.runtime.policy import from_dict
from eventguard.runtime.quarantine import Quarantine
from eventguard.runtime.seclog import SecurityLog

REPO = Path(__file__).resolve().parents[3]
REGION = "eu-west-1"
CALLER = "Shop/Api"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    saved = dict(os.environ)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
    )
    os.environ.pop("AWS_SESSION_TOKEN", None)
    yield f"http://127.0.0.1:{port}"
    server.stop()
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def secret(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh flow key, and a fresh key ring as in a new container."""
    client = boto3.client("secretsmanager", endpoint_url=endpoint)
    name = f"flow-key-{time.time_ns()}"
    arn = client.create_secret(Name=name, SecretString=os.urandom(16).hex())["ARN"]
    monkeypatch.setattr(flow, "_keyring", flow.KeyRing(flow.fetch_secret))
    return str(arn)


def sender(arn: str) -> None:
    """The calling function's container: its policy, and its current invocation."""
    pol = from_dict({"function": CALLER, "flow": {"name": CALLER, "key": arn}})
    flow.prepare(pol, register=False)
    flow.verify({}, SimpleNamespace(aws_request_id="req-sender"), pol)


def receiver(arn: str, require: list[str], invoked_by: list[str] | None = None) -> Any:
    return from_dict(
        {
            "function": "Shop/Worker",
            "flow": {
                "name": "Shop/Worker",
                "key": arn,
                "require": require,
                "invoked_by": [CALLER] if invoked_by is None else invoked_by,
                "sign": False,
            },
        }
    )


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """Messages as ReceiveMessage returns them, in the shape Lambda delivers them."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "body": m["Body"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {
                    k: {"stringValue": v.get("StringValue"), "dataType": v["DataType"]}
                    for k, v in m.get("MessageAttributes", {}).items()
                },
            }
            for m in messages
        ]
    }


def receive_all(sqs: Any, url: str, count: int) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    for _ in range(10):
        got += sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if len(got) >= count:
            break
    return sorted(got, key=lambda m: int(m["Attributes"]["SentTimestamp"]))


def test_sqs_messages_carry_a_context_that_verifies_and_tampering_is_caught(
    endpoint: str, secret: str
) -> None:
    sender(secret)
    sqs = boto3.client("sqs", endpoint_url=endpoint)
    flow.attach(sqs.meta.events)
    url = sqs.create_queue(QueueName=f"orders-{time.time_ns()}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sqs.send_message(
        QueueUrl=url,
        MessageBody="order 1",
        MessageAttributes={"tenant": {"DataType": "String", "StringValue": "acme"}},
    )
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "a", "MessageBody": "order 2"}, {"Id": "b", "MessageBody": "order 3"}],
    )
    messages = receive_all(sqs, url, 3)
    assert len(messages) == 3
    context = json.loads(messages[0]["MessageAttributes"][flow.KEY]["StringValue"])
    assert (context["fn"], context["rid"], context["k"]) == (CALLER, "req-sender", "sqs")
    assert messages[0]["MessageAttributes"]["tenant"]["StringValue"] == "acme"
    event = sqs_event(messages, arn)
    ctx = SimpleNamespace(aws_request_id="req-worker")
    assert flow.verify(event, ctx, receiver(secret, ["sqs"])) == []
    event["Records"][1]["body"] = "order 2; refund everything"
    del event["Records"][2]["messageAttributes"][flow.KEY]
    findings = flow.verify(event, ctx, receiver(secret, ["sqs"]))
    assert [(f.rule, f.record, f.detail) for f in findings] == [
        (UNEXPECTED_FLOW, 1, "payload does not match the signed flow context"),
        (UNEXPECTED_FLOW, 2, "no flow context"),
    ]
    findings = flow.verify(sqs_event(messages, arn), ctx, receiver(secret, ["sqs"], ["Shop/Other"]))
    assert {f.detail for f in findings} == {"caller 'Shop/Api' is not in the declared flow graph"}


def test_sns_messages_verify_directly_and_through_an_sqs_subscription(
    endpoint: str, secret: str
) -> None:
    sender(secret)
    sns = boto3.client("sns", endpoint_url=endpoint)
    sqs = boto3.client("sqs", endpoint_url=endpoint)
    flow.attach(sns.meta.events)
    topic = sns.create_topic(Name=f"events-{time.time_ns()}")["TopicArn"]
    url = sqs.create_queue(QueueName=f"fanout-{time.time_ns()}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    sns.publish(TopicArn=topic, Message="order shipped")
    messages = receive_all(sqs, url, 1)
    envelope = json.loads(messages[0]["Body"])
    assert flow.KEY in envelope["MessageAttributes"]
    ctx = SimpleNamespace(aws_request_id="req-worker")
    assert flow.verify(sqs_event(messages, queue_arn), ctx, receiver(secret, ["sqs"])) == []
    direct = {
        "Records": [
            {
                "EventSource": "aws:sns",
                "Sns": {
                    "TopicArn": topic,
                    "Message": envelope["Message"],
                    "Timestamp": envelope["Timestamp"],
                    "MessageAttributes": envelope["MessageAttributes"],
                },
            }
        ]
    }
    assert flow.verify(direct, ctx, receiver(secret, ["sns"])) == []
    direct["Records"][0]["Sns"]["TopicArn"] = topic + "-other"
    assert "arrived at" in flow.verify(direct, ctx, receiver(secret, ["sns"]))[0].detail


def captured(client: Any, operation: str) -> dict[str, Any]:
    """The parameters as they leave for the wire (a handler registered after the signer's)."""
    seen: dict[str, Any] = {}
    client.meta.events.register(
        f"before-parameter-build.{operation}", lambda params, **_: seen.update(params)
    )
    return seen


def test_lambda_invoke_carries_a_client_context_bound_to_function_and_payload(secret: str) -> None:
    sender(secret)
    client = boto3.client("lambda", region_name=REGION)
    flow.attach(client.meta.events)
    seen = captured(client, "lambda.Invoke")
    mine = base64.b64encode(json.dumps({"custom": {"app": "shop"}}).encode()).decode()
    with Stubber(client) as stub:
        stub.add_response("invoke", {"StatusCode": 200})
        client.invoke(
            FunctionName=f"arn:aws:lambda:{REGION}:123456789012:function:pay:live",
            Payload=json.dumps({"amount": 5, "to": "acct-1"}),
            ClientContext=mine,
        )
    custom = json.loads(base64.b64decode(seen["ClientContext"]))["custom"]
    assert custom["app"] == "shop"
    event = {"to": "acct-1", "amount": 5}
    context = SimpleNamespace(
        aws_request_id="w", function_name="pay", client_context=SimpleNamespace(custom=custom)
    )
    assert flow.verify(event, context, receiver(secret, ["direct"])) == []
    assert (
        "payload"
        in flow.verify({**event, "amount": 500}, context, receiver(secret, ["direct"]))[0].detail
    )
    context.function_name = "refund"
    assert (
        "arrived at 'refund'" in flow.verify(event, context, receiver(secret, ["direct"]))[0].detail
    )
    bare = SimpleNamespace(aws_request_id="w", function_name="pay", client_context=None)
    assert flow.verify(event, bare, receiver(secret, ["direct"]))[0].detail == "no flow context"
    assert flow.verify(event, bare, receiver(secret, [])) == []  # not required: no finding


def test_eventbridge_and_step_functions_carry_a_context_in_the_payload(
    endpoint: str, secret: str
) -> None:
    sender(secret)
    events = boto3.client("events", endpoint_url=endpoint)
    flow.attach(events.meta.events)
    seen = captured(events, "eventbridge.PutEvents")
    events.put_events(Entries=[{"Source": "shop", "DetailType": "Order", "Detail": '{"order": 7}'}])
    detail = json.loads(seen["Entries"][0]["Detail"])
    event = {
        "detail-type": "Order",
        "source": "shop",
        "detail": detail,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    ctx = SimpleNamespace(aws_request_id="w")
    assert flow.verify(event, ctx, receiver(secret, ["eventbridge"])) == []
    event["detail"] = {**detail, "order": 8}
    assert flow.verify(event, ctx, receiver(secret, ["eventbridge"]))[0].rule == UNEXPECTED_FLOW
    sfn = boto3.client("stepfunctions", region_name=REGION)
    flow.attach(sfn.meta.events)
    seen = captured(sfn, "sfn.StartExecution")
    with Stubber(sfn) as stub:
        stub.add_response(
            "start_execution", {"executionArn": "arn:x", "startDate": datetime.now(UTC)}
        )
        sfn.start_execution(
            stateMachineArn="arn:aws:states:eu-west-1:1:stateMachine:s", input='{"order": 7}'
        )
    state_input = json.loads(seen["input"])
    assert state_input["order"] == 7
    assert flow.verify(state_input, ctx, receiver(secret, ["direct"])) == []


def test_rotation_keeps_contexts_signed_with_the_previous_key_valid(
    endpoint: str, secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender(secret)  # this container read the key before the rotation
    sqs = boto3.client("sqs", endpoint_url=endpoint)
    flow.attach(sqs.meta.events)
    url = sqs.create_queue(QueueName=f"rot-{time.time_ns()}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sqs.send_message(QueueUrl=url, MessageBody="before rotation")
    boto3.client("secretsmanager", endpoint_url=endpoint).put_secret_value(
        SecretId=secret, SecretString=os.urandom(16).hex()
    )
    monkeypatch.setattr(flow, "_keyring", flow.KeyRing(flow.fetch_secret))  # a new container
    assert len(flow._keyring.keys(secret)) == 2
    event = sqs_event(receive_all(sqs, url, 1), arn)
    assert flow.verify(event, SimpleNamespace(aws_request_id="w"), receiver(secret, ["sqs"])) == []


def test_fails_closed_through_the_wrapper_on_an_unsigned_direct_invocation(secret: str) -> None:
    stream = io.StringIO()
    calls: list[Any] = []
    pol = from_dict(
        {
            "function": "Shop/Pay",
            "flow": {
                "name": "Shop/Pay",
                "key": secret,
                "invoked_by": [CALLER],
                "require": ["direct"],
                "sign": False,
            },
        }
    )
    wrapper.configure(
        policy=pol,
        user_handler=lambda e, c: calls.append(e),
        quarantine=Quarantine("", "Shop/Pay"),
        log=SecurityLog(stream),
    )
    try:
        context = SimpleNamespace(aws_request_id="r1", function_name="pay", client_context=None)
        out = wrapper.handler({"amount": 5}, context)
    finally:
        wrapper.reset()
    assert calls == []
    assert out["error"] == "blocked by eventguard"
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert any(
        x.get("rule") == UNEXPECTED_FLOW and x.get("detail") == "no flow context" for x in lines
    )


PREPARED = """
import json, os, sys, boto3
sys.path.insert(0, {repo!r})
from eventguard.runtime import flow, policy
pol = policy.from_dict({{"function": "Shop/Api", "flow": {{"name": "Shop/Api", "key": {secret!r}}}}})
assert flow.prepare(pol)
sqs = boto3.client("sqs")  # created by user code after prepare: signs with no further step
url = sqs.create_queue(QueueName="prepared-queue")["QueueUrl"]
sqs.send_message(QueueUrl=url, MessageBody="hi")
m = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
print(json.loads(m["MessageAttributes"][flow.KEY]["StringValue"])["fn"])
"""


def test_prepare_makes_every_client_created_afterwards_sign(endpoint: str, secret: str) -> None:
    code = textwrap.dedent(PREPARED.format(repo=str(REPO), secret=secret))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == CALLER

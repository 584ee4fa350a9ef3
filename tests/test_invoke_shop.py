"""``eventguard invoke`` on the example app's cloud assembly (from ``npx cdk synth``): the
functions run in a subprocess from their code and layer assets, with the template's handler and
environment; benign events reach the handler, malicious ones are blocked and quarantined."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

EVENTS = Path(__file__).resolve().parent / "invoke_events"


def invoke(cli: Any, cdk_out: Path, function: str, event: str, *extra: str) -> tuple[int, Any]:
    done = cli("invoke", str(cdk_out), function, str(EVENTS / event), "--json", *extra)
    assert done.stdout, done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def aws(endpoint: str, service: str) -> Any:
    return boto3.client(
        service, endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local",
    )  # fmt: skip


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


def resolve_queue(cdk_out: Path) -> list[str]:
    """``--resolve`` the fulfilment queue's ARN to the one the sample events come from."""
    template = json.loads((cdk_out / "Shop.template.json").read_text())
    (queue_id,) = [
        k for k, r in template["Resources"].items()
        if r["Type"] == "AWS::SQS::Queue" and k.startswith("FulfilmentQueue")
    ]  # fmt: skip
    event = json.loads((EVENTS / "sqs-fulfilment-benign.json").read_text())
    return ["--resolve", f"{queue_id}.Arn={event['Records'][0]['eventSourceARN']}"]


def test_benign_stream_batch_runs_the_handler_behind_the_layer_wrapper(
    shop_cdk_out: Path, eventguard_cli: Any
) -> None:
    status, report = invoke(
        eventguard_cli, shop_cdk_out, "Shop/AuditTrail", "dynamodb-audit-benign.json"
    )
    assert status == 0, report
    assert report["handler"] == "eventguard.runtime.wrapper.handler"
    assert report["result"] == {"batchItemFailures": [], "audited": 2}
    # the wrapper ran from the layer asset in cdk.out, the handler from the code asset
    (layer,) = report["layers"]
    assert Path(layer).parent.parent == shop_cdk_out and Path(layer).name == "python"
    assert report["eventguard_loaded_from"] == str(Path(layer) / "eventguard" / "__init__.py")
    assert Path(report["task_root"]).parent == shop_cdk_out
    audit_lines = [json.loads(line) for line in report["logs"] if '"audit"' in line]
    assert [line["audit"] for line in audit_lines] == ["INSERT", "MODIFY"]
    assert audit_lines[1]["status"] == ["placed", "shipping"]


def test_malicious_stream_record_is_held_when_quarantine_is_unavailable(
    shop_cdk_out: Path, eventguard_cli: Any
) -> None:
    status, report = invoke(
        eventguard_cli, shop_cdk_out, "Shop/AuditTrail", "dynamodb-audit-malicious.json"
    )
    assert status == 0, report
    assert report["quarantine"]["available"] is False
    # the SQL injection in record 1 never reached the handler (it audited record 0 only), and
    # with nowhere to keep it, it is reported as a batch item failure: retried, never dropped
    assert report["result"] == {
        "batchItemFailures": [{"itemIdentifier": "4421584500000000017450439092"}],
        "audited": 1,
    }
    findings = [json.loads(line) for line in report["logs"] if '"type":"finding"' in line]
    assert {f["rule"] for f in findings} == {"sqli"}
    assert any('"type":"quarantine_failed"' in line for line in report["logs"])


@pytest.fixture
def order_backend(moto_endpoint: str) -> dict[str, str]:
    """A table and a fulfilment queue on the local moto server, fresh names per test."""
    suffix = uuid.uuid4().hex[:8]
    table = f"orders-{suffix}"
    aws(moto_endpoint, "dynamodb").create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    queue = aws(moto_endpoint, "sqs").create_queue(QueueName=f"fulfilment-{suffix}")["QueueUrl"]
    return {"table": table, "queue": queue}


def test_benign_order_is_stored_and_handed_to_fulfilment(
    shop_cdk_out: Path, eventguard_cli: Any, moto_endpoint: str, order_backend: dict[str, str]
) -> None:
    status, report = invoke(
        eventguard_cli, shop_cdk_out, "Shop/PlaceOrder", "api-orders-benign.json",
        "--endpoint", moto_endpoint, "--quarantine-endpoint", moto_endpoint,
        "--env", f"TABLE_NAME={order_backend['table']}",
        "--env", f"FULFILMENT_QUEUE_URL={order_backend['queue']}",
    )  # fmt: skip
    assert status == 0, report
    assert report["result"]["statusCode"] == 201, report
    order_id = json.loads(report["result"]["body"])["orderId"]
    items = aws(moto_endpoint, "dynamodb").scan(TableName=order_backend["table"])["Items"]
    assert [i["pk"]["S"] for i in items] == [f"order#{order_id}"]
    assert items[0]["customer"]["S"] == "c0ffee00-1234-4abc-9def-0123456789ab"
    (message,) = drain(aws(moto_endpoint, "sqs"), order_backend["queue"])
    assert message["orderId"] == order_id
    quarantine = report["quarantine"]["queue_url"]
    assert drain(aws(moto_endpoint, "sqs"), quarantine) == []
    # --env overrides are not reported as placeholders; what stays unresolved is said
    assert not any(
        u.startswith(("TABLE_NAME", "FULFILMENT_QUEUE_URL")) for u in report["unresolved"]
    )
    assert any(u.startswith("EVENTGUARD_POLICY: api-rest trigger id") for u in report["unresolved"])


def test_xss_order_is_refused_quarantined_and_never_stored(
    shop_cdk_out: Path, eventguard_cli: Any, moto_endpoint: str, order_backend: dict[str, str]
) -> None:
    status, report = invoke(
        eventguard_cli, shop_cdk_out, "Shop/PlaceOrder", "api-orders-malicious.json",
        "--endpoint", moto_endpoint, "--quarantine-endpoint", moto_endpoint,
        "--env", f"TABLE_NAME={order_backend['table']}",
        "--env", f"FULFILMENT_QUEUE_URL={order_backend['queue']}",
    )  # fmt: skip
    assert status == 0, report
    assert report["result"]["statusCode"] == 403
    assert aws(moto_endpoint, "dynamodb").scan(TableName=order_backend["table"])["Items"] == []
    assert drain(aws(moto_endpoint, "sqs"), order_backend["queue"]) == []
    (kept,) = drain(aws(moto_endpoint, "sqs"), report["quarantine"]["queue_url"])
    assert kept["function"] == "Shop/PlaceOrder" and kept["source"] == "api-rest"
    assert {f["rule"] for f in kept["verdict"]["findings"]} == {"xss"}
    assert "<script>" in json.loads(kept["payload"]["body"])["note"]


def test_sqs_batch_keeps_the_benign_message_and_quarantines_the_sqli(
    shop_cdk_out: Path, eventguard_cli: Any, moto_endpoint: str
) -> None:
    sns, sqs = aws(moto_endpoint, "sns"), aws(moto_endpoint, "sqs")
    topic = sns.create_topic(Name=f"order-events-{uuid.uuid4().hex[:8]}")["TopicArn"]
    inbox = sqs.create_queue(QueueName=f"inbox-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn["Attributes"]["QueueArn"])
    status, report = invoke(
        eventguard_cli, shop_cdk_out, "Shop/Fulfilment", "sqs-fulfilment-malicious.json",
        "--endpoint", moto_endpoint, "--quarantine-endpoint", moto_endpoint,
        "--env", f"ORDER_EVENTS_TOPIC_ARN={topic}", *resolve_queue(shop_cdk_out),
    )  # fmt: skip
    assert status == 0, report
    assert not any("sqs trigger id" in u for u in report["unresolved"])  # the real ARN is declared
    assert report["result"] == {"batchItemFailures": []}  # the blocked one is kept, not retried
    (shipped,) = [json.loads(m["Message"]) for m in drain(sqs, inbox)]
    assert shipped == {"orderId": "7f9c2a4e-order", "items": 2, "status": "shipping"}
    (kept,) = drain(sqs, report["quarantine"]["queue_url"])
    assert kept["record"] == 1 and kept["source"] == "sqs"
    assert kept["payload"]["messageId"] == "2e1424d4-f796-459a-8184-9c92662be6da"
    assert {f["rule"] for f in kept["verdict"]["findings"]} == {"sqli"}


def test_function_can_be_named_by_logical_id_and_plain_output_is_the_result(
    shop_cdk_out: Path, eventguard_cli: Any
) -> None:
    _, report = invoke(
        eventguard_cli, shop_cdk_out, "Shop/AuditTrail", "dynamodb-audit-benign.json"
    )
    done = eventguard_cli(
        "invoke",
        str(shop_cdk_out),
        report["logical_id"],
        str(EVENTS / "dynamodb-audit-benign.json"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {"batchItemFailures": [], "audited": 2}
    assert "quarantine unavailable" in done.stderr


def test_fails_on_an_unknown_function_and_lists_the_real_ones(
    shop_cdk_out: Path, eventguard_cli: Any
) -> None:
    done = eventguard_cli(
        "invoke", str(shop_cdk_out), "Shop/Nope", str(EVENTS / "sqs-fulfilment-benign.json")
    )
    assert done.returncode == 2
    assert "no function 'Shop/Nope'" in done.stderr and "Shop/Fulfilment" in done.stderr


def test_fails_on_a_directory_that_is_not_a_cloud_assembly(
    tmp_path: Path, eventguard_cli: Any
) -> None:
    done = eventguard_cli(
        "invoke", str(tmp_path), "Shop/Fulfilment", str(EVENTS / "sqs-fulfilment-benign.json")
    )
    assert done.returncode == 2
    assert "is not a cloud assembly" in done.stderr


def test_resolved_trigger_ids_make_the_origin_check_apply(
    shop_cdk_out: Path, eventguard_cli: Any
) -> None:
    """With the queue's deployed ARN given, the policy declares it, and the same message from
    another queue is refused (the SQS batch test above shows the declared queue accepted): the
    trigger id is what the runtime's origins(event) returns, the queue ARN."""
    resolve = [*resolve_queue(shop_cdk_out), "--env", "ORDER_EVENTS_TOPIC_ARN=x"]
    status, report = invoke(
        eventguard_cli, shop_cdk_out, "Shop/Fulfilment", "sqs-fulfilment-stray.json", *resolve
    )
    assert status == 0, report
    assert not any("sqs trigger id" in u for u in report["unresolved"])
    # the stray message was held (no quarantine locally), the handler saw nothing
    assert report["result"] == {"batchItemFailures": [{"itemIdentifier": "5f7a1c9e-stray"}]}
    findings = [json.loads(line) for line in report["logs"] if '"type":"finding"' in line]
    assert [f["rule"] for f in findings] == ["unexpected_source"]

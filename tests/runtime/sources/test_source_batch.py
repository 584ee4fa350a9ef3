"""The blocking contract of batch sources: record paths and ids, ``without`` and ``merge``
(partial batch responses, Firehose ProcessingFailed, whole-batch retry for Kafka and MQ), and
SQS FIFO message groups."""

from __future__ import annotations

import pytest

from eventguard.runtime.sources import (
    _batch,
    docdb,
    dynamodb_stream,
    firehose,
    kafka,
    kinesis,
    mq,
    sqs,
)

FIFO = "sqs/own--fifo.json"
SELF_KAFKA = "kafka/own--self-managed.json"
RMQ = "mq/mq-rabbitmq--aws-lambda-go--rabbitmq-event.json"
AMQ = "mq/mq-activemq--aws-lambda-go--activemq-event.json"
FH = "firehose/kinesis-firehose--aws-lambda-go--kinesis-firehose-event.json"


def test_sqs_merge_creates_batch_item_failures_for_failed_only(kit) -> None:
    event = kit.load(FIFO)
    result = sqs.merge(None, event, removed=[0], failed=[2])
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][2]["messageId"]}]}


def test_sqs_merge_keeps_the_handlers_own_failures(kit) -> None:
    event = kit.load(FIFO)
    own = {"batchItemFailures": [{"itemIdentifier": "from-handler"}]}
    result = sqs.merge(own, event, removed=[], failed=[1, 1])
    ids = [e["itemIdentifier"] for e in result["batchItemFailures"]]
    assert ids == ["from-handler", event["Records"][1]["messageId"]]
    assert own == {"batchItemFailures": [{"itemIdentifier": "from-handler"}]}, "input mutated"


def test_sqs_merge_without_failures_returns_result_unchanged(kit) -> None:
    result = {"statusCode": 200}
    assert sqs.merge(result, kit.load(FIFO), removed=[0, 1], failed=[]) is result


def test_sqs_without_drops_records_and_keeps_the_rest(kit) -> None:
    event = kit.load(FIFO)
    kept = sqs.without(event, [0, 2])
    assert [r["messageId"] for r in kept["Records"]] == [
        event["Records"][1]["messageId"],
        event["Records"][3]["messageId"],
    ]
    assert len(event["Records"]) == 4


def test_sqs_fifo_message_group(kit) -> None:
    event = kit.load(FIFO)
    assert [sqs.message_group(r) for r in event["Records"]] == ["g1", "g2", "g1", "g1"]
    assert sqs.message_group(kit.load("sqs/sam-cli--Sqs.json")["Records"][0]) is None


@pytest.mark.parametrize(
    ("module", "sample", "expected"),
    [
        (kinesis, "kinesis/sam-cli--Kinesis.json", lambda r: r["kinesis"]["sequenceNumber"]),
        (
            dynamodb_stream,
            "dynamodb-stream/sam-cli--DynamoDBUpdate.json",
            lambda r: r["dynamodb"]["SequenceNumber"],
        ),
    ],
)
def test_stream_item_id_is_the_sequence_number(kit, module, sample, expected) -> None:
    event = kit.load(sample)
    record = module.records(event)[0]
    assert module.item_id(record) == expected(record) != ""
    result = module.merge(None, event, removed=[], failed=[0])
    assert result == {"batchItemFailures": [{"itemIdentifier": expected(record)}]}


def test_firehose_merge_answers_processing_failed_with_original_data(kit) -> None:
    event = kit.load("firehose/kinesis-firehose--sam-cli--KinesisFirehose.json")
    event["records"].append({**event["records"][0], "recordId": "second", "data": "c2Vjb25k"})
    handler = {"records": [{"recordId": "second", "result": "Ok", "data": "eA=="}]}
    result = firehose.merge(handler, event, removed=[0], failed=[])
    assert result["records"] == [
        {"recordId": "second", "result": "Ok", "data": "eA=="},
        {
            "recordId": event["records"][0]["recordId"],
            "result": "ProcessingFailed",
            "data": event["records"][0]["data"],
        },
    ]


def test_firehose_blocked_response_fails_every_record(kit) -> None:
    event = kit.load(FH)
    response = firehose.blocked_response(event, None, "req-1")
    assert [r["result"] for r in response["records"]] == ["ProcessingFailed"] * len(
        event["records"]
    )
    assert [r["data"] for r in response["records"]] == [r["data"] for r in event["records"]]


def test_kafka_records_flatten_partitions_in_order(kit) -> None:
    event = kit.load(SELF_KAFKA)
    assert [kafka.item_id(r) for r in kafka.records(event)] == ["orders-0-15", "orders-1-7"]
    assert kafka.record_path(0, event) == "records.orders-0[0]"
    assert kafka.record_path(1, event) == "records.orders-1[0]"
    kept = kafka.without(event, [0])
    assert list(kept["records"]) == ["orders-1"]


def test_rejects_kafka_failures_with_a_whole_batch_retry(kit) -> None:
    event = kit.load(SELF_KAFKA)
    assert kafka.merge({"ok": True}, event, removed=[0], failed=[]) == {"ok": True}
    with pytest.raises(_batch.RetryBatch):
        kafka.merge(None, event, removed=[], failed=[1])


def test_rejects_mq_failures_with_a_whole_batch_retry(kit) -> None:
    event = kit.load(AMQ)
    assert mq.merge(None, event, removed=[0], failed=[]) is None
    with pytest.raises(_batch.RetryBatch):
        mq.merge(None, event, removed=[], failed=[0])


def test_rabbitmq_paths_and_without(kit) -> None:
    event = kit.load(RMQ)
    assert mq.record_path(0, event) == "rmqMessagesByQueue.test::/[0]"
    assert mq.without(event, [0])["rmqMessagesByQueue"] == {}
    amq = kit.load(AMQ)
    assert mq.record_path(0, amq) == "messages[0]"
    assert mq.item_id(mq.records(amq)[0]).startswith("ID:")


def test_documentdb_batches_retry_whole_and_drop_quarantined_changes(kit) -> None:
    event = kit.load("docdb/own--delete-and-replace.json")
    assert [docdb.record_path(i, event) for i in range(2)] == ["events[0]", "events[1]"]
    assert docdb.item_id(docdb.records(event)[1]) == "01674a90ab0000000201000000020000c0df"
    kept = docdb.without(event, [0])
    assert [r["event"]["operationType"] for r in kept["events"]] == ["replace"]
    assert len(event["events"]) == 2  # a copy: the event the platform sent is left as it was
    assert docdb.merge({"ok": 1}, event, removed=[0], failed=[]) == {"ok": 1}
    with pytest.raises(_batch.RetryBatch):
        docdb.merge(None, event, removed=[], failed=[1])


def test_retry_batch_is_not_an_eventguard_error() -> None:
    """The wrapper's failure mode swallows EventguardError; a retry request must propagate."""
    from eventguard.runtime.errors import EventguardError

    assert not issubclass(_batch.RetryBatch, EventguardError)

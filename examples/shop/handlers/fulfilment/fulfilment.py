"""SQS fulfilment queue: reserve stock for each order and announce it on the order-events topic.

Reports partial batch failures: a message that cannot be processed is retried (then goes to the
queue's DLQ) without holding back the others.
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3


def fulfil(order: dict[str, Any]) -> dict[str, Any]:
    """The shipment for one order message; raises ValueError on a malformed order."""
    lines = order.get("lines")
    if not isinstance(order.get("orderId"), str) or not isinstance(lines, list) or not lines:
        raise ValueError("an order message needs an 'orderId' and 'lines'")
    items = sum(int(line["quantity"]) for line in lines)
    return {"orderId": order["orderId"], "items": items, "status": "shipping"}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    sns = boto3.client("sns")
    failures = []
    for record in event.get("Records", []):
        try:
            shipment = fulfil(json.loads(record["body"]))
        except (ValueError, KeyError, TypeError) as exc:
            print(
                json.dumps(
                    {"message": "order rejected", "id": record.get("messageId"), "error": str(exc)}
                )
            )
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        sns.publish(
            TopicArn=os.environ["ORDER_EVENTS_TOPIC_ARN"],
            Subject="order shipping",
            Message=json.dumps(shipment),
        )
    return {"batchItemFailures": failures}

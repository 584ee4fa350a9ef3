"""EventBridge schedule, nightly: count yesterday's orders and publish the report."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3


def summarize(items: list[dict[str, Any]]) -> dict[str, int]:
    orders = [i for i in items if str(i.get("pk", "")).startswith("order#")]
    quantity = sum(int(line.get("quantity", 0)) for o in orders for line in o.get("lines", []))
    return {"orders": len(orders), "items": quantity}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = table.scan(**kwargs)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    report = summarize(items)
    boto3.client("sns").publish(
        TopicArn=os.environ["ORDER_EVENTS_TOPIC_ARN"],
        Subject="nightly report",
        Message=json.dumps(report),
    )
    return report

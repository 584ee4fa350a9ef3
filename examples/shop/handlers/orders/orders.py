"""POST /orders (API Gateway REST, Cognito authorizer): validate, store, hand to fulfilment."""

from __future__ import annotations

import json
import os
import uuid
from decimal import Decimal
from typing import Any

import boto3

MAX_LINES = 50


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }


def parse_order(body: str | None) -> dict[str, Any]:
    """The order in the request body; raises ValueError with what is wrong."""
    doc = json.loads(body or "{}", parse_float=Decimal)
    lines = doc.get("lines")
    if not isinstance(lines, list) or not 0 < len(lines) <= MAX_LINES:
        raise ValueError(f"'lines' must list 1 to {MAX_LINES} items")
    for line in lines:
        if not isinstance(line.get("sku"), str) or not isinstance(line.get("quantity"), int):
            raise ValueError("each line needs a string 'sku' and an integer 'quantity'")
        if line["quantity"] < 1:
            raise ValueError("quantities start at 1")
    return {"lines": lines, "note": str(doc.get("note", ""))[:500]}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        order = parse_order(event.get("body"))
    except (ValueError, AttributeError) as exc:
        return _response(400, {"error": str(exc)})
    claims = (event.get("requestContext") or {}).get("authorizer", {}).get("claims", {})
    order_id = str(uuid.uuid4())
    item = {
        "pk": f"order#{order_id}",
        "customer": claims.get("sub", "unknown"),
        "status": "placed",
        **order,
    }
    boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"]).put_item(Item=item)
    boto3.client("sqs").send_message(
        QueueUrl=os.environ["FULFILMENT_QUEUE_URL"],
        MessageBody=json.dumps({"orderId": order_id, "lines": order["lines"]}),
    )
    return _response(201, {"orderId": order_id, "status": "placed"})

"""SNS order-events topic: e-mail the customer about their order through Amazon SES."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

TEMPLATES = {
    "shipping": "Good news: your order {orderId} ({items} item(s)) is on its way.",
    "report": "Nightly report: {orders} order(s), {items} item(s).",
}


def render(message: dict[str, Any]) -> str:
    """The e-mail text for one order event; raises KeyError on an unknown kind."""
    kind = "report" if "orders" in message else str(message.get("status", ""))
    return TEMPLATES[kind].format(**message)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    ses = boto3.client("ses")
    sent = 0
    for record in event.get("Records", []):
        sns = record["Sns"]
        text = render(json.loads(sns["Message"]))
        ses.send_email(
            Source=os.environ["SENDER"],
            Destination={"ToAddresses": [os.environ["OPERATIONS_ADDRESS"]]},
            Message={
                "Subject": {"Data": sns.get("Subject") or "shop"},
                "Body": {"Text": {"Data": text}},
            },
        )
        sent += 1
    return {"sent": sent}

"""The quickstart's handler: records one line per order it is given."""

from __future__ import annotations

import json


def handler(event, context):
    for record in event["Records"]:
        print(json.dumps({"order": json.loads(record["body"]).get("id")}))
    return {"batchItemFailures": []}

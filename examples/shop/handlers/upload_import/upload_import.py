"""S3 uploads/ prefix: register each uploaded catalogue file as an import job in the table.

The import itself runs as a batch job that reads the job rows; this function only checks the
upload (a .csv under uploads/, at most 50 MB) and records it, so it needs no read access to the
bucket.
"""

from __future__ import annotations

import os
import urllib.parse
from typing import Any

import boto3

MAX_BYTES = 50 * 1024 * 1024


def job_for(record: dict[str, Any]) -> dict[str, Any]:
    """The import job row for one S3 record; raises ValueError for an upload to refuse."""
    s3 = record["s3"]
    key = urllib.parse.unquote_plus(s3["object"]["key"])
    size = int(s3["object"].get("size", 0))
    if not key.startswith("uploads/") or not key.endswith(".csv"):
        raise ValueError(f"{key!r} is not a .csv under uploads/")
    if size > MAX_BYTES:
        raise ValueError(f"{key!r} has {size} bytes, over {MAX_BYTES}")
    return {
        "pk": f"import#{key}",
        "bucket": s3["bucket"]["name"],
        "key": key,
        "size": size,
        "status": "queued",
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    queued, refused = [], []
    for record in event.get("Records", []):
        try:
            job = job_for(record)
        except (ValueError, KeyError) as exc:
            refused.append(str(exc))
            continue
        table.put_item(Item=job)
        queued.append(job["key"])
    return {"queued": queued, "refused": refused}

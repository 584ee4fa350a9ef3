"""Amazon S3 Batch Operations (schema 1.0 and 2.0): one task per invocation naming an object.

The key is URL-encoded; ``userArguments`` (2.0) are the job creator's. ``origins`` returns the
task buckets (``s3BucketArn`` in 1.0, ``s3Bucket`` in 2.0) as bucket names. A blocked invocation
answers every task ``PermanentFailure``, which the job reports without retrying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import record_list

ID = "s3-batch"
KIND = "sync"
ANCHORS = ("tasks",)  # matches() is False unless the event has this key
UNTRUSTED = ("tasks[*].s3Key", "tasks[*].s3VersionId", "job.userArguments.*")
ENCODED: Mapping[str, tuple[str, ...]] = {"tasks[*].s3Key": ("url",)}


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("invocationSchemaVersion") in ("1.0", "2.0")
        and isinstance(event.get("tasks"), list)
        and isinstance(event.get("job"), Mapping)
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    out: set[str] = set()
    for task in record_list(event, "tasks"):
        if not isinstance(task, Mapping):
            continue
        bucket = task.get("s3Bucket") or str(task.get("s3BucketArn", "")).rpartition(":")[2]
        if isinstance(bucket, str) and bucket:
            out.add(bucket)
    return out


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    return {
        "invocationSchemaVersion": event.get("invocationSchemaVersion", "1.0"),
        "treatMissingKeysAs": "PermanentFailure",
        "invocationId": event.get("invocationId", ""),
        "results": [
            {
                "taskId": task.get("taskId", ""),
                "resultCode": "PermanentFailure",
                "resultString": f"Blocked by eventguard (request {request_id})",
            }
            for task in record_list(event, "tasks")
            if isinstance(task, Mapping)
        ],
    }

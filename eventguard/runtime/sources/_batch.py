"""Helpers of the batch sources: partial batch responses, and the error that makes Lambda retry
a whole batch where the service has no partial response (Kafka, Amazon MQ, DocumentDB)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any


class RetryBatch(Exception):
    """Raised by ``merge`` of a source without partial batch responses when records must be
    reported failed: Lambda then retries the whole batch. The wrapper must let it propagate (it
    is deliberately not an ``EventguardError``, which the failure mode would swallow)."""


def keep(items: Sequence[Any], indexes: Iterable[int]) -> list[Any]:
    """``items`` without the given indexes."""
    drop = set(indexes)
    return [item for i, item in enumerate(items) if i not in drop]


def item_failures(
    result: Any,
    records: Sequence[Any],
    failed: Iterable[int],
    item_id: Callable[[Mapping[str, Any]], str],
) -> Any:
    """The handler's result with ``{"itemIdentifier": id}`` added to ``batchItemFailures`` for
    each failed record; the handler's own entries are kept; created when the result is None."""
    ids = [item_id(records[i]) for i in sorted(set(failed)) if 0 <= i < len(records)]
    if not ids:
        return result
    out = dict(result) if isinstance(result, Mapping) else {}
    prior = out.get("batchItemFailures")
    entries = list(prior) if isinstance(prior, list) else []
    known = {e.get("itemIdentifier") for e in entries if isinstance(e, Mapping)}
    entries.extend({"itemIdentifier": i} for i in ids if i not in known)
    out["batchItemFailures"] = entries
    return out


def retry_if_failed(result: Any, failed: Sequence[int], source: str) -> Any:
    """``result`` unchanged when nothing failed, else ``RetryBatch`` (no partial response)."""
    if failed:
        raise RetryBatch(
            f"{source}: {len(failed)} record(s) could not be held back; the batch is retried"
        )
    return result

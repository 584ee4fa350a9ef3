"""DynamoDB stream of the orders table: one structured audit line per change.

The lines go to the function's JSON log group (retention one year), which is the audit trail:
who changed which order, from which status to which.
"""

from __future__ import annotations

import json
from typing import Any


def _plain(image: dict[str, Any] | None) -> dict[str, Any]:
    """A DynamoDB attribute map ({"S": "x"}) as plain values (strings, numbers as text)."""
    out: dict[str, Any] = {}
    for name, typed in (image or {}).items():
        if isinstance(typed, dict) and len(typed) == 1:
            out[name] = next(iter(typed.values()))
    return out


def audit_line(record: dict[str, Any]) -> dict[str, Any]:
    change = record["dynamodb"]
    old, new = _plain(change.get("OldImage")), _plain(change.get("NewImage"))
    return {
        "audit": record["eventName"],
        "keys": _plain(change.get("Keys")),
        "status": [old.get("status"), new.get("status")],
        "changed": sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)),
        "sequence": change.get("SequenceNumber"),
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    audited = 0
    for record in event.get("Records", []):
        try:
            print(json.dumps(audit_line(record), sort_keys=True))
            audited += 1
        except (KeyError, TypeError, AttributeError):
            failures.append({"itemIdentifier": record.get("dynamodb", {}).get("SequenceNumber")})
    return {"batchItemFailures": failures, "audited": audited}

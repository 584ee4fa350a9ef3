"""The example app (app.py): synthesizes with zero audit errors, passes cdk-nag's IAM checks on
every SecureFunction role, and matches its snapshot (asset hashes normalized).

Update the snapshot after an intended change with ``EVENTGUARD_UPDATE_SNAPSHOTS=1 pytest
tests/test_example_app.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from aws_cdk.assertions import Annotations, Match

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "shop.template.json"
_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def normalized(template: dict[str, Any]) -> dict[str, Any]:
    """The template with asset hashes (code and layer content) replaced by a fixed marker."""
    return dict(json.loads(_HASH.sub("ASSET_HASH", json.dumps(template, sort_keys=True))))


def test_example_matches_its_snapshot(shop: Any) -> None:
    actual = normalized(shop.template.to_json())
    if os.environ.get("EVENTGUARD_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert actual == expected, (
        "the example template changed: review it and update the snapshot with "
        "EVENTGUARD_UPDATE_SNAPSHOTS=1"
    )


def test_snapshot_has_no_unnormalized_asset_hash() -> None:
    assert not _HASH.search(SNAPSHOT.read_text())


def test_audit_finds_no_error_in_the_synthesized_app(
    shop_cdk_out: Path, eventguard_cli: Any
) -> None:
    done = eventguard_cli("audit", str(shop_cdk_out), "--json")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    report = json.loads(done.stdout)
    errors = [f for f in report["findings"] if f["level"] == "error" and not f["suppressed"]]
    assert errors == []
    functions = {f["path"] for f in report["functions"]} if "functions" in report else set()
    assert functions, "the audit saw no function: the check above would be vacuous"


def _role_paths(shop: Any) -> list[str]:
    from eventguard.constructs import SecureFunction

    return [
        f"/{c.role.node.path}" for c in shop.stack.node.children if isinstance(c, SecureFunction)
    ]


def test_cdk_nag_finds_no_iam4_or_iam5_on_secure_function_roles(shop: Any) -> None:
    roles = _role_paths(shop)
    assert len(roles) == 6
    annotations = Annotations.from_stack(shop.stack)
    iam = [
        m
        for level in (annotations.find_error, annotations.find_warning)
        for m in level("*", Match.string_like_regexp(r"AwsSolutions-IAM[45]\b"))
    ]
    on_roles = [m for m in iam if any(m.id.startswith(role) for role in roles)]
    assert on_roles == [], [m.entry.data for m in on_roles]
    # not vacuous: the same query does find IAM4 on CDK's own bucket-notifications helper role,
    # which carries AWSLambdaBasicExecutionRole
    assert any("BucketNotificationsHandler" in m.id for m in iam)

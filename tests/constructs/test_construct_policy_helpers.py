"""The pure parts of the constructs: the 4 KB estimate, the '*' guard and the settings merge."""

from __future__ import annotations

import pytest

from eventguard.constructs._iam import WILDCARD_EXCEPTIONS, wildcard_violations
from eventguard.constructs._policy import ENV_LIMIT_BYTES, TOKEN_ESTIMATE, env_size, estimated_size
from eventguard.constructs.settings import SettingsError, effective


def test_a_token_counts_as_a_deployed_arn() -> None:
    text = '{"id":"${Token[TOKEN.123]}"}'
    assert estimated_size(text) == len('{"id":""}') + TOKEN_ESTIMATE


def test_env_size_counts_names_and_values_in_utf8() -> None:
    assert env_size({"A": "é", "BB": "x"}) == 1 + 2 + 2 + 1
    assert ENV_LIMIT_BYTES == 4096


def test_named_exceptions_may_use_star_and_nothing_else_may() -> None:
    statements = [
        {"Effect": "Allow", "Action": ["xray:PutTraceSegments"], "Resource": "*"},
        {"Effect": "Allow", "Action": "dynamodb:ListStreams", "Resource": ["*"]},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"},
        {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"},
    ]
    assert wildcard_violations(statements) == []
    bad = [
        {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "s3:ListBucket"], "Resource": "*"}
    ]
    assert wildcard_violations(bad) == ["s3:ListBucket"]
    assert set(WILDCARD_EXCEPTIONS) == {
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:ListStreams",
        # the DocumentDb trigger's event source mapping: EC2 Describe has no resource scope
        "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
    }  # fmt: skip


def test_props_override_context_which_overrides_defaults() -> None:
    context = {"mode": "alert", "rules": {"xss": "off"}, "public": {"S/F": "open price list"}}
    merged = effective("S/F", context, failure_mode="open", rules={"sqli": "alert"})
    assert (merged.mode, merged.failure_mode) == ("alert", "open")
    assert dict(merged.rules) == {"xss": "off", "sqli": "alert"}
    assert merged.public_reason == "open price list"
    assert effective("S/G", None).mode == "block"
    assert effective("S/G", context).public_reason is None


def test_rejects_a_public_map_with_a_short_reason() -> None:
    with pytest.raises(SettingsError, match=r"S/F: cdk\.json context 'eventguard' key 'public'"):
        effective("S/F", {"public": {"S/F": "ok"}})

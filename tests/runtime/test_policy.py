"""The policy document: strict parsing, frozen values, levels by mode."""

from __future__ import annotations

import json

import pytest

from eventguard.runtime.errors import PolicyError
from eventguard.runtime.policy import from_dict, from_env, from_json


def test_parses_a_complete_document() -> None:
    policy = from_dict(
        {
            "v": 1,
            "function": "Shop/Orders",
            "mode": "block",
            "failure_mode": "open",
            "triggers": [{"source": "sqs", "id": "arn:aws:sqs:us-east-1:1:q", "fifo": True}],
            "rules": {"xss": "alert", "ssrf": "off"},
        }
    )
    assert (
        policy.failure_mode,
        policy.triggers[0].fifo,
        policy.level("xss"),
        policy.level("sqli"),
    ) == (
        "open",
        True,
        "alert",
        "block",
    )


def test_alert_mode_turns_every_block_into_alert() -> None:
    assert from_dict({"mode": "alert"}).level("sqli") == "alert"


def test_rule_off_stays_off_in_alert_mode() -> None:
    assert from_dict({"mode": "alert", "rules": {"sqli": "off"}}).level("sqli") == "off"


def test_rejects_unknown_keys() -> None:
    with pytest.raises(PolicyError, match="unknown policy keys: failure"):
        from_dict({"failure": "open"})


def test_rejects_unknown_mode() -> None:
    with pytest.raises(PolicyError, match="expected one of block, alert"):
        from_dict({"mode": "monitor"})


def test_rejects_unknown_rule_level() -> None:
    with pytest.raises(PolicyError, match="rules"):
        from_dict({"rules": {"sqli": "deny"}})


def test_rejects_trigger_without_source() -> None:
    with pytest.raises(PolicyError, match="source"):
        from_dict({"triggers": [{"id": "x"}]})


def test_rejects_text_that_is_not_json() -> None:
    with pytest.raises(PolicyError, match="not valid JSON"):
        from_json("{mode: block")


def test_rejects_a_missing_environment_variable() -> None:
    with pytest.raises(PolicyError, match="SecureFunction"):
        from_env({})


def test_rules_cannot_be_changed_after_loading() -> None:
    policy = from_env({"EVENTGUARD_POLICY": json.dumps({"rules": {"sqli": "block"}})})
    with pytest.raises(TypeError):
        policy.rules["sqli"] = "off"  # type: ignore[index]

"""Failure modes through the wrapper: closed blocks and quarantines on any internal error or
exceeded limit, open logs and lets the event through; the user's own exceptions pass unchanged,
except that an HTTP caller never sees a traceback."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from eventguard.runtime import detectors, sources, wrapper
from eventguard.runtime.model import INTERNAL_ERROR, LIMIT_EXCEEDED
from eventguard.runtime.policy import ENV_VAR as POLICY_ENV
from eventguard.runtime.policy import Policy

SQLI = "1' OR '1'='1' --"
DEEP_JSON = '{"a":' * 10_000 + "1" + "}" * 10_000  # nothing a detector fires on, only depth
SECRET = "db-password-Zq8uT3xV"


class DetectorFault(RuntimeError):
    """The fault injected into a detector."""


def _break_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every detector raises, whichever entry point the engine calls."""

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise DetectorFault(f"injected fault {SECRET}")

    for detector in detectors.all_detectors():
        monkeypatch.setattr(detector, "detect", boom, raising=False)
        monkeypatch.setattr(detector, "detect_views", boom, raising=False)
    assert detectors.all_detectors(), "no detector registered"


def _deep(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"a": value}
    return value


def test_blocks_and_quarantines_direct_event_on_internal_error_when_closed(guard, monkeypatch):
    _break_detector(monkeypatch)
    guard.configure(Policy(function="hardening", failure_mode="closed"))
    response = guard({"q": SQLI})
    assert guard.seen == []
    assert response == sources.direct.blocked_response({}, None, guard.context.aws_request_id)
    assert len(guard.sent) == 1
    kept = guard.sent[0]
    assert kept["payload"] == {"q": SQLI}
    assert [f["rule"] for f in kept["verdict"]["findings"]] == [INTERNAL_ERROR]
    errors = [d for d in guard.lines() if d["type"] == "internal_error"]
    assert errors and errors[0]["failure_mode"] == "closed"
    assert "Traceback" not in guard.stream.getvalue()


def test_open_failure_mode_logs_internal_error_and_lets_event_through(guard, monkeypatch):
    _break_detector(monkeypatch)
    guard.configure(Policy(function="hardening", failure_mode="open"))
    event = {"q": SQLI}
    response = guard(event)
    assert guard.seen == [{"q": SQLI}]
    assert response == {"statusCode": 200, "body": "handled"}
    assert guard.sent == []
    errors = [d for d in guard.lines() if d["type"] == "internal_error"]
    assert errors and errors[0]["failure_mode"] == "open"


def test_alert_mode_lets_event_through_on_internal_error(guard, monkeypatch):
    _break_detector(monkeypatch)
    guard.configure(Policy(function="hardening", mode="alert", failure_mode="closed"))
    guard({"q": SQLI})
    assert guard.seen == [{"q": SQLI}]
    assert guard.sent == []
    assert "internal_error" in guard.types()


def test_blocks_every_record_of_batch_on_internal_error_when_closed(guard, monkeypatch, sqs_event):
    _break_detector(monkeypatch)
    guard.configure(Policy(function="hardening", failure_mode="closed"))
    event = sqs_event([SQLI, "<b>x</b>", "plain"])
    response = guard(event)
    assert guard.seen == []
    assert sorted(m["record"] for m in guard.sent) == [0, 1, 2]
    assert not (response or {}).get("batchItemFailures")


def test_open_failure_mode_passes_whole_batch_on_internal_error(guard, monkeypatch, sqs_event):
    _break_detector(monkeypatch)
    guard.configure(Policy(function="hardening", failure_mode="open"))
    event = sqs_event([SQLI, "plain"])
    guard(event)
    assert len(guard.seen) == 1 and len(guard.seen[0]["Records"]) == 2
    assert guard.sent == []


def test_blocks_event_past_a_limit_when_closed(guard, sqs_event):
    guard.configure(Policy(function="hardening", failure_mode="closed"))
    deep_body = DEEP_JSON
    event = sqs_event(["plain", deep_body])
    response = guard(event)
    findings = [d for d in guard.lines() if d["type"] == "finding"]
    assert any(d["rule"] == LIMIT_EXCEEDED for d in findings)
    # a limit on one record's body holds back that record (or the batch), never lets it through
    passed = [r["body"] for e in guard.seen for r in e["Records"]]
    assert deep_body not in passed
    kept = {m["record"] for m in guard.sent}
    assert 1 in kept
    assert not (response or {}).get("batchItemFailures")


def test_open_failure_mode_lets_event_past_a_limit_through(guard, sqs_event):
    guard.configure(Policy(function="hardening", failure_mode="open"))
    deep_body = DEEP_JSON
    guard(sqs_event(["plain", deep_body]))
    passed = [r["body"] for e in guard.seen for r in e["Records"]]
    assert passed == ["plain", deep_body]
    assert guard.sent == []
    findings = [d for d in guard.lines() if d["type"] == "finding"]
    assert [d["rule"] for d in findings] == [LIMIT_EXCEEDED]
    assert findings[0]["action"] == "alert"


def test_blocks_deeply_nested_direct_event_when_closed(guard):
    """10,000 levels of nesting: blocked with a limit finding, and the wrapper returns."""
    guard.configure(Policy(function="hardening", failure_mode="closed"))
    response = guard(_deep(10_000))
    assert guard.seen == []
    assert response == sources.direct.blocked_response({}, None, guard.context.aws_request_id)
    assert LIMIT_EXCEEDED in [d.get("rule") for d in guard.lines()]


def test_users_own_exception_passes_through_unchanged_for_batch(guard, sqs_event):
    error = ValueError("the user's own error")

    def failing(event: Any, context: Any) -> Any:
        raise error

    guard.configure(Policy(function="hardening"), user_handler=failing)
    with pytest.raises(ValueError) as caught:
        guard(sqs_event(["plain"]))
    assert caught.value is error


def test_users_own_exception_passes_through_unchanged_for_direct_invoke(guard):
    error = KeyError("missing")

    def failing(event: Any, context: Any) -> Any:
        raise error

    guard.configure(Policy(function="hardening"), user_handler=failing)
    with pytest.raises(KeyError) as caught:
        guard({"q": "plain"})
    assert caught.value is error


def _http_handler_error(guard, sample, label: str) -> tuple[Any, str]:
    def failing(event: Any, context: Any) -> Any:
        raise RuntimeError(f"connect to postgres://admin:{SECRET}@db failed")

    guard.configure(Policy(function="hardening"), user_handler=failing)
    event = sample(label)
    event["body"] = '{"name": "plain"}'
    response = guard(event)
    return response, json.dumps(response)


HTTP_LABELS = ["apigw-rest-v1", "apigw-http-v2", "function-url", "alb"]


@pytest.mark.parametrize("label", HTTP_LABELS)
def test_rejects_http_handler_traceback_with_generic_500(guard, sample, label):
    response, text = _http_handler_error(guard, sample, label)
    assert isinstance(response, dict) and response.get("statusCode") == 500
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
    assert guard.context.aws_request_id in text


@pytest.mark.parametrize("label", HTTP_LABELS)
def test_http_handler_error_details_go_to_the_log(guard, sample, label):
    _http_handler_error(guard, sample, label)
    errors = [d for d in guard.lines() if d["type"] == "handler_error"]
    assert len(errors) == 1
    assert "RuntimeError" in errors[0]["error"]
    assert errors[0]["request_id"] == guard.context.aws_request_id


# --------------------------------------------------------------------------- policy that cannot load


@pytest.fixture
def deployed(tmp_path, monkeypatch):
    """The environment of a deployed function: a real handler module under LAMBDA_TASK_ROOT."""
    (tmp_path / "hardening_app.py").write_text(
        "CALLS = []\n\ndef handler(event, context):\n    CALLS.append(event)\n    return 'ok'\n"
    )
    monkeypatch.setenv("LAMBDA_TASK_ROOT", str(tmp_path))
    monkeypatch.setenv("EVENTGUARD_HANDLER", "hardening_app.handler")
    monkeypatch.setenv("EVENTGUARD_QUARANTINE_URL", "")
    monkeypatch.delitem(sys.modules, "hardening_app", raising=False)
    wrapper.reset()
    yield tmp_path
    wrapper.reset()
    sys.modules.pop("hardening_app", None)
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))


def _calls() -> list[Any]:
    module = sys.modules.get("hardening_app")
    return list(module.CALLS) if module is not None else []


BAD_POLICIES = [
    pytest.param(None, id="missing"),
    pytest.param("{not json", id="not-json"),
    pytest.param('{"v": 1, "mode": "block", "surprise": true}', id="unknown-key"),
    pytest.param('{"v": 1, "failure_mode": "sometimes"}', id="bad-value"),
    pytest.param("[1, 2]", id="not-an-object"),
]


@pytest.mark.parametrize("policy_text", BAD_POLICIES)
def test_blocks_direct_invoke_when_policy_cannot_load(deployed, monkeypatch, capsys, policy_text):
    if policy_text is None:
        monkeypatch.delenv(POLICY_ENV, raising=False)
    else:
        monkeypatch.setenv(POLICY_ENV, policy_text)

    class Ctx:
        aws_request_id = "req-policy"

    response = wrapper.handler({"q": "plain"}, Ctx())
    assert response == sources.direct.blocked_response({}, None, "req-policy")
    assert _calls() == []
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [d["type"] for d in lines] == ["internal_error"]
    assert "PolicyError" in lines[0]["error"]


def test_loads_a_valid_policy_and_calls_the_handler(deployed, monkeypatch, capsys):
    monkeypatch.setenv(POLICY_ENV, '{"v": 1, "function": "f", "mode": "block"}')
    assert wrapper.handler({"q": "plain"}, None) == "ok"
    assert _calls() == [{"q": "plain"}]


def test_rejects_acknowledging_batch_when_policy_cannot_load(
    deployed, monkeypatch, capsys, sqs_event
):
    monkeypatch.setenv(POLICY_ENV, "{not json")
    event = sqs_event(["a", "b"])
    try:
        response = wrapper.handler(event, None)
    except Exception:
        return  # raising makes Lambda retry the whole batch: nothing lost
    failures = {f["itemIdentifier"] for f in (response or {}).get("batchItemFailures", [])}
    assert failures == {"m0", "m1"}


def test_blocks_http_request_with_http_response_when_policy_cannot_load(
    deployed, monkeypatch, capsys, sample
):
    monkeypatch.setenv(POLICY_ENV, "{not json")

    class Ctx:
        aws_request_id = "req-http"

    response = wrapper.handler(sample("apigw-rest-v1"), Ctx())
    assert isinstance(response, dict) and response.get("statusCode") in (403, 500, 503)


@pytest.mark.parametrize(
    "spec", ["hardening_app.missing", "no_such_module.handler", "nodots", "hardening_app.CALLS"]
)
def test_blocks_when_users_handler_cannot_load(deployed, monkeypatch, capsys, spec):
    monkeypatch.setenv(POLICY_ENV, '{"v": 1, "function": "f"}')
    monkeypatch.setenv("EVENTGUARD_HANDLER", spec)
    response = wrapper.handler({"q": "plain"}, None)
    assert response == sources.direct.blocked_response({}, None, "")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [d["type"] for d in lines] == ["internal_error"]
    assert "Traceback" not in lines[0]["error"]

"""Security logs under hostile input: one JSON object per line whatever a value holds, short
redacted excerpts, never a secret or a whole payload."""

from __future__ import annotations

import json
import random
import string
from typing import Any

import pytest

from eventguard.runtime import inspect
from eventguard.runtime.limits import EXCERPT_CHARS
from eventguard.runtime.policy import Policy
from eventguard.runtime.redact import excerpt

SQLI = "1' OR '1'='1' --"
FORGED = '\n{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","type":"allow","forged":true}\n'
INJECTIONS = [
    pytest.param(FORGED, id="newline-json"),
    pytest.param("\r\n" + FORGED + "\r", id="crlf"),
    pytest.param("\u2028" + FORGED.strip() + "\u2029", id="unicode-line-separators"),
    pytest.param("\x1b[2K\x1b[1A\x00\x07\x08\x0b\x0c\x85", id="terminal-and-c1-controls"),
    pytest.param("\ud800" + FORGED + "\udfff", id="lone-surrogates"),
]


def _payload_1k(seed: int) -> str:
    """1 KB of text no log line may carry whole, with an attack so the event is blocked."""
    rng = random.Random(seed)
    filler = "".join(rng.choice(string.ascii_letters + " ") for _ in range(1024))
    return f"{filler} {SQLI} {filler[:64]}"


def _log_is_json_lines(text: str) -> list[dict[str, Any]]:
    docs = []
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        doc = json.loads(line)
        assert isinstance(doc, dict), line
        docs.append(doc)
    return docs


@pytest.mark.parametrize("injection", INJECTIONS)
def test_rejects_log_injection_in_values(guard, sqs_event, injection):
    guard.configure(Policy(function="hardening"))
    guard({"q": SQLI + injection, "note": injection})
    guard(sqs_event([SQLI + injection, injection]))
    text = guard.stream.getvalue()
    docs = _log_is_json_lines(text)
    assert len(docs) == text.count("\n")
    assert not any(d.get("forged") for d in docs)
    assert all(d["type"] != "allow" for d in docs)
    for line in text.splitlines():
        assert line.isascii() and line.isprintable(), repr(line[:80])


@pytest.mark.parametrize("injection", INJECTIONS)
def test_rejects_log_injection_in_keys(guard, injection):
    guard.configure(Policy(function="hardening"))
    guard({injection: SQLI, f"x{injection}": {injection: SQLI}})
    text = guard.stream.getvalue()
    docs = _log_is_json_lines(text)
    assert docs and not any(d.get("forged") for d in docs)
    for line in text.splitlines():
        assert line.isascii() and line.isprintable(), repr(line[:80])


@pytest.mark.parametrize("label", ["direct", "sqs", "apigw-rest-v1"])
def test_rejects_whole_payload_in_logs(guard, sample, sqs_event, label):
    payload = _payload_1k(7)
    if label == "direct":
        event: Any = {"comment": payload}
    elif label == "sqs":
        event = sqs_event([payload])
    else:
        event = sample("apigw-rest-v1")
        event["body"] = json.dumps({"comment": payload})
    guard.configure(Policy(function="hardening"))
    guard(event)
    text = guard.stream.getvalue()
    assert "finding" in guard.types()
    assert payload not in text
    assert json.dumps(payload)[1:-1] not in text
    # no run of the payload longer than an excerpt appears either
    for start in range(0, len(payload) - 2 * EXCERPT_CHARS, EXCERPT_CHARS):
        assert payload[start : start + 2 * EXCERPT_CHARS] not in text


SECRETS = {
    "authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2VjcmV0LXNpZ25hdHVyZQ",
    "password": "Hunter2-Sup3r-S3cret!",
    "aws": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "cookie": "session=8f14e45fceea167a5a36dedd4bea2543",
}


def test_rejects_secrets_of_a_blocked_request_in_logs(guard, sample):
    event = sample("apigw-rest-v1")
    event["headers"]["Authorization"] = SECRETS["authorization"]
    event["headers"]["Cookie"] = SECRETS["cookie"] + "; theme=" + SQLI
    event["body"] = json.dumps(
        {"user": "alice", "password": SECRETS["password"], "comment": SQLI, "k": SECRETS["aws"]}
    )
    guard.configure(Policy(function="hardening"))
    response = guard(event)
    assert response["statusCode"] == 403
    text = guard.stream.getvalue()
    assert "finding" in guard.types()
    for name, secret in SECRETS.items():
        assert secret not in text, name
        assert secret[8:24] not in text, name
    assert not any(s in json.dumps(response) for s in SECRETS.values())


def test_internal_error_log_carries_no_payload(guard, monkeypatch):
    from eventguard.runtime import engine

    payload = _payload_1k(11)

    def boom(event: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("failed on " + json.dumps(event)[:100])

    monkeypatch.setattr(engine, "collect", boom)  # the extraction inspect() runs
    guard.configure(Policy(function="hardening"))
    guard({"comment": payload})
    errors = [d for d in guard.lines() if d["type"] == "internal_error"]
    assert errors and len(json.dumps(errors[0])) < 1024
    assert payload not in guard.stream.getvalue()


def test_rejects_whole_attacker_key_in_logs(guard):
    key = _payload_1k(3) * 4
    guard.configure(Policy(function="hardening"))
    guard({key: SQLI})
    text = guard.stream.getvalue()
    assert "finding" in guard.types()
    assert key[:512] not in text
    assert max(len(line) for line in text.splitlines()) < 4096


@pytest.mark.parametrize("text", ["a" * 100, "\x00" * 100, "\u2028" * 100, "é" * 60])
def test_excerpt_is_at_most_excerpt_chars(text):
    assert len(excerpt(text)) <= EXCERPT_CHARS


@pytest.mark.parametrize(
    "text", ["\x00\n\r\x1b", "\ud800\udfff", "é\u2028\u202e", FORGED, "\x7f\x80\x9f"]
)
def test_excerpt_is_printable_ascii(text):
    out = excerpt(text * 5)
    assert out.isascii() and out.isprintable()
    assert "\n" not in out and "\r" not in out


def test_verdict_excerpts_are_short_and_printable():
    verdict = inspect({"a": SQLI + "\n" * 100, "b": "<script>" + "\u2028" * 100 + "</script>"})
    assert verdict.findings
    for finding in verdict.findings:
        assert finding.excerpt.isascii() and finding.excerpt.isprintable()
        assert len(finding.excerpt) <= 6 * EXCERPT_CHARS


def test_rejects_log_flooding_by_many_findings(guard, monkeypatch):
    from eventguard.runtime import engine

    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)  # deterministic count
    guard.configure(Policy(function="hardening"))
    guard({"a": [SQLI] * 2_000})
    assert "finding" in guard.types()
    assert len(guard.lines()) <= 200

"""Size limits end to end through ``inspect`` and the wrapper, at, below and above each: event
size (6 MB bodies), field length, field count (a million tiny fields), nesting depth (10,000
levels), and the per-invocation inspection time budget."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from eventguard.runtime import engine, inspect, sources
from eventguard.runtime.limits import (
    FIELD_OVERLAP_CHARS,
    MAX_EVENT_BYTES,
    MAX_FIELD_CHARS,
    MAX_FIELDS,
    MAX_INSPECTION_SECONDS,
    MAX_NESTING_DEPTH,
)
from eventguard.runtime.model import LIMIT_EXCEEDED
from eventguard.runtime.policy import Policy

ROOT = Path(__file__).resolve().parents[2]
SQLI = "1' OR '1'='1' --"


def limits_of(verdict: Any) -> list[str]:
    return [f.detail for f in verdict.findings if f.rule == LIMIT_EXCEEDED]


def nested(depth: int, as_list: bool = False, leaf: Any = SQLI) -> Any:
    """``depth`` containers, the outermost included, around ``leaf``."""
    value = leaf
    for _ in range(depth):
        value = [value] if as_list else {"a": value}
    return value


@pytest.fixture(autouse=True)
def no_time_budget(monkeypatch):
    """Count and size limits are tested apart from the wall-clock budget (noisy machines); the
    budget's own tests set it back below zero."""
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)


# --------------------------------------------------------------------------- nesting depth


@pytest.mark.parametrize("as_list", [False, True], ids=["objects", "lists"])
def test_nesting_at_the_limit_is_inspected(as_list):
    verdict = inspect(nested(MAX_NESTING_DEPTH, as_list))
    assert limits_of(verdict) == []
    assert "sqli" in verdict.rules


@pytest.mark.parametrize("as_list", [False, True], ids=["objects", "lists"])
@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH + 2, MAX_NESTING_DEPTH + 3, 10_000])
def test_blocks_nesting_past_the_limit(as_list, depth):
    verdict = inspect(nested(depth, as_list, leaf="plain"))
    assert limits_of(verdict) == ["MAX_NESTING_DEPTH"]
    assert verdict.blocked


def test_open_failure_mode_does_not_block_past_nesting_limit():
    verdict = inspect(nested(10_000), policy=Policy(failure_mode="open"))
    assert limits_of(verdict) == ["MAX_NESTING_DEPTH"]
    assert not verdict.blocked


@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH - 1, 500, 10_000])
def test_json_body_nesting(sqs_event, depth):
    body = '{"a":' * depth + json.dumps(SQLI) + "}" * depth
    verdict = inspect(sqs_event([body]))
    if depth < MAX_NESTING_DEPTH:
        assert limits_of(verdict) == [] and "sqli" in verdict.rules
    else:
        assert limits_of(verdict) == ["MAX_NESTING_DEPTH"] and verdict.blocked


# --------------------------------------------------------------------------- field count


def test_fields_below_the_limit_are_inspected(no_time_budget):
    event = {"a": ["v"] * (MAX_FIELDS - 10) + [SQLI]}
    verdict = inspect(event)
    assert limits_of(verdict) == []
    assert "sqli" in verdict.rules


def test_blocks_fields_past_the_limit(no_time_budget):
    verdict = inspect({"a": ["v"] * (MAX_FIELDS + 10)})
    assert limits_of(verdict) == ["MAX_FIELDS"]
    assert verdict.blocked


def test_blocks_a_million_tiny_fields_with_bounded_memory():
    event = {f"k{i}": "v" for i in range(1_000_000)}
    tracemalloc.start()
    try:
        verdict = inspect(event)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert limits_of(verdict) and set(limits_of(verdict)) <= {
        "MAX_FIELDS",
        "MAX_INSPECTION_SECONDS",
    }
    assert verdict.blocked
    # the event itself is ~100 MB: what inspect holds is bounded by MAX_FIELDS, not the event
    assert peak < 48 * 1024 * 1024


def test_blocks_a_million_tiny_fields_through_wrapper(guard):
    guard.configure(Policy(function="hardening"))
    response = guard({f"k{i}": "v" for i in range(1_000_000)})
    assert guard.seen == []
    assert response == sources.direct.blocked_response({}, None, guard.context.aws_request_id)


def test_object_keys_count_once_toward_max_fields(no_time_budget):
    keys = MAX_FIELDS // 2 - 100
    verdict = inspect({f"k{i}": "v" for i in range(keys)})
    assert limits_of(verdict) == []


# --------------------------------------------------------------------------- field length


@pytest.mark.parametrize("length", [MAX_FIELD_CHARS, MAX_FIELD_CHARS + 1, 2 * MAX_FIELD_CHARS])
def test_attack_at_the_end_of_a_long_field_is_found(no_time_budget, length):
    text = "a" * (length - len(SQLI) - 1) + " " + SQLI
    verdict = inspect({"q": text})
    assert "sqli" in verdict.rules
    assert limits_of(verdict) == []


def test_attack_across_a_window_boundary_is_found(no_time_budget):
    step = MAX_FIELD_CHARS - FIELD_OVERLAP_CHARS
    at = step - len(SQLI) // 2
    text = "a" * at + " " + SQLI + " " + "a" * (MAX_FIELD_CHARS + 10 - at)
    assert len(text) > MAX_FIELD_CHARS
    verdict = inspect({"q": text})
    assert "sqli" in verdict.rules


# --------------------------------------------------------------------------- time budget


def test_budget_below_is_not_reported():
    verdict = inspect({"q": "plain", "r": [SQLI]})
    assert limits_of(verdict) == []


def test_blocks_when_budget_is_spent_across_many_fields(monkeypatch):
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", -1.0)
    verdict = inspect({"a": ["v"] * 2000})
    assert limits_of(verdict) == ["MAX_INSPECTION_SECONDS"]
    assert verdict.blocked


def test_blocks_when_budget_is_spent_on_one_long_field(monkeypatch):
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", -1.0)
    verdict = inspect({"q": "hello world " * 20_000})
    assert limits_of(verdict) == ["MAX_INSPECTION_SECONDS"]


def test_blocks_when_budget_is_spent_walking_numbers(monkeypatch):
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", -1.0)
    verdict = inspect({"a": [0] * 20_000, "b": [[] for _ in range(20_000)]})
    assert limits_of(verdict) == ["MAX_INSPECTION_SECONDS"]


# --------------------------------------------------------------------------- 6 MB events

CHILD = """
import json, resource, sys, time
from eventguard.runtime import inspect
event = json.load(open(sys.argv[1]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
verdict = inspect(event)
seconds = time.perf_counter() - started
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": seconds, "rss_growth_kb": grown, "verdict": verdict.to_dict()}))
"""


def inspect_bounded(tmp_path: Path, event: Any, factor: float = 10.0) -> dict[str, Any] | None:
    """inspect() in a child process, killed after ``factor`` x the budget (plus start-up)."""
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=factor * MAX_INSPECTION_SECONDS + 5.0,
        )
    except subprocess.TimeoutExpired:
        return None
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def api_event(sample, body: str) -> dict[str, Any]:
    event = sample("apigw-rest-v1")
    event["headers"]["Content-Type"] = "text/plain"
    event["body"] = body
    return event


@pytest.mark.slow
def test_six_mb_body_gets_a_verdict_within_the_budget(tmp_path, sample):
    body = ("lorem ipsum dolor sit amet " * 250_000)[: 6 * 1024 * 1024 - 16 * 1024]
    result = inspect_bounded(tmp_path, api_event(sample, body))
    assert result is not None, "inspect() ran past 10 x MAX_INSPECTION_SECONDS"
    assert result["verdict"]["source"] == "api-rest"
    assert result["rss_growth_kb"] < 64 * 1024


@pytest.mark.slow
def test_blocks_event_past_max_event_bytes(tmp_path, sample):
    body = "x" * (MAX_EVENT_BYTES + 1024)
    result = inspect_bounded(tmp_path, api_event(sample, body))
    assert result is not None, "inspect() ran past 10 x MAX_INSPECTION_SECONDS"
    details = [f["detail"] for f in result["verdict"]["findings"] if f["rule"] == LIMIT_EXCEEDED]
    assert details == ["MAX_EVENT_BYTES"] and result["verdict"]["blocked"]


def test_top_level_strings_count_toward_max_event_bytes(sample):
    """Header values (plain strings a source selects, each under MAX_FIELD_CHARS) add up to
    the event's size as nested strings do: past MAX_EVENT_BYTES the event is a limit finding,
    not megabytes more to scan."""
    event = sample("apigw-rest-v1")
    chunk = "a" * (MAX_FIELD_CHARS - 16)
    event["headers"] = {f"X-Part-{i}": chunk for i in range(MAX_EVENT_BYTES // len(chunk) + 1)}
    event["multiValueHeaders"] = {}
    verdict = inspect(event)
    assert limits_of(verdict) == ["MAX_EVENT_BYTES"] and verdict.blocked


def test_each_limit_reached_is_reported_once(monkeypatch, sample):
    """A limit met while extracting and another met while scanning what was extracted are
    both findings."""
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", -1.0)
    event = sample("apigw-rest-v1")
    chunk = "a" * (MAX_FIELD_CHARS - 16)
    event["headers"] = {f"X-Part-{i}": chunk for i in range(MAX_EVENT_BYTES // len(chunk) + 1)}
    event["multiValueHeaders"] = {}
    assert limits_of(inspect(event)) == ["MAX_EVENT_BYTES", "MAX_INSPECTION_SECONDS"]


def test_long_keys_over_many_leaves_do_not_amplify_memory():
    event: Any = {f"l{i}": "v" for i in range(2000)}
    for depth in range(60):
        event = {f"k{depth}" + "x" * 1000: event}
    size = len(json.dumps(event))
    tracemalloc.start()
    try:
        verdict = inspect(event)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert verdict.source == "direct"
    assert peak < 64 * size  # 85 KB of event may not cost more than ~5 MB

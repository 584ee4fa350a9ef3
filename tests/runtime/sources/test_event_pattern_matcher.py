"""The EventBridge event-pattern matcher: each matcher kind, positive and negative; arrays,
nesting, ``$or``, missing keys; patterns it refuses; hostile events in bounded time."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest

from eventguard.runtime.limits import MAX_PATTERN_CHARS, MAX_PATTERN_DEPTH
from eventguard.runtime.sources import _event_pattern as ep

EVENT: dict[str, Any] = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "Order Placed",
    "source": "my.app",
    "account": "111122223333",
    "time": "2017-10-02T18:43:48Z",
    "region": "us-west-1",
    "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    "detail": {
        "state": "running",
        "amount": 42,
        "price": 9.5,
        "paid": True,
        "note": "",
        "coupon": None,
        "tags": ["blue", "green"],
        "matrix": [["a", "b"], ["c"]],
        "empty": [],
        "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}],
        "customer": {"name": "Ann", "ip": "10.0.0.17", "ip6": "2001:db8::1"},
        "file": "photos/cat.PNG",
        "count": "5",
    },
}

# (case, pattern, matches EVENT)
CASES: list[tuple[str, dict[str, Any], bool]] = [
    # literals
    ("string", {"source": ["my.app"]}, True),
    ("string other", {"source": ["other.app"]}, False),
    ("string case-sensitive", {"source": ["MY.APP"]}, False),
    ("or of values", {"source": ["x", "my.app"]}, True),
    ("and of keys", {"source": ["my.app"], "detail-type": ["Order Placed"]}, True),
    ("and of keys, one fails", {"source": ["my.app"], "detail-type": ["Refund"]}, False),
    ("number", {"detail": {"amount": [42]}}, True),
    ("number as float", {"detail": {"amount": [42.0]}}, True),
    ("number vs string field", {"detail": {"count": [5]}}, False),
    ("string vs number field", {"detail": {"amount": ["42"]}}, False),
    ("true", {"detail": {"paid": [True]}}, True),
    ("false vs true", {"detail": {"paid": [False]}}, False),
    ("true is not 1", {"detail": {"amount": [True]}}, False),
    ("1 is not true", {"detail": {"paid": [1]}}, False),
    ("null", {"detail": {"coupon": [None]}}, True),
    ("null is not empty string", {"detail": {"note": [None]}}, False),
    ("empty string", {"detail": {"note": [""]}}, True),
    ("empty string is not null", {"detail": {"coupon": [""]}}, False),
    ("missing key", {"detail": {"nope": ["x"]}}, False),
    ("missing null", {"detail": {"nope": [None]}}, False),
    # arrays in the event
    ("array element", {"detail": {"tags": ["green"]}}, True),
    ("array no element", {"detail": {"tags": ["red"]}}, False),
    ("nested arrays flattened", {"detail": {"matrix": ["c"]}}, True),
    ("resources array", {"resources": [{"prefix": "arn:aws:ec2:"}]}, True),
    ("empty array has no value", {"detail": {"empty": [{"exists": True}]}}, False),
    ("empty array is missing", {"detail": {"empty": [{"exists": False}]}}, True),
    ("array of objects", {"detail": {"items": {"sku": ["B-2"]}}}, True),
    ("array of objects, same element", {"detail": {"items": {"sku": ["B-2"], "qty": [1]}}}, True),
    ("array of objects, two elements", {"detail": {"items": {"sku": ["B-2"], "qty": [2]}}}, False),
    # nesting
    ("nested", {"detail": {"customer": {"name": ["Ann"]}}}, True),
    ("nested other", {"detail": {"customer": {"name": ["Bob"]}}}, False),
    ("object where a value is expected", {"detail": {"customer": ["Ann"]}}, False),
    ("value where an object is expected", {"detail": {"state": {"x": ["running"]}}}, False),
    # prefix / suffix / equals-ignore-case / wildcard
    ("prefix", {"time": [{"prefix": "2017-10-02"}]}, True),
    ("prefix other", {"time": [{"prefix": "2018"}]}, False),
    ("prefix on a number", {"detail": {"amount": [{"prefix": "4"}]}}, False),
    ("prefix ignore case", {"detail-type": [{"prefix": {"equals-ignore-case": "ORDER"}}]}, True),
    ("prefix ignore case other", {"detail-type": [{"prefix": {"equals-ignore-case": "x"}}]}, False),
    ("suffix", {"detail": {"file": [{"suffix": ".PNG"}]}}, True),
    ("suffix is case-sensitive", {"detail": {"file": [{"suffix": ".png"}]}}, False),
    (
        "suffix ignore case",
        {"detail": {"file": [{"suffix": {"equals-ignore-case": ".png"}}]}},
        True,
    ),
    ("equals-ignore-case", {"source": [{"equals-ignore-case": "MY.App"}]}, True),
    ("equals-ignore-case other", {"source": [{"equals-ignore-case": "my.ap"}]}, False),
    ("wildcard", {"detail": {"file": [{"wildcard": "photos/*.PNG"}]}}, True),
    ("wildcard two stars", {"detail": {"file": [{"wildcard": "*/c*"}]}}, True),
    ("wildcard no match", {"detail": {"file": [{"wildcard": "docs/*"}]}}, False),
    ("wildcard without star is exact", {"source": [{"wildcard": "my.app"}]}, True),
    ("wildcard overlapping runs", {"source": [{"wildcard": "my*y.app"}]}, False),
    ("wildcard escaped star", {"source": [{"wildcard": "my\\*"}]}, False),
    # anything-but
    ("anything-but", {"detail": {"state": [{"anything-but": "stopped"}]}}, True),
    ("anything-but same", {"detail": {"state": [{"anything-but": "running"}]}}, False),
    ("anything-but list", {"detail": {"state": [{"anything-but": ["a", "running"]}]}}, False),
    ("anything-but number", {"detail": {"amount": [{"anything-but": [1, 2]}]}}, True),
    ("anything-but number same", {"detail": {"amount": [{"anything-but": 42}]}}, False),
    ("anything-but missing key", {"detail": {"nope": [{"anything-but": "x"}]}}, False),
    ("anything-but prefix", {"region": [{"anything-but": {"prefix": "eu-"}}]}, True),
    ("anything-but prefix same", {"region": [{"anything-but": {"prefix": "us-"}}]}, False),
    ("anything-but suffix", {"detail": {"file": [{"anything-but": {"suffix": ".PNG"}}]}}, False),
    (
        "anything-but ignore case",
        {"detail": {"state": [{"anything-but": {"equals-ignore-case": ["RUNNING"]}}]}},
        False,
    ),
    ("anything-but wildcard", {"detail": {"file": [{"anything-but": {"wildcard": "*/x*"}}]}}, True),
    ("anything-but array: one element", {"detail": {"tags": [{"anything-but": "blue"}]}}, True),
    # numeric
    ("numeric range", {"detail": {"amount": [{"numeric": [">", 0, "<=", 42]}]}}, True),
    ("numeric range out", {"detail": {"amount": [{"numeric": [">", 0, "<", 42]}]}}, False),
    ("numeric equals", {"detail": {"price": [{"numeric": ["=", 9.5]}]}}, True),
    ("numeric >=", {"detail": {"price": [{"numeric": [">=", 10]}]}}, False),
    ("numeric on a numeric string", {"detail": {"count": [{"numeric": [">", 0]}]}}, False),
    ("numeric on a boolean", {"detail": {"paid": [{"numeric": [">", 0]}]}}, False),
    ("numeric on an array", {"detail": {"items": {"qty": [{"numeric": ["<", 2]}]}}}, True),
    # exists
    ("exists", {"detail": {"state": [{"exists": True}]}}, True),
    ("exists on null", {"detail": {"coupon": [{"exists": True}]}}, True),
    ("exists missing", {"detail": {"nope": [{"exists": True}]}}, False),
    ("exists false missing", {"detail": {"nope": [{"exists": False}]}}, True),
    ("exists false present", {"detail": {"state": [{"exists": False}]}}, False),
    ("exists on an object", {"detail": {"customer": [{"exists": True}]}}, False),
    ("exists false under a missing object", {"nope": {"x": [{"exists": False}]}}, True),
    # cidr
    ("cidr", {"detail": {"customer": {"ip": [{"cidr": "10.0.0.0/24"}]}}}, True),
    ("cidr out", {"detail": {"customer": {"ip": [{"cidr": "10.0.1.0/24"}]}}}, False),
    ("cidr ipv6", {"detail": {"customer": {"ip6": [{"cidr": "2001:db8::/32"}]}}}, True),
    ("cidr not an address", {"detail": {"state": [{"cidr": "10.0.0.0/8"}]}}, False),
    # $or
    ("$or", {"$or": [{"source": ["x"]}, {"detail-type": ["Order Placed"]}]}, True),
    ("$or none", {"$or": [{"source": ["x"]}, {"detail-type": ["y"]}]}, False),
    ("$or and a key", {"source": ["x"], "$or": [{"region": ["us-west-1"]}]}, False),
    (
        "$or nested",
        {"detail": {"$or": [{"amount": [{"numeric": [">", 100]}]}, {"paid": [True]}]}},
        True,
    ),
]


@pytest.mark.parametrize(("case", "pattern", "expected"), CASES, ids=[c[0] for c in CASES])
def test_pattern_matches_as_eventbridge_does(case: str, pattern: Any, expected: bool) -> None:
    assert ep.parse(pattern).matches(EVENT) is expected


UNSUPPORTED: list[tuple[str, Any]] = [
    ("not an object", ["my.app"]),
    ("empty pattern", {}),
    ("empty matcher list", {"source": []}),
    ("scalar value", {"source": "my.app"}),
    ("unknown operator", {"source": [{"contains": "app"}]}),
    ("two operators in one matcher", {"source": [{"prefix": "a", "suffix": "b"}]}),
    ("numeric with a string bound", {"n": [{"numeric": [">", "5"]}]}),
    ("numeric with two lower bounds", {"n": [{"numeric": [">", 1, ">=", 2]}]}),
    ("numeric with an unknown op", {"n": [{"numeric": ["!=", 1]}]}),
    ("exists not a boolean", {"n": [{"exists": "yes"}]}),
    ("consecutive wildcards", {"n": [{"wildcard": "a**b"}]}),
    ("bad cidr", {"n": [{"cidr": "10.0.0.0/99"}]}),
    ("anything-but of an object list", {"n": [{"anything-but": [{"prefix": "a"}]}]}),
    ("anything-but numeric", {"n": [{"anything-but": {"numeric": [">", 1]}}]}),
    ("$or not a list", {"$or": {"source": ["a"]}}),
    ("$or of an empty pattern", {"$or": [{}]}),
]


def _deep(depth: int) -> dict[str, Any]:
    pattern: dict[str, Any] = {"leaf": ["x"]}
    for _ in range(depth):
        pattern = {"k": pattern}
    return pattern


UNSUPPORTED += [
    ("deeper than the limit", _deep(MAX_PATTERN_DEPTH)),
    ("longer than the limit", {"source": ["x" * MAX_PATTERN_CHARS]}),
]


@pytest.mark.parametrize(("case", "pattern"), UNSUPPORTED, ids=[c[0] for c in UNSUPPORTED])
def test_rejects_patterns_it_cannot_match(case: str, pattern: Any) -> None:
    with pytest.raises(ep.Unsupported):
        ep.parse(pattern)


def test_a_pattern_just_within_the_depth_limit_parses() -> None:
    assert ep.parse(_deep(MAX_PATTERN_DEPTH - 1)).matches({}) is False


def test_cached_parses_json_text_once_and_says_none_when_unsupported() -> None:
    text = '{"source":["my.app"]}'
    first = ep.cached(text)
    assert first is not None and ep.cached(text) is first
    assert ep.cached('{"source":[{"contains":"x"}]}') is None
    assert ep.cached("not json") is None
    assert ep.cached("[" * 100_000) is None


@pytest.mark.parametrize(
    "event",
    [
        None,
        "a string",
        [EVENT],
        {"source": {"nested": "object"}},
        {"source": [[[[["my.app"]]]]]},
        {"detail": "not an object"},
        {"detail": {"amount": float("nan")}},
        {"detail": {"amount": 10**400}},
        {1: "non-string key"},
    ],
)
def test_odd_events_never_raise(event: Any) -> None:
    pattern = ep.parse(
        {"source": ["my.app"], "detail": {"amount": [{"numeric": [">", 0]}, {"exists": False}]}}
    )
    assert pattern.matches(event) in (True, False)


def _timed(pattern: Any, event: Any) -> float:
    start = time.perf_counter()
    with contextlib.suppress(ep.TooMuchWork):
        ep.parse(pattern).matches(event)
    return time.perf_counter() - start


def test_rejects_huge_arrays_within_bounded_time() -> None:
    pattern = {"detail": {"tags": [{"prefix": "z"}, {"suffix": "z"}, {"wildcard": "*z*z"}]}}
    event = {"detail": {"tags": ["a"] * 2_000_000}}
    with pytest.raises(ep.TooMuchWork):
        ep.parse(pattern).matches(event)
    assert _timed(pattern, event) < 1.0


def test_deeply_nested_event_arrays_are_bounded() -> None:
    nested: Any = "my.app"
    for _ in range(100_000):
        nested = [nested]
    assert _timed({"source": ["my.app"]}, {"source": nested}) < 1.0


def test_many_objects_under_a_nested_pattern_are_bounded() -> None:
    event = {"detail": {"items": [{"sku": str(i)} for i in range(300_000)]}}
    assert _timed({"detail": {"items": {"sku": ["none"]}}}, event) < 1.0


def test_matches_any_shares_one_budget() -> None:
    patterns = [ep.parse({"source": ["a"]}), ep.parse({"source": ["my.app"]})]
    assert ep.matches_any(EVENT, patterns) is True
    assert ep.matches_any(EVENT, patterns[:1]) is False

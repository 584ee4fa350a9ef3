"""The HTTP ``values`` hooks build lists (no generator per header), yet keep what the generators
did: the same triples in the same order, and an error raised after the triples found before it,
which extraction reads before it raises."""

from __future__ import annotations

import time
from typing import Any

import pytest

from eventguard.runtime.fields import Budget, collect
from eventguard.runtime.sources import _http, alb, api_rest


class _BadKey:
    """A header name whose text cannot be had (a Python caller's object, not JSON)."""

    def __str__(self) -> str:
        raise RuntimeError("no name")

    def __hash__(self) -> int:
        return 1


def _event(**extra: Any) -> dict[str, Any]:
    return {
        "httpMethod": "GET",
        "path": "/p",
        "requestContext": {"apiId": "a"},
        "headers": {"Cookie": "a=b", "Host": "h", "Only-Single": "s"},
        "multiValueHeaders": {"Cookie": ["a=b"], "Host": ["h", "h2"], "X-Multi": ["1", "2"]},
        "queryStringParameters": {"q": "1", "r": "x"},
        "multiValueQueryStringParameters": {"q": ["1"]},
        "body": '{"k": "v"}',
        **extra,
    }


def _as_generators(event: Any, prefix: str, query_chain: tuple[str, ...] = ()) -> list[Any]:
    """What the hooks yielded when they were generators, written out plainly."""
    out: list[Any] = []
    for single, multi, chain in (
        ("headers", "multiValueHeaders", ()),
        ("queryStringParameters", "multiValueQueryStringParameters", query_chain),
    ):
        many = event.get(multi) if isinstance(event.get(multi), dict) else {}
        for container, values in ((multi, many), (single, event.get(single))):
            if not isinstance(values, dict):
                continue
            base = f"{prefix}.{container}" if prefix else container
            for key, value in values.items():
                name = str(key)
                own = ("cookie",) if name.lower() == "cookie" else chain
                if container == single and name in many:
                    if isinstance(many[name], list) and value in many[name]:
                        continue
                    out.append((f"{base}.{name}", value, own))
                    continue
                out.append((f"{base}.{name}<key>", name, ()))
                out.append((f"{base}.{name}", value, own))
    body = event.get("body")
    if isinstance(body, str) and body:
        out.append((f"{prefix}.body" if prefix else "body", body, _http.body_chain(event)))
    return out


@pytest.mark.parametrize("prefix", ["", "Records[0]"])
def test_request_fields_are_the_generators_triples(prefix: str) -> None:
    event = _event()
    event["headers"]["COO\u212aIE"] = "c=d"  # KELVIN SIGN: lower() is "cookie", a Cookie
    event["headers"]["COOK\u0130E"] = "g=h"  # I WITH DOT: lower() is 7 characters, no Cookie
    event["headers"]["COOKIE"] = "e=f"
    assert list(_http.request_fields(event, prefix)) == _as_generators(event, prefix)
    assert list(alb.values(event, prefix)) == _as_generators(event, prefix, ("url",))


def test_a_non_mapping_event_has_no_request_fields() -> None:
    assert list(_http.request_fields(["x"], "")) == []
    assert list(_http.header_fields("x", "")) == []
    assert list(_http.query_fields(None, "")) == []


def test_rejects_an_unreadable_header_name_after_the_fields_before_it() -> None:
    event = _event(headers={"Host": "h", _BadKey(): "v"}, multiValueHeaders={"X-A": ["1"]})
    found = iter(_http.request_fields(event, ""))
    assert [next(found)[0] for _ in range(4)] == [
        "multiValueHeaders.X-A<key>",
        "multiValueHeaders.X-A",
        "headers.Host<key>",
        "headers.Host",
    ]
    with pytest.raises(RuntimeError, match="no name"):
        next(found)
    parts: list[Any] = []
    with pytest.raises(RuntimeError, match="no name"):
        collect(event, api_rest, Budget(deadline=time.perf_counter() + 5), parts)
    paths = [path for _, found_here in parts for path, _ in found_here]
    assert "headers.Host<key>" in paths and "multiValueHeaders.X-A[0]" in paths

"""Field extraction: pattern walking, declared and sniffed decoding chains, envelopes, and the
limits (fields, depth, decode depth, long strings) that keep hostile events bounded."""

from __future__ import annotations

import base64
import gzip
import json
import time

import pytest

from eventguard.runtime import inspect, limits, sources
from eventguard.runtime.errors import LimitExceeded
from eventguard.runtime.fields import Budget, Field, _split, expand, extract, walk

M = "EgMark4821"


def budget() -> Budget:
    return Budget(deadline=time.perf_counter() + 5)


def texts(value, chain=()) -> dict[str, str]:
    return dict(expand("v", value, budget(), chain))


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def test_split_patterns() -> None:
    assert _split("a.b[*].c") == ["a", "b", "[*]", "c"]
    assert _split("records.*[*].headers[*].*") == ["records", "*", "[*]", "headers", "[*]", "*"]


def test_walk_selects_values_and_keys_under_star() -> None:
    doc = {"h": {"X-A": "1", "X-B": ["2", "3"]}}
    assert list(walk(doc, _split("h.*"), "")) == [
        ("h.X-A<key>", "X-A"),
        ("h.X-A", "1"),
        ("h.X-B<key>", "X-B"),
        ("h.X-B", ["2", "3"]),
    ]
    assert list(walk(doc, _split("h.X-B[*]"), "")) == [("h.X-B[0]", "2"), ("h.X-B[1]", "3")]
    assert list(walk(doc, _split("missing.*"), "")) == []


def test_raw_string_is_yielded_before_its_decodings() -> None:
    out = list(expand("v", f"%3C{M}%3E", budget()))
    assert out == [("v", f"%3C{M}%3E"), ("v<url>", f"<{M}>")]


@pytest.mark.parametrize(
    ("raw", "chain", "inside"),
    [
        (json.dumps({"a": M}), (), ("v<json>.a", M)),
        (json.dumps([1, M]), ("json",), ("v<json>[1]", M)),
        (
            f'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n{M}\r\n--B--',
            ("multipart",),
            ("v<multipart>.a", M),
        ),
    ],
)
def test_a_container_document_is_replaced_by_what_it_contains(
    raw: str, chain: tuple[str, ...], inside: tuple[str, str]
) -> None:
    """Its own syntax (JSON quotes, multipart header lines) is not injected text."""
    out = list(expand("v", raw, budget(), chain))
    assert inside in out
    assert all(text != raw for _, text in out)


def test_a_json_scalar_keeps_its_raw_text() -> None:
    out = list(expand("v", json.dumps(M), budget(), ("json",)))
    assert ("v", json.dumps(M)) in out


def test_chains_compose_base64_gzip_json_url() -> None:
    inner = json.dumps({"k": f"%3C{M}%3E"})
    value = b64(gzip.compress(inner.encode()))
    assert texts(value)["v<base64><gzip><json>.k<url>"] == f"<{M}>"


@pytest.mark.parametrize(
    ("value", "path", "expected"),
    [
        (f"&lt;{M}&gt;", "v<html>", f"<{M}>"),
        (rf"\u003c{M}", "v<unicode>", f"<{M}"),
        (f"%253C{M}", "v<url><url>", f"<{M}"),
        (
            base64.urlsafe_b64encode(f'{{"sub": "{M}??>"}}'.encode()).decode().rstrip("="),
            "v<base64url><json>.sub",
            f"{M}??>",
        ),
        (f"<a><b>{M}</b></a>", "v<xml>.a/b", M),
    ],
)
def test_sniffed_encodings(value, path, expected) -> None:
    assert texts(value)[path] == expected


def test_declared_chain_that_fails_falls_back_to_sniffing() -> None:
    out = texts(json.dumps({"a": M}), ("form",))
    assert out["v<json>.a"] == M


def test_declared_chain_applies_to_every_string_below_the_value() -> None:
    out = texts({"p": b64(M), "q": b64("other text")}, ("base64",))
    assert out["v.p<base64>"] == M and out["v.q<base64>"] == "other text"
    assert "v.p<key><base64>" not in out


def test_plain_words_are_not_decoded() -> None:
    for word in ("administrator123", "hello world", "Content-Type", "ordinary-kebab-case-name"):
        assert texts(word) == {"v": word}


def test_rejects_decoding_chains_past_max_decode_depth() -> None:
    value = M
    for _ in range(limits.MAX_DECODE_DEPTH + 1):
        value = json.dumps({"x": value})
    with pytest.raises(LimitExceeded) as info:
        texts(value)
    assert info.value.limit == "MAX_DECODE_DEPTH"


def test_rejects_nesting_past_max_nesting_depth() -> None:
    value: object = M
    for _ in range(limits.MAX_NESTING_DEPTH + 2):
        value = {"a": value}
    with pytest.raises(LimitExceeded) as info:
        texts(value)
    assert info.value.limit == "MAX_NESTING_DEPTH"


def test_rejects_events_past_max_fields() -> None:
    with pytest.raises(LimitExceeded) as info:
        list(extract({str(i): "v" for i in range(limits.MAX_FIELDS + 1)}, sources.direct, budget()))
    assert info.value.limit == "MAX_FIELDS"


def test_rejects_work_past_the_deadline() -> None:
    late = Budget(deadline=time.perf_counter() - 1)
    with pytest.raises(LimitExceeded) as info:
        list(extract({"k": ["v"] * 1000}, sources.direct, late))
    assert info.value.limit == "MAX_INSPECTION_SECONDS"


def test_long_strings_are_read_in_overlapping_windows() -> None:
    size = limits.MAX_FIELD_CHARS
    boundary = size - limits.FIELD_OVERLAP_CHARS // 2
    text = "a" * boundary + M + "a" * (size * 2)
    windows = list(expand("body", text, budget()))
    assert all(len(t) <= size for _, t in windows)
    assert any(M in t for _, t in windows), "a marker across a window edge is lost"
    assert windows[0][0] == "body<chars:0>"


def test_a_six_megabyte_json_body_is_decoded_not_rejected() -> None:
    body = json.dumps({"items": ["x" * 1000] * 6000, "note": M})
    event = {
        "resource": "/",
        "path": "/",
        "httpMethod": "POST",
        "headers": {"Content-Type": "application/json"},
        "requestContext": {"apiId": "a1", "resourceId": "r"},
        "body": body,
    }
    fields = list(extract(event, sources.api_rest, budget()))
    assert Field("body<json>.note", M) in fields
    assert not [f for f in fields if f.path.startswith("body<chars:")], "raw JSON read twice"


def test_a_large_string_that_is_not_json_is_read_in_windows() -> None:
    text = "x" * (limits.MAX_FIELD_CHARS + 10) + M
    paths = [p for p, t in expand("body", text, budget()) if M in t]
    assert paths == [f"body<chars:{limits.MAX_FIELD_CHARS - limits.FIELD_OVERLAP_CHARS}>"]


def test_inspect_turns_a_gzip_bomb_into_a_limit_finding() -> None:
    bomb = b64(gzip.compress(b"{" + b" " * (limits.MIN_DECOMPRESSED_BYTES * 200) + b"}"))
    event = {"awslogs": {"data": bomb}}
    verdict = inspect(event)
    assert verdict.source == "cloudwatch-logs"
    assert [f.detail for f in verdict.findings if f.rule == "limit_exceeded"] == [
        "MAX_DECOMPRESSION_RATIO"
    ]


def test_inspect_turns_deep_json_into_a_limit_finding() -> None:
    event = {"Records": [{"eventSource": "aws:sqs", "body": "[" * 100_000 + "]" * 100_000}]}
    verdict = inspect(event)
    assert [f.detail for f in verdict.findings if f.rule == "limit_exceeded"] == [
        "MAX_NESTING_DEPTH"
    ]


def test_hostile_values_never_crash_extraction() -> None:
    hostile = [
        {"Records": [{"eventSource": "aws:kinesis", "kinesis": {"data": "!!!notbase64"}}]},
        {
            "Records": [
                {"eventSource": "aws:kinesis", "kinesis": {"data": b64(b"\x1f\x8b\x08\x00junk")}}
            ]
        },
        {
            "Records": [
                {
                    "eventSource": "aws:dynamodb",
                    "dynamodb": {"NewImage": {"a": {"B": "%%%"}, "b": {"L": "x"}, "c": 3}},
                }
            ]
        },
        {"eventSource": "aws:kafka", "records": {"t-0": [{"headers": [{"h": [999]}], "value": 5}]}},
        {
            "httpMethod": "GET",
            "path": "/",
            "requestContext": {"apiId": "a"},
            "headers": {"content-type": "multipart/form-data"},
            "body": "--\r\n",
        },
    ]
    for event in hostile:
        module = sources.identify(event)
        assert module is not sources.direct
        list(extract(event, module, budget()))


def test_declared_gzip_output_that_is_not_json_is_still_inspected() -> None:
    value = b64(gzip.compress(f"plain log line {M}".encode()))
    out = texts(value, ("base64", "gzip", "json"))
    assert out["v<base64><gzip>"] == f"plain log line {M}"


def test_a_lone_declaration_is_not_decoded_again() -> None:
    doc = f'<!DOCTYPE a [<!ENTITY {M} SYSTEM "file:///etc/passwd">]><a>x</a>'
    paths = [p for p, t in expand("body", doc, budget()) if M in t]
    assert paths == ["body", "body<xml>.doctype"]

"""Encoding limits and malformed encodings end to end: gzip and base64 bombs (peak memory
measured with tracemalloc), decompression ratio, decoded size, decoding depth, multipart and XML
item counts, invalid UTF-8, lone surrogates, invalid base64, truncated gzip, JSON with duplicate
keys and huge numbers."""

from __future__ import annotations

import base64
import gzip
import json
import os
import tracemalloc
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from eventguard.runtime import engine, inspect
from eventguard.runtime.limits import (
    MAX_DECODE_DEPTH,
    MAX_DECODED_BYTES,
    MAX_DECOMPRESSION_RATIO,
    MAX_MULTIPART_PARTS,
    MAX_XML_ITEMS,
    MIN_DECOMPRESSED_BYTES,
)
from eventguard.runtime.model import LIMIT_EXCEEDED
from eventguard.runtime.policy import Policy

SQLI = "1' OR '1'='1' --"
XSS = "<script>alert(document.cookie)</script>"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def no_time_budget(monkeypatch):
    """Encoding limits are tested apart from the wall-clock budget (noisy machines)."""
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)


def limits_of(verdict: Any) -> list[str]:
    return [f.detail for f in verdict.findings if f.rule == LIMIT_EXCEEDED]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def gzip_stream(chunks: int, chunk: bytes = b"\0" * MB, level: int = 9) -> bytes:
    """gzip of ``chunks`` x ``chunk`` without holding the expanded data."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)
    out = [packer.compress(chunk) for _ in range(chunks)]
    out.append(packer.flush())
    return b"".join(out)


def measured(fn: Callable[[], Any]) -> tuple[Any, int]:
    """The result of ``fn`` and the peak of memory allocated while it ran."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.fixture(scope="module")
def member_1mb() -> bytes:
    """One gzip member of 1 MB of zeros (~1 KB)."""
    return gzip_stream(1)


@pytest.fixture(scope="module")
def bomb_256mb(member_1mb) -> bytes:
    """256 MB of zeros in ~256 KB of gzip (members): past MAX_DECODED_BYTES, not the ratio."""
    return member_1mb * 256


@pytest.fixture(scope="module")
def bomb_20mb_stream() -> bytes:
    """20 MB of zeros in one gzip stream (~20 KB)."""
    return gzip_stream(20)


@pytest.fixture(scope="module")
def bomb_double(bomb_256mb) -> bytes:
    """gzip of the 256 MB bomb: a few KB that would expand to 256 MB in two steps."""
    return gzip.compress(bomb_256mb, 9)


def ratio_gzip(ratio: float, size: int = 200 * 1024) -> tuple[bytes, int]:
    """gzip of ``size`` bytes whose expansion ratio is close to ``ratio``: random then zeros."""
    rng = 1
    for _ in range(40):
        noise = os.urandom(rng)
        data = noise + b"\0" * (size - rng)
        packed = gzip.compress(data, 9, mtime=0)
        got = size / len(packed)
        if abs(got - ratio) / ratio < 0.05:
            return packed, size
        rng = max(1, int(rng * got / ratio))
    raise AssertionError(f"could not build a gzip of ratio {ratio}")


# --------------------------------------------------------------------------- gzip bombs


def test_blocks_gzip_bomb_past_max_decoded_bytes_with_bounded_memory(bomb_256mb):
    event = {"data": b64(bomb_256mb)}
    verdict, peak = measured(lambda: inspect(event))
    assert limits_of(verdict) == ["MAX_DECODED_BYTES"]
    assert verdict.blocked
    assert peak < 3 * MAX_DECODED_BYTES  # 256 MB if it were expanded


def test_blocks_single_stream_gzip_bomb_with_bounded_memory(bomb_20mb_stream):
    event = {"data": b64(bomb_20mb_stream)}
    verdict, peak = measured(lambda: inspect(event))
    assert limits_of(verdict) == ["MAX_DECOMPRESSION_RATIO"]
    assert peak < 4 * MB  # cap: MAX_DECOMPRESSION_RATIO x ~20 KB


def test_blocks_double_gzip_bomb_with_bounded_memory(bomb_double):
    event = {"data": b64(bomb_double)}
    verdict, peak = measured(lambda: inspect(event))
    assert limits_of(verdict) in (["MAX_DECOMPRESSION_RATIO"], ["MAX_DECODED_BYTES"])
    assert peak < 3 * MAX_DECODED_BYTES  # 256 MB if it were expanded


def test_blocks_gzip_bomb_in_cloudwatch_logs_through_wrapper(guard, sample, bomb_double):
    event = sample("cloudwatch-logs")
    event["awslogs"]["data"] = b64(bomb_double)
    guard.configure(Policy(function="hardening"))
    _, peak = measured(lambda: guard(event))
    assert guard.seen == []
    assert len(guard.sent) == 1
    assert LIMIT_EXCEEDED in [d.get("rule") for d in guard.lines()]
    assert peak < 3 * MAX_DECODED_BYTES


def test_blocks_many_gzip_members_past_the_ratio():
    members = b"".join(gzip.compress(b"x" * 60_000, 9) for _ in range(400))
    verdict, peak = measured(lambda: inspect({"data": b64(members)}))
    assert limits_of(verdict) == ["MAX_DECOMPRESSION_RATIO"]
    assert peak < 3 * MAX_DECODED_BYTES  # 24 MB if expanded


def test_blocks_zlib_bomb():
    packed = zlib.compress(b"A" * (20 * MB), 9)
    verdict = inspect({"data": b64(packed)})
    assert limits_of(verdict) == ["MAX_DECOMPRESSION_RATIO"]


def test_gzip_below_the_ratio_is_inspected():
    packed, size = ratio_gzip(MAX_DECOMPRESSION_RATIO * 0.85)
    assert size > MIN_DECOMPRESSED_BYTES
    attack = gzip.compress(XSS.encode() + b" " + gzip.decompress(packed), 9)
    assert len(attack) * MAX_DECOMPRESSION_RATIO > size
    verdict = inspect({"data": b64(attack)})
    assert limits_of(verdict) == []
    assert "xss" in verdict.rules


def test_blocks_gzip_above_the_ratio():
    packed, size = ratio_gzip(MAX_DECOMPRESSION_RATIO * 1.2)
    assert size > MIN_DECOMPRESSED_BYTES
    verdict = inspect({"data": b64(packed)})
    assert limits_of(verdict) == ["MAX_DECOMPRESSION_RATIO"]


def test_small_gzip_may_expand_to_min_decompressed_bytes():
    packed = gzip.compress(XSS.encode() + b"\0" * (MIN_DECOMPRESSED_BYTES - 1024), 9)
    assert len(packed) * MAX_DECOMPRESSION_RATIO < MIN_DECOMPRESSED_BYTES
    verdict = inspect({"data": b64(packed)})
    assert limits_of(verdict) == []
    assert "xss" in verdict.rules


def test_blocks_small_gzip_past_min_decompressed_bytes():
    packed = gzip.compress(b"\0" * (MIN_DECOMPRESSED_BYTES + 4096), 9)
    verdict = inspect({"data": b64(packed)})
    assert limits_of(verdict) == ["MAX_DECOMPRESSION_RATIO"]


# --------------------------------------------------------------------------- base64


def nested_b64(text: str, layers: int) -> str:
    data = text.encode()
    for _ in range(layers):
        data = base64.b64encode(data)
    return data.decode()


def test_base64_up_to_decode_depth_is_inspected():
    verdict = inspect({"q": nested_b64(SQLI, MAX_DECODE_DEPTH)})
    assert limits_of(verdict) == []
    assert "sqli" in verdict.rules


@pytest.mark.parametrize("layers", [MAX_DECODE_DEPTH + 1, MAX_DECODE_DEPTH + 3, 12])
def test_blocks_base64_past_decode_depth(layers):
    verdict = inspect({"q": nested_b64(XSS, layers)})
    assert limits_of(verdict) == ["MAX_DECODE_DEPTH"]
    assert verdict.blocked


def test_blocks_json_in_json_past_decode_depth():
    text: Any = SQLI
    for _ in range(MAX_DECODE_DEPTH + 3):
        text = json.dumps({"v": text})
    verdict = inspect({"q": text})
    assert limits_of(verdict) == ["MAX_DECODE_DEPTH"]


def test_blocks_base64_whose_decoded_size_is_past_the_limit(monkeypatch):
    """Base64 past MAX_DECODED_BYTES is refused before decoding (6 MB events cannot carry one
    by themselves, so the limit is lowered to reach it)."""
    from eventguard.runtime.decoders import b64 as b64_module

    monkeypatch.setattr(b64_module, "MAX_DECODED_BYTES", 1024)
    verdict = inspect({"q": b64(b"A" * 4096)})
    assert limits_of(verdict) == ["MAX_DECODED_BYTES"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("not base64 at all!! " + XSS, id="bad-alphabet"),
        pytest.param(b64(XSS.encode())[:-3], id="bad-padding"),
        pytest.param("====" + XSS, id="padding-first"),
        pytest.param(b64(XSS.encode()) + "\x00", id="nul"),
    ],
)
def test_invalid_declared_base64_is_still_inspected(sample, body):
    event = sample("apigw-rest-v1")
    event["isBase64Encoded"] = True
    event["body"] = body
    verdict = inspect(event)
    assert verdict.source == "api-rest"
    assert limits_of(verdict) == []
    if XSS in body:
        assert "xss" in verdict.rules


# --------------------------------------------------------------------------- gzip malformed


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(gzip.compress(XSS.encode() * 100)[:-9], id="truncated"),
        pytest.param(gzip.compress(XSS.encode())[:12], id="header-only"),
        pytest.param(gzip.compress(b"hello")[:-8] + b"\0" * 8, id="bad-crc"),
        pytest.param(b"\x1f\x8b" + os.urandom(64), id="garbage-after-magic"),
        pytest.param(b"\x78\x9c" + b"\xff" * 32, id="bad-zlib"),
    ],
)
def test_malformed_gzip_returns_a_verdict(sample, data):
    event = sample("kinesis")
    event["Records"][0]["kinesis"]["data"] = b64(data)
    verdict = inspect(event)
    assert verdict.source == "kinesis"
    assert limits_of(verdict) == []


def test_malformed_gzip_in_cloudwatch_logs_through_wrapper(guard, sample):
    event = sample("cloudwatch-logs")
    event["awslogs"]["data"] = b64(gzip.compress(XSS.encode() * 100)[:-9])
    guard.configure(Policy(function="hardening"))
    guard(event)
    assert len(guard.seen) + len(guard.sent) == 1


# --------------------------------------------------------------------------- text encodings


INVALID_UTF8 = b"\xff\xfe\xc3\x28\xa0\xa1\xed\xa0\x80\xf8\x88\x80\x80\x80"


def test_invalid_utf8_does_not_hide_an_attack_in_a_base64_body(sample):
    event = sample("apigw-rest-v1")
    event["headers"]["Content-Type"] = "text/plain"
    event["isBase64Encoded"] = True
    event["body"] = b64(INVALID_UTF8 + XSS.encode() + INVALID_UTF8)
    verdict = inspect(event)
    assert "xss" in verdict.rules


def test_invalid_utf8_in_kinesis_data(sample):
    event = sample("kinesis")
    event["Records"][0]["kinesis"]["data"] = b64(INVALID_UTF8 * 50 + SQLI.encode())
    verdict = inspect(event)
    assert verdict.source == "kinesis"
    assert "sqli" in verdict.rules


def test_invalid_utf8_in_gzip(sample):
    event = sample("cloudwatch-logs")
    event["awslogs"]["data"] = b64(gzip.compress(INVALID_UTF8 * 100))
    verdict = inspect(event)
    assert verdict.source == "cloudwatch-logs"
    assert limits_of(verdict) == []


SURROGATES = ["\ud800", "\udfff", "\udcff\ud800", "a\ud83d", "\ud83d\ude00"]


@pytest.mark.parametrize("surrogate", SURROGATES)
def test_lone_surrogates_do_not_hide_an_attack(guard, sqs_event, surrogate):
    event = {"q": surrogate + SQLI + surrogate, surrogate: surrogate}
    verdict = inspect(event)
    assert "sqli" in verdict.rules
    guard.configure(Policy(function="hardening"))
    guard(event)
    guard(sqs_event([surrogate + XSS, json.dumps({"k": surrogate})]))
    assert guard.seen == [] or all(
        XSS not in r["body"] for e in guard.seen for r in e.get("Records", [])
    )
    assert len(guard.sent) == 2


def test_lone_surrogates_in_json_escapes(sqs_event):
    body = '{"\\ud800": "\\udfff' + SQLI.replace("'", "\\u0027") + '"}'
    verdict = inspect(sqs_event([body]))
    assert "sqli" in verdict.rules


# --------------------------------------------------------------------------- JSON oddities


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"a": "safe", "a": "' + XSS + '"}', id="attack-last"),
        pytest.param('{"a": "' + XSS + '", "a": "safe"}', id="attack-first-then-shadowed"),
        pytest.param('{"a": {"b": "' + XSS + '"}, "a": 1}', id="shadowed-object"),
    ],
)
def test_duplicate_json_keys_do_not_hide_an_attack(sqs_event, body):
    verdict = inspect(sqs_event([body]))
    assert "xss" in verdict.rules


@pytest.mark.parametrize(
    "body",
    [
        '{"n": 1' + "0" * 5000 + "}",
        '{"n": 1e999999, "m": -1e999999}',
        '{"n": NaN, "m": Infinity}',
        "[" + "9" * 100_000 + "]",
        '{"n": 0.' + "1" * 100_000 + "}",
    ],
    ids=["int-past-4300-digits", "float-overflow", "nan", "100k-digit-int", "100k-digit-float"],
)
def test_huge_numbers_in_json_bodies(guard, sqs_event, body):
    event = sqs_event([body + " " + SQLI[:0], "plain"])
    verdict = inspect(event)
    assert verdict.source == "sqs"
    assert limits_of(verdict) == []
    guard.configure(Policy(function="hardening"))
    guard(event)
    assert len(guard.seen) == 1


@pytest.mark.parametrize(
    "value", [10**4000, -(10**4000), float("inf"), float("nan"), 1e308, -0.0, 2**63]
)
def test_huge_numbers_in_the_event(guard, value):
    event = {"n": value, "q": SQLI}
    verdict = inspect(event)
    assert "sqli" in verdict.rules
    guard.configure(Policy(function="hardening"))
    guard(event)
    assert guard.seen == [] and len(guard.sent) == 1


# --------------------------------------------------------------------------- multipart and XML


def multipart_event(sample, parts: int, attack_at: int) -> dict[str, Any]:
    event = sample("apigw-rest-v1")
    event["headers"]["Content-Type"] = "multipart/form-data; boundary=XyZ"
    body = "".join(
        f'--XyZ\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\n'
        f"{XSS if i == attack_at else 'v'}\r\n"
        for i in range(parts)
    )
    event["body"] = body + "--XyZ--\r\n"
    return event


def test_multipart_at_the_part_limit_is_inspected(sample, monkeypatch):
    # 1,000 parts take about MAX_INSPECTION_SECONDS on their own: isolate the count limit
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)
    verdict = inspect(multipart_event(sample, MAX_MULTIPART_PARTS, MAX_MULTIPART_PARTS - 1))
    assert limits_of(verdict) == []
    assert "xss" in verdict.rules
    assert any("<multipart>" in f.path for f in verdict.findings)


def test_blocks_multipart_past_the_part_limit(sample, monkeypatch):
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)
    verdict = inspect(multipart_event(sample, MAX_MULTIPART_PARTS + 2, -1))
    assert limits_of(verdict) == ["MAX_MULTIPART_PARTS"]
    assert verdict.blocked


def xml(items: int) -> str:
    return "<r>" + "<i>v</i>" * (items - 1) + f"<i>{XSS.replace('<', '&lt;')}</i></r>"


def test_xml_below_the_item_limit_is_inspected(monkeypatch):
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)
    verdict = inspect({"q": xml(MAX_XML_ITEMS - 10)})
    assert limits_of(verdict) == []
    assert "xss" in verdict.rules


def test_blocks_xml_past_the_item_limit(monkeypatch):
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)
    verdict = inspect({"q": xml(MAX_XML_ITEMS + 10)})
    assert limits_of(verdict) == ["MAX_XML_ITEMS"]


def test_blocks_xml_nested_past_the_depth_limit():
    depth = 5000
    verdict = inspect({"q": "<a>" * depth + "x" + "</a>" * depth})
    assert limits_of(verdict) == ["MAX_NESTING_DEPTH"]


def test_xml_billion_laughs_is_not_expanded():
    entities = "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doc = f'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">{entities}]><l>&i;</l>'
    verdict, peak = measured(lambda: inspect({"q": doc}))
    assert peak < 8 * MB
    assert "xxe" in verdict.rules or verdict.findings == [] or verdict.blocked


def test_xml_paths_do_not_amplify_memory():
    tags = [f"n{i}" + "x" * 2000 for i in range(60)]
    doc = (
        "".join(f"<{t}>" for t in tags)
        + "".join(f"<c a{i}='1'/>" for i in range(1000))
        + "".join(f"</{t}>" for t in reversed(tags))
    )
    from eventguard.runtime.decoders import xmltext

    # the decoder alone: inspect() under tracemalloc takes over a minute on this text today
    decoded, peak = measured(lambda: xmltext.decode(doc))
    assert len(decoded) == 1000
    assert peak < 16 * MB  # the text is 247 KB

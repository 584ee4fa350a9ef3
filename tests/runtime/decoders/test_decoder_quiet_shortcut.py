"""Shortcuts that let extraction skip a call must answer as the call would: ``decoders.QUIET``
(and its halves by length, ``QUIET_SHORT`` and ``QUIET_LONG``, which answer as it does)
never matches a string ``sniff`` would name a decoder for (random strings built from the
characters and pieces ``sniff`` looks at, every string of the sample events, the shapes it is
meant for), and ``decoders.FUTILE`` is true only where the decoder would raise DecodeError."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventguard.runtime import limits
from eventguard.runtime.decoders import DECODERS, FUTILE, QUIET, QUIET_LONG, QUIET_SHORT, sniff
from eventguard.runtime.errors import DecodeError

EVENTS = Path(__file__).resolve().parents[2] / "events"

_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=.:,; \t\r\n"
_CHARS += "{}[]<>%&\\\"'()*@#é\u00a0\u2028\x00\x1c"
PIECES = ["eyJ", "eyJhbGciOiJIUzI1NiJ9", ".", "Bearer ", "==", "=", "%41", "%u0041", "&amp;"]
PIECES += ["\\u0041", "{", "[", "<", ">", "\n", "MIME-Version: 1.0\n", "Subject: x\n", " "]
PIECES += ["-", "_", "0", "QUJD", "QUJDRA", "abc", "ABC", "+", "/", "\r\n", "\t"]
PIECES += [str(uuid.UUID(int=7)), str(uuid.UUID(int=7)).upper(), "x" * 100]


def _check(text: str) -> None:
    if QUIET(text):
        assert sniff(text) == (), text
    # Extraction asks QUIET_SHORT or QUIET_LONG by the string's length: the same answer.
    split = QUIET_SHORT if len(text) < limits.MIN_SNIFF_BASE64_CHARS else QUIET_LONG
    assert (split(text) is None) is (QUIET(text) is None), text


@settings(max_examples=5000, deadline=None)
@given(st.text(alphabet=_CHARS, max_size=300))
def test_quiet_random_characters(text: str) -> None:
    _check(text)


@settings(max_examples=5000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_quiet_random_pieces(text: str) -> None:
    _check(text)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJabcdefghij0123456789+/-_=", min_size=12, max_size=70))
def test_quiet_base64_shaped(text: str) -> None:
    _check(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=140))
def test_quiet_any_text(text: str) -> None:
    _check(text)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_quiet_on_every_sample_string() -> None:
    texts = {t for path in EVENTS.glob("*/*.json") for t in _strings(json.loads(path.read_text()))}
    assert len(texts) > 500
    for text in texts:
        _check(text)
        if isinstance(sniff(text), tuple) and text[:1] in "{[" and len(text) > 3:
            for inner in _strings(_maybe_json(text)):
                _check(inner)


def _maybe_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


@pytest.mark.parametrize(
    "text",
    [
        "gzip, deflate",
        "/hello/world",
        "X-Forwarded-Proto",
        "CloudFront-Is-SmartTV-Viewer",
        "gy415nuibc.execute-api.us-east-1.amazonaws.com",
        "9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f",
        "Root=1-5c34e93e-4dea0086f9763ac0667b115a",
        "supportedInterfaces",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36",
        "plain prose " * 20,
    ],
)
def test_quiet_matches_the_common_plain_strings(text: str) -> None:
    assert QUIET(text)
    assert sniff(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        "<a>b</a>",
        "a%20b",
        "QUJDREVGR0hJSktMTU5PUA==",
        "YWJjZGVm-2hpamtsbW5v",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "x" * (limits.MIN_SNIFF_BASE64_CHARS * 2),
    ],
)
def test_rejects_quiet_for_what_sniff_must_see(text: str) -> None:
    assert not QUIET(text)


_TAGGY = st.text(alphabet="ab <>/=!?'\"\n&;", max_size=12)


@settings(max_examples=5000, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=_CHARS + "+=%;", max_size=80),
        st.binary(max_size=20),
        st.builds(lambda inner: f"<{inner}>", _TAGGY),
        _TAGGY,
    )
)
def test_a_futile_decoder_would_have_given_nothing(value: str | bytes) -> None:
    """``FUTILE[name](v)`` lets extraction skip ``DECODERS[name](v)``: only where it raises
    DecodeError or returns an empty mapping or list."""
    for name, futile in FUTILE.items():
        if futile(value):
            try:
                decoded = DECODERS[name](value)
            except DecodeError:
                continue
            assert type(decoded) in (dict, list) and not decoded, (name, value, decoded)


@pytest.mark.parametrize(
    ("name", "value", "futile"),
    [
        ("url", "test/key", True),
        ("url", "a+b", False),
        ("url", "a%20b", False),
        ("url", b"test/key", False),  # bytes: decoded as usual
        ("cookie", "session", True),
        ("cookie", "a=b", False),
        ("xml", "<email>", True),
        ("xml", "<calling aws sdk with version>", True),
        ("xml", "<a>b</a>", False),
        ("xml", '<a b="c">', False),
        ("xml", "<!DOCTYPE x>", False),
    ],
)
def test_futile_on_the_common_values(name: str, value: str | bytes, futile: bool) -> None:
    assert FUTILE[name](value) is futile

"""Base64, standard and URL-safe alphabets, validating: a value with other characters is not base64.

``plausible`` tells a sniffed value from an ordinary word: the decoded bytes must be compressed
data, or mostly printable UTF-8 text.
"""

from __future__ import annotations

import binascii
import re

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES, MIN_PRINTABLE_RATIO, MIN_SNIFF_BASE64_CHARS
from ._text import as_bytes, as_text

_STANDARD = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_URLSAFE = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_SAMPLE = 4096  # bytes of a sniffed result checked for printability
_ESCAPED = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of an invalid byte


def _check_size(text: str) -> None:
    if len(text) * 3 // 4 > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"base64 of {len(text)} chars")


def decode(value: str | bytes) -> bytes:
    """Standard base64 (``+/``), padding required, whitespace-free; DecodeError otherwise."""
    text = as_text(value).strip()
    _check_size(text)
    import base64  # first use, not with the wrapper

    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DecodeError(f"invalid base64: {exc}") from None


def decode_url(value: str | bytes) -> bytes:
    """URL-safe base64 (``-_``), padding optional (JWT style); DecodeError otherwise."""
    text = as_text(value).strip()
    _check_size(text)
    if not _URLSAFE.fullmatch(text) or len(text) % 4 == 1:
        raise DecodeError("invalid base64url")
    import base64

    try:
        return base64.b64decode(
            text.rstrip("=").translate(_TO_STANDARD) + "=" * (-len(text.rstrip("=")) % 4),
            validate=True,
        )
    except (binascii.Error, ValueError) as exc:
        raise DecodeError(f"invalid base64url: {exc}") from None


_TO_STANDARD = str.maketrans("-_", "+/")


def looks_standard(text: str) -> bool:
    """Worth trying as standard base64: long enough, right length and alphabet."""
    return (
        len(text) >= MIN_SNIFF_BASE64_CHARS
        and len(text) % 4 == 0
        and _STANDARD.fullmatch(text) is not None
    )


def looks_urlsafe(text: str) -> bool:
    """Worth trying as base64url: long enough, has a URL-safe character and a digit (which
    ``Header-Names`` and ``kebab-case-words`` lack), right alphabet."""
    return (
        len(text) >= MIN_SNIFF_BASE64_CHARS
        and len(text) % 4 != 1
        and ("-" in text or "_" in text)
        and _URLSAFE.fullmatch(text) is not None
        and _DIGIT.search(text) is not None
    )


_DIGIT = re.compile(r"[0-9]")


def plausible(data: bytes) -> bool:
    """Compressed data, or UTF-8 text of which at least MIN_PRINTABLE_RATIO is printable."""
    if data[:2] == b"\x1f\x8b" or (
        len(data) > 1 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0
    ):
        return True
    head = data[:_SAMPLE]
    if head.isascii():  # the common case, decoded and counted in C
        if not head:
            return False
        printable = len(head.translate(None, _ASCII_UNPRINTABLE))
        return printable >= MIN_PRINTABLE_RATIO * len(head)
    # Invalid UTF-8 (most sniffed ids decode to binary) without raising: surrogateescape turns
    # each invalid byte into one lone surrogate, so the first one's index tells where a strict
    # decoding would have failed.
    text = head.decode("utf-8", "surrogateescape")
    bad = _ESCAPED.search(text)
    if bad is not None:
        text = text[: bad.start()]  # what decodes before the first invalid byte
        if len(text.encode("utf-8")) < len(head) - 3:  # not a character cut by the sample's end
            return False
    if not text:
        return False
    if text.translate(_DROP_SPACES).isprintable():
        return True
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n")
    return printable >= MIN_PRINTABLE_RATIO * len(text)


# ASCII bytes that str.isprintable() rejects, less the tab, CR and LF that text has.
_ASCII_UNPRINTABLE = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_DROP_SPACES = str.maketrans("", "", "\t\r\n")


def sniffed(text: str, urlsafe: bool) -> bytes | None:
    """``decode`` (``decode_url`` when ``urlsafe``) then ``plausible``, in one step, for a string
    that ``looks_standard``/``looks_urlsafe`` proposed: the decoded bytes, or None where those
    would raise DecodeError or reject the result (no exception on that common miss)."""
    text = text.strip()
    _check_size(text)
    if urlsafe:
        if not _URLSAFE.fullmatch(text) or len(text) % 4 == 1:
            return None
        bare = text.rstrip("=")
        text = bare.replace("-", "+").replace("_", "/") + "=" * (-len(bare) % 4)
    try:
        data = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    return data if plausible(data) else None


__all__ = [
    "as_bytes",
    "decode",
    "decode_url",
    "looks_standard",
    "looks_urlsafe",
    "plausible",
    "sniffed",
]

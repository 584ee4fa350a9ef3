"""The fast paths of sniffing give the answers of the plain decoders they stand for: ``sniff``'s
one-regex base64 test agrees with ``b64.looks_standard``/``looks_urlsafe``, ``b64.sniffed`` with
``decode``/``decode_url`` followed by ``plausible``, and ``plausible``'s ASCII shortcut with a
character count."""

from __future__ import annotations

import base64
import gzip
import os
import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventguard.runtime import decoders, limits
from eventguard.runtime.decoders import DECODERS, SNIFFED, b64, sniff
from eventguard.runtime.errors import DecodeError

_UUID = re.compile(
    r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9A-F]{8}(?:-[0-9A-F]{4}){3}-[0-9A-F]{12}"
)
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= .%\t"


def _old_base64_sniff(text: str) -> tuple[str, ...]:
    if " " in text or _UUID.fullmatch(text):
        return ()
    if b64.looks_standard(text):
        return ("base64",)
    if b64.looks_urlsafe(text):
        return ("base64url",)
    return ()


def _old_sniffed(name: str, text: str) -> bytes | None:
    try:
        decoded = DECODERS[name](text)
    except DecodeError:
        return None
    return decoded if b64.plausible(decoded) else None


def _base64_part(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if n.startswith("base64"))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=16, max_size=60))
def test_sniff_names_base64_as_the_two_alphabet_tests_do(text: str) -> None:
    names = sniff(text)
    if names and not _base64_part(names):
        return  # an earlier decoder (url, jwt, ...) was named: base64 is not tried
    assert _base64_part(names) == _old_base64_sniff(text)


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.binary(min_size=1, max_size=80),
        st.text(min_size=1, max_size=60).map(str.encode),
        st.sampled_from([gzip.compress(b"x"), b"\x78\x9c" + os.urandom(8), b"\x00\x01abc"]),
    ),
    st.booleans(),
)
def test_sniffed_base64_is_decode_then_plausible(data: bytes, urlsafe: bool) -> None:
    text = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data).decode()
    if urlsafe:
        text = text.rstrip("=")
    name = "base64url" if urlsafe else "base64"
    assert SNIFFED[name](text) == _old_sniffed(name, text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=16, max_size=40))
def test_sniffed_base64_rejects_what_decode_rejects(text: str) -> None:
    for name in ("base64", "base64url"):
        if name in sniff(text):
            assert SNIFFED[name](text) == _old_sniffed(name, text)


@settings(max_examples=3000, deadline=None)
@given(st.uuids(), st.booleans())
def test_a_uuid_is_never_plausible_base64url(value: uuid.UUID, upper: bool) -> None:
    text = str(value).upper() if upper else str(value)
    assert b64.looks_urlsafe(text)  # what sniff() would have named, before the UUID rule
    assert _old_sniffed("base64url", text) is None  # ... for nothing: never plausible
    assert sniff(text) == ()


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=limits.MIN_SNIFF_BASE64_CHARS - 1).filter(str.isalnum))
def test_short_alphanumeric_strings_are_never_sniffed(text: str) -> None:
    assert sniff(text) == ()  # what extraction assumes when it skips the call


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
SNIFF_PIECES = [" ", "Bearer ", JWT, "eyJ", ".", "QUJDRA", "abc", "{", "[", "<"]
SNIFF_PIECES += [">", "\n", "\t", "%", "%u", "%41", "&", "&amp;", "\\", "\\u0041", "=", "-", "_"]
SNIFF_PIECES += ["+", "/", "0", "MIME-Version: 1.0\n", "Subject: x\n"]


class _Always:
    """A stand-in for the prose shortcut's regex that never lets it answer."""

    @staticmethod
    def search(text: str) -> bool:
        return True


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(SNIFF_PIECES), max_size=12).map("".join))
def test_the_prose_shortcut_changes_no_answer(text: str) -> None:
    """sniff answers () at once for a text with a space and no character any decoder needs:
    the same answer as the full sequence of checks."""
    fast = sniff(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(decoders, "_SYNTAX", _Always)
        assert sniff(text) == fast

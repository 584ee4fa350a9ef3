"""Decoders: one module per encoding, registered in ``DECODERS``; strict and bounded.

A decoder is ``decode(value: str | bytes) -> str | bytes | object`` and raises ``DecodeError``
when the value does not have the encoding (or decoding changes nothing), or ``LimitExceeded``
before it would pass a limit of ``limits.py``. Its name is what a finding's path shows:
``Records[0].kinesis.data<base64><gzip><json>.logEvents[0].message``.

``sniff(text)`` names the decoders worth trying on a string whose encoding nobody declared. It
runs on every string, so it only looks at characters (no decoding); sniffed base64 must also
pass ``b64.plausible`` on its result before the decoded value is used (``SNIFF_CHECKS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..limits import MIN_SNIFF_BASE64_CHARS
from . import (
    b64,
    bytelist,
    cookies,
    escapes,
    graphql,
    htmltext,
    inflate,
    jsontext,
    jwt,
    mime,
    multipart,
    urltext,
    xmltext,
)

DECODERS: Mapping[str, Callable[[Any], Any]] = {
    "base64": b64.decode,
    "base64url": b64.decode_url,
    "gzip": inflate.decode,
    "json": jsontext.decode,
    "url": urltext.decode,
    "form": urltext.decode_form,
    "cookie": cookies.decode,
    "html": htmltext.decode,
    "unicode": escapes.decode,
    "multipart": multipart.decode,
    "mime": mime.decode,
    "xml": xmltext.decode,
    "bytes": bytelist.decode,
    "jwt": jwt.decode,
    "graphql": graphql.decode,
}

# Container formats whose raw text is their own syntax: once one parses to a mapping or a list,
# its keys and values replace the raw text.
STRUCTURED = frozenset({"multipart", "mime", "json", "graphql"})

# Markup read as one document when it is declared one (an XML Content-Type): parsed strictly,
# a well-formed document's parts, with the markup that acts (``xmltext.document``), replace its
# raw text as a container's do. Markup only sniffed is read as before, its raw text and what
# ``DECODERS`` finds in it, even with an XML declaration: a value reflected into a page (a query
# parameter, a JSON field) is HTML whatever it declares, and ``<form>``, ``<meta>`` or ``<link>``
# in it inject markup that no script-capable tag of a document stands for.
DOCUMENTS: Mapping[str, Callable[[Any], Any]] = {"xml": xmltext.document}

# Where a cheap test shows a decoder would give nothing to read (DecodeError, or an empty
# mapping or list): a declared ``url`` on an S3 key with no escape, ``<email>`` sniffed as XML.
# Extraction skips the call, and the exception it would raise.
FUTILE: Mapping[str, Callable[[Any], bool]] = {
    "url": urltext.futile,
    "cookie": cookies.futile,
    "xml": xmltext.futile,
}

# A sniffed (undeclared) decoding is kept only if its result passes this check.
SNIFF_CHECKS: Mapping[str, Callable[[Any], bool]] = {
    "base64": b64.plausible,
    "base64url": b64.plausible,
}
# The decoding and its check in one step, for a string that ``sniff`` named: the result, or None
# where the decoder would raise DecodeError or the check reject it (most sniffed base64 is an
# id or a token that decodes to binary: no exception is raised for that miss).
SNIFFED: Mapping[str, Callable[[str], Any]] = {
    "base64": lambda text: b64.sniffed(text, False),
    "base64url": lambda text: b64.sniffed(text, True),
}


def sniff(text: str) -> tuple[str, ...]:
    """Decoders that a value's characters suggest: cheap, so it runs on every string (substring
    tests first; a regular expression only when a telltale character is present)."""
    if len(text) < 3:
        return ()
    if (
        len(text) <= _SHORT_PROSE
        and " " in text
        and _SYNTAX.search(text) is None
        and "eyJ" not in text[:10]
    ):
        return ()  # prose: each decoder below needs one of these, or a JWT, or no space
    first = text[0]
    if first in " \t\r\n":
        first = text.lstrip()[:1]
    if first in ("{", "[") and jsontext.looks_like(text):
        return ("json",)
    if first == "<" and text.rstrip()[-1:] == ">":
        return ("xml",)
    if first.isalpha() and "\n" in text and mime.looks_like(text):
        return ("mime",)
    found: tuple[str, ...] = ()
    if "%" in text and urltext.looks_encoded(text):
        found += ("url",)
    if "&" in text and htmltext.looks_encoded(text):
        found += ("html",)
    if ("\\" in text or "%u" in text) and escapes.looks_encoded(text):
        found += ("unicode",)
    if found or len(text) < MIN_SNIFF_BASE64_CHARS:
        return found
    if "eyJ" in text[:10] and jwt.looks_like(text):
        return ("jwt",)
    # b64.looks_standard, then b64.looks_urlsafe, with one regular expression for both.
    if " " in text or _BASE64_ISH.fullmatch(text) is None:
        return ()
    if "-" not in text and "_" not in text:
        return ("base64",) if len(text) % 4 == 0 else ()
    if "+" in text or "/" in text or len(text) % 4 == 1 or _DIGIT.search(text) is None:
        return ()
    if len(text) == 36 and _UUID.fullmatch(text):
        # A UUID (request and message ids are everywhere) is base64url of bytes that are never
        # plausible(): its first dash starts a quad that decodes to a byte 0xF8-0xFB, invalid
        # anywhere in UTF-8, at byte 6 of 27; in one letter case its first byte is neither a
        # gzip nor a zlib header. Not decoding it changes nothing found.
        return ()
    return ("base64url",)


# What some decoder needs in a text with a space: a JSON or XML start, a line break (an
# email's headers), a percent, ampersand or backslash escape.
_SYNTAX = re.compile(r"[{\[<\n%&\\]")
# Up to this length one regex pass beats the checks below, which are each a call; past it the
# regex engine's character-class scan is slower than their substring searches (in C, vectorised):
# on 1 KB notes, applying it to every length made a 6 MB body's extraction 50% slower.
_SHORT_PROSE = 128
_BASE64_ISH = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")  # either alphabet
_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"
)
_DIGIT = re.compile(r"[0-9]")

# The characters some decoder of ``sniff`` needs (JSON, XML, an email's line break, percent,
# HTML and backslash escapes), and the base64 alphabets.
_MARKS = r"{\[<\n%&\\"
_B64 = r"A-Za-z0-9+/_\-"
# A string that ``sniff`` names no decoder for, recognised by one match in C instead of its
# Python checks (extraction calls ``sniff`` only where this does not match; most event strings
# are names, flags, ids and host names). Either shorter than MIN_SNIFF_BASE64_CHARS with no mark,
# or no JWT start (``eyJ`` in the first ten characters) and, with no mark:
# not base64-shaped (a character of neither alphabet, a ``=`` before the end);
# the standard alphabet at a length that is not a multiple of four;
# a dash or underscore but no digit (header names: ``X-Forwarded-Proto``); or a UUID.
# Possessive repeats over disjoint classes keep the match linear. Worth calling up to
# QUIET_MAX_CHARS: past it sniff's substring searches (vectorised) beat one regex pass.
_QUIET_SHORT = rf"[^{_MARKS}]*+"
_QUIET_LONG = (
    r"(?!.{0,7}eyJ)(?:"
    rf"[{_B64}]*+(?:[^{_B64}={_MARKS}]|=[^={_MARKS}]|==[^{_MARKS}])[^{_MARKS}]*+"
    r"|(?:[A-Za-z0-9+/]{4})*+[A-Za-z0-9+/]{1,3}"
    r"|[A-Za-z+/]*+[_-][A-Za-z+/_-]*+"
    rf"|{_UUID.pattern})"
)
QUIET = re.compile(
    rf"(?!.{{{MIN_SNIFF_BASE64_CHARS}}}){_QUIET_SHORT}|{_QUIET_LONG}", re.DOTALL
).fullmatch
# QUIET's answer in one pass, for a string known to be shorter than MIN_SNIFF_BASE64_CHARS (no
# mark: its other branches take no mark either) and for one known to be as long or longer (its
# first branch cannot match): extraction knows each string's length, QUIET finds it again.
QUIET_SHORT = re.compile(_QUIET_SHORT).fullmatch
QUIET_LONG = re.compile(_QUIET_LONG, re.DOTALL).fullmatch
QUIET_MAX_CHARS = _SHORT_PROSE


def sniff_bytes(data: bytes) -> tuple[str, ...]:
    """Decoders worth trying on bytes (the output of base64): compressed data."""
    return ("gzip",) if inflate.is_compressed(data) else ()

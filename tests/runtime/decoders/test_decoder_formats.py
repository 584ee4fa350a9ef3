"""Each decoder: valid input, invalid input (DecodeError), and past each limit (LimitExceeded,
raised before the work is done)."""

from __future__ import annotations

import base64
import gzip
import os
import zlib

import pytest

from eventguard.runtime import limits
from eventguard.runtime.decoders import (
    DECODERS,
    b64,
    bytelist,
    cookies,
    escapes,
    htmltext,
    inflate,
    jsontext,
    multipart,
    sniff,
    urltext,
    xmltext,
)
from eventguard.runtime.errors import DecodeError, LimitExceeded


def test_registry_names_the_decoders() -> None:
    assert set(DECODERS) >= {
        "base64",
        "base64url",
        "gzip",
        "json",
        "url",
        "form",
        "html",
        "unicode",
        "multipart",
        "xml",
        "cookie",
        "bytes",
    }


# base64 ---------------------------------------------------------------------------------------


def test_base64_decodes_standard_alphabet() -> None:
    assert b64.decode(base64.b64encode(b"<svg onload=1>").decode()) == b"<svg onload=1>"


@pytest.mark.parametrize("text", ["abc$", "=YWJ", "YW Jj", "YWJ", "-_-_"])
def test_rejects_invalid_base64(text: str) -> None:
    with pytest.raises(DecodeError):
        b64.decode(text)


def test_base64url_decodes_unpadded_jwt_segment() -> None:
    segment = base64.urlsafe_b64encode(b'{"sub":"1??>"}').decode().rstrip("=")
    assert "-" in segment or "_" in segment or segment
    assert b64.decode_url(segment) == b'{"sub":"1??>"}'


@pytest.mark.parametrize("text", ["ab+c", "a", "abcde"])
def test_rejects_invalid_base64url(text: str) -> None:
    with pytest.raises(DecodeError):
        b64.decode_url(text)


def test_rejects_base64_past_decoded_size_before_decoding() -> None:
    huge = "A" * (limits.MAX_DECODED_BYTES * 4 // 3 + 8)
    with pytest.raises(LimitExceeded) as info:
        b64.decode(huge)
    assert info.value.limit == "MAX_DECODED_BYTES"


def test_plausible_accepts_text_json_and_compressed_data() -> None:
    assert b64.plausible(b"hello world, this is text")
    assert b64.plausible(gzip.compress(b"x"))
    assert b64.plausible(zlib.compress(b"x"))


def test_rejects_random_bytes_as_implausible() -> None:
    assert not b64.plausible(bytes(range(0, 256, 7)) * 3)
    assert not b64.plausible(b"\x00\x01\x02\x03abc")


@pytest.mark.parametrize(
    "word",
    [
        "administrator123",
        "abcdefghijklmnop",
        "Internationalization",
        "ThisIsAPascalCaseIdentifier1",
    ],
)
def test_ordinary_words_are_not_taken_for_base64(word: str) -> None:
    names = sniff(word)
    if names:  # the shape may suggest base64; the decoded bytes must then be rejected
        assert names in (("base64",), ("base64url",))
        decoded = DECODERS[names[0]](word)
        assert not b64.plausible(decoded)


def test_short_strings_are_never_sniffed_as_base64() -> None:
    assert sniff("dGVzdA==") == ()  # "test": too short to be worth trying
    assert sniff(base64.b64encode(b"a longer plain sentence").decode()) == ("base64",)


# gzip / zlib ----------------------------------------------------------------------------------


def test_gzip_and_zlib_decode() -> None:
    assert inflate.decode(gzip.compress(b"payload")) == b"payload"
    assert inflate.decode(zlib.compress(b"payload")) == b"payload"
    assert inflate.decode(gzip.compress(b"a") + gzip.compress(b"b")) == b"ab"


@pytest.mark.parametrize(
    "data", [b"not compressed", gzip.compress(b"payload" * 10)[:-12], b"\x1f\x8bgarbage"]
)
def test_rejects_invalid_or_truncated_gzip(data: bytes) -> None:
    with pytest.raises(DecodeError):
        inflate.decode(data)


def test_rejects_gzip_bomb_by_ratio_without_inflating_it() -> None:
    bomb = gzip.compress(b"\0" * (limits.MIN_DECOMPRESSED_BYTES * 200))
    with pytest.raises(LimitExceeded) as info:
        inflate.decode(bomb)
    assert info.value.limit == "MAX_DECOMPRESSION_RATIO"


def test_rejects_concatenated_members_past_the_cap() -> None:
    member = gzip.compress(b"\0" * limits.MIN_DECOMPRESSED_BYTES)
    with pytest.raises(LimitExceeded):
        inflate.decode(member * 3)


def test_compressed_random_data_within_ratio_decodes() -> None:
    data = os.urandom(200_000)
    assert inflate.decode(gzip.compress(data)) == data


# JSON -----------------------------------------------------------------------------------------


def test_json_decodes() -> None:
    assert jsontext.decode('{"a": [1, "b"]}') == {"a": [1, "b"]}
    assert jsontext.looks_like(' {"a": 1} ') and not jsontext.looks_like("{a")


@pytest.mark.parametrize("text", ["{", "{'a': 1}", "[1,]", "NaNx"])
def test_rejects_invalid_json(text: str) -> None:
    with pytest.raises(DecodeError):
        jsontext.decode(text)


def test_rejects_deep_json_as_a_limit() -> None:
    with pytest.raises(LimitExceeded) as info:
        jsontext.decode("[" * 200_000 + "]" * 200_000)
    assert info.value.limit == "MAX_NESTING_DEPTH"


def test_rejects_json_past_decoded_size() -> None:
    with pytest.raises(LimitExceeded):
        jsontext.decode('"' + "a" * limits.MAX_DECODED_BYTES + '"')


# URL, form, cookie ----------------------------------------------------------------------------


def test_url_decodes_form_style() -> None:
    assert urltext.decode("a+b%3Cc%3E") == "a b<c>"


def test_rejects_text_that_is_not_url_encoded() -> None:
    with pytest.raises(DecodeError):
        urltext.decode("plain")


def test_form_decodes_pairs_and_repeats() -> None:
    assert urltext.decode_form("a=1&b=x+y&a=%27&c") == {"a": ["1", "'"], "b": "x y", "c": ""}


def test_rejects_form_with_too_many_pairs() -> None:
    with pytest.raises(LimitExceeded):
        urltext.decode_form("a=1&" * (limits.MAX_FIELDS + 1))


def test_cookie_header_splits_and_decodes() -> None:
    assert cookies.decode('sid=a%27b; theme="dark"; flag') == {"sid": "a'b", "theme": "dark"}
    with pytest.raises(DecodeError):
        cookies.decode("no-pairs-here")


# HTML entities, unicode escapes, byte arrays ---------------------------------------------------


def test_html_entities_decode() -> None:
    assert htmltext.decode("&lt;script&gt;&#x61;&#98;") == "<script>ab"
    assert htmltext.looks_encoded("a &amp; b") and not htmltext.looks_encoded("a & b")
    with pytest.raises(DecodeError):
        htmltext.decode("a & b")


def test_a_query_string_parameter_is_no_html_reference() -> None:
    """``&para=`` and ``&not=`` are parameters (HTML5 leaves them alone in an attribute), not
    pilcrows and negations; a real reference beside them is still decoded."""
    query = "parameter1=value1&parameter2=value&notify=1&copy=2"
    assert not htmltext.looks_encoded(query)
    assert htmltext.looks_encoded("q=&ltscript&gt&x=1") and htmltext.looks_encoded("a=&#60;")
    assert htmltext.decode("q=&lt;b&gt;&para=1&not=2") == "q=<b>&para=1&not=2"
    assert htmltext.decode("&ltimg src=x&gt; &para") == "<img src=x> \u00b6"


def test_unicode_escapes_decode() -> None:
    assert escapes.decode(r"\u003cimg\x20src%u003e\U0001F600") == "<img src>\U0001f600"
    with pytest.raises(DecodeError):
        escapes.decode(r"\q nothing")


def test_byte_arrays_decode_signed_java_bytes() -> None:
    assert bytelist.decode([104, 105]) == "hi"
    assert bytelist.decode([-61, -87]) == "é"
    for bad in ("text", [1, "a"], [300], [True]):
        with pytest.raises(DecodeError):
            bytelist.decode(bad)


# multipart --------------------------------------------------------------------------------------

BODY = (
    '--B\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhello\r\n'
    '--B\r\nContent-Disposition: form-data; name="f"; filename="a\\"b.png"\r\n'
    "Content-Type: image/png\r\n\r\n\x89PNG\r\n--B--\r\n"
)


def test_multipart_extracts_values_filenames_and_contents() -> None:
    assert multipart.decode(BODY) == {
        "comment": "hello",
        "f": {"filename": 'a"b.png', "content": "\x89PNG"},
    }


def test_rejects_body_without_boundary_line() -> None:
    with pytest.raises(DecodeError):
        multipart.decode("name=value")


def test_rejects_multipart_with_too_many_parts() -> None:
    part = '--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n'
    with pytest.raises(LimitExceeded):
        multipart.decode(part * (limits.MAX_MULTIPART_PARTS + 2) + "--B--")


# XML --------------------------------------------------------------------------------------------


def test_xml_extracts_text_attributes_and_doctype() -> None:
    doc = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<r a="1&amp;2"><b>t&lt;1</b><![CDATA[<raw>]]><!-- c --><e/></r>'
    )
    out = xmltext.decode(doc)
    assert out["doctype"] == '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    assert out["r@a"] == "1&2"
    assert out["r/b"] == "t<1"
    assert out["r"] == "<raw>"
    assert out["processing-instruction"] == '<?xml version="1.0"?>'


def test_rejects_text_without_markup_as_xml() -> None:
    with pytest.raises(DecodeError):
        xmltext.decode("just text")


def test_rejects_deep_xml() -> None:
    with pytest.raises(LimitExceeded):
        xmltext.decode("<a>" * (limits.MAX_NESTING_DEPTH + 2))


def test_rejects_xml_with_too_many_items() -> None:
    with pytest.raises(LimitExceeded):
        xmltext.decode('<a x="1"/>' * (limits.MAX_XML_ITEMS + 1))


# JWT --------------------------------------------------------------------------------------------


def _jwt(payload: dict) -> str:
    import json

    seg = lambda doc: base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")  # noqa: E731
    return f"{seg({'alg': 'HS256', 'typ': 'JWT'})}.{seg(payload)}.c2lnbmF0dXJl"


def test_jwt_claims_decode_with_or_without_bearer() -> None:
    from eventguard.runtime.decoders import jwt

    token = _jwt({"sub": "1' OR '1'='1"})
    assert jwt.decode(token)["payload"] == {"sub": "1' OR '1'='1"}
    assert jwt.decode(f"Bearer {token}")["header"]["alg"] == "HS256"
    assert sniff(f"Bearer {token}") == ("jwt",)


@pytest.mark.parametrize("text", ["a.b.c", "eyJhbGciOiJIUzI1NiJ9.bm90anNvbg.sig", "eyJ.only"])
def test_rejects_what_is_not_a_jwt(text: str) -> None:
    from eventguard.runtime.decoders import jwt

    with pytest.raises(DecodeError):
        jwt.decode(text)

"""``b64.plausible`` finds where UTF-8 turns invalid without raising (surrogateescape), and must
answer as the strict decode it replaced: invalid bytes early are binary, a character cut by the
end of the sample is not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventguard.runtime import limits
from eventguard.runtime.decoders import b64


def _strict(data: bytes) -> bool:
    """plausible() as written with a strict decode and its exception."""
    if data[:2] == b"\x1f\x8b" or (
        len(data) > 1 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0
    ):
        return True
    head = data[:4096]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    if not text:
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n")
    return printable >= limits.MIN_PRINTABLE_RATIO * len(text)


_UTF8_PIECES = st.sampled_from(
    [
        *(b"a", b"\n", b"\x00", "é".encode(), "€".encode(), "😀".encode()),
        *(b"\xe2\x82", b"\xf0\x9f", b"\xed\xa0\x80", b"\xc0\xaf", b"\xff", b"\x80"),
        b"\xf4\x90\x80\x80",
    ]
)


@settings(max_examples=4000, deadline=None)
@given(st.lists(_UTF8_PIECES, max_size=12).map(b"".join))
def test_plausible_answers_as_a_strict_decode(data: bytes) -> None:
    assert b64.plausible(data) == _strict(data)


@pytest.mark.parametrize(
    "data",
    [
        b"plain text \xe2\x82",  # the euro sign cut by the sample's end: text
        b"plain text \xe2\x82\xac\xe2",
        b"\xff\xfe binary",
        b"ab\x80cdefgh",
        ("x" * 4094).encode() + "€".encode(),  # cut by the 4096-byte sample
        ("x" * 4000).encode() + b"\xff" * 200,
    ],
)
def test_plausible_edge_cases(data: bytes) -> None:
    assert b64.plausible(data) == _strict(data)


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=64),
        st.text(max_size=64).map(str.encode),
        st.text(alphabet="ab \t\r\n\x00\x07\x7f\x1f", max_size=64).map(str.encode),
    )
)
def test_plausible_counts_printable_characters(data: bytes) -> None:
    assert b64.plausible(data) == _strict(data)  # compressed headers included

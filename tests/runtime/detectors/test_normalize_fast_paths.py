"""The fast paths of ``_normalize.decode_once`` (and of the routing of rewritten characters)
give what the plain steps give.

``decode_once`` skips the UTF-8 run regex when no continuation follows a lead byte
(``_has_run``), normalizes a long text to NFKC in pieces cut after a space (``_nfkc``) and
replaces look-alikes by substring tests (``_unconfuse``). These tests pin each shortcut to the
plain step, and a whole decoding to a reference written with the plain steps, on crafted texts
and random mixtures of escapes, entities, UTF-8 runs, compatibility forms and combining marks.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata

import pytest

from eventguard.runtime.detectors import _normalize

_SURROGATES = range(0xD800, 0xE000)
_BMP = [chr(c) for c in range(0x10000) if c not in _SURROGATES]

_PIECES = [
    *"ab <>/.'\"&%;\\\n\t",
    "café",
    "cafe\u0301",
    "A\u0303",
    "\u0301",
    "\u0327\u0301",
    "\u1100\u1161",  # Hangul L + V: composes to one syllable
    "\u11a8",  # a trailing jamo: composes with a syllable before it
    "\u2026",  # ellipsis -> ...
    "\ufb01",  # ligature fi
    "\u2033",  # double prime -> two primes, each a look-alike
    "\u00b4",  # acute accent -> space + combining acute
    "\uff1cscript\uff1e",
    "\u2215",
    "\u200b",
    "\xa0",
    "\xc3\xa9",
    "\xc0\xae",
    "\xe2\x80\xa6",
    "\xc3",
    "\xa9",
    "\xe9\xbb",
    "%c0%ae",
    "%25",
    "%3c",
    "%u2215",
    "\\u003c",
    "\\x26",
    "&amp;",
    "&lt",
    "&#60;",
    "&#x26;",
    "\uff05",  # fullwidth percent
    "\uff06lt;",
    "\u65e5\u672c",
    "\U0001f600",
]


def _reference_once(text: str) -> str:
    """``decode_once`` written with the plain steps (no shortcut)."""
    text = _normalize._PERCENT_U.sub(_normalize._percent_u, text)
    text = _normalize._PERCENT.sub(_normalize._percent, text)
    text = _normalize._JS_ESCAPE.sub(_normalize._js_escape, text)
    text = _normalize._UTF8_RUN.sub(_normalize._utf8_run, text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_normalize._CONFUSABLES)
    if _normalize._HTML_ENTITY.search(text):
        text = html.unescape(text)
    return text


def _mixture(rnd: random.Random, size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        out.append(rnd.choice(_PIECES))
        length += len(out[-1])
    return "".join(out)


@pytest.mark.parametrize("seed", range(4))
def test_decoding_matches_the_plain_steps_on_mixtures(seed):
    rnd = random.Random(seed)
    for _ in range(60):
        text = _mixture(rnd, rnd.choice((20, 300, 700, 1500, 4096)))
        assert _normalize.decode_once(text) == _reference_once(text), repr(text)
        expected = text
        for _ in range(_normalize.MAX_ROUNDS):
            decoded = _reference_once(expected)
            if decoded == expected:
                break
            expected = decoded
        assert _normalize.decode(text) == expected, repr(text)


@pytest.mark.parametrize("seed", range(3))
def test_nfkc_in_pieces_is_nfkc_of_the_whole(seed):
    rnd = random.Random(seed)
    for _ in range(100):
        text = _mixture(rnd, rnd.choice((513, 1024, 4096)))
        assert _normalize._nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


def test_a_space_separates_what_nfkc_does_on_either_side():
    """What ``_nfkc`` relies on, for every BMP character ``c``: the text before a space and the
    text after it normalize as they do on their own (with a combining mark or a conjoining
    jamo after ``c``, and one at the start of the second piece)."""
    nfkc = unicodedata.normalize
    for c in _BMP:
        for tail in ("", "\u0301", "\u11a8"):
            left, right = c + tail + " ", tail + c + tail
            assert nfkc("NFKC", left + right) == nfkc("NFKC", left) + nfkc("NFKC", right), hex(
                ord(c)
            )


def test_has_run_is_true_wherever_the_utf8_regex_matches():
    """``_has_run`` is False only where ``_UTF8_RUN`` finds nothing: every lead byte before
    every continuation (also with a wide character between them, which the Latin-1 encoding
    drops), and random texts of leads, continuations and other characters."""
    leads = [chr(c) for c in range(0xC0, 0xFE)]
    continuations = [chr(c) for c in range(0x80, 0xC0)]
    for lead in leads:
        for cont in continuations:
            assert _normalize._has_run("ab " + lead + cont + " cd")
            assert _normalize._has_run(lead + "\u65e5" + cont)
    rnd = random.Random(11)
    alphabet = [*leads[:4], *leads[-3:], *continuations[:3], *continuations[-3:], "a", " ", "é"]
    alphabet += ["\xfe", "\xff", "\x7f", "\u65e5", "\U0001f600"]
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(30)))
        if not _normalize._has_run(text):
            assert _normalize._UTF8_RUN.search(text) is None, repr(text)


def test_shortcuts_skip_no_text_they_must_decode():
    assert _normalize._has_run("caf\xc3\xa9")
    assert not _normalize._has_run("café naïve \u65e5\u672c \u2026 \xa9 10\xb0 \xe9 \xbb")
    assert _normalize._unconfuse("x" * 200 + "\u2019") == "x" * 200 + "'"
    assert _normalize.decode("caf\xc3\xa9 \u2026 \u2033") == "café ... ''"
    long = "word " * 120 + "\u2026" + " word" * 120 + " A\u0303"
    assert _normalize._nfkc(long) == unicodedata.normalize("NFKC", long)
    assert re.search("\u00c3$", _normalize._nfkc(long))


def test_routing_finds_rewritten_characters_where_their_regex_does():
    """``_routes._where`` (byte searches in Latin-1 text, else the regex) gives the positions
    of the class's matches, and ``_has_controls`` whether ``_CONTROL`` finds one, in Latin-1
    and wide texts alike."""
    from eventguard.runtime.detectors import _routes

    alphabet = [*map(chr, range(0x100)), "\u0304", "\u65e5", "\U0001f600", "a", " ", "\\"]
    rnd = random.Random(5)
    for _ in range(4000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(40)))
        for rx in (_routes._PATH_REWRITES, _routes._CONTROL):
            assert list(_routes._where(text, rx)) == [m.start() for m in rx.finditer(text)]
        assert _routes._has_controls(text) == (_routes._CONTROL.search(text) is not None)

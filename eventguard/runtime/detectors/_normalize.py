"""Shared, bounded normalization: the views of one text that every detector reads.

Attackers hide the same payload behind encodings a backend will undo: URL encoding (repeated,
``%u2215``, overlong UTF-8 such as ``%c0%ae``), HTML character references, JavaScript/JSON
escapes (``\\u003c``, ``\\x3c``), fullwidth and compatibility forms (``＜script＞``), look-alike
slashes and dots. ``views(text)`` undoes them once per text (a small cache shares the result
between all detectors of one ``scan``) and hands out:

- ``raw``: the text as received;
- ``text``: the decoded text (each step applied until it no longer changes anything, at most
  ``MAX_ROUNDS`` times, each step linear, so the whole is linear);
- ``low``: ``text`` lower-cased (case tricks such as ``UnIoN`` or ``${LoWeR:j}``).

Every step is a ``str`` method or a compiled regex without nested quantifiers: linear time.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from typing import NamedTuple

from ..model import Match

MAX_ROUNDS = 4  # decode rounds (double/triple URL encoding, entity-in-URL, ...)

_PERCENT_U = re.compile(r"%u([0-9a-fA-F]{4})")
_PERCENT = re.compile(r"%([0-9a-fA-F]{2})")
_JS_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\}|x([0-9a-fA-F]{2}))")
# A lead byte of a (possibly overlong) UTF-8 sequence followed by continuation bytes, where the
# bytes arrived as Latin-1 characters (percent-decoded or mis-decoded upstream).
_UTF8_RUN = re.compile(r"[\xc0-\xfd][\x80-\xbf]{1,5}")
_HTML_ENTITY = re.compile(r"&(?:#|[a-zA-Z]{2,8};)")

# Look-alikes that NFKC keeps apart but that path and URL parsers have been fooled by.
_CONFUSABLES = str.maketrans(
    {
        "\u2215": "/",  # division slash
        "\u2044": "/",  # fraction slash
        "\u29f8": "/",  # big solidus
        "\u2216": "\\",  # set minus
        "\u29f5": "\\",  # reverse solidus operator
        "\u29f9": "\\",  # big reverse solidus
        "\u2024": ".",  # one dot leader
        "\u3002": ".",  # ideographic full stop
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u2032": "'",  # prime
        "\u2033": '"',  # double prime
        "\u201d": '"',
        "\u00a0": " ",
        "\u200b": "",  # zero-width space
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
    }
)
_LOOK_ALIKES = tuple((chr(c), r) for c, r in _CONFUSABLES.items())
_CONFUSABLE = re.compile("[" + "".join(map(chr, _CONFUSABLES)) + "]")
_SHORT = 128  # below this length one regex class search costs less than the C shortcuts
# Each Latin-1 byte's kind for ``_has_run``: 1 a lead byte, 2 a continuation, 0 another byte.
_BYTE_KINDS = bytes(1 if 0xC0 <= b <= 0xFD else 2 if 0x80 <= b <= 0xBF else 0 for b in range(256))
_NFKC_PIECE = 256  # NFKC normalizes a long text in pieces of about this many characters

_LEADS = ((0xE0, 0x1F, 2), (0xF0, 0x0F, 3), (0xF8, 0x07, 4), (0xFC, 0x03, 5), (0xFE, 0x01, 6))


def _utf8_run(m: re.Match[str]) -> str:
    """Decode one lenient UTF-8 sequence (overlong forms included), or keep it as it was."""
    run = m.group(0)
    lead = ord(run[0])
    mask, length = next(((m, n) for bound, m, n in _LEADS if lead < bound), (0, 0))
    if not length:  # the regex admits no lead byte above 0xfd
        return run
    if len(run) < length:
        return run
    value = lead & mask
    for ch in run[1:length]:
        value = (value << 6) | (ord(ch) & 0x3F)
    if value >= 0x110000 or 0xD800 <= value < 0xE000:
        return run
    if lead < 0xC2 and chr(value).isalnum():  # an overlong letter is noise, not a disguise
        return run
    return chr(value) + run[length:]


def _percent_u(m: re.Match[str]) -> str:
    return chr(int(m.group(1), 16))


def _percent(m: re.Match[str]) -> str:
    return chr(int(m.group(1), 16))


def _js_escape(m: re.Match[str]) -> str:
    digits = m.group(1) or m.group(2) or m.group(3)
    value = int(digits, 16)
    if value >= 0x110000 or 0xD800 <= value < 0xE000:
        return m.group(0)
    return chr(value)


def _unconfuse(text: str) -> str:
    """``text.translate(_CONFUSABLES)``, one ``str.replace`` per look-alike the text holds:
    ``translate`` reads every character through a dict (about 50 ns each, 200 µs for a 4 KB
    field with one curly quote), a regex class search about 6 ns in a wide text, while a
    substring test of one character is a C ``memchr`` (twenty of them: about 1.5 µs; one
    regex search costs less in a short text). A replacement is ASCII or nothing, so it never
    makes another look-alike, and each look-alike is replaced on its own: the order of the
    replacements does not matter."""
    if len(text) < _SHORT and _CONFUSABLE.search(text) is None:
        return text
    for char, replacement in _LOOK_ALIKES:
        if char in text:
            text = text.replace(char, replacement)
    return text


def _has_run(text: str) -> bool:
    """Whether ``_UTF8_RUN`` may find something in ``text``: False only when no character of
    ``[\\xc0-\\xfd]`` stands just before one of ``[\\x80-\\xbf]``, as every run starts.
    The regex, led by a class, stops at every accented letter (a lead byte as Latin-1) to
    try a match, about 6 ns a character. Here the text is encoded to Latin-1 (the other
    characters dropped: that can only bring a lead and a continuation together, never part
    them), each byte mapped to its kind (lead, continuation, other) and the pair searched:
    C loops over bytes, about 1.5 ns a character."""
    kinds = text.encode("latin-1", "ignore").translate(_BYTE_KINDS)
    return b"\x01\x02" in kinds


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, a long text in pieces cut after a space, each
    piece normalized on its own: a piece already in NFKC comes back at the cost of a quick
    check, while the whole is decomposed and recomposed as soon as one character needs it
    (about 17 ns a character: 70 µs for a 4 KB field with one ellipsis). The pieces normalize
    as the whole does: a space (ASCII) is a starter (combining class 0) that no normalization
    form changes, composes with no character before or after it, and stops the reordering of
    combining marks, so no character on one side of it changes what becomes of the other."""
    if len(text) <= 2 * _NFKC_PIECE:
        return unicodedata.normalize("NFKC", text)
    pieces = []
    pos, n = 0, len(text)
    while pos < n:
        cut = text.find(" ", pos + _NFKC_PIECE)
        end = n if cut < 0 else cut + 1
        pieces.append(unicodedata.normalize("NFKC", text[pos:end]))
        pos = end
    return "".join(pieces)


def decode_once(text: str) -> str:
    """One round of every decoding step; each is skipped when its marker is absent."""
    if "%" in text:
        if "%u" in text or "%U" in text:
            text = _PERCENT_U.sub(_percent_u, text)
        text = _PERCENT.sub(_percent, text)
    if "\\" in text and ("\\u" in text or "\\x" in text):
        text = _JS_ESCAPE.sub(_js_escape, text)
    if not text.isascii():
        if len(text) < _SHORT or _has_run(text):  # (in a short text the regex costs less)
            text = _UTF8_RUN.sub(_utf8_run, text)
        text = _nfkc(text)
        text = _unconfuse(text)
    if "&" in text and _HTML_ENTITY.search(text):
        text = html.unescape(text)
    return text


def decode(text: str) -> str:
    """``decode_once`` until nothing changes, at most MAX_ROUNDS times."""
    for _ in range(MAX_ROUNDS):
        decoded = decode_once(text)
        if decoded == text:
            break
        text = decoded
    return text


class Views(NamedTuple):
    """The raw text, its decoded form and the decoded form lower-cased (a named tuple: immutable
    and cheap to build, which matters once per scanned text)."""

    raw: str
    text: str
    low: str

    @property
    def changed(self) -> bool:
        return self.text is not self.raw


def make(text: str) -> Views:
    """The views of ``text`` (no cache)."""
    if text.isascii() and "%" not in text and "\\" not in text and "&" not in text:
        return Views(text, text, text.lower())  # nothing to decode: every step would skip
    decoded = decode(text)
    if decoded == text:
        decoded = text
    return Views(text, decoded, decoded.lower())


_cache = threading.local()


def views(text: str) -> Views:
    """The views of ``text``, shared by the detectors that look at the same text in a row."""
    last: Views | None = getattr(_cache, "last", None)
    if last is not None and last.raw is text:
        return last
    made = make(text)
    _cache.last = made
    return made


def hit(v: Views, start: int, end: int, detail: str) -> Match:
    """A Match in raw-text offsets for a span found in ``v.low`` (or ``v.raw``): the same offsets
    when decoding kept the length, else the start of the raw text (the excerpt is short anyway)."""
    if len(v.low) != len(v.raw):
        start, end = 0, min(len(v.raw), 1 + end - start)
    return Match(start, end, detail)


def words(*alternatives: str) -> str:
    """A regex alternation of words, each preceded by a word boundary written *after* its first
    letter (``s(?<![0-9a-z_]s)elect``). Every alternative then starts with a literal, so the
    regex engine jumps between candidate first letters in C instead of trying every position."""
    out = []
    for alt in alternatives:
        first = re.escape(alt[0])
        out.append(f"{first}(?<![0-9a-z_]{first}){alt[1:]}")
    return "|".join(out)


def any_in(text: str, needles: tuple[str, ...]) -> bool:
    """One of ``needles`` is a substring of ``text`` (each test is a C substring search)."""
    return any(needle in text for needle in needles)


Parts = tuple[tuple[str, re.Pattern[str]], ...]


def leftmost(text: str, parts: Parts, best: int = -1, target: str | None = None) -> int:
    """The leftmost start of a match of one of ``parts`` (needle, regex) in ``target`` (default:
    ``text``), each regex searched only when its needle is in ``text``; or ``best`` when that is
    further left (-1: none). With ``match_at``, a big alternation is searched through small
    literal-first pieces, which the regex engine skips to in C."""
    if target is None:
        target = text
    for needle, rx in parts:
        if needle in text:
            m = rx.search(target)
            if m and (best < 0 or m.start() < best):
                best = m.start()
    return best


def match_at(rx: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    """``rx.search(text)`` when ``start`` is the leftmost start of a match of one of its
    alternatives (-1: none)."""
    if start < 0:
        return None
    return rx.match(text, start) or rx.search(text, start)


def positions(text: str, needle: str, limit: int) -> list[int] | None:
    """Where ``needle`` stands in ``text`` (C searches), or None when it stands there more than
    ``limit`` times: a caller then tries its pattern everywhere instead of at each position."""
    found: list[int] = []
    pos = text.find(needle)
    while pos >= 0:
        if len(found) == limit:
            return None
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found

"""CRLF injection and HTTP response splitting (CWE-93, CWE-113): a line break, then a header.

What it catches
    A carriage return or line feed, in any encoding (raw, ``%0d%0a``, ``%u000a``, a JSON or
    JavaScript escape written out as ``\\r\\n``, or the Unicode characters whose low byte is
    CR or LF such as ``嘊`` U+560A and ``嘍`` U+560D, which some servers truncate to a byte),
    or a Unicode line separator (NEL, U+2028, U+2029, which ``str.splitlines`` and JavaScript
    split on), followed by HTTP syntax: a header name that servers act on (``Set-Cookie:``,
    ``Location:``, ``Content-Type:``, ``Content-Length:``, ``X-...:``, ...), a status line
    (``HTTP/1.1 200 OK``), a request line (``GET /admin HTTP/1.1``: request splitting), or,
    after two breaks (the blank line that ends the headers), a body of markup.

Why
    A value copied into a response header or a log line that contains a line break writes new
    headers (session fixation through ``Set-Cookie``, open redirects, cache poisoning, a second
    response, forged log entries). A line break followed by prose is ordinary multi-line text;
    one followed by a header name and a colon is not.

Examples
    ``%0d%0aSet-Cookie:crlf=injection``, ``\\r\\nLocation: http://evil``,
    ``嘊嘍content-type:text/html``, ``x%0d%0aContent-Length:0%0d%0a%0d%0aHTTP/1.1 200 OK``,
    ``%E2%80%A8Location:%20//evil``, ``%0d%0a%0d%0a<html>``, ``%0d%0a%0d%0aGET /x HTTP/1.1``.

References
    CWE-93, CWE-113, CWE-117; OWASP HTTP Response Splitting; PayloadsAllTheThings
    "CRLF Injection".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, hit, positions, views
from ._vocab import CRLF_UNICODE_BREAKS as _UNICODE_BREAKS
from ._vocab import CRLF_WIDE_BREAKS as _WIDE_BREAKS

ID = "crlf"
CWE = "CWE-93"

# Header names that are not English words: after a line break, one of them and a colon is a
# header whatever its value.
_HEADERS = (
    r"(?:set-cookie|content-type|content-length|content-disposition|content-security-policy"
    r"|content-encoding|transfer-encoding|cache-control|last-modified|etag|www-authenticate"
    r"|proxy-authorization|access-control-[\w-]+|x-[\w-]+|strict-transport-security|user-agent"
    r"|accept-[\w-]+|keep-alive|retry-after|p3p)"
)
# Header names that are English words ("Location: Porto", "Host: Maria", "Status: shipped" in a
# multi-line note): a header only with a value shaped like HTTP's: a URL or a path, a number, a
# host name, a cookie pair, a token of the protocol.
_WORD_HEADERS = (
    r"(?:location|cookie|host|server|status|connection|link|via|age|allow|te|trailer|vary"
    r"|origin|pragma|expires|refresh|upgrade|referer|authorization|accept)"
)
_HTTP_VALUE = (
    r"\s?(?:[a-z][\w+.-]{0,16}:|/|\d|\*|<|[\w.-]{1,64}=|localhost\b|[\w.-]{1,64}/\d"
    r"|[\w-]{1,64}\.[\w.-]{1,253}(?::\d+)?\s*(?:$|[\r\n;])"
    r"|close\b|keep-alive\b|no-cache\b|basic\s|bearer\s|websocket\b|h2c\b)"
)
_BREAK = "[\r\n" + re.escape(_WIDE_BREAKS + _UNICODE_BREAKS) + "]"
_ESCAPED = r"(?<!\\r)(?<!\\n)(?:\\r|\\n)+"  # written out: tried from the first of a run
# After a line break, what the receiver reads as a new header, a status line, a request line
# (request splitting: the next hop reads a second request) or, after the blank line that ends
# the headers, a body of markup.
_METHODS = r"(?:get|post|put|delete|head|options|patch|connect|trace|propfind)"
_AFTER = (
    rf"\s?(?:{_HEADERS}\s?:|{_WORD_HEADERS}\s?:{_HTTP_VALUE}|http/\d\.\d\s+\d{{3}}"
    rf"|{_METHODS}\s+[^\s]{{1,2048}}+\s+http/\d)"
)
# A break may leave the hex digits of a nested encoding behind it ("%%0a0a" decoded once).
# A run of written-out breaks is tried only from its first one (the lookbehinds): from a later
# one the run ends at the same place, so the match would be the same or none, and trying every
# one of a long run ("\\r\\n" repeated) cost time quadratic in its length.
_PATTERN = re.compile(
    rf"{_BREAK}(?:0[ad])?{_AFTER}|\r\n\r\n\s?<[a-z!]"
    rf"|{_ESCAPED}{_AFTER}|(?:\\r\\n|\\n){{2}}\s?<[a-z!]"
)
# A body after two bare line feeds (or carriage returns): only when no break came raw, so that
# a multi-line message with markup ("Dear Bob,\n\n<p>Thanks</p>") is not one.
_ENCODED_BODY = re.compile(r"(?:\r?\n|\r){2}\s?<[a-z!]")
_ANY_BREAK = re.compile(_BREAK)
_ANY_UNICODE_BREAK = re.compile("[" + re.escape(_UNICODE_BREAKS) + "]")
MAX_BREAKS = 64


def _starts(low: str) -> list[int] | None:
    """Where a match of ``_PATTERN`` can start: every line break (a C search for CR and LF; the
    wide ones, only in text outside ASCII, found as the low byte 10 or 13 of a character of its
    UTF-32 form whose second byte is not 0) and every written-out ``\\r`` or ``\\n``.
    None when there are more than MAX_BREAKS of one kind."""
    starts: list[int] = []
    for needle in ("\n", "\r", "\\r", "\\n"):
        found = positions(low, needle, MAX_BREAKS)
        if found is None:
            return None
        starts += found
    if not low.isascii():
        for count, m in enumerate(_ANY_UNICODE_BREAK.finditer(low)):
            if count >= MAX_BREAKS:
                return None
            starts.append(m.start())
        wide = low.encode("utf-32-le", "surrogatepass")
        for byte in (b"\n", b"\r"):
            pos = wide.find(byte)
            for _ in range(4 * MAX_BREAKS):
                if pos < 0:
                    break
                if not pos % 4 and wide[pos + 1] and not wide[pos + 2]:  # U+0100 to U+FFFF
                    starts.append(pos // 4)
                pos = wide.find(byte, pos + 1)
            else:
                if pos >= 0:
                    return None
    return sorted(starts)


SHORT = 256  # below this length one regex scan costs less than finding the starts


def _first(low: str) -> re.Match[str] | None:
    if len(low) < SHORT:
        if _ANY_BREAK.search(low) or "\\r" in low or "\\n" in low:
            return _PATTERN.search(low)
        return None
    starts = _starts(low)
    if starts is None:  # too many to try one by one: the plain scan
        return _PATTERN.search(low)
    for start in starts:
        m = _PATTERN.match(low, start)
        if m:
            return m
    return None


def detect_views(v: Views) -> Match | None:
    m = _first(v.low)
    if m is None and v.changed and "\n" not in v.raw and "\r" not in v.raw:
        m = _ENCODED_BODY.search(v.low)
    if m:
        return hit(v, m.start(), m.end(), "line break followed by a header")
    return None


def detect(text: str) -> Match | None:
    """The first CRLF-then-header shape in ``text``, or None."""
    return detect_views(views(text))

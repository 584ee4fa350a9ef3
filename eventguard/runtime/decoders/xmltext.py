"""XML bodies (SOAP, SAML, ``application/xml``): element text, attribute values and declarations.

No XML parser runs on attacker input: a linear scan collects text by element path
(``order/item``), attributes as ``order/item@id``, and any ``<!DOCTYPE``/``<!ENTITY`` declaration
verbatim under ``doctype``, because a declaration in a request body is itself the XXE finding.
Character references are resolved the way a parser would (``&lt;`` -> ``<``); entity references
declared in the document are not expanded.

``decode`` is lenient: it reads whatever markup a string holds, and the string is inspected as
text too. ``document`` is strict: it accepts only one well-formed document, whose parts then
replace the raw text of a body declared XML (see ``document`` for what of its markup is still
inspected, and why).
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES, MAX_NESTING_DEPTH, MAX_PATH_KEY_CHARS, MAX_XML_ITEMS
from ._text import bounded_text

MAX_XML_NAME_CHARS = MAX_PATH_KEY_CHARS
MAX_XML_PATH_CHARS = 512  # an element path longer than this keeps its head and its tail


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A tag's name and its attributes, compiled with the first XML document (an import
    compiles no pattern of a format most functions never receive)."""
    return re.compile(r"[^\s/>]+"), re.compile(r"([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")


def _short(name: str) -> str:
    """An element or attribute name as a path step: cut with a checksum when long, so paths stay
    small (a document of 10 KB names must not become megabytes of paths)."""
    if len(name) <= MAX_XML_NAME_CHARS:
        return name
    return f"{name[: MAX_XML_NAME_CHARS - 12]}...{zlib.crc32(name.encode('utf-8', 'replace')):08x}"


class _Collector:
    def __init__(self) -> None:
        self.out: dict[str, Any] = {}
        self.items = 0
        self.key_chars = 0

    def add(self, key: str, text: str) -> None:
        self.items += 1
        if self.items > MAX_XML_ITEMS:
            raise LimitExceeded("MAX_XML_ITEMS", f"more than {MAX_XML_ITEMS} XML items")
        self.key_chars += len(key)
        if self.key_chars > MAX_DECODED_BYTES:
            raise LimitExceeded("MAX_DECODED_BYTES", "XML paths past the decoded-size limit")
        prior = self.out.get(key)
        if prior is None:
            self.out[key] = text
        elif isinstance(prior, list):
            prior.append(text)
        else:
            self.out[key] = [prior, text]


def _declaration_end(text: str, start: int) -> int:
    """Index just past a ``<!...>`` declaration, internal subset ``[...]`` included."""
    close = text.find(">", start)
    bracket = text.find("[", start)
    if bracket != -1 and (close == -1 or bracket < close):
        end_subset = text.find("]", bracket)
        close = text.find(">", end_subset) if end_subset != -1 else -1
    return len(text) if close == -1 else close + 1


# One opening tag and nothing else, no attribute (``<email>``: a template's placeholder).
_LONE_TAG = re.compile(r"<[^<>=!?/][^<>=]*>")


def futile(value: object) -> bool:
    """True when ``decode`` finds nothing in the value: a lone opening tag with no attribute
    leaves no text, only an open element (an empty mapping; DecodeError when self-closed)."""
    return (
        type(value) is str
        and len(value) <= MAX_DECODED_BYTES
        and _LONE_TAG.fullmatch(value) is not None
    )


def decode(value: str | bytes) -> dict[str, Any]:
    text = bounded_text(value, "XML text")
    if "<" not in text:
        raise DecodeError("not XML: no markup")
    from html import unescape  # first use: html.entities is not loaded with the wrapper

    name_rx, attribute_rx = _patterns()
    tag_name, attributes = name_rx.match, attribute_rx.findall
    found = _Collector()
    stack: list[str] = []  # the joined path of every open element, built once when it opens
    i = 0
    while i < len(text):
        j = text.find("<", i)
        chunk = text[i : len(text) if j == -1 else j].strip()
        if chunk:
            found.add(stack[-1] if stack else "#text", unescape(chunk))
        if j == -1:
            break
        if text.startswith("<!--", j):
            k = text.find("-->", j + 4)
            i = len(text) if k == -1 else k + 3
        elif text.startswith("<![CDATA[", j):
            k = text.find("]]>", j + 9)
            end = len(text) if k == -1 else k
            found.add(stack[-1] if stack else "#text", text[j + 9 : end])
            i = end + 3
        elif text.startswith("<!", j):
            end = _declaration_end(text, j)
            found.add("doctype", text[j:end])
            i = end
        elif text.startswith("<?", j):
            k = text.find("?>", j + 2)
            end = len(text) if k == -1 else k + 2
            found.add("processing-instruction", text[j:end])
            i = end
        elif text.startswith("</", j):
            k = text.find(">", j)
            if stack:
                stack.pop()
            i = len(text) if k == -1 else k + 1
        else:
            k = text.find(">", j)
            end = len(text) if k == -1 else k
            tag = text[j + 1 : end]
            match = tag_name(tag)
            name = match.group(0) if match else ""
            path = f"{stack[-1]}/{_short(name)}" if stack else _short(name)
            if len(path) > MAX_XML_PATH_CHARS:  # deep nesting: keep the root and the leaf end
                half = MAX_XML_PATH_CHARS // 2 - 2
                path = f"{path[:half]}/.../{path[-half:]}"
            for attr, raw in attributes(tag[len(name) :]):
                found.add(f"{path}@{_short(attr)}", unescape(raw[1:-1]))
            if name and not tag.endswith("/"):
                stack.append(path)
                if len(stack) > MAX_NESTING_DEPTH:
                    raise LimitExceeded("MAX_NESTING_DEPTH", "XML nested too deep")
            i = end + 1
    if not found.out and not stack:
        raise DecodeError("not XML: nothing inside")
    return found.out


# Strict reading (``document``) -------------------------------------------------------------
_XML_NAME = r"[^\W\d][\w.:-]*+"
_QUOTED = r"(?:\"[^<\"]*+\"|'[^<']*+')"  # XML forbids "<" in an attribute value
_START_TAG = re.compile(rf"<({_XML_NAME})((?:\s++{_XML_NAME}\s*+=\s*+{_QUOTED})*+)\s*+(/?)>")
_END_TAG = re.compile(rf"</({_XML_NAME})\s*+>")
_ATTRIBUTE = re.compile(rf"({_XML_NAME})\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')")
_REFERENCE = re.compile(r"&(?:#[0-9]++|#x[0-9a-fA-F]++|([^\W\d][\w.-]*+));")
_PREDEFINED = frozenset(("lt", "gt", "amp", "apos", "quot"))

# Elements that run or load active content in a browser whatever their namespace.
_SCRIPT_ELEMENTS = frozenset(
    ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "handler", "base")
)
# Namespaces whose elements a processor executes: XSLT programs, XInclude loads.
_ACTIVE_NAMESPACES = frozenset(
    ("http://www.w3.org/1999/XSL/Transform", "http://www.w3.org/2001/XInclude")
)
_ACTIVE_PREFIXES = ("xsl", "xi")  # their usual prefixes, even left unbound
# Events of HTML, SVG and MathML elements (``on`` + the event is the handler attribute). A
# browser runs a handler only for an event it fires, so ``online="true"`` or ``onhold`` in
# data is no handler, while ``onload``, ``onerror`` or ``onbegin`` are, in any letter case.
_EVENT_NAMES = """
abort activate afterprint afterscriptexecute animationcancel animationend animationiteration
animationstart auxclick beforecopy beforecut beforeinput beforematch beforepaste beforeprint
beforescriptexecute beforetoggle beforeunload begin blur bounce cancel canplay canplaythrough
change click close contentvisibilityautostatechange contextlost contextmenu contextrestored
copy cuechange cut dblclick drag dragend dragenter dragexit dragleave dragover dragstart drop
durationchange emptied encrypted end ended error finish focus focusin focusout formdata
fullscreenchange fullscreenerror gotpointercapture hashchange input invalid keydown keypress
keyup languagechange load loadeddata loadedmetadata loadend loadstart lostpointercapture
message messageerror mousedown mouseenter mouseleave mousemove mouseout mouseover mouseup
mousewheel offline online pagehide pagereveal pageshow pageswap paste pause play playing
pointercancel pointerdown pointerenter pointerleave pointermove pointerout pointerover
pointerrawupdate pointerup popstate progress ratechange readystatechange rejectionhandled
repeat reset resize scroll scrollend scrollsnapchange scrollsnapchanging search
securitypolicyviolation seeked seeking select selectionchange selectstart show slotchange
stalled start storage submit suspend timeupdate toggle touchcancel touchend touchmove
touchstart transitioncancel transitionend transitionrun transitionstart unhandledrejection
unload volumechange waiting webkitanimationend webkitanimationiteration webkitanimationstart
webkittransitionend wheel zoom svgabort svgerror svgload svgresize svgscroll svgunload svgzoom
"""
_EVENTS = frozenset(_EVENT_NAMES.split())


def _references(text: str, declared: bool) -> None:
    """DecodeError unless every ``&`` starts a character reference or an entity a parser knows
    (the five predefined, or any name once the document has a DTD, whose declaration is
    inspected as the XXE it is)."""
    count = text.count("&")
    if not count:
        return
    found = 0
    for match in _REFERENCE.finditer(text):
        name = match.group(1)
        if name is not None and name not in _PREDEFINED and not declared:
            raise _malformed("an undeclared entity reference")
        found += 1
    if found != count:
        raise _malformed("a bare '&'")


def _is_handler(attribute: str) -> bool:
    local = attribute.rpartition(":")[2].lower()
    return local.startswith("on") and local[2:] in _EVENTS


def _malformed(what: str) -> DecodeError:
    return DecodeError(f"not well-formed XML: {what}")


def document(value: str | bytes) -> dict[str, Any]:
    """One well-formed XML document's parts, read as ``decode`` reads them (but element text as a
    parser gives it, whitespace kept), plus the markup that acts; DecodeError when the text is
    not one well-formed document (no root, two roots, text outside the root, a tag left open or
    closed out of order, an unquoted attribute or one given twice, ``<`` in an attribute value,
    a bare ``&``, an undeclared entity, an unterminated comment, CDATA section or declaration).

    The caller inspects these parts instead of the raw text, as for JSON: a document's own
    syntax (``<link href=...>`` in an Atom feed, ``<soap:Envelope>``, ``<svg>``) is markup of a
    data format, not HTML injected into prose. What is dangerous as XML markup is kept, so that
    a demanding user who serves the document back, transforms it or parses it loses nothing:

    - the DOCTYPE, with any ENTITY declarations, under ``doctype`` (XXE);
    - processing instructions under ``processing-instruction`` (``<?xml-stylesheet ...?>``);
    - under ``<element path>#tag``, the start tag, as written and without its closing ``>``
      (so it is not read as one more XML document), of each element that acts: script-capable
      elements in any namespace (``<script>``, ``<svg:script>``, ``<iframe>``, ``<object>``,
      ``<embed>``, ``<base>``, SVG's ``<handler>``, ...), an element with an event-handler
      attribute (``<svg onload=...>``) or animating one (``<set attributeName="onclick"``),
      and XSLT and XInclude elements (an XSLT program is
      what runs; ``<xi:include href=...>`` loads a file).

    Script URLs need no tag: every attribute value is inspected on its own
    (``href="javascript:..."``, ``xlink:href="data:text/html,..."``, ``style="...expression("``).
    ``<foreignObject>`` is judged by what it holds, element by element: diagram editors embed
    plain HTML text in it, and script or handlers inside it are found as anywhere else."""
    text = bounded_text(value, "XML text")
    from html import unescape  # first use: html.entities is not loaded with the wrapper

    found = _Collector()
    # Per open element: its name as written, its path, whether unprefixed names in it are XSLT
    # or XInclude (a default namespace declaration).
    stack: list[tuple[str, str, bool]] = []
    active_prefixes = set(_ACTIVE_PREFIXES)
    rooted = declared = False
    i, size = (1 if text.startswith("\ufeff") else 0), len(text)
    while i < size:
        j = text.find("<", i)
        end = size if j == -1 else j
        chunk = text[i:end]
        if chunk and not chunk.isspace():
            if not stack:
                raise _malformed("text outside the root element")
            _references(chunk, declared)
            # as a parser hands it over: line ends normalized, not stripped (a value that
            # opens with a line break and a header is the CRLF injection)
            found.add(stack[-1][1], unescape(chunk.replace("\r\n", "\n").replace("\r", "\n")))
        if j == -1:
            break
        if text.startswith("<!--", j):
            k = text.find("-->", j + 4)
            if k == -1:
                raise _malformed("an unterminated comment")
            i = k + 3
        elif text.startswith("<![CDATA[", j):
            k = text.find("]]>", j + 9)
            if k == -1 or not stack:
                raise _malformed("a CDATA section outside an element or unterminated")
            found.add(stack[-1][1], text[j + 9 : k])
            i = k + 3
        elif text.startswith("<!", j):
            end = _declaration_end(text, j)
            if rooted or declared or not text.startswith("<!DOCTYPE", j) or text[end - 1] != ">":
                raise _malformed("a declaration that is not one DOCTYPE before the root")
            found.add("doctype", text[j:end])
            declared = True
            i = end
        elif text.startswith("<?", j):
            k = text.find("?>", j + 2)
            if k == -1:
                raise _malformed("an unterminated processing instruction")
            found.add("processing-instruction", text[j : k + 2])
            i = k + 2
        elif text.startswith("</", j):
            match = _END_TAG.match(text, j)
            if match is None or not stack or match.group(1) != stack[-1][0]:
                raise _malformed("an end tag that closes no open element")
            stack.pop()
            i = match.end()
        else:
            match = _START_TAG.match(text, j)
            if match is None:
                raise _malformed("a start tag that is not a name and quoted attributes")
            if rooted and not stack:
                raise _malformed("a second root element")
            rooted = True
            name = match.group(1)
            path = f"{stack[-1][1]}/{_short(name)}" if stack else _short(name)
            if len(path) > MAX_XML_PATH_CHARS:  # deep nesting: keep the root and the leaf end
                half = MAX_XML_PATH_CHARS // 2 - 2
                path = f"{path[:half]}/.../{path[-half:]}"
            default_active = stack[-1][2] if stack else False
            acts = False
            names: set[str] = set()
            for attribute in _ATTRIBUTE.finditer(match.group(2)):
                attr = attribute.group(1)
                if attr in names:
                    raise _malformed("an attribute given twice")
                names.add(attr)
                raw = attribute.group(2)
                raw = attribute.group(3) if raw is None else raw
                _references(raw, declared)
                if attr == "xmlns":
                    default_active = raw in _ACTIVE_NAMESPACES
                elif attr.startswith("xmlns:") and raw in _ACTIVE_NAMESPACES:
                    active_prefixes.add(attr[6:])
                # a handler attribute, or SVG animation setting one (attributeName="onclick")
                acts = acts or _is_handler(attr) or (attr == "attributeName" and _is_handler(raw))
                found.add(f"{path}@{_short(attr)}", unescape(raw))
            prefix, _, local = name.rpartition(":")
            if (
                acts
                or local.lower() in _SCRIPT_ELEMENTS
                or (prefix in active_prefixes if prefix else default_active)
            ):
                found.add(f"{path}#tag", match.group(0)[:-1])
            if not match.group(3):
                stack.append((name, path, default_active))
                if len(stack) > MAX_NESTING_DEPTH:
                    raise LimitExceeded("MAX_NESTING_DEPTH", "XML nested too deep")
            i = match.end()
    if stack or not rooted:
        raise _malformed("an element left open" if stack else "no root element")
    return found.out

"""XML bodies (SOAP, SAML, ``application/xml``): element text, attribute values and declarations.

No XML parser runs on attacker input: a linear scan collects text by element path
(``order/item``), attributes as ``order/item@id``, and any ``<!DOCTYPE``/``<!ENTITY`` declaration
verbatim under ``doctype``, because a declaration in a request body is itself the XXE finding.
Character references are resolved the way a parser would (``&lt;`` -> ``<``); entity references
declared in the document are not expanded.
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

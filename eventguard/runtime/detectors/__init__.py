"""Detectors: one module per attack class, registered in ``DETECTORS``.

A detector module defines ``ID`` (a rule id of DESIGN.md), ``CWE`` and ``detect(text) -> Match |
None``: pure, linear in the length of the text, no I/O. Its docstring is its documentation: what
it catches, why, examples and references.

``scan`` normalizes a text once (``_normalize.views``: URL, HTML and JS decoding, Unicode
compatibility forms, case), rejects it at once when a single cheap prefilter finds none of the
characters or words any attack needs, and otherwise hands the shared views to every detector's
``detect_views``.
"""

from __future__ import annotations

import re
from types import ModuleType

from ..model import Match
from . import (
    cmdi,
    code_injection,
    crlf,
    deserialization,
    ldapi,
    log4shell,
    nosqli,
    path_traversal,
    proto_pollution,
    sqli,
    ssrf,
    ssti,
    xss,
    xxe,
)
from ._normalize import views

DETECTORS: tuple[ModuleType, ...] = (
    sqli,
    nosqli,
    cmdi,
    code_injection,
    path_traversal,
    xss,
    ssti,
    xxe,
    ssrf,
    ldapi,
    crlf,
    proto_pollution,
    deserialization,
    log4shell,
)

# Every detector needs one of these in the decoded, lower-cased text (or raw for binary
# markers): punctuation that code and markup are made of, or a few words. Text without any of
# them (most prose, names, numbers) costs one regex search.
_PREFILTER = re.compile(
    r"[^a-z0-9\s.,!?:'\"-]|--|\.\.|['\"]\s?(?:or|and|xor|union|select|having|order|group|limit|into|where|waitfor|exec|rlike|regexp|like|is)\b|\bunion\b|\bselect\b|\d\s?(?:or|and|xor)\b|^\s?\d[\w.]*\s?(?:--|#|;|or|and|xor|having|group|order|limit|procedure|into|union|select|waitfor|is|not|between|like|rlike|regexp|div|collate|for)\b|\b(?:sleep|which|whereis|ping|timeout|perl|python|ruby|php|node|lua|nc|ncat|netcat|bash|sh|whoami|uname|id|ls|pwd|cat|echo|wget|curl|net|dir|type|cmd|powershell)\b|localhost|metadata|jndi|proto|\bcase\s+when\b|\bis\s+unknown\b"
)


def scan(text: str) -> list[tuple[str, Match]]:
    """Every detector that fires on ``text``, with its match."""
    v = views(text)
    if not _PREFILTER.search(v.low) and v.raw.isascii():
        return []
    hits: list[tuple[str, Match]] = []
    for detector in DETECTORS:
        match = detector.detect_views(v)
        if match is not None:
            hits.append((detector.ID, match))
    return hits

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

# Every detector needs one of its gate's patterns in the decoded, lower-cased text: the union of
# the gates is one regex search that turns most prose, names and numbers away at once.
_PREFILTER = re.compile("|".join(f"(?:{d.GATE.pattern})" for d in DETECTORS))


def scan(text: str) -> list[tuple[str, Match]]:
    """Every detector that fires on ``text``, with its match."""
    v = views(text)
    if not _PREFILTER.search(v.low) and (v.raw.isascii() or not _PREFILTER.search(v.raw)):
        return []
    hits: list[tuple[str, Match]] = []
    for detector in DETECTORS:
        match = detector.detect_views(v)
        if match is not None:
            hits.append((detector.ID, match))
    return hits

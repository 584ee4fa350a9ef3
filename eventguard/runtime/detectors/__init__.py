"""Detectors: one module per attack class, registered in ``DETECTORS``.

A detector module defines ``ID`` (a rule id of DESIGN.md), ``CWE`` and ``detect(text) -> Match |
None``: pure, linear in the length of the text, no I/O. Its docstring is its documentation: what
it catches, why, examples and references.
"""

from __future__ import annotations

from types import ModuleType

from ..model import Match

DETECTORS: tuple[ModuleType, ...] = ()


def scan(text: str) -> list[tuple[str, Match]]:
    """Every detector that fires on ``text``, with its match."""
    hits: list[tuple[str, Match]] = []
    for detector in DETECTORS:
        match = detector.detect(text)
        if match is not None:
            hits.append((detector.ID, match))
    return hits

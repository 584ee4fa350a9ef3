"""Every detector stays linear on hostile input: 1 MB adversarial strings built from the syntax
each detector looks for (near misses repeated, so no early match ends the work) must finish
within a fixed multiple of a plain regex scan of the same bytes. A pattern that backtracks
catastrophically (or any quadratic loop) on 1 MB takes minutes, far past the bound.
"""

from __future__ import annotations

import re
import time

import pytest

from eventguard.runtime.detectors import _normalize, all_detectors

DETECTORS = all_detectors()


SIZE = 1 << 20
# How many plain scans one detector may cost. A linear detector runs a bounded number of
# regex passes over the text (about 20 to 80 here); a quadratic one on 1 MB costs ~10^5.
MAX_RATIO = 200

# A plain scan: a regex the engine must try at every position (a word boundary first).
_PLAIN = re.compile(r"\bzq\w*\d")

# Near-miss units per detector, repeated to 1 MB: the syntax it parses, never completed.
ADVERSARIAL = {
    "sqli": ["1 or 1 "],
    "nosqli": ["this."],
    "cmdi": ["; ", "a'"],
    "code_injection": ["__"],
    "path_traversal": ["/.", "\\", "?", "%2f", ".", "%2%e%bg%qf"],
    "xss": ['="'],
    "ssti": ["{{"],
    "xxe": ["<!"],
    "ssrf": ["http://[", "http://1.-"],
    "ldapi": ["*)("],
    "crlf": ["\r\n", "\\r\\n"],
    "proto_pollution": ["constructor."],
    "deserialization": ["a:1:{"],
    "log4shell": ["${lower:"],
}


def _seconds(func, text: str) -> float:
    start = time.perf_counter()
    func(text)
    return time.perf_counter() - start


def _plain_scan(text: str) -> float:
    return min(_seconds(_PLAIN.search, text) for _ in range(2))


def test_every_detector_has_adversarial_inputs():
    assert sorted(ADVERSARIAL) == sorted(d.ID for d in DETECTORS)


@pytest.mark.parametrize(
    ("module", "unit"),
    [pytest.param(d, u, id=f"{d.ID}-{u!r}") for d in DETECTORS for u in ADVERSARIAL[d.ID]],
)
def test_detector_is_linear_on_one_megabyte(module, unit):
    text = (unit * (SIZE // len(unit) + 1))[:SIZE]
    plain = _plain_scan(text)
    spent = _seconds(module.detect, (" " + text)[1:])  # a fresh object: no cached views
    assert spent < MAX_RATIO * plain, f"{spent:.2f}s vs plain scan {plain:.3f}s"


def test_normalization_is_linear_on_nested_encodings():
    text = ("%25" * (SIZE // 3))[:SIZE]
    assert _seconds(_normalize.make, text) < MAX_RATIO * _plain_scan(text)

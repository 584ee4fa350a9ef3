"""Detection and false-positive rates on a stratified sample of the development corpus.

``tests/data/corpus_sample.jsonl`` holds up to 40 attacks of every class and 300 benign lines
(ordinary writing, names, addresses, JSON, URLs and the hard cases of libinjection's
false-positive list), drawn with a fixed seed from the corpus the issue names.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eventguard.runtime.detectors import _normalize, all_detectors, scan

DETECTORS = all_detectors()


SAMPLE = Path(__file__).resolve().parents[2] / "data" / "corpus_sample.jsonl"
ROWS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
ATTACKS = [r for r in ROWS if r["class"] != "benign"]
BENIGN = [r for r in ROWS if r["class"] == "benign"]
COUNTS = Counter(r["class"] for r in ATTACKS)


def _detected(row: dict[str, str]) -> bool:
    return bool(scan(row["payload"]))


def test_overall_attack_detection_rate():
    rate = sum(map(_detected, ATTACKS)) / len(ATTACKS)
    assert rate >= 0.95, rate


@pytest.mark.parametrize("cls", sorted(c for c, n in COUNTS.items() if n >= 30))
def test_class_detection_rate(cls):
    rows = [r for r in ATTACKS if r["class"] == cls]
    rate = sum(map(_detected, rows)) / len(rows)
    assert rate >= 0.9, rate


def test_benign_false_positive_rate():
    fired = [r["payload"] for r in BENIGN if _detected(r)]
    assert len(fired) / len(BENIGN) <= 0.01, fired


def test_prefilter_drops_no_detection():
    """``scan`` rejects most text with one cheap prefilter; it must never hide a detection that
    the detectors make on their own."""
    lost = []
    for row in ROWS:
        views = _normalize.make(row["payload"])
        alone = {d.ID for d in DETECTORS if d.detect_views(views) is not None}
        if alone and not scan(row["payload"]):
            lost.append(row["payload"])
    assert lost == []

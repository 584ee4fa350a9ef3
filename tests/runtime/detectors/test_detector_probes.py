"""Detection and false positives on hand-written probe sets that no detector was tuned on first.

``tests/data/probe_attacks.jsonl`` holds attack variants written for this test from knowledge of
each attack language (other SQL dialects, shells and PowerShell, template engines, LDAP filter
forms, CRLF with Unicode separators, encodings and whitespace tricks), none copied from the
development corpus; ``tests/data/probe_benign.jsonl`` holds hard ordinary text (prose about SQL,
shell and HTML, code review comments, multi-line notes with labels, addresses, names, prices,
JSON, log lines, Markdown, math). They were written before the detectors were changed to cover
them, and are kept as a floor: a change that loses families or makes prose noisy fails here.
The floors leave room for the few cases that are arguably code ("In SQL, SELECT * FROM users
returns every row", the xkcd 327 line).
"""

from __future__ import annotations

import json
from pathlib import Path

from eventguard.runtime.detectors import scan

DATA = Path(__file__).resolve().parents[2] / "data"
ATTACK_FLOOR = 0.98  # share of attacks some detector fires on
RIGHT_RULE_FLOOR = 0.97  # share of attacks their own class's detector fires on
BENIGN_CEILING = 0.04  # share of ordinary texts any detector fires on


def _load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_probe_attacks_are_detected_by_their_own_rule() -> None:
    cases = _load("probe_attacks.jsonl")
    found = [{rule for rule, _ in scan(c["payload"])} for c in cases]
    detected = sum(1 for rules in found if rules) / len(cases)
    right = sum(1 for c, rules in zip(cases, found, strict=True) if c["class"] in rules)
    missed = [c["payload"] for c, rules in zip(cases, found, strict=True) if not rules]
    assert detected >= ATTACK_FLOOR, missed
    assert right / len(cases) >= RIGHT_RULE_FLOOR


def test_probe_benign_text_stays_quiet() -> None:
    cases = _load("probe_benign.jsonl")
    noisy = [c["payload"] for c in cases if scan(c["payload"])]
    assert len(noisy) / len(cases) <= BENIGN_CEILING, noisy

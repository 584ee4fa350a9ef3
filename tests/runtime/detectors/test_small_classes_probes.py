"""Detection and false positives of the small attack classes on hand-written probe sets.

``tests/data/probe_small_attacks.jsonl`` holds attacks of the classes the development corpus
has few samples of (nosqli, ssrf, xxe, log4shell, proto_pollution, deserialization, ldapi,
crlf, code_injection, ssti), written for this test from knowledge of each language and none
copied from the corpus or a public list: Mongo operators in JSON and bracket syntax, addresses
in every notation and cloud metadata names, DTDs in SVG, SOAP, UTF-16 and UTF-7, nested Log4j
lookups, serialized objects of Python, Java, PHP, Ruby and .NET in their text forms, web-shell
PHP, Ruby, Node, .NET and PowerShell code, and the template syntax of a dozen engines, plain
and encoded. ``tests/data/probe_small_benign.jsonl`` holds ordinary text that shares their
tokens: ``$``-prefixed JSON Schema keys, prices, prose about localhost and prototypes,
standard doctypes of HTML e-mails and property lists, placeholders, ViewStates.

They were written before the detectors were changed to cover them and are kept as a floor.
The misses left are listed in the floors: shell backticks (cmdi's), base64 PHP objects and
Ruby Marshal, Orange Tsai's space-split authority, decimal nip.io names, xml-stylesheet. The
benign ceiling leaves room for a few texts that are other detectors' (markup read as HTML).
"""

from __future__ import annotations

import json
from pathlib import Path

from eventguard.runtime.detectors import scan

DATA = Path(__file__).resolve().parents[2] / "data"
ATTACK_FLOOR = 0.985  # share of attacks some detector fires on (0.990 when written)
RIGHT_RULE_FLOOR = 0.975  # share of attacks their own class's detector fires on (0.982)
BENIGN_CEILING = 0.09  # share of ordinary texts any detector fires on (0.083)
# share of ordinary texts a detector of these classes fires on (0.024: JavaScript comparing
# with "||", "<% and %>" in prose); the rest of the noisy ones are xss's and sqli's
SMALL_CLASS_CEILING = 0.03
SMALL_CLASSES = frozenset(
    [
        "nosqli",
        "ssrf",
        "xxe",
        "log4shell",
        "proto_pollution",
        "deserialization",
        "ldapi",
        "crlf",
        "code_injection",
        "ssti",
    ]
)


def _load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_small_class_probes_are_detected_by_their_own_rule() -> None:
    cases = _load("probe_small_attacks.jsonl")
    found = [{rule for rule, _ in scan(c["payload"])} for c in cases]
    detected = sum(1 for rules in found if rules) / len(cases)
    right = sum(1 for c, rules in zip(cases, found, strict=True) if c["class"] in rules)
    missed = [c["payload"] for c, rules in zip(cases, found, strict=True) if not rules]
    assert detected >= ATTACK_FLOOR, missed
    assert right / len(cases) >= RIGHT_RULE_FLOOR


def test_small_class_lookalikes_stay_quiet() -> None:
    cases = _load("probe_small_benign.jsonl")
    found = [{rule for rule, _ in scan(c["payload"])} for c in cases]
    noisy = [c["payload"] for c, rules in zip(cases, found, strict=True) if rules]
    assert len(noisy) / len(cases) <= BENIGN_CEILING, noisy
    ours = [c["payload"] for c, rules in zip(cases, found, strict=True) if rules & SMALL_CLASSES]
    assert len(ours) / len(cases) <= SMALL_CLASS_CEILING, ours

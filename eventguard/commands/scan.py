"""``eventguard scan CORPUS.jsonl``: detection metrics of the runtime on a labeled corpus.

Each line is ``{"class": ..., "payload": ...}``; ``class`` is a detector rule id or ``benign``.
Every payload goes through ``eventguard.runtime.inspect`` as the one field of a direct-invocation
event (``{"msg": payload}``), exactly as a function would receive it. A payload counts as
detected when the verdict has a finding of any detector rule (so an attack caught by another
detector than its own class still counts: the event is blocked either way); the "right rule"
rate says how often the class's own rule fired. For attack classes the detected rate is the true
positive rate, for ``benign`` it is the false positive rate.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

HELP = "detection rate per class of a labeled JSONL corpus ({class, payload} lines)"
BENIGN = "benign"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", help="JSONL file, one {class, payload} object a line")
    parser.add_argument(
        "--misses",
        type=int,
        default=0,
        metavar="N",
        help="also list up to N missed attacks and N benign false positives",
    )


def measure(rows: list[dict[str, Any]], misses: int = 0) -> dict[str, Any]:
    """Counts, detected counts and rates per class, and the overall rates."""
    from ..runtime import inspect
    from ..runtime.detectors import REGISTRY

    rules = set(REGISTRY)
    total: Counter[str] = Counter()
    detected: Counter[str] = Counter()
    right: Counter[str] = Counter()
    missed: list[dict[str, str]] = []
    false_positives: list[dict[str, Any]] = []
    for row in rows:
        cls, payload = str(row["class"]), row["payload"]
        verdict = inspect({"msg": payload})
        fired = {f.rule for f in verdict.findings} & rules
        total[cls] += 1
        if fired:
            detected[cls] += 1
            right[cls] += cls in fired
            if cls == BENIGN and len(false_positives) < misses:
                false_positives.append({"payload": payload, "rules": sorted(fired)})
        elif cls != BENIGN and len(missed) < misses:
            missed.append({"class": cls, "payload": payload})
    classes = {
        cls: {
            "count": total[cls],
            "detected": detected[cls],
            "rate": detected[cls] / total[cls],
            "right_rule_rate": right[cls] / total[cls],
        }
        for cls in sorted(total, key=lambda c: (c == BENIGN, -total[c], c))
    }
    attacks = sum(n for c, n in total.items() if c != BENIGN)
    caught = sum(n for c, n in detected.items() if c != BENIGN)
    out: dict[str, Any] = {
        "classes": classes,
        "attacks": attacks,
        "attack_detection_rate": caught / attacks if attacks else 0.0,
        "benign": total[BENIGN],
        "benign_false_positive_rate": detected[BENIGN] / total[BENIGN] if total[BENIGN] else 0.0,
    }
    if misses:
        out["missed"] = missed
        out["false_positives"] = false_positives
    return out


def run(args: argparse.Namespace) -> int:
    try:
        with open(args.corpus, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        for row in rows:
            if (
                not isinstance(row, dict)
                or "class" not in row
                or not isinstance(row.get("payload"), str)
            ):
                raise ValueError(f"not a {{class, payload}} line: {str(row)[:80]}")
    except (OSError, ValueError) as exc:
        print(f"eventguard scan: {exc}", file=sys.stderr)
        return 2
    result = measure(rows, args.misses)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{'class':18} {'count':>7} {'detected':>9} {'rate':>8} {'right rule':>11}")
    for cls, row in result["classes"].items():
        kind = "FP" if cls == BENIGN else "TP"
        print(
            f"{cls:18} {row['count']:7d} {row['detected']:9d} {100 * row['rate']:7.2f}%"
            f" {100 * row['right_rule_rate']:10.2f}%  {kind}"
        )
    print(
        f"attacks detected: {100 * result['attack_detection_rate']:.2f}% of {result['attacks']};"
        f" benign false positives: {100 * result['benign_false_positive_rate']:.3f}%"
        f" of {result['benign']}"
    )
    for item in result.get("missed", []):
        print(f"missed {item['class']}: {item['payload'][:120]!r}")
    for item in result.get("false_positives", []):
        print(f"false positive {item['rules']}: {item['payload'][:120]!r}")
    return 0

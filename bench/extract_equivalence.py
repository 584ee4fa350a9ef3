"""Extraction equivalence check: record what ``fields.extract`` yields, compare two records.

    python bench/extract_equivalence.py record OUT.json [--shared ../shared]
    python bench/extract_equivalence.py compare OLD.json NEW.json

``record`` writes, for every sample event (tests/events, ``<shared>/events``), the source it is
recognised as and every (path, text, record) field in order, with what a limit (if one fires)
left; the same for each payload of ``<shared>/corpus/dev.jsonl`` put in a direct event (as a
value and as a key) and in an SQS batch (in a JSON body and base64 body), and for a few events
built to pass each limit. Verdicts of ``inspect`` are recorded too. Run it with the old code on
PYTHONPATH, change the code, run it again and ``compare``: a speed-up must change nothing
(a verdict that hit MAX_INSPECTION_SECONDS depends on the machine and is only reported).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The code on PYTHONPATH when one is given (the old tree, for a recording), else this tree's, not
# the one the virtual environment installed (editable from another checkout, whose recording
# would be compared with itself).
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

from eventguard.runtime import inspect, limits, sources  # noqa: E402
from eventguard.runtime.errors import LimitExceeded  # noqa: E402
from eventguard.runtime.fields import Budget, extract  # noqa: E402


def _fields(event: Any) -> list[Any]:
    out: list[Any] = []
    try:
        module = sources.identify(event)
        out.append(["source", module.ID])
        for field in extract(event, module, Budget(deadline=time.perf_counter() + 1e6)):
            out.append([field.path, field.text, field.record])
    except LimitExceeded as exc:
        out.append(["LIMIT", exc.limit])
    return out


def _verdict(event: Any) -> list[Any]:
    v = inspect(event)
    findings = [[f.path, f.rule, f.excerpt, f.record, f.detail] for f in v.findings]
    return [v.source, v.blocked, sorted(v.blocked_records), v.dropped, findings]


def _deep(levels: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(levels):
        value = {"a": value, "s": "x%41y"}
    return value


def _limit_events() -> dict[str, Any]:
    many = {f"k{i}": ("v" if i % 3 else [i, "w", {"z": "q"}]) for i in range(40000)}
    nested_json = json.dumps(_deep(70, "x"))
    decode_chain = "x"
    for _ in range(8):
        decode_chain = json.dumps({"x": decode_chain, "y": "%41"})
    bomb = gzip.compress(b"{" + b" " * (limits.MIN_DECOMPRESSED_BYTES * 200) + b"}", mtime=0)
    kafka = {
        "headers": [{"h": [104, 105]}, {"g": [999]}],
        "value": base64.b64encode(b"hello %41 world").decode(),
        "key": "a2V5a2V5a2V5a2V5a2V5",
    }
    return {
        "fields": {"a": "1", "b": many, "c": "2"},
        "fields_list": {"a": ["v", 1, None, {"x": "y"}] * 30000},
        "nest": {"a": "%3Cx", "b": _deep(70, "leaf"), "c": "z"},
        "nest_json": {
            "Records": [
                {"eventSource": "aws:sqs", "body": nested_json, "messageId": "1"},
                {"eventSource": "aws:sqs", "body": "ok", "messageId": "2"},
            ]
        },
        "decode_depth": {"m": decode_chain},
        "bomb": {"awslogs": {"data": base64.b64encode(bomb).decode()}},
        "long_keys": {("K" * 100) + str(i): {"v": "w" * 5} for i in range(50)},
        "long_path": _deep(40, {("x" * 60): {("y" * 60): "z"}}),
        "kafka_bytes": {"eventSource": "aws:kafka", "records": {"t-0": [kafka]}},
        "big_text": {"body": "x" * (limits.MAX_FIELD_CHARS + 5000) + "%3C", "n": "y"},
        "big_json": {"body": json.dumps({"items": ["x" * 1000] * 1200, "note": "%3Cz"})},
    }


def _sqs(*bodies: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventSource": "aws:sqs",
                "messageId": f"m{i}",
                "body": body,
                "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
                "messageAttributes": {},
            }
            for i, body in enumerate(bodies)
        ]
    }


def record(out: Path, shared: Path | None) -> None:
    result: dict[str, Any] = {}
    paths = sorted((ROOT / "tests" / "events").glob("*/*.json"))
    if shared is not None:
        paths += sorted((shared / "events").glob("*/*.json"))
    for path in paths:
        event = json.loads(path.read_text())
        name = str(path.relative_to(shared if shared and shared in path.parents else ROOT))
        result[name] = {"fields": _fields(event), "verdict": _verdict(event)}
    corpus = shared / "corpus" / "dev.jsonl" if shared is not None else None
    if corpus is not None and corpus.is_file():
        for line in corpus.read_text().split("\n"):
            if not line.strip():
                continue
            item = json.loads(line)
            payload = item["payload"]
            for i, event in enumerate(
                (
                    {"msg": payload, payload[:200]: "x"},
                    _sqs(json.dumps({"q": payload}), base64.b64encode(payload.encode()).decode()),
                )
            ):
                result[f"corpus/{item['id']}/{i}"] = {
                    "fields": _fields(event),
                    "verdict": _verdict(event),
                }
    for name, event in _limit_events().items():
        result[f"limit/{name}"] = {"fields": _fields(event), "verdict": _verdict(event)}
    out.write_text(json.dumps(result))
    print(json.dumps({"events": len(result), "out": str(out)}))


def compare(old: Path, new: Path) -> int:
    a, b = json.loads(old.read_text()), json.loads(new.read_text())
    differences = 0
    for name in sorted(set(a) | set(b)):
        x, y = a.get(name), b.get(name)
        if x == y:
            continue
        if (
            x
            and y
            and x["fields"] == y["fields"]
            and "MAX_INSPECTION_SECONDS" in json.dumps([x["verdict"], y["verdict"]])
        ):
            print(json.dumps({"name": name, "note": "verdict timed out in one run"}))
            continue
        differences += 1
        print(json.dumps({"name": name, "old": str(x)[:400], "new": str(y)[:400]}))
    print(json.dumps({"compared": len(set(a) | set(b)), "differences": differences}))
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--shared", type=Path, default=None)
    cmp = sub.add_parser("compare")
    cmp.add_argument("old", type=Path)
    cmp.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out, args.shared.resolve() if args.shared else None)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())

"""``eventguard inspect EVENT.json``: the verdict on one event, as the runtime would decide it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "inspect one event (JSON file, or - for stdin) and print the verdict"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", help="event JSON file, or - for standard input")
    parser.add_argument("--policy", help="policy JSON file (default: the event's shape decides)")


def run(args: argparse.Namespace) -> int:
    from ..runtime import inspect
    from ..runtime.policy import from_json

    try:
        text = sys.stdin.read() if args.event == "-" else Path(args.event).read_text("utf-8")
        event = json.loads(text)
        policy = from_json(Path(args.policy).read_text("utf-8")) if args.policy else None
    except (OSError, ValueError) as exc:
        print(f"eventguard inspect: {exc}", file=sys.stderr)
        return 2
    verdict = inspect(event, policy=policy)
    if args.json:
        print(json.dumps(verdict.to_dict(), indent=2))
    else:
        state = "BLOCKED" if verdict.blocked else "allowed"
        print(f"{state}: source {verdict.source}, {len(verdict.findings)} finding(s)")
        for f in verdict.findings:
            print(f"  {f.rule:16} {f.path}  {f.excerpt}")
    return 1 if verdict.blocked else 0

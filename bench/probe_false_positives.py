"""False positives of a hand-written benign probe set, per category: prints JSON.

Each line of a probe file is ``{"class": "benign", "payload": ..., "source": "hand-written:
CATEGORY"}`` (or ``"category": CATEGORY``). For every category: how many texts, how many some
detector fires on, and with ``--show`` the rules, details and a short excerpt of each, so that a
change to a detector can be judged category by category, not only on the total the tests hold.

    .venv/bin/python bench/probe_false_positives.py tests/data/probe_developer_benign.jsonl [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's eventguard, not an installed one

from eventguard.runtime.detectors import scan  # noqa: E402


def _category(row: dict[str, str]) -> str:
    return row.get("category") or row.get("source", "?").removeprefix("hand-written: ")


def measure(path: Path, *, show: bool = False) -> dict[str, Any]:
    """Counts per category of ``path`` (and the findings themselves with ``show``)."""
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "noisy": 0})
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        entry = per[_category(row)]
        entry["count"] += 1
        found = scan(row["payload"])
        if not found:
            continue
        entry["noisy"] += 1
        if show:
            text = row["payload"]
            entry.setdefault("findings", []).append(
                [[rule, m.detail, text[max(0, m.start - 20) : m.end + 20]] for rule, m in found]
            )
    total = sum(e["count"] for e in per.values())
    noisy = sum(e["noisy"] for e in per.values())
    return {
        "file": str(path),
        "count": total,
        "noisy": noisy,
        "categories": dict(sorted(per.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true", help="list each finding")
    args = parser.parse_args()
    for path in args.files:
        print(json.dumps(measure(path, show=args.show), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Reports of an audit: ``eventguard-report.json``, ``.md`` and ``.html`` (filled in below)."""

from __future__ import annotations

import json
import os
from typing import Any

REPORT_BASENAME = "eventguard-report"


def write_reports(report: Any, directory: str) -> list[str]:
    """Write the JSON report next to the templates; return the paths written."""
    path = os.path.join(directory, f"{REPORT_BASENAME}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report.to_dict(), handle, indent=2, default=str)
    return [path]

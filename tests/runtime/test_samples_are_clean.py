"""Every sample event in tests/events is what a service or an honest client sends: inspecting it
finds nothing. A finding here is a false positive on a real event shape (the Lambda platform's
own log lines, an EBS device name, a gzipped CloudWatch Logs payload)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventguard.runtime import inspect

EVENTS = Path(__file__).resolve().parents[1] / "events"
SAMPLES = sorted(EVENTS.glob("*/*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_event_has_no_findings(path: Path) -> None:
    verdict = inspect(json.loads(path.read_text()))
    assert [(f.rule, f.path, f.excerpt) for f in verdict.findings] == []

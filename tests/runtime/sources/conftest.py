"""Helpers of the source tests: the sample events of tests/events, and field extraction."""

from __future__ import annotations

import copy
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from eventguard.runtime import sources
from eventguard.runtime.fields import Budget, Field, extract

EVENTS = Path(__file__).resolve().parents[2] / "events"


def sample_paths() -> list[Path]:
    return sorted(EVENTS.glob("*/*.json"))


def load(name: str) -> Any:
    """A deep copy of ``tests/events/<name>``, safe to mutate."""
    return copy.deepcopy(json.loads((EVENTS / name).read_text()))


def fields_of(event: Any, source_id: str | None = None) -> list[Field]:
    module = sources.BY_ID[source_id] if source_id else sources.identify(event)
    return list(extract(event, module, Budget(deadline=time.perf_counter() + 5)))


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def put(event: Any, path: str, value: Any) -> Any:
    """Set ``value`` at ``a.b[0].c`` (keys are created when missing); returns the event."""
    steps: list[str | int] = [int(index) if index else key for key, index in _STEP.findall(path)]
    node = event
    for step in steps[:-1]:
        node = node[step] if isinstance(step, int) else node.setdefault(step, {})
    last = steps[-1]
    node[last] = value
    return event


class Kit:
    """What the source tests share, handed out as the ``kit`` fixture (with
    ``--import-mode=importlib`` a test module cannot import conftest)."""

    events = EVENTS
    load = staticmethod(load)
    fields = staticmethod(fields_of)
    put = staticmethod(put)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit

"""Hostile events never crash recognition or extraction: any JSON value in any field of any
sample either extracts or raises ``LimitExceeded`` (which the engine turns into a finding)."""

from __future__ import annotations

import base64
import gzip
import json
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventguard.runtime import sources
from eventguard.runtime.errors import LimitExceeded
from eventguard.runtime.fields import Budget, extract

EVENTS = Path(__file__).resolve().parents[2] / "events"
SAMPLES = [json.loads(p.read_text()) for p in sorted(EVENTS.glob("*/*.json"))]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(["eyJ.a.b", "%3C%", "&#x3c", "\\u00", "{", "[1,", "<a", "--x\r\n", "H4sI"]),
    st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode()),
    st.binary(max_size=40).map(lambda b: base64.b64encode(gzip.compress(b)).decode()),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _replace(event, path, new):
    if not path:
        return new
    node = event
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return event


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0), st.integers(min_value=0), VALUES)
def test_any_value_anywhere_never_crashes(which, where, value) -> None:
    event = json.loads(json.dumps(SAMPLES[which % len(SAMPLES)]))
    paths = list(_paths(event))
    event = _replace(event, paths[where % len(paths)], value)
    module = sources.identify(event)
    try:
        for field in extract(event, module, Budget(deadline=time.perf_counter() + 5)):
            assert isinstance(field.text, str) and isinstance(field.path, str)
        module.origins(event) if module is not sources.direct else None
    except LimitExceeded:
        pass

"""The SOURCES registry: every sample event is recognized by its own source and by no other, and
every source module honours the contract of ``sources/__init__.py``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import pytest

from eventguard.runtime import sources

REQUIRED_IDS = [
    "api-rest",
    "api-http",
    "function-url",
    "alb",
    "api-websocket",
    "appsync",
    "sqs",
    "sns",
    "s3",
    "dynamodb-stream",
    "kinesis",
    "firehose",
    "eventbridge",
    "scheduled",
    "cloudwatch-logs",
    "ses",
    "iot",
    "codecommit",
    "kafka",
    "mq",
    "cognito",
    "sms",
    "lex",
    "connect",
    "s3-batch",
    "cloudformation",
    "secrets-rotation",
    "direct",
]
KINDS = {"http", "batch", "async", "sync"}
BATCH_API = ("records", "record_path", "RECORD_UNTRUSTED", "item_id", "without", "merge")
EVENTS = Path(__file__).resolve().parents[2] / "events"
SAMPLES = sorted(EVENTS.glob("*/*.json"))


def test_every_required_source_id_has_a_module() -> None:
    assert set(REQUIRED_IDS) <= set(sources.BY_ID)


def test_ids_are_unique_and_direct_is_last() -> None:
    ids = [m.ID for m in sources.SOURCES]
    assert len(ids) == len(set(ids))
    assert sources.SOURCES[-1] is sources.direct


def test_every_source_has_a_sample_folder() -> None:
    folders = {p.parent.name for p in SAMPLES}
    assert set(sources.BY_ID) <= folders


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_is_matched_by_its_own_source_only(path) -> None:
    event = json.loads(path.read_text())
    expected = path.parent.name
    claimed = [m.ID for m in sources.SOURCES if m is not sources.direct and m.matches(event)]
    assert claimed == ([] if expected == "direct" else [expected])
    assert expected == sources.identify(event).ID


@pytest.mark.parametrize("module", sources.SOURCES, ids=lambda m: m.ID)
def test_module_contract(module: ModuleType) -> None:
    assert module.KIND in KINDS
    assert isinstance(module.UNTRUSTED, tuple)
    assert isinstance(getattr(module, "ENCODED", {}), Mapping)
    assert (module.__doc__ and "origins" in module.__doc__) or module is sources.direct
    for name in ("matches", "origins", "blocked_response"):
        assert callable(getattr(module, name))
    if module.KIND == "batch":
        for name in BATCH_API:
            assert hasattr(module, name), f"{module.ID} lacks {name}"
    if module.KIND == "http":
        assert callable(module.error_response)


@pytest.mark.parametrize("module", sources.SOURCES, ids=lambda m: m.ID)
def test_origins_are_strings_for_every_own_sample(module: ModuleType) -> None:
    for path in (EVENTS / module.ID).glob("*.json"):
        origins = module.origins(json.loads(path.read_text()))
        assert isinstance(origins, set)
        assert all(isinstance(o, str) and o for o in origins)


@pytest.mark.parametrize(
    "event",
    [
        None,
        1,
        "text",
        [],
        [1, 2],
        {},
        {"Records": []},
        {"Records": [1]},
        {"Records": "x"},
        {"requestContext": "x"},
        {"records": {"t-0": "x"}},
        {"info": {"operation": 3}},
    ],
    ids=repr,
)
def test_rejects_malformed_shapes_as_direct(event) -> None:
    """Hostile or truncated events never crash recognition and fall to ``direct``."""
    for module in sources.SOURCES:
        if module is not sources.direct:
            assert module.matches(event) is False, module.ID
    assert sources.identify(event) is sources.direct


def test_helpers_are_not_sources() -> None:
    modules = {m.__name__.rsplit(".", 1)[1] for m in sources.SOURCES}
    assert not any(name.startswith("_") for name in modules)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_anchors_are_necessary_and_identify_agrees_with_a_full_scan(path) -> None:
    event = json.loads(path.read_text())
    keys = set(event) if isinstance(event, dict) else {sources.LIST_ANCHOR}
    for module in sources.SOURCES:
        if module is not sources.direct and module.matches(event):
            assert keys & set(module.ANCHORS), f"{module.ID} matched without an anchor"
    first = next(m for m in sources.SOURCES if m.matches(event))
    assert sources.identify(event) is first

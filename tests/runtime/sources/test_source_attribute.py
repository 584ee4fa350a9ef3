"""``sources.attribute``: a source module's optional names, read as ``getattr`` reads them."""

from __future__ import annotations

import types

from eventguard.runtime import sources
from eventguard.runtime.sources import eventbridge, sqs


def test_names_a_module_has_and_lacks_read_as_getattr_reads_them() -> None:
    for module in sources.SOURCES:
        for name in ("KIND", "verify", "values", "ENCODED", "message_group", "ID"):
            assert sources.attribute(module, name, "-") == getattr(module, name, "-")
    assert sources.attribute(eventbridge, "verify") is eventbridge.verify
    assert sources.attribute(sqs, "KIND", "") == "batch"


def test_a_module_getattr_and_other_objects_still_answer() -> None:
    lazy = types.ModuleType("lazy")
    lazy.__getattr__ = lambda name: f"computed {name}"  # type: ignore[method-assign]
    assert sources.attribute(lazy, "KIND", "") == "computed KIND"
    stand_in = types.SimpleNamespace(KIND="http")
    assert sources.attribute(stand_in, "KIND", "") == "http"  # type: ignore[arg-type]
    assert sources.attribute(stand_in, "verify") is None  # type: ignore[arg-type]

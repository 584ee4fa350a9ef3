"""DynamoDB images are read into one list (no generator per level), with what generators gave:
the same triples in the same order, and on a too-deep image the triples found before it, then
the error."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventguard.runtime.errors import LimitExceeded
from eventguard.runtime.limits import MAX_NESTING_DEPTH
from eventguard.runtime.sources import _ddb, dynamodb_stream


def _image(item: Any, path: str, depth: int = 0) -> Iterator[Any]:
    """The generators these functions were."""
    if not isinstance(item, Mapping):
        return
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", path)
    for name, typed in item.items():
        key = f"{path}.{name}"
        yield f"{key}<key>", str(name), ()
        yield from _value(typed, key, depth + 1)


def _value(typed: Any, path: str, depth: int) -> Iterator[Any]:
    if not isinstance(typed, Mapping):
        return
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", path)
    for tag, item in typed.items():
        at = f"{path}.{tag}"
        if tag == "S" and isinstance(item, str):
            yield at, item, ()
        elif tag == "B" and isinstance(item, str):
            yield at, item, ("base64",)
        elif tag in ("SS", "BS") and isinstance(item, list):
            chain = ("base64",) if tag == "BS" else ()
            for i, entry in enumerate(item):
                if isinstance(entry, str):
                    yield f"{at}[{i}]", entry, chain
        elif tag == "M":
            yield from _image(item, at, depth + 1)
        elif tag == "L" and isinstance(item, list):
            for i, entry in enumerate(item):
                yield from _value(entry, f"{at}[{i}]", depth + 1)


def _drain(found: Any) -> tuple[list[Any], str | None]:
    out: list[Any] = []
    try:
        for item in found:
            out.append(item)
    except LimitExceeded as exc:
        return out, exc.limit
    return out, None


_TYPED = st.recursive(
    st.one_of(
        st.builds(lambda s: {"S": s}, st.text(max_size=4)),
        st.builds(lambda s: {"B": s}, st.text(max_size=4)),
        st.builds(lambda s: {"SS": s}, st.lists(st.text(max_size=3) | st.integers(), max_size=3)),
        st.builds(lambda s: {"BS": s}, st.lists(st.text(max_size=3), max_size=3)),
        st.just({"N": "1"}),
        st.just({"NULL": True}),
        st.just("not a typed value"),
    ),
    lambda inner: (
        st.builds(lambda m: {"M": m}, st.dictionaries(st.text(max_size=3), inner))
        | st.builds(lambda items: {"L": items}, st.lists(inner, max_size=3))
    ),
    max_leaves=12,
)


@settings(max_examples=1500, deadline=None)
@given(st.dictionaries(st.text(max_size=4), _TYPED, max_size=4))
def test_image_lists_what_the_generators_yielded(item: dict[str, Any]) -> None:
    assert _drain(_ddb.image(item, "Records[0].dynamodb.NewImage")) == _drain(
        _image(item, "Records[0].dynamodb.NewImage")
    )


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "bottom"}
    for i in range(levels):
        value = {"M": {f"k{i}": value, "s": {"S": f"at {i}"}}}
    return {"top": value}


@pytest.mark.parametrize("levels", [3, MAX_NESTING_DEPTH])
def test_a_too_deep_image_gives_what_came_before_then_the_error(levels: int) -> None:
    record = {"dynamodb": {"NewImage": _deep(levels), "Keys": {"id": {"S": "1"}}}}
    expected: list[Any] = []
    error = None
    for name in _ddb.IMAGES:
        found, error = _drain(_image(record["dynamodb"].get(name), f"Records[0].dynamodb.{name}"))
        expected += found
        if error:
            break
    assert _drain(dynamodb_stream.values(record, "Records[0]")) == (expected, error)
    assert (error is not None) == (levels == MAX_NESTING_DEPTH)

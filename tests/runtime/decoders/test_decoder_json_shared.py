"""``jsontext.decode`` parses with one shared decoder instead of ``json.loads`` with a hook
(which builds a decoder per call): the same values, and the same errors, for any text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventguard.runtime.decoders import jsontext
from eventguard.runtime.errors import DecodeError, LimitExceeded

_JSONISH = st.text(alphabet='{}[]":,0123456789.eE+-truefalsnl \t\n\\u\ufeffab', max_size=40)


def _reference(text: str) -> tuple[str, Any]:
    try:
        return "ok", json.loads(text, object_pairs_hook=jsontext._object)
    except RecursionError:
        return "limit", None
    except ValueError as exc:
        return "decode", exc.__class__.__name__


def _shared(text: str) -> tuple[str, Any]:
    try:
        return "ok", jsontext.decode(text)
    except LimitExceeded:
        return "limit", None
    except DecodeError as exc:
        return "decode", str(exc).removeprefix("not JSON: ")


@settings(max_examples=4000, deadline=None)
@given(
    st.one_of(
        _JSONISH,
        st.recursive(
            st.none() | st.integers() | st.text(max_size=5),
            lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
        ).map(json.dumps),
    )
)
def test_shared_decoder_answers_as_json_loads(text: str) -> None:
    assert _shared(text) == _reference(text)


@pytest.mark.parametrize(
    "text",
    ["\ufeff{}", "\ufeff", '{"a": 1, "a": 2}', "[" * 100000, "", " ", "NaN", '"\\ud800"'],
)
def test_shared_decoder_edge_cases(text: str) -> None:
    assert _shared(text) == _reference(text)

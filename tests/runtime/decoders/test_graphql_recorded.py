"""The GraphQL decoder reads every recorded document as it was recorded: the values by path,
or the error (``tests/data/graphql_documents.jsonl``, written by ``make_graphql_documents.py``
with the decoder of a Python loop over ``re.match``, before its tokenizer became one
``finditer`` pass)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventguard.runtime.decoders import graphql
from eventguard.runtime.errors import DecodeError, LimitExceeded

DATA = Path(__file__).resolve().parents[2] / "data" / "graphql_documents.jsonl"
RECORDED = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def _outcome(document: str) -> dict[str, Any]:
    try:
        return {"values": graphql.decode(document)}
    except (DecodeError, LimitExceeded) as exc:
        return {"error": type(exc).__name__}


def test_the_recording_covers_values_and_both_outcomes() -> None:
    errors = [r for r in RECORDED if "error" in r]
    values = [v for r in RECORDED for v in r.get("values", {}).values()]
    assert len(RECORDED) > 250 and len(errors) > 50 and len(values) > 1000


@pytest.mark.parametrize("index", range(0, len(RECORDED), 20))
def test_every_document_reads_as_recorded(index: int) -> None:
    """Twenty documents per case, so that a difference names its document."""
    for case in RECORDED[index : index + 20]:
        expected = {k: v for k, v in case.items() if k != "document"}
        assert _outcome(case["document"]) == expected, case["document"]


def test_trailing_comment_is_not_read_again_as_tokens() -> None:
    """What follows ``#`` to the end of the line is a comment even at the end of the text: a
    ``}`` in it closes nothing (a tokenizer that resumed inside it would read one)."""
    with pytest.raises(DecodeError):
        graphql.decode("{ a(x: 1) # }")
    assert graphql.decode('{ a(x: "v") } # { b(y: "w") }') == {"a.x": "v"}

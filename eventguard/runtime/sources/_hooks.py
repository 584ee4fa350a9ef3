"""Helpers of the sources' ``values`` hooks: a hook builds one list of (path, value, chain)
rather than yielding through a generator per level, and still hands back what it found before
an error, as a generator would have."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

Chain = tuple[str, ...]
Triple = tuple[str, Any, Chain]


def listed(fill: Callable[..., None], *args: Any) -> Iterable[Triple]:
    """What ``fill(out, *args)`` appends to ``out``, as a list; when it raises, an iterator over
    what it appended before that raises the error after them (``fields._select`` keeps the
    selections made before a hook's error)."""
    out: list[Triple] = []
    try:
        fill(out, *args)
    except Exception as exc:
        return _then_raise(out, exc)
    return out


def _then_raise(found: list[Triple], error: Exception) -> Iterator[Triple]:
    yield from found
    raise error

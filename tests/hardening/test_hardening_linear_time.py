"""Time proportional to input size: the time per KB of a big input against a small one of the same
kind (ratios only, never absolute thresholds; generous factors since machines are noisy).

A pattern that backtracks, a decoder that re-copies what it has built, or a walk that revisits
what it has seen shows up as a time per KB that grows with the input."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any

import pytest

from eventguard.runtime import engine, inspect

FACTOR = 5.0  # allowed growth of the time per KB from the small input to the big one (8x)
SMALL, BIG = 4 * 1024, 32 * 1024
SLACK_SECONDS = 0.5
MAX_BIG_SECONDS = 5.0  # the big input is killed past this, whatever the small one took

UNITS = ["'", "<", "%25", "&#", "\\u00", "/*", "${", " OR ", "<a ", "../", "/", "%", "é"]
# runs of path separators were quadratic in path_traversal (fixed in 749df8c): kept as guards
UNITS += ["\\", "?", ".", "%2f"]


def per_kb(build: Callable[[int], Any], size: int, runs: int) -> float:
    """The best CPU time per KB of up to ``runs`` runs (fewer once 0.3 s are spent): CPU time,
    as on a loaded machine the wall clock mostly measures the wait for a core."""
    event = build(size)
    best, spent = float("inf"), 0.0
    for _ in range(runs):
        started = time.process_time()
        inspect(event)
        took = time.process_time() - started
        best, spent = min(best, took), spent + took
        if spent > 0.3:
            break
    return best / (size / 1024)


def bounded(fn: Callable[[], float], timeout: float) -> float | None:
    """``fn()`` in a forked child, killed after ``timeout`` seconds (None): a superlinear input
    fails the test in bounded time instead of running for minutes."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def target() -> None:
        send.send(fn())
        send.close()

    child = ctx.Process(target=target, daemon=True)
    child.start()
    try:
        if receive.poll(timeout):
            return float(receive.recv())
        return None
    finally:
        child.kill()
        child.join()


def growth(build: Callable[[int], Any], small: int = SMALL, big: int = BIG) -> float:
    """How much the time per KB grows from ``small`` to ``big`` (``inf`` past the bound): the
    least of up to three measurements, since a moment of load can stretch one of them, while a
    superlinear input grows every time."""
    measured = float("inf")
    for _ in range(3):
        measured = min(measured, _growth_once(build, small, big))
        if measured < FACTOR:
            break
    return measured


def _growth_once(build: Callable[[int], Any], small: int, big: int) -> float:
    # Warm the caches (imports, regexes compiled on first use, such as a detector's marks past
    # the first places of a long text) here, before forking, so that neither child pays them:
    # a big input whose first run passes 0.3 s is timed once, compiling included.
    inspect(build(1024))

    def warm_and_time_small() -> float:
        inspect(build(256))
        return per_kb(build, small, 5)

    small_per_kb = bounded(warm_and_time_small, 20.0)
    assert small_per_kb is not None, "the small input alone ran past 20 s"
    expected = small_per_kb * big / 1024
    timeout = min(3 * FACTOR * expected + SLACK_SECONDS, MAX_BIG_SECONDS)
    big_per_kb = bounded(lambda: per_kb(build, big, 2), timeout)
    return float("inf") if big_per_kb is None else big_per_kb / small_per_kb


@pytest.fixture(autouse=True)
def no_time_budget(monkeypatch):
    """The budget would cut the big input short and hide the growth."""
    monkeypatch.setattr(engine, "MAX_INSPECTION_SECONDS", 600.0)


@pytest.mark.parametrize("unit", UNITS, ids=[repr(u) for u in UNITS])
def test_repeated_unit_is_linear(unit):
    def build(size: int) -> Any:
        return {"q": (unit * (size // len(unit) + 1))[:size] + "!"}

    assert growth(build) < FACTOR


@pytest.mark.parametrize(
    "unit",
    ["' OR 1=1 -- ", "<script>x</script>", "${jndi:ldap://a/b}", "../../etc/passwd ", "a=1&b=2&"],
)
def test_attack_dense_text_is_linear(unit):
    def build(size: int) -> Any:
        return {"q": unit * (size // len(unit))}

    assert growth(build) < FACTOR


def test_many_fields_are_linear():
    def build(size: int) -> Any:
        return {"a": ["x=1;" + str(i) for i in range(size // 16)]}

    assert growth(build, 8 * 1024, 64 * 1024) < FACTOR


def test_json_body_is_linear():
    def build(size: int) -> Any:
        items = ",".join(f'{{"k{i}": "v<{i}>"}}' for i in range(size // 16))
        return {"body": f"[{items}]"}

    assert growth(build, 8 * 1024, 64 * 1024) < FACTOR


def test_many_sqs_records_are_linear(sqs_event):
    def build(size: int) -> Any:
        return sqs_event([f"message {i} ' x" for i in range(size // 1024)])

    assert growth(build, 24 * 1024, 192 * 1024) < FACTOR


def _xml(names: int, name_len: int, items: int) -> str:
    tags = [f"n{i}" + "x" * name_len for i in range(names)]
    opening = "".join(f"<{t}>" for t in tags)
    closing = "".join(f"</{t}>" for t in reversed(tags))
    return opening + "<c a='1'/>" * items + closing


def test_xml_with_long_element_names_is_linear():
    """Two XML texts of the same size: long nested names must not cost more per character
    than plain elements (fewer items even)."""
    from eventguard.runtime.decoders import xmltext

    names = _xml(60, 4000, 9000)
    plain = "<r>" + ("<i>" + "v" * (len(names) // 4500 - 7) + "</i>") * 4500 + "</r>"
    assert abs(len(plain) - len(names)) < len(names) // 20

    def seconds(text: str, runs: int) -> float:
        best = float("inf")
        for _ in range(runs):
            started = time.perf_counter()
            xmltext.decode(text)
            best = min(best, time.perf_counter() - started)
        return best

    seconds(plain, 1)
    assert seconds(names, 2) / seconds(plain, 3) < 2 * FACTOR

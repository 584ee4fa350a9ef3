"""``bench/bench_floor.py``: every part of ``scan`` it times is reported, on the same texts."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_floor", ROOT / "bench" / "bench_floor.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


floor = _module()
PARTS = {"normalize", "plain_marks", "plain_marks_and_words", "scan"}


def test_the_parts_are_the_router_s_and_scan_is_the_whole() -> None:
    parts = floor._variants()
    assert set(parts) == PARTS
    attack = "1' or '1'='1"
    assert parts["scan"](attack)  # the whole finds the attack
    assert parts["plain_marks"](attack) is not None  # the plain marks see its quote
    assert parts["normalize"](attack).low == attack


def test_lines_and_fields_report_every_part() -> None:
    texts = floor._load(None)[:50]
    assert texts and set(floor._lines(texts, 1)) == PARTS
    fields = floor._fields_4kb(texts, 2)
    assert fields and all(len(f) <= 4096 for f in fields)
    p99 = floor._p99_4kb(fields, 1)
    assert set(p99) == PARTS and all(v >= 0 for v in p99.values())


def test_primitives_are_per_character() -> None:
    out = floor._primitives("an ordinary sentence, nothing more. " * 100, 1)
    assert set(out) == {
        "regex_led_by_a_literal",
        "regex_led_by_a_class",
        "plain_mark_regex_all_matches",
        "substring_test_absent_word",
        "lower",
    }

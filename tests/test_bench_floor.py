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


def test_marks_in_re2_syntax_are_supersets_without_look_arounds() -> None:
    convert = floor._without_look_arounds
    assert convert(r"\.(?:(?<=os\.))(?:system|popen)") == r"\.(?:)(?:system|popen)"
    assert convert(r"::(?<![^\s\"'=@(\[]::)") == "::"
    assert convert(r"\s*+[\w.@-]{0,64}+\s*+['\"]") == r"\s*[\w.@-]{0,64}\s*['\"]"
    assert convert(r"\+adw-\s?!") == r"\+adw-\s?!"
    assert convert("[\x7f-\\uffff](?=x)") == "[\x7f-\\x{ffff}]"
    assert convert("(?>ab|c)d") == "(?:ab|c)d"


def test_the_compiled_set_is_reported_only_where_re2_is_installed() -> None:
    try:
        import re2  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        assert floor._compiled_set(["a"], ["b"], 1) == {"available": False}
    else:
        assert floor._compiled_set(["a"], ["b"], 1)["available"] is True

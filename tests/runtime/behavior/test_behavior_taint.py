"""Taint of the current event: which strings count, decoded leaves, bounds, and matching."""

from __future__ import annotations

import base64
import json

from eventguard.runtime import taint
from eventguard.runtime.taint import Taint, raw_strings


def tracker(event: object) -> Taint:
    t = Taint()
    t.begin(event)
    return t


def test_keys_and_values_at_any_depth_are_collected() -> None:
    event = {"a": [{"deep": {"key-name": "value-one"}}], "n": 5, "b": b"raw-bytes"}
    assert set(raw_strings(event)) >= {"a", "deep", "key-name", "value-one", "raw-bytes", "n", "b"}


def test_short_plain_strings_are_ignored_but_short_marked_ones_count() -> None:
    t = tracker({"k": "abc", "x": "abcdef", "y": ";id", "z": "../"})
    strings = t.strings()
    assert "abc" not in strings and "abcdef" in strings
    assert ";id" in strings and "../" in strings


def test_decoded_leaves_of_json_url_and_base64_values_are_tainted() -> None:
    body = json.dumps({"user": {"name": "robert; drop table"}})
    encoded = base64.b64encode(b"secret-command --now").decode()
    t = tracker({"body": body, "q": "path=..%2F..%2Fetc%2Fpasswd", "b64": encoded})
    assert t.found_in("echo robert; drop table") == "robert; drop table"
    assert t.found_in("open ../../etc/passwd")
    assert t.found_in("run secret-command --now") == "secret-command --now"


def test_containing_finds_a_host_inside_an_event_url() -> None:
    t = tracker({"callback": "https://evil.example.net/hook"})
    assert t.containing("evil.example.net") == "https://evil.example.net/hook"
    assert t.containing("good.example.org") is None


def test_path_strings_keep_only_values_that_can_steer_a_path() -> None:
    t = tracker({"a": "../../etc/passwd", "b": "/var/task/app.py", "c": "plain-name.txt"})
    assert set(t.path_strings()) == {"../../etc/passwd", "/var/task/app.py"}


def test_end_forgets_the_event() -> None:
    t = tracker({"x": "rm -rf / --no-preserve-root"})
    assert t.found_in("sh -c rm -rf / --no-preserve-root")
    t.end()
    assert not t.active() and t.found_in("rm -rf / --no-preserve-root") is None


def test_bounded_in_nodes_strings_and_size() -> None:
    wide = {f"key-{i:06d}": f"value-{i:06d}" for i in range(taint.MAX_TAINT_NODES * 2)}
    assert len(raw_strings(wide)) <= taint.MAX_TAINT_NODES * 2
    t = tracker(wide)
    assert len(t.strings()) <= taint.MAX_TAINT_STRINGS
    huge = tracker({"x": "A" * (taint.MAX_TAINT_CHARS * 4)})
    assert max(len(s) for s in huge.strings()) <= taint.MAX_TAINT_CHARS
    nested: object = "deep-value"
    for _ in range(10_000):
        nested = [nested]
    assert tracker({"n": nested}).strings()  # no recursion limit: the walk is iterative

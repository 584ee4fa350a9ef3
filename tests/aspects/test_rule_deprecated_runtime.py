from __future__ import annotations

import datetime as dt

from eventguard.aspects.rules import deprecated_runtime as rule


def test_current_runtime_is_compliant(check, t):
    assert check(rule, t.base(t.plain_function(Runtime="python3.13")), "Fn").status == "compliant"


def test_fails_deprecated_runtime(check, t):
    result = check(rule, t.base(t.plain_function(Runtime="python3.8")), "Fn")
    assert result.status == "non_compliant"
    assert "deprecated since 2024-10-14" in result.violations[0].message


def test_deprecation_follows_the_date(check, t, monkeypatch):
    monkeypatch.setattr(rule, "today", lambda: dt.date(2025, 1, 1))
    assert check(rule, t.base(t.plain_function(Runtime="python3.9")), "Fn").status == "compliant"
    monkeypatch.setattr(rule, "today", lambda: dt.date(2026, 1, 1))
    assert (
        check(rule, t.base(t.plain_function(Runtime="python3.9")), "Fn").status == "non_compliant"
    )


def test_fails_unresolvable_runtime(check, t):
    doc = t.base(t.plain_function(Runtime={"Ref": "RuntimeParam"}))
    doc["Parameters"] = {"RuntimeParam": {"Type": "String"}}
    assert check(rule, doc, "Fn").violations[0].detail == "unresolved:runtime"


def test_image_function_and_queue_are_not_applicable(check, t):
    image = t.plain_function(PackageType="Image")
    del image["Properties"]["Runtime"]
    assert check(rule, t.base(image), "Fn").status == "not_applicable"
    assert check(rule, t.base(), "Queue").status == "not_applicable"

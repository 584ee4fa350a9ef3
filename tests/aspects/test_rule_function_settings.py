"""EventGuard-LogRetention and EventGuard-ReservedConcurrency."""

from __future__ import annotations

from eventguard.aspects.rules import log_retention, reserved_concurrency


def log_group(retention=30, name=None):
    props = {"LogGroupName": name or {"Fn::Join": ["", ["/aws/lambda/", {"Ref": "Fn"}]]}}
    if retention:
        props["RetentionInDays"] = retention
    return {
        "Type": "AWS::Logs::LogGroup",
        "Properties": props,
        "Metadata": {"aws:cdk:path": "S/Fn/Logs/Resource"},
    }


def test_explicit_log_group_with_retention_is_compliant(check, t):
    doc = t.base(t.secure_function(LoggingConfig={"LogGroup": {"Ref": "Logs"}}), Logs=log_group())
    assert check(log_retention, doc, "Fn").status == "compliant"
    assert check(log_retention, t.base(Logs=log_group()), "Fn").status == "compliant"


def test_fails_without_log_group(check, t):
    result = check(log_retention, t.base(), "Fn")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "log-group"


def test_fails_log_group_without_retention(check, t):
    doc = t.base(
        t.secure_function(LoggingConfig={"LogGroup": {"Ref": "Logs"}}),
        Logs=log_group(retention=None),
    )
    assert check(log_retention, doc, "Fn").violations[0].detail == "retention"


def test_fails_log_group_named_outside_the_app(check, t):
    doc = t.base(t.secure_function(LoggingConfig={"LogGroup": "/shared/logs"}))
    assert "not in this app" in check(log_retention, doc, "Fn").violations[0].message


def test_fails_triggered_function_without_reserved_concurrency(check, t):
    fn = t.secure_function()
    del fn["Properties"]["ReservedConcurrentExecutions"]
    assert check(reserved_concurrency, t.base(fn, Mapping=t.esm()), "Fn").status == "non_compliant"
    assert check(reserved_concurrency, t.base(Mapping=t.esm()), "Fn").status == "compliant"


def test_settings_not_applicable(check, t):
    assert check(reserved_concurrency, t.base(), "Fn").status == "not_applicable"  # no entry point
    assert check(log_retention, t.base(), "Queue").status == "not_applicable"

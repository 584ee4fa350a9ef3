from __future__ import annotations

import pytest

from eventguard.aspects.engine import SuppressionError, audit, audit_templates


def test_report_lists_entry_points_functions_and_findings(t):
    report = audit_templates({"S": t.base(t.plain_function(), Mapping=t.esm())})
    data = report.to_dict()
    (point,) = data["entry_points"]
    assert point["source_type"] == "sqs" and point["function"] == "Fn" and point["guarded"] is False
    assert point["status"] == "unguarded" and point["origin"] == "S/Queue/Resource"
    assert "EventGuard-UnguardedEntryPoint" in point["rules_failed"]
    assert "EventGuard-UninspectableEntryPoint" in point["rules_passed"]
    (function,) = data["functions"]
    assert function["guarded"] is False and function["entry_points"] == 1
    assert [f.rule for f in report.errors].count("EventGuard-UnguardedEntryPoint") == 1
    assert data["summary"]["unguarded_entry_points"] == 1


def test_effective_policy_is_reported(t):
    report = audit_templates(
        {"S": t.base(Mapping=t.esm(FunctionResponseTypes=["ReportBatchItemFailures"]))}
    )
    (function,) = report.functions
    assert function["guarded"] is True
    assert function["policy"]["mode"] == "block"
    assert function["policy"]["triggers"][0]["source"] == "sqs"
    assert not report.errors


def test_suppression_on_the_entry_point(t):
    doc = t.base(t.plain_function(), Mapping=t.esm())
    doc["Resources"]["Mapping"]["Metadata"]["eventguard:suppressions"] = [
        {"rule": "EventGuard-UnguardedEntryPoint", "reason": "legacy consumer, replaced in Q3"}
    ]
    report = audit_templates({"S": doc})
    finding = next(f for f in report.findings if f.rule == "EventGuard-UnguardedEntryPoint")
    assert finding.suppressed and finding.suppression_reason == "legacy consumer, replaced in Q3"
    assert not any(f.rule == "EventGuard-UnguardedEntryPoint" for f in report.errors)


def test_suppression_on_the_function_covers_its_entry_points(t):
    fn = t.plain_function()
    fn["Metadata"]["eventguard:suppressions"] = [
        {
            "rule": "EventGuard-UnguardedEntryPoint",
            "reason": "reviewed: internal only",
            "detail": "S/Fn/Resource",
        }
    ]
    report = audit_templates({"S": t.base(fn, Mapping=t.esm())})
    assert all(f.suppressed for f in report.findings if f.rule == "EventGuard-UnguardedEntryPoint")


def test_suppression_with_other_detail_does_not_apply(t):
    fn = t.plain_function()
    fn["Metadata"]["eventguard:suppressions"] = [
        {
            "rule": "EventGuard-UnguardedEntryPoint",
            "reason": "reviewed: internal only",
            "detail": "S/Other/Resource",
        }
    ]
    report = audit_templates({"S": t.base(fn, Mapping=t.esm())})
    assert any(f.rule == "EventGuard-UnguardedEntryPoint" for f in report.errors)


def test_cdk_nag_suppressions_are_honoured(t):
    doc = t.base(t.plain_function(), Mapping=t.esm())
    doc["Resources"]["Mapping"]["Metadata"]["cdk_nag"] = {
        "rules_to_suppress": [
            {"id": "EventGuard-UnguardedEntryPoint", "reason": "suppressed through NagSuppressions"}
        ]
    }
    report = audit_templates({"S": doc})
    assert not any(f.rule == "EventGuard-UnguardedEntryPoint" for f in report.errors)


def test_rejects_suppression_without_reason(t):
    doc = t.base(t.plain_function(), Mapping=t.esm())
    doc["Resources"]["Mapping"]["Metadata"]["eventguard:suppressions"] = [
        {"rule": "EventGuard-UnguardedEntryPoint", "reason": "ok"}
    ]
    with pytest.raises(SuppressionError, match="S/Fn/SqsEventSource/Resource"):
        audit_templates({"S": doc})


def test_a_crashing_rule_is_a_finding(t):
    class Broken:
        NAME, LEVEL, INFO, EXPLANATION = "EventGuard-Broken", "error", "x.", "y"

        @staticmethod
        def check(resource, template):
            raise KeyError("boom")

    from eventguard.aspects.model import Assembly

    report = audit(Assembly.from_templates({"S": t.base()}), rules=[Broken])
    assert report.errors and all("the rule failed: KeyError" in f.message for f in report.errors)


@pytest.mark.parametrize(
    "value",
    [
        {"Fn::Unknown": 1},
        {"Ref": 42},
        {"Fn::GetAtt": "nodot"},
        {"Fn::Join": "bad"},
        {"Fn::Sub": ["${X}", "notamap"]},
        {"Fn::If": ["C", {"Ref": "Fn"}, {"Ref": "AWS::NoValue"}]},
        {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]},
        ["a", "list"],
        None,
        12,
    ],
)
def test_unknown_intrinsics_never_crash(t, value):
    doc = t.base(
        t.plain_function(),
        Mapping=t.esm(value, value),
        Url={
            "Type": "AWS::Lambda::Url",
            "Properties": {"TargetFunctionArn": value, "AuthType": value},
        },
        Rule={
            "Type": "AWS::Events::Rule",
            "Properties": {"Targets": [{"Arn": value, "Id": "x"}], "EventBusName": value},
        },
    )
    doc["Resources"]["Fn"]["Properties"]["Environment"] = {"Variables": {"K": value}}
    doc["Resources"]["Fn"]["Properties"]["Role"] = value
    report = audit_templates({"S": doc})
    assert not [f for f in report.findings if "the rule failed" in f.message]
    assert report.errors  # unresolvable values are findings, never passes


def test_malformed_template_never_crashes():
    report = audit_templates(
        {
            "S": {
                "Resources": {
                    "X": "notadict",
                    "Y": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": "x"},
                }
            }
        }
    )
    assert not [f for f in report.findings if "the rule failed" in f.message]


def test_unused_suppressions_are_reported(t):
    fn = t.plain_function()
    fn["Metadata"]["eventguard:suppressions"] = [
        {
            "rule": "EventGuard-UnguardedEntryPoint",
            "reason": "reviewed: internal only",
            "detail": "S/Fn/Resource",
        },
        {
            "rule": "EventGuard-PlaintextSecret",
            "reason": "no secret here any more",
            "detail": "OLD_TOKEN",
        },
    ]
    report = audit_templates({"S": t.base(fn, Mapping=t.esm())})
    (unused,) = report.to_dict()["unused_suppressions"]
    assert unused["rule"] == "EventGuard-PlaintextSecret" and unused["paths"] == ["S/Fn/Resource"]

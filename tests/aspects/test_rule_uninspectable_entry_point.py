from __future__ import annotations

from eventguard.aspects.rules import uninspectable_entry_point as rule


def test_sqs_is_inspectable(check, t):
    assert "sqs" in rule.inspectable_sources()
    assert check(rule, t.base(Mapping=t.esm()), "Mapping").status == "compliant"


def test_fails_source_type_without_runtime_module(check, t):
    perm = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": "Fn"},
            "Principal": "newservice.amazonaws.com",
            "SourceAccount": "1",
        },
    }
    result = check(rule, t.base(Perm=perm), "Perm")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "service:newservice"


def test_fails_unknown_event_source_mapping_source(check, t):
    doc = t.base(Mapping=t.esm(source={"Ref": "SourceParam"}))
    doc["Parameters"] = {"SourceParam": {"Type": "String"}}
    result = check(rule, doc, "Mapping")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "unknown"


def test_not_applicable_to_a_function(check, t):
    assert check(rule, t.base(), "Fn").status == "not_applicable"

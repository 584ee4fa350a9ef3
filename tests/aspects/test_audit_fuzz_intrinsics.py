"""Property test: whatever values the intrinsics hold, the audit never crashes, and an entry
point whose function value is garbage is reported, never passed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventguard.aspects.engine import audit_templates

KEYS = [
    "Ref",
    "Fn::GetAtt",
    "Fn::Join",
    "Fn::Sub",
    "Fn::If",
    "Fn::ImportValue",
    "Fn::Select",
    "Fn::Split",
    "Fn::Base64",
    "Fn::Whatever",
    "Condition",
]
NAMES = [
    "Fn",
    "Queue",
    "Missing",
    "AWS::Region",
    "AWS::NoValue",
    "Fn.Arn",
    "${Fn.Arn}",
    "arn:aws:lambda:eu-west-1:1:function:x",
    "",
]

leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(NAMES), st.text(max_size=8)
)
values = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, min_size=1, max_size=1),
        st.dictionaries(st.text(max_size=5), inner, max_size=3),
    ),
    max_leaves=12,
)


def template(value, plain):
    fn = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Handler": "index.handler",
            "Runtime": value,
            "Role": value,
            "Environment": {"Variables": {"A": value}},
        },
    }
    return {
        "Resources": {
            "Fn": plain(fn),
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"RedrivePolicy": value}},
            "Mapping": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {"FunctionName": value, "EventSourceArn": value},
            },
            "Rule": {
                "Type": "AWS::Events::Rule",
                "Properties": {"Targets": [{"Id": "t", "Arn": value}], "EventBusName": value},
            },
            "Perm": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": value,
                    "Principal": value,
                    "SourceArn": value,
                },
            },
            "Policy": {
                "Type": "AWS::SQS::QueuePolicy",
                "Properties": {
                    "Queues": [value],
                    "PolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": "*",
                                "Action": "sqs:SendMessage",
                                "Resource": value,
                            }
                        ]
                    },
                },
            },
            "Pool": {
                "Type": "AWS::Cognito::UserPool",
                "Properties": {"LambdaConfig": {"PreSignUp": value}},
            },
            "Sm": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": value},
            },
        },
        "Parameters": {"P": {"Type": "String"}},
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_audit_never_crashes_and_never_passes_garbage(value):
    report = audit_templates({"S": template(value, lambda fn: fn)})
    assert not [f for f in report.findings if "the rule failed" in f.message]
    mapping = [p for p in report.entry_points if p["resource"] == "Mapping"]
    assert mapping and all(p["status"] in ("unguarded", "unresolved") for p in mapping)

from __future__ import annotations

from eventguard.aspects.rules import wildcard_permissions as rule


def policy(*statements, name="FnRoleDefaultPolicy"):
    return {
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": name,
            "Roles": [{"Ref": "FnRole"}],
            "PolicyDocument": {"Statement": list(statements)},
        },
        "Metadata": {"aws:cdk:path": "S/Fn/Role/DefaultPolicy/Resource"},
    }


SCOPED = {
    "Effect": "Allow",
    "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
    "Resource": {"Fn::GetAtt": ["Queue", "Arn"]},
}


def test_scoped_grant_is_compliant(check, t):
    assert check(rule, t.base(P=policy(SCOPED)), "Fn").status == "compliant"


def test_xray_on_star_is_a_named_exception(check, t):
    xray = {
        "Effect": "Allow",
        "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        "Resource": "*",
    }
    assert check(rule, t.base(P=policy(SCOPED, xray)), "Fn").status == "compliant"


def test_fails_resource_star_in_a_cdk_grant_policy(check, t):
    result = check(
        rule,
        t.base(P=policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"})),
        "Fn",
    )
    assert result.status == "non_compliant"
    assert "Resource '*' for dynamodb:GetItem" in result.violations[0].message
    assert "S/Fn/Role/DefaultPolicy/Resource" in result.violations[0].message


def test_fails_wildcard_action_in_inline_role_policy(check, t):
    doc = t.base()
    doc["Resources"]["FnRole"]["Properties"]["Policies"] = [
        {
            "PolicyName": "inline",
            "PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}]
            },
        }
    ]
    result = check(rule, doc, "Fn")
    assert result.status == "non_compliant"
    assert "wildcard action s3:*" in result.violations[0].message


def test_fails_aws_managed_policy(check, t):
    doc = t.base()
    doc["Resources"]["FnRole"]["Properties"]["ManagedPolicyArns"] = [
        {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                ],
            ]
        }
    ]
    result = check(rule, doc, "Fn")
    assert result.status == "non_compliant"
    assert "AWSLambdaBasicExecutionRole" in result.violations[0].message


def test_deny_statements_are_ignored(check, t):
    deny = {"Effect": "Deny", "Action": "*", "Resource": "*"}
    assert check(rule, t.base(P=policy(SCOPED, deny)), "Fn").status == "compliant"


def test_fails_when_the_role_is_not_in_the_app(check, t):
    fn = t.secure_function(Role="arn:aws:iam::123456789012:role/imported")
    result = check(rule, t.base(fn), "Fn")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "unresolved:role"


def test_not_applicable_to_a_queue(check, t):
    assert check(rule, t.base(), "Queue").status == "not_applicable"


def test_fails_customer_managed_policy_attached_by_arn(check, t):
    managed = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        },
        "Metadata": {"aws:cdk:path": "S/Admin/Resource"},
    }
    doc = t.base(Admin=managed)
    doc["Resources"]["FnRole"]["Properties"]["ManagedPolicyArns"] = [{"Ref": "Admin"}]
    result = check(rule, doc, "Fn")
    assert result.status == "non_compliant"
    assert {v.detail for v in result.violations} == {"wildcard action *", "Resource '*' for *"}

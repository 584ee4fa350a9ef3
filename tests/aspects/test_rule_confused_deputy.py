from __future__ import annotations

from eventguard.aspects.rules import confused_deputy as rule


def perm(principal, **props):
    return {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]},
            "Principal": principal,
            **props,
        },
    }


def test_service_principal_with_source_arn_is_compliant(check, t):
    doc = t.base(
        P=perm("sns.amazonaws.com", SourceArn={"Ref": "Topic"}), Topic={"Type": "AWS::SNS::Topic"}
    )
    assert check(rule, doc, "P").status == "compliant"


def test_fails_service_principal_without_source(check, t):
    result = check(rule, t.base(P=perm("s3.amazonaws.com")), "P")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "s3.amazonaws.com"


def test_fails_star_principal(check, t):
    result = check(rule, t.base(P=perm("*")), "P")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "*"


def test_account_principal_is_compliant(check, t):
    assert check(rule, t.base(P=perm("123456789012")), "P").status == "compliant"


def test_fails_unresolvable_principal_without_source(check, t):
    doc = t.base(P=perm({"Ref": "PrincipalParam"}))
    doc["Parameters"] = {"PrincipalParam": {"Type": "String"}}
    result = check(rule, doc, "P")
    assert result.status == "non_compliant"
    assert result.violations[0].detail.startswith("unresolved:")


def test_function_url_permission_is_not_applicable(check, t):
    assert (
        check(rule, t.base(P=perm("*", FunctionUrlAuthType="NONE")), "P").status == "not_applicable"
    )
    assert check(rule, t.base(), "Fn").status == "not_applicable"


def test_permission_invoked_via_function_url_is_not_applicable(check, t):
    assert (
        check(rule, t.base(P=perm("*", InvokedViaFunctionUrl=True)), "P").status == "not_applicable"
    )

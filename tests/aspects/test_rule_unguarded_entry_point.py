from __future__ import annotations

import copy

from eventguard.aspects.rules import unguarded_entry_point as rule


def test_secure_function_behind_queue_is_compliant(check, t):
    doc = t.base(Mapping=t.esm())
    assert check(rule, doc, "Mapping").status == "compliant"


def test_fails_plain_function_behind_queue(check, t):
    doc = t.base(t.plain_function(), Mapping=t.esm())
    result = check(rule, doc, "Mapping")
    assert result.status == "non_compliant"
    (violation,) = result.violations
    assert violation.detail == "S/Fn/Resource"
    assert (
        "S/Fn/SqsEventSource/Resource" in violation.message
        and "not a SecureFunction" in violation.message
    )


def test_not_applicable_to_a_queue(check, t):
    assert check(rule, t.base(), "Queue").status == "not_applicable"


def test_fails_when_the_function_is_a_parameter(check, t):
    doc = t.base(Mapping=t.esm({"Ref": "FunctionArnParam"}))
    doc["Parameters"] = {"FunctionArnParam": {"Type": "String"}}
    result = check(rule, doc, "Mapping")
    assert result.status == "non_compliant"
    assert result.violations[0].detail.startswith("unresolved:")
    assert "only known at deployment" in result.violations[0].message


def test_fails_when_the_function_is_an_arn_of_another_app(check, t):
    doc = t.base(Mapping=t.esm("arn:aws:lambda:eu-west-1:123456789012:function:elsewhere"))
    result = check(rule, doc, "Mapping")
    assert result.status == "non_compliant"
    assert "'elsewhere' is not defined in this app" in result.violations[0].message


def test_rejects_handler_string_copied_by_hand(check, t):
    fn = t.plain_function(Handler="eventguard.runtime.wrapper.handler")
    result = check(rule, t.base(fn, Mapping=t.esm()), "Mapping")
    assert result.status == "non_compliant"
    missing = result.violations[0].message
    assert (
        "EVENTGUARD_POLICY" in missing
        and "runtime layer" in missing
        and "eventguard:secure-function" in missing
    )


def test_rejects_secure_function_whose_layer_is_not_the_runtime(check, t):
    doc = t.base(Mapping=t.esm())
    doc["Resources"]["Layer"]["Properties"]["Description"] = "some other layer"
    result = check(rule, doc, "Mapping")
    assert result.status == "non_compliant"
    assert "runtime layer" in result.violations[0].message


def test_resolves_alias_and_version(check, t):
    alias = {
        "Type": "AWS::Lambda::Alias",
        "Properties": {
            "FunctionName": {"Ref": "Fn"},
            "FunctionVersion": {"Fn::GetAtt": ["Version", "Version"]},
            "Name": "live",
        },
    }
    version = {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}}
    doc = t.base(
        t.plain_function(),
        Alias=alias,
        Version=version,
        ViaAlias=t.esm({"Ref": "Alias"}),
        ViaVersion=t.esm({"Ref": "Version"}),
    )
    for mapping in ("ViaAlias", "ViaVersion"):
        result = check(rule, doc, mapping)
        assert result.status == "non_compliant"
        assert result.violations[0].detail == "S/Fn/Resource"
    secure = copy.deepcopy(doc)
    secure["Resources"]["Fn"] = t.secure_function()
    assert check(rule, secure, "ViaAlias").status == "compliant"


def test_resolves_join_and_sub_arns(check, t):
    join = {"Fn::Join": ["", [{"Fn::GetAtt": ["Fn", "Arn"]}, ":live"]]}
    sub = {
        "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}"
    }
    named = {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, ":lambda:eu-west-1:1:function:orders-fn"],
        ]
    }
    doc = t.base(
        t.plain_function(FunctionName="orders-fn"), A=t.esm(join), B=t.esm(sub), C=t.esm(named)
    )
    for mapping in ("A", "B", "C"):
        result = check(rule, doc, mapping)
        assert result.status == "non_compliant", mapping
        assert result.violations[0].detail == "S/Fn/Resource", mapping


def test_resolves_import_value_across_stacks(check, t):
    producer = t.base(t.plain_function())
    producer["Outputs"] = {
        "FnArn": {"Value": {"Fn::GetAtt": ["Fn", "Arn"]}, "Export": {"Name": "Producer:FnArn"}}
    }
    consumer = {
        "Resources": {
            "Q": {"Type": "AWS::SQS::Queue"},
            "Mapping": t.esm({"Fn::ImportValue": "Producer:FnArn"}, {"Fn::GetAtt": ["Q", "Arn"]}),
        }
    }
    app = check.app({"Producer": producer, "Consumer": consumer})
    template = app.templates[1]
    result = rule.check(template.resources["Mapping"], template)
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "S/Fn/Resource"


def test_fails_on_unknown_intrinsic_without_crashing(check, t):
    doc = t.base(Mapping=t.esm({"Fn::Transmogrify": ["x"]}))
    result = check(rule, doc, "Mapping")
    assert result.status == "non_compliant"
    assert result.violations[0].detail.startswith("unresolved:")


def test_cdk_helper_reached_by_cloudformation_is_allowed(check, t):
    helper = t.plain_function()
    helper["Metadata"]["aws:cdk:path"] = (
        "S/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Resource"
    )
    custom = {
        "Type": "Custom::S3BucketNotifications",
        "Properties": {
            "ServiceToken": {"Fn::GetAtt": ["Fn", "Arn"]},
            "BucketName": "b",
            "NotificationConfiguration": {},
        },
    }
    doc = t.base(helper, Notifications=custom)
    assert check(rule, doc, "Notifications").status == "compliant"


def test_fails_cdk_helper_reached_by_an_event_source(check, t):
    helper = t.plain_function()
    helper["Metadata"]["aws:cdk:path"] = (
        "S/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Resource"
    )
    result = check(rule, t.base(helper, Mapping=t.esm()), "Mapping")
    assert result.status == "non_compliant"


def test_fails_user_custom_resource_provider(check, t):
    custom = {"Type": "Custom::Seed", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn", "Arn"]}}}
    result = check(rule, t.base(t.plain_function(), Seed=custom), "Seed")
    assert result.status == "non_compliant"


def test_fails_plain_lambda_at_edge(check, t):
    distribution = {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "DefaultCacheBehavior": {
                    "LambdaFunctionAssociations": [
                        {"EventType": "viewer-request", "LambdaFunctionARN": {"Ref": "Version"}}
                    ]
                }
            }
        },
    }
    version = {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}}
    result = check(rule, t.base(t.plain_function(), Cdn=distribution, Version=version), "Cdn")
    assert result.status == "non_compliant" and result.violations[0].detail == "S/Fn/Resource"


def test_permission_that_grants_no_invoke_is_not_an_entry_point(check, t):
    perm = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:GetFunction",
            "FunctionName": {"Ref": "Fn"},
            "Principal": "123456789012",
        },
    }
    assert check(rule, t.base(t.plain_function(), P=perm), "P").status == "not_applicable"
    perm["Properties"]["Action"] = "lambda:InvokeFunction"
    assert check(rule, t.base(t.plain_function(), P=perm), "P").status == "non_compliant"

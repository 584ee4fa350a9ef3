from __future__ import annotations

from eventguard.aspects.rules import public_entry_point as rule


def url(auth, **meta):
    return {
        "Type": "AWS::Lambda::Url",
        "Properties": {"AuthType": auth, "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}},
        "Metadata": {"aws:cdk:path": "S/Fn/Url/Resource", **meta},
    }


def method(auth, http="POST"):
    uri = {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":apigateway:",
                {"Ref": "AWS::Region"},
                ":lambda:path/2015-03-31/functions/",
                {"Fn::GetAtt": ["Fn", "Arn"]},
                "/invocations",
            ],
        ]
    }
    props = {
        "HttpMethod": http,
        "RestApiId": {"Ref": "Api"},
        "ResourceId": "r",
        "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": uri},
    }
    if auth:
        props["AuthorizationType"] = auth
    return {"Type": "AWS::ApiGateway::Method", "Properties": props}


def test_iam_url_is_compliant(check, t):
    assert check(rule, t.base(Url=url("AWS_IAM")), "Url").status == "compliant"


def test_fails_url_with_auth_none(check, t):
    result = check(rule, t.base(Url=url("NONE")), "Url")
    assert result.status == "non_compliant"
    assert "AuthType 'NONE'" in result.violations[0].message


def test_public_url_declared_with_reason_is_compliant(check, t):
    doc = t.base(
        Url=url(
            "NONE", **{"eventguard:public": {"reason": "public webhook for the payment provider"}}
        )
    )
    assert check(rule, doc, "Url").status == "compliant"


def test_rejects_declaration_with_short_reason(check, t):
    doc = t.base(Url=url("NONE", **{"eventguard:public": {"reason": "ok"}}))
    assert check(rule, doc, "Url").status == "non_compliant"


def test_fails_rest_method_without_authorizer(check, t):
    doc = t.base(Api={"Type": "AWS::ApiGateway::RestApi"}, M=method(None))
    assert check(rule, doc, "M").status == "non_compliant"
    doc = t.base(Api={"Type": "AWS::ApiGateway::RestApi"}, M=method("NONE"))
    assert check(rule, doc, "M").status == "non_compliant"


def test_rest_method_with_cognito_is_compliant(check, t):
    doc = t.base(Api={"Type": "AWS::ApiGateway::RestApi"}, M=method("COGNITO_USER_POOLS"))
    assert check(rule, doc, "M").status == "compliant"


def test_options_preflight_is_not_applicable(check, t):
    doc = t.base(Api={"Type": "AWS::ApiGateway::RestApi"}, M=method(None, http="OPTIONS"))
    assert check(rule, doc, "M").status == "not_applicable"


def test_fails_http_route_without_authorizer(check, t):
    api = {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}}
    integ = {
        "Type": "AWS::ApiGatewayV2::Integration",
        "Properties": {
            "ApiId": {"Ref": "Api"},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": {"Fn::GetAtt": ["Fn", "Arn"]},
        },
    }
    route = {
        "Type": "AWS::ApiGatewayV2::Route",
        "Properties": {
            "ApiId": {"Ref": "Api"},
            "RouteKey": "POST /orders",
            "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integ"}]]},
        },
    }
    doc = t.base(Api=api, Integ=integ, Route=route)
    result = check(rule, doc, "Route")
    assert result.status == "non_compliant"
    assert result.violations[0].related[0].logical_id == "Fn"
    route["Properties"]["AuthorizationType"] = "JWT"
    assert check(rule, doc, "Route").status == "compliant"


def test_not_applicable_to_a_queue(check, t):
    assert check(rule, t.base(), "Queue").status == "not_applicable"


def test_public_reason_on_the_function_covers_its_routes(check, t):
    """SecureFunction(public_reason=...) writes the reason as a string on the function."""
    fn = t.secure_function()
    fn["Metadata"]["eventguard:public"] = "public product catalogue, read only"
    doc = t.base(fn, Api={"Type": "AWS::ApiGateway::RestApi"}, M=method(None))
    assert check(rule, doc, "M").status == "compliant"
    fn["Metadata"]["eventguard:public"] = "short"
    assert check(rule, doc, "M").status == "non_compliant"

"""A Function URL with auth ``NONE``, or an API Gateway REST method or HTTP/WebSocket route
without an authorizer, that is not declared public with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..entrypoints import of_resource, openapi_operations
from ..model import PUBLIC_KEY, Resource, Template
from ..resolve import resource_of
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-PublicEntryPoint"
LEVEL = "error"
INFO = "An HTTP entry point accepts requests from anyone: no authorizer, or auth type NONE."
EXPLANATION = (
    "Anyone on the internet can call a Function URL with auth NONE or an API route without an "
    "authorizer. Add an authorizer (IAM, Cognito, JWT or a Lambda authorizer), use "
    "FunctionUrlAuthType.AWS_IAM, or declare the entry point public on purpose with "
    "eventguard.aspects.declare_public(construct, reason) (written as metadata "
    f"{PUBLIC_KEY!r} with a reason of at least 10 characters)."
)
MIN_REASON = 10


def public_reason(*resources: Resource | None) -> str:
    """The reason one of the resources is declared public, or ``""``."""
    for resource in resources:
        if resource is None:
            continue
        value: Any = resource.metadata.get(PUBLIC_KEY)
        if isinstance(value, Mapping):
            value = value.get("reason")
        if isinstance(value, str) and len(value.strip()) >= MIN_REASON:
            return value
    return ""


def _functions(resource: Resource) -> tuple[Resource, ...]:
    return tuple(p.target.function for p in of_resource(resource) if p.target.function is not None)


def _is_open(value: Any) -> bool:
    return value is None or value == "NONE"


def _openapi(resource: Resource) -> Result:
    """Operations of an inline OpenAPI body with a Lambda integration and no ``security``."""
    body = resource.prop("Body")
    global_security = body.get("security") if isinstance(body, Mapping) else None
    related = _functions(resource)
    if public_reason(resource, *related):
        return fail()
    violations = []
    for path, method, operation, _uri in openapi_operations(resource):
        if method.lower() == "options":
            continue
        security = operation.get("security", global_security)
        if not security or security == [{}]:
            violations.append(
                Violation(
                    f"{method.upper()} {path}",
                    f"OpenAPI operation {method.upper()} {path} of {resource.path} has no "
                    "authorizer (no security) and is not declared public",
                    related,
                )
            )
    return fail(*violations)


def check(resource: Resource, template: Template) -> Result:
    if resource.type not in (
        "AWS::Lambda::Url",
        "AWS::ApiGateway::Method",
        "AWS::ApiGatewayV2::Route",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGatewayV2::Api",
    ):
        return NOT_APPLICABLE
    if resource.type in ("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api"):
        return _openapi(resource)
    if resource.type == "AWS::Lambda::Url":
        auth = resource.prop("AuthType")
        if auth == "AWS_IAM":
            return fail()
        what = f"Function URL {resource.path} has AuthType {auth!r}"
        related = _functions(resource)
    elif resource.type == "AWS::ApiGateway::Method":
        method = resource.prop("HttpMethod")
        if method == "OPTIONS":  # CORS preflight, answered by a mock integration
            return NOT_APPLICABLE
        related = _functions(resource)
        if not related and not of_resource(resource):
            return NOT_APPLICABLE  # not an integration with a function
        if not _is_open(resource.prop("AuthorizationType")):
            return fail()
        what = f"REST method {method} {resource.path} has no authorizer"
    else:
        key = resource.prop("RouteKey")
        api = resource_of(resource.prop("ApiId"), template)
        if isinstance(key, str) and key.startswith("OPTIONS "):
            return NOT_APPLICABLE
        if api is not None and api.prop("ProtocolType") == "WEBSOCKET" and key != "$connect":
            return NOT_APPLICABLE  # WebSocket APIs authorize the $connect route only
        if not _is_open(resource.prop("AuthorizationType")):
            return fail()
        integration = None
        target = resource.prop("Target")
        from ..resolve import references

        for logical_id, _attr in references(target):
            integration = template.get(logical_id)
        related = _functions(integration) if integration is not None else ()
        what = f"route {key!r} {resource.path} has no authorizer"
    if public_reason(resource, *related):
        return fail()
    return fail(Violation(resource.path, f"{what} and is not declared public", related))

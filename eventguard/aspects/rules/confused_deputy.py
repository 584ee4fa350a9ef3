"""An invoke permission for ``*``, or for an AWS service without ``SourceArn`` or
``SourceAccount``: any account's resource of that service can invoke the function."""

from __future__ import annotations

from ..model import Resource, Template
from ..resolve import function_targets, render
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-ConfusedDeputy"
LEVEL = "error"
INFO = "A Lambda invoke permission is granted to anyone, or to a service without a source scope."
EXPLANATION = (
    "A permission for a service principal (sns.amazonaws.com, s3.amazonaws.com, ...) without "
    "SourceArn or SourceAccount lets a resource of that service in ANY account invoke the "
    "function (the confused deputy problem); a permission for '*' lets anyone. Scope the "
    "permission with source_arn and source_account (grant_invoke does, through the CDK event "
    "sources), use PrincipalOrgID, or an explicit account principal."
)


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::Permission":
        return NOT_APPLICABLE
    if (
        resource.prop("FunctionUrlAuthType") is not None
        or resource.prop("InvokedViaFunctionUrl") is True
    ):
        return NOT_APPLICABLE  # a Function URL permission: EventGuard-PublicEntryPoint decides
    principal_value = resource.prop("Principal")
    principal = render(principal_value, template)
    related = tuple(
        t.function for t in function_targets(resource.prop("FunctionName"), template) if t.function
    )
    scoped = any(
        resource.prop(key) is not None for key in ("SourceArn", "SourceAccount", "PrincipalOrgID")
    )
    if principal is None:
        if scoped:
            return fail()
        return fail(
            Violation(
                f"unresolved:{resource.logical_id}",
                f"the principal of {resource.path} cannot be resolved and no source is set",
                related,
            )
        )
    if principal == "*":
        if scoped:
            return fail()
        return fail(
            Violation("*", f"{resource.path} lets any principal ('*') invoke the function", related)
        )
    if ".amazonaws.com" in principal and not scoped:
        return fail(
            Violation(
                principal,
                f"{resource.path} lets {principal} invoke the function from any account: "
                "no SourceArn or SourceAccount",
                related,
            )
        )
    return fail()

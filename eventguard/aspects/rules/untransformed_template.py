"""A template still holding SAM resources (``AWS::Serverless::*``) or ``Fn::ForEach`` loops: its
entry points only exist after the transform, so the audit cannot see them."""

from __future__ import annotations

from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-UntransformedTemplate"
LEVEL = "error"
INFO = "The template must be transformed (SAM, language extensions) before it can be audited."
EXPLANATION = (
    "A SAM function's Events and a Fn::ForEach loop become event source mappings, permissions "
    "and subscriptions only when CloudFormation applies the transform; audited as written, "
    "they would hide every entry point. Audit the processed template instead: "
    "`sam build` and the template in .aws-sam/build, or `aws cloudformation get-template "
    "--template-stage Processed`."
)


def check(resource: Resource, template: Template) -> Result:
    if not (
        resource.type.startswith("AWS::Serverless::") or resource.logical_id.startswith("Fn::")
    ):
        return NOT_APPLICABLE
    return fail(
        Violation(
            resource.type or resource.logical_id,
            f"{resource.path} is a {resource.type or resource.logical_id} that only the transform "
            "turns into resources: its entry points cannot be audited",
        )
    )

"""What the audit knows about one function: guarded or not, a CDK helper or not, its policy.

A function is guarded (a SecureFunction) only when every mark of the contract with
``eventguard.constructs`` is present: the wrapper handler, the ``EVENTGUARD_*`` environment
variables, the eventguard runtime layer and the ``eventguard:secure-function`` metadata. A
handler string copied by hand is not enough.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import SECURE_FUNCTION_KEY, Resource
from .resolve import intrinsic, resource_of

WRAPPER_HANDLER = "eventguard.runtime.wrapper.handler"
REQUIRED_ENV = ("EVENTGUARD_POLICY", "EVENTGUARD_HANDLER", "EVENTGUARD_QUARANTINE_URL")
LAYER_DESCRIPTION_PREFIX = "eventguard runtime"

# CDK's own singleton functions, invoked by CloudFormation during deployment, never by an event
# source. Each is named by the construct id CDK gives it (a path segment, also the logical id
# prefix), so that a user function cannot join the list by accident.
CDK_HELPERS: Mapping[str, str] = {
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834": "S3 bucket notifications",
    "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a": "log retention",
    "AWS679f53fac002430cb0da5b7982bd2287": "AwsCustomResource",
    "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C": "BucketDeployment",
    "Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C": "BucketDeployment",
    "Custom::S3AutoDeleteObjectsCustomResourceProvider": "S3 auto-delete objects",
    "Custom::DynamoDBReplicaProvider": "DynamoDB replicas",
    "Custom::CrossRegionExportReaderCustomResourceProvider": "cross-region exports",
    "Custom::CrossRegionExportWriterCustomResourceProvider": "cross-region exports",
    "Custom::AWSCDKOpenIdConnectProviderCustomResourceProvider": "OIDC provider",
    "Custom::VpcRestrictDefaultSGCustomResourceProvider": "VPC default security group",
    "Custom::AWSCDKCfnUtilsProviderCustomResourceProvider": "CfnUtils",
    "framework-onEvent": "custom resources Provider framework",
    "framework-isComplete": "custom resources Provider framework",
    "framework-onTimeout": "custom resources Provider framework",
}
_HELPER_LOGICAL = re.compile(
    r"^(BucketNotificationsHandler050a0587b7544547bf325f094a3db834|"
    r"LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a|AWS679f53fac002430cb0da5b7982bd2287|"
    r"CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C|"
    r"CustomS3AutoDeleteObjectsCustomResourceProviderHandler|"
    r"CustomCrossRegionExport(Reader|Writer)CustomResourceProviderHandler|"
    r"CustomVpcRestrictDefaultSGCustomResourceProviderHandler|"
    r"CustomAWSCDKOpenIdConnectProviderCustomResourceProviderHandler)"
)


@dataclass(frozen=True, slots=True)
class Guard:
    """Whether a function is a SecureFunction, and what is missing when it is not."""

    guarded: bool
    missing: tuple[str, ...]


def helper_name(function: Resource) -> str:
    """The allow-list entry of a CDK helper function, or ``""`` for any other function."""
    segments = function.path.split("/")
    for segment in segments[:-1] if len(segments) > 1 else segments:
        for key, name in CDK_HELPERS.items():
            if segment == key:
                return f"{name} ({key})"
    if "aws:cdk:path" not in function.metadata and _HELPER_LOGICAL.match(function.logical_id):
        return f"CDK helper ({function.logical_id})"
    return ""


def _env(function: Resource) -> Mapping[str, Any]:
    variables = function.prop("Environment", "Variables")
    return variables if isinstance(variables, Mapping) else {}


def _is_runtime_layer(value: Any, function: Resource) -> bool:
    layer = resource_of(value, function.template)
    if layer is None or layer.type != "AWS::Lambda::LayerVersion":
        return False
    description = layer.prop("Description")
    return isinstance(description, str) and description.startswith(LAYER_DESCRIPTION_PREFIX)


def guard(function: Resource) -> Guard:
    """Check every mark of a SecureFunction; list the missing ones."""
    missing: list[str] = []
    if function.type != "AWS::Lambda::Function":
        missing.append(f"resource type {function.type} (not AWS::Lambda::Function)")
    if function.prop("Handler") != WRAPPER_HANDLER:
        missing.append(f"Handler {WRAPPER_HANDLER}")
    env = _env(function)
    for name in REQUIRED_ENV:
        if name not in env:
            missing.append(f"environment variable {name}")
    layers = function.prop("Layers")
    if not isinstance(layers, list) or not any(_is_runtime_layer(v, function) for v in layers):
        missing.append("the eventguard runtime layer")
    if not function.metadata.get(SECURE_FUNCTION_KEY):
        missing.append(f"metadata {SECURE_FUNCTION_KEY}")
    return Guard(not missing, tuple(missing))


def policy_text(function: Resource) -> tuple[str | None, str]:
    """The EVENTGUARD_POLICY text with tokens rendered as placeholders, or (None, reason)."""
    value = _env(function).get("EVENTGUARD_POLICY")
    if value is None:
        return None, "no EVENTGUARD_POLICY"
    if isinstance(value, str):
        return value, ""
    found = intrinsic(value)
    if found and found[0] == "Fn::Join" and isinstance(found[1], list) and len(found[1]) == 2:
        sep, parts = found[1]
        if isinstance(sep, str) and isinstance(parts, list):
            # tokens sit inside JSON strings (ARNs, names): a placeholder keeps the JSON valid
            return sep.join(p if isinstance(p, str) else "${token}" for p in parts), ""
    return None, f"EVENTGUARD_POLICY is an unsupported value {str(value)[:80]}"


def effective_policy(function: Resource) -> tuple[dict[str, Any] | None, str]:
    """The function's runtime policy as the runtime would read it, or (None, the error)."""
    from ..runtime.errors import PolicyError
    from ..runtime.policy import from_dict

    text, reason = policy_text(function)
    if text is None:
        return None, reason
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return None, f"EVENTGUARD_POLICY is not valid JSON: {exc}"
    try:
        from_dict(doc)
    except PolicyError as exc:
        return None, f"EVENTGUARD_POLICY is rejected by the runtime: {exc}"
    return doc, ""

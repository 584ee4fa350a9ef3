"""A function whose log group is not in the app, or is kept forever: the security log of the
function either has no owner or grows (and costs) without end."""

from __future__ import annotations

from ..functions import helper_name
from ..model import Resource, Template
from ..resolve import FUNCTION_TYPES, references, render, resource_of
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-LogRetention"
LEVEL = "warning"
INFO = "A function has no log group in the app, or its log group has no retention."
EXPLANATION = (
    "eventguard writes its security log to the function's log group. Create the log group "
    "explicitly (logs.LogGroup(..., retention=logs.RetentionDays.ONE_YEAR)) and pass it as "
    "log_group=, so that it has an owner, a retention period, and is deleted with the app."
)


def _names_function(value: object, function: Resource) -> bool:
    text = render(value, function.template)
    name = render(function.prop("FunctionName"), function.template)
    if text is not None:
        return bool(name) and text == f"/aws/lambda/{name}"
    return any(ref == function.logical_id for ref, _attr in references(value))


def _groups_naming(function: Resource) -> dict[str, list[Resource]]:
    """Logical id -> log groups of the template whose name may name it (cached per template)."""
    template = function.template
    key = f"log_groups:{id(template)}"
    index = template.app.cache.get(key)
    if index is None:
        index = {}
        names: dict[str, str] = {}
        for resource in template.resources.values():
            if resource.type in FUNCTION_TYPES:
                name = render(resource.prop("FunctionName"), template)
                if name:
                    names[f"/aws/lambda/{name}"] = resource.logical_id
        for resource in template.resources.values():
            if resource.type not in ("AWS::Logs::LogGroup", "Custom::LogRetention"):
                continue
            value = resource.prop("LogGroupName")
            text = render(value, template)
            ids = {names[text]} if text in names else {ref for ref, _attr in references(value)}
            for logical_id in ids:
                index.setdefault(logical_id, []).append(resource)
        template.app.cache[key] = index
    return index


def _log_group(function: Resource) -> tuple[Resource | None, str]:
    configured = function.prop("LoggingConfig", "LogGroup")
    if configured is not None:
        group = resource_of(configured, function.template)
        if group is not None:
            return group, ""
        name = render(configured, function.template)
        for candidate in function.template.app.resources():
            if (
                candidate.type == "AWS::Logs::LogGroup"
                and name
                and render(candidate.prop("LogGroupName"), candidate.template) == name
            ):
                return candidate, ""
        return None, f"its log group {name or configured!r} is not in this app"
    for candidate in _groups_naming(function).get(function.logical_id, []):
        if _names_function(candidate.prop("LogGroupName"), function):
            return candidate, ""
    return None, "no log group is declared for it (Lambda creates one that keeps logs forever)"


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::Function" or helper_name(resource):
        return NOT_APPLICABLE
    group, reason = _log_group(resource)
    if group is None:
        return fail(Violation("log-group", f"{resource.path}: {reason}"))
    if group.prop("RetentionInDays") is None:
        return fail(
            Violation(
                "retention",
                f"{resource.path}: the log group {group.path} has no retention",
                (group,),
            )
        )
    return fail()

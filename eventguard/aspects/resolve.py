"""Follow CloudFormation intrinsics to the resources they name, across stacks.

``function_targets`` answers "which Lambda function does this value invoke?" for every way a
template names one: ``Ref``, ``Fn::GetAtt``, ``Fn::Join``/``Fn::Sub`` of ARNs, aliases and
versions, nested-stack outputs and parameters, ``Fn::ImportValue``, ``Fn::If`` and literal ARNs
or names of functions defined elsewhere in the app. A value that cannot be followed comes back as
an unresolved ``Target`` with the reason: the rules report it, never pass it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .model import Resource, Template

FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
_FUNCTION_ARN = re.compile(r"(?:^|:)function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?")
_SUB_REF = re.compile(r"\$\{([^}!][^}]*)\}")
_MAX_DEPTH = 24


@dataclass(frozen=True, slots=True)
class Target:
    """A function an entry point reaches, or the reason it could not be told which."""

    function: Resource | None
    qualifier: str = ""
    unresolved: str = ""

    @property
    def resolved(self) -> bool:
        return self.function is not None


def intrinsic(value: Any) -> tuple[str, Any] | None:
    """``(name, argument)`` when ``value`` is a one-key intrinsic such as ``{"Ref": "X"}``."""
    if isinstance(value, Mapping) and len(value) == 1:
        key = next(iter(value))
        if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::") or key == "Condition"):
            return key, value[key]
    return None


def getatt_parts(arg: Any) -> tuple[str, str] | None:
    """The logical id and attribute of a ``Fn::GetAtt`` argument, list or dotted string."""
    if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
        return arg[0], arg[1] if isinstance(arg[1], str) else ""
    if isinstance(arg, str) and "." in arg:
        logical_id, attr = arg.split(".", 1)
        return logical_id, attr
    return None


def references(value: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every ``(logical id, attribute)`` a value refers to; ``Ref`` has attribute ``""``."""
    if depth > _MAX_DEPTH:
        return
    found = intrinsic(value)
    if found is not None:
        name, arg = found
        if name == "Ref" and isinstance(arg, str):
            yield arg, ""
            return
        if name == "Fn::GetAtt":
            parts = getatt_parts(arg)
            if parts:
                yield parts
            return
        if name == "Fn::Sub":
            text = arg[0] if isinstance(arg, list) and arg else arg
            variables = arg[1] if isinstance(arg, list) and len(arg) > 1 else {}
            if isinstance(text, str):
                for ref in _SUB_REF.findall(text):
                    if isinstance(variables, Mapping) and ref in variables:
                        continue
                    logical_id, _, attr = ref.partition(".")
                    yield logical_id, attr
            if isinstance(variables, Mapping):
                for sub_value in variables.values():
                    yield from references(sub_value, depth + 1)
            return
    if isinstance(value, Mapping):
        for item in value.values():
            yield from references(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from references(item, depth + 1)


def render(value: Any, template: Template, depth: int = 0) -> str | None:
    """A value as a string when it is built only from literals and pseudo parameters.

    Pseudo parameters render as ``${AWS::Region}`` and friends, so an ARN keeps its shape; a
    reference to a resource renders as None (unknown until deployment)."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        pass
    else:
        return str(value)
    found = intrinsic(value)
    if found is None:
        return None
    name, arg = found
    if name == "Ref" and isinstance(arg, str):
        if arg.startswith("AWS::"):
            return "${" + arg + "}"
        param = template.parameters.get(arg)
        if isinstance(param, Mapping) and template.parent is None and "Default" in param:
            default = param["Default"]
            return str(default) if isinstance(default, str | int) else None
        if template.parent is not None:
            passed = template.parent.prop("Parameters", arg)
            if passed is not None:
                return render(passed, template.parent.template, depth + 1)
        return None
    if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
        sep, parts = arg
        if not isinstance(sep, str) or not isinstance(parts, list):
            return None
        rendered = [render(p, template, depth + 1) for p in parts]
        if any(r is None for r in rendered):
            return None
        return sep.join(r for r in rendered if r is not None)
    if name == "Fn::Sub":
        text = arg[0] if isinstance(arg, list) and arg else arg
        variables = arg[1] if isinstance(arg, list) and len(arg) > 1 else {}
        if not isinstance(text, str) or not isinstance(variables, Mapping):
            return None
        failed = False

        def replace(match: re.Match[str]) -> str:
            nonlocal failed
            ref = match.group(1)
            if ref in variables:
                sub = render(variables[ref], template, depth + 1)
            elif ref.startswith("AWS::"):
                sub = "${" + ref + "}"
            else:
                sub = render({"Ref": ref}, template, depth + 1) if "." not in ref else None
            if sub is None:
                failed = True
                return ""
            return sub

        out = _SUB_REF.sub(replace, text)
        return None if failed else out
    return None


def resource_of(value: Any, template: Template) -> Resource | None:
    """The resource a ``Ref``/``Fn::GetAtt`` names, following nested-stack parameters."""
    found = intrinsic(value)
    if found is None:
        return None
    name, arg = found
    logical_id = ""
    if name == "Ref" and isinstance(arg, str):
        logical_id = arg
    elif name == "Fn::GetAtt":
        parts = getatt_parts(arg)
        if parts:
            logical_id = parts[0]
            target = template.get(logical_id)
            if target is not None and target.type == "AWS::CloudFormation::Stack":
                nested: Resource | None = _nested_output(target, parts[1], resource_of)
                return nested
    elif name == "Fn::ImportValue":
        exported = _export(arg, template)
        return resource_of(exported[1], exported[0]) if exported else None
    resource = template.get(logical_id)
    if resource is not None:
        return resource
    if logical_id in template.parameters and template.parent is not None:
        passed = template.parent.prop("Parameters", logical_id)
        if passed is not None:
            return resource_of(passed, template.parent.template)
    return None


def _nested_output(stack: Resource, attr: str, follow: Any) -> Any:
    if not attr.startswith("Outputs."):
        return None
    nested = stack.template.app.nested_template(stack)
    if nested is None:
        return None
    output = nested.outputs.get(attr.removeprefix("Outputs."))
    if not isinstance(output, Mapping):
        return None
    return follow(output.get("Value"), nested)


def _exports(template: Template) -> Mapping[str, tuple[Template, Any]]:
    app = template.app
    exports = app.cache.get("exports")
    if exports is None:
        exports = {}
        for tpl in app.templates:
            for output in tpl.outputs.values():
                if not isinstance(output, Mapping):
                    continue
                export = output.get("Export")
                name = render(export.get("Name"), tpl) if isinstance(export, Mapping) else None
                if name:
                    exports[name] = (tpl, output.get("Value"))
        app.cache["exports"] = exports
    return exports


def _export(arg: Any, template: Template) -> tuple[Template, Any] | None:
    name = render(arg, template)
    if name is None:
        return None
    return _exports(template).get(name)


def _functions_by_name(template: Template) -> Mapping[str, Resource]:
    app = template.app
    names = app.cache.get("function_names")
    if names is None:
        names = {}
        for resource in app.resources():
            if resource.type in FUNCTION_TYPES:
                name = render(resource.prop("FunctionName"), resource.template)
                if name and "${" not in name:
                    names[name] = resource
        app.cache["function_names"] = names
    return names


def _from_literal(text: str, template: Template, qualifier: str) -> list[Target]:
    match = _FUNCTION_ARN.search(text)
    if match:
        name, qual = match.group(1), match.group(2) or qualifier
    elif text and ":" not in text and "/" not in text and "$" not in text:
        name, qual = text, qualifier
    else:
        return [Target(None, qualifier, f"{text!r} is not the ARN or name of a Lambda function")]
    resource = _functions_by_name(template).get(name)
    if resource is None:
        return [
            Target(
                None, qual, f"function {name!r} is not defined in this app: it cannot be checked"
            )
        ]
    return [Target(resource, qual)]


def _from_resource(
    resource: Resource, attr: str, qualifier: str, depth: int
) -> list[Target] | None:
    if resource.type in FUNCTION_TYPES:
        return [Target(resource, qualifier)]
    if resource.type == "AWS::Lambda::Alias":
        name = resource.prop("Name")
        return _targets(
            resource.prop("FunctionName"),
            resource.template,
            name if isinstance(name, str) else qualifier,
            depth + 1,
        )
    if resource.type == "AWS::Lambda::Version":
        return _targets(resource.prop("FunctionName"), resource.template, qualifier, depth + 1)
    if resource.type == "AWS::CloudFormation::Stack":
        found = _nested_output(
            resource, attr, lambda value, tpl: _targets(value, tpl, qualifier, depth + 1)
        )
        if found is None:
            return [
                Target(
                    None, qualifier, f"output {attr!r} of nested stack {resource.path} is unknown"
                )
            ]
        return list(found)
    return None


def _targets(value: Any, template: Template, qualifier: str, depth: int) -> list[Target]:
    if depth > _MAX_DEPTH:
        return [Target(None, qualifier, "reference chain too deep")]
    if value is None or value == "":
        return [Target(None, qualifier, "no function is named")]
    if isinstance(value, str):
        return _from_literal(value, template, qualifier)
    found = intrinsic(value)
    if found is None:
        return [Target(None, qualifier, f"unsupported value {_short(value)}")]
    name, arg = found
    if name in ("Ref", "Fn::GetAtt"):
        if name == "Ref":
            logical_id, attr = (arg, "") if isinstance(arg, str) else ("", "")
        else:
            logical_id, attr = getatt_parts(arg) or ("", "")
        resource = template.get(logical_id)
        if resource is not None:
            targets = _from_resource(resource, attr, qualifier, depth)
            if targets is not None:
                return targets
            return [
                Target(None, qualifier, f"{resource.path} is a {resource.type}, not a function")
            ]
        if logical_id in template.parameters:
            if template.parent is not None:
                passed = template.parent.prop("Parameters", logical_id)
                if passed is not None:
                    return _targets(passed, template.parent.template, qualifier, depth + 1)
            text = render(value, template)
            if text:
                return _from_literal(text, template, qualifier)
            return [
                Target(None, qualifier, f"parameter {logical_id!r} is only known at deployment")
            ]
        return [Target(None, qualifier, f"{_short(value)} names no resource of this template")]
    if name == "Fn::ImportValue":
        exported = _export(arg, template)
        if exported is None:
            return [Target(None, qualifier, f"import {_short(arg)} is not exported by this app")]
        return _targets(exported[1], exported[0], qualifier, depth + 1)
    if name == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
        out: list[Target] = []
        for branch in arg[1:]:
            if intrinsic(branch) == ("Ref", "AWS::NoValue"):
                continue
            out.extend(_targets(branch, template, qualifier, depth + 1))
        return out
    if name in ("Fn::Join", "Fn::Sub", "Fn::Select"):
        text = render(value, template)
        if text is not None:
            return _from_literal(text, template, qualifier)
        out = []
        for logical_id, attr in references(value):
            resource = template.get(logical_id)
            if resource is None:
                continue
            targets = _from_resource(resource, attr, qualifier, depth)
            if targets is not None:
                out.extend(targets)
        if out:
            # an ARN with a ":qualifier" suffix after the function ARN
            if name == "Fn::Join":
                tail = (
                    render(arg[1][-1], template)
                    if isinstance(arg, list)
                    and len(arg) == 2
                    and isinstance(arg[1], list)
                    and arg[1]
                    else None
                )
                if (
                    tail
                    and tail.startswith(":")
                    and tail[1:].replace("-", "").replace("_", "").isalnum()
                ):
                    out = [Target(t.function, tail[1:], t.unresolved) for t in out]
            return out
        return [Target(None, qualifier, f"{_short(value)} names no function of this app")]
    return [Target(None, qualifier, f"unsupported intrinsic {name}")]


def function_targets(value: Any, template: Template) -> list[Target]:
    """The functions a value (a function name, ARN, alias or version reference) invokes."""
    try:
        return _targets(value, template, "", 0)
    except RecursionError:  # pragma: no cover - guarded by _MAX_DEPTH
        return [Target(None, "", "reference chain too deep")]


def classify(value: Any, template: Template) -> str:
    """``function`` when a value names a Lambda function, ``other`` when it surely names
    something else (a queue, a topic...), ``unknown`` when it cannot be told."""
    if isinstance(value, str):
        if ":lambda:" in value or value.startswith("function:") or ":function:" in value:
            return "function"
        return "other" if value.startswith("arn:") else "unknown"
    found = intrinsic(value)
    if found is None:
        return "unknown"
    text = render(value, template)
    if text is not None:
        return classify(text, template)
    name = found[0]
    if name in ("Ref", "Fn::GetAtt", "Fn::ImportValue", "Fn::If"):
        targets = function_targets(value, template)
        if any(t.resolved for t in targets):
            return "function"
        if name == "Fn::ImportValue":
            return "unknown"
        resource = resource_of(value, template)
        if resource is not None and resource.type != "AWS::CloudFormation::Stack":
            return "other"
        return "unknown"
    kinds = set()
    for logical_id, attr in references(value):
        resource = template.get(logical_id)
        if resource is None:
            continue
        if _from_resource(resource, attr, "", 0):
            return "function"
        kinds.add(resource.type)
    if kinds:
        return "other"
    return "unknown"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."

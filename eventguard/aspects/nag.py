"""``EventGuardNagPack``: the eventguard rules as a cdk-nag (2.x) rule pack, same rule ids.

For teams that already run cdk-nag: ``Aspects.of(app).add(EventGuardNagPack())`` reports the
eventguard findings through cdk-nag (annotations, CSV/JSON reports) and honours
``NagSuppressions`` with the same ids (``EventGuard-UnguardedEntryPoint``, ...).

cdk-nag runs as an aspect, before synthesis, so this pack cannot read the synthesized template:
it renders each stack's resources from the construct tree (``_render_properties`` of the
resolved ``_cfn_properties``, the way cdk-nag's own rules read them) into a template dict and
runs the same pure engine rules on it. That view misses raw property overrides and references
to other stacks; ``EntryPointAudit``, which reads the synthesized templates, stays the
authoritative check, and is the one that fails ``cdk synth``.

jsii reads only class-level members of a Python object implementing a jsii interface, so
``_ApplyRule`` exposes its values through properties defined on the class.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import aws_cdk as cdk
import cdk_nag
import jsii
from constructs import IConstruct

from .model import PATH_KEY, PUBLIC_KEY, SECURE_FUNCTION_KEY, SUPPRESSIONS_KEY, Assembly, Template
from .rules import COMPLIANT_STATUS, NOT_APPLICABLE_STATUS, PACK, RULES

_METADATA_KEYS = (SUPPRESSIONS_KEY, PUBLIC_KEY, SECURE_FUNCTION_KEY, "aws:asset:path")


def render_stack(stack: cdk.Stack) -> dict[str, Any]:
    """A template dict of a stack's resources as the construct tree describes them."""
    resources: dict[str, Any] = {}
    for node in stack.node.find_all():
        if not cdk.CfnResource.is_cfn_resource(node) or cdk.Stack.of(node) is not stack:
            continue
        resource: cdk.CfnResource = node  # type: ignore[assignment]
        logical_id = stack.resolve(resource.logical_id)
        try:
            resolved = stack.resolve(resource._cfn_properties)
            properties = stack.resolve(resource._render_properties(resolved))
        except Exception as exc:
            properties = {"__eventguard_render_error__": str(exc)}
        metadata: dict[str, Any] = {PATH_KEY: resource.node.path}
        for key in _METADATA_KEYS:
            value = resource.get_metadata(key)
            if value is not None:
                metadata[key] = value
        resources[logical_id] = {
            "Type": resource.cfn_resource_type,
            "Properties": properties or {},
            "Metadata": metadata,
        }
    return {"Resources": resources}


@jsii.implements(cdk_nag.IApplyRule)
class _ApplyRule:
    """One eventguard rule applied to one resource, in the shape cdk-nag calls back."""

    def __init__(self, rule: ModuleType, node: cdk.CfnResource, template: Template) -> None:
        self._rule = rule
        self._node = node
        self._template = template

    @property
    def rule_suffix_override(self) -> str:
        return str(self._rule.NAME).removeprefix(f"{PACK}-")

    @property
    def info(self) -> str:
        return str(self._rule.INFO)

    @property
    def explanation(self) -> str:
        return str(self._rule.EXPLANATION)

    @property
    def level(self) -> cdk_nag.NagMessageLevel:
        return (
            cdk_nag.NagMessageLevel.ERROR
            if self._rule.LEVEL == "error"
            else cdk_nag.NagMessageLevel.WARN
        )

    @property
    def node(self) -> cdk.CfnResource:
        return self._node

    @property
    def ignore_suppression_condition(self) -> None:
        return None

    def rule(self, node: cdk.CfnResource) -> Any:
        logical_id = cdk.Stack.of(node).resolve(node.logical_id)
        resource = self._template.get(logical_id)
        if resource is None:
            return cdk_nag.NagRuleCompliance.NOT_APPLICABLE
        result = self._rule.check(resource, self._template)
        if result.status == NOT_APPLICABLE_STATUS:
            return cdk_nag.NagRuleCompliance.NOT_APPLICABLE
        if result.status == COMPLIANT_STATUS or not result.violations:
            return cdk_nag.NagRuleCompliance.COMPLIANT
        # finding ids: what NagSuppressions' applies_to can name
        return [v.detail.replace(":", "_") for v in result.violations]


class EventGuardNagPack(cdk_nag.NagPack):
    """The eventguard audit rules as a cdk-nag NagPack (pack name ``EventGuard``)."""

    def __init__(self, **props: Any) -> None:
        super().__init__(**props)
        self._pack_name = PACK
        self._templates: dict[str, Template] = {}

    def _template_of(self, stack: cdk.Stack) -> Template:
        key = stack.node.path
        if key not in self._templates:
            app = Assembly.from_templates({stack.stack_name: render_stack(stack)})
            self._templates[key] = app.templates[0]
        return self._templates[key]

    def visit(self, node: IConstruct) -> None:
        if not cdk.CfnResource.is_cfn_resource(node):
            return
        resource: cdk.CfnResource = node  # type: ignore[assignment]
        template = self._template_of(cdk.Stack.of(resource))
        for rule in RULES:
            self._apply_rule(_ApplyRule(rule, resource, template))  # type: ignore[arg-type]

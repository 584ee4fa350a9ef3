"""``suppress`` and ``declare_public``: decisions recorded on constructs, kept in the template.

Both write resource metadata on every CloudFormation resource under the construct, through a
small aspect, so that resources added after the call (and the ones CDK creates lazily) get it
too, and so that the decision survives synthesis: ``eventguard audit cdk.out`` honours it
exactly as ``cdk synth`` does.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct

from .model import PUBLIC_KEY, SUPPRESSIONS_KEY
from .rules import BY_NAME

MIN_REASON = 10


@jsii.implements(cdk.IAspect)
class _MetadataWriter:
    """Adds an entry to a list-valued metadata key of every CfnResource it visits."""

    def __init__(self, key: str, entry: Any, *, as_list: bool = True) -> None:
        self._key = key
        self._entry = entry
        self._as_list = as_list

    def visit(self, node: IConstruct) -> None:
        if not cdk.CfnResource.is_cfn_resource(node):
            return
        resource: cdk.CfnResource = node  # type: ignore[assignment]
        if not self._as_list:
            resource.add_metadata(self._key, self._entry)
            return
        current = resource.get_metadata(self._key)
        entries = list(current) if isinstance(current, list) else []
        if self._entry not in entries:
            entries.append(self._entry)
        resource.add_metadata(self._key, entries)


def _check_reason(scope: IConstruct, reason: str, what: str) -> str:
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
        raise ValueError(
            f"{scope.node.path}: {what} needs a reason of at least {MIN_REASON} characters "
            f"saying why it is safe, got {reason!r}"
        )
    return reason.strip()


def suppress(scope: IConstruct, rule: str, reason: str, *, detail: str | None = None) -> None:
    """Suppress ``rule`` on ``scope`` and its children, with a reason (10 characters or more).

    ``detail`` limits it to the findings whose detail matches (e.g. the function path for
    ``EventGuard-UnguardedEntryPoint``, the variable name for ``EventGuard-PlaintextSecret``).
    Suppressed findings stay in the reports, marked as suppressed with the reason."""
    if rule not in BY_NAME:
        raise ValueError(
            f"{scope.node.path}: unknown eventguard rule {rule!r}; "
            f"rules are: {', '.join(sorted(BY_NAME))}"
        )
    entry: dict[str, str] = {
        "rule": rule,
        "reason": _check_reason(scope, reason, f"suppressing {rule}"),
    }
    if detail is not None:
        entry["detail"] = detail
    cdk.Aspects.of(scope).add(
        _MetadataWriter(SUPPRESSIONS_KEY, entry), priority=cdk.AspectPriority.MUTATING
    )


def declare_public(scope: IConstruct, reason: str) -> None:
    """Declare the HTTP entry points under ``scope`` (a Function URL, an API, a function)
    public on purpose, so that ``EventGuard-PublicEntryPoint`` accepts them."""
    entry = {"reason": _check_reason(scope, reason, "declaring an entry point public")}
    cdk.Aspects.of(scope).add(
        _MetadataWriter(PUBLIC_KEY, entry, as_list=False), priority=cdk.AspectPriority.MUTATING
    )

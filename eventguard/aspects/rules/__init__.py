"""Audit rules: one module each, registered in ``RULES``.

A rule module defines ``NAME`` (the id users see and suppress, ``EventGuard-<Name>``), ``LEVEL``
(``error`` or ``warning``), ``INFO`` (the one-line cause), ``EXPLANATION`` (why it matters and
the fix) and ``check(resource, template) -> Result``, which opens with a guard clause returning
``NOT_APPLICABLE`` for resources it does not look at. A value the rule cannot resolve is a
violation, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from ..model import Resource

PACK = "EventGuard"
NOT_APPLICABLE_STATUS = "not_applicable"
COMPLIANT_STATUS = "compliant"
NON_COMPLIANT_STATUS = "non_compliant"


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed check: ``detail`` identifies it (suppressions may name it), ``message`` says
    what is wrong; ``related`` are other resources a suppression may sit on (the function)."""

    detail: str
    message: str
    related: tuple[Resource, ...] = ()


@dataclass(frozen=True, slots=True)
class Result:
    status: str
    violations: tuple[Violation, ...] = ()


NOT_APPLICABLE = Result(NOT_APPLICABLE_STATUS)
COMPLIANT = Result(COMPLIANT_STATUS)


def fail(*violations: Violation) -> Result:
    """A non-compliant result; with no violation it is compliant."""
    return Result(NON_COMPLIANT_STATUS, tuple(violations)) if violations else COMPLIANT


def result(violations: list[Violation]) -> Result:
    return fail(*violations)


from . import (  # noqa: E402  (the table needs Result defined first)
    alert_mode,
    async_failure_destination,
    confused_deputy,
    deprecated_runtime,
    invalid_policy,
    log_retention,
    partial_batch_response,
    plaintext_secret,
    public_entry_point,
    public_event_source,
    reserved_concurrency,
    source_queue_redrive,
    stale_event_pattern,
    unguarded_entry_point,
    uninspectable_entry_point,
    untransformed_template,
    wildcard_permissions,
)

RULES: tuple[ModuleType, ...] = (
    unguarded_entry_point,
    untransformed_template,
    uninspectable_entry_point,
    public_entry_point,
    confused_deputy,
    public_event_source,
    wildcard_permissions,
    plaintext_secret,
    deprecated_runtime,
    invalid_policy,
    stale_event_pattern,
    partial_batch_response,
    async_failure_destination,
    source_queue_redrive,
    log_retention,
    reserved_concurrency,
    alert_mode,
)

BY_NAME = {rule.NAME: rule for rule in RULES}

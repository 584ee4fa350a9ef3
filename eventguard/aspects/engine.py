"""The audit engine: synthesized templates in, findings and the entry-point inventory out.

Pure: plain template dicts (or files read by ``model.load``) in, data out; it imports no
``aws_cdk``, so ``eventguard audit`` starts in a fraction of a second and the synth-time adapters
(``EntryPointAudit``, the NagPack) run exactly the same rules.

Suppressions are read from each resource's metadata, so they survive synthesis:
``Metadata["eventguard:suppressions"] = [{"rule": ..., "reason": ..., "detail": ...}]`` (written
by ``eventguard.aspects.suppress``) and cdk-nag's ``Metadata["cdk_nag"]["rules_to_suppress"]``
(``NagSuppressions``), on the resource a finding is reported on or on the function it concerns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any

from .entrypoints import all_entry_points, reaching
from .functions import effective_policy, guard, helper_name
from .model import NAG_SUPPRESSIONS_KEY, SUPPRESSIONS_KEY, Assembly, Resource
from .resolve import FUNCTION_TYPES
from .rules import NON_COMPLIANT_STATUS, RULES

MIN_REASON = 10
LEVELS = ("error", "warning")


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule violation on one resource, suppressed or not."""

    rule: str
    level: str
    stack: str
    resource: str
    path: str
    resource_type: str
    message: str
    detail: str
    info: str
    fix: str
    function: str = ""
    function_path: str = ""
    suppressed: bool = False
    suppression_reason: str = ""
    template_file: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """Findings, the entry-point inventory and the functions of an audited app."""

    findings: list[Finding]
    entry_points: list[dict[str, Any]]
    functions: list[dict[str, Any]]
    stacks: list[str] = field(default_factory=list)
    unused_suppressions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Unsuppressed error-level findings: any of them fails the audit."""
        return [f for f in self.findings if f.level == "error" and not f.suppressed]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning" and not f.suppressed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": {
                "stacks": len(self.stacks),
                "functions": len(self.functions),
                "entry_points": len(self.entry_points),
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "suppressed": sum(1 for f in self.findings if f.suppressed),
                "unguarded_entry_points": sum(
                    1 for e in self.entry_points if e["status"] in ("unguarded", "unresolved")
                ),
            },
            "stacks": self.stacks,
            "findings": [f.to_dict() for f in self.findings],
            "entry_points": self.entry_points,
            "functions": self.functions,
            "unused_suppressions": self.unused_suppressions,
        }


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str
    reason: str
    detail: str | None = None

    def matches(self, rule: str, detail: str) -> bool:
        if self.rule != rule:
            return False
        return self.detail is None or self.detail == detail or self.detail in detail


class SuppressionError(ValueError):
    """A suppression without a rule or without a reason of at least 10 characters."""


def suppressions_of(resource: Resource) -> list[Suppression]:
    """The suppressions written on a resource (eventguard's and cdk-nag's metadata)."""
    out: list[Suppression] = []
    raw = resource.metadata.get(SUPPRESSIONS_KEY)
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        rule, reason = item.get("rule"), item.get("reason")
        if (
            not isinstance(rule, str)
            or not isinstance(reason, str)
            or len(reason.strip()) < MIN_REASON
        ):
            raise SuppressionError(
                f"{resource.path}: a suppression needs a rule id and a reason of at least "
                f"{MIN_REASON} characters, got {dict(item)!r}"
            )
        detail = item.get("detail")
        out.append(Suppression(rule, reason, detail if isinstance(detail, str) else None))
    nag = resource.metadata.get(NAG_SUPPRESSIONS_KEY)
    rules = nag.get("rules_to_suppress") if isinstance(nag, Mapping) else None
    for item in rules if isinstance(rules, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            reason = str(item.get("reason", ""))
            if len(reason.strip()) < MIN_REASON:
                continue  # cdk-nag enforces its own minimum; an empty reason suppresses nothing
            applies = item.get("applies_to")
            if isinstance(applies, list) and applies:
                for detail in applies:
                    if isinstance(detail, str):
                        out.append(Suppression(item["id"], reason, detail))
            else:
                out.append(Suppression(item["id"], reason))
    return out


def _suppressed(
    rule: str,
    detail: str,
    resources: Iterable[Resource],
    cache: dict[int, list[Suppression]],
    used: set[Suppression],
) -> str:
    for resource in resources:
        key = id(resource)
        if key not in cache:
            cache[key] = suppressions_of(resource)
        for suppression in cache[key]:
            if suppression.matches(rule, detail):
                used.add(suppression)
                return suppression.reason
    return ""


def unused_suppressions(app: Assembly, used: set[Suppression]) -> list[dict[str, Any]]:
    """eventguard suppressions that matched no finding: stale, or a typo in the detail.

    ``suppress`` writes one on every resource under the construct, so one is unused only when
    none of its copies matched."""
    places: dict[Suppression, list[str]] = {}
    for resource in app.resources():
        if SUPPRESSIONS_KEY not in resource.metadata:
            continue
        for suppression in suppressions_of(resource):
            if suppression.rule.startswith("EventGuard-"):  # other packs' ids are theirs
                places.setdefault(suppression, []).append(resource.path)
    return [
        {
            "rule": s.rule,
            "detail": s.detail,
            "reason": s.reason,
            "paths": sorted(paths)[:5],
        }
        for s, paths in places.items()
        if s not in used
    ]


def run_rules(
    app: Assembly, rules: Sequence[ModuleType] = RULES, used: set[Suppression] | None = None
) -> tuple[list[Finding], dict[int, dict[str, str]]]:
    """Every rule on every resource: the findings, and each resource's status per rule;
    ``used`` collects the suppressions that matched a finding."""
    used = set() if used is None else used
    findings: list[Finding] = []
    statuses: dict[int, dict[str, str]] = {}
    cache: dict[int, list[Suppression]] = {}
    for resource in app.resources():
        per_rule: dict[str, str] = {}
        for rule in rules:
            try:
                result = rule.check(resource, resource.template)
            except Exception as exc:  # a rule that crashes is a finding, never a pass
                from .rules import Result, Violation

                result = Result(
                    NON_COMPLIANT_STATUS,
                    (
                        Violation(
                            "crash",
                            f"{resource.path}: the rule failed: {type(exc).__name__}: {exc}",
                        ),
                    ),
                )
            per_rule[rule.NAME] = result.status
            for violation in result.violations:
                function = violation.related[0] if violation.related else None
                if function is not None and function.type not in FUNCTION_TYPES:
                    function = None
                if function is None and resource.type in FUNCTION_TYPES:
                    function = resource
                reason = _suppressed(
                    rule.NAME, violation.detail, (resource, *violation.related), cache, used
                )
                findings.append(
                    Finding(
                        rule=rule.NAME,
                        level=rule.LEVEL,
                        stack=resource.template.name,
                        resource=resource.logical_id,
                        path=resource.path,
                        resource_type=resource.type,
                        message=violation.message,
                        detail=violation.detail,
                        info=rule.INFO,
                        fix=rule.EXPLANATION,
                        function=function.logical_id if function else "",
                        function_path=function.path if function else "",
                        suppressed=bool(reason),
                        suppression_reason=reason,
                        template_file=resource.template.file,
                    )
                )
        statuses[id(resource)] = per_rule
    return findings, statuses


def _rules_summary(statuses: Mapping[str, str], failed: set[str]) -> tuple[list[str], list[str]]:
    passed = sorted(
        r
        for r, s in statuses.items()
        if s == "compliant" or (s == NON_COMPLIANT_STATUS and r not in failed)
    )
    return passed, sorted(failed)


def audit(app: Assembly, rules: Sequence[ModuleType] = RULES) -> Report:
    """Run the rules and build the inventory: entry point -> function -> guarded or not."""
    used: set[Suppression] = set()
    findings, statuses = run_rules(app, rules, used)
    failed_by_resource: dict[tuple[str, str], set[str]] = {}
    for finding in findings:
        if not finding.suppressed:
            failed_by_resource.setdefault((finding.stack, finding.resource), set()).add(
                finding.rule
            )
    entry_points = []
    for point in all_entry_points(app):
        resource = point.resource
        function = point.target.function
        failed = failed_by_resource.get((resource.template.name, resource.logical_id), set())
        passed, failed_rules = _rules_summary(statuses.get(id(resource), {}), failed)
        helper = helper_name(function) if function is not None else ""
        guarded = function is not None and guard(function).guarded
        entry_points.append(
            {
                "source_type": point.source_type,
                "resource": resource.logical_id,
                "resource_type": resource.type,
                "stack": resource.template.name,
                "path": resource.path,
                "detail": point.detail,
                "origin": point.origin.path if point.origin is not None else "",
                "function": function.logical_id if function is not None else "",
                "function_path": function.path if function is not None else "",
                "function_stack": function.template.name if function is not None else "",
                "qualifier": point.target.qualifier,
                "guarded": guarded,
                "cdk_helper": helper,
                "status": "guarded"
                if guarded
                else (
                    "cdk-helper"
                    if helper and point.source_type == "cloudformation"
                    else ("unresolved" if function is None else "unguarded")
                ),
                "unresolved": point.target.unresolved,
                "rules_passed": passed,
                "rules_failed": failed_rules,
            }
        )
    functions = []
    for resource in app.resources():
        if resource.type not in FUNCTION_TYPES:
            continue
        state = guard(resource)
        policy, policy_error = (
            effective_policy(resource)
            if state.guarded
            or "EVENTGUARD_POLICY" in (resource.prop("Environment", "Variables") or {})
            else (None, "")
        )
        failed = failed_by_resource.get((resource.template.name, resource.logical_id), set())
        passed, failed_rules = _rules_summary(statuses.get(id(resource), {}), failed)
        functions.append(
            {
                "function": resource.logical_id,
                "stack": resource.template.name,
                "path": resource.path,
                "runtime": resource.prop("Runtime"),
                "guarded": state.guarded,
                "missing": list(state.missing),
                "cdk_helper": helper_name(resource),
                "entry_points": len(reaching(resource)),
                "policy": policy,
                "policy_error": policy_error,
                "rules_passed": passed,
                "rules_failed": failed_rules,
            }
        )
    return Report(
        findings,
        entry_points,
        functions,
        [t.name for t in app.templates],
        unused_suppressions(app, used),
    )


def audit_templates(docs: Mapping[str, Mapping[str, Any]]) -> Report:
    """Audit template dicts keyed by stack name."""
    return audit(Assembly.from_templates(docs))

"""``EntryPointAudit``: the user's one line that makes ``cdk synth`` fail on unguarded entry points.

Design: rules must read the template as synthesized (``_cfn_properties`` misses property
overrides and lazily built environment variables), but aspects run before synthesis. So the
aspect does no checking itself: on its first visit it registers ``AuditPlugin``, a CDK policy
validation plugin (``IPolicyValidationPlugin``), on the App. CDK calls the plugin after it has
written every template; the plugin runs the pure engine on those files, writes the
eventguard reports next to them, and returns the unsuppressed findings as violations. An
error-level violation makes CDK print the report (rule id, construct path, fix) and exit non-zero
(``npx cdk synth`` exits 1, an in-process ``app.synth()`` raises); warnings are printed and let
synthesis succeed. A crash of the engine is reported as an error violation, never as a pass.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct

from .. import __version__
from .rules import RULES

PLUGIN_NAME = "eventguard"
CRASH_RULE = "EventGuard-AuditError"


# A rule with more findings than this is reported as one violation listing them (CDK spends
# about 5 ms per violation it formats, and hundreds of blocks help nobody); the report files
# always list every finding.
GROUP_ERRORS_OVER = 20
GROUP_WARNINGS_OVER = 5
WARNINGS_LISTED = 5


def _severity(level: str) -> str:
    # "fatal", not "error": CDK lets Validations.acknowledge() silence an error violation, which
    # would bypass eventguard's suppressions (reasoned, kept in the template, honoured by
    # `eventguard audit`); a fatal one can only be suppressed with eventguard.aspects.suppress.
    return "fatal" if level == "error" else "warning"


def _fix(finding: Any) -> str:
    return (
        f"{finding.fix} To accept the risk: eventguard.aspects.suppress(construct, "
        f"{finding.rule!r}, reason=...)."
    )


def _resource(finding: Any) -> cdk.PolicyViolatingResource:
    return cdk.PolicyViolatingResource(
        resource_logical_id=finding.resource,
        template_path=finding.template_file,
        locations=["Properties"],
    )


def _violation(finding: Any) -> cdk.PolicyViolation:
    where = []
    if finding.function_path and finding.function_path != finding.path:
        where = [f"function {finding.function_path}", f"entry point {finding.path}"]
    else:
        where = [f"resource {finding.path}"]
    missing = [w for w in where if w.split(" ", 2)[-1] not in finding.message]
    suffix = f" ({'; '.join(where)})" if missing else ""
    return cdk.PolicyViolation(
        rule_name=finding.rule,
        description=f"[{finding.rule}] {finding.message}{suffix}",
        fix=_fix(finding),
        severity=_severity(finding.level),
        violating_resources=[_resource(finding)],
    )


def _grouped(findings: list[Any], report: str) -> cdk.PolicyViolation:
    first = findings[0]
    shown = findings if first.level == "error" else findings[:WARNINGS_LISTED]
    lines = [f"[{first.rule}] {len(findings)} findings: {first.info}"]
    lines += [f"  - {f.message}" for f in shown]
    if len(shown) < len(findings):
        lines.append(f"  ... and {len(findings) - len(shown)} more, listed in {report}")
    return cdk.PolicyViolation(
        rule_name=first.rule,
        description="\n".join(lines),
        fix=_fix(first),
        severity=_severity(first.level),
        # CDK prints the description once per violating resource: anchor it on the first only
        violating_resources=[_resource(first)],
    )


def violations(findings: list[Any], report: str) -> list[cdk.PolicyViolation]:
    """The unsuppressed findings as CDK policy violations, grouped per rule when many."""
    order = {rule.NAME: i for i, rule in enumerate(RULES)}
    ranked = sorted(findings, key=lambda f: (f.level != "error", order.get(f.rule, len(order))))
    by_rule: dict[str, list[Any]] = {}
    for finding in ranked:
        if not finding.suppressed:
            by_rule.setdefault(finding.rule, []).append(finding)
    out = []
    for items in by_rule.values():
        limit = GROUP_ERRORS_OVER if items[0].level == "error" else GROUP_WARNINGS_OVER
        if len(items) > limit:
            out.append(_grouped(items, report))
        else:
            out.extend(_violation(f) for f in items)
    return out


@jsii.implements(cdk.IPolicyValidationPlugin)
class AuditPlugin:
    """The validation plugin that runs the eventguard audit on the synthesized templates.

    jsii reads only class-level members of a Python class implementing a jsii interface, so
    ``name``, ``version`` and ``rule_ids`` are properties, not instance attributes."""

    def __init__(self, *, write_reports: bool = True) -> None:
        self._write_reports = write_reports
        self.last_report: Any = None

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return __version__

    @property
    def rule_ids(self) -> list[str]:
        return [rule.NAME for rule in RULES]

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        try:
            return self._validate(list(context.template_paths))
        except Exception as exc:
            # CDK turns a plugin exception into a failed report ("Validation plugin 'eventguard'
            # failed: ...") and fails synthesis: a crash is never a pass.
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            where = traceback.extract_tb(exc.__traceback__)[-1]
            raise RuntimeError(
                f"[{CRASH_RULE}] the eventguard audit failed: {detail} (at {where.filename}:"
                f"{where.lineno}); run `eventguard audit cdk.out` for the details"
            ) from exc

    def _validate(self, paths: list[str]) -> cdk.PolicyValidationPluginReport:
        from .engine import audit
        from .model import load_paths
        from .report import write_reports

        report = audit(load_paths(paths))
        self.last_report = report
        directory = os.path.dirname(os.path.abspath(paths[0])) if paths else "."
        if self._write_reports and paths:
            write_reports(report, directory)
        where = os.path.join(directory, "eventguard-report.md")
        return cdk.PolicyValidationPluginReport(
            success=not report.errors, violations=violations(report.findings, where)
        )


@jsii.implements(cdk.IAspect)
class EntryPointAudit:
    """Fail synthesis when an entry point reaches a function that is not a SecureFunction.

    ``Aspects.of(app).add(EntryPointAudit())``: any priority works (the checking happens after
    synthesis), ``AspectPriority.READONLY`` is the right one. Error findings are reported with
    severity ``fatal`` so that only ``eventguard.aspects.suppress`` (reasoned, written into the
    template) can silence them, not ``Validations.acknowledge``. Findings, the inventory and the
    effective policies are written to ``eventguard-report.{json,md,html}`` in the output
    directory. Use one instance per App."""

    def __init__(self, *, write_reports: bool = True) -> None:
        self._write_reports = write_reports
        self._done = False
        self.plugin: AuditPlugin | None = None

    def visit(self, node: IConstruct) -> None:
        # CDK calls visit() for every construct of the app, each a Python callback through
        # jsii: after the first one (the App, where the aspect was added) it must return at once.
        if self._done:
            return
        self._done = True
        stage = node if cdk.Stage.is_stage(node) else cdk.Stage.of(node)
        if stage is None:
            cdk.Annotations.of(node).add_error(
                "EntryPointAudit needs an App at the root of the construct tree: add it with "
                "Aspects.of(app).add(EntryPointAudit())"
            )
            return
        self.plugin = AuditPlugin(write_reports=self._write_reports)
        # CDK runs a validation plugin on the stacks of the stage it is registered on, and
        # an App's aspects do not enter nested Stages (CDK Pipelines): register on each.
        for target in [stage, *_nested_stages(stage)]:
            cdk.Validations.of(target).add_plugins(self.plugin)


def _nested_stages(stage: IConstruct) -> list[IConstruct]:
    """The Stages below a Stage (they synthesize into their own nested cloud assembly)."""
    found = []
    for child in stage.node.children:
        if cdk.Stage.is_stage(child):
            found.append(child)
            found.extend(_nested_stages(child))
    return found


def audit_app(app: cdk.Stage, *, write_reports: bool = True) -> AuditPlugin:
    """Register the audit on an App (and its nested Stages) without an aspect.

    Same checks and reports as ``Aspects.of(app).add(EntryPointAudit())``, without the cost of
    CDK calling the aspect back (through jsii) for every construct of the app: use it for very
    large apps. Returns the plugin (its ``last_report`` holds the report after synthesis)."""
    plugin = AuditPlugin(write_reports=write_reports)
    for target in [app, *_nested_stages(app)]:
        cdk.Validations.of(target).add_plugins(plugin)
    return plugin

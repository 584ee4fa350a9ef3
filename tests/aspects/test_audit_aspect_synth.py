"""``EntryPointAudit``, ``suppress`` and ``declare_public`` in-process: the audit runs on the
synthesized templates (CDK's validation plugin), fails ``app.synth()`` on errors, honours
suppressions written as template metadata, and reads property overrides."""

from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CDK_DISABLE_VERSION_CHECK", "1")

cdk = pytest.importorskip("aws_cdk")
from aws_cdk import aws_lambda as lam  # noqa: E402
from aws_cdk import aws_lambda_event_sources as es  # noqa: E402
from aws_cdk import aws_sqs as sqs  # noqa: E402

from eventguard.aspects import EntryPointAudit, declare_public, suppress  # noqa: E402

pytestmark = pytest.mark.slow
WEAK = (  # the rules a plain aws_lambda.Function also breaks, suppressed where a test needs it
    "EventGuard-WildcardPermissions",
    "EventGuard-PartialBatchResponse",
    "EventGuard-SourceQueueRedrive",
)


def new_app(tmp_path):
    app = cdk.App(
        outdir=str(tmp_path / "cdk.out"),
        context={"aws:cdk:enable-path-metadata": True},
        builtin_cloud_formation_validation=False,
    )
    stack = cdk.Stack(app, "Shop")
    return app, stack


def plain(stack, name="Orders"):
    return lam.Function(
        stack,
        name,
        runtime=lam.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lam.Code.from_inline("def handler(e, c): return e"),
    )


def synth(app):
    cdk.Aspects.of(app).add(EntryPointAudit(), priority=cdk.AspectPriority.READONLY)
    return app.synth()


def test_fails_synth_with_plain_function_behind_queue(tmp_path):
    app, stack = new_app(tmp_path)
    plain(stack).add_event_source(es.SqsEventSource(sqs.Queue(stack, "Queue")))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth(app)
    out = tmp_path / "cdk.out"
    validation = (out / "validation-report.json").read_text()
    assert "[EventGuard-UnguardedEntryPoint]" in validation and "Shop/Orders/Resource" in validation
    report = json.loads((out / "eventguard-report.json").read_text())
    assert report["entry_points"][0]["status"] == "unguarded"
    assert (out / "eventguard-report.html").exists() and (out / "eventguard-report.md").exists()


def test_suppressions_survive_in_the_template_and_let_synth_pass(tmp_path):
    app, stack = new_app(tmp_path)
    fn = plain(stack)
    for rule in ("EventGuard-UnguardedEntryPoint", *WEAK):
        suppress(fn, rule, reason="legacy consumer, migration tracked in SEC-42")
    fn.add_event_source(es.SqsEventSource(sqs.Queue(stack, "Queue")))  # added after suppress
    assembly = synth(app)
    template = assembly.get_stack_by_name("Shop").template
    mapping = next(
        r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping"
    )
    rules = {s["rule"] for s in mapping["Metadata"]["eventguard:suppressions"]}
    assert "EventGuard-UnguardedEntryPoint" in rules
    report = json.loads((tmp_path / "cdk.out" / "eventguard-report.json").read_text())
    suppressed = [f for f in report["findings"] if f["suppressed"]]
    assert {f["rule"] for f in suppressed} >= {"EventGuard-UnguardedEntryPoint"}
    assert all(
        f["suppression_reason"] == "legacy consumer, migration tracked in SEC-42"
        for f in suppressed
    )


def test_rejects_suppression_without_a_real_reason(tmp_path):
    _, stack = new_app(tmp_path)
    fn = plain(stack)
    with pytest.raises(
        ValueError,
        match="Shop/Orders: suppressing EventGuard-UnguardedEntryPoint needs a reason of at least 10",
    ):
        suppress(fn, "EventGuard-UnguardedEntryPoint", reason="ok")
    with pytest.raises(ValueError, match="Shop/Orders: unknown eventguard rule 'NoSuchRule'"):
        suppress(fn, "NoSuchRule", reason="a long enough reason")


def test_property_override_is_seen(tmp_path):
    """A raw override is only in the synthesized template: the audit must see it."""
    app, stack = new_app(tmp_path)
    fn = plain(stack)
    fn.add_event_source(
        es.SqsEventSource(sqs.Queue(stack, "Queue"), report_batch_item_failures=True)
    )
    for rule in ("EventGuard-UnguardedEntryPoint", *WEAK):
        suppress(fn, rule, reason="this test is about the override, not the function")
    fn.node.default_child.add_property_override(
        "Environment.Variables.DB_PASSWORD", "hunter2hunter2"
    )
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth(app)
    report = json.loads((tmp_path / "cdk.out" / "eventguard-report.json").read_text())
    (secret,) = [f for f in report["findings"] if f["rule"] == "EventGuard-PlaintextSecret"]
    assert secret["detail"] == "DB_PASSWORD" and not secret["suppressed"]


def test_declare_public_function_url(tmp_path):
    app, stack = new_app(tmp_path)
    fn = plain(stack)
    url = fn.add_function_url(auth_type=lam.FunctionUrlAuthType.NONE)
    for rule in ("EventGuard-UnguardedEntryPoint", *WEAK):
        suppress(fn, rule, reason="this test is about the public declaration")
    declare_public(url, reason="public status page, returns no user data")
    synth(app)
    report = json.loads((tmp_path / "cdk.out" / "eventguard-report.json").read_text())
    assert not [f for f in report["findings"] if f["rule"] == "EventGuard-PublicEntryPoint"]
    with pytest.raises(ValueError, match="at least 10"):
        declare_public(url, reason="")


def test_secure_function_passes_the_audit(tmp_path):
    constructs = pytest.importorskip("eventguard.constructs")
    app, stack = new_app(tmp_path)
    queue = sqs.Queue(
        stack,
        "Queue",
        dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=3, queue=sqs.Queue(stack, "Dlq")),
    )
    constructs.SecureFunction(
        stack,
        "Worker",
        code=lam.Code.from_inline("def handler(e, c): return e"),
        handler="index.handler",
        reserved_concurrent_executions=5,
        triggers=[constructs.triggers.Sqs(queue)],
    )
    synth(app)
    report = json.loads((tmp_path / "cdk.out" / "eventguard-report.json").read_text())
    assert report["summary"]["errors"] == 0, [
        f["message"] for f in report["findings"] if f["level"] == "error"
    ]
    (point,) = [p for p in report["entry_points"] if p["source_type"] == "sqs"]
    assert point["guarded"] and point["status"] == "guarded"
    (worker,) = [f for f in report["functions"] if f["path"] == "Shop/Worker/Resource"]
    assert worker["policy"]["mode"] in ("block", "alert") and worker["policy"]["triggers"]


def test_fails_synth_when_the_engine_crashes(tmp_path, monkeypatch):
    import eventguard.aspects.engine as engine

    def boom(*args, **kwargs):
        raise ZeroDivisionError("simulated engine bug")

    monkeypatch.setattr(engine, "audit", boom)
    app, stack = new_app(tmp_path)
    plain(stack)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth(app)
    assert "EventGuard-AuditError" in (tmp_path / "cdk.out" / "validation-report.json").read_text()


def test_cdk_acknowledge_cannot_silence_an_error(tmp_path):
    """Only eventguard's reasoned suppressions (kept in the template) silence an error."""
    app, stack = new_app(tmp_path)
    plain(stack).add_event_source(es.SqsEventSource(sqs.Queue(stack, "Queue")))
    cdk.Validations.of(stack).acknowledge(
        cdk.Acknowledgment(id="eventguard::EventGuard-UnguardedEntryPoint", reason="hidden")
    )
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth(app)


def test_many_findings_of_a_rule_are_grouped():
    from eventguard.aspects.engine import Finding
    from eventguard.aspects.synth import GROUP_ERRORS_OVER, violations

    def finding(i, level="error", rule="EventGuard-UnguardedEntryPoint"):
        return Finding(
            rule=rule,
            level=level,
            stack="S",
            resource=f"R{i}",
            path=f"S/E{i}",
            resource_type="AWS::Lambda::EventSourceMapping",
            message=f"S/E{i} reaches S/F{i}",
            detail=f"S/F{i}",
            info="An entry point reaches a plain function.",
            fix="Use SecureFunction.",
            function=f"F{i}",
            function_path=f"S/F{i}",
            template_file="S.template.json",
        )

    few = violations([finding(i) for i in range(3)], "report.md")
    assert (
        len(few) == 3
        and few[0].severity == "fatal"
        and few[0].description == "[EventGuard-UnguardedEntryPoint] S/E0 reaches S/F0"
    )
    many = violations(
        [finding(i) for i in range(GROUP_ERRORS_OVER + 5)]
        + [finding(i, "warning", "EventGuard-ReservedConcurrency") for i in range(9)],
        "report.md",
    )
    assert len(many) == 2
    errors, warnings = many
    assert errors.description.count("\n  - ") == GROUP_ERRORS_OVER + 5  # every error is named
    assert len(errors.violating_resources) == 1  # CDK repeats the description per resource
    assert (
        warnings.severity == "warning" and "and 4 more, listed in report.md" in warnings.description
    )


def test_fails_synth_for_stacks_inside_a_stage(tmp_path):
    """CDK Pipelines apps put stacks in Stages, which the App's plugins and aspects skip."""
    app = cdk.App(outdir=str(tmp_path / "cdk.out"), builtin_cloud_formation_validation=False)
    stage = cdk.Stage(app, "Prod")
    stack = cdk.Stack(stage, "Shop")
    plain(stack).add_event_source(es.SqsEventSource(sqs.Queue(stack, "Queue")))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth(app)
    (report_file,) = (tmp_path / "cdk.out").glob("assembly-*/eventguard-report.json")
    report = json.loads(report_file.read_text())
    assert report["entry_points"][0]["status"] == "unguarded"
    from eventguard.aspects.engine import audit
    from eventguard.aspects.model import load

    offline = audit(
        load(str(tmp_path / "cdk.out"))
    )  # `eventguard audit` follows the stage's assembly
    assert [p["status"] for p in offline.entry_points] == ["unguarded"]


def test_audit_app_without_an_aspect_fails_synth(tmp_path):
    from eventguard.aspects import audit_app

    app, stack = new_app(tmp_path)
    plain(stack).add_event_source(es.SqsEventSource(sqs.Queue(stack, "Queue")))
    plugin = audit_app(app)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert any(f.rule == "EventGuard-UnguardedEntryPoint" for f in plugin.last_report.errors)

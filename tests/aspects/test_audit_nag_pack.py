"""The eventguard rules as a cdk-nag 2.x NagPack, from Python: same ids, NagSuppressions work."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

cdk = pytest.importorskip("aws_cdk")
cdk_nag = pytest.importorskip("cdk_nag")
from aws_cdk import aws_lambda as lam  # noqa: E402
from aws_cdk import aws_lambda_event_sources as es  # noqa: E402
from aws_cdk import aws_sqs as sqs  # noqa: E402
from aws_cdk.assertions import Annotations, Match  # noqa: E402

from eventguard.aspects import EventGuardNagPack  # noqa: E402

pytestmark = pytest.mark.slow


def app_with_plain_function(tmp_path, suppress=False):
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stack = cdk.Stack(app, "Nag")
    fn = lam.Function(
        stack,
        "Fn",
        runtime=lam.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lam.Code.from_inline("x"),
    )
    fn.add_event_source(es.SqsEventSource(sqs.Queue(stack, "Queue")))
    fn.add_environment("DB_PASSWORD", "hunter2hunter2")  # a lazily built variable
    if suppress:
        cdk_nag.NagSuppressions.add_resource_suppressions(
            fn,
            [
                {
                    "id": "EventGuard-UnguardedEntryPoint",
                    "reason": "legacy function, tracked in SEC-7",
                }
            ],
            apply_to_children=True,
        )
    cdk.Aspects.of(app).add(EventGuardNagPack())
    return app, stack


def errors(stack, rule):
    return Annotations.from_stack(stack).find_error("*", Match.string_like_regexp(f"{rule}\\b"))


def test_fails_plain_function_with_the_same_rule_ids(tmp_path):
    _, stack = app_with_plain_function(tmp_path)
    found = errors(stack, "EventGuard-UnguardedEntryPoint")
    assert found and any("SqsEventSource" in e.id for e in found)
    secrets = errors(stack, "EventGuard-PlaintextSecret")
    assert secrets and "Fn/Resource" in secrets[0].id
    warnings = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("EventGuard-PartialBatchResponse")
    )
    assert warnings


def test_nag_suppressions_apply(tmp_path):
    app, stack = app_with_plain_function(tmp_path, suppress=True)
    assert not errors(stack, "EventGuard-UnguardedEntryPoint")
    assert errors(stack, "EventGuard-PlaintextSecret")  # other rules still report
    app.synth()
    (csv,) = (tmp_path / "cdk.out").glob("EventGuard-*NagReport.csv")
    report = csv.read_text()
    line = next(x for x in report.splitlines() if x.startswith('"EventGuard-UnguardedEntryPoint"'))
    assert '"Suppressed"' in line and "legacy function, tracked in SEC-7" in line

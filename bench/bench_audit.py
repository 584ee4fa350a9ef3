"""Benchmark of the entry-point audit: prints JSON.

Builds a CDK app of N SecureFunctions (default 500) with mixed triggers (SQS, SNS, EventBridge
rule, schedule, S3, REST API, DynamoDB stream) spread over several stacks (CloudFormation allows
500 resources per stack), then, in one run:

* ``npx cdk synth`` of the app without the audit, and with ``EntryPointAudit`` (which runs the
  engine on the synthesized templates and writes the three report files): ``synth_ratio`` is the
  ratio of their CPU times (CLI and app processes; target <= 1.15), ``synth_wall_ratio`` of their
  wall times, which on a busy machine also counts everything else running;
  ``synth_ratio_audit_app`` the same with ``audit_app(app)``, which registers the same audit
  without an aspect (no jsii callback per construct);
* ``eventguard audit`` on the synthesized cloud assembly, in-process: load, rules, inventory.

    python bench/bench_audit.py [--functions 500] [--per-stack 25] [--repeat 2] [--plain]

Two synth pairs by default, the best of each kept: one ~35 s synth pair varies by more than the
15% the target allows (the two variants traded places between two single-pair runs).

``--plain`` uses plain ``aws_lambda.Function``s: every entry point is then an audit error, the
worst case for the report CDK prints.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TRIGGERS = ("sqs", "sns", "rule", "schedule", "s3", "api", "dynamodb")


def build_app(functions: int, per_stack: int, audit: str, plain: bool) -> None:
    """The benchmark app (run by the CDK CLI through ``--app``): SecureFunctions, or plain
    ``aws_lambda.Function``s with ``plain`` (every entry point then is an audit error)."""
    import aws_cdk as cdk
    from aws_cdk import aws_apigateway as apigw
    from aws_cdk import aws_lambda as lam

    app = cdk.App()
    code = lam.Code.from_inline("def handler(event, context):\n    return event\n")
    stack: cdk.Stack | None = None
    api: apigw.RestApi | None = None
    for i in range(functions):
        if i % per_stack == 0:
            stack = cdk.Stack(app, f"Bench{i // per_stack:02d}")
            api = None
        assert stack is not None
        kind = TRIGGERS[i % len(TRIGGERS)]
        if kind == "api" and api is None:
            api = apigw.RestApi(stack, "Api")
        if plain:
            _plain_function(stack, i, kind, code, api)
        else:
            _secure_function(stack, i, kind, code, api)
    if audit == "aspect":
        from eventguard.aspects import EntryPointAudit

        cdk.Aspects.of(app).add(EntryPointAudit(), priority=cdk.AspectPriority.READONLY)
    elif audit == "plugin":
        from eventguard.aspects import audit_app

        audit_app(app)
    app.synth()


def _source(stack: Any, i: int, kind: str) -> Any:
    import aws_cdk as cdk
    from aws_cdk import aws_dynamodb as ddb
    from aws_cdk import aws_events as events
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_sns as sns
    from aws_cdk import aws_sqs as sqs

    if kind == "sqs":
        dlq = sqs.Queue(stack, f"Dlq{i}")
        return sqs.Queue(
            stack, f"Q{i}", dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=3, queue=dlq)
        )
    if kind == "sns":
        return sns.Topic(stack, f"T{i}")
    if kind == "rule":
        return events.Rule(
            stack,
            f"R{i}",
            rule_name=f"{stack.stack_name}-r{i}",
            event_pattern=events.EventPattern(source=[f"bench.{i}"]),
        )
    if kind == "schedule":
        return events.Schedule.rate(cdk.Duration.hours(1))
    if kind == "s3":
        return s3.Bucket(stack, f"B{i}")
    if kind == "dynamodb":
        return ddb.Table(
            stack,
            f"D{i}",
            partition_key=ddb.Attribute(name="pk", type=ddb.AttributeType.STRING),
            stream=ddb.StreamViewType.NEW_IMAGE,
        )
    return None


def _secure_function(stack: Any, i: int, kind: str, code: Any, api: Any) -> None:
    from aws_cdk import aws_apigateway as apigw
    from aws_cdk import aws_lambda as lam
    from aws_cdk import aws_lambda_event_sources as es

    from eventguard.constructs import SecureFunction, triggers

    source = _source(stack, i, kind)
    trigger: Any
    if kind == "sqs":
        trigger = triggers.Sqs(source)
    elif kind == "sns":
        trigger = triggers.Sns(source)
    elif kind == "rule":
        trigger = triggers.EventBridgeRule(source)
    elif kind == "schedule":
        trigger = triggers.Schedule(source)
    elif kind == "s3":
        trigger = triggers.S3(source)
    elif kind == "dynamodb":
        trigger = triggers.DynamoDbStream(source, on_failure=es.SqsDlq(_dlq(stack, i)))
    else:
        resource = api.root.add_resource(f"r{i}")
        trigger = triggers.RestApi(resource, "POST", authorization_type=apigw.AuthorizationType.IAM)
    SecureFunction(
        stack,
        f"Fn{i}",
        code=code,
        handler="index.handler",
        runtime=lam.Runtime.PYTHON_3_13,
        reserved_concurrent_executions=2,
        triggers=[trigger],
    )


def _dlq(stack: Any, i: int) -> Any:
    from aws_cdk import aws_sqs as sqs

    return sqs.Queue(stack, f"StreamDlq{i}")


def _plain_function(stack: Any, i: int, kind: str, code: Any, api: Any) -> None:
    from aws_cdk import aws_apigateway as apigw
    from aws_cdk import aws_events_targets as targets
    from aws_cdk import aws_lambda as lam
    from aws_cdk import aws_lambda_event_sources as es
    from aws_cdk import aws_s3 as s3

    fn = lam.Function(
        stack, f"Fn{i}", runtime=lam.Runtime.PYTHON_3_13, handler="index.handler", code=code
    )
    source = _source(stack, i, kind)
    if kind == "sqs":
        fn.add_event_source(es.SqsEventSource(source))
    elif kind == "sns":
        fn.add_event_source(es.SnsEventSource(source))
    elif kind == "rule":
        source.add_target(targets.LambdaFunction(fn))
    elif kind == "schedule":
        from aws_cdk import aws_events as events

        events.Rule(stack, f"S{i}", schedule=source, targets=[targets.LambdaFunction(fn)])
    elif kind == "s3":
        fn.add_event_source(es.S3EventSource(source, events=[s3.EventType.OBJECT_CREATED]))
    elif kind == "dynamodb":
        fn.add_event_source(
            es.DynamoEventSource(source, starting_position=lam.StartingPosition.LATEST)
        )
    else:
        api.root.add_resource(f"r{i}").add_method(
            "POST", apigw.LambdaIntegration(fn), authorization_type=apigw.AuthorizationType.IAM
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cdk_synth(
    workdir: Path, outdir: str, args: argparse.Namespace, audit: str
) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the CLI and the app) of one ``cdk synth``.

    CPU time is what the audit adds; wall time also counts whatever else the machine runs."""
    app = (
        f"{sys.executable} {Path(__file__).resolve()} --app --functions {args.functions} "
        f"--per-stack {args.per_stack} --audit {audit} {'--plain' if args.plain else ''}"
    )
    (workdir / "cdk.json").write_text(
        json.dumps({"app": app, "notices": False, "context": {"cli-telemetry": False}})
    )
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        CDK_DISABLE_VERSION_CHECK="1",
        CDK_VALIDATION="false",
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
    )
    cli = ROOT / "node_modules" / ".bin" / "cdk"
    start, cpu_start = time.perf_counter(), _children_cpu()
    proc = subprocess.run(
        [str(cli), "synth", "--quiet", "--no-validation", "-o", outdir],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
    # plain functions are unguarded: with the audit, synth must fail (exit 1)
    expected = 1 if audit != "none" and args.plain else 0
    if proc.returncode != expected:
        raise SystemExit(
            f"cdk synth (audit={audit}) exited {proc.returncode}:\n{proc.stderr[-3000:]}"
        )
    return elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=500)
    parser.add_argument("--per-stack", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=2, help="synth pairs to run (best kept)")
    parser.add_argument(
        "--plain", action="store_true", help="plain aws_lambda.Function (worst case: all errors)"
    )
    parser.add_argument("--app", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--audit", default="none", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.app:
        build_app(args.functions, args.per_stack, args.audit, args.plain)
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="eventguard-bench-"))
    try:
        plain, audited, direct = [], [], []
        for _ in range(args.repeat):
            plain.append(cdk_synth(workdir, "out-plain", args, audit="none"))
            audited.append(cdk_synth(workdir, "out-audit", args, audit="aspect"))
            direct.append(cdk_synth(workdir, "out-direct", args, audit="plugin"))
        sys.path.insert(0, str(ROOT))
        from eventguard.aspects.engine import audit
        from eventguard.aspects.model import load
        from eventguard.aspects.report import write_reports

        start = time.perf_counter()
        assembly = load(str(workdir / "out-plain"))
        loaded = time.perf_counter()
        report = audit(assembly)
        audited_at = time.perf_counter()
        write_reports(report, str(workdir / "out-plain"))
        done = time.perf_counter()
        resources = sum(len(t.resources) for t in assembly.templates)
        print(
            json.dumps(
                {
                    "functions": args.functions,
                    "function_kind": "aws_lambda.Function" if args.plain else "SecureFunction",
                    "triggers": list(TRIGGERS),
                    "stacks": len(assembly.templates),
                    "resources": resources,
                    "max_resources_per_stack": max(len(t.resources) for t in assembly.templates),
                    "entry_points": len(report.entry_points),
                    "findings": len(report.findings),
                    "errors": len(report.errors),
                    "audit_seconds": round(done - start, 3),
                    "audit_load_seconds": round(loaded - start, 3),
                    "audit_rules_seconds": round(audited_at - loaded, 3),
                    "audit_reports_seconds": round(done - audited_at, 3),
                    "synth_wall_seconds_without_audit": round(min(w for w, _ in plain), 2),
                    "synth_wall_seconds_with_audit": round(min(w for w, _ in audited), 2),
                    "synth_cpu_seconds_without_audit": round(min(c for _, c in plain), 2),
                    "synth_cpu_seconds_with_audit": round(min(c for _, c in audited), 2),
                    "synth_ratio": round(min(c for _, c in audited) / min(c for _, c in plain), 3),
                    "synth_wall_ratio": round(
                        min(w for w, _ in audited) / min(w for w, _ in plain), 3
                    ),
                    "synth_cpu_seconds_with_audit_app": round(min(c for _, c in direct), 2),
                    "synth_ratio_audit_app": round(
                        min(c for _, c in direct) / min(c for _, c in plain), 3
                    ),
                    "synth_ratio_target": 1.15,
                    "load_average": round(os.getloadavg()[0], 2),
                },
                indent=2,
            )
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The real CLI: ``npx cdk synth`` of an app with a plain ``aws_lambda.Function`` behind an SQS
queue and ``Aspects.of(app).add(EntryPointAudit())`` must fail, naming the rule, the construct
paths of the function and of the entry point, and the fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CDK = ROOT / "node_modules" / ".bin" / "cdk"

APP = textwrap.dedent(
    """
    import aws_cdk as cdk
    from aws_cdk import aws_lambda as lam, aws_sqs as sqs, aws_lambda_event_sources as es
    from eventguard.aspects import EntryPointAudit

    app = cdk.App()
    stack = cdk.Stack(app, "Cli")
    fn = lam.Function(stack, "Orders", runtime=lam.Runtime.PYTHON_3_12, handler="index.handler",
                      code=lam.Code.from_inline("def handler(e, c): return e"))
    fn.add_event_source(es.SqsEventSource(sqs.Queue(stack, "Queue")))
    cdk.Aspects.of(app).add(EntryPointAudit())
    app.synth()
    """
)


@pytest.mark.slow
@pytest.mark.skipif(
    not CDK.exists(), reason="the CDK CLI is not installed (make setup runs npm ci)"
)
def test_fails_cdk_synth_with_plain_function_behind_queue(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "cdk.json").write_text(
        json.dumps(
            {
                "app": f"{sys.executable} app.py",
                "notices": False,
                "context": {"cli-telemetry": False},
            }
        )
    )
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        CDK_DISABLE_VERSION_CHECK="1",
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
    )
    env["CDK_VALIDATION"] = "false"
    proc = subprocess.run(
        [str(CDK), "synth", "--quiet", "--no-validation"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "[EventGuard-UnguardedEntryPoint]" in output
    assert "Cli/Orders/Resource" in output  # the function
    assert "Cli/Orders/SqsEventSource:CliQueue" in output  # the entry point
    assert "SecureFunction" in output  # the fix
    report = json.loads((tmp_path / "cdk.out" / "eventguard-report.json").read_text())
    (point,) = report["entry_points"]
    assert point["source_type"] == "sqs" and point["status"] == "unguarded"
    assert (tmp_path / "cdk.out" / "eventguard-report.html").exists()

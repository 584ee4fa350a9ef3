"""``eventguard audit`` on templates it did not generate: a SAM-transformed template, a
hand-written one, a cloud assembly with a nested stack; JSON output and exit codes."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from eventguard.commands import audit as command

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "tests" / "templates"


def run(path, *extra, capsys):
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    command.add_arguments(parser)
    code = command.run(parser.parse_args([str(path), *extra]))
    return code, capsys.readouterr()


def audit_json(path, capsys):
    code, out = run(path, "--json", "--no-report-files", capsys=capsys)
    return code, json.loads(out.out)


def test_fails_sam_transformed_template(capsys):
    code, data = audit_json(TEMPLATES / "sam-transformed.template.json", capsys)
    assert code == 1
    by_resource = {(p["resource"], p["source_type"]): p for p in data["entry_points"]}
    assert by_resource[("WorkerFunctionQueue", "sqs")]["function"] == "WorkerFunction"
    assert (
        by_resource[("ServerlessRestApi", "api-rest")]["function"] == "ApiFunction"
    )  # OpenAPI body
    assert by_resource[("Uploads", "s3")]["function"] == "UploadFunction"
    assert (
        by_resource[("NightlyFunctionUrl", "function-url")]["qualifier"] == "live"
    )  # via the alias
    assert all(not p["guarded"] for p in data["entry_points"])
    rules = {(f["rule"], f["resource"]) for f in data["findings"]}
    assert ("EventGuard-PlaintextSecret", "ApiFunction") in rules
    assert ("EventGuard-DeprecatedRuntime", "WorkerFunction") in rules
    assert ("EventGuard-PublicEntryPoint", "ServerlessRestApi") in rules
    assert ("EventGuard-PublicEntryPoint", "NightlyFunctionUrl") in rules
    for finding in data["findings"]:
        assert {"rule", "level", "resource", "path", "message"} <= set(finding)


def test_fails_handwritten_template_and_resolves_every_reference(capsys):
    code, data = audit_json(TEMPLATES / "handwritten.template.json", capsys)
    assert code == 1
    points = {p["resource"]: p for p in data["entry_points"]}
    assert points["JobsMapping"]["status"] == "guarded"  # function named by FunctionName
    assert (
        points["HttpIntegration"]["function"] == "Plain"
        and points["HttpIntegration"]["qualifier"] == "live"
    )
    assert points["IotRule"]["function"] == "Plain"  # through the alias
    assert points["Pool"]["function"] == "Plain"  # inside Fn::If
    assert points["Workflow"]["function"] == "Plain"  # ${Plain.Arn} in a definition
    assert points["ExternalMapping"]["status"] == "unresolved"  # a parameter: a finding, not a pass
    assert points["WeirdRule"]["status"] == "unresolved"  # an unknown intrinsic does not crash
    guarded = next(f for f in data["functions"] if f["function"] == "GuardedWorker")
    assert guarded["guarded"] and guarded["policy"]["triggers"][0]["source"] == "sqs"
    assert not [
        f
        for f in data["findings"]
        if f["function"] == "GuardedWorker" or f["resource"] == "GuardedWorker"
    ]
    plain = next(f for f in data["functions"] if f["function"] == "Plain")
    assert not plain["guarded"] and "environment variable EVENTGUARD_POLICY" in plain["missing"]


def test_fails_nested_stack_cloud_assembly(capsys):
    code, data = audit_json(TEMPLATES / "nested-cdk-out", capsys)
    assert code == 1
    assert data["summary"]["stacks"] == 2
    points = {p["path"]: p for p in data["entry_points"]}
    assert (
        points["Parent/Mapping/Resource"]["function_path"] == "Parent/Inner/Fn/Resource"
    )  # Outputs.FnArn
    inner = points["Parent/Inner/Fn/SqsEventSource/Resource"]
    assert inner["origin"] == "Parent/Queue/Resource"  # the parameter passed by the parent
    assert "EventGuard-SourceQueueRedrive" in inner["rules_passed"]


def test_text_output_and_report_files(tmp_path, capsys):
    target = tmp_path / "app.template.json"
    shutil.copy(TEMPLATES / "handwritten.template.json", target)
    code, out = run(target, capsys=capsys)
    assert code == 1
    assert "unresolved sqs" in " ".join(out.out.split())
    assert "EventGuard-UnguardedEntryPoint" in out.out
    assert {p.name for p in tmp_path.iterdir()} >= {
        "eventguard-report.json",
        "eventguard-report.md",
        "eventguard-report.html",
    }


def test_suppressed_errors_exit_zero(tmp_path, capsys):
    doc = json.loads((TEMPLATES / "nested-cdk-out" / "Parent.template.json").read_text())
    nested = json.loads(
        (TEMPLATES / "nested-cdk-out" / "ParentInner.nested.template.json").read_text()
    )
    nested["Resources"]["Fn"]["Metadata"]["eventguard:suppressions"] = [
        {
            "rule": "EventGuard-UnguardedEntryPoint",
            "reason": "migration to SecureFunction tracked in JIRA-12",
        }
    ]
    shutil.copy(TEMPLATES / "nested-cdk-out" / "manifest.json", tmp_path / "manifest.json")
    (tmp_path / "Parent.template.json").write_text(json.dumps(doc))
    (tmp_path / "ParentInner.nested.template.json").write_text(json.dumps(nested))
    code, data = audit_json(tmp_path, capsys)
    assert code == 0
    suppressed = [f for f in data["findings"] if f["suppressed"]]
    assert suppressed and all(f["suppression_reason"].startswith("migration") for f in suppressed)


def test_rejects_unreadable_input(tmp_path, capsys):
    (tmp_path / "bad.json").write_text("AWSTemplateFormatVersion: 2010-09-09\n")
    code, out = run(tmp_path / "bad.json", capsys=capsys)
    assert code == 2 and "not a JSON CloudFormation template" in out.err
    code, out = run(tmp_path / "missing", capsys=capsys)
    assert code == 2


def test_audit_imports_no_aws_cdk():
    script = (
        "import sys, argparse\n"
        "from eventguard.commands import audit\n"
        "p = argparse.ArgumentParser(); p.add_argument('--json', action='store_true'); audit.add_arguments(p)\n"
        f"code = audit.run(p.parse_args([{str(TEMPLATES / 'sam-transformed.template.json')!r}, '--json', '--no-report-files']))\n"
        "assert not [m for m in sys.modules if m.startswith(('aws_cdk', 'jsii'))], 'aws_cdk imported'\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["errors"] > 0


def test_lazy_package_exports_do_not_import_aws_cdk():
    script = "import sys, eventguard.aspects, eventguard.aspects.engine\nassert 'aws_cdk' not in sys.modules\n"
    assert subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60).returncode == 0


def test_cli_entry_point_runs_the_audit():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "eventguard",
            "audit",
            str(TEMPLATES / "nested-cdk-out"),
            "--json",
            "--no-report-files",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert {"findings", "entry_points", "functions"} <= set(data)


def test_text_output_lists_effective_policies(capsys):
    code, out = run(TEMPLATES / "handwritten.template.json", "--no-report-files", capsys=capsys)
    assert code == 1
    assert "guarded    handwritten/GuardedWorker  mode block, triggers: sqs" in out.out

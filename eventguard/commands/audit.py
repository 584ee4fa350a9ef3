"""``eventguard audit CDK_OUT_OR_TEMPLATE``: the entry-point audit on synthesized templates.

Reads every stack of a cloud assembly (``manifest.json``, stages and nested stacks included) or
one template file (CDK, SAM-transformed or hand-written CloudFormation), runs the same rules as
``EntryPointAudit`` at synth, prints the inventory and the findings, writes
``eventguard-report.{json,md,html}`` next to the templates, and exits 1 when an unsuppressed
error-level finding remains (2 when the input cannot be read). Imports no aws_cdk.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

HELP = "audit a cdk.out directory or a CloudFormation template for unguarded entry points"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", metavar="CDK_OUT_OR_TEMPLATE", help="cdk.out directory or template JSON"
    )
    parser.add_argument(
        "--no-report-files",
        action="store_true",
        help="do not write eventguard-report.{json,md,html} next to the templates",
    )
    parser.add_argument(
        "--report-dir", help="write the report files here instead of next to the templates"
    )


def _print_text(report: object) -> None:
    data = report.to_dict()  # type: ignore[attr-defined]
    summary = data["summary"]
    print(
        f"eventguard audit: {summary['stacks']} stack(s), {summary['functions']} function(s), "
        f"{summary['entry_points']} entry point(s), {summary['unguarded_entry_points']} not guarded"
    )
    if data["entry_points"]:
        print("\nEntry points:")
        for point in data["entry_points"]:
            target = point["function_path"] or f"? ({point['unresolved']})"
            print(f"  {point['status']:10} {point['source_type']:16} {point['path']} -> {target}")
    if data["functions"]:
        print("\nFunctions:")
        for fn in data["functions"]:
            policy = fn.get("policy") or {}
            if fn["cdk_helper"]:
                state = "cdk-helper"
            else:
                state = "guarded" if fn["guarded"] else "unguarded"
            triggers = ", ".join(str(t.get("source")) for t in policy.get("triggers", []))
            detail = f"mode {policy.get('mode')}, triggers: {triggers or '-'}" if policy else ""
            detail = detail or fn.get("policy_error") or ""
            print(f"  {state:10} {fn['path']}  {detail}")
    if data["findings"]:
        print("\nFindings:")
        for finding in data["findings"]:
            state = "suppressed" if finding["suppressed"] else finding["level"]
            print(f"  {state:10} {finding['rule']}  {finding['path']}")
            print(f"             {finding['message']}")
            if finding["suppressed"]:
                print(f"             reason: {finding['suppression_reason']}")
    for unused in data["unused_suppressions"]:
        print(
            f"\nunused suppression of {unused['rule']} (detail {unused['detail']!r}) on "
            f"{', '.join(unused['paths'])}: it matched no finding"
        )
    print(
        f"\n{summary['errors']} error(s), {summary['warnings']} warning(s), "
        f"{summary['suppressed']} suppressed"
    )


def run(args: argparse.Namespace) -> int:
    from ..aspects.engine import SuppressionError, audit
    from ..aspects.model import load
    from ..aspects.report import write_reports

    try:
        app = load(args.path)
        report = audit(app)
    except (OSError, ValueError, SuppressionError) as exc:
        print(f"eventguard audit: {exc}", file=sys.stderr)
        return 2
    if not args.no_report_files:
        directory = args.report_dir or (
            args.path if os.path.isdir(args.path) else os.path.dirname(os.path.abspath(args.path))
        )
        try:
            os.makedirs(directory, exist_ok=True)
            write_reports(report, directory)
        except OSError as exc:
            print(f"eventguard audit: cannot write the report files: {exc}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        _print_text(report)
    return 1 if report.errors else 0

from __future__ import annotations

import json
from pathlib import Path

from eventguard.aspects.engine import audit_templates
from eventguard.aspects.rules import untransformed_template as rule

SAM = Path(__file__).resolve().parents[1] / "templates" / "sam-app.json"


def test_fails_sam_template_before_transform():
    report = audit_templates({"sam": json.loads(SAM.read_text())})
    failed = {f.resource for f in report.errors if f.rule == rule.NAME}
    assert failed == {"ApiFunction", "WorkerFunction", "UploadFunction", "NightlyFunction"}


def test_fails_foreach_loop(check):
    doc = {
        "Resources": {
            "Fn::ForEach::Queues": [
                "Name",
                ["A", "B"],
                {"Queue${Name}": {"Type": "AWS::SQS::Queue"}},
            ]
        }
    }
    assert check(rule, doc, "Fn::ForEach::Queues").status == "non_compliant"


def test_transformed_resources_are_not_applicable(check, t):
    assert check(rule, t.base(), "Fn").status == "not_applicable"

"""Regenerate sam-transformed.template.json from sam-app.json with aws-sam-translator, offline.

Run once with a Python that has aws-sam-translator (not a test dependency):
    AWS_DEFAULT_REGION=eu-west-1 python3 tests/templates/generate_sam_template.py
The output is committed, so the tests need no SAM.
"""

from __future__ import annotations

import json
from pathlib import Path

from samtranslator.translator.transform import transform

HERE = Path(__file__).parent
MANAGED = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSLambdaSQSQueueExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
}


class _Policies:
    """The managed policy names SAM looks up (offline: no IAM call)."""

    def load(self) -> dict[str, str]:
        return MANAGED


if __name__ == "__main__":
    source = json.loads((HERE / "sam-app.json").read_text())
    params = {"AWS::Region": "eu-west-1", "AWS::Partition": "aws", "AWS::AccountId": "123456789012"}
    out = transform(source, params, _Policies())
    target = HERE / "sam-transformed.template.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")

"""Behavior guard and flow signing together in one guarded function, in a fresh process: the
handler sends an SQS message with boto3 (against moto) under the audit hook, and the message
carries a flow context signed with the key read from Secrets Manager by the stdlib client."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

REPO = Path(__file__).resolve().parents[3]
RUNNER = REPO / "tests" / "runtime" / "behavior" / "behavior_runner.py"
EXAMPLES = REPO / "examples" / "behavior"
pytestmark = pytest.mark.slow

RECEIVE = """
import boto3, json, os
sqs = boto3.client("sqs")
m = sqs.receive_message(QueueUrl=os.environ["QUEUE"], MessageAttributeNames=["All"])["Messages"][0]
result = json.loads(m["MessageAttributes"]["eventguard-flow"]["StringValue"])
"""


@pytest.fixture(scope="module")
def moto_env() -> Iterator[dict[str, str]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    server.stop()


def test_a_guarded_function_signs_its_sdk_calls_and_stays_within_its_policy(
    moto_env: dict[str, str],
) -> None:
    endpoint = moto_env["AWS_ENDPOINT_URL"]
    kw = {
        "endpoint_url": endpoint,
        "region_name": "eu-west-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    secret = boto3.client("secretsmanager", **kw).create_secret(
        Name=f"flow-{time.time_ns()}", SecretString="k" * 64
    )["ARN"]
    queue = boto3.client("sqs", **kw).create_queue(QueueName=f"next-{time.time_ns()}")["QueueUrl"]
    spec = {
        "policy": {
            "function": "Shop/Orders",
            "behavior": {"egress": {"hosts": []}, "process": {"executables": []}},
            "flow": {"name": "Shop/Orders", "key": secret, "sign": True},
        },
        "handler": "handlers.publish",
        "task_root": str(EXAMPLES),
        "repo": str(REPO),
        "env": {**moto_env, "QUEUE": queue},
        "events": [
            {"queue": queue, "order": {"id": 7}},
            {"queue": queue, "order": {"id": 8}},
        ],
        "after": RECEIVE
        + (
            "import urllib.request\n"
            "try:\n"
            "    urllib.request.urlopen('http://example.com/', timeout=2)\n"
            "except Exception as exc:\n"
            "    result['egress'] = str(exc)\n"
        ),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps(spec),
        text=True,
        capture_output=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [r["ok"] for r in out["results"]] == [True, True], out["results"]
    context = out["after"]
    assert (context["fn"], context["rid"], context["k"]) == ("Shop/Orders", "req-0", "sqs")
    assert "eventguard blocked egress" in context["egress"]  # the guard was on all along
    assert [x for x in out["logs"] if x["type"] == "behavior"][-1]["detail"] == "example.com"

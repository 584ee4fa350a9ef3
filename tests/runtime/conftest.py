"""Shared runtime fixtures: a real SQS protocol peer (moto's server on loopback)."""

from __future__ import annotations

import boto3
import pytest

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def sqs_endpoint(moto_endpoint: str) -> str:
    """The session's moto server (``tests/conftest.py``), a real SQS protocol peer."""
    return moto_endpoint


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, sqs_endpoint: str) -> str:
    """Credentials and the SQS endpoint in the environment, as Lambda would provide them."""
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", sqs_endpoint)
    return sqs_endpoint


@pytest.fixture
def sqs(aws_env: str):  # type: ignore[no-untyped-def]
    return boto3.client("sqs", endpoint_url=aws_env, region_name="us-east-1")


@pytest.fixture
def quarantine_url(sqs, request: pytest.FixtureRequest) -> str:  # type: ignore[no-untyped-def]
    """A fresh quarantine queue per test."""
    name = "quarantine-" + request.node.name.replace("[", "-").replace("]", "")[:60]
    return str(sqs.create_queue(QueueName=name)["QueueUrl"])


def received(sqs, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [m["Body"] for m in out.get("Messages", [])]

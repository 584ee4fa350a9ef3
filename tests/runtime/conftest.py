"""Shared runtime fixtures: a real SQS protocol peer (moto's server on loopback)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def sqs_endpoint() -> Iterator[str]:
    """moto's threaded server on a free loopback port, for the whole session."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


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

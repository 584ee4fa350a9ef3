"""Shared fixtures of the hardening tests: seeds, the fuzz mutator, a configured wrapper, SQS."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from eventguard.runtime import wrapper
from eventguard.runtime.policy import Policy
from eventguard.runtime.quarantine import Quarantine
from eventguard.runtime.seclog import SecurityLog

ROOT = Path(__file__).resolve().parents[2]

SEED_DIR = Path(__file__).resolve().parent / "seeds"


def load_sample(label: str) -> Any:
    """A fresh copy of the seed event of one source label (``sqs``, ``apigw-rest-v1``, ...)."""
    matches = sorted(SEED_DIR.glob(f"{label}__*.json"))
    assert matches, f"no seed event for {label}"
    return json.loads(matches[0].read_text(encoding="utf-8"))


def sqs_batch(bodies: list[str]) -> dict[str, Any]:
    """An SQS event of the seed's shape with one record per body, message ids ``m0``, ``m1``..."""
    template = load_sample("sqs")["Records"][0]
    records = []
    for i, body in enumerate(bodies):
        record = json.loads(json.dumps(template))
        record["messageId"] = f"m{i}"
        record["body"] = body
        records.append(record)
    return {"Records": records}


@pytest.fixture(scope="session")
def sample() -> Callable[[str], Any]:
    """``sample("sqs")``: a fresh copy of a seed event by its source label."""
    return load_sample


@pytest.fixture(scope="session")
def sqs_event() -> Callable[[list[str]], dict[str, Any]]:
    """``sqs_event(["body0", "body1"])``: an SQS batch with those bodies."""
    return sqs_batch


def _load_fuzz() -> ModuleType:
    name = "eventguard_bench_fuzz"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fuzz() -> ModuleType:
    """``bench/fuzz.py`` as a module: the mutator, the harness and the JSON helpers."""
    return _load_fuzz()


@pytest.fixture(scope="session")
def seeds(fuzz: ModuleType) -> list[tuple[str, Any]]:
    """Every sample event (``tests/events`` when present, and ``tests/hardening/seeds``)."""
    found = fuzz.load_seeds()
    assert len(found) >= 30, "the seed events are missing"
    return found


class Context:
    """The parts of a Lambda context the wrapper reads."""

    aws_request_id = "req-hardening-0001"
    function_name = "hardening"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class Guard:
    """The wrapper configured for one test: what it logged, kept and let through."""

    stream: io.StringIO = field(default_factory=io.StringIO)
    sent: list[dict[str, Any]] = field(default_factory=list)
    seen: list[Any] = field(default_factory=list)
    context: Context = field(default_factory=Context)

    def configure(
        self,
        policy: Policy | None = None,
        *,
        user_handler: Callable[[Any, Any], Any] | None = None,
        send: Callable[[str, str], None] | None = None,
        queue_url: str = "https://sqs.us-east-1.amazonaws.com/123456789012/quarantine",
    ) -> Guard:
        def record(event: Any, context: Any) -> Any:
            self.seen.append(event)
            return {"statusCode": 200, "body": "handled"}

        def keep(url: str, body: str) -> None:
            self.sent.append(json.loads(body))

        wrapper.configure(
            policy=policy or Policy(function="hardening"),
            user_handler=user_handler or record,
            quarantine=Quarantine(queue_url=queue_url, function="hardening", send=send or keep),
            log=SecurityLog(stream=self.stream, function="hardening"),
        )
        return self

    def __call__(self, event: Any) -> Any:
        return wrapper.handler(event, self.context)

    def lines(self) -> list[dict[str, Any]]:
        """Every log line, each asserted to be one JSON object."""
        out = []
        for line in self.stream.getvalue().splitlines():
            doc = json.loads(line)
            assert isinstance(doc, dict), line
            out.append(doc)
        return out

    def types(self) -> list[str]:
        return [doc["type"] for doc in self.lines()]


@pytest.fixture
def guard() -> Iterator[Guard]:
    """A fresh wrapper state (``wrapper.reset()`` after the test)."""
    wrapper.reset()
    yield Guard()
    wrapper.reset()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unused_port() -> int:
    """A localhost port nobody listens on (bound once, then released)."""
    return free_port()


@dataclass
class Sqs:
    """A moto SQS server on localhost and a boto3 client of it."""

    endpoint: str
    client: Any

    def create(self, name: str) -> str:
        return str(self.client.create_queue(QueueName=name)["QueueUrl"])

    def drain(self, url: str) -> list[dict[str, Any]]:
        bodies: list[dict[str, Any]] = []
        while True:
            got = self.client.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            )
            messages = got.get("Messages", [])
            if not messages:
                return bodies
            for message in messages:
                bodies.append(json.loads(message["Body"]))
                self.client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def sqs_server() -> Iterator[Sqs]:
    """moto's threaded server speaking the real SQS protocol on 127.0.0.1; fake credentials."""
    boto3 = pytest.importorskip("boto3")
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    saved = {k: os.environ.get(k) for k in [*FAKE_AWS_ENV, "AWS_ENDPOINT_URL_SQS"]}
    os.environ.update(FAKE_AWS_ENV)
    os.environ["AWS_ENDPOINT_URL_SQS"] = endpoint
    try:
        client = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
        yield Sqs(endpoint, client)
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

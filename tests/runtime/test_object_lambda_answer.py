"""A blocked S3 Object Lambda GetObject is answered with WriteGetObjectResponse (403), signed for
``s3-object-lambda``, so the caller does not wait for the function's timeout; a forged request
route never moves the call to another host."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from eventguard.runtime import wrapper
from eventguard.runtime.policy import from_dict
from eventguard.runtime.quarantine import Quarantine
from eventguard.runtime.seclog import SecurityLog

SAMPLE = (
    Path(__file__).parents[1]
    / "events"
    / "s3-object-lambda"
    / "aws-lambda-go--s3-object-lambda-event-get-object-iam.json"
)
CONTEXT = SimpleNamespace(aws_request_id="req-7", function_name="thumbs")
ENV = {
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "AWS_SESSION_TOKEN": "session-token",
    "AWS_REGION": "us-east-1",
}


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self.seen.append({"path": self.path, "headers": dict(self.headers.items())})
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def s3_object_lambda(monkeypatch: pytest.MonkeyPatch, aws_env: str) -> Iterator[str]:
    """A loopback HTTP peer recording the calls (moto has no S3 Object Lambda endpoint); the
    credentials are set after ``aws_env``'s, which the quarantine queue uses."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.seen = []
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3_OBJECT_LAMBDA", url)
    yield url
    server.shutdown()
    wrapper.reset()


def _run(event: dict[str, Any], quarantine_url: str) -> tuple[Any, list[dict[str, Any]], Any]:
    stream = io.StringIO()
    seen: list[Any] = []
    wrapper.configure(
        policy=from_dict({"function": "Thumbs", "triggers": [{"source": "s3-object-lambda"}]}),
        user_handler=lambda e, c: seen.append(e),
        quarantine=Quarantine(queue_url=quarantine_url, function="thumbs"),
        log=SecurityLog(stream, function="thumbs"),
    )
    result = wrapper.handler(event, CONTEXT)
    return result, [json.loads(line) for line in stream.getvalue().splitlines()], seen


def _attack() -> dict[str, Any]:
    event = json.loads(SAMPLE.read_text())
    event["userRequest"]["url"] += "?x=%27%20UNION%20SELECT%20password%20FROM%20users--"
    return event


def test_a_blocked_get_object_is_answered_with_a_signed_403(
    s3_object_lambda: str, quarantine_url: str
) -> None:
    event = _attack()
    result, lines, seen = _run(event, quarantine_url)
    context = event["getObjectContext"]
    (call,) = _Recorder.seen
    headers = {k.lower(): v for k, v in call["headers"].items()}
    assert (seen, result["statusCode"], call["path"]) == ([], 403, "/WriteGetObjectResponse")
    assert headers["x-amz-request-route"] == context["outputRoute"]
    assert headers["x-amz-request-token"] == context["outputToken"]
    assert (headers["x-amz-fwd-status"], headers["x-amz-fwd-error-code"]) == ("403", "AccessDenied")
    assert any(line["type"] == "response_delivered" for line in lines)
    # botocore computes the same SigV4 signature for the request as received
    signed = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"host", "x-amz-date", "x-amz-request-token", "x-amz-content-sha256"} <= set(signed)
    request = AWSRequest(
        method="POST",
        url=s3_object_lambda + call["path"],
        headers={k: headers[k] for k in signed},  # not what urllib adds unsigned (user-agent)
        data=b"",
    )
    request.context["timestamp"] = headers["x-amz-date"]
    signer = SigV4Auth(
        Credentials(ENV["AWS_ACCESS_KEY_ID"], ENV["AWS_SECRET_ACCESS_KEY"], "session-token"),
        "s3-object-lambda",
        "us-east-1",
    )
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    assert headers["authorization"].endswith(f"Signature={expected}")
    assert "/us-east-1/s3-object-lambda/aws4_request" in headers["authorization"]


def test_a_forged_route_is_not_called(s3_object_lambda: str, quarantine_url: str) -> None:
    event = _attack()
    event["getObjectContext"]["outputRoute"] = "evil.example.com/x?"
    result, lines, _ = _run(event, quarantine_url)
    refused = [line for line in lines if line["type"] == "response_not_delivered"]
    assert (_Recorder.seen, result["statusCode"]) == ([], 403)
    assert "DNS label" in refused[0]["reason"]


def test_a_clean_request_reaches_the_handler_without_any_call(
    s3_object_lambda: str, quarantine_url: str
) -> None:
    _, _, seen = _run(json.loads(SAMPLE.read_text()), quarantine_url)
    assert (len(seen), _Recorder.seen) == (1, [])

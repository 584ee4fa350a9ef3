"""Behavioral protection end to end: the behavior example app (``examples/behavior/stack.py``) is
synthesized once, and its functions run with ``eventguard invoke`` the way Lambda would run them
(layer and code assets, handler and policy from the template). The same handlers do their
legitimate work and are stopped when event data steers them into a shell, a host, a path, eval
or pickle — even where no detector fires."""

from __future__ import annotations

import base64
import json
import pickle
from pathlib import Path
from typing import Any

import pytest


class Unlisted:
    """A class no behavior policy of the example allows to be unpickled."""


@pytest.fixture(scope="session")
def behavior_cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from aws_cdk import App

    from examples.behavior.stack import build

    out = tmp_path_factory.mktemp("behavior-cdk-out")
    app = App(
        outdir=str(out),
        context={"aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True},
    )
    build(app)
    app.synth()
    return out


def invoke(cli: Any, cdk_out: Path, tmp_path: Path, function: str, event: Any) -> dict[str, Any]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    done = cli("invoke", str(cdk_out), f"Behavior/{function}", str(path), "--json")
    assert done.stdout, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


def behavior_lines(report: dict[str, Any]) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in report.get("logs", []) if line.startswith("{")]
    return [line for line in lines if line.get("type") == "behavior"]


@pytest.mark.parametrize(
    ("function", "event", "expected"),
    [
        ("Calculate", {"plan": "gold"}, {"result": 8.0}),
        ("Render", {"template": "hello.html", "name": "Ann"}, "Ann"),
        ("Thumbnail", {"file": "holiday.png", "preset": "small"}, "holiday.png"),
        ("Export", {"directory": "/tmp"}, {"written": "/tmp/report.csv"}),
    ],
    ids=["eval-of-own-formula", "read-declared-template", "allowed-program", "write-in-tmp"],
)
def test_allowed_behavior_works_unchanged(
    behavior_cdk_out: Path,
    eventguard_cli: Any,
    tmp_path: Path,
    function: str,
    event: Any,
    expected: Any,
) -> None:
    report = invoke(eventguard_cli, behavior_cdk_out, tmp_path, function, event)
    result = report.get("result")
    assert (expected in json.dumps(result)) if isinstance(expected, str) else result == expected


@pytest.mark.parametrize(
    ("function", "event", "concern"),
    [
        ("Calculate", {"formula": "price * 3 + 1"}, "code"),
        ("ThumbnailShell", {"file": "holiday-photo.png"}, "process"),
        ("Source", {}, "files"),
        ("Export", {"directory": "/srv/exports"}, "files"),
        ("Webhook", {"callback": "https://hooks.partner.example.com/order"}, "egress"),
    ],
    ids=[
        "eval-of-event-text",
        "event-text-in-shell-line",
        "read-own-code",
        "write-outside-tmp",
        "undeclared-host",
    ],
)
def test_blocks_and_logs_behavior_the_policy_does_not_declare(
    behavior_cdk_out: Path,
    eventguard_cli: Any,
    tmp_path: Path,
    function: str,
    event: Any,
    concern: str,
) -> None:
    report = invoke(eventguard_cli, behavior_cdk_out, tmp_path, function, event)
    lines = behavior_lines(report)
    # the offending call raised (urllib wraps the PermissionError in a URLError), so the handler
    # returned nothing, and the decision is one security log line with the request id
    assert ("result" in report, [line["concern"] for line in lines][-1:]) == (False, [concern])
    assert lines[-1]["action"] == "block" and lines[-1]["request_id"]


def test_an_event_pickle_is_stopped_by_inspection_or_by_the_unpickle_check(
    behavior_cdk_out: Path, eventguard_cli: Any, tmp_path: Path
) -> None:
    """A pickle in the event is stopped twice over: the deserialization detector usually sees
    the pickle stream in the base64 first; if it does not, the unpickle check refuses a class
    the policy does not list. Either way the handler never restores it, and a line says why."""
    event = {"session": base64.b64encode(pickle.dumps(Unlisted(), protocol=0)).decode()}
    report = invoke(eventguard_cli, behavior_cdk_out, tmp_path, "Restore", event)
    lines = [json.loads(line) for line in report.get("logs", []) if line.startswith("{")]
    stopped = {line.get("rule") or line.get("concern") for line in lines} & {
        "deserialization",
        "unpickle",
    }
    assert "session" not in json.dumps(report.get("result")) and stopped

"""Session fixtures shared by the construct, example-app and invoke tests.

The example app is synthesized once in-process (``shop``: App, stack, template) and once by the
CDK CLI into a temporary cloud assembly (``shop_cdk_out``), which the invoke tests run functions
from. Both turn off the built-in CloudFormation validation (CDK-NOTES.md: 4.5 s per process).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CDK_ENV = {
    "CDK_VALIDATION": "false",
    "CDK_DISABLE_VERSION_CHECK": "1",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
}
for _key, _value in CDK_ENV.items():
    os.environ.setdefault(_key, _value)


def cdk_json_context() -> dict[str, Any]:
    """The context the CDK CLI would pass to app.py (cdk.json), for in-process apps."""
    return dict(json.loads((ROOT / "cdk.json").read_text())["context"])


def load_app_module() -> Any:
    """app.py, imported by path (it is a script at the repo root, not a package module)."""
    spec = importlib.util.spec_from_file_location("eventguard_example_app", ROOT / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Synth:
    app: Any
    stack: Any
    template: Any  # aws_cdk.assertions.Template
    assembly: Any


@pytest.fixture(scope="session")
def shop() -> Synth:
    """The example app synthesized in-process once: the EntryPointAudit and cdk-nag
    AwsSolutionsChecks run on it (an audit error makes synth raise)."""
    from aws_cdk import App, Aspects
    from aws_cdk.assertions import Template
    from cdk_nag import AwsSolutionsChecks

    app = App(context={**cdk_json_context(), "aws:cdk:enable-path-metadata": True})
    stack = load_app_module().build(app)
    Aspects.of(app).add(AwsSolutionsChecks())
    assembly = app.synth()
    return Synth(app, stack, Template.from_stack(stack), assembly)


@pytest.fixture(scope="session")
def shop_cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``npx cdk synth`` of app.py, once, into a temporary cloud assembly."""
    out = tmp_path_factory.mktemp("cdk") / "cdk.out"
    env = {**os.environ, **CDK_ENV}
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    npx = shutil.which("npx", path=env["PATH"])
    if npx is None:
        pytest.fail("npx is not installed: the CDK CLI runs through npx (make setup)")
    done = subprocess.run(
        [npx, "cdk", "synth", "--quiet", "--no-validation", "-o", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A local moto server (SQS, DynamoDB, SNS, ...) standing in for AWS."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _run_eventguard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventguard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def eventguard_cli() -> Any:
    """Runs the eventguard command line in a subprocess, as a user does."""
    return _run_eventguard


def render_policy(value: Any) -> dict[str, Any]:
    """EVENTGUARD_POLICY of a template, tokens shown as ``Ref:X`` / ``GetAtt:X.Attr``."""
    if isinstance(value, str):
        return dict(json.loads(value))
    sep, parts = value["Fn::Join"]
    text = sep.join(
        part
        if isinstance(part, str)
        else f"Ref:{part['Ref']}"
        if "Ref" in part
        else f"GetAtt:{part['Fn::GetAtt'][0]}.{part['Fn::GetAtt'][1]}"
        for part in parts
    )
    return dict(json.loads(text))


@pytest.fixture(scope="session")
def policy_of() -> Any:
    """The rendered policy document of a function resource of a template."""
    return lambda resource: render_policy(
        resource["Properties"]["Environment"]["Variables"]["EVENTGUARD_POLICY"]
    )

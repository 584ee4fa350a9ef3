"""``eventguard invoke CDK_OUT FUNCTION EVENT.json``: run a synthesized function as Lambda would.

Everything comes from the cloud assembly, not from the source tree: the handler string, the
environment variables and the layers of the function's template, the code asset as the task root,
and the layer assets where Lambda would unpack them (``<layer>/python`` on ``sys.path``, as
``/opt/python`` is; nothing is written to ``/opt``). The function runs in a fresh interpreter in a
subprocess, with Lambda's variables (``AWS_LAMBDA_FUNCTION_NAME``, ``AWS_REGION``,
``LAMBDA_TASK_ROOT``...) and a context object, and prints the handler's JSON result.

This file is also that subprocess's bootstrap: run as a script, it removes its own directory from
``sys.path`` (Lambda's path has no such entry), imports the handler from the task root and layers,
calls it, and writes the result to the file named in its input. Only the standard library is
imported here, so the command starts fast and imports no aws_cdk.

What cannot exist locally is said, never faked silently: a ``Ref``/``Fn::GetAtt`` of a resource
has no value before deployment, so such a variable gets a placeholder (the logical id, or
``<Logical.Attr>``) and is listed under ``unresolved``; override a variable with ``--env
NAME=VALUE``, or give the deployed value of the reference with ``--resolve Logical.Arn=VALUE``. In
``EVENTGUARD_POLICY``, a trigger id that cannot be resolved becomes ``""``: the runtime then
accepts events of that source type from any resource. The quarantine queue exists only with
``--quarantine-endpoint URL`` (e.g. a local moto server); otherwise quarantine is unavailable and
the runtime follows its rules for a failed quarantine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HELP = "run a synthesized function locally the way Lambda would (layers, code, env from cdk.out)"

ACCOUNT = "123456789012"  # the placeholder account of AWS's own sample events
DEFAULT_REGION = "us-east-1"
START_ALLOWANCE_SECONDS = 10.0  # interpreter start and imports, on top of the function timeout
PASS_THROUGH = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PATH")
POLICY_ENV = "EVENTGUARD_POLICY"
QUARANTINE_ENV = "EVENTGUARD_QUARANTINE_URL"
_MARK, _END = "\u27e6", "\u27e7"  # bracket an unresolvable part while a value is resolved
_MARKED = re.compile("\u27e6([^\u27e6\u27e7]*)\u27e7")


class InvokeError(Exception):
    """A problem with the arguments or the cloud assembly; the message says what to do."""


# -- the cloud assembly ------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One function resource of a stack template."""

    stack: str
    logical_id: str
    resource: Mapping[str, Any]
    template: Mapping[str, Any]

    @property
    def path(self) -> str:
        path = str(self.resource.get("Metadata", {}).get("aws:cdk:path", ""))
        return path.removesuffix("/Resource")


def stack_templates(cdk_out: Path) -> list[tuple[str, dict[str, Any]]]:
    """(stack name, template) of every stack in the cloud assembly."""
    manifest_path = cdk_out / "manifest.json"
    if not cdk_out.is_dir() or not manifest_path.is_file():
        raise InvokeError(f"{cdk_out} is not a cloud assembly (no manifest.json): run cdk synth")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    stacks = []
    for name, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template_file = cdk_out / artifact["properties"]["templateFile"]
        stacks.append((name, json.loads(template_file.read_text(encoding="utf-8"))))
    return stacks


def find_function(cdk_out: Path, wanted: str) -> Found:
    """The function named by construct path (``Shop/Orders``) or logical id."""
    candidates: list[Found] = []
    for stack, template in stack_templates(cdk_out):
        for logical_id, resource in template.get("Resources", {}).items():
            if resource.get("Type") == "AWS::Lambda::Function":
                candidates.append(Found(stack, logical_id, resource, template))
    wanted = wanted.removesuffix("/Resource")
    matches = [c for c in candidates if wanted in (c.path, c.logical_id)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(sorted(c.path or f"{c.stack}/{c.logical_id}" for c in candidates))
    if matches:
        raise InvokeError(f"{wanted!r} names several functions; use a construct path: {names}")
    raise InvokeError(f"no function {wanted!r} in {cdk_out}; functions: {names or 'none'}")


def _asset_dir(cdk_out: Path, resource: Mapping[str, Any], what: str) -> Path:
    asset = resource.get("Metadata", {}).get("aws:asset:path")
    if not asset:
        raise InvokeError(
            f"{what} has no code asset (aws:asset:path metadata); only asset code can run locally"
        )
    path = Path(asset) if os.path.isabs(asset) else cdk_out / asset
    if not path.is_dir():
        raise InvokeError(f"{what}: asset {path} is missing or not a directory: run cdk synth")
    return path


def _layer_paths(cdk_out: Path, found: Found, notes: list[str]) -> list[str]:
    """The directories Lambda would put on sys.path for the function's layers, in order."""
    paths: list[str] = []
    resources = found.template.get("Resources", {})
    for value in found.resource.get("Properties", {}).get("Layers", []):
        ref = value.get("Ref") if isinstance(value, Mapping) else None
        layer = resources.get(ref) if isinstance(ref, str) else None
        if layer is None or layer.get("Type") != "AWS::Lambda::LayerVersion":
            notes.append(f"layer {json.dumps(value)} is not an asset of this app: not available")
            continue
        root = _asset_dir(cdk_out, layer, f"layer {ref}")
        site = root / "python" / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
        paths.extend(str(p) for p in (site / "site-packages", root / "python") if p.is_dir())
    return paths


# -- resolving template values -----------------------------------------------------------------


@dataclass
class Resolver:
    """Resolves intrinsic functions as far as possible without a deployment."""

    stack: str
    region: str
    values: Mapping[str, str] = field(default_factory=dict)  # "Logical" / "Logical.Attr"
    unresolved: list[str] = field(default_factory=list)

    def pseudo(self, name: str) -> str | None:
        return {
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": self.stack,
            "AWS::NoValue": "",
        }.get(name)

    def resolve(self, value: Any) -> str:
        """A string with each unresolvable part bracketed by ``_MARK``."""
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float):
            return json.dumps(value)
        if isinstance(value, Mapping) and len(value) == 1:
            ((name, arg),) = value.items()
            if name == "Ref" and isinstance(arg, str):
                known = self.pseudo(arg) or self.values.get(arg)
                return known if known is not None else f"{_MARK}{arg}{_END}"
            if name == "Fn::GetAtt" and isinstance(arg, list) and len(arg) == 2:
                known = self.values.get(f"{arg[0]}.{arg[1]}")
                return known if known is not None else f"{_MARK}<{arg[0]}.{arg[1]}>{_END}"
            if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
                return str(arg[0]).join(self.resolve(part) for part in arg[1])
            if name == "Fn::Sub" and isinstance(arg, str):
                return re.sub(r"\$\{([^}]+)\}", lambda m: self.resolve({"Ref": m.group(1)}), arg)
        return f"{_MARK}<{json.dumps(value)[:60]}>{_END}"

    def plain(self, name: str, value: Any) -> str:
        """A variable's value, placeholders for what cannot be resolved (and noted)."""
        text = self.resolve(value)
        parts = _MARKED.findall(text)
        if parts:
            self.unresolved.append(f"{name}: {', '.join(parts)} (placeholder)")
        return _MARKED.sub(lambda m: m.group(1), text)

    def policy(self, value: Any) -> str:
        """The policy JSON; unresolvable trigger ids become "" (any resource of that source)."""
        text = self.resolve(value)
        if _MARK not in text:
            return text
        doc = json.loads(text)
        for trigger in doc.get("triggers", []):
            for key, item in list(trigger.items()):
                if isinstance(item, str) and _MARK in item:
                    self.unresolved.append(
                        f"{POLICY_ENV}: {trigger.get('source')} trigger {key} "
                        f'{", ".join(_MARKED.findall(item))} -> "" (any resource of the source)'
                    )
                    trigger[key] = ""
        rest = json.dumps(doc, separators=(",", ":"))
        return _MARKED.sub(lambda m: m.group(1), rest)


# -- the environment of the function -----------------------------------------------------------


def _quarantine(
    endpoint: str | None, queue_name: str, env: dict[str, str], report: dict[str, Any]
) -> None:
    """Point the quarantine at a queue on ``endpoint`` (created if needed), or say it is absent."""
    if not endpoint:
        env[QUARANTINE_ENV] = ""
        report["quarantine"] = {
            "available": False,
            "reason": "no --quarantine-endpoint: blocked events cannot be kept locally; the "
            "runtime follows its rules for a failed quarantine",
        }
        return
    from ..runtime import awsapi

    env["AWS_ENDPOINT_URL_SQS"] = endpoint
    try:
        answer = awsapi.call("sqs", "AmazonSQS.CreateQueue", {"QueueName": queue_name}, environ=env)
    except awsapi.AwsApiError as exc:
        raise InvokeError(
            f"--quarantine-endpoint {endpoint}: cannot create the queue: {exc}"
        ) from None
    env[QUARANTINE_ENV] = str(answer.get("QueueUrl", ""))
    report["quarantine"] = {
        "available": True,
        "endpoint": endpoint,
        "queue_url": env[QUARANTINE_ENV],
    }


def _overrides(pairs: list[str], option: str = "--env") -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InvokeError(f"{option} {pair!r} is not NAME=VALUE")
        out[name] = value
    return out


def function_environment(
    found: Found, args: argparse.Namespace, region: str, report: dict[str, Any]
) -> tuple[dict[str, str], str]:
    """The child's environment, as Lambda would set it; returns it and the function name."""
    props = found.resource.get("Properties", {})
    resolver = Resolver(found.stack, region, _overrides(args.resolve, "--resolve"))
    name = props.get("FunctionName")
    function_name = (
        resolver.plain("FunctionName", name) if name else f"{found.stack}-{found.logical_id}"
    )
    env = {k: os.environ[k] for k in PASS_THROUGH if k in os.environ}
    declared = props.get("Environment", {}).get("Variables", {})
    quarantine_ref = declared.get(QUARANTINE_ENV)
    for key, value in declared.items():
        if key == POLICY_ENV:
            env[key] = resolver.policy(value)
        elif key != QUARANTINE_ENV:
            env[key] = resolver.plain(key, value)
    memory = int(props.get("MemorySize", 128))
    env.update(
        {
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_LAMBDA_FUNCTION_NAME": function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{props.get('Runtime', 'python')}",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
        }
    )
    if args.endpoint:
        env["AWS_ENDPOINT_URL"] = args.endpoint
    if args.endpoint or args.quarantine_endpoint:
        env.setdefault("AWS_ACCESS_KEY_ID", "local")
        env.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    if quarantine_ref is not None:
        ref = quarantine_ref.get("Ref") if isinstance(quarantine_ref, Mapping) else None
        queue = ref if isinstance(ref, str) else f"{found.logical_id}Quarantine"
        _quarantine(args.quarantine_endpoint, queue, env, report)
    overrides = _overrides(args.env)
    env.update(overrides)
    report["unresolved"] = [u for u in resolver.unresolved if u.split(":", 1)[0] not in overrides]
    return env, function_name


# -- running it --------------------------------------------------------------------------------


def _run_child(
    spec: dict[str, Any], env: dict[str, str], task_root: Path, timeout: float
) -> tuple[dict[str, Any], str, float]:
    with tempfile.TemporaryDirectory(prefix="eventguard-invoke-") as tmp:
        spec["result_file"] = str(Path(tmp) / "result.json")
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-B", str(Path(__file__).resolve())],
                input=json.dumps(spec),
                capture_output=True,
                text=True,
                cwd=task_root,
                env=env,
                timeout=timeout + START_ALLOWANCE_SECONDS,
            )
        except subprocess.TimeoutExpired as exc:
            logs = (
                (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
            )
            error = {
                "errorType": "Sandbox.Timedout",
                "errorMessage": f"Task timed out after {timeout:g} seconds",
            }
            return {"error": error}, logs, time.perf_counter() - started
        elapsed = time.perf_counter() - started
        logs = done.stdout + done.stderr
        result_file = Path(spec["result_file"])
        if not result_file.is_file():
            error = {
                "errorType": "Runtime.ExitError",
                "errorMessage": f"the runtime exited ({done.returncode}) before answering",
            }
            return {"error": error}, logs, elapsed
        return json.loads(result_file.read_text(encoding="utf-8")), logs, elapsed


def invoke(args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    """Run the function on the event; the report and the exit status."""
    cdk_out = Path(args.cdk_out)
    found = find_function(cdk_out, args.function)
    try:
        text = sys.stdin.read() if args.event == "-" else Path(args.event).read_text("utf-8")
        event = json.loads(text)
    except (OSError, ValueError) as exc:
        raise InvokeError(f"cannot read the event {args.event}: {exc}") from None
    props = found.resource.get("Properties", {})
    region = args.region or os.environ.get("AWS_REGION") or DEFAULT_REGION
    notes: list[str] = []
    task_root = _asset_dir(cdk_out, found.resource, found.path or found.logical_id)
    opt_paths = _layer_paths(cdk_out, found, notes)
    runtime = str(props.get("Runtime", ""))
    here = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if runtime and runtime != here:
        notes.append(f"the template's runtime is {runtime}; running on this interpreter ({here})")
    report: dict[str, Any] = {
        "function": found.path,
        "logical_id": found.logical_id,
        "stack": found.stack,
        "handler": props.get("Handler", ""),
        "runtime": runtime,
        "interpreter": f"{here} ({platform.python_implementation()})",
        "task_root": str(task_root),
        "layers": opt_paths,
    }
    env, function_name = function_environment(found, args, region, report)
    env["LAMBDA_TASK_ROOT"] = str(task_root)
    timeout = float(props.get("Timeout", 3))
    spec = {
        "handler": report["handler"],
        "task_root": str(task_root),
        "opt_paths": opt_paths,
        "event": event,
        "function_name": function_name,
        "region": region,
        "memory": int(props.get("MemorySize", 128)),
        "timeout": timeout,
    }
    outcome, logs, elapsed = _run_child(spec, env, task_root, timeout)
    report.update(outcome)
    report["duration_ms"] = round(elapsed * 1000, 1)
    report["logs"] = logs.splitlines()
    report["notes"] = notes
    return report, 1 if "error" in report else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cdk_out", metavar="CDK_OUT", help="the cloud assembly (cdk synth -o DIR)")
    parser.add_argument("function", metavar="FUNCTION", help="construct path or logical id")
    parser.add_argument("event", metavar="EVENT", help="event JSON file, or - for standard input")
    parser.add_argument(
        "--quarantine-endpoint",
        metavar="URL",
        help="SQS endpoint for the quarantine (e.g. a local moto server); the queue, named after "
        "the quarantine queue's logical id, is created there. Default: quarantine unavailable",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="AWS endpoint for the handler's own SDK calls (AWS_ENDPOINT_URL), e.g. a local "
        "emulator. Default: the real AWS endpoints, with the credentials of your environment",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set or override an environment variable of the function (repeatable)",
    )
    parser.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="LOGICAL[.ATTR]=VALUE",
        help="the deployed value of a Ref (LogicalId=value) or Fn::GetAtt (LogicalId.Arn=value), "
        "e.g. a queue ARN, so the policy's trigger ids are real and the origin check applies "
        "(repeatable)",
    )
    parser.add_argument("--region", help=f"AWS_REGION (default $AWS_REGION or {DEFAULT_REGION})")


def _print_text(report: dict[str, Any]) -> None:
    for line in report["logs"]:
        print(line, file=sys.stderr)
    for note in [*report["notes"], *report["unresolved"]]:
        print(f"eventguard invoke: note: {note}", file=sys.stderr)
    quarantine = report.get("quarantine", {})
    if quarantine and not quarantine.get("available"):
        print(
            f"eventguard invoke: quarantine unavailable ({quarantine['reason']})", file=sys.stderr
        )
    if "error" in report:
        print(json.dumps(report["error"], indent=2))
    else:
        print(json.dumps(report.get("result"), indent=2))


def run(args: argparse.Namespace) -> int:
    try:
        report, status = invoke(args)
    except InvokeError as exc:
        print(f"eventguard invoke: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_text(report)
    return status


# -- the child process: a Lambda-like bootstrap ------------------------------------------------


class LambdaContext:
    """The parts of Lambda's context object handlers use."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        import uuid

        name = str(spec["function_name"])
        self.aws_request_id = str(uuid.uuid4())
        self.function_name = name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = int(spec["memory"])
        self.invoked_function_arn = f"arn:aws:lambda:{spec['region']}:{ACCOUNT}:function:{name}"
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = f"local/{self.aws_request_id}"
        self._deadline = time.monotonic() + float(spec["timeout"])

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _error(kind: str, exc: BaseException) -> dict[str, Any]:
    import traceback

    return {
        "error": {
            "errorType": kind or type(exc).__name__,
            "errorMessage": str(exc),
            "stackTrace": traceback.format_exception(exc)[1:],
        }
    }


def _child_main() -> None:
    """Import the handler from the task root and layers, call it, write its JSON result."""
    import importlib

    spec = json.load(sys.stdin)
    sys.path[:0] = [spec["task_root"], *spec["opt_paths"]]
    module_name, _, attr = str(spec["handler"]).rpartition(".")
    outcome: dict[str, Any]
    try:
        handler: Callable[[Any, Any], Any] = getattr(importlib.import_module(module_name), attr)
    except Exception as exc:
        outcome = _error("Runtime.ImportModuleError", exc)
    else:
        try:
            result = handler(spec["event"], LambdaContext(spec))
        except Exception as exc:
            outcome = _error("", exc)
        else:
            try:
                outcome = {"result": json.loads(json.dumps(result))}
            except (TypeError, ValueError) as exc:
                outcome = _error("Runtime.MarshalError", exc)
    module = sys.modules.get("eventguard")
    outcome["eventguard_loaded_from"] = str(getattr(module, "__file__", "") or "")
    Path(spec["result_file"]).write_text(json.dumps(outcome, default=str), encoding="utf-8")


if __name__ == "__main__":
    del sys.path[0]  # this file's directory: Lambda's sys.path has no such entry
    _child_main()

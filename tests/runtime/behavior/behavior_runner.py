"""Runs a handler behind the eventguard wrapper with a behavior policy, in its own process.

Audit hooks cannot be removed, so behavior tests never install one into the pytest process: they
start this script with a JSON spec on stdin and read one JSON document from stdout::

    {"policy": {... the runtime policy document ...}, "handler": "handlers.thumbnail",
     "task_root": "/path/with/handlers", "detectors": "off" | "on",
     "env": {"NAME": "value"}, "events": [{...}, ...],
     "setup": "python source run before the guard is installed",
     "after": "python source run at the end, with the names setup defined"}

    -> {"results": [{"ok": true, "value": ...} | {"ok": false, "error": "PermissionError",
                     "message": "..."}], "logs": [{... one security log line ...}],
        "after": <what the "after" code stored in the variable ``result``>}

Detectors are switched off by default so that the behavior layer alone is under test.
"""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Any


class Context:
    """The attributes of the Lambda context object the wrapper and flow read."""

    def __init__(self, request_id: str, client_context: Any = None) -> None:
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "test-function")
        self.client_context = client_context


def main() -> None:
    spec = json.load(sys.stdin)
    repo = spec.get("repo") or os.getcwd()
    sys.path.insert(0, repo)
    os.environ.update(spec.get("env", {}))
    if spec.get("task_root"):
        os.environ["LAMBDA_TASK_ROOT"] = spec["task_root"]
    from eventguard.runtime import policy as policy_module
    from eventguard.runtime import wrapper
    from eventguard.runtime.quarantine import Quarantine
    from eventguard.runtime.seclog import SecurityLog

    scope: dict[str, Any] = {"result": None}
    if spec.get("setup"):
        exec(spec["setup"], scope)
    doc = dict(spec["policy"])
    if spec.get("detectors", "off") == "off":
        from eventguard.runtime import detectors

        doc["rules"] = dict.fromkeys(detectors.REGISTRY, "off")
    pol = policy_module.from_dict(doc)
    stream = io.StringIO()
    handler = wrapper.load_handler(spec["handler"])
    wrapper.configure(
        policy=pol,
        user_handler=handler,
        quarantine=Quarantine(queue_url="", function=pol.function),
        log=SecurityLog(stream, function=pol.function),
    )
    results: list[dict[str, Any]] = []
    for index, event in enumerate(spec.get("events", [])):
        context = Context(f"req-{index}", spec.get("client_contexts", {}).get(str(index)))
        try:
            value = wrapper.handler(event, context)
            results.append({"ok": True, "value": value})
        except Exception as exc:
            results.append({"ok": False, "error": type(exc).__name__, "message": str(exc)})
    if spec.get("after"):
        try:
            exec(spec["after"], scope)
        except Exception as exc:
            scope["result"] = {"error": type(exc).__name__, "message": str(exc)}
    logs = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    sys.stdout.write(
        json.dumps({"results": results, "logs": logs, "after": scope["result"]}, default=str)
    )


if __name__ == "__main__":
    main()

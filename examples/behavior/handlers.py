"""Example handlers for behavioral protection: each does one legitimate thing with event data,
in the way a real function would, and each is one step away from a classic attack when the
event is hostile. Deployed behind SecureFunction with a ``behavior`` policy, the same code runs
unchanged on benign events and is stopped (``PermissionError``) on hostile ones:

- ``thumbnail``: runs an image tool with the file name from the event (option injection)
- ``thumbnail_shell``: the same through a shell command line (command injection)
- ``webhook``: fetches the callback URL from the event (SSRF, instance metadata)
- ``render``: reads a template named by the event (path traversal to the function's own code)
- ``export``: writes a report under a directory named by the event (writes outside /tmp)
- ``calculate``: evaluates a formula from the event (code injection)
- ``restore``: unpickles a saved session from the event (deserialization)
- ``publish``: sends a message with boto3 (signed with a flow context by the runtime)
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import subprocess
import urllib.request
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


PRESETS = {"small": "64x64", "large": "512x512"}


def thumbnail(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Runs a converter on the uploaded file, the program called directly with an argv list."""
    size = PRESETS.get(event.get("preset", ""), "64x64")
    done = subprocess.run(
        ["echo", "convert", "-resize", size, event["file"]],
        capture_output=True,
        text=True,
        check=False,
    )
    return {"output": done.stdout.strip()}


def thumbnail_shell(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The same through a shell: safe while the command line holds constants only, injectable
    as soon as event text is pasted into it."""
    size = PRESETS.get(event.get("preset", ""), "64x64")
    command = f"echo convert -resize {size} {event['file']}" if "file" in event else f"echo {size}"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    return {"output": done.stdout.strip()}


def webhook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Calls the subscriber's callback URL."""
    with urllib.request.urlopen(event["callback"], timeout=2) as response:
        return {"status": response.status, "body": response.read(200).decode()}


def render(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Renders a template shipped with the function."""
    path = os.path.join(HERE, "templates", event["template"])
    with open(path, encoding="utf-8") as handle:
        return {"html": handle.read().replace("{name}", str(event.get("name", "")))}


def export(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Writes a CSV report to the directory the event asks for."""
    path = os.path.join(event.get("directory", "/tmp"), "report.csv")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,total\n1,42\n")
    return {"written": path}


FORMULAS = {"standard": "price", "gold": "price * 0.8"}


def calculate(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Evaluates a pricing formula with Python's eval: the plan's own formula, or a custom one
    sent by the client (the anti-pattern this guards)."""
    formula = FORMULAS.get(event.get("plan", "")) or event["formula"]
    return {"result": eval(formula, {"__builtins__": {}}, {"price": 10})}


def restore(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Restores a session object the client saved earlier."""
    session = pickle.loads(base64.b64decode(event["session"]))
    return {"session": repr(session)[:100]}


def source(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Reads this module's own source (what an attacker with a file-read primitive wants)."""
    with open(os.path.join(HERE, "handlers.py"), encoding="utf-8") as handle:
        return {"chars": len(handle.read())}


def lazy_import(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Imports a helper module shipped with the function during the invocation."""
    import importlib

    module = importlib.import_module(event.get("module", "helper"))
    return {"answer": module.answer()}


def publish(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Forwards an order to the next function's queue with the AWS SDK (boto3 ships with the
    Lambda Python runtime); the flow context is added to the message without any code here."""
    import boto3

    sqs = boto3.client("sqs")
    sent = sqs.send_message(QueueUrl=event["queue"], MessageBody=json.dumps(event["order"]))
    return {"message_id": sent["MessageId"]}

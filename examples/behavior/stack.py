"""A second example app: the behavior handlers deployed as SecureFunctions with a behavior policy.

Each function does one legitimate thing with event data; its ``BehaviorPolicy`` says what that
thing needs (a program, a host, a template directory), and the runtime's audit hook stops the
rest: shell lines, hosts, paths, eval sources and pickles carrying event text. The tests run the
synthesized functions with ``eventguard invoke``.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import App, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from eventguard.constructs import BehaviorPolicy, SecureFunction

HERE = Path(__file__).resolve().parent

# handler -> the behavior it legitimately needs
FUNCTIONS: dict[str, BehaviorPolicy] = {
    "thumbnail": BehaviorPolicy(executables=["echo"]),
    "thumbnail_shell": BehaviorPolicy(executables=["/bin/sh", "echo"]),
    "webhook": BehaviorPolicy(egress_hosts=["127.0.0.1"]),
    "render": BehaviorPolicy(readable_code_paths=["templates"]),
    "source": BehaviorPolicy(),
    "export": BehaviorPolicy(),
    "calculate": BehaviorPolicy(),
    "restore": BehaviorPolicy(),
}


class BehaviorStack(Stack):
    """One SecureFunction per behavior handler, all from the same code asset."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        code = lambda_.Code.from_asset(
            str(HERE), exclude=["__pycache__", "*.pyc", "stack.py", "README.md", "policy.json"]
        )
        for name, behavior in FUNCTIONS.items():
            SecureFunction(
                self,
                "".join(part.title() for part in name.split("_")),
                code=code,
                handler=f"handlers.{name}",
                behavior=behavior,
            )


def build(app: App) -> BehaviorStack:
    return BehaviorStack(app, "Behavior", description="eventguard example: behavior policies")


if __name__ == "__main__":
    application = App()
    build(application)
    application.synth()

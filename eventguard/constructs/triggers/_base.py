"""What every trigger shares: attach the stock CDK wiring, then declare the entry point.

A trigger is an ``aws_lambda.IEventSource``: ``fn.add_trigger(t)``, ``fn.add_event_source(t)``
and ``SecureFunction(triggers=[t])`` all end in ``bind``. ``bind`` delegates to the stock event
source or integration, then records ``{"source": <source type id>, "id": <ARN/id>}`` in the
function's policy, so the runtime accepts events from that resource and no other.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from aws_cdk import aws_lambda as lambda_


class Declaring(Protocol):
    """The part of SecureFunction a trigger needs (kept narrow to avoid an import cycle)."""

    def declare_trigger(self, source: str, origin: str, **extra: Any) -> None: ...


class Trigger:
    """Base of the trigger classes; subclasses set ``SOURCE`` and implement ``_attach``."""

    SOURCE: ClassVar[str] = ""

    def bind(self, target: lambda_.IFunction) -> None:
        """Wire the source to ``target`` and record it in the target's policy."""
        declare = getattr(target, "declare_trigger", None)
        if declare is None:
            raise TypeError(
                f"{target.node.path}: eventguard.constructs.triggers.{type(self).__name__} "
                "declares an entry point of a SecureFunction; use it with a SecureFunction, or "
                "the stock aws_lambda_event_sources class with a plain Function"
            )
        origin, extra = self._attach(target)
        declare(self.SOURCE, origin, **extra)

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        """Create the wiring; return the origin id the runtime will see and extra policy keys."""
        raise NotImplementedError


def stream_options(**props: Any) -> dict[str, Any]:
    """Options of a stream event source (Kinesis, DynamoDB): the caller's props plus what every
    guarded stream needs, so one blocked or poisoned record never holds its shard: partial batch
    responses, and a failing batch bisected."""
    return {**props, "bisect_batch_on_error": True, "report_batch_item_failures": True}

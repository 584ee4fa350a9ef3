"""The Lambda handler SecureFunction installs: ``eventguard.runtime.wrapper.handler``.

Once per container it loads the policy (``EVENTGUARD_POLICY``), the user's handler
(``EVENTGUARD_HANDLER``) and the quarantine (``EVENTGUARD_QUARANTINE_URL``). Per invocation:

    inspect -> allow: the user's handler sees the event unchanged
            -> block: batch sources: blocked records quarantined and removed from the batch the
                      handler sees (kept as batch item failures if quarantine fails);
                      other sources: quarantine, then the source's safe response
    one JSON security log line per finding; an internal error follows the failure mode

Alert mode changes nothing the handler receives or returns. The user's own exceptions pass through
unchanged, except that an HTTP caller gets a generic 500 with a request id instead of a traceback.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import urllib.parse
from _thread import allocate_lock
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from . import awsapi, sources
from . import policy as policy_module
from ._value import Value
from .engine import decide, inspect, source_of
from .errors import EventguardError, QuarantineError
from .model import INTERNAL_ERROR, Finding, Verdict
from .policy import Policy
from .quarantine import Quarantine
from .seclog import SecurityLog

HANDLER_ENV = "EVENTGUARD_HANDLER"
AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn")
Handler = Callable[[Any, Any], Any]


class Blocked(EventguardError):
    """Raised to Lambda when a blocked async event could not be quarantined, so the platform
    retries it or sends it to the function's DLQ / failure destination instead of dropping it."""


class Container(Value):
    """What is loaded once per execution environment."""

    __slots__ = __match_args__ = ("policy", "user_handler", "quarantine", "log")

    def __init__(
        self, policy: Policy, user_handler: Handler, quarantine: Quarantine, log: SecurityLog
    ) -> None:
        self.policy = policy
        self.user_handler = user_handler
        self.quarantine = quarantine
        self.log = log


_container: Container | None = None
_lock = allocate_lock()  # threading.Lock itself, without importing threading (2 ms)


def load_handler(spec: str) -> Handler:
    """Import ``package.module.function`` the way Lambda resolves a handler string."""
    module_name, _, attr = spec.rpartition(".")
    if not module_name or not attr:
        raise EventguardError(f"{HANDLER_ENV}={spec!r} is not of the form module.function")
    task_root = os.environ.get("LAMBDA_TASK_ROOT")
    if task_root and task_root not in sys.path:
        sys.path.insert(0, task_root)
    module = importlib.import_module(module_name)
    target = getattr(module, attr, None)
    if not callable(target):
        raise EventguardError(f"{spec!r}: {module_name} has no callable {attr!r}")
    return target


def configure(
    *,
    policy: Policy,
    user_handler: Handler,
    quarantine: Quarantine,
    log: SecurityLog | None = None,
) -> Container:
    """Set the container state explicitly (tests, local invocation); returns it."""
    global _container
    log = log or SecurityLog(function=policy.function)
    _container = Container(policy, user_handler, quarantine, log)
    _install_behavior(_container)
    return _container


def _install_behavior(container: Container) -> None:
    if container.policy.behavior:
        from . import behavior

        behavior.install(container.policy, container.log)


def _load() -> Container:
    global _container
    if _container is None:
        with _lock:
            if _container is None:
                pol = policy_module.from_env(os.environ)
                spec = os.environ.get(HANDLER_ENV, "")
                if pol.flow:  # before the user's module creates its SDK clients
                    from . import flow

                    flow.prepare(pol)
                configure(
                    policy=pol,
                    user_handler=load_handler(spec),
                    quarantine=Quarantine.from_env(function=pol.function),
                )
    assert _container is not None
    return _container


def reset() -> None:
    """Forget the loaded state (tests)."""
    global _container
    _container = None


def handler(event: Any, context: Any) -> Any:
    """The Lambda entry point."""
    request_id = str(getattr(context, "aws_request_id", "") or "")
    try:
        state = _load()
    except Exception as exc:  # no policy, no handler: fail closed, say why, never a traceback
        SecurityLog().emit("internal_error", request_id=request_id, error=_describe(exc))
        return _unloaded(event, request_id)
    state.log.context["request_id"] = request_id
    try:
        verdict = inspect(event, policy=state.policy)
        verdict = _with_flow(verdict, event, context, state)
    except Exception as exc:
        state.log.emit(
            "internal_error", error=_describe(exc), failure_mode=state.policy.failure_mode
        )
        if state.policy.failure_mode == "open" or state.policy.mode == "alert":
            return _call(state, event, context, sources.identify(event))
        finding = Finding("$", INTERNAL_ERROR, "", detail=exc.__class__.__name__)
        verdict = Verdict(source=sources.identify(event).ID, findings=[finding], blocked=True)
    _log_findings(state, verdict)
    source = source_of(verdict)
    if not verdict.blocked:
        return _call(state, event, context, source)
    if sources.attribute(source, "KIND", "") == "batch":
        return _block_records(state, event, context, source, verdict, request_id)
    return _block_event(state, event, source, verdict, request_id)


def _unloaded(event: Any, request_id: str) -> Any:
    """The answer when the container cannot load: closed, and nothing acknowledged. Batch records
    are all reported failed (the platform retries them or sends them to the DLQ), an async event
    is raised back for a retry, a caller gets its source's own refusal (a 403 for HTTP)."""
    source = sources.identify(event)
    kind = sources.attribute(source, "KIND", "")
    if kind == "batch":
        every = list(range(len(source.records(event))))
        return source.merge(None, event, [], every)
    if kind == "async":
        raise Blocked("eventguard could not load; the event is left to the platform's retry")
    return source.blocked_response(event, None, request_id)


def _with_flow(verdict: Verdict, event: Any, context: Any, state: Container) -> Verdict:
    if not state.policy.flow:
        return verdict
    from . import flow

    extra = flow.verify(event, context, state.policy)
    if not extra:
        return verdict
    source = source_of(verdict)
    batch = sources.attribute(source, "KIND", "") == "batch"
    return decide(verdict.source, [*verdict.findings, *extra], state.policy, batch=batch)


def _describe(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {str(exc)[:200]}"


def _log_findings(state: Container, verdict: Verdict) -> None:
    action = "block" if verdict.blocked else "alert"
    if verdict.dropped:
        state.log.emit(
            "findings_truncated",
            source=verdict.source,
            kept=len(verdict.findings),
            dropped=verdict.dropped,
        )
    for finding in verdict.findings:
        fields: dict[str, Any] = finding.to_dict()
        state.log.emit(
            "finding", source=verdict.source, action=action, mode=state.policy.mode, **fields
        )


def _call(state: Container, event: Any, context: Any, source: ModuleType) -> Any:
    """Run the user's handler; an HTTP caller never sees a traceback."""
    try:
        if state.policy.behavior:
            from . import behavior

            with behavior.invocation(event, str(state.log.context.get("request_id", ""))):
                return state.user_handler(event, context)
        return state.user_handler(event, context)
    except Exception as exc:
        if sources.attribute(source, "KIND", "") != "http":
            raise
        request_id = str(state.log.context.get("request_id", ""))
        state.log.emit("handler_error", error=_describe(exc), source=source.ID)
        return source.error_response(event, 500, request_id)


def _block_event(
    state: Container, event: Any, source: ModuleType, verdict: Verdict, request_id: str
) -> Any:
    try:
        state.quarantine.keep(
            event, verdict.to_dict(), source=verdict.source, request_id=request_id
        )
        state.log.emit("quarantined", source=verdict.source)
    except QuarantineError as exc:
        state.log.emit("quarantine_failed", source=verdict.source, error=_describe(exc))
        if sources.attribute(source, "KIND", "") == "async":
            raise Blocked(
                "blocked event could not be quarantined; left to the platform's retry"
            ) from None
    response = source.blocked_response(event, verdict, request_id)
    if sources.attribute(source, "RESPONSE_URL_KEY", None):
        _deliver(state, event, source, response)
    elif sources.attribute(source, "ANSWERS_THROUGH_WRITE_GET_OBJECT_RESPONSE", False):
        _write_get_object_response(state, source, response)
    return response


def _write_get_object_response(state: Container, source: ModuleType, response: Any) -> None:
    """S3 Object Lambda waits for ``WriteGetObjectResponse``, not for the return value: send the
    403 there, or the caller waits until the function times out."""
    if not isinstance(response, Mapping) or "requestToken" not in response:
        return  # HEAD and LIST requests are answered by the return value
    try:
        awsapi.write_get_object_response(
            str(response.get("requestRoute", "")),
            str(response["requestToken"]),
            int(response.get("statusCode", 403)),
            str(response.get("errorCode", "AccessDenied")),
            "Request blocked by eventguard",
        )
        state.log.emit("response_delivered", source=source.ID)
    except awsapi.AwsApiError as exc:
        state.log.emit("response_not_delivered", source=source.ID, reason=_describe(exc))


def _deliver(state: Container, event: Any, source: ModuleType, response: Any) -> None:
    """PUT the response to the presigned URL the service waits on (CloudFormation custom
    resources), so a blocked request fails fast instead of hanging the stack for an hour. Only
    an https URL of an AWS endpoint is used: a forged event must not make the wrapper call
    anywhere else."""
    url = event.get(source.RESPONSE_URL_KEY) if isinstance(event, Mapping) else None
    parsed = urllib.parse.urlsplit(url) if isinstance(url, str) else None
    host = (parsed.hostname or "") if parsed else ""
    if parsed is None or parsed.scheme != "https" or not host.endswith(AWS_DOMAINS):
        state.log.emit("response_not_delivered", source=source.ID, reason="not an AWS https URL")
        return
    from urllib.request import Request, urlopen  # first use: a cold start skips http.client, ssl

    body = json.dumps(response).encode("utf-8")
    request = Request(  # noqa: S310 (scheme and host checked above)
        str(url), data=body, method="PUT", headers={"Content-Type": ""}
    )
    try:
        with urlopen(request, timeout=5):  # noqa: S310
            pass
    except (OSError, ValueError) as exc:
        state.log.emit("response_not_delivered", source=source.ID, reason=_describe(exc))


def _fifo_followers(source: ModuleType, records: list[Any], blocked: set[int]) -> set[int]:
    """Records after a blocked one in the same FIFO message group must wait too (ordering)."""
    group_of = sources.attribute(source, "message_group", None)
    if group_of is None:
        return set()
    held: set[str] = set()
    followers: set[int] = set()
    for index, record in enumerate(records):
        group = group_of(record) if isinstance(record, Mapping) else None
        if group is None:
            continue
        if group in held and index not in blocked:
            followers.add(index)
        if index in blocked:
            held.add(group)
    return followers


def _block_records(
    state: Container,
    event: Any,
    context: Any,
    source: ModuleType,
    verdict: Verdict,
    request_id: str,
) -> Any:
    records = source.records(event)
    blocked = set(verdict.blocked_records) or set(range(len(records)))
    removed: list[int] = []
    failed: list[int] = []
    for index in sorted(blocked):
        try:
            state.quarantine.keep(
                records[index],
                verdict.for_record(index).to_dict(),
                source=verdict.source,
                request_id=request_id,
                record=index,
            )
            removed.append(index)
        except QuarantineError as exc:
            state.log.emit("quarantine_failed", record=index, error=_describe(exc))
            failed.append(index)
    failed.extend(sorted(_fifo_followers(source, records, blocked)))
    state.log.emit("records_held", quarantined=removed, failed=failed, source=verdict.source)
    held = set(removed) | set(failed)
    result = None
    if len(held) < len(records):
        result = _call(state, source.without(event, held), context, source)
    return source.merge(result, event, removed, failed)

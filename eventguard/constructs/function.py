"""``SecureFunction``: an ``aws_lambda.Function`` whose every entry point is guarded by default.

It replaces the handler with ``eventguard.runtime.wrapper.handler`` (the user's handler string
goes to ``EVENTGUARD_HANDLER``), adds the stack's runtime layer, writes the effective policy to
``EVENTGUARD_POLICY``, and builds what a guarded function needs around it: its own least-privilege
role, a JSON-logging log group with retention, active tracing and an encrypted quarantine queue
for blocked events. It stays an ``IFunction``: grants, metrics and integrations work unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, Lazy, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .. import __version__
from . import _iam, _policy, settings
from .behavior import BehaviorPolicy
from .flow import enable_flow
from .layer import runtime_layer
from .triggers import Trigger

WRAPPER_HANDLER = "eventguard.runtime.wrapper.handler"
HANDLER_ENV = "EVENTGUARD_HANDLER"
POLICY_ENV = "EVENTGUARD_POLICY"
QUARANTINE_ENV = "EVENTGUARD_QUARANTINE_URL"
METADATA_KEY = "eventguard:secure-function"
PUBLIC_METADATA_KEY = "eventguard:public"
SUPPORTED_RUNTIMES = ("python3.11", "python3.12", "python3.13")
DEFAULT_MEMORY_MB = 256
DEFAULT_TIMEOUT = Duration.seconds(10)
QUARANTINE_RETENTION = Duration.days(14)
POLICY_SECTIONS = ("behavior", "flow")  # set by set_policy_section (BehaviorPolicy, flow)

# FunctionProps that SecureFunction owns: passing them would silently weaken the guarantees.
_OWNED_PROPS: Mapping[str, str] = {
    "role": "SecureFunction creates its own least-privilege role; add grants to fn.role",
    "log_group": "SecureFunction creates its own log group; set log_retention instead",
    "logging_format": "SecureFunction always logs JSON",
    "log_format": "SecureFunction always logs JSON",
    "tracing": "SecureFunction always enables active tracing",
    "vpc": "functions in a VPC are not supported yet (their ENI permissions need '*')",
    "events": "pass eventguard triggers with triggers=[...]",
}


def _left_out(value: _policy.Deferred, why: str) -> str:
    return f"{value.label} is left out of the policy ({why}): {value.consequence}"


def _path_of(scope: Construct, id: str) -> str:
    parent = scope.node.path
    return f"{parent}/{id}" if parent else id


def _check_props(
    path: str,
    runtime: lambda_.Runtime,
    handler: str,
    environment: Mapping[str, str],
    function_props: Mapping[str, Any],
) -> None:
    """Raise with the construct path, the bad value and the fix."""
    if runtime.name not in SUPPORTED_RUNTIMES:
        raise ValueError(
            f"{path}: runtime {runtime.name} is not supported; use Runtime.PYTHON_3_11, "
            "PYTHON_3_12 or PYTHON_3_13"
        )
    module, _, function = handler.rpartition(".")
    if not module or not function.isidentifier():
        raise ValueError(
            f"{path}: handler {handler!r} is not of the form 'module.function'; "
            "e.g. handler='orders.handler' for def handler(event, context) in orders.py"
        )
    if module.split(".")[0] in ("app", "eventguard"):
        raise ValueError(
            f"{path}: handler {handler!r} names the module {module.split('.')[0]!r}, which "
            "resolves to the CDK app or to eventguard itself; rename the handler module"
        )
    reserved = sorted(k for k in environment if k.startswith(("EVENTGUARD_", "AWS_")))
    if reserved:
        raise ValueError(
            f"{path}: environment sets {', '.join(reserved)}; EVENTGUARD_* and AWS_* are "
            "set by eventguard and Lambda, choose other names"
        )
    for key, fix in _OWNED_PROPS.items():
        if key in function_props:
            raise ValueError(f"{path}: {key}= is not accepted by SecureFunction; {fix}")


class SecureFunction(lambda_.Function):
    """A Python Lambda function guarded by the eventguard runtime on every trigger.

    Props mirror ``aws_lambda.FunctionProps`` (keyword-only); other ``FunctionProps`` pass
    through unchanged, except those SecureFunction owns (role, log group, tracing, ...).

    :param code: the function's code, e.g. ``Code.from_asset("examples/shop/orders")``.
    :param handler: the user's handler, ``module.function``; it runs behind the wrapper.
    :param runtime: Python 3.11 to 3.13; default ``Runtime.PYTHON_3_13``.
    :param mode: ``block`` or ``alert`` (alert changes no behavior); default the app-wide
        ``eventguard.mode`` context, else ``block``.
    :param failure_mode: ``closed`` (an internal error blocks) or ``open``; default the app-wide
        ``eventguard.failure_mode`` context, else ``closed``.
    :param rules: rule id -> ``block``/``alert``/``off``, over the app-wide ``eventguard.rules``;
        default none (every rule follows ``mode``).
    :param triggers: eventguard triggers (``triggers.Sqs(queue)``, ...); default none (add them
        later with ``add_trigger``). Events from undeclared resources are findings.
    :param public_reason: why this function's entry points may be public (an API method without
        authorizer); default the app-wide ``eventguard.public`` entry for this path, else none
        (private: a public entry point fails synth).
    :param memory_size: MB; default 256.
    :param timeout: default 10 seconds.
    :param environment: the user's variables (not ``EVENTGUARD_*``/``AWS_*``); default none.
    :param log_retention: retention of the function's log group; default one year.
    :param layers: extra layers after the eventguard runtime layer; default none.
    :param behavior: what the function may do at run time (``BehaviorPolicy``: egress, child
        processes, file writes, eval, ctypes, unpickling, taint of event data), enforced by the
        runtime's audit hook; default none (run-time behavior is not checked).
    :param invoked_by: functions (or node paths) allowed to invoke this one directly; turns on
        flow integrity: callers' SDK calls carry a signed flow context (per-stack key in Secrets
        Manager) that this function verifies. Default none (flow integrity off).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        handler: str,
        runtime: lambda_.Runtime | None = None,
        mode: str | None = None,
        failure_mode: str | None = None,
        rules: Mapping[str, str] | None = None,
        triggers: Sequence[Trigger] | None = None,
        public_reason: str | None = None,
        memory_size: int | None = None,
        timeout: Duration | None = None,
        environment: Mapping[str, str] | None = None,
        log_retention: logs.RetentionDays | None = None,
        layers: Sequence[lambda_.ILayerVersion] | None = None,
        behavior: BehaviorPolicy | None = None,
        invoked_by: Sequence[lambda_.IFunction | str] | None = None,
        **function_props: Any,
    ) -> None:
        path = _path_of(scope, id)
        runtime = runtime or lambda_.Runtime.PYTHON_3_13
        user_env = dict(environment or {})
        _check_props(path, runtime, handler, user_env, function_props)
        effective = settings.effective(
            path,
            scope.node.try_get_context(settings.CONTEXT_KEY),
            mode=mode,
            failure_mode=failure_mode,
            rules=rules,
            public_reason=public_reason,
        )
        role = _iam.function_role(scope, f"{id}Role", path)
        log_group = logs.LogGroup(
            scope,
            f"{id}Logs",
            retention=log_retention or logs.RetentionDays.ONE_YEAR,
            removal_policy=RemovalPolicy.RETAIN,
        )
        super().__init__(
            scope,
            id,
            code=code,
            handler=WRAPPER_HANDLER,
            runtime=runtime,
            role=role,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            tracing=lambda_.Tracing.ACTIVE,
            memory_size=memory_size or DEFAULT_MEMORY_MB,
            timeout=timeout or DEFAULT_TIMEOUT,
            environment={**user_env, HANDLER_ENV: handler},
            layers=[runtime_layer(scope), *(layers or ())],
            **function_props,
        )
        self._settings = effective
        self.__dict__.setdefault("_environment_copy", {}).update({**user_env, HANDLER_ENV: handler})
        self._declared: list[dict[str, Any]] = []
        self.user_handler = handler
        self.quarantine = self._build_quarantine()
        self._finish(role, log_group, path)
        if behavior is not None:
            if not isinstance(behavior, BehaviorPolicy):
                raise TypeError(
                    f"{path}: behavior={behavior!r} is not a BehaviorPolicy; use "
                    "eventguard.constructs.BehaviorPolicy(egress_hosts=[...], ...)"
                )
            self.set_policy_section("behavior", behavior.to_policy(function=self))
        if invoked_by is not None:
            self.set_policy_section("flow", enable_flow(self, invoked_by=invoked_by))
        for trigger in triggers or ():
            self.add_trigger(trigger)

    def _build_quarantine(self) -> sqs.Queue:
        """Blocked events with their verdicts: encrypted, TLS only, kept 14 days."""
        queue = sqs.Queue(
            self,
            "Quarantine",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=QUARANTINE_RETENTION,
        )
        from cdk_nag import NagPackSuppression, NagSuppressions

        NagSuppressions.add_resource_suppressions(
            queue,
            [
                NagPackSuppression(
                    id="AwsSolutions-SQS3",
                    reason="the quarantine queue is the final sink of blocked events, read by "
                    "operators; it is not a work queue that needs a DLQ",
                )
            ],
        )
        return queue

    def _finish(self, role: Any, log_group: logs.LogGroup, path: str) -> None:
        """Policy and quarantine env, scoped grants, metadata and the synth-time checks."""
        super().add_environment(
            POLICY_ENV, Lazy.string(_policy.PolicyJson(self, self.policy_document))
        )
        self.add_environment(QUARANTINE_ENV, self.quarantine.queue_url)
        _iam.grant_logs(role, log_group)
        _iam.grant_quarantine(role, self.quarantine)
        _iam.acknowledge_exceptions(role)
        cfn = self.node.default_child
        cfn.add_metadata(METADATA_KEY, __version__)  # type: ignore[union-attr]
        if self._settings.public_reason:
            cfn.add_metadata(PUBLIC_METADATA_KEY, self._settings.public_reason)  # type: ignore[union-attr]
        self.node.add_validation(_iam.WildcardGuard(role, path))
        self.node.add_validation(
            _policy.EnvSizeCheck(path, self._user_environment, self.policy_document)
        )
        self.node.add_validation(_policy.PolicyNotes(self, lambda: self._render()[1]))

    def add_environment(
        self, key: str, value: str, *, remove_in_edge: bool | None = None
    ) -> lambda_.Function:
        """As ``Function.add_environment``; the variable also counts in the 4 KB check."""
        super().add_environment(key, value, remove_in_edge=remove_in_edge)
        # The rendered environment is a jsii Lazy that Python cannot read back, so keep a copy
        # (this also runs for the variables the Function constructor adds).
        self.__dict__.setdefault("_environment_copy", {})[key] = value
        return self

    def _user_environment(self) -> dict[str, str]:
        """Every variable but the policy (tokens kept as token strings)."""
        copy = self.__dict__.get("_environment_copy", {})
        return {k: v for k, v in copy.items() if k != POLICY_ENV}

    # -- triggers and the policy ---------------------------------------------------------------

    def add_trigger(self, trigger: Trigger) -> SecureFunction:
        """Attach an eventguard trigger and declare it in the policy; returns self."""
        trigger.bind(self)
        return self

    def declare_trigger(self, source: str, origin: str, **extra: Any) -> None:
        """Record an entry point (source type id and the id/ARN the runtime sees); an ``extra``
        value may be a ``_policy.Deferred``, resolved when the policy is rendered."""
        entry: dict[str, Any] = {"source": source, "id": origin}
        entry.update({k: v for k, v in extra.items() if v})
        if entry not in self._declared:
            self._declared.append(entry)

    @property
    def declared_triggers(self) -> tuple[dict[str, Any], ...]:
        """The entry points declared so far (ids may be unresolved tokens)."""
        return tuple(dict(t) for t in self._declared)

    @property
    def mode(self) -> str:
        return self._settings.mode

    @property
    def failure_mode(self) -> str:
        return self._settings.failure_mode

    @property
    def public_reason(self) -> str | None:
        return self._settings.public_reason

    def set_policy_section(self, key: str, section: Mapping[str, Any]) -> None:
        """Add the ``behavior`` or ``flow`` section to the policy (rendered at synth)."""
        if key not in POLICY_SECTIONS:
            raise ValueError(
                f"{self.node.path}: policy section {key!r} is not one of "
                f"{', '.join(POLICY_SECTIONS)}; the other keys are set by SecureFunction itself"
            )
        self.__dict__.setdefault("_sections", {})[key] = dict(section)

    def policy_document(self) -> dict[str, Any]:
        """The policy the runtime reads (eventguard/runtime/policy.py), as a JSON-ready dict."""
        return self._render()[0]

    def _render(self) -> tuple[dict[str, Any], list[str]]:
        """The policy document, and notes on the deferred trigger values it left out: those
        that cannot be used, then (largest first) those without which the environment fits
        Lambda's 4 KB. Deterministic, so the synth-time checks see what is rendered."""
        notes: list[str] = []
        optional: list[tuple[int, str, _policy.Deferred, Any]] = []  # trigger, key, source, value
        triggers: list[dict[str, Any]] = []
        for declared in self._declared:
            entry: dict[str, Any] = {}
            for key, value in declared.items():
                if isinstance(value, _policy.Deferred):
                    resolved, why = value.resolve()
                    if resolved is None:
                        if why:
                            notes.append(_left_out(value, why))
                        continue
                    optional.append((len(triggers), key, value, resolved))
                    value = resolved
                entry[key] = value
            triggers.append(entry)
        doc = {
            "v": 1,
            "function": self.node.path,
            "mode": self._settings.mode,
            "failure_mode": self._settings.failure_mode,
            "triggers": triggers,
            "rules": dict(self._settings.rules),
            **self.__dict__.get("_sections", {}),
        }
        optional.sort(key=lambda item: len(json.dumps(item[3])), reverse=True)
        for index, key, deferred, _ in optional:
            if self._env_size(doc) <= _policy.ENV_LIMIT_BYTES:
                break
            del triggers[index][key]
            notes.append(
                _left_out(
                    deferred,
                    f"with it the function's environment would exceed Lambda's "
                    f"{_policy.ENV_LIMIT_BYTES} bytes",
                )
            )
        return doc, notes

    def _env_size(self, doc: Mapping[str, Any]) -> int:
        policy = json.dumps(dict(doc), separators=(",", ":"))
        return _policy.env_size({**self._user_environment(), POLICY_ENV: policy})

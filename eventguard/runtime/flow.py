"""Flow integrity across functions: a signed flow context on outgoing AWS calls, verified on entry.

The app's flow graph is known at synth: each SecureFunction declares its triggers and, for direct
invocations, ``invoked_by``. At run time a function's outgoing SDK calls carry a **flow context**
signed with a per-app key (a Secrets Manager secret the construct creates), and a function whose
policy asks for it checks the context of what arrives: a missing context on a source that
requires one, a wrong signature, a caller outside the declared graph, a context for another
destination, carrier or payload, or a stale timestamp is an ``unexpected_flow`` finding.

The context is one compact JSON object, ``{"v": 1, "fn": caller, "rid": request id, "ts": unix
seconds, "k": carrier, "to": destination, "h": payload digest, "sig": hex HMAC-SHA256}``, the HMAC
over ``eventguard-flow/v1`` and the other fields joined by newlines. Where it rides (``KEY`` is
``eventguard-flow``):

=================  ==============================================  ========  ==================
call               carrier                                         ``to``    ``h`` (sha256 of)
=================  ==============================================  ========  ==================
SQS SendMessage,   message attribute ``KEY`` (String)              queue     the message body
SendMessageBatch
SNS Publish,       message attribute ``KEY`` (String); also read   topic     the message
PublishBatch       from an SNS envelope delivered through SQS
Lambda Invoke      ``ClientContext`` (base64 JSON), ``custom[KEY]``  function  canonical JSON of
                                                                             the payload
EventBridge        a top-level ``KEY`` field of ``Detail`` (when   (none)    canonical JSON of
PutEvents          Detail is a JSON object)                                  Detail without KEY
Step Functions     a top-level ``KEY`` field of the execution      (none)    (none: states
StartExecution     input (when it is a JSON object)                          reshape the input)
=================  ==============================================  ========  ==================

Freshness is measured against the time the carrier recorded the message (SQS ``SentTimestamp``,
SNS ``Timestamp``, EventBridge ``time``), so a redelivery is not stale; for direct invocations and
Step Functions against the clock. Within ``max_age`` a context can be replayed with the same
payload to the same destination: the context proves who sent what, not that it is new.

The ``flow`` section of the policy (``eventguard.constructs.flow.enable_flow`` writes it)::

    {"name": "Shop/Orders",          # this function's name in the graph (what it signs with)
     "key": "arn:aws:secretsmanager:...:secret:...",   # the per-app flow key
     "invoked_by": ["Shop/Api"],     # callers whose contexts are accepted ([]: any signed caller)
     "require": ["direct"],          # source ids whose events must carry a valid context
     "max_age": 300,                 # seconds
     "sign": true}                   # add contexts to this function's outgoing calls

The key is read once per container with the stdlib client (``awsapi``), AWSCURRENT and
AWSPREVIOUS: contexts signed with either verify, so a rotation never rejects messages in flight;
after a verification failure the key is read again (at most once per ``KEY_REFRESH_SECONDS``).
Signing hooks into botocore's documented event system (``before-parameter-build.<service>.<op>``
handlers added to ``botocore.handlers.BUILTIN_HANDLERS`` and to boto3's default session); this
module never imports botocore unless it is importable and signing is on, and user code is
never patched. Clients created before ``prepare`` ran do not sign: the wrapper calls it before it
imports the user's handler.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import awsapi
from .model import UNEXPECTED_FLOW, Finding
from .policy import Policy
from .redact import excerpt

KEY = "eventguard-flow"
VERSION = 1
DOMAIN = "eventguard-flow/v1"
DEFAULT_MAX_AGE_SECONDS = 300
MAX_SKEW_SECONDS = 60  # a context this far in the future is still accepted (clock drift)
KEY_REFRESH_SECONDS = 60  # a failed verification re-reads the key at most this often
MAX_CONTEXT_CHARS = 2048  # a longer context is refused unread
MAX_CLIENT_CONTEXT_BYTES = 3583  # Lambda's limit on the decoded ClientContext
STAGES = ("AWSCURRENT", "AWSPREVIOUS")


class FlowError(Exception):
    """A context that cannot be made or read."""


# --- the context --------------------------------------------------------------------------


def _message(fields: Mapping[str, Any]) -> bytes:
    parts = [DOMAIN, *(str(fields.get(k, "")) for k in ("fn", "rid", "ts", "k", "to", "h"))]
    return "\n".join(parts).encode("utf-8")


def digest(text: str | bytes | None) -> str:
    """The payload digest a context binds to ("" binds nothing)."""
    if text is None:
        return ""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> str:
    """The JSON text both ends compute for a parsed payload."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def resource_name(ref: str) -> str:
    """The name of a queue, topic or function from its URL, ARN or name (the ``to`` field)."""
    ref = ref.strip()
    if ref.startswith(("https://", "http://")):
        return ref.rstrip("/").rsplit("/", 1)[-1]
    parts = ref.split(":")
    if ref.startswith("arn:"):
        if len(parts) >= 7 and parts[2] == "lambda":
            return parts[6]
        return parts[5] if len(parts) > 5 else ref
    if "function" in parts:  # 123456789012:function:name[:qualifier]
        return parts[parts.index("function") + 1] if parts[-1] != "function" else ref
    return parts[0]


def sign(
    key: bytes,
    *,
    caller: str,
    request_id: str,
    carrier: str,
    to: str,
    payload_digest: str,
    now: float | None = None,
) -> str:
    """A signed context as compact JSON."""
    fields: dict[str, Any] = {
        "v": VERSION,
        "fn": caller,
        "rid": request_id,
        "ts": int(time.time() if now is None else now),
        "k": carrier,
        "to": to,
        "h": payload_digest,
    }
    fields["sig"] = hmac.new(key, _message(fields), hashlib.sha256).hexdigest()
    return json.dumps(fields, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Expected:
    """What the receiving side knows about one arriving message."""

    carrier: str
    to: str = ""  # "" when the receiver cannot know the destination
    payload_digest: str = ""
    sent_at: float | None = None


def check(
    text: Any,
    expected: Expected,
    keys: tuple[bytes, ...],
    *,
    callers: frozenset[str],
    max_age: float,
    now: float | None = None,
) -> tuple[str, str]:
    """(problem or "", caller) for one context; never raises."""
    if not isinstance(text, str) or len(text) > MAX_CONTEXT_CHARS:
        return "flow context is not a string of a sane size", ""
    try:
        fields = json.loads(text)
    except ValueError:
        return "flow context is not JSON", ""
    if not isinstance(fields, dict) or fields.get("v") != VERSION:
        return "flow context has an unknown version", ""
    caller = str(fields.get("fn", ""))
    sig = fields.get("sig")
    if not isinstance(sig, str) or not keys:
        return "flow context is not signed", caller
    message = _message(fields)
    if not any(
        hmac.compare_digest(hmac.new(k, message, hashlib.sha256).hexdigest(), sig) for k in keys
    ):
        return "flow context signature does not verify", caller
    if callers and caller not in callers:
        return f"caller {caller!r} is not in the declared flow graph", caller
    if fields.get("k") != expected.carrier:
        return (
            f"flow context was made for {fields.get('k')!r}, arrived by {expected.carrier}",
            caller,
        )
    if fields.get("to") and expected.to and fields["to"] != expected.to:
        return f"flow context was made for {fields['to']!r}, arrived at {expected.to!r}", caller
    if fields.get("h") and fields["h"] != expected.payload_digest:
        return "payload does not match the signed flow context", caller
    ts = fields.get("ts")
    if not isinstance(ts, int):
        return "flow context has no timestamp", caller
    reference = expected.sent_at if expected.sent_at is not None else time.time()
    reference = reference if now is None or expected.sent_at is not None else now
    if reference - ts > max_age:
        return f"flow context is stale ({int(reference - ts)} s old)", caller
    if ts - reference > MAX_SKEW_SECONDS:
        return "flow context is from the future", caller
    return "", caller


# --- the key ------------------------------------------------------------------------------


class KeyRing:
    """The per-app flow key: AWSCURRENT signs, AWSCURRENT and AWSPREVIOUS verify."""

    def __init__(self, fetch: Callable[[str, str], bytes | None]) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[bytes, ...]] = {}
        self._read_at: dict[str, float] = {}

    def keys(self, secret: str) -> tuple[bytes, ...]:
        if secret not in self._keys:
            self.refresh(secret, force=True)
        return self._keys.get(secret, ())

    def refresh(self, secret: str, *, force: bool = False) -> bool:
        """Read the key again; False when it was read too recently."""
        with self._lock:
            last = self._read_at.get(secret, 0.0)
            if not force and time.monotonic() - last < KEY_REFRESH_SECONDS:
                return False
            self._read_at[secret] = time.monotonic()
            found = [self._fetch(secret, stage) for stage in STAGES]
            self._keys[secret] = tuple(k for k in found if k)
            return True


def fetch_secret(secret: str, stage: str) -> bytes | None:
    """One version of the flow key from Secrets Manager; None when that stage does not exist."""
    try:
        doc = awsapi.call(
            "secretsmanager",
            "secretsmanager.GetSecretValue",
            {"SecretId": secret, "VersionStage": stage},
            json_version="1.1",
        )
    except awsapi.AwsApiError as exc:
        if stage != "AWSCURRENT" and "ResourceNotFound" in str(exc):
            return None
        raise
    value = doc.get("SecretString")
    if isinstance(value, str) and value:
        return value.encode("utf-8")
    binary = doc.get("SecretBinary")
    return base64.b64decode(binary) if isinstance(binary, str) and binary else None


_keyring = KeyRing(fetch_secret)


# --- receiving ----------------------------------------------------------------------------


def _iso(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _sns_envelope(body: Any) -> Mapping[str, Any] | None:
    if not isinstance(body, str) or '"Notification"' not in body[:2048]:
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    ok = isinstance(doc, dict) and doc.get("Type") == "Notification" and "Message" in doc
    return doc if ok else None


def _attr(attributes: Any, field: str) -> Any:
    if not isinstance(attributes, Mapping):
        return None
    entry = attributes.get(KEY)
    return entry.get(field) if isinstance(entry, Mapping) else None


def _client_context(context: Any) -> Any:
    client = getattr(context, "client_context", None)
    custom = (
        client.get("custom") if isinstance(client, Mapping) else getattr(client, "custom", None)
    )
    return custom.get(KEY) if isinstance(custom, Mapping) else None


Carried = tuple[str, int | None, str, Any, Expected]  # path, record, source id, context, expected


def _sqs_record(record: Mapping[str, Any]) -> tuple[Any, Expected]:
    body = record.get("body")
    attrs = record.get("attributes")
    sent = attrs.get("SentTimestamp") if isinstance(attrs, Mapping) else None
    sent_at = int(sent) / 1000 if isinstance(sent, str) and sent.isdigit() else None
    text = _attr(record.get("messageAttributes"), "stringValue")
    envelope = _sns_envelope(body) if text is None else None
    if envelope is not None:  # SNS delivered to SQS without raw delivery
        text = _attr(envelope.get("MessageAttributes"), "Value")
        topic = resource_name(str(envelope.get("TopicArn", "")))
        message = digest(str(envelope.get("Message")))
        return text, Expected("sns", topic, message, _iso(envelope.get("Timestamp")))
    body_digest = digest(body if isinstance(body, str) else "")
    if text is not None and '"k":"sns"' in str(text):  # SNS raw delivery: the topic is not known
        return text, Expected("sns", "", body_digest, sent_at)
    queue = resource_name(str(record.get("eventSourceARN", "")))
    return text, Expected("sqs", queue, body_digest, sent_at)


def _sns_record(sns: Mapping[str, Any]) -> tuple[Any, Expected]:
    text = _attr(sns.get("MessageAttributes"), "Value")
    topic = resource_name(str(sns.get("TopicArn", "")))
    message = digest(str(sns.get("Message", "")))
    return text, Expected("sns", topic, message, _iso(sns.get("Timestamp")))


def carriers(event: Any, context: Any) -> Iterator[Carried]:
    """Every message of the event with its flow context (or None) and what the receiver knows."""
    records = event.get("Records") if isinstance(event, Mapping) else None
    first = records[0] if isinstance(records, list) and records else None
    if isinstance(first, Mapping) and first.get("eventSource") == "aws:sqs":
        for i, record in enumerate(records or ()):
            if isinstance(record, Mapping):
                yield (f"Records[{i}]", i, "sqs", *_sqs_record(record))
        return
    if isinstance(first, Mapping) and first.get("EventSource") == "aws:sns":
        for i, record in enumerate(records or ()):
            sns = record.get("Sns") if isinstance(record, Mapping) else None
            if isinstance(sns, Mapping):
                yield (f"Records[{i}]", i, "sns", *_sns_record(sns))
        return
    if isinstance(event, Mapping) and "detail-type" in event and "detail" in event:
        detail = event.get("detail")
        text = detail.get(KEY) if isinstance(detail, Mapping) else None
        if isinstance(detail, Mapping):
            detail = {k: v for k, v in detail.items() if k != KEY}
        expected = Expected("events", "", digest(canonical(detail)), _iso(event.get("time")))
        yield "detail", None, "eventbridge", text, expected
        return
    text = _client_context(context)
    if text is not None:
        name = resource_name(str(getattr(context, "function_name", "") or ""))
        yield "$", None, "direct", text, Expected("lambda", name, digest(canonical(event)))
        return
    text = event.get(KEY) if isinstance(event, Mapping) else None
    yield "$", None, "direct", text, Expected("sfn" if text is not None else "lambda")


def verify(event: Any, context: Any, policy: Policy) -> list[Finding]:
    """The ``unexpected_flow`` findings of one arriving event (the wrapper merges them)."""
    flow = policy.flow
    _state.request_id = str(getattr(context, "aws_request_id", "") or "")
    if not _shared.prepared:
        prepare(policy)
    require = set(flow.get("require", ()))
    callers = frozenset(str(c) for c in flow.get("invoked_by", ()))
    max_age = float(flow.get("max_age", DEFAULT_MAX_AGE_SECONDS))
    secret = str(flow.get("key", ""))
    findings: list[Finding] = []
    for path, record, source, text, expected in carriers(event, context):
        if text is None:
            if source in require:
                findings.append(Finding(path, UNEXPECTED_FLOW, "", record, "no flow context"))
            continue
        keys = _keyring.keys(secret) if secret else ()
        problem, caller = check(text, expected, keys, callers=callers, max_age=max_age)
        if problem and "signature" in problem and secret and _keyring.refresh(secret):
            problem, caller = check(
                text, expected, _keyring.keys(secret), callers=callers, max_age=max_age
            )
        if problem:
            findings.append(Finding(path, UNEXPECTED_FLOW, excerpt(caller), record, problem))
    return findings


# --- signing (botocore event handlers) ----------------------------------------------------


class _State(threading.local):
    request_id = ""


class _Shared:
    prepared = False
    caller = ""
    secret = ""


_state = _State()
_shared = _Shared()


def _context(carrier: str, to: str, payload_digest: str) -> str | None:
    """A context for one outgoing message; None when none can be made (the user's call then
    goes out unsigned, and the receiver reports it: signing never breaks the call)."""
    if not _shared.caller or not _shared.secret:
        return None
    try:
        keys = _keyring.keys(_shared.secret)
    except Exception:
        return None
    if not keys:
        return None
    return sign(
        keys[0],
        caller=_shared.caller,
        request_id=_state.request_id,
        carrier=carrier,
        to=to,
        payload_digest=payload_digest,
    )


def _with_attribute(entry: Mapping[str, Any], context: str | None) -> dict[str, Any]:
    out = dict(entry)
    if context is not None:
        attributes = dict(out.get("MessageAttributes") or {})
        attributes[KEY] = {"DataType": "String", "StringValue": context}
        out["MessageAttributes"] = attributes
    return out


def _json_object(text: Any) -> dict[str, Any] | None:
    if not isinstance(text, str | bytes):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _sqs_send(params: dict[str, Any], **_: Any) -> None:
    to = resource_name(str(params.get("QueueUrl", "")))
    ctx = _context("sqs", to, digest(str(params.get("MessageBody", ""))))
    params.update(_with_attribute(params, ctx))


def _sqs_send_batch(params: dict[str, Any], **_: Any) -> None:
    to = resource_name(str(params.get("QueueUrl", "")))
    params["Entries"] = [
        _with_attribute(e, _context("sqs", to, digest(str(e.get("MessageBody", "")))))
        for e in params.get("Entries") or ()
    ]


def _sns_publish(params: dict[str, Any], **_: Any) -> None:
    to = resource_name(str(params.get("TopicArn") or params.get("TargetArn") or ""))
    if len(params.get("MessageAttributes") or {}) >= 10:
        return  # SNS allows 10 attributes: the receiver reports the missing context
    params.update(
        _with_attribute(params, _context("sns", to, digest(str(params.get("Message", "")))))
    )


def _sns_publish_batch(params: dict[str, Any], **_: Any) -> None:
    to = resource_name(str(params.get("TopicArn", "")))
    params["PublishBatchRequestEntries"] = [
        _with_attribute(e, _context("sns", to, digest(str(e.get("Message", "")))))
        for e in params.get("PublishBatchRequestEntries") or ()
    ]


def _lambda_invoke(params: dict[str, Any], **_: Any) -> None:
    payload = params.get("Payload", b"")
    if isinstance(payload, str | bytes | bytearray):
        try:
            parsed = json.loads(payload or b"{}")
        except ValueError:
            return
    else:
        return  # a stream: reading it here would consume it
    ctx = _context(
        "lambda", resource_name(str(params.get("FunctionName", ""))), digest(canonical(parsed))
    )
    if ctx is None:
        return
    client: dict[str, Any] = {}
    if params.get("ClientContext"):
        try:
            client = json.loads(base64.b64decode(params["ClientContext"], validate=True))
        except ValueError:
            return
    custom = dict(client.get("custom") or {})
    custom[KEY] = ctx
    encoded = json.dumps({**client, "custom": custom}, separators=(",", ":")).encode()
    if len(encoded) <= MAX_CLIENT_CONTEXT_BYTES:
        params["ClientContext"] = base64.b64encode(encoded).decode("ascii")


def _events_put(params: dict[str, Any], **_: Any) -> None:
    entries = []
    for entry in params.get("Entries") or ():
        detail = _json_object(entry.get("Detail"))
        if detail is None:
            entries.append(entry)
            continue
        detail.pop(KEY, None)
        ctx = _context("events", "", digest(canonical(detail)))
        if ctx is not None:
            detail[KEY] = ctx
        entries.append({**entry, "Detail": json.dumps(detail, separators=(",", ":"))})
    params["Entries"] = entries


def _sfn_start(params: dict[str, Any], **_: Any) -> None:
    doc = _json_object(params.get("input", "{}"))
    if doc is None:
        return
    ctx = _context("sfn", "", "")
    if ctx is not None:
        doc[KEY] = ctx
        params["input"] = json.dumps(doc, separators=(",", ":"))


HANDLERS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("before-parameter-build.sqs.SendMessage", _sqs_send),
    ("before-parameter-build.sqs.SendMessageBatch", _sqs_send_batch),
    ("before-parameter-build.sns.Publish", _sns_publish),
    ("before-parameter-build.sns.PublishBatch", _sns_publish_batch),
    ("before-parameter-build.lambda.Invoke", _lambda_invoke),
    ("before-parameter-build.eventbridge.PutEvents", _events_put),
    ("before-parameter-build.sfn.StartExecution", _sfn_start),
    ("before-parameter-build.sfn.StartSyncExecution", _sfn_start),
)


def attach(events: Any) -> None:
    """Register the signing handlers on one botocore event emitter (a session's or client's
    ``meta.events``), for clients made before ``prepare`` ran."""
    for name, handler in HANDLERS:
        events.register(name, handler, unique_id=f"eventguard-flow:{name}")


def prepare(policy: Policy, *, register: bool = True) -> bool:
    """Once per container, before the user's code creates SDK clients: remember who signs with
    which key and hook signing into botocore (``register=False``: only remember, for ``attach``
    on chosen clients). True when signing is on."""
    flow = policy.flow
    _shared.prepared = True
    _shared.caller = str(flow.get("name", "") or policy.function)
    _shared.secret = str(flow.get("key", ""))
    if not flow or not flow.get("sign", True) or not _shared.secret:
        return False
    if not register:
        return True
    if "botocore" not in sys.modules and importlib.util.find_spec("botocore") is None:
        return False
    import botocore.handlers

    for name, handler in HANDLERS:
        if (name, handler) not in botocore.handlers.BUILTIN_HANDLERS:
            botocore.handlers.BUILTIN_HANDLERS.append((name, handler))
    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None
    if session is not None:
        attach(session.events)
    return True


__all__ = ["KEY", "attach", "check", "prepare", "sign", "verify"]

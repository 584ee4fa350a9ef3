"""Helpers of the HTTP-like sources: headers and cookies, body decoding by content type, and the
403 answer every HTTP source gives when an event is blocked (never echoing the request)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ._hooks import Chain, Triple, listed

_BODY_CHAINS: tuple[tuple[str, Chain], ...] = (
    ("application/x-www-form-urlencoded", ("form",)),
    ("multipart/form-data", ("multipart",)),
    ("json", ("json",)),  # application/json, application/*+json, text/json
    ("xml", ("xml",)),  # application/xml, text/xml, application/soap+xml, *+xml
)


def header(event: Any, name: str) -> str:
    """A request header, case-insensitively, from ``headers`` or ``multiValueHeaders``."""
    wanted = name.lower()
    headers = event.get("headers") if isinstance(event, Mapping) else None
    if isinstance(headers, Mapping):
        for key, value in headers.items():
            if str(key).lower() == wanted and isinstance(value, str):
                return value
    multi = event.get("multiValueHeaders") if isinstance(event, Mapping) else None
    if isinstance(multi, Mapping):
        for key, values in multi.items():
            if str(key).lower() == wanted and isinstance(values, list) and values:
                return str(values[0])
    return ""


def body_chain(event: Any) -> Chain:
    """The decoders of the request body: base64 when ``isBase64Encoded``, then by Content-Type
    (JSON, form, multipart, XML); plain text and unknown types are sniffed."""
    chain: Chain = ("base64",) if event.get("isBase64Encoded") is True else ()
    return chain + content_chain(header(event, "content-type"))


def content_chain(content_type: str) -> Chain:
    """The decoders a media type declares (JSON, form, multipart, XML), or none."""
    media = content_type.split(";", 1)[0].strip().lower()
    for marker, decoders in _BODY_CHAINS:
        if marker in media:
            return decoders
    return ()


# Names of the message attribute in which producers (Spring, MassTransit, ...) declare the media
# type of a queue or topic message's body, compared lowercased.
_CONTENT_TYPE_NAMES = frozenset(("contenttype", "content-type", "content_type"))


def attribute_chain(attributes: Any, value_key: str, type_key: str = "") -> Chain:
    """The decoders a message's content-type attribute declares for its body, as a Content-Type
    header would, or none: SQS ``messageAttributes`` (``value_key="stringValue"``), SNS
    ``MessageAttributes`` (``"Value"``, with ``type_key="Type"``: only a ``String`` attribute
    names a media type, a ``Binary`` one's value is base64)."""
    if not isinstance(attributes, Mapping) or not attributes:
        return ()
    for name, attribute in attributes.items():
        if str(name).lower() not in _CONTENT_TYPE_NAMES or not isinstance(attribute, Mapping):
            continue
        if type_key and attribute.get(type_key) != "String":
            continue
        value = attribute.get(value_key)
        if isinstance(value, str):
            return content_chain(value)
    return ()


Triples = Iterable[Triple]
_COOKIE: Chain = ("cookie",)


def paired(
    event: Mapping[str, Any], prefix: str, single: str, multi: str, chain: Chain = ()
) -> Triples:
    """Names and values of a single-value map and its multi-value twin (``headers`` and
    ``multiValueHeaders``, ``queryStringParameters`` and ``multiValueQueryStringParameters``).
    API Gateway fills both from the same request; a single value that the multi-value map
    already holds under the same name is not extracted twice. A Cookie header is split into its
    cookies; ``chain`` applies to every value (ALB query strings are still percent-encoded)."""
    return listed(_paired, event, prefix, single, multi, chain)


def _paired(
    out: list[Triple],
    event: Mapping[str, Any],
    prefix: str,
    single: str,
    multi: str,
    chain: Chain,
) -> None:
    """``paired`` appending to ``out``: one list, no generator frames (a request has dozens of
    headers, each read on every invocation)."""
    append = out.append
    many, values = event.get(multi), event.get(single)
    if type(many) is not dict and not isinstance(many, Mapping):
        many = {}
    base = f"{prefix}.{multi}" if prefix else multi
    for key, value in many.items():
        name = key if type(key) is str else str(key)
        at = f"{base}.{name}"
        append((f"{at}<key>", name, ()))
        append((at, value, _COOKIE if len(name) == 6 and name.lower() == "cookie" else chain))
    if type(values) is not dict and not isinstance(values, Mapping):
        return
    base = f"{prefix}.{single}" if prefix else single
    for key, value in values.items():
        name = key if type(key) is str else str(key)
        at = f"{base}.{name}"
        if name in many:
            twins = many[name]
            if isinstance(twins, list) and value in twins:
                continue
        else:
            append((f"{at}<key>", name, ()))
        append((at, value, _COOKIE if len(name) == 6 and name.lower() == "cookie" else chain))


def header_fields(event: Any, prefix: str) -> Triples:
    """Header names and values (``headers`` and ``multiValueHeaders``). The peer's own address
    is not among them (it is in requestContext)."""
    if not isinstance(event, Mapping):
        return ()
    return listed(_paired, event, prefix, "headers", "multiValueHeaders", ())


def query_fields(event: Any, prefix: str, chain: Chain = ()) -> Triples:
    """Query parameter names and values, single- and multi-value."""
    if not isinstance(event, Mapping):
        return ()
    return listed(
        _paired, event, prefix, "queryStringParameters", "multiValueQueryStringParameters", chain
    )


def request_fields(event: Any, prefix: str, query_chain: Chain = ()) -> Triples:
    """Headers, query parameters and the body (decoded per ``body_chain``): the ``values`` hook
    of HTTP sources."""
    if type(event) is not dict and not isinstance(event, Mapping):
        return ()
    return listed(_request_fields, event, prefix, query_chain)


def _request_fields(
    out: list[Triple], event: Mapping[str, Any], prefix: str, query_chain: Chain
) -> None:
    _paired(out, event, prefix, "headers", "multiValueHeaders", ())
    _paired(
        out, event, prefix, "queryStringParameters", "multiValueQueryStringParameters", query_chain
    )
    body = event.get("body")
    if isinstance(body, str) and body:
        out.append(((f"{prefix}.body" if prefix else "body"), body, body_chain(event)))


_REASONS = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error"}


def response(
    status: int, request_id: str, *, status_description: bool = False, multi: bool = False
) -> dict[str, Any]:
    """A JSON error answer naming only the status and the request id, never the request; ALB
    wants ``statusDescription`` and, with multi-value headers on, ``multiValueHeaders``."""
    reason = _REASONS.get(status, "Error")
    body = json.dumps({"message": reason, "requestId": request_id})
    out: dict[str, Any] = {"statusCode": status, "body": body, "isBase64Encoded": False}
    if multi:
        out["multiValueHeaders"] = {"Content-Type": ["application/json"]}
    else:
        out["headers"] = {"Content-Type": "application/json"}
    if status_description:
        out["statusDescription"] = f"{status} {reason}"
    return out


def forbidden(
    request_id: str, *, status_description: bool = False, multi: bool = False
) -> dict[str, Any]:
    """403 ``{"message": "Forbidden", "requestId": ...}``: the answer to a blocked request."""
    return response(403, request_id, status_description=status_description, multi=multi)

"""Helpers of the HTTP-like sources: headers and cookies, body decoding by content type, and the
403 answer every HTTP source gives when an event is blocked (never echoing the request)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

Chain = tuple[str, ...]

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
    content_type = header(event, "content-type").split(";", 1)[0].strip().lower()
    for marker, decoders in _BODY_CHAINS:
        if marker in content_type:
            return chain + decoders
    return chain


def paired(
    event: Mapping[str, Any], prefix: str, single: str, multi: str, chain: Chain = ()
) -> Iterator[tuple[str, Any, Chain]]:
    """Names and values of a single-value map and its multi-value twin (``headers`` and
    ``multiValueHeaders``, ``queryStringParameters`` and ``multiValueQueryStringParameters``).
    API Gateway fills both from the same request; a single value that the multi-value map
    already holds under the same name is not extracted twice. A Cookie header is split into its
    cookies; ``chain`` applies to every value (ALB query strings are still percent-encoded)."""
    many = event.get(multi)
    many = many if isinstance(many, Mapping) else {}
    for container, values in ((multi, many), (single, event.get(single))):
        if not isinstance(values, Mapping):
            continue
        base = f"{prefix}.{container}" if prefix else container
        for key, value in values.items():
            name = str(key)
            if container == single and name in many:
                twins = many[name]
                if isinstance(twins, list) and value in twins:
                    continue
                yield f"{base}.{name}", value, _chain(name, chain)
                continue
            yield f"{base}.{name}<key>", name, ()
            yield f"{base}.{name}", value, _chain(name, chain)


def _chain(name: str, chain: Chain) -> Chain:
    return ("cookie",) if name.lower() == "cookie" else chain


def header_fields(event: Any, prefix: str) -> Iterator[tuple[str, Any, Chain]]:
    """Header names and values (``headers`` and ``multiValueHeaders``). The peer's own address
    is not among them (it is in requestContext)."""
    if isinstance(event, Mapping):
        yield from paired(event, prefix, "headers", "multiValueHeaders")


def query_fields(event: Any, prefix: str, chain: Chain = ()) -> Iterator[tuple[str, Any, Chain]]:
    """Query parameter names and values, single- and multi-value."""
    if isinstance(event, Mapping):
        yield from paired(
            event, prefix, "queryStringParameters", "multiValueQueryStringParameters", chain
        )


def request_fields(
    event: Any, prefix: str, query_chain: Chain = ()
) -> Iterator[tuple[str, Any, Chain]]:
    """Headers and the body (decoded per ``body_chain``): the ``values`` hook of HTTP sources."""
    if not isinstance(event, Mapping):
        return
    yield from header_fields(event, prefix)
    yield from query_fields(event, prefix, query_chain)
    body = event.get("body")
    if isinstance(body, str) and body:
        yield (f"{prefix}.body" if prefix else "body"), body, body_chain(event)


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

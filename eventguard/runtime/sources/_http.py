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


def header_fields(event: Any, prefix: str) -> Iterator[tuple[str, Any, Chain]]:
    """Header names and values of ``headers`` and ``multiValueHeaders``; a Cookie header is split
    into its cookies. The peer's own address is not among them (it is in requestContext)."""
    for container in ("headers", "multiValueHeaders"):
        headers = event.get(container)
        if not isinstance(headers, Mapping):
            continue
        base = f"{prefix}.{container}" if prefix else container
        for key, value in headers.items():
            name = str(key)
            yield f"{base}.{name}<key>", name, ()
            chain: Chain = ("cookie",) if name.lower() == "cookie" else ()
            yield f"{base}.{name}", value, chain


def request_fields(event: Any, prefix: str) -> Iterator[tuple[str, Any, Chain]]:
    """Headers and the body (decoded per ``body_chain``): the ``values`` hook of HTTP sources."""
    if not isinstance(event, Mapping):
        return
    yield from header_fields(event, prefix)
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

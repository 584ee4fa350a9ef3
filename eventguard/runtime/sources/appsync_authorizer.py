"""AWS AppSync Lambda authorizers: the client's authorization token, operation name, variables,
request headers and query text. The query is read by the ``graphql`` decoder as the literal
values the client wrote (``createTask(title: "...")``): an argument written inline reaches the
authorizer there, not in ``variables``, and a resolver that is not a guarded function (a data
source resolver) never sees it again; the GraphQL syntax itself is not inspected as text.

``origins`` returns ``requestContext.apiId``. A blocked request answers ``isAuthorized: false``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import text

ID = "appsync-authorizer"
KIND = "sync"
ANCHORS = ("authorizationToken",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "authorizationToken",
    "requestContext.operationName",
    "requestContext.variables.**",
    "requestContext.queryString",
    "requestHeaders.*",
)
ENCODED: Mapping[str, tuple[str, ...]] = {"requestContext.queryString": ("graphql",)}


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and isinstance(event.get("authorizationToken"), str)
        and bool(text(event, "requestContext", "apiId"))
        and isinstance(text(event, "requestContext", "queryString"), str)
        and "queryString" in (event.get("requestContext") or {})
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    api = text(event, "requestContext", "apiId")
    return {api} if api else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    return {"isAuthorized": False}

"""AWS AppSync direct Lambda resolvers (single and batched): the GraphQL arguments and
variables are the client's, as are the request headers and the selection set
(``info.selectionSetGraphQL``): a resolver that resolves nested fields itself reads their
arguments there (``comments(filter: "...")``), read by the ``graphql`` decoder as its literal
values (``selectionSetList`` holds field names only).

A resolver whose request mapping template passes the context's fields flat (the Amplify
``@function`` directive's payload: ``typeName``, ``fieldName``, ``arguments``, ``identity``,
``source``, ``request``, ``prev``; custom templates use ``parentTypeName``) is recognized too, as is
the Lambda data source's request envelope (``{"version": "2017-02-28", "operation": "Invoke" |
"BatchInvoke", "payload": ...}``): its payload is whatever the template put there, so all of it
is inspected.

``origins`` returns an empty set: a resolver event does not name the API (the host header is
the client's to set). A blocked resolution raises ``PermissionError``: AppSync turns a resolver
error into a GraphQL ``errors`` entry for the field and returns no data for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ID = "appsync"
KIND = "sync"
ANCHORS = ("info", "fieldName", "operation", "[]")  # matches() is False without one of these
UNTRUSTED = (
    "payload.**",
    "arguments.**",
    "info.variables.**",
    "info.selectionSetGraphQL",
    "request.headers.*",
    "[*].arguments.**",
    "[*].info.variables.**",
    "[*].info.selectionSetGraphQL",
    "[*].request.headers.*",
)
ENCODED: Mapping[str, tuple[str, ...]] = {
    "info.selectionSetGraphQL": ("graphql",),
    "[*].info.selectionSetGraphQL": ("graphql",),
}


def _resolver(event: Any) -> bool:
    if not isinstance(event, Mapping):
        return False
    info = event.get("info")
    if isinstance(info, Mapping):
        return (
            isinstance(info.get("fieldName"), str)
            and isinstance(info.get("parentTypeName"), str)
            and "arguments" in event
        )
    # The context passed flat by a mapping template (Amplify @function): the field and its
    # type at the top, with the arguments and the caller's identity.
    return (
        isinstance(event.get("fieldName"), str)
        and isinstance(event.get("typeName", event.get("parentTypeName")), str)
        and isinstance(event.get("arguments"), Mapping)
        and "identity" in event
    )


_OPERATIONS = ("Invoke", "BatchInvoke")
_TEMPLATE_VERSIONS = ("2017-02-28", "2018-05-29")


def _envelope(event: Mapping[str, Any]) -> bool:
    """The request mapping template's Lambda envelope: operation, template version, payload."""
    return (
        event.get("operation") in _OPERATIONS
        and event.get("version") in _TEMPLATE_VERSIONS
        and "payload" in event
    )


def matches(event: Any) -> bool:
    if isinstance(event, Mapping) and "operation" in event and _envelope(event):
        return True
    if isinstance(event, list):
        return bool(event) and _resolver(event[0])
    return _resolver(event)


def origins(event: Any) -> set[str]:
    return set()


def blocked_response(event: Any, verdict: Any, request_id: str) -> None:
    raise PermissionError(f"Request blocked by eventguard (request {request_id})")

"""AWS IoT Core custom authorizer: a device's token, MQTT username/password (base64), client id,
HTTP headers and query string, TLS server name.

``origins`` returns an empty set (the event names no authorizer). A blocked request answers
``isAuthenticated: false`` with no policy, so IoT refuses the connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ID = "iot-authorizer"
KIND = "sync"
ANCHORS = ("protocolData",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "token",
    "protocolData.mqtt.username",
    "protocolData.mqtt.password",
    "protocolData.mqtt.clientId",
    "protocolData.http.headers.*",
    "protocolData.http.queryString",
    "protocolData.tls.serverName",
)
ENCODED: Mapping[str, tuple[str, ...]] = {
    "protocolData.mqtt.password": ("base64",),
    "protocolData.http.queryString": ("form",),
}


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and isinstance(event.get("protocolData"), Mapping)
        and isinstance(event.get("protocols"), list)
        and "signatureVerified" in event
    )


def origins(event: Any) -> set[str]:
    return set()


def blocked_response(event: Any, verdict: Any, request_id: str) -> dict[str, Any]:
    return {
        "isAuthenticated": False,
        "principalId": "eventguardBlocked",
        "disconnectAfterInSeconds": 300,
        "refreshAfterInSeconds": 300,
        "policyDocuments": [],
    }

"""A minimal AWS JSON-protocol client on the standard library: SigV4 signing and one POST.

The runtime ships as a layer that must not depend on boto3, so the few calls it makes (SQS
SendMessage for quarantine, Secrets Manager GetSecretValue for the flow key) are signed here.
Endpoints follow the SDK convention: ``AWS_ENDPOINT_URL_<SERVICE>``, then ``AWS_ENDPOINT_URL``,
then the regional endpoint.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from .errors import EventguardError

TIMEOUT_SECONDS = 3.0


class AwsApiError(EventguardError):
    """An AWS call failed: network, HTTP status or an error document."""


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def endpoint(service: str, region: str, environ: Mapping[str, str]) -> str:
    specific = environ.get(f"AWS_ENDPOINT_URL_{service.upper().replace('-', '_')}")
    return (
        specific or environ.get("AWS_ENDPOINT_URL") or f"https://{service}.{region}.amazonaws.com"
    )


def call(
    service: str,
    target: str,
    body: Mapping[str, Any],
    *,
    environ: Mapping[str, str] | None = None,
    json_version: str = "1.0",
) -> dict[str, Any]:
    """POST a JSON-protocol request (``X-Amz-Target: target``) signed with the function's role."""
    env = os.environ if environ is None else environ
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    url = endpoint(service, region, env)
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("https", "http"):
        raise AwsApiError(f"unsupported endpoint scheme for {service}: {url!r}")
    payload = json.dumps(body, separators=(",", ":")).encode("utf-8")
    now = _dt.datetime.now(_dt.UTC)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    headers = {
        "content-type": f"application/x-amz-json-{json_version}",
        "host": parsed.netloc,
        "x-amz-date": amz_date,
        "x-amz-target": target,
    }
    token = env.get("AWS_SESSION_TOKEN")
    if token:
        headers["x-amz-security-token"] = token
    signed = ";".join(sorted(headers))
    canonical = "\n".join(
        [
            "POST",
            parsed.path or "/",
            "",
            "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)),
            signed,
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = env.get("AWS_SECRET_ACCESS_KEY", "")
    k = _hmac(_hmac(_hmac(_hmac(f"AWS4{key}".encode(), day), region), service), "aws4_request")
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={env.get('AWS_ACCESS_KEY_ID', '')}/{scope}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    request = urllib.request.Request(url, data=payload, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            text = response.read(1024 * 1024).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        detail = exc.read(4096).decode("utf-8", "replace")
        raise AwsApiError(f"{target} failed with HTTP {exc.code}: {detail[:200]}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise AwsApiError(f"{target} failed: {exc}") from None
    try:
        return dict(json.loads(text)) if text.strip() else {}
    except ValueError:
        raise AwsApiError(f"{target} answered with a body that is not JSON") from None

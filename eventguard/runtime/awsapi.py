"""A minimal AWS JSON-protocol client on the standard library: SigV4 signing and one POST.

The runtime ships as a layer that must not depend on boto3, so the few calls it makes (SQS
SendMessage for quarantine, Secrets Manager GetSecretValue for the flow key) are signed here.
S3 Object Lambda's ``WriteGetObjectResponse`` (the answer to a blocked GetObject) is the one REST
call. Endpoints follow the SDK convention: ``AWS_ENDPOINT_URL_<SERVICE>``, then
``AWS_ENDPOINT_URL``, then the regional endpoint.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from .errors import EventguardError

TIMEOUT_SECONDS = 3.0


class AwsApiError(EventguardError):
    """An AWS call failed: network, HTTP status or an error document."""


def _hmac(key: bytes, msg: str) -> bytes:
    import hashlib
    import hmac

    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def endpoint(service: str, region: str, environ: Mapping[str, str]) -> str:
    specific = environ.get(f"AWS_ENDPOINT_URL_{service.upper().replace('-', '_')}")
    return (
        specific or environ.get("AWS_ENDPOINT_URL") or f"https://{service}.{region}.amazonaws.com"
    )


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    payload: bytes,
    *,
    service: str,
    region: str,
    environ: Mapping[str, str],
    unsigned_payload: bool = False,
) -> dict[str, str]:
    """``headers`` plus host, date, token and a SigV4 ``authorization`` for the function's role
    (``unsigned_payload``: the body is not part of the signature, as S3 allows)."""
    # Imported on the first signed call, not with the wrapper: most containers never sign one
    # (a call quarantines a blocked event or fetches the flow key).
    import datetime
    import hashlib
    import hmac

    parsed = urllib.parse.urlsplit(url)
    now = datetime.datetime.now(datetime.UTC)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    digest = "UNSIGNED-PAYLOAD" if unsigned_payload else hashlib.sha256(payload).hexdigest()
    out = {k.lower(): v for k, v in headers.items()}
    out.update({"host": parsed.netloc, "x-amz-date": amz_date})
    if unsigned_payload:
        out["x-amz-content-sha256"] = digest
    token = environ.get("AWS_SESSION_TOKEN")
    if token:
        out["x-amz-security-token"] = token
    signed = ";".join(sorted(out))
    canonical = "\n".join(
        [
            method,
            urllib.parse.quote(parsed.path or "/", safe="/~"),
            parsed.query,
            "".join(f"{k}:{' '.join(str(out[k]).split())}\n" for k in sorted(out)),
            signed,
            digest,
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = environ.get("AWS_SECRET_ACCESS_KEY", "")
    k = _hmac(_hmac(_hmac(_hmac(f"AWS4{key}".encode(), day), region), service), "aws4_request")
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    out["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={environ.get('AWS_ACCESS_KEY_ID', '')}/{scope}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return out


def _region(env: Mapping[str, str]) -> str:
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"


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
    region = _region(env)
    url = endpoint(service, region, env)
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("https", "http"):
        raise AwsApiError(f"unsupported endpoint scheme for {service}: {url!r}")
    payload = json.dumps(body, separators=(",", ":")).encode("utf-8")
    headers = {
        "content-type": f"application/x-amz-json-{json_version}",
        "x-amz-target": target,
    }
    headers = sign("POST", url, headers, payload, service=service, region=region, environ=env)
    text = _post(url, payload, headers, target)
    try:
        return dict(json.loads(text)) if text.strip() else {}
    except ValueError:
        raise AwsApiError(f"{target} answered with a body that is not JSON") from None


# A request route is a DNS label the service chose; anything else is a forged event.
_ROUTE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,62}")


def write_get_object_response(
    route: str,
    token: str,
    status: int,
    error_code: str,
    error_message: str,
    *,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Answer an S3 Object Lambda GetObject with an error (no body), so the caller gets it at once
    instead of waiting for the function's timeout. The host is ``{route}.s3-object-lambda...``,
    so the route must be a DNS label: a forged event cannot point the call anywhere else."""
    env = os.environ if environ is None else environ
    if not _ROUTE.fullmatch(route or ""):
        raise AwsApiError("WriteGetObjectResponse: the request route is not a DNS label")
    region = _region(env)
    custom = env.get("AWS_ENDPOINT_URL_S3_OBJECT_LAMBDA") or env.get("AWS_ENDPOINT_URL")
    base = custom or f"https://{route}.s3-object-lambda.{region}.amazonaws.com"
    url = base.rstrip("/") + "/WriteGetObjectResponse"
    headers = {
        "x-amz-request-route": route,
        "x-amz-request-token": token,
        "x-amz-fwd-status": str(status),
        "x-amz-fwd-error-code": error_code,
        "x-amz-fwd-error-message": error_message,
        "content-length": "0",
    }
    signed = sign(
        "POST",
        url,
        headers,
        b"",
        service="s3-object-lambda",
        region=region,
        environ=env,
        unsigned_payload=True,
    )
    _post(url, b"", signed, "WriteGetObjectResponse")


def _post(url: str, payload: bytes, headers: Mapping[str, str], what: str) -> str:
    """POST and return the answer's text (its first MiB). urllib.request is imported here, on
    the first call: it pulls in http.client, ssl and email, tens of milliseconds that a cold
    start would otherwise pay for calls most invocations never make."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=payload, headers=dict(headers), method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return str(response.read(1024 * 1024).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        detail = exc.read(4096).decode("utf-8", "replace")
        raise AwsApiError(f"{what} failed with HTTP {exc.code}: {detail[:200]}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise AwsApiError(f"{what} failed: {exc}") from None

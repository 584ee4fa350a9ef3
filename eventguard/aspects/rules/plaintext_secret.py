"""A secret in plain text in a function's environment: by variable name (``DB_PASSWORD``) or by
value (a known key format, or a long high-entropy string)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-PlaintextSecret"
LEVEL = "error"
INFO = "A Lambda environment variable holds what looks like a secret, in plain text."
EXPLANATION = (
    "Environment variables are readable by anyone who can read the function's configuration "
    "and end up in logs and crash reports. Store the secret in Secrets Manager or SSM "
    "Parameter Store (SecureString) and pass its ARN or name (or a {{resolve:...}} dynamic "
    "reference), then read it at run time."
)
SECRET_NAME = re.compile(
    r"(PASSW(OR)?D|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY|"
    r"CLIENT_?SECRET|SIGNING_?KEY|ENCRYPTION_?KEY|CONN(ECTION)?_?STR(ING)?)",
    re.IGNORECASE,
)
# names that hold a pointer to a secret, not the secret
REFERENCE_NAME = re.compile(
    r"(_ARN|_NAME|_ID|_PATH|_PARAM(ETER)?|_URL|_URI|_REF|_KEY_ID)$", re.IGNORECASE
)
REFERENCE_VALUE = re.compile(
    r"^(arn:|\{\{resolve:|/|\$\{|ssm:|secretsmanager:)|^[a-z0-9-]+/[\w/+=.@-]+$"
)
KNOWN_FORMATS = (
    ("AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("Stripe key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}")),
    ("JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")),
    ("password in a URL", re.compile(r"://[^/:@\s]+:[^/@\s]{3,}@")),
)
MIN_ENTROPY_LENGTH = 20
MIN_ENTROPY = 4.0  # bits per character: random base64/hex keys sit above, words below
IGNORED = ("EVENTGUARD_",)


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(c / len(text) * math.log2(c / len(text)) for c in counts.values())


def secret_kind(name: str, value: str) -> str:
    """Why a literal value looks like a secret, or ``""``."""
    for kind, pattern in KNOWN_FORMATS:
        if pattern.search(value):
            return kind
    if REFERENCE_VALUE.search(value) or value.lower() in ("", "true", "false", "none", "null"):
        return ""
    if SECRET_NAME.search(name) and not REFERENCE_NAME.search(name) and len(value) >= 6:
        return f"a literal value in a variable named {name}"
    if (
        len(value) >= MIN_ENTROPY_LENGTH
        and " " not in value
        and not value.startswith(("{", "["))
        and entropy(value) >= MIN_ENTROPY
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
    ):
        return f"a high-entropy value ({entropy(value):.1f} bits/char)"
    return ""


def check(resource: Resource, template: Template) -> Result:
    if resource.type not in ("AWS::Lambda::Function", "AWS::Serverless::Function"):
        return NOT_APPLICABLE
    variables = resource.prop("Environment", "Variables")
    if not isinstance(variables, Mapping):
        return fail()
    violations = []
    for name, value in variables.items():
        if not isinstance(value, str) or str(name).startswith(IGNORED):
            continue  # tokens (Ref, GetAtt, Join...) are references, resolved at deployment
        kind = secret_kind(str(name), value)
        if kind:
            violations.append(
                Violation(str(name), f"{resource.path}: environment variable {name} holds {kind}")
            )
    return fail(*violations)

"""The ``behavior`` section of the policy, compiled once per container into frozen lookups.

Schema (written by ``eventguard.constructs.behavior.BehaviorPolicy.to_policy``)::

    {"levels":  {"egress": "block", "process": "block", "files": "block", "code": "block",
                 "native": "block", "unpickle": "block", "tamper": "block", "taint": "block"},
     "egress":  {"hosts": ["api.example.com", "10.0.0.5"], "domains": ["example.org"],
                 "cidrs": ["10.0.0.0/16"], "aws_services": ["sqs", "dynamodb"]},
     "process": {"executables": ["/usr/bin/git", "convert"], "fork": false},
     "files":   {"writable": ["/tmp"], "readable": ["templates"]},
     "unpickle": {"classes": ["myapp.models.Order", "datetime.*"]}}

Every key is optional; a concern that is not mentioned is ``block`` (``alert`` when the policy's
mode is alert). ``files.readable`` is relative to the task root; ``files.writable`` absent
means ``/tmp`` and ``[]`` means nowhere. ``allow`` switches a concern off entirely: it is not
even dispatched. ``taint`` governs the sink checks that link behavior to the current event (see
``runtime/taint.py``), whatever the sink concern's own level is.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import PolicyError

LEVELS = ("block", "alert", "allow")
CONCERN_IDS = ("egress", "process", "files", "code", "native", "unpickle", "tamper", "taint")
_KEYS = {"levels", "egress", "process", "files", "unpickle"}

DEFAULT_WRITABLE = ("/tmp",)  # noqa: S108 - when the policy does not say; an empty list means nowhere
# Addresses no function reaches unless the policy names them: instance metadata and link-local.
DENIED_NETWORKS = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),
)
# Endpoint prefixes whose host differs from the IAM action prefix (IAM prefix -> endpoint names).
AWS_ENDPOINT_NAMES: Mapping[str, tuple[str, ...]] = {
    "cloudwatch": ("monitoring",),
    "dynamodb": ("dynamodb", "streams.dynamodb"),
    "ses": ("email", "ses"),
    "execute-api": ("execute-api",),
    "iot": ("iot", "data.iot", "data-ats.iot"),
}
# The runtime's own calls (quarantine queue, flow key) must never be blocked by the policy.
OWN_PACKAGE = "eventguard.runtime"  # modules loaded at install are protected by ``tamper``
RUNTIME_SERVICES = ("sqs", "secretsmanager")
# Classes every unpickling may load: plain values that run no code of an attacker's choosing.
SAFE_PICKLE_CLASSES = frozenset(
    {
        "builtins.set",
        "builtins.frozenset",
        "builtins.bytearray",
        "builtins.complex",
        "builtins.slice",
        "builtins.range",
        "collections.OrderedDict",
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
        "datetime.timezone",
        "decimal.Decimal",
    }
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Violation:
    """One call the policy does not allow: which concern, what (host, path, executable), why.

    ``taint`` marks a violation found because the current event's data reached the sink; its
    level is the policy's ``taint`` level rather than the concern's."""

    concern: str
    detail: str
    reason: str
    taint: bool = False


@dataclass(frozen=True, slots=True)
class Rules:
    """The compiled behavior policy; frozen, so a reference to it cannot be loosened."""

    levels: Mapping[str, str]
    hosts: frozenset[str]
    domains: tuple[str, ...]
    networks: tuple[Network, ...]
    declared_ips: frozenset[str]
    executables: frozenset[str]
    fork: bool
    writable: tuple[str, ...]
    readable: tuple[str, ...]
    task_root: str
    runtime_root: str
    pickle_classes: frozenset[str]
    own_modules: frozenset[str]
    taint: Any  # the container's taint.Taint tracker (its reference is fixed)
    # Run-time memory of the checks, kept here rather than in module globals, so that it is
    # reachable only through the hook: egress verdicts per host, links created at run time,
    # and per thread whether the last name resolved was allowed.
    verdicts: dict[str, Violation | None] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)
    resolved: threading.local = field(default_factory=threading.local)

    def level(self, concern: str) -> str:
        return self.levels.get(concern, "block")


def _strings(section: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = section.get(key, ())
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"behavior.{where}.{key} must be a list of strings, got {value!r}")
    return tuple(value)


def _section(doc: Mapping[str, Any], key: str, allowed: set[str]) -> Mapping[str, Any]:
    section = doc.get(key, {})
    if not isinstance(section, Mapping):
        raise PolicyError(f"behavior.{key} must be an object")
    unknown = set(section) - allowed
    if unknown:
        raise PolicyError(f"unknown behavior.{key} keys: {', '.join(sorted(unknown))}")
    return section


def _dir(path: str) -> str:
    return os.path.normpath(path) if path else ""


def aws_domains(services: tuple[str, ...], region: str) -> tuple[str, ...]:
    """Endpoint domains of AWS services (IAM action prefixes) in the function's region."""
    out: list[str] = []
    for service in services:
        for name in AWS_ENDPOINT_NAMES.get(service, (service,)):
            out += [f"{name}.{region}.amazonaws.com", f"{name}-fips.{region}.amazonaws.com"]
            out += [f"{name}.amazonaws.com", f"{name}.{region}.api.aws"]
    return tuple(out)


def _endpoint_hosts(environ: Mapping[str, str]) -> set[str]:
    """Hosts of ``AWS_ENDPOINT_URL*`` overrides and the Lambda runtime API: the platform's own."""
    from urllib.parse import urlsplit

    hosts: set[str] = set()
    for key, value in environ.items():
        if key == "AWS_ENDPOINT_URL" or key.startswith("AWS_ENDPOINT_URL_"):
            host = urlsplit(value).hostname
            if host:
                hosts.add(host.lower())
    api = environ.get("AWS_LAMBDA_RUNTIME_API", "")
    if api:
        hosts.add(api.rsplit(":", 1)[0].strip("[]").lower())
    return hosts


def compile_rules(
    doc: Mapping[str, Any], *, mode: str, taint: Any, environ: Mapping[str, str] | None = None
) -> Rules:
    """Check the ``behavior`` section and build the lookups the checks use."""
    env = os.environ if environ is None else environ
    unknown = set(doc) - _KEYS
    if unknown:
        raise PolicyError(f"unknown behavior keys: {', '.join(sorted(unknown))}")
    raw_levels = _section(doc, "levels", set(CONCERN_IDS))
    levels: dict[str, str] = {}
    for concern in CONCERN_IDS:
        level = raw_levels.get(concern, "block")
        if level not in LEVELS:
            raise PolicyError(f"behavior.levels.{concern} is {level!r}; expected {LEVELS}")
        levels[concern] = "alert" if level == "block" and mode == "alert" else str(level)
    egress = _section(doc, "egress", {"hosts", "domains", "cidrs", "aws_services"})
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    hosts = {h.lower().rstrip(".") for h in _strings(egress, "hosts", "egress")}
    hosts |= _endpoint_hosts(env)
    declared_ips: set[str] = set()
    networks: list[Network] = []
    for host in list(hosts):
        try:
            declared_ips.add(str(ipaddress.ip_address(host.strip("[]"))))
        except ValueError:
            continue
    for cidr in _strings(egress, "cidrs", "egress"):
        try:
            networks.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            raise PolicyError(f"behavior.egress.cidrs: {cidr!r} is not a CIDR") from None
    services = (*_strings(egress, "aws_services", "egress"), *RUNTIME_SERVICES)
    domains = tuple(d.lower().strip(".") for d in _strings(egress, "domains", "egress"))
    process = _section(doc, "process", {"executables", "fork"})
    files = _section(doc, "files", {"writable", "readable"})
    unpickle = _section(doc, "unpickle", {"classes"})
    task_root = env.get("LAMBDA_TASK_ROOT", "")
    writable = _strings(files, "writable", "files") if "writable" in files else DEFAULT_WRITABLE
    runtime_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return Rules(
        levels=levels,
        hosts=frozenset(hosts),
        domains=(*domains, *aws_domains(services, region)),
        networks=tuple(networks),
        declared_ips=frozenset(declared_ips),
        executables=frozenset(_strings(process, "executables", "process")),
        fork=bool(process.get("fork", False)),
        writable=tuple(_dir(os.path.realpath(p)) for p in writable),
        readable=tuple(
            _dir(os.path.join(task_root, p)) for p in _strings(files, "readable", "files")
        ),
        task_root=_dir(os.path.realpath(task_root)) if task_root else "",
        runtime_root=_dir(runtime_root),
        pickle_classes=frozenset(_strings(unpickle, "classes", "unpickle")) | SAFE_PICKLE_CLASSES,
        own_modules=frozenset(
            name for name in sys.modules if name == "eventguard" or name.startswith(OWN_PACKAGE)
        ),
        taint=taint,
    )


def plain(value: Any) -> str | None:
    """The text of a str or bytes argument without calling any of its methods (a subclass could
    run code of its own inside the hook, where nested events are not checked); else None."""
    if type(value) is str:
        return value
    if isinstance(value, str):
        return "".join((value,))
    if isinstance(value, bytes | bytearray):
        return b"".join((value,)).decode("utf-8", "surrogateescape")
    return None


def under(path: str, roots: tuple[str, ...]) -> bool:
    """Whether a normalized absolute path is one of ``roots`` or inside one."""
    for root in roots:  # noqa: SIM110 - a plain loop is faster on this hot path
        if path == root or path.startswith(root + "/") or root == "/":
            return True
    return False

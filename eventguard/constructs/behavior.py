"""``BehaviorPolicy``: what a guarded function may do at run time, declared on SecureFunction.

Validated when it is built (a wrong value fails at synth with the value and the fix), rendered by
``to_policy()`` into the ``behavior`` section of the runtime policy, which the in-function audit
hook enforces (``eventguard/runtime/behavior/``)::

    {"levels":  {"egress": "block", "process": "block", "files": "block", "code": "block",
                 "native": "block", "unpickle": "block", "tamper": "block", "taint": "block"},
     "egress":  {"hosts": ["api.stripe.com", "10.0.0.5"], "domains": ["example.org"],
                 "cidrs": ["10.0.0.0/16"], "aws_services": ["sqs", "dynamodb"]},
     "process": {"executables": ["/usr/bin/convert"], "fork": false},
     "files":   {"writable": ["/tmp"], "readable": ["templates"]},
     "unpickle": {"classes": ["myapp.models.Order", "datetime.*"]}}

- ``levels``: per concern ``block`` (the call raises ``PermissionError``), ``alert`` (logged,
  allowed) or ``allow`` (not checked). ``taint`` covers event data reaching a sink (a shell
  line, ``eval``, a host, a path escaping its directory), whatever the sink's own level.
- ``egress``: exact ``hosts`` (names or IP literals), ``domains`` (the domain and every
  subdomain), ``cidrs``; ``aws_services`` (IAM prefixes) allow those services' endpoints in the
  function's region. Instance metadata and link-local addresses are denied unless declared.
- ``process.executables``: absolute paths, or bare names resolved through ``PATH``.
- ``files.writable``: absolute directories (default ``/tmp``; empty: nowhere);
  ``files.readable``: directories of the task root the code may read at run time (templates).
- ``unpickle.classes``: ``module.Name`` or ``module.*``.

Example::

    BehaviorPolicy(egress_hosts=["api.stripe.com"], aws_services=["dynamodb"],
                   executables=["/opt/bin/convert"], levels={"tamper": "alert"})
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

CONCERNS = ("egress", "process", "files", "code", "native", "unpickle", "tamper", "taint")
LEVELS = ("block", "alert", "allow")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SERVICE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class BehaviorPolicyError(ValueError):
    """A BehaviorPolicy argument that the runtime could not enforce as written."""


def _fail(prop: str, value: object, fix: str) -> BehaviorPolicyError:
    return BehaviorPolicyError(f"BehaviorPolicy {prop}: {value!r} {fix}")


def _is_hostname(text: str) -> bool:
    labels = text.lower().rstrip(".").split(".")
    return len(text) <= 253 and all(_LABEL.match(label) for label in labels)


def _host(value: str) -> str:
    if "://" in value or value.startswith("//"):
        host = value.split("://", 1)[-1].lstrip("/").split("/", 1)[0]
        raise _fail("egress_hosts", value, f"is a URL; write the host only: {host!r}")
    if "/" in value:
        raise _fail("egress_hosts", value, "is a CIDR; put it in egress_cidrs")
    if value.startswith(("*.", ".")):
        domain = value.lstrip("*.")
        raise _fail("egress_hosts", value, f"is a wildcard; use egress_domains=[{domain!r}]")
    try:
        return str(ipaddress.ip_address(value.strip("[]")))
    except ValueError:
        pass
    if ":" in value:
        raise _fail("egress_hosts", value, "has a port; the allow-list takes the host only")
    if not _is_hostname(value):
        raise _fail("egress_hosts", value, "is not a host name or IP address")
    return value.lower().rstrip(".")


def _domain(value: str) -> str:
    if value.startswith(("*.", ".")):
        raise _fail(
            "egress_domains",
            value,
            f"needs no wildcard: {value.lstrip('*.')!r} already covers every subdomain",
        )
    if "/" in value or ":" in value:
        raise _fail("egress_domains", value, "is not a domain; write e.g. 'example.com'")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        raise _fail("egress_domains", value, "is an IP address; put it in egress_hosts")
    if "." not in value or not _is_hostname(value):
        raise _fail("egress_domains", value, "is not a domain name such as 'example.com'")
    return value.lower().rstrip(".")


def _cidr(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=True))
    except ValueError:
        pass
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise _fail("egress_cidrs", value, "is not a CIDR such as '10.0.0.0/16'") from None
    raise _fail("egress_cidrs", value, f"has host bits set; did you mean {str(network)!r}?")


def _executable(value: str) -> str:
    if not value or value != value.strip():
        raise _fail("executables", value, "must be a program path or name without spaces around")
    if "/" in value and not value.startswith("/"):
        raise _fail(
            "executables", value, "is a relative path; give an absolute path or a bare name"
        )
    if " " in value and not value.startswith("/"):
        raise _fail("executables", value, "looks like a command line; list the program only")
    return value


def _writable(value: str) -> str:
    if not value.startswith("/"):
        raise _fail("writable_paths", value, "must be an absolute directory such as '/tmp'")
    if value.rstrip("/") == "":
        raise _fail(
            "writable_paths", value, "allows writing anywhere; use levels={'files': 'allow'}"
        )
    return value.rstrip("/")


def _readable(value: str) -> str:
    if value.startswith("/") or ".." in value.split("/"):
        raise _fail(
            "readable_code_paths",
            value,
            "must be a directory relative to the function's code, e.g. 'templates'",
        )
    return value.strip("/")


def _pickle_class(value: str) -> str:
    module, _, name = value.rpartition(".")
    if (
        not module
        or not all(_IDENT.match(p) for p in module.split("."))
        or not (name == "*" or _IDENT.match(name))
    ):
        raise _fail("unpickle_classes", value, "must be 'module.Name' or 'module.*'")
    return value


def _service(value: str) -> str:
    if not _SERVICE.match(value):
        raise _fail("aws_services", value, "must be an IAM action prefix such as 'dynamodb'")
    return value


def _strings(prop: str, values: Any) -> tuple[str, ...]:
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise _fail(prop, values, "must be a list of strings")
    return tuple(values)


@dataclass(frozen=True, kw_only=True)
class BehaviorPolicy:
    """What the function may do at run time; every argument is optional.

    :param egress_hosts: hosts (names or IP literals) outbound connections may reach; default none
    :param egress_domains: domains whose every subdomain may be reached; default none
    :param egress_cidrs: networks that may be reached; default none
    :param aws_services: AWS services (IAM prefixes) whose regional endpoints may be reached, on
        top of those the runtime itself uses (SQS, Secrets Manager); default none
    :param executables: programs the function may start; default none
    :param allow_fork: allow ``os.fork`` without exec; default False
    :param writable_paths: directories the function may write; default ``/tmp`` only
    :param readable_code_paths: directories of the function's own code it may read at run time
        (templates, data files), relative to the code root; default none
    :param allow_ctypes: allow ``ctypes`` (native libraries); default False
    :param unpickle_classes: classes ``pickle`` may load (``module.Name`` or ``module.*``);
        default none beyond plain values (datetime, Decimal, set, ...)
    :param levels: per concern ``block``, ``alert`` or ``allow``; default ``block`` for all
    """

    egress_hosts: Sequence[str] = ()
    egress_domains: Sequence[str] = ()
    egress_cidrs: Sequence[str] = ()
    aws_services: Sequence[str] = ()
    executables: Sequence[str] = ()
    allow_fork: bool = False
    writable_paths: Sequence[str] = ("/tmp",)  # noqa: S108 - the Lambda scratch directory
    readable_code_paths: Sequence[str] = ()
    allow_ctypes: bool = False
    unpickle_classes: Sequence[str] = ()
    levels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        checks = {
            "egress_hosts": _host,
            "egress_domains": _domain,
            "egress_cidrs": _cidr,
            "aws_services": _service,
            "executables": _executable,
            "writable_paths": _writable,
            "readable_code_paths": _readable,
            "unpickle_classes": _pickle_class,
        }
        for prop, check in checks.items():
            values = tuple(check(v) for v in _strings(prop, getattr(self, prop)))
            object.__setattr__(self, prop, tuple(dict.fromkeys(values)))
        levels = dict(self.levels)
        for concern, level in levels.items():
            if concern not in CONCERNS:
                raise _fail(
                    "levels", concern, f"is not a concern; use one of {', '.join(CONCERNS)}"
                )
            if level not in LEVELS:
                raise _fail("levels", {concern: level}, f"must be one of {', '.join(LEVELS)}")
        if self.allow_ctypes:
            if levels.get("native", "allow") != "allow":
                raise _fail(
                    "levels",
                    {"native": levels["native"]},
                    "contradicts allow_ctypes=True; set one of them",
                )
            levels["native"] = "allow"
        for flag in ("allow_fork", "allow_ctypes"):
            if not isinstance(getattr(self, flag), bool):
                raise _fail(flag, getattr(self, flag), "must be True or False")
        object.__setattr__(self, "levels", MappingProxyType(levels))

    def to_policy(self, *, function: Any = None) -> dict[str, Any]:
        """The ``behavior`` section of the runtime policy document (JSON-ready).

        :param function: when given, the AWS services its role is granted are allowed too
            (``aws_services`` becomes a list token resolved when the template is rendered, so
            grants made after this call count)."""
        services: Any = list(self.aws_services)
        if function is not None:
            from aws_cdk import Lazy

            services = Lazy.list(_GrantedServices(function, services))
        return {
            "levels": {c: self.levels.get(c, "block") for c in CONCERNS},
            "egress": {
                "hosts": list(self.egress_hosts),
                "domains": list(self.egress_domains),
                "cidrs": list(self.egress_cidrs),
                "aws_services": services,
            },
            "process": {"executables": list(self.executables), "fork": self.allow_fork},
            "files": {
                "writable": list(self.writable_paths),
                "readable": list(self.readable_code_paths),
            },
            "unpickle": {"classes": list(self.unpickle_classes)},
        }


def granted_services(function: Any) -> list[str]:
    """The AWS services (IAM action prefixes, sorted) the statements of the function role's
    policies name, as the template has them now; ``*`` actions are left out."""
    from aws_cdk import Stack
    from aws_cdk import aws_iam as iam

    role = getattr(function, "role", None)
    if role is None:
        return []
    found: set[str] = set()
    for child in role.node.children:
        if not isinstance(child, iam.Policy):
            continue
        document = Stack.of(child).resolve(child.document.to_json()) or {}
        for statement in document.get("Statement", ()):
            actions = statement.get("Action", ())
            for action in [actions] if isinstance(actions, str) else actions:
                prefix = str(action).split(":", 1)[0].lower()
                if prefix and prefix != "*" and _SERVICE.match(prefix):
                    found.add(prefix)
    return sorted(found)


def _list_producer() -> Any:
    import jsii
    from aws_cdk import IStableListProducer

    @jsii.implements(IStableListProducer)
    class Producer:
        def __init__(self, function: Any, declared: list[str]) -> None:
            self._function = function
            self._declared = declared

        def produce(self) -> list[str]:
            return list(dict.fromkeys([*self._declared, *granted_services(self._function)]))

    return Producer


def _GrantedServices(function: Any, declared: list[str]) -> Any:
    """A jsii list producer (built lazily: this module imports no aws_cdk at import time)."""
    return _list_producer()(function, declared)

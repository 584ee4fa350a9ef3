"""Egress: outbound connections only to declared hosts, domains and CIDRs.

Names are checked where they are resolved (``socket.getaddrinfo``, ``socket.gethostbyname``), so
an SSRF to ``http://attacker.example/`` stops before any packet leaves; addresses are checked at
``socket.connect`` / ``sendto`` / ``sendmsg``. Instance metadata and link-local addresses
(169.254.0.0/16, fe80::/10, fd00:ec2::254) are denied unless a CIDR or host declares them, also
when an allowed name resolves to one (DNS rebinding) and in every spelling ``inet_aton`` accepts
(``0xa9fea9fe``, ``2852039166``, ``::ffff:169.254.169.254``). The AWS endpoints of the services
the function was granted (``aws_services``), ``AWS_ENDPOINT_URL*`` and the Lambda runtime API
are allowed automatically. Unix-domain sockets are local and not egress.

Taint: a host that is not allow-listed and was taken from the current event (the host inside an
event URL, or an event value inside the host) is a taint violation (SSRF), blocked at the
``taint`` level even when egress itself only alerts.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from .rules import DENIED_NETWORKS, Rules, Violation, plain

ID = "egress"
EVENTS = (
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.connect",
    "socket.sendto",
    "socket.sendmsg",
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Verdicts of the allow-list per host (``Rules.verdicts``), without taint, which depends on the
# invocation. ``Rules.resolved.ok`` says whether this thread's last resolved name was allowed: a
# connect to the address it resolved to is allowed (DNS answers are not visible to audit hooks).
MAX_CACHED_HOSTS = 1024


def parse_ip(host: str) -> IPAddress | None:
    """The address a host string denotes, in every spelling the resolver accepts, or None."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not host or not all(c in "0123456789abcdefxABCDEFX." for c in host):
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _ip_violation(address: IPAddress, shown: str, rules: Rules) -> Violation | None:
    """None when the address is declared; a violation for denied or undeclared addresses."""
    if str(address) in rules.declared_ips or any(address in n for n in rules.networks):
        return None
    if any(address in n for n in DENIED_NETWORKS):
        return Violation(ID, shown, "instance metadata / link-local address is not declared")
    return Violation(ID, shown, "address is not in the egress allow-list")


def host_allowed(host: str, rules: Rules) -> bool:
    host = host.lower().rstrip(".")
    if host in rules.hosts:
        return True
    return any(host == d or host.endswith("." + d) for d in rules.domains)


def _taint(host: str, rules: Rules) -> Violation | None:
    taint = rules.taint
    source = taint.containing(host) or taint.found_in(host)
    if source is None:
        return None
    return Violation(ID, host, "the host comes from the event (SSRF)", taint=True)


def _verdict(host: str, rules: Rules) -> Violation | None:
    address = parse_ip(host)
    if address is not None:
        return _ip_violation(address, host, rules)
    if host_allowed(host, rules):
        return None
    return Violation(ID, host, "host is not in the egress allow-list")


def _check_host(host: str, rules: Rules) -> Violation | None:
    verdicts = rules.verdicts
    if host in verdicts:
        found = verdicts[host]
    else:
        found = _verdict(host, rules)
        if len(verdicts) < MAX_CACHED_HOSTS:
            verdicts[host] = found
    if found is None:
        return None
    return _taint(host, rules) or found


def check(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
    if event in ("socket.getaddrinfo", "socket.gethostbyname"):
        host = plain(args[0]) if args else None
        if host is None:
            return None
        found = _check_host(host, policy)
        policy.resolved.ok = found is None
        return found
    address = args[1] if len(args) > 1 else None
    if type(address) is not tuple or not address:
        return None  # AF_UNIX path or a connected socket's sendmsg: not egress
    host = plain(address[0])
    if host is None:
        return None
    ip = parse_ip(host)
    if ip is None:
        return _check_host(host, policy)
    found = _ip_violation(ip, host, policy)
    if found is None or any(ip in n for n in DENIED_NETWORKS):
        return found
    if getattr(policy.resolved, "ok", False):
        return None
    return _taint(host, policy) or found

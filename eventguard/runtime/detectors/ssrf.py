"""Server-side request forgery (CWE-918): URLs that point a server at itself or its cloud.

What it catches
    Every URL in the decoded text whose host is loopback, link-local, private, unspecified or a
    cloud metadata service, in every notation a resolver accepts:

    - dotted, shortened (``127.1``), decimal (``2130706433``), octal (``0177.0.0.1``,
      ``0o177.0.0.1``), hexadecimal (``0x7f000001``, ``0x7f.0.0.1``), mixed forms;
    - IPv6 (``[::1]``, ``[::]``, ``[0:0:0:0:0:ffff:127.0.0.1]``, ``[::ffff:a9fe:a9fe]``,
      ``[fd00:ec2::254]``), zone ids;
    - names: ``localhost`` and ``*.localhost``, ``metadata.google.internal``, ``metadata``,
      ``instance-data``, ``kubernetes.default``, Kubernetes service names
      (``*.cluster.local``), Tencent, Equinix and Rancher metadata names, wildcard DNS that
      embeds an address (``127.0.0.1.nip.io``, ``7f000001.nip.io``), names that resolve to
      loopback (``*.lvh.me``, ``*.localtest.me``);
    - user-info and backslash confusion (``http://expected@127.0.0.1``,
      ``http://127.1.1.1:80\\@127.2.2.2:80/``), and a host after an ``@`` past the authority
      (``http://evil#@127.0.0.1/``); scheme-relative URLs (``//127.0.0.1/``);
    - schemes that talk raw protocols or read files: ``gopher:``, ``dict:``, ``file:``,
      ``ldap:``, ``tftp:``, ``jar:``, ``netdoc:``, ``sftp:``; a database or cache URL
      (``redis://``, ``postgres://``) only with an internal host, as a web URL.

Why
    A function that fetches a user-supplied URL runs inside the cloud's network: the metadata
    service hands out credentials (169.254.169.254, 100.100.100.200, fd00:ec2::254) and internal
    services trust the caller. A URL to a public host is ordinary text and is left alone.

Examples
    ``http://169.254.169.254/latest/meta-data/iam/security-credentials/``,
    ``http://[::ffff:169.254.169.254]``, ``http://2852039166/``, ``gopher://localhost:25/_``,
    ``http://metadata.google.internal/computeMetadata/v1/``.

References
    CWE-918; OWASP SSRF Prevention Cheat Sheet; PayloadsAllTheThings "Server Side Request
    Forgery"; Orange Tsai, "A New Era of SSRF" (Black Hat 2017).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from ..model import Match
from ._normalize import Views, any_in, hit, views
from ._vocab import FILE_URL_SOURCE_POSITION

ID = "ssrf"
CWE = "CWE-918"

_RAW_SCHEMES = re.compile(
    rf"\b(?:gopher|dict|file(?!:/{FILE_URL_SOURCE_POSITION})"
    r"|ldaps?|tftp|jar|netdoc|sftp|ssh2(?:\.\w+)?|expect|ogg|phar|rmi"
    r"|mailto|telnet|smb|imap|pop3|smtp)"
    r":/{0,3}"
)
# A database or cache URL (``postgres://app@db.example.com/app``, ``redis://cache:6379/0``) is
# no URL a fetcher speaks (curl has no such scheme; attacks reach these services through
# ``gopher:`` or ``dict:``): it is the address an application connects to, which matters when its
# host is internal, like that of a web URL.
_SERVICE_SCHEMES = r"redis|mysql|postgres|mongodb|memcached?|fastcgi"
_URL = re.compile(
    rf"\b(?:https?|ftps?|wss?|{_SERVICE_SCHEMES})\s?:\s?[/\\]{{1,3}}([^/?#\s\"'<>]{{1,256}})"
)
_BARE = re.compile(
    r"(?:^|[\s\"'=@(])(?:(?:localhost|metadata\.google\.internal|169\.254\.169\.254"
    r"|100\.100\.100\.200|instance-data|metadata\.azure\.com)(?::\d+)?(?:/|$)"
    r"|\[?(?:::1|::|0:0:0:0:0:0:0:1|fd00:ec2::254)\]?(?::\d+)?/)"
)
_NAMES = (
    "localhost",
    "localhost.localdomain",
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "instance-data",
    "instance-data.ec2.internal",
    "metadata.azure.com",
    "metadata.tencentyun.com",
    "metadata.packet.net",
    "rancher-metadata",
    "kubernetes.default",
    "kubernetes.default.svc",
    "localtest.me",
    "lvh.me",
    "ip6-localhost",
    "ip6-loopback",
)
_WILDCARD_DNS = re.compile(
    r"(\d{1,3}(?:[.-]\d{1,3}){3}|[0-9a-f]{8})\.(?:nip\.io|xip\.io|sslip\.io|traefik\.me|localtest\.me)$"
)
# Public names whose every subdomain resolves to 127.0.0.1 (development conveniences).
_LOOPBACK_DOMAINS = (".localtest.me", ".lvh.me", ".vcap.me", ".lacolhost.com")
_METADATA_IPS = {"169.254.169.254", "100.100.100.200", "192.0.0.192", "169.254.170.2"}


_NOT_IPV4 = re.compile(r"[^0-9a-fA-FxXoO.]")


def _part(text: str) -> int | None:
    """One part of an IPv4 address in decimal, octal (leading 0 or 0o) or hex (0x). ``int``
    would also take a sign, an underscore or a non-ASCII digit (``-1``, ``1_0``, ``١``), which
    no address parser does: such a part is no number."""
    if not (text.isascii() and text.isalnum()):
        return None
    try:
        if text.startswith(("0x", "0X")):
            return int(text[2:] or "0", 16) if len(text) <= 18 else None
        if text.startswith(("0o", "0O")):
            return int(text[2:], 8)
        if text.startswith(("o", "O")):
            return int(text[1:], 8)
        if len(text) > 1 and text.startswith("0"):
            return int(text, 8)
        return int(text, 10)
    except ValueError:
        return None


def ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address inet_aton would make of ``host`` (1 to 4 parts, any radix), or None; also
    the address of parsers that overflow: a single part wider than 32 bits keeps its low 32
    bits, four parts over 255 each keep their low byte."""
    if _NOT_IPV4.search(host):  # a letter no radix uses: a DNS name (most hosts)
        return None
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or any(not p or len(p) > 18 for p in parts):
        return None
    values = [_part(p) for p in parts]
    if any(v is None for v in values):
        return None
    nums = [v for v in values if v is not None]
    if len(nums) == 1 and nums[0] >= 1 << 32:  # parsers that wrap around: 0x41414141a9fea9fe
        nums[0] &= 0xFFFFFFFF
    if len(nums) == 4 and max(nums) > 255 and max(nums) < 1 << 16:
        nums = [n & 0xFF for n in nums]  # parsers that keep each part's low byte: 425.510.425.510
    last_bits = 8 * (5 - len(nums))
    if any(n > 255 for n in nums[:-1]) or nums[-1] >= 1 << last_bits:
        return None
    value = 0
    for n in nums[:-1]:
        value = value << 8 | n
    value = value << last_bits | nums[-1]
    return ipaddress.IPv4Address(value)


def _internal_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return _internal_ip(mapped)
        if ip.packed[:12] == bytes(12):  # IPv4-compatible ::a.b.c.d
            return _internal_ip(ipaddress.IPv4Address(ip.packed[12:]))
    return bool(
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_unspecified
        or ip.is_reserved
        or str(ip) in _METADATA_IPS
        or ip in ipaddress.ip_network("100.64.0.0/10")
    )


def internal_host(host: str) -> bool:
    """``host`` names the machine itself, its private network or a metadata service."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return False
    if host.startswith("["):
        inner = host[1:].split("]", 1)[0].split("%", 1)[0]
        try:
            return _internal_ip(ipaddress.IPv6Address(inner))
        except ValueError:
            return inner in ("", "::", "0")
    if host in _NAMES or host.endswith(
        (".localhost", ".internal", ".cluster.local", *_LOOPBACK_DOMAINS)
    ):
        return True
    m = _WILDCARD_DNS.search(host)
    if m:
        address = m.group(1)
        if len(address) == 8 and "." not in address and "-" not in address:  # hex: 7f000001
            address = "0x" + address
        return internal_host(address.replace("-", "."))
    ip = ipv4(host)
    if ip is not None:
        return _internal_ip(ip)
    if ":" in host:
        try:
            return _internal_ip(ipaddress.IPv6Address(host.split("%", 1)[0]))
        except ValueError:
            return False
    return False


def _hosts(authority: str) -> list[str]:
    """Hosts a parser may take from an authority: after the last ``@`` and before it (parsers
    disagree on ``\\@`` and on ``a@b@c``), each without its port."""
    candidates = [authority.rsplit("@", 1)[-1]]
    if "@" in authority:
        candidates.append(authority.split("@", 1)[0])
    if "\\" in authority:
        candidates.append(authority.split("\\", 1)[0])
    out = []
    for host in candidates:
        if host.startswith("["):
            out.append(host.split("]", 1)[0] + "]" if "]" in host else host + "]")
        elif host.count(":") > 1 and not host.startswith("["):
            out.append("[" + host + "]")
        else:
            out.append(host.split(":", 1)[0])
    return out


# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (
    ":/",
    ":\\",
    "//",
    "localhost",
    "169.254",
    "metadata",
    "[::",
    "instance-data",
    "100.100",
)
_COLON_NEEDLES = tuple(n for n in NEEDLES if ":" in n)
_OTHER_NEEDLES = tuple(n for n in NEEDLES if ":" not in n)


# The three patterns start with a word boundary or a character class: the regex engine would try
# them at every character. Each match has a mark that a C search finds, a bounded number of
# characters after its start; a pattern runs only from where the first mark allows (or, for
# URLs, only at the few places before a ":" followed by a slash).
_SCHEME_COLON = re.compile(
    ":(?<=[a-z0-9]:)(?:"  # a scheme ends with a letter or a digit: one test rejects most colons
    + "|".join(
        f"(?<={name}:)"
        for name in (
            "gopher",
            "dict",
            "file",
            "ldap",
            "ldaps",
            "tftp",
            "jar",
            "netdoc",
            "sftp",
            "ssh2",
            "expect",
            "ogg",
            "phar",
            "rmi",
            "mailto",
            "telnet",
            "smb",
            "imap",
            "pop3",
            "smtp",
        )
    )
    + ")"
)
_URL_COLON = re.compile(r":\s?[/\\]")
MAX_URL_MARKS = 64
_BARE_MARKS = (
    "localhost",
    "metadata.google.internal",
    "169.254.169.254",
    "100.100.100.200",
    "instance-data",
    "metadata.azure.com",
    "::",
    "0:0:0:0:0:0:0:1",
)


def _raw_scheme(low: str) -> re.Match[str] | None:
    if ":" not in low:
        return None
    marks = []
    f = _SCHEME_COLON.search(low)
    if f:
        marks.append(max(0, f.start() - 6))  # the longest scheme: "gopher"
    if "ssh2." in low:  # ssh2.exec: and friends
        marks.append(low.find("ssh2."))
    return _RAW_SCHEMES.search(low, min(marks)) if marks else None


_LONGEST_SCHEME = len("memcached") + 1  # and a space before the colon


def _urls(low: str) -> Iterator[re.Match[str]]:
    """The matches of ``_URL`` in order, as ``finditer`` finds them: a match has its ":" 2 to
    ``_LONGEST_SCHEME`` characters after its start (a scheme, maybe a space), so only those
    starts are tried."""
    end = 0
    for count, f in enumerate(_URL_COLON.finditer(low)):
        if count >= MAX_URL_MARKS:  # too many to try one by one: the plain scan
            yield from _URL.finditer(low, end)
            return
        colon = f.start()
        for start in range(max(end, colon - _LONGEST_SCHEME), colon - 1):
            m = _URL.match(low, start)
            if m:
                yield m
                end = m.end()
                break


# The rest of a URL after its authority: parsers that read the authority up to the last "@"
# before the path (``http://evil.com#@127.0.0.1/``, ``http://a.com%2F@127.0.0.1/``) take the
# host after an "@" there.
_URL_REST = re.compile(r"[^\s\"'<>]{0,256}")
_AT_HOST = re.compile(r"@(\[[^\]\s]{1,64}\]|[^/?#\\:@\s\"'<>\[]{1,256})")


def _hosts_after_at(low: str, end: int) -> Iterator[str]:
    """The hosts after an "@" in the rest of the URL that ends its authority at ``end``."""
    rest = _URL_REST.match(low, end)
    if rest is not None and "@" in rest.group(0):
        for m in _AT_HOST.finditer(rest.group(0)):
            yield m.group(1)


# A scheme-relative URL (``//127.0.0.1/admin``), which a client resolves against its own
# scheme: after a delimiter, with a host that is an address or a bracketed IPv6 address (a
# word after "//" is a comment).
_SCHEMELESS = re.compile(r"//(?<![^\s\"'=(,]//)")
_SCHEMELESS_HOST = re.compile(
    r"(?:[^/?#\s\"'<>@]{0,128}@)?(\[[^\]\s]{1,64}\]|[0-9a-fox.]{1,64})(?=[:/?#\"'<>]|$)"
)


def _schemeless(low: str) -> re.Match[str] | None:
    for count, f in enumerate(_SCHEMELESS.finditer(low)):
        if count >= MAX_URL_MARKS:
            break
        m = _SCHEMELESS_HOST.match(low, f.end())
        if m and ("." in m.group(1) or m.group(1).startswith("[")) and internal_host(m.group(1)):
            return m
    return None


def _bare(low: str) -> re.Match[str] | None:
    marks = [p for p in map(low.find, _BARE_MARKS) if p >= 0]
    return _BARE.search(low, max(0, min(marks) - 2)) if marks else None


def detect_views(v: Views) -> Match | None:
    low = v.low
    # any_in(low, NEEDLES), with one character search for the three needles that have a ":"
    if not ((":" in low and any_in(low, _COLON_NEEDLES)) or any_in(low, _OTHER_NEEDLES)):
        return None
    m = _raw_scheme(low)
    if m:
        return hit(v, m.start(), m.end(), "raw-protocol or file URL scheme")
    for count, m in enumerate(_urls(low) if ":" in low else ()):
        if count >= 64:
            break
        authority = m.group(1)
        for host in _hosts(authority):
            if internal_host(host):
                return hit(v, m.start(), m.end(), "URL to an internal address")
        for host in _hosts_after_at(low, m.end()):
            if internal_host(host):
                return hit(v, m.start(), m.end(), "URL to an internal address after '@'")
    m = _schemeless(low) if "//" in low else None
    if m:
        return hit(v, m.start(), m.end(), "scheme-relative URL to an internal address")
    m = _bare(low)
    if m:
        return hit(v, m.start(), m.end(), "internal address")
    return None


def detect(text: str) -> Match | None:
    """The first URL to an internal or metadata address in ``text``, or None."""
    return detect_views(views(text))

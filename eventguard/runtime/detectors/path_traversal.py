"""Path traversal and local file inclusion (CWE-22): a value that walks out of a directory.

What it catches
    Read on a path view of the text (decoded in any encoding: ``%2e%2e%2f``, ``%252e``,
    ``%c0%ae`` and other overlong UTF-8, ``%u2215``, ``..%5c``, fullwidth dots and slashes,
    split-nibble escapes ``%2%e%2%e%2%f``; backslashes read as slashes; ``....//`` and ``..;/``
    tricks):

    - dot-dot segments: ``../``, ``..\\``, ``/..``, ``.../``, ``..//``, ``..;/``;
    - absolute paths to sensitive system files and directories (``/etc/passwd``,
      ``/proc/self/environ``, ``c:\\windows\\win.ini``, ``/var/log/...``, ``boot.ini``);
    - NUL bytes that cut a file name (``../../etc/passwd%00.png``);
    - stream wrappers used for inclusion (``php://filter``, ``zip://``, ``phar://``,
      ``expect://``, ``data://text/plain``).

Why
    A backend that joins a value to a base directory serves any file the process can read once
    the value climbs out with ``..`` or names an absolute path. Ordinary text has "..." and
    "and/or" but not dot-dot path segments or system file paths.

Examples
    ``../../../etc/passwd``, ``..%252f..%252fetc%252fshadow``, ``/%c0%ae%c0%ae/``,
    ``....//....//boot.ini``, ``C:\\Windows\\System32\\drivers\\etc\\hosts``.

References
    CWE-22, CWE-98; OWASP Path Traversal; PayloadsAllTheThings "Directory Traversal" and
    "File Inclusion"; dotdotpwn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Match
from ._normalize import Views, any_in, hit, leftmost, make, match_at, views
from ._vocab import FILE_URL_SOURCE_POSITION

ID = "path_traversal"
CWE = "CWE-22"

_SEP = r"[/\\]"
# The specification of a dot-dot segment (searched through _TRAVERSAL_DOTS and _TRAVERSAL_SLASH
# below); "start of text or a delimiter before the dots" is a look-behind.
_DELIMS = r"/\\=:'\"\s(,;|&?*"
_TRAVERSAL = re.compile(
    rf"\.(?<![^{_DELIMS}]\.)\.+[;:]?(?:{_SEP}|\x00)"  # ../ ..\ after a delimiter
    rf"|/\.{{2,}}(?:{_SEP}|[\x00?#;])|/\.\.$"  # /../ /..? /..
    r"|\.\.(?:%[0-9a-f]{0,2}|0x[0-9a-f]{2}|\?)(?:[/\\]|0x2f|0x5c|%)"  # ..%, ..0x2f
    rf"|\.{{2,8}}{_SEP}.{{0,8}}\.\."
)
# _TRAVERSAL as two pieces that start with ".." and "/.." (literal prefixes the regex engine finds
# at C speed). Their alternatives start with different characters, so at any position at most
# one piece can match: the leftmost of the two matches is _TRAVERSAL's match.
_TRAVERSAL_DOTS = re.compile(
    rf"\.\.(?:(?<![^{_DELIMS}]\.\.)\.*[;:]?(?:{_SEP}|\x00)"
    r"|(?:%[0-9a-f]{0,2}|0x[0-9a-f]{2}|\?)(?:[/\\]|0x2f|0x5c|%)"
    rf"|\.{{0,6}}{_SEP}.{{0,8}}\.\.)"
)
_TRAVERSAL_SLASH = re.compile(rf"/\.\.(?:\.*(?:{_SEP}|[\x00?#;])|$)")
_DIRS = (
    r"(?:etc|proc|sys|dev|var|usr|root|home|boot|bin|sbin|lib|opt|tmp|srv|private|library"
    r"|applications|system|volumes|windows|winnt|win|inetpub|program\s?files[^/]{0,8}|xampp"
    r"|wamp|apache\d?|php\d?|mysql|users|documents\s?and\s?settings|programdata|nginx|httpd"
    r"|usr\d?|www|webapps|web-inf|meta-inf)"
)
# Directories an absolute path may not point into. Not every system directory: a value of
# /tmp/x, /home/ann/docs or /var/task/data is an ordinary path in an ordinary request; what
# attackers read are configuration, logs, credentials and process state. Not /bin and /sbin:
# they hold programs, which disclose nothing read, and what names them is a shell's path
# (``#!/bin/bash``, ``SHELL=/bin/sh``, ``useradd --shell /bin/zsh``) or a command line
# (cmdi's). Under /dev, the files that read a process's streams, memory or sockets, or never
# end: a block device name (/dev/xvda, /dev/sda1) is what AWS service events say of every EBS
# volume.
_DEV_FILES = r"dev/(?:tcp|udp|fd|std(?:in|out|err)|k?mem|port|shm|zero|u?random|full|core)\b"
_SENSITIVE_DIRS = (
    r"(?:etc|proc|sys|root|boot|private|library|system|windows|winnt|win|inetpub"
    r"|program\s?files[^/]{0,8}|xampp|wamp|apache\d?|php\d?|mysql|documents\s?and\s?settings"
    r"|programdata|nginx|httpd|www|webapps|web-inf|meta-inf"
    r"|var/(?:log|www|lib|mail|spool|run|db|opt|adm|lock|lp|cache|backups|cpanel|named)"
    r"|usr/(?:local/)?(?:etc|apache\d?|nginx|php\d?|mysql|lib/php|share/nginx|spool|cpanel"
    r"|pureftpd|apache-tomcat[^/]{0,16}|psa|home/httpd)"
    r"|home/[^/\s]{1,32}/\.|users/[^/\s]{1,32}/(?:\.|ntuser|appdata))"
)
_PATH_DELIMS = r"\s'\"=:/\\(,"


def _after_delimiter(*alternatives: str) -> str:
    """Alternatives that must start the text or follow a delimiter, written literal-first: the
    delimiter test is a look-behind after the first character."""
    out = []
    for alt in alternatives:
        first = re.escape(alt[0]) if alt[0] in ".-" else alt[0]
        out.append(f"{first}(?<![^{_PATH_DELIMS}]{first}){alt[1:]}")
    return "|".join(out)


# Files an attacker names after a delimiter, each with a substring it holds.
_SENSITIVE_FILES = (
    (
        "etc/",
        r"etc/(?:passwd|shadow|group|hosts|issue|motd|crontab|sudoers|master\.passwd|security"
        r"|httpd|apache\d?|nginx|mysql|php\d?|ssh|ssl|fstab|inittab|profile|bashrc|resolv\.conf"
        r"|network|init\.d|\w+\.conf)",
    ),
    ("proc/", r"proc/(?:self|\d+)/"),
    ("boot.ini", r"boot\.ini"),
    ("win.ini", r"win\.ini"),
    ("system.ini", r"system\.ini"),
    ("windows/system32", r"windows/system32"),
    ("windows/repair", r"windows/repair"),
    ("winnt/system32", r"winnt/system32"),
    ("web-inf/web.xml", r"web-inf/web\.xml"),
    (".htaccess", r".htaccess"),
    (".htpasswd", r".htpasswd"),
    (".ssh/", r".ssh/(?:id_\w+|authorized_keys)"),
    (".bash_history", r".bash_history"),
    (".aws/credentials", r".aws/credentials"),
    (".env", r".env\b"),
    ("wp-config.php", r"wp-config\.php"),
    ("php.ini", r"php\.ini"),
    ("my.cnf", r"my\.cnf"),
    ("my.ini", r"my\.ini"),
    ("httpd.conf", r"httpd\.conf"),
    ("repair/sam", r"repair/sam\b"),
    ("system32/config", r"system32/config"),
)
# an absolute path into a sensitive directory, or to one of the device files
_SENSITIVE_DIR = rf"/(?<![\w.-]/)(?:{_SENSITIVE_DIRS}/|{_DEV_FILES})"
_SENSITIVE = re.compile(
    rf"{_SENSITIVE_DIR}|" + _after_delimiter(*(alternative for _, alternative in _SENSITIVE_FILES))
)
# _SENSITIVE in pieces, each behind a substring every match of it holds (a C substring test) and
# starting with a literal; the leftmost start of a piece is where _SENSITIVE matches.
# Files that share a substring are one piece behind it; so are the files whose name starts with
# a dot (their piece starts with the literal "." and the delimiter test: the regex engine runs
# from dot to dot).


def _shares(needle: str, shared: str) -> bool:
    return needle.startswith(".") if shared == "." else shared in needle


_SENSITIVE_SHARED = (".ini", "system32", ".")


def _sensitive_group(needle: str) -> str | None:
    """The shared substring whose piece holds the file ``needle``, if any."""
    return next((shared for shared in _SENSITIVE_SHARED if _shares(needle, shared)), None)


_SENSITIVE_PARTS = (
    ("/", re.compile(_SENSITIVE_DIR)),
    *(
        (
            shared,
            re.compile(
                _after_delimiter(
                    *(alt for needle, alt in _SENSITIVE_FILES if _sensitive_group(needle) == shared)
                )
            ),
        )
        for shared in _SENSITIVE_SHARED
    ),
    *(
        (needle, re.compile(_after_delimiter(alternative)))
        for needle, alternative in _SENSITIVE_FILES
        if _sensitive_group(needle) is None
    ),
)
_SYSTEM_DIR_ONLY = re.compile(r"^(?:[a-z]:)?/(?:etc|proc|sys|dev|root|boot|windows|winnt|inetpub)$")
# A path (absolute or drive-rooted) that ends in a file only attackers ask a web app for.
_SENSITIVE_NAME = re.compile(
    r"(?:^|[\s'\"=:(,])(?:[a-z]:)?/(?:[\w .-]{1,64}/){0,8}(?:\.?(?:master\.)?passwd|shadow"
    r"|\.netrc|\.bashrc|\.bash_history|\.bash_profile|\.profile|\.cshrc|\.sh_history"
    r"|\.htpasswd|\.htaccess|\.env|\.git/config|config\.(?:php|inc|asp|aspx|ini|xml|yml|yaml)"
    r"|configuration\.php|wp-config\.php|web\.config|php\.ini|my\.cnf|my\.ini|httpd\.conf"
    r"|[\w.-]{0,32}(?:access|error)[._]log|id_[rd]sa|authorized_keys|known_hosts|sysprep\.(?:inf|xml)"
    r"|unattend(?:ed)?\.(?:xml|txt)|wpsettings\.dat|ntuser\.dat|sam)\s*$"
)
# What the text (without trailing whitespace) ends with when _SENSITIVE_NAME matches; a match
# starts at most this far before that end (delimiter, drive, 8 directories, the longest name).
_SENSITIVE_NAME_ENDS = (
    "passwd",
    "shadow",
    "rc",
    "history",
    "profile",
    "htaccess",
    "env",
    "config",
    ".php",
    ".inc",
    ".asp",
    ".aspx",
    ".ini",
    ".xml",
    ".yml",
    ".yaml",
    ".cnf",
    ".conf",
    "log",
    "sa",
    "keys",
    "hosts",
    ".inf",
    ".txt",
    ".dat",
    "sam",
)
_SENSITIVE_NAME_REACH = 1 + 2 + 1 + 8 * 65 + 42
_WRAPPER_NAMES = r"(?:php|zip|phar|expect|glob|compress\.zlib|compress\.bzip2|zlib|ogg|rar|input)"
_WRAPPER = re.compile(
    rf"\b{_WRAPPER_NAMES}://|\bdata:(?://)?text/plain|\bfile:/(?!{FILE_URL_SOURCE_POSITION})"
)
# _WRAPPER in pieces: a wrapper name ends at a "://" (looked for in the 14 characters before
# each); the other two start with a literal (the word boundary is a look-behind at the end).
_WRAPPER_SCHEME = re.compile(rf"\b{_WRAPPER_NAMES}://")
_WRAPPER_PARTS = (
    ("data:", re.compile(r"data:(?<!\wdata:)(?://)?text/plain")),
    ("file:/", re.compile(rf"file:/(?<!\wfile:/)(?!{FILE_URL_SOURCE_POSITION})")),
)
_NUL = re.compile(r"\x00")
# Traversal written with mangled encodings (IIS-era and fuzzers' lists): dot-dot tokens, in any
# spelling, joined by separator tokens that a decoder may turn into a slash.
_DOTDOT = r"(?:\.\.|\?\.|\.\?|\?\?|0x2e0x2e|%2e%2e)"
# The class is "/", "^", "%", C0 controls and \x7f-\uffff, written as the complement of printable
# ASCII and astral characters: the same characters, and no 64K-entry set to build at import.
_JUNK_SEP = (
    r"(?:%[0-9a-z]{1,5}|0x[0-9a-f]{2}|[^\x20-\x24\x26-\x2e\x30-\x5d\x5f-\x7e\U00010000-\U0010ffff])"
)
_TARGETS = (
    r"(?:etc|boot\.ini|win\.ini|windows|winnt|system32|proc|var|usr|home|root|inetpub|passwd"
    r"|shadow|hosts|issue)"
)
# One debris token. Every token but a lone character starts with "%" or "0x", so a run of debris
# splits into tokens essentially one way: repeating the token cannot backtrack through many ways
# of splitting ("%2%e%2%e" is "%2", "%e", ...).
_JUNK = r"(?:%[0-9a-z]{0,2}|0x[0-9a-f]{2}|[^\x00-\x7f]|[/\\^?.])"
_AFTER_DOTDOT = rf"(?:{_JUNK_SEP}{{1,3}}{_DOTDOT}{_JUNK_SEP}|{_JUNK_SEP}{{1,3}}{_TARGETS})"
_ETC_DEBRIS = rf"etc(?<![a-z]etc){_JUNK_SEP}{{1,3}}(?:passwd|shadow|issue|hosts|group|motd)\b"
_MANGLED = re.compile(rf"{_DOTDOT}{_AFTER_DOTDOT}|{_ETC_DEBRIS}|\.\.(?:2f|5c)\.\.(?:2f|5c)")
# _MANGLED in pieces, one per spelling of the dot-dot token, each starting with its literal.
_MANGLED_PARTS = (
    ("..", re.compile(rf"\.\.{_AFTER_DOTDOT}|\.\.(?:2f|5c)\.\.(?:2f|5c)")),
    ("?", re.compile(rf"\?\.{_AFTER_DOTDOT}|\?\?{_AFTER_DOTDOT}")),
    (".?", re.compile(rf"\.\?{_AFTER_DOTDOT}")),
    ("0x2e0x2e", re.compile(rf"0x2e0x2e{_AFTER_DOTDOT}")),
    ("%2e%2e", re.compile(rf"%2e%2e{_AFTER_DOTDOT}")),
    ("etc", re.compile(_ETC_DEBRIS)),
)
# A system file behind a run of encoding debris (``þþ%5%cboot.ini``, ``%bg%qfetc%bg%qfissue``):
# the target is found first, then the debris is looked for in the 64 characters before it.
_DEBRIS_TARGET = re.compile(
    rf"etc(?:{_JUNK}){{1,3}}(?:passwd|shadow|issue|hosts|group)|boot\.ini|win\.ini"
    rf"|windows(?:{_JUNK}){{1,3}}(?:system32|win\.ini)"
)
_DEBRIS_PARTS = (
    ("etc", re.compile(rf"etc(?:{_JUNK}){{1,3}}(?:passwd|shadow|issue|hosts|group)")),
    ("boot.ini", re.compile(r"boot\.ini")),
    ("win.ini", re.compile(r"win\.ini")),
    ("windows", re.compile(rf"windows(?:{_JUNK}){{1,3}}(?:system32|win\.ini)")),
)
_DEBRIS_BEFORE = re.compile(rf"(?:{_JUNK}){{2,16}}$")
# Written to start with a literal "L": ``(?:x){2}`` would make the engine try every position.
_BASE64 = re.compile(r"L(?:i4v|i4u|i5c|i9|y4uL)(?:Li4v|Li4u|Li5c|Li9|Ly4uL)|L2V0Yy9wYXNzd2")
# Bytes left over from invalid UTF-8 in a path: lead bytes vanish, C0 controls and continuation
# bytes stand where a separator was.
_STRAY = str.maketrans(
    {
        **dict.fromkeys(map(chr, (0xC0, 0xC1, 0xE0, 0xE1, 0xF0, 0xF8, 0xFC)), ""),
        **dict.fromkeys(map(chr, [*range(1, 9), *range(0x0E, 0x20), *range(0x80, 0xC0)]), "/"),
    }
)
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (
    "/",
    "\\",
    "?",
    "%",
    "\x00",
    ":",
    "..",
    "etc",
    "0x",
    "boot.ini",
    "win.ini",
    "li4",
    "l2v0",
    "ly4u",
)


_HAS_STRAY = re.compile("[\x01-\x08\x0e-\x1f\x80-\xbf\xc0\xc1\xe0\xe1\xf0\xf8\xfc\u0304]")
# _STRAY as two substitutions with constant replacements (C speed; ``translate`` with a dict
# costs a dictionary lookup per character of a non-ASCII text). The two sets are disjoint.
_STRAY_DROP = re.compile(
    "[" + "".join(re.escape(chr(k)) for k, to in _STRAY.items() if not to) + "]"
)
_STRAY_SLASH = re.compile("[" + "".join(re.escape(chr(k)) for k, to in _STRAY.items() if to) + "]")


# The characters of _HAS_STRAY an ASCII text can hold (one memchr each beats a class scan).
_ASCII_STRAYS = tuple(map(chr, [*range(1, 9), *range(0x0E, 0x20)]))


def _has_stray(low: str) -> bool:
    """``_HAS_STRAY.search(low)`` is not None."""
    if low.isascii():
        return not low.isprintable() and any(c in low for c in _ASCII_STRAYS)
    return _HAS_STRAY.search(low) is not None


def path_view(low: str) -> str:
    """Backslashes as slashes; the separator fragments ``%pc`` and ``0x2f`` kept as they are."""
    if "\\" in low:
        low = low.replace("\\", "/")
    if _has_stray(low):
        # NFKC turned a macron (continuation byte 0xaf) into a space and a combining macron
        low = _STRAY_SLASH.sub("/", _STRAY_DROP.sub("", low.replace(" \u0304", "/")))
    return low


def _traversal(path: str) -> re.Match[str] | None:
    """``_TRAVERSAL.search(path)``."""
    if ".." not in path:
        return None
    m = _TRAVERSAL_DOTS.search(path)
    if "/.." in path:
        m2 = _TRAVERSAL_SLASH.search(path)
        if m2 and (m is None or m2.start() < m.start()):
            return m2
    return m


def _sensitive_name(path: str) -> re.Match[str] | None:
    """``_SENSITIVE_NAME.search(path)``: only near the end of a text that ends with a name."""
    end = len(path.rstrip())
    if not path.endswith(_SENSITIVE_NAME_ENDS, 0, end):
        return None
    return _SENSITIVE_NAME.search(path, max(0, end - _SENSITIVE_NAME_REACH))


def _wrapper(path: str) -> re.Match[str] | None:
    """``_WRAPPER.search(path)``."""
    best = -1
    at = path.find("://")
    while at >= 0:
        m = _WRAPPER_SCHEME.search(path, max(0, at - 14), at + 3)
        if m:
            best = m.start()
            break
        at = path.find("://", at + 1)
    return match_at(_WRAPPER, path, leftmost(path, _WRAPPER_PARTS, best))


def _debris_target(path: str) -> bool:
    """Substrings every match of _DEBRIS_TARGET holds."""
    return (
        "boot.ini" in path
        or "win.ini" in path
        or ("etc" in path and any_in(path, ("passwd", "shadow", "issue", "hosts", "group")))
        or ("windows" in path and "system32" in path)
    )


def _debris_targets(path: str) -> Iterator[re.Match[str]]:
    """``_DEBRIS_TARGET.finditer(path)``: its alternatives start with different literals (two
    start with "win", but "win." and "wind" differ), so the next match is the leftmost next
    match of the pieces, each of which the regex engine finds at C speed."""
    pieces = [rx for needle, rx in _DEBRIS_PARTS if needle in path]
    at = 0
    while True:
        first = None
        for rx in pieces:
            m = rx.search(path, at)
            if m and (first is None or m.start() < first.start()):
                first = m
        if first is None:
            return
        yield first
        at = first.end()


def _has_needle(low: str) -> bool:
    """``any_in(low, NEEDLES)``, written out (a generator costs more than the tests)."""
    return (
        "/" in low
        or "\\" in low
        or "?" in low
        or "%" in low
        or "\x00" in low
        or ":" in low
        or ".." in low
        or "etc" in low
        or "0x" in low
        or "boot.ini" in low
        or "win.ini" in low
        or "li4" in low
        or "l2v0" in low
        or "ly4u" in low
    )


# Split-nibble percent encoding (dotdotpwn): "%2%e" for ".", "%2%f" for "/", "%5%c" for "\\", read
# by decoders that take the two hex digits of a byte from two escapes. Standard decoding would
# instead take "%fe" out of "%2%fetc", so the raw text is read again with them joined.
_SPLIT_NIBBLE = re.compile(r"%([0-9a-fA-F])%([0-9a-fA-F])")


def _joined_nibble(m: re.Match[str]) -> str:
    return chr(int(m.group(1) + m.group(2), 16))


def detect_views(v: Views) -> Match | None:
    m = _detect(v)
    if m is None and "%" in v.raw and _SPLIT_NIBBLE.search(v.raw):
        m = _detect(make(_SPLIT_NIBBLE.sub(_joined_nibble, v.raw)))
        if m is not None:
            return Match(0, len(v.raw), f"{m.detail} (split-nibble encoding)")
    return m


# A relative link one directory up to a document or an image (``../README.md``, ``<img
# src="../img/logo.png">``): notes and web pages are full of them. A read of server files names
# code, configuration, logs or data (``../config.php``, ``../logs/access.log``), climbs further,
# or hides its dots.
_DOCUMENT_LINK = re.compile(
    r"\.\.(?<![\w.]\.\.)/(?:[\w-]+/)*[\w-][\w.-]*\."
    r"(?:md|txt|pdf|html?|css|png|jpe?g|gif|svg|webp|ico|docx?|xlsx?|pptx?|odt|csv|mp[34]|wav)"
    r"(?![\w.])"
)
_MAX_DOCUMENT_LINKS = 16


def _only_document_links(v: Views) -> bool:
    """Every ``..`` of the text is a plain relative link to a document (no decoding changed the
    text: an encoded dot-dot is no link)."""
    low = v.low
    count = low.count("..")
    if not 0 < count <= _MAX_DOCUMENT_LINKS or v.changed or not low.isascii() or "\\" in low:
        return False
    return len(_DOCUMENT_LINK.findall(low)) == count


# A path that ends in a line number is where an error or a stack frame points
# (``in /var/www/html/index.php:12``, ``bootstrap.php on line 8``, ``File "/etc/app/x.py", line
# 3``, Ruby's ``app.rb:17:in `call'``): PHP, Python, Node and Ruby write one in every error.
# No file read ends so: the number would be part of the name, and the read would fail.
_SOURCE_POSITION = re.compile(
    r"[^\s'\"<>()]{0,1024}?(?::\d{1,7}(?::\d{1,7})?(?![\w./]|:(?!in\s))"
    r"|['\"]?,?\s(?:on\s)?line\s\d)"
)
MAX_SOURCE_POSITIONS = 8


def _detect(v: Views) -> Match | None:
    low = v.low
    if not _has_needle(low):
        return None
    path = path_view(low)
    m = _traversal(path)
    if m and not _only_document_links(v):
        return hit(v, m.start(), m.end(), "dot-dot path segment")
    if "/" in path or "." in path:  # every piece of _SENSITIVE holds one of them
        m = match_at(_SENSITIVE, path, leftmost(path, _SENSITIVE_PARTS))
        for _ in range(MAX_SOURCE_POSITIONS):  # past the paths that end in a line number
            at = _SOURCE_POSITION.match(path, m.start()) if m else None
            if at is None:
                break
            m = _SENSITIVE.search(path, at.end())
        if m:
            return hit(v, m.start(), m.end(), "sensitive system path")
    if "/" in path:
        m = _sensitive_name(path)
        if m:
            return hit(v, m.start(), m.end(), "path to a sensitive file")
        m = _SYSTEM_DIR_ONLY.search(path)
        if m:
            return hit(v, m.start(), m.end(), "system directory")
    if ":" in path:
        m = _wrapper(path)
        if m:
            return hit(v, m.start(), m.end(), "file inclusion wrapper")
    m = match_at(_MANGLED, path, leftmost(path, _MANGLED_PARTS))
    if m:
        return hit(v, m.start(), m.end(), "dot-dot path segments in a mangled encoding")
    if _debris_target(path):
        for count, m in enumerate(_debris_targets(path)):
            if count >= 16:
                break
            if _DEBRIS_BEFORE.search(path, max(0, m.start() - 64), m.start()):
                return hit(v, m.start(), m.end(), "system file behind encoding debris")
    if "\\." in low:  # dots escaped with backslashes: /.\/\.\.\/
        m = _traversal(low.replace("\\", ""))
        if m:
            return hit(v, 0, len(v.raw), "dot-dot path segment behind escapes")
    m = _BASE64.search(v.raw) if "L" in v.raw else None
    if m:
        return Match(m.start(), m.end(), "base64 of a dot-dot path")
    if "\x00" in path and ("/" in path or "." in path):
        m = _NUL.search(path)
        if m:
            return hit(v, m.start(), m.end(), "NUL byte in a path")
    return None


def detect(text: str) -> Match | None:
    """The first path traversal shape in ``text``, or None."""
    return detect_views(views(text))

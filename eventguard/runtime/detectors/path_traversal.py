"""Path traversal and local file inclusion (CWE-22): a value that walks out of a directory.

What it catches
    Read on a path view of the text (decoded in any encoding: ``%2e%2e%2f``, ``%252e``,
    ``%c0%ae`` and other overlong UTF-8, ``%u2215``, ``..%5c``, fullwidth dots and slashes;
    backslashes read as slashes; ``....//`` and ``..;/`` tricks):

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

from ..model import Match
from ._normalize import Views, any_in, hit, views

ID = "path_traversal"
CWE = "CWE-22"

_SEP = r"[/\\]"
# Every alternative starts with a literal "." or "/", so the regex engine jumps between dots
# and slashes in C; "start of text or a delimiter before the dots" is a look-behind.
_DELIMS = r"/\\=:'\"\s(,;|&?*"
_TRAVERSAL = re.compile(
    rf"\.(?<![^{_DELIMS}]\.)\.+[;:]?(?:{_SEP}|\x00)"  # ../ ..\ after a delimiter
    rf"|/\.{{2,}}(?:{_SEP}|[\x00?#;])|/\.\.$"  # /../ /..? /..
    r"|\.\.(?:%[0-9a-f]{0,2}|0x[0-9a-f]{2}|\?)(?:[/\\]|0x2f|0x5c|%)"  # ..%, ..0x2f
    rf"|\.{{2,8}}{_SEP}.{{0,8}}\.\."
)
_DIRS = (
    r"(?:etc|proc|sys|dev|var|usr|root|home|boot|bin|sbin|lib|opt|tmp|srv|private|library"
    r"|applications|system|volumes|windows|winnt|win|inetpub|program\s?files[^/]{0,8}|xampp"
    r"|wamp|apache\d?|php\d?|mysql|users|documents\s?and\s?settings|programdata|nginx|httpd"
    r"|usr\d?|www|webapps|web-inf|meta-inf)"
)
# Directories an absolute path may not point into. Not every system directory: a value of
# /tmp/x, /home/ann/docs or /var/task/data is an ordinary path in an ordinary request; what
# attackers read are configuration, logs, credentials and process state.
_SENSITIVE_DIRS = (
    r"(?:etc|proc|sys|dev|root|boot|s?bin|private|library|system|windows|winnt|win|inetpub"
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


_SENSITIVE = re.compile(
    rf"/(?<![\w.-]/){_SENSITIVE_DIRS}/|"  # an absolute path into a sensitive directory
    + _after_delimiter(
        r"etc/(?:passwd|shadow|group|hosts|issue|motd|crontab|sudoers|master\.passwd|security"
        r"|httpd|apache\d?|nginx|mysql|php\d?|ssh|ssl|fstab|inittab|profile|bashrc|resolv\.conf"
        r"|network|init\.d|\w+\.conf)",
        r"proc/(?:self|\d+)/",
        r"boot\.ini",
        r"win\.ini",
        r"system\.ini",
        r"windows/system32",
        r"windows/repair",
        r"winnt/system32",
        r"web-inf/web\.xml",
        r".htaccess",
        r".htpasswd",
        r".ssh/(?:id_\w+|authorized_keys)",
        r".bash_history",
        r".aws/credentials",
        r".env\b",
        r"wp-config\.php",
        r"php\.ini",
        r"my\.cnf",
        r"my\.ini",
        r"httpd\.conf",
        r"repair/sam\b",
        r"system32/config",
    )
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
_WRAPPER = re.compile(
    r"\b(?:php|zip|phar|expect|glob|compress\.zlib|compress\.bzip2|zlib|ogg|rar|input)://"
    r"|\bdata:(?://)?text/plain|\bfile:/"
)
# Substrings the alternatives of _SENSITIVE and _MANGLED need (cheap tests before the regex).
_SENSITIVE_NEEDLES = (
    "/",
    "boot.ini",
    "win.ini",
    "system.ini",
    ".ht",
    ".env",
    ".bash",
    "php.ini",
    "my.cnf",
    "my.ini",
    "httpd.conf",
    "wp-config",
    ".aws",
    ".ssh",
    "repair",
    "system32",
)
_MANGLED_NEEDLES = (
    "..",
    "?.",
    ".?",
    "??",
    "0x2e",
    "%2e",
    "etc",
    "boot.ini",
    "win.ini",
    "windows",
)
_NUL = re.compile(r"\x00")
# Traversal written with mangled encodings (IIS-era and fuzzers' lists): dot-dot tokens, in any
# spelling, joined by separator tokens that a decoder may turn into a slash.
_DOTDOT = r"(?:\.\.|\?\.|\.\?|\?\?|0x2e0x2e|%2e%2e)"
_JUNK_SEP = r"(?:%[0-9a-z]{1,5}|0x[0-9a-f]{2}|[/^%\x00-\x1f\x7f-\uffff])"
_TARGETS = (
    r"(?:etc|boot\.ini|win\.ini|windows|winnt|system32|proc|var|usr|home|root|inetpub|passwd"
    r"|shadow|hosts|issue)"
)
# One debris token. Every token but a lone character starts with "%" or "0x", so a run of debris
# splits into tokens essentially one way: repeating the token cannot backtrack through many ways
# of splitting ("%2%e%2%e" is "%2", "%e", ...).
_JUNK = r"(?:%[0-9a-z]{0,2}|0x[0-9a-f]{2}|[^\x00-\x7f]|[/\\^?.])"
_MANGLED = re.compile(
    rf"{_DOTDOT}(?:{_JUNK_SEP}{{1,3}}{_DOTDOT}{_JUNK_SEP}|{_JUNK_SEP}{{1,3}}{_TARGETS})"
    rf"|etc(?<![a-z]etc){_JUNK_SEP}{{1,3}}(?:passwd|shadow|issue|hosts|group|motd)\b"
    r"|\.\.(?:2f|5c)\.\.(?:2f|5c)"
)
# A system file behind a run of encoding debris (``þþ%5%cboot.ini``, ``%bg%qfetc%bg%qfissue``):
# the target is found first, then the debris is looked for in the 64 characters before it.
_DEBRIS_TARGET = re.compile(
    rf"etc(?:{_JUNK}){{1,3}}(?:passwd|shadow|issue|hosts|group)|boot\.ini|win\.ini"
    rf"|windows(?:{_JUNK}){{1,3}}(?:system32|win\.ini)"
)
_DEBRIS_BEFORE = re.compile(rf"(?:{_JUNK}){{2,16}}$")
_BASE64 = re.compile(r"(?:Li4v|Li4u|Li5c|Li9|Ly4uL){2}|L2V0Yy9wYXNzd2")
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
    "..",
    "/",
    "\\",
    "?",
    "%",
    "\x00",
    ":",
    "etc",
    "0x",
    "boot.ini",
    "win.ini",
    "li4",
    "l2v0",
    "ly4u",
)


_HAS_STRAY = re.compile("[\x01-\x08\x0e-\x1f\x80-\xbf\xc0\xc1\xe0\xe1\xf0\xf8\xfc\u0304]")


def path_view(low: str) -> str:
    """Backslashes as slashes; the separator fragments ``%pc`` and ``0x2f`` kept as they are."""
    if "\\" in low:
        low = low.replace("\\", "/")
    if _HAS_STRAY.search(low):
        # NFKC turned a macron (continuation byte 0xaf) into a space and a combining macron
        low = low.replace(" \u0304", "/").translate(_STRAY)
    return low


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    path = path_view(low)
    for rx, needles, detail in (
        (_TRAVERSAL, ("..",), "dot-dot path segment"),
        (_SENSITIVE, _SENSITIVE_NEEDLES, "sensitive system path"),
        (_SENSITIVE_NAME, ("/",), "path to a sensitive file"),
        (_SYSTEM_DIR_ONLY, ("/",), "system directory"),
        (_WRAPPER, (":",), "file inclusion wrapper"),
        (_MANGLED, _MANGLED_NEEDLES, "dot-dot path segments in a mangled encoding"),
    ):
        if not any_in(path, needles):
            continue
        m = rx.search(path)
        if m:
            return hit(v, m.start(), m.end(), detail)
    if any_in(path, ("etc", "boot.ini", "win.ini", "windows")):
        for count, m in enumerate(_DEBRIS_TARGET.finditer(path)):
            if count >= 16:
                break
            if _DEBRIS_BEFORE.search(path, max(0, m.start() - 64), m.start()):
                return hit(v, m.start(), m.end(), "system file behind encoding debris")
    if "\\." in low:  # dots escaped with backslashes: /.\/\.\.\/
        m = _TRAVERSAL.search(low.replace("\\", ""))
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

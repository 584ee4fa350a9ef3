"""Insecure deserialization (CWE-502): serialized objects of languages that run code on load.

What it catches
    - Python: pickle opcodes (``cos\\nsystem\\n``, ``c__builtin__``, protocol headers
      ``\\x80\\x04\\x95``, base64 ``gASV``), PyYAML tags (``!!python/object/apply:``,
      ``!!python/name:``);
    - Java: serialization stream magic ``aced0005`` (hex) and ``rO0AB`` (base64), SnakeYAML
      and XStream gadget names (``!!javax.script.ScriptEngineManager``,
      ``java.beans.XMLDecoder``);
    - PHP: ``O:8:"stdClass":1:{``, ``a:2:{s:...``, ``C:`` custom objects;
    - Ruby: YAML tags ``!ruby/object:``, ``!ruby/hash:``, Marshal header ``\\x04\\x08``, and
      in base64 (``BAhvO``: an object with its class name; not ``BAh7``, a hash, which every
      Rails session cookie is);
    - .NET: ``BinaryFormatter`` base64 ``AAEAAAD/////``, a ViewState that holds one
      (LosFormatter's ``/wEy``; an ordinary ViewState starts ``/wEP``), Json.NET
      ``"$type":"...,..."``,
      ``ObjectDataProvider``; Node ``node-serialize`` ``_$$ND_FUNC$$_``;
    - Java JSON: fastjson/Jackson ``"@type":"com.sun.rowset.JdbcRowSetImpl"``.

Why
    These formats rebuild arbitrary objects and call their methods while loading: whoever
    writes the bytes chooses the code. Their markers have no meaning in ordinary text.

Examples
    ``!!python/object/apply:os.system ["id"]``, ``rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA``,
    ``O:4:"User":1:{s:5:"admin";b:1;}``,
    ``{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework"}``.

References
    CWE-502; OWASP Deserialization Cheat Sheet; ysoserial, ysoserial.net, phpggc;
    PayloadsAllTheThings "Insecure Deserialization".
"""

from __future__ import annotations

import binascii
import re
import zlib
from collections.abc import Iterator

from ..model import Match
from ._normalize import Views, any_in, hit, leftmost, match_at, views

ID = "deserialization"
CWE = "CWE-502"

_RAW = re.compile(
    r"(?<![\w+/])/wEy[A-Za-z0-9+/]{16}|rO0AB|\bH4sIAAAAAAAA|\bAAEAAAD/////|\bgASV|\bgAJ[a-zA-Z]|\x80[\x02-\x05][\x95(]"
    r"|\xac\xed\x00\x05|\x04\x08[\[{o:I]|(?<![\w+/])BAh[vV1TlD]O"
)
# _RAW is found by the pieces below, each behind a substring that every match of it holds (a
# substring test is a C search; a regex starting with a literal is one as well). A word boundary
# before a word is a look-behind at its end. The leftmost start found is where _RAW matches.
_RAW_PARTS = (
    ("/wEy", re.compile(r"/wEy(?<![\w+/]/wEy)[A-Za-z0-9+/]{16}")),
    ("O0", re.compile(r"rO0AB")),
    ("AA", re.compile(r"H4sIAAAAAAAA(?<!\wH4sIAAAAAAAA)|AAEAAAD/////(?<!\wAAEAAAD/////)")),
    ("gA", re.compile(r"gASV(?<!\wgASV)|gAJ(?<!\wgAJ)[a-zA-Z]")),
    ("\x80", re.compile(r"\x80[\x02-\x05][\x95(]")),
    ("\xac", re.compile(r"\xac\xed\x00\x05")),
    ("\x04", re.compile(r"\x04\x08[\[{o:I]")),
    # Ruby Marshal in base64: \x04\x08, then an object, a user-marshalled or -defined object, a
    # struct, an extended object or a subclass (o U u S e C), then its class name (a symbol,
    # ":"). A hash ("BAh7") is left out: every Rails session cookie is one.
    ("BAh", re.compile(r"BAh(?<![\w+/]BAh)[vV1TlD]O")),
)
# The pieces of binary streams (not base64), which escapes in the text may write.
_BINARY_PARTS = tuple(part for part in _RAW_PARTS if not part[0].isalnum())
# PHP objects and arrays must start the text or follow a delimiter.
_PHP_DELIMS = r"\s\"';{("
_PHP = (
    rf"(?:^|[{_PHP_DELIMS}])[oc]:\+?\d{{1,4}}:\"[\w\\]{{1,256}}\":\+?\d{{1,4}}:\{{"
    rf"|(?:^|[{_PHP_DELIMS}])a:\+?\d{{1,6}}:\{{(?:[sibdnoa]:|\}})"
)
# fastjson and Jackson polymorphic typing: ``"@type"`` (Jackson's class id: ``"@class"``)
# naming a Java class by its package (``com.sun.rowset.JdbcRowSetImpl``), which the parser
# instantiates and fills through its setters. JSON-LD's ``"@type": "Person"`` names no package,
# and protobuf's JSON ``"@type": "type.googleapis.com/google.rpc.ErrorInfo"`` a host and a path.
_AT_TYPE = (
    r"\"@(?:type|class)\"\s?:\s?\"\s?\[?[a-z_$][\w$]{0,64}(?:\.[a-z_$][\w$]{0,64}){2,}"
    r"(?![\w$.]*/)"
)
_PICKLE_MODULES = r"(?:os|posix|nt|subprocess|__builtin__|builtins|commands|pty|socket)"
# Java objects written as XML for XMLDecoder and XStream: an element that instantiates a class
# by its package name (``<object class="java.lang.ProcessBuilder">``), calls a method
# (``<void method="start"/>``) or builds a proxy (``<dynamic-proxy>``). HTML's ``<object>``
# names CSS classes, never a Java package.
_JAVA_XML = (
    r"<object\s+class\s?=\s?[\"'](?:java|javax|com|org|sun|oracle)\.[\w$.]{1,128}[\"']"
    r"|<void\s+(?:method|property|index)\s?=|<dynamic-proxy\b"
)
# Jackson's default typing as an array: the class name, then the object, array or URL that
# fills it (``["com.sun.rowset.JdbcRowSetImpl", {...}]``). A list of package ids is strings.
_JAVA_ARRAY = (
    r"\[ ?\"(?:java|javax|com|org|net|ch|sun|oracle)\.(?:[\w$]+\.){1,8}[\w$]+\"\s?,\s?"
    r"(?:[\[{]|\"(?:https?|ldaps?|rmi|file|ftp|jar):)"
)
_LOW = re.compile(
    r"!!python/|tag:yaml\.org,2002:python/|!ruby/|!!ruby/|!!javax?\.|!!com\.|!!org\."
    r"|\baced0005|_\$\$nd_func\$\$_|\bobjectdataprovider\b|\bjava\.beans\.(?:xmldecoder|eventhandler)\b"
    rf"|{_JAVA_XML}|{_JAVA_ARRAY}"
    r"|\"\$type\"\s?:\s?\"[\w.`\[\]]+,\s?[\w.]+|\b__type\"\s?:|\bsystem\.windows\.data\."
    rf"|{_AT_TYPE}"
    rf"|{_PHP}"
    rf"|(?:^|\n)c{_PICKLE_MODULES}\n\w+\n"
    r"|\bcos\nsystem\b|\(s'[^']{0,256}'\ntr\.|\bcpickle\b|\bpickle\.loads?\s?\("
    r"|\byaml\.(?:unsafe_)?load\s?\("
)
# _LOW is the specification; it is not searched as such (its PHP and pickle alternatives do not
# start with a literal, so a search would try all of them at every position). Its alternatives
# are found by literal-first patterns, and _LOW is matched once at the leftmost position found.
# 1. Those that start with a literal, each with the literal it starts with (a fast substring
#    test, and a literal prefix the regex engine finds at C speed); a word boundary before a
#    word is a look-behind at the end of the word. The pickle one is found after its newline.
_LOW_LITERAL = (
    ("!", re.compile(r"!!python/|!ruby/|!!ruby/|!!javax?\.|!!com\.|!!org\.")),
    ("tag:yaml", re.compile(r"tag:yaml\.org,2002:python/")),
    ("aced0005", re.compile(r"aced0005(?<!\waced0005)")),
    ("_", re.compile(r"_\$\$nd_func\$\$_|__type(?<!\w__type)\"\s?:")),
    ("objectdataprovider", re.compile(r"objectdataprovider\b(?<!\wobjectdataprovider)")),
    ("java.beans", re.compile(r"java\.beans\.(?<!\wjava\.beans\.)(?:xmldecoder|eventhandler)\b")),
    ("<", re.compile(_JAVA_XML)),
    ("[", re.compile(_JAVA_ARRAY)),
    ("$", re.compile(r"\"\$type\"\s?:\s?\"[\w.`\[\]]+,\s?[\w.]+")),
    ("@type", re.compile(_AT_TYPE)),
    ("@class", re.compile(_AT_TYPE)),
    ("system.windows", re.compile(r"system\.windows\.data\.(?<!\wsystem\.windows\.data\.)")),
    ("\nc", re.compile(rf"\nc{_PICKLE_MODULES}\n\w+\n")),
    ("cos\n", re.compile(r"cos\nsystem\b(?<!\wcos\nsystem)")),
    ("'", re.compile(r"\(s'[^']{0,256}'\ntr\.")),
    ("cpickle", re.compile(r"cpickle\b(?<!\wcpickle)")),
    ("pickle.load", re.compile(r"pickle\.load(?<!\wpickle\.load)s?\s?\(")),
    ("yaml.", re.compile(r"yaml\.(?<!\wyaml\.)(?:unsafe_)?load\s?\(")),
)
# The pieces behind a shorter or single-character test they all need (one substring search
# for several pieces when it fails, as it does on most texts).
_LOW_GROUPS = tuple(
    (gate, tuple(part for part in _LOW_LITERAL if gate in part[0]))
    for gate in (
        "!",
        "yaml",
        "aced0005",
        "_",
        "j",
        "<",
        "[",
        "$",
        "@type",
        "@class",
        "system.windows",
        "\n",
        "'",
        "pickle",
    )
)
# 2. The PHP shapes, found at their ":" (two characters after the delimiter, or at 1 at the start).
_LOW_PHP = re.compile(
    rf":(?<=[oc]:)(?<![^{_PHP_DELIMS}][oc]:)\+?\d{{1,4}}:\"[\w\\]{{1,256}}\":\+?\d{{1,4}}:\{{"
    rf"|:(?<=a:)(?<![^{_PHP_DELIMS}]a:)\+?\d{{1,6}}:\{{(?:[sibdnoa]:|\}})"
)
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (
    "!!",
    "!ruby",
    "ro0ab",
    "/wey",
    "aaeaaad",
    "gasv",
    "gaj",
    "bahvo",
    "bah1o",
    "bahto",
    "bahlo",
    "bahdo",
    "h4siaaaa",
    "aced0005",
    "_$$nd",
    "objectdataprovider",
    "xmldecoder",
    "eventhandler",
    "<object",
    "<void",
    "<dynamic-proxy",
    '[ "',
    '["',
    "$type",
    "@type",
    "@class",
    "__type",
    ":{",
    "cos\n",
    "cposix\n",
    "cnt\n",
    "csubprocess\n",
    "c__builtin__\n",
    "cbuiltins\n",
    "ccommands\n",
    "cpty\n",
    "csocket\n",
    "(s'",
    "\x80",
    "\xac",
    "\x04",
    "pickle",
    "yaml.",
    "windows.data",
)


def _search_low(low: str) -> re.Match[str] | None:
    """``_LOW.search(low)``: the leftmost position where one of its alternatives matches, found
    with the literal-first pieces, then ``_LOW`` matched there (the same match)."""
    if low.startswith(("o", "c", "a")):  # the alternatives anchored at the start of the text
        m = _LOW.match(low)
        if m:
            return m
    best = -1
    if "{" in low and ":" in low:
        m = _LOW_PHP.search(low)
        if m:
            best = max(0, m.start() - 2)
    for gate, parts in _LOW_GROUPS:
        if gate in low:
            best = leftmost(low, parts, best)
    if best < 0:
        return None
    return _LOW.match(low, best) or _LOW.search(low, best)


# A gzip header without a time stamp, as Java's GZIPOutputStream writes it.
_GZIP_BASE64 = "H4sIAAAAAAAA"
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]*={0,2}")  # either alphabet
_URLSAFE = str.maketrans("-_", "+/")
_GZIP_PEEK_CHARS = 4096  # base64 characters decoded at most to read what the stream starts with
_GZIP_STEP = 512  # and at a time (a multiple of 4)
_GZIP_PEEK_BYTES = 16
# What a serialized object starts with, once gunzipped: Java, .NET BinaryFormatter, pickle
# (protocol 2 and up), Ruby Marshal, PHP serialize().
_SERIALIZED_START = re.compile(
    rb"\xac\xed\x00\x05|\x00\x01\x00\x00\x00\xff\xff\xff\xff|\x80[\x02-\x05]|\x04\x08"
    rb"|[OCa]:\d{1,4}:"
)


def _gzip_holds_no_object(raw: str, start: int) -> bool:
    """The base64 gzip stream at ``start`` decompresses to something that is not a serialized
    object: a CloudWatch Logs subscription's ``awslogs.data`` (gzipped JSON, whose header has no
    time stamp either) is one in every such event. A stream that does not decode (cut short,
    not base64) holds no proof: it counts. Read ``_GZIP_STEP`` characters at a time, until the
    first bytes are out (a few hundred characters: a deflate block's code tables come first)."""
    inflate = zlib.decompressobj(wbits=31)
    head = b""
    pos, end = start, start + _GZIP_PEEK_CHARS
    try:
        while pos < end and len(head) < _GZIP_PEEK_BYTES:
            run = _BASE64_RUN.match(raw, pos, min(end, pos + _GZIP_STEP))
            chunk = run.group(0) if run else ""
            last = len(chunk) < _GZIP_STEP
            if last:  # the end of the run: no padding, whole quads only
                chunk = chunk.rstrip("=")
                chunk = chunk[: len(chunk) // 4 * 4]
            data = binascii.a2b_base64(chunk.translate(_URLSAFE))
            head += inflate.decompress(data, _GZIP_PEEK_BYTES - len(head))
            if last:
                break
            pos += _GZIP_STEP
    except (binascii.Error, zlib.error):
        return False
    return len(head) >= 4 and _SERIALIZED_START.match(head) is None


def _raw_matches(raw: str, start: int) -> Iterator[re.Match[str]]:
    """``_RAW``'s matches from ``start`` on, each found through ``_RAW_PARTS`` (literal-first
    pieces): each piece's next match is kept until passed, so the pieces read the text once."""
    ahead = [-2] * len(_RAW_PARTS)  # per piece: its next match's start; -1: none; -2: not read
    pos = start
    while True:
        best = -1
        for i, (needle, rx) in enumerate(_RAW_PARTS):
            at = ahead[i]
            if -1 < at < pos or at == -2:
                m = rx.search(raw, pos) if needle in raw else None
                at = ahead[i] = m.start() if m is not None else -1
            if at >= 0 and (best < 0 or at < best):
                best = at
        if best < 0:
            return
        m = _RAW.match(raw, best) or _RAW.search(raw, best)
        if m is None:
            return
        yield m
        pos = m.end()


def detect_views(v: Views) -> Match | None:
    # A _LOW match holds one of NEEDLES; a _RAW match counts only when one is there too.
    raw = v.raw
    start = leftmost(raw, _RAW_PARTS)
    if start >= 0 and any_in(v.low, NEEDLES):
        # a gzip stream stands alone in its base64 run (\b), so the runs decoded do not overlap
        for stream in _raw_matches(raw, start):
            at = stream.start()
            if not (stream.group().startswith(_GZIP_BASE64) and _gzip_holds_no_object(raw, at)):
                return Match(at, stream.end(), "serialized object stream")
    if v.changed:
        # a binary stream written with escapes (``\\xac\\xed\\x00\\x05``), as decoding reads it
        m = match_at(_RAW, v.text, leftmost(v.text, _BINARY_PARTS))
        if m:
            return hit(v, m.start(), m.end(), "serialized object stream")
    m = _search_low(v.low)
    if m:
        return hit(v, m.start(), m.end(), "serialized object marker")
    return None


def detect(text: str) -> Match | None:
    """The first serialized-object marker in ``text``, or None."""
    return detect_views(views(text))


# Keys whose value names the class a polymorphic JSON parser instantiates: fastjson's
# ``@type``, Jackson's ``@class``, Json.NET's ``$type``, DataContractJsonSerializer's
# ``__type``. An event's JSON is inspected as its keys and its values apart, where neither shows
# the member; ``detect_type_value`` reads them together again.
TYPE_KEYS = ("@type", "@class", "$type", "__type")
TYPE_PATHS = tuple("." + key for key in TYPE_KEYS)  # how the path of such a value ends


def detect_type_value(key: str, value: str) -> Match | None:
    """``detect`` for the string ``value`` of the type key ``key``, read as the JSON member it
    stood in (``"@type":"java.lang.AutoCloseable"``); the match spans the whole value."""
    found = detect(f'"{key}":"{value}"')
    return None if found is None else Match(0, len(value), found.detail)

"""Detectors: one module per attack class, registered in ``DETECTORS``.

A detector module defines ``ID`` (a rule id of DESIGN.md), ``CWE`` and ``detect(text) -> Match |
None``: pure, linear in the length of the text, no I/O. Its docstring is its documentation: what
it catches, why, examples and references.

``scan`` normalizes a text once (``_normalize.views``: URL, HTML and JS decoding, Unicode
compatibility forms, case), rejects it at once when a single cheap prefilter finds none of the
characters or words any attack needs, and otherwise hands the shared views to every detector's
``detect_views``.
"""

from __future__ import annotations

import re
from types import ModuleType

from ..model import Match
from . import (
    cmdi,
    code_injection,
    crlf,
    deserialization,
    ldapi,
    log4shell,
    nosqli,
    path_traversal,
    proto_pollution,
    sqli,
    ssrf,
    ssti,
    xss,
    xxe,
)
from ._normalize import views

DETECTORS: tuple[ModuleType, ...] = (
    sqli,
    nosqli,
    cmdi,
    code_injection,
    path_traversal,
    xss,
    ssti,
    xxe,
    ssrf,
    ldapi,
    crlf,
    proto_pollution,
    deserialization,
    log4shell,
)

# The prefilter. Every attack the detectors recognise leaves one of these marks in the raw text,
# lower-cased (encodings need "%", "&", "\\" or non-ASCII characters, which are marks
# themselves, so a text without marks decodes to itself):
# 1. a character that prose hardly uses (one character class: the regex engine scans it in C);
# 2. punctuation that prose uses, but followed by what attacks put after it;
# 3. a command or SQL keyword at the very start;
# 4. a function call;
# 5. a word from ``_WORDS`` (a set lookup over the words of the text) or a few substrings.
# A test checks on the corpus that the prefilter drops no detection. Every alternative of
# ``_PUNCT`` starts with a literal character: then the regex engine looks for those characters
# in C and tries the alternatives only where one of them stands.
_RARE = re.compile(
    r"[<>|{}\\%^~\x00-\x07\x0b-\x1f\x7f-\xff\u2000-\u2bff\ue000-\uf8ff\uff00-\uffef]"
)
_SQL_AFTER_QUOTE = (
    r"(?:(?:or|and|xor|div|like|rlike|regexp|sounds|not|is)\b\s*(?:[^a-z\s]|[a-z_]\w*\s*"
    r"(?:[^a-z\s]|like\b|is\b|in\b|between\b|not\b|true\b|false\b|null\b|$)|true\b|false\b"
    r"|null\b|not\b|select\b|sleep\b|exists\b|$)"
    r"|(?:union|select|having|group|order|limit|procedure|into|where|waitfor|exec|declare"
    r"|insert|update|delete|drop|sleep|benchmark)\b)"
)
# Words that make a separator or a quote interesting: commands, SQL statements, JS keywords.
_AFTER_SEPARATOR = (
    rf"(?:{cmdi._STRONG}|{cmdi._WORD_NAMES}|return|delete|drop|select|insert|update|declare"
    r"|shutdown|waitfor|create|alter|truncate|begin|if|this|var|function|while|do|sudo|load)\b"
)
_PUNCT = re.compile(
    rf";\s*(?:$|[-#/(\\'\"0-9`$&|{{]|{_AFTER_SEPARATOR})"
    rf"|&\s*(?:&|#|[a-z]+;|$|[/\\`$]|{_AFTER_SEPARATOR})|\)\s?\("
    r"|#\s*$|#\s*\n|#(?:set|foreach|if|macro|parse|include|evaluate|define)\b|#\{"
    r"|\*\s*\)|\*/|/\*|@@|@\(|@\{|@[a-z_]+\s*[-+=,)]"
    r"|\$[({a-z_@*]|\[[\[#$]|=|\.\.(?:[/\\%;?:\x00-]|0x|2f|5c)|--\s*$|--[-+\w'\"(]|\)\s*--|:/|:\\|!![a-z]"
    r"|\?\?(?:[^\s?!.,a-z]|0x)|\?\.|\.\?|\(\s*select\b|\(\s*[|&!]"
    r"|/(?:etc|proc|var|usr|bin|sbin|dev|tmp|root|home|boot|sys|opt|windows|winnt|inetpub|log"
    r"|logs|config|wp-|web|admin|\.)"
    rf"|'\s*\)*\s*(?:[-+*/!%#;]|{_SQL_AFTER_QUOTE}|{cmdi._STRONG}\b)"
    rf"|\"\s*\)*\s*(?:[-+*/!%#;]|{_SQL_AFTER_QUOTE}|{cmdi._STRONG}\b)"
    rf"|`\s*\)*\s*(?:[-+*/!%#;/$(]|{_SQL_AFTER_QUOTE}|{_AFTER_SEPARATOR})"
    + "".join(
        rf"|{digit}\s*\)*\s*(?:or|and|xor|is|not|like|having|group|order|limit|procedure|into"
        rf"|union|select|div|for|rlike|regexp)\b|{digit}\s*\)*\s*(?:--|#)"
        for digit in "0123456789"
    )
    + r"|\n\s?(?:set-cookie|location|content-|x-|http/|refresh|host|c[a-z_]+\n)|\rc[a-z_]+\n"
)
_CALL = re.compile(r"[a-z0-9_]\(")
_LEAD = re.compile(
    r"\s*['\")]*\s*(?:which|whereis|sleep|timeout|ping|perl|python\d?|ruby|php|node|lua|nc|ncat"
    r"|bash|sh|zsh|echo|cat|type|more|less|head|tail|find|grep|kill|touch|cp|mv|net|set|exec"
    r"|eval|print|expr|who|w|last|file|strings|start|call|del|copy|ver|vol|cd|dir|host|mail"
    r"|sort|od|nl|tac|wc|tee|dd|vi|ex|su|sc|reg|route|arp|uniq|zip|tar|awk|gawk|sed|gcc|cc|ftp"
    r"|ssh|scp|tftp|id|ls|ps|env|pwd|cmd|rm|uptime|hostname|passwd|or|and|xor|having|where"
    r"|procedure|limit|select|case|order|group|union|[a-z]{2,12}\s+-[a-z])\b"
    r"|c(?:os|posix|nt|subprocess|__builtin__|builtins)\n"
)
_WORDS = frozenset(
    [
        "union",
        "select",
        "sleep",
        "waitfor",
        "benchmark",
        "having",
        "jndi",
        "localhost",
        "metadata",
        "uname",
        "netstat",
        "netsh",
        "whoami",
        "ifconfig",
        "ipconfig",
        "wget",
        "curl",
        "nslookup",
        "powershell",
        "systeminfo",
        "tasklist",
        "sysinfo",
        "javascript",
        "vbscript",
        "script",
        "expression",
        "xmlns",
        "datasrc",
        "datafld",
        "passwd",
        "shadow",
        "etc",
        "boot.ini",
        "win.ini",
        "unknown",
        "ro0ab",
        "aaeaaad",
        "gasv",
        "aced0005",
        "xinclude",
        "unparsed",
    ]
)
_SUBSTRINGS = (
    "union",
    "select",
    "outfile",
    "dumpfile",
    "top[",
    "self[",
    "alert`",
    "prompt`",
    "confirm`",
    "xp_",
    "sp_",
    "0x",
    "__",
    "proto",
    "jndi",
    "script",
    "li4v",
    "l2v0",
    "ly4u",
    "ro0ab",
    "h4sia",
    "data:",
    "etc/",
    "passwd",
    "!ruby",
    "!!",
)


def _suspect(low: str) -> bool:
    """One of the prefilter's marks is in the lower-cased raw text ``low``."""
    if _RARE.search(low) or _PUNCT.search(low) or _LEAD.match(low):
        return True
    if "(" in low and _CALL.search(low):
        return True
    if not _WORDS.isdisjoint(low.split()):
        return True
    return any(part in low for part in _SUBSTRINGS)


def scan(text: str) -> list[tuple[str, Match]]:
    """Every detector that fires on ``text``, with its match."""
    if not _suspect(text.lower()):
        return []
    v = views(text)
    hits: list[tuple[str, Match]] = []
    for detector in DETECTORS:
        match = detector.detect_views(v)
        if match is not None:
            hits.append((detector.ID, match))
    return hits

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
import unicodedata
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
from ._normalize import _CONFUSABLES, views

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
    r"[<>|\\%^~\x00-\x07\x0b-\x1f\x7f-\xbf\xc0\xc1\xe0\xf0\xf8\xfc\ue000-\uf8ff\uff00-\uffef]"
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
    rf"(?:(?:{cmdi._STRONG_ONLY}|return|delete|drop|select|insert|update|declare|shutdown"
    r"|waitfor|create|alter|truncate|begin|this|var|function|sudo|load|exec)\b"
    rf"|if\s*\(|do\s*\{{|while\s*\(|sleep\s*\(|{cmdi._ARGS})"
)
_PUNCT = re.compile(
    rf";\s*(?:$|[-#/(\\'\"0-9`$&|{{]|{_AFTER_SEPARATOR})"
    rf"|&\s*(?:&|#|lt;?\s*[a-z/!?%]|quot;|apos;|amp;(?:lt|#|quot)|$|[/\\`$]|{_AFTER_SEPARATOR})"
    r"|\)\(|\{[{%a-z]|\$\{|#\{|\*\{|@\{|:\{|\{\s*['\"]\$|\(\)\s*\{"
    r"|#\s*$|#\s*\n|#(?:set|foreach|if|macro|parse|include|evaluate|define)\b|#\{"
    r"|\*\s*\)|\*/|/\*|@@|@\(|@\{|@[a-z_]+\s*[-+=,)]"
    r"|\$[({a-z_@*]|\[[\[#$]|=|\.\.(?:[/\\%;?:\x00-]|0x|2f|5c)|--\s*$|--[-+\w'\"(]|\)\s*--|:/|:\\|!![a-z]"
    r"|\?\?(?:[^\s?!.,a-z]|0x)|\?\.|\.\?|\(\s*select\b|\(\s*[|&!]"
    r"|/(?:etc|proc|var|usr|bin|sbin|dev|tmp|root|home|boot|sys|opt|windows|winnt|inetpub|log"
    r"|logs|config|wp-|web|admin|\.)"
    rf"|'\s*\)*\s*(?:--|#|;|/\*|[=<>^/%|]|!=|{_SQL_AFTER_QUOTE}|{cmdi._STRONG}\b)"
    rf"|\"\s*\)*\s*(?:--|#|;|/\*|[=<>^/%|]|!=|{_SQL_AFTER_QUOTE}|{cmdi._STRONG}\b)"
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
    rf"\s*['\")]*\s*(?:which|whereis|sleep|timeout|ping|perl|python\d?|ruby|php|node|lua|nc|ncat"
    r"|bash|sh|zsh|echo|cat|type|more|less|head|tail|find|grep|kill|touch|cp|mv|net|set|exec"
    r"|eval|print|expr|who|w|last|file|strings|start|call|del|copy|ver|vol|cd|dir|host|mail"
    r"|sort|od|nl|tac|wc|tee|dd|vi|ex|su|sc|reg|route|arp|uniq|zip|tar|awk|gawk|sed|gcc|cc|ftp"
    r"|ssh|scp|tftp|id|ls|ps|env|pwd|cmd|rm|uptime|hostname|passwd|or|and|xor|having|where"
    rf"|procedure|limit|select|case|order|group|union|[a-z]{{2,12}}\s+[-/][a-z]+|{cmdi._STRONG_ONLY})\b"
    r"|[\w\s]{0,20}['\"`]\s?\)*\s?[-+*/|^&=<>!~%]"
    r"|c(?:os|posix|nt|subprocess|__builtin__|builtins)\n"
)
# Words that can carry an attack without any mark above; each is confirmed by a small regex so
# that prose using the word ("having fun", "the prototype") does not reach the detectors.
_WORD_CHECKS = (
    ("having", re.compile(r"having\s*\(")),
    ("sleep", re.compile(r"sleep\s*\(")),
    ("__", re.compile(r"__[a-z]\w*__")),
    ("proto", re.compile(r"__proto__|constructor.{0,8}prototype|\.\s?prototype\s?[.\[]")),
    ("script", re.compile(r"script\s*[:&\\%]")),
    ("union", re.compile(r"union\s*(?:all\s*)?select|union$")),
    ("select", re.compile(r"select\s*(?:[\w@*.,]+\s*){1,8}from\b|select\s+[\w.@]*[_@.(]")),
)
_SUBSTRINGS = (
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
    "jndi",
    "li4v",
    "l2v0",
    "ly4u",
    "ro0ab",
    "h4sia",
    "aaeaaad",
    "gasv",
    "aced0005",
    "data:",
    "etc/",
    "passwd",
    "shadow",
    "boot.ini",
    "win.ini",
    "!ruby",
    "localhost",
    "metadata",
    "xmlns",
    "datasrc",
    "datafld",
    "xinclude",
    "unparsed",
    "waitfor",
    "benchmark",
    "expression",
)


def _suspect(low: str) -> bool:
    """One of the prefilter's marks is in the lower-cased raw text ``low``."""
    if not low.isascii():
        if not unicodedata.is_normalized("NFKC", low):
            return True
        low = low.translate(_CONFUSABLES)
    if _RARE.search(low) or _PUNCT.search(low) or _LEAD.match(low):
        return True
    if "(" in low and _CALL.search(low):
        return True
    if any(word in low and check.search(low) for word, check in _WORD_CHECKS):
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

"""No input makes a detector raise: random text over the alphabet attacks are made of (quotes,
brackets, percent and entity escapes, overlong bytes, surrogates, controls) through ``scan`` and
every ``detect``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eventguard.runtime.detectors import all_detectors, scan
from eventguard.runtime.model import Match

DETECTORS = all_detectors()

PIECES = [
    "'",
    '"',
    "`",
    "<",
    ">",
    "/",
    "\\",
    "..",
    "%",
    "%2",
    "%25",
    "%c0%ae",
    "%u2215",
    "&#",
    "&#x3c;",
    "&lt;",
    "\\u00",
    "\\x3c",
    "${",
    "{{",
    "}}",
    "{%",
    "#{",
    "(",
    ")",
    "*)(",
    ";",
    "|",
    "&&",
    "$(",
    "--",
    "#",
    "/*",
    "*/",
    "=",
    " or ",
    " union select ",
    "http://",
    "[::",
    "0x7f",
    "\x00",
    "\r\n",
    "\ud800",
    "\xc0\xae",
    "\uff0e",
    "jndi:",
    "__proto__",
    "!!python/",
    "a:1:{",
    "etc/passwd",
    "script",
    "onload=",
    "\u560a",
    "ö",
    "1",
    "a",
    " ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_scan_never_raises_and_returns_matches(parts):
    hits = scan("".join(parts))
    assert all(isinstance(rule, str) and isinstance(m, Match) for rule, m in hits)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_every_detector_accepts_any_text(text):
    assert all(d.detect(text) is None or isinstance(d.detect(text), Match) for d in DETECTORS)

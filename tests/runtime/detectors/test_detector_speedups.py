"""The fast paths of the detectors agree with the plain definitions they replace.

Several detectors find their regexes' matches through literal-first pieces (a regex engine
skips in C to a literal; an alternation whose alternatives do not start with one is tried at
every position) and write needle tests out. These tests pin the pieces to the specification
regexes on crafted texts and random mixtures of the syntax they look for.
"""

from __future__ import annotations

import random
import re

import pytest

from eventguard.runtime.detectors import path_traversal
from eventguard.runtime.detectors._normalize import any_in, leftmost, match_at

_ALPHABET = [
    *"./\\?%:;'\"=(, \n\t\x00aceiklmnoprstwxyz0123456789_-",
    "..",
    "../",
    "/..",
    "etc",
    "etc/",
    "passwd",
    "boot.ini",
    "win.ini",
    "windows",
    "windows/",
    "system32",
    "issue",
    "win",
    "0x2e",
    "%2e",
    "%c0",
    "\xc0",
    "\xaf",
    "\u0304",
    "://",
    "php",
    "data:",
    "file:",
    "text/plain",
    "compress.zlib",
    "proc/self/",
    ".ht",
    ".env",
    "config.php",
    " /",
    "=c:/",
    "id_rsa",
    "access.log",
    "my.cnf",
    "sam ",
    "Li4v",
    "L2V0",
    "ly4u",
]


def _texts(seed: int, count: int = 3000) -> list[str]:
    rnd = random.Random(seed)
    return [
        "".join(rnd.choice(_ALPHABET) for _ in range(rnd.randrange(1, 24))) for _ in range(count)
    ]


@pytest.mark.parametrize("seed", range(4))
def test_path_traversal_pieces_find_what_the_regexes_find(seed):
    for text in _texts(seed):
        path = path_traversal.path_view(text.lower())
        for fast, slow in (
            (path_traversal._traversal(path), path_traversal._TRAVERSAL.search(path)),
            (
                match_at(
                    path_traversal._SENSITIVE,
                    path,
                    leftmost(path, path_traversal._SENSITIVE_PARTS),
                ),
                path_traversal._SENSITIVE.search(path),
            ),
            (path_traversal._sensitive_name(path), path_traversal._SENSITIVE_NAME.search(path)),
            (path_traversal._wrapper(path), path_traversal._WRAPPER.search(path)),
            (
                match_at(
                    path_traversal._MANGLED,
                    path,
                    leftmost(path, path_traversal._MANGLED_PARTS),
                ),
                path_traversal._MANGLED.search(path),
            ),
        ):
            assert (fast and fast.span()) == (slow and slow.span()), text
        if path_traversal._DEBRIS_TARGET.search(path):
            assert path_traversal._debris_target(path), text
        assert [m.span() for m in path_traversal._debris_targets(path)] == [
            m.span() for m in path_traversal._DEBRIS_TARGET.finditer(path)
        ], text
        assert path_traversal._has_needle(text) == any_in(text, path_traversal.NEEDLES)


def test_code_injection_pieces_find_what_the_regex_finds():
    from eventguard.runtime.detectors import code_injection

    alphabet = [
        *" (.'\"`$@{}_\téa0",
        "(",
        " (",
        "eval",
        "exec",
        "execfile",
        "system",
        "call_user_func",
        "call_user_func_array",
        "os.",
        "popen",
        "require",
        "constructor",
        "process.",
        "env",
        "new function",
        "function",
        "__class__",
        "__import__",
        "<?php",
        "<!--#exec",
        "${",
        "'id')",
        "x)",
        "base64",
        "runtime.getruntime()",
    ]
    rnd = random.Random(5)
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 12)))
        fast, slow = code_injection._search(text), code_injection._PATTERN.search(text)
        assert (fast and fast.span()) == (slow and slow.span()), text


def test_cmdi_searches_at_first_characters_find_what_a_search_finds():
    from eventguard.runtime.detectors import cmdi

    alphabet = [
        *" ;|&`$'\"()<>/\n-_.0123456789abcdeilmnoprstwx",
        "$(",
        "${",
        "&&",
        "||",
        "/dev/tcp/",
        "exec 5<>",
        "() { :;};",
        " whoami",
        " cat /etc/passwd",
        " id",
        " ls -la",
        " nc -e",
        "'sh'",
        '"bash -i"',
        " ping -c 3 x.y",
        "/usr/bin/",
        " sudo ",
        "; sudo  id",
        ";  \\id",
        "$( whoami)",
        "` id`",
        "w'h'o",
        'c"a"t',
        "it's",
        "prose words here ",
    ]
    rnd = random.Random(11)
    pieces = (
        (cmdi._SEPARATED, cmdi._SEPARATED_STARTS),
        (cmdi._SUBSTITUTION, cmdi._SUBSTITUTION_STARTS),
        (cmdi._REDIRECT, cmdi._REDIRECT_STARTS),
        (cmdi._QUOTED_TOOL, cmdi._QUOTED_TOOL_STARTS),
    )
    # the possessive spaces match what greedy ones match
    greedy = [
        (rx, re.compile(rx.pattern.replace(r"\s?+", r"\s?")))
        for rx in (cmdi._SEPARATED, cmdi._SUBSTITUTION)
    ]
    assert all(rx.pattern != plain.pattern for rx, plain in greedy)
    for _ in range(600):
        filler = "lorem ipsum dolor " * rnd.randrange(0, 60)
        text = filler + "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 40)))
        two_quotes = any(q in text and rx.search(text) for q, rx in cmdi._TWO_QUOTES_AFTER)
        assert two_quotes == bool(cmdi._TWO_QUOTES_IN_A_WORD.search(text)), text
        for rx, starts in pieces:
            fast, slow = cmdi._search(rx, starts, text), rx.search(text)
            assert (fast and fast.span()) == (slow and slow.span()), (rx.pattern[:20], text)
        for rx, plain in greedy:
            fast, slow = rx.search(text), plain.search(text)
            assert (fast and fast.span()) == (slow and slow.span()), (rx.pattern[:20], text)


def _random_texts(alphabet: list[str], seed: int, count: int, longest: int = 14) -> list[str]:
    rnd = random.Random(seed)
    return [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, longest)))
        for _ in range(count)
    ]


def test_xss_pieces_find_what_the_regexes_find():
    from eventguard.runtime.detectors import xss

    alphabet = [
        *" <>=\"'/;`(\t\n.:x",
        "on",
        "onerror",
        "onload =",
        "alert",
        "prompt(",
        "confirm`",
        "eval",
        "document.cookie",
        "window . name",
        "string.fromcharcode",
        "expression(",
        "behavior:",
        "location=",
        "top[",
        "self [",
        "xmlhttprequest",
        "fetch(",
        ".innerhtml=",
        "-moz-binding",
        "@import",
        "<svg",
        "</script",
        "<!--",
        "-->",
        "<![",
        "<?xml-",
        "xmlns=",
        "http://www.w3.org/2000/svg",
        "datasrc=",
        "javascript:",
        "vbscript:",
        "script:",
        "data:text/html",
        "data: image/svg",
        "é",
    ]
    for text in _random_texts(alphabet, 21, 20000):
        for fast, slow in (
            (xss._sink(text), xss._SINK),
            (match_at(xss._ALERT, text, leftmost(text, xss._ALERT_PARTS)), xss._ALERT),
            (
                match_at(xss._MARKUP, text, leftmost(text, xss._MARKUP_PARTS)),
                xss._MARKUP,
            ),
        ):
            m = slow.search(text)
            assert (fast and fast.span()) == (m and m.span()), (slow.pattern[:20], text)
        m = xss._HANDLER.search(text)
        on = xss._HANDLER_ON.search(text)
        assert (on and (max(0, on.start() - 1), on.end())) == (m and m.span()), text
        assert bool(xss._SCHEME_SCRIPT.search(text) or xss._SCHEME_DATA.search(text)) == bool(
            xss._SCHEME.search(text)
        ), text


def test_ssti_and_deserialization_pieces_find_what_the_regexes_find():
    from eventguard.runtime.detectors import deserialization, ssti

    alphabet = [
        *" {}%$#*@[]()<>?'\":;\n_.0123456789aoc",
        "{{",
        "}}",
        "{%",
        "%}",
        "${",
        "#{",
        "<#assign",
        "<%=",
        "%>",
        "[[",
        "]]",
        "?new(",
        "freemarker.template.",
        "__${",
        "#set(",
        "$class.",
        "config",
        "7*7",
        "x.y",
        "!!python/",
        "!ruby/",
        "tag:yaml.org,2002:python/",
        "aced0005",
        "_$$nd_func$$_",
        '"$type"',
        '__type"',
        "cos\nsystem",
        "\ncos\nx\n",
        "(s'x'\ntr.",
        "pickle.load(",
        "yaml.load(",
        "o:4:",
        'o:1:"x":1:{',
        "a:2:{",
        "s:",
        "é",
    ]
    for text in _random_texts(alphabet, 31, 20000):
        fast, slow = ssti._search(text), ssti._PATTERN.search(text)
        assert (fast and fast.span()) == (slow and slow.span()), text
        fast, slow = deserialization._search_low(text), deserialization._LOW.search(text)
        assert (fast and fast.span()) == (slow and slow.span()), text


def test_deserialization_groups_hold_each_piece_once():
    from eventguard.runtime.detectors import deserialization

    grouped = [part for gate, parts in deserialization._LOW_GROUPS for part in parts]
    assert sorted(map(id, grouped)) == sorted(map(id, deserialization._LOW_LITERAL))
    assert all(gate in needle for gate, parts in deserialization._LOW_GROUPS for needle, _ in parts)


@pytest.mark.parametrize("seed", range(3))
def test_look_alikes_are_replaced_as_translate_replaces_them(seed):
    """``_unconfuse`` (one ``str.replace`` per look-alike present) is ``str.translate`` with
    the look-alike table: deletions, repeats, neighbours and text around them included."""
    from eventguard.runtime.detectors import _normalize

    table = _normalize._CONFUSABLES
    alphabet = [chr(c) for c in table] + [*"ab '\"/.\\", "é", "\u2216x", "日本"]
    rnd = random.Random(seed)
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(40)))
        assert _normalize._unconfuse(text) == text.translate(table), repr(text)
    assert _normalize._unconfuse("don\u2019t\u200b stop") == "don't stop"


def test_ipv4_shortcut_for_dns_names_changes_no_answer(monkeypatch):
    """``ssrf.ipv4`` answers at once for a host with a letter no radix uses (a DNS name); with
    the shortcut disabled it gives the same answer on random mixtures of every notation."""
    from eventguard.runtime.detectors import ssrf

    alphabet = [*"0123456789abcdefxoXO.-_wgz ", "0x", "0o", "127", "169", "254", "0177", "é"]
    rnd = random.Random(11)
    hosts = [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 12))) for _ in range(5000)
    ]
    fast = [ssrf.ipv4(h) for h in hosts]
    monkeypatch.setattr(ssrf, "_NOT_IPV4", re.compile("(?!)"))
    assert [ssrf.ipv4(h) for h in hosts] == fast
    assert sum(ip is not None for ip in fast) > 100  # the mixtures do reach addresses


@pytest.mark.parametrize("seed", range(3))
def test_unchanged_ends_are_the_common_prefix_and_suffix(seed):
    from eventguard.runtime.detectors import _unchanged_ends

    rnd = random.Random(seed)
    for _ in range(2000):
        a = "".join(rnd.choice("ab'&") for _ in range(rnd.randrange(0, 12)))
        b = "".join(rnd.choice("ab'&") for _ in range(rnd.randrange(0, 12)))
        head, tail = _unchanged_ends(a, b)
        n = min(len(a), len(b))
        want_head = next((i for i in range(n) if a[i] != b[i]), n)
        rest = n - want_head
        want_tail = next((i for i in range(rest) if a[-1 - i] != b[-1 - i]), rest)
        assert (head, tail) == (want_head, want_tail), (a, b)


_CONTROLISH = ["a", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x7f", "\x00", "\x01", "\x1f", "é"]


@pytest.mark.parametrize("seed", range(3))
def test_control_test_answers_as_the_control_class(seed):
    from eventguard.runtime.detectors import _routes

    rnd = random.Random(seed)
    for _ in range(3000):
        text = "".join(rnd.choice(_CONTROLISH) for _ in range(rnd.randrange(0, 10)))
        assert _routes._has_controls(text) == (_routes._CONTROL.search(text) is not None)


_OTHER_FIRSTS = ["\n", "\t", "\r", "\x00", "\x7f", "\xbc", "\x80", "\xac\xed\x00\x05", "\x04\x08"]
_OTHER_TEXT = [*_OTHER_FIRSTS, "etc", "windows", "script>", "x-a: b", "cat /etc/passwd", " ", "a"]


@pytest.mark.parametrize("seed", range(3))
def test_marks_of_present_first_characters_are_the_group_marks(seed):
    """``_Group.present`` narrows a group's regex to the first characters a text holds: the
    marks it finds are those of the whole group."""
    from eventguard.runtime.detectors import _routes

    group = _routes._ALL.plain_other
    rnd = random.Random(seed)
    for _ in range(1500):
        text = "".join(rnd.choice(_OTHER_TEXT) for _ in range(rnd.randrange(0, 10)))
        narrowed = group.present(text)
        want = list(group.scan(text, 1 << 30))
        got = [] if narrowed is None else list(group.scan(text, 1 << 30, any_mark=narrowed))
        assert got == want, text
        found: set[str] = set()
        if narrowed is not None and (first := narrowed.search(text)) is not None:
            group.rules_in(text, found, first, narrowed)
        assert found == {rule for _, rule in want}, text

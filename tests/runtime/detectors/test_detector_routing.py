"""Routing by marks loses nothing: a detector that fires on a text on its own also fires under
``scan``, for short texts (routing) and long ones (windows around marks)."""

from __future__ import annotations

import json
import random
import re
import re._constants as sre_constants
import re._parser as sre_parse
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventguard.runtime.detectors import LONG, _normalize, _routes, all_detectors, scan
from eventguard.runtime.model import Match

DETECTORS = all_detectors()

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "corpus_sample.jsonl"
ROWS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
ATTACKS = [r["payload"] for r in ROWS if r["class"] != "benign"]
BENIGN = [r["payload"] for r in ROWS if r["class"] == "benign"]


def _alone(text: str) -> set[str]:
    views = _normalize.make(text)
    return {d.ID for d in DETECTORS if d.detect_views(views) is not None}


def _rules(text: str) -> set[str]:
    return {rule for rule, _ in scan(text)}


def test_marks_table_names_every_detector_and_nothing_else():
    assert sorted(_routes.MARKS) == sorted(d.ID for d in DETECTORS)
    assert set(_routes.HEAD_MARKS) <= set(_routes.MARKS)
    assert set(_routes.WIDE_MARKS) <= set(_routes.MARKS)


def _patterns() -> list[str]:
    out = []
    for marks in _routes.MARKS.values():
        for mark in marks:
            if isinstance(mark, str):
                out.append(mark)
            elif isinstance(mark, _routes.Gate):
                out.append(mark.pattern)
    return out


@pytest.mark.parametrize("pattern", _patterns())
def test_every_mark_starts_with_a_literal(pattern):
    """What makes the one mark regex fast: its first characters form a set the regex engine
    scans for in C."""
    first = sre_parse.parse(pattern).data[0][0]
    assert first is sre_constants.LITERAL, pattern


def test_plain_marks_start_with_no_letter():
    """A plain mark starting with a letter would be tried at almost every position."""
    for marks in _routes.MARKS.values():
        for mark in marks:
            if isinstance(mark, str):
                assert not mark[0].isalpha(), mark
            elif isinstance(mark, _routes.Gate):
                assert mark.needle and mark.pattern, mark


def _back_patterns() -> list[str]:
    return [m.pattern for ms in _routes.MARKS.values() for m in ms if isinstance(m, _routes.Back)]


@pytest.mark.parametrize("pattern", _back_patterns())
def test_back_marks_start_reversed_with_their_punctuation(pattern):
    """A Back mark is searched reversed: each reversed regex starts with one punctuation
    literal, which the regex engine finds in C."""
    for rev in _routes._back_marks(pattern):
        first = sre_parse.parse(rev).data[0]
        assert first[0] is sre_constants.LITERAL and not chr(first[1]).isalnum(), rev


def test_back_marks_do_not_end_where_ordinary_text_stops_often():
    """A Back mark is searched from every place of its last character: a quote, a bracket or
    a sentence's punctuation would stop the search through every JSON document and sentence."""
    assert not set(_routes._ALL.back._by_char) & set("\"'()[],.:; \n")


_BACK_PIECES = [" ", "  ", "\t", "(", ")", "-", "+", "!", "=", "<", ">", "<>", "1", "42", "a"]
_BACK_PIECES += ["and", "or", "xor", "on", "load", "error", "location", "exec", "x"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_BACK_PIECES), max_size=12).map("".join))
def test_back_marks_find_what_their_regexes_find(text):
    """A Back mark found backwards in the reversed text is found where its regex finds it."""
    rev = text[::-1]
    for pattern in _back_patterns():
        forward = {m.end() - 1 for m in _all_matches(pattern, text)}
        backward = {
            len(text) - 1 - m.start()
            for r in _routes._back_marks(pattern)
            for m in _all_matches(r, rev)
        }
        assert forward == backward, (pattern, text)


def _all_matches(pattern: str, text: str) -> list[re.Match[str]]:
    """A match of ``pattern`` at each position where one starts (overlapping ones too)."""
    rx = re.compile(pattern)
    return [m for i in range(len(text)) if (m := rx.match(text, i)) is not None]


@pytest.mark.parametrize(
    "pattern",
    [r"ab*c", r"(?:ab|c)+d", r"a[\s\d]{2,3}\\.x?", r"(a|bc)(?:d|ef)*g", r"[^a]b\bc"],
)
def test_reversed_regex_matches_the_reversed_strings(pattern):
    rng = random.Random(pattern)
    forward, backward = re.compile(pattern), re.compile(_routes.reverse(pattern))
    for _ in range(3000):
        text = "".join(rng.choice("abcdefgx .12") for _ in range(rng.randrange(0, 8)))
        assert bool(forward.fullmatch(text)) == bool(backward.fullmatch(text[::-1])), text


def test_reverse_refuses_anchors_and_look_arounds():
    for pattern in ["^a", "a$", "(?=a)b", "a(?<!b)", r"\Aa"]:
        with pytest.raises(ValueError):
            _routes.reverse(pattern)
    with pytest.raises(ValueError):
        _routes._back_marks("ends with a letter")


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["class"])
def test_routing_drops_no_detection_on_the_corpus(row):
    text = row["payload"]
    assert _alone(text) <= _rules(text)


PIECES = [
    *"'\"`<>/\\%&#(){}[];|$*=!?@:.-_ \n\t\r",
    "..",
    "%2e",
    "%c0%ae",
    "&#x3c;",
    "&lt;",
    "\\u003c",
    "\\n",
    "${",
    "{{",
    "{%",
    "#{",
    "*)(",
    "&&",
    "||",
    "$(",
    "--",
    "/*",
    "*/",
    " or ",
    " and ",
    "1",
    "0x",
    " union ",
    " select ",
    " from ",
    "sleep(",
    "http://",
    "127.0.0.1",
    "[::1]",
    "localhost",
    "jndi:ldap:",
    "__proto__",
    "prototype",
    "!!python/",
    "a:1:{",
    "etc/passwd",
    "windows",
    "script",
    "javascript:",
    "onload=",
    "alert(",
    "<script>",
    "<!entity",
    "system(",
    "eval(",
    "os.system",
    "cat ",
    "whoami",
    "ls",
    "$ifs",
    "w'h'o",
    "\x00",
    "\x01",
    "\u560a",
    "ö",
    "à",
    "°",
    "a",
    "x",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_routing_drops_no_detection_on_random_text(parts):
    text = "".join(parts)
    assert _alone(text) <= _rules(text)


def _filler(size: int, seed: int) -> str:
    """Benign text of about ``size`` characters: corpus lines without quotes or findings."""
    lines = [b for b in BENIGN if not re.search("['\"`]", b) and not scan(b) and "\n" not in b]
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        line = rng.choice(lines)
        out.append(line)
        total += len(line) + 1
    return " ".join(out)[:size]


def _embed(filler: str, attack: str, rng: random.Random) -> tuple[str, int]:
    cut = filler.rfind(" ", 0, rng.randrange(len(filler)))
    cut = max(cut, 0)
    return filler[:cut] + " " + attack + " " + filler[cut:], cut + 1


def _expected(attack: str) -> set[str]:
    """What scan finds in the attack standing in the middle of a text: words around it, so a
    shape anchored at the start or the end of a text does not count."""
    return _rules("ok " + attack + " ok")


@pytest.mark.parametrize("size", [4096, 1 << 16])
def test_attacks_inside_long_benign_text_are_found(size):
    filler = _filler(size, seed=size)
    assert len(filler) > LONG and scan(filler) == []
    rng = random.Random(size)
    attacks = ATTACKS if size <= 4096 else rng.sample(ATTACKS, 60)
    missed = []
    for attack in attacks:
        text, _ = _embed(filler, attack, rng)
        hits = scan(text)
        if not _expected(attack) <= {rule for rule, _ in hits}:
            missed.append(attack)
        for _, m in hits:
            assert 0 <= m.start <= m.end <= len(text)
    assert missed == []


def test_attacks_inside_one_megabyte_are_found():
    filler = _filler(1 << 20, seed=7)
    rng = random.Random(7)
    missed = []
    for attack in rng.sample(ATTACKS, 8):
        text, _ = _embed(filler, attack, rng)
        if not _expected(attack) <= _rules(text):
            missed.append(attack)
    assert missed == []


def test_windowed_matches_point_at_the_attack():
    filler = _filler(8192, seed=3)
    attack = "x' or 1=1-- <script>alert(1)</script> ../../etc/passwd"
    text, at = _embed(filler, attack, random.Random(3))
    hits = dict(scan(text))
    assert {"sqli", "xss", "path_traversal"} <= set(hits)
    for m in hits.values():
        assert isinstance(m, Match) and at <= m.start < at + len(attack)


def test_long_encoded_text_is_read_in_decoded_windows():
    filler = _filler(8192, seed=5).replace(" ", "%20", 50)
    text, _ = _embed(filler, "%3Cscript%3Ealert(1)%3C/script%3E", random.Random(5))
    hits = dict(scan(text))
    assert "xss" in hits and hits["xss"].start == 0


@pytest.mark.parametrize("size", [4096, 1 << 16, 1 << 20])
def test_long_benign_text_has_no_findings(size):
    assert scan(_filler(size, seed=size + 1)) == []


def test_window_edges_are_not_the_start_of_the_text():
    """A command line is one only at the start of a value: in the middle of a long text, a
    window that begins there must not read it as the start."""
    filler = _filler(8192, seed=11)
    text = filler[:5000] + " cat /etc/hosts " + filler[5000:]
    assert "cmdi" not in _rules(text) or "cmdi" in _alone(text)


# Near-miss units of the marks themselves (runs of digits, dots, line breaks, control
# characters, parentheses, comment openers): a mark regex that backtracks over such a run, or
# a scan that reads it once per mark, costs minutes on a megabyte.
SCAN_UNITS = ["1", "..", "\n", "\x08", "(", "a(", "--\n", "' ", "{{", "<a ", "\\", "$a", "&&1"]
_PLAIN = re.compile(r"\bzq\w*\d")


@pytest.mark.parametrize("unit", SCAN_UNITS)
def test_scan_is_linear_on_one_megabyte(unit):
    text = (unit * ((1 << 20) // len(unit) + 1))[: 1 << 20]
    start = time.perf_counter()
    _PLAIN.search(text)
    plain = time.perf_counter() - start
    start = time.perf_counter()
    scan((" " + text)[1:])
    spent = time.perf_counter() - start
    assert spent < 1000 * plain + 5, f"{spent:.2f}s vs plain scan {plain:.3f}s"


def test_a_group_without_marks_finds_nothing():
    """A mark set whose plain marks all start with printable characters has an empty group of
    the others: it must match nowhere (an empty pattern would match everywhere)."""
    empty = _routes._Group([])
    assert empty.any.search("any text\x00\n") is None
    assert list(empty.scan("any text", 10)) == []
    # sqli's marks all start with a printable character: its other group is such a group
    assert not _routes._SQLI.plain_other._by_char
    assert _routes._SQLI.plain_other.any.search("1' or 1=1--\x01\n") is None


_CALL = re.compile(r"([\w.]+)\s*+\(")
CALL_PIECES = ["(", " ", "\t", "\n", "\u3000", "eval", "sleep", "a", ".", "_", "é", "1", ")"]
CALL_PIECES += ["alert", "os.system", "call_user_func", "x" * 70]


@settings(max_examples=800, deadline=None)
@given(
    st.lists(
        st.sampled_from(CALL_PIECES),
        max_size=14,
    ).map("".join)
)
def test_calls_are_found_from_each_parenthesis(text):
    """``calls_in`` walks back from each ``(``: it finds what a regex for ``name\\s*(`` finds
    (a name of at most 64 characters, read back from the parenthesis)."""
    expected = []
    for m in _CALL.finditer(text):
        end = m.end(1)
        name = re.search(r"[\w.]+$", text[max(0, end - 64) : end]).group(0)
        for rule, names in _routes._ALL.calls:
            if name.endswith(names) or (rule == "code_injection" and "call_user" in name):
                expected.append((end - len(name), rule))
    assert list(_routes._ALL.calls_in(text, 1 << 30)) == expected


# Pieces that decoding shortens or lengthens (an entity, an escape, NFKC's ellipsis and
# ligature) or that path_view rewrites (a stray lead byte): a long text holding them is read
# block by block, and a mark's place is mapped back to the raw text.
_CHANGERS = ["&#39;", "&amp;", "&lt;3", "%20", "\u2026", "\ufb01", "ü", "\\n"]


def _changed_filler(size: int, seed: int) -> str:
    rng = random.Random(seed)
    words = _filler(size, seed).split(" ")
    for _ in range(len(words) // 40):
        words.insert(rng.randrange(len(words)), rng.choice(_CHANGERS))
    return " ".join(words)[:size]


@pytest.mark.parametrize("size", [4096, 1 << 14])
def test_attacks_inside_long_text_that_decoding_changes_are_found(size):
    filler = _changed_filler(size, seed=size)
    assert len(_normalize.make(filler).low) != len(filler) and scan(filler) == []
    rng = random.Random(size)
    missed = []
    for attack in rng.sample(ATTACKS, 150):
        text, _ = _embed(filler, attack, rng)
        if not _expected(attack) <= _rules(text):
            missed.append(attack)
    assert missed == []


def test_matches_far_from_a_change_point_at_the_attack():
    """A block whose decoding changes its length maps the marks before its first change and
    after its last to where they stand, so a window around them is exact."""
    filler = _filler(8192, seed=13)
    # the change and the attack in the first block, farther apart than a window reaches
    text = "caf&eacute; " + filler[:600] + " x' or 1=1-- " + filler[600:] + " na\u00efve&#39;s"
    at = text.index("x' or")
    hits = dict(scan(text))
    assert "sqli" in hits and at <= hits["sqli"].start < at + 12


def _as_written(group: Any) -> re.Pattern[str]:
    """The regex of a group's marks joined as written, one branch per first character."""
    return re.compile(
        "|".join(
            re.escape(c)
            + _routes._GUARDS.get(c, "")
            + "(?:"
            + "|".join(_routes._rest(p) for ps in rules.values() for p in ps)
            + ")"
            for c, rules in group._by_char.items()
        ),
        re.MULTILINE,
    )


def _starts(rx: re.Pattern[str], text: str) -> list[int]:
    return [pos for pos in range(len(text)) if rx.match(text, pos)]


_FRAGMENTS = [
    "os.system",
    "os.path",
    "process.env",
    "subprocess.",
    "php://",
    "file:/",
    "http:\\\\",
    "etc0x",
    "aced0005",
    "ro0ab",
    "a:1:{",
    'o:4:"',
    "mysql.user",
    "utl_http.",
    "pg_shadow",
    "global.process",
    "this.",
    "db.x",
    "windows.data.",
    "java.lang.",
    "1 or 1",
    "../",
    ".env",
    " ",
    ".",
    ":",
    "_",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=4)), max_size=8))
def test_the_rewritten_marks_match_where_the_written_ones_do(parts):
    """``_alternatives`` reorders look-behinds (merged behind a guard, or moved after the
    literal they precede): the union must match at exactly the places the marks as written
    do, for the plain group, the Back group and every gate."""
    text = "".join(parts).lower()
    groups = [_routes._ALL.plain, _routes._ALL.back]
    groups += [g for _, g in (*_routes._ALL.char_gates, *_routes._ALL.word_gates)]
    for group in groups:
        assert _starts(group.any, text) == _starts(_as_written(group), text)


def test_the_rewritten_marks_match_the_corpus_where_the_written_ones_do():
    rewritten, written = _routes._ALL.plain.any, _as_written(_routes._ALL.plain)
    for row in ROWS[:400]:
        low = row["payload"].lower()[:400]
        assert _starts(rewritten, low) == _starts(written, low), low


def test_a_look_behind_before_a_literal_moves_after_it():
    assert _routes._alternatives([r"(?:(?<=etc0))x"]) == r"x(?:(?<=etc0x))"
    words = _routes._alternatives([r"(?:(?<=os\.))(?:system|popen)"])
    assert words == r"s(?:(?<=os\.s))ystem|p(?:(?<=os\.p))open"
    # before a repeat or a class it stays, behind the guard of the merged look-behinds
    kept = _routes._alternatives([r"(?:(?<=a:))\+?\d", r"(?:(?<=ab:))\s?/"])
    assert kept.startswith(r"(?:(?<=a:)|(?<=ab:))(?:")

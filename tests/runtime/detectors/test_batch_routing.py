"""Batch routing (``scan_many``) says what ``scan`` says of each text: joining simple texts with
line breaks and looking for marks once over the whole loses no text that has a mark."""

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

from eventguard.runtime.detectors import LONG, _batch, _routes, scan, scan_many

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "corpus_sample.jsonl"
ROWS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
TEXTS = [r["payload"] for r in ROWS]


def _one_by_one(texts: list[str]) -> dict[int, Any]:
    return {i: hits for i, text in enumerate(texts) if (hits := scan(text))}


def test_corpus_in_batches_as_one_by_one():
    rng = random.Random(3)
    texts = TEXTS[:]
    rng.shuffle(texts)
    for size in (1, 2, 7, 16, 64):
        for start in range(0, len(texts), size):
            batch = texts[start : start + size]
            assert scan_many(batch) == _one_by_one(batch), batch


def test_pieces_of_the_corpus_cut_anywhere_as_one_by_one():
    """Texts that end (and start) at any character: where a mark needs the end of its text."""
    rng = random.Random(5)
    for _ in range(1500):
        batch = []
        for text in rng.sample(TEXTS, rng.randint(1, 12)):
            a = rng.randrange(len(text) + 1)
            batch.append(text[a : a + rng.randint(0, 48)] if rng.random() < 0.7 else text)
        assert scan_many(batch) == _one_by_one(batch), batch


# Texts whose mark needs the end of the text, or the start, or both.
EDGES = [
    "x'--",
    "1' #",
    "admin'#",
    "'or 1=1--",
    "<",
    " <a",
    "a<",
    "::1/",
    "[::]/",
    "or 1=1",
    "1 or 2",
    "limit 5",
    "cat /etc/passwd",
    "/bin/sh",
    "'hostname",
    "hostname;",
    "sleep 5",
    "${jndi:ldap://x/a}",
    "$ifs",
    "1)or(1",
]


@pytest.mark.parametrize("edge", EDGES)
@pytest.mark.parametrize("position", ["alone", "first", "middle", "last"])
def test_marks_at_the_edges_of_a_text(edge, position):
    before = {"alone": [], "first": [], "middle": ["plain words", "2"], "last": ["a", "b c"]}
    after = {"alone": [], "first": ["next one", "x"], "middle": ["(", "more"], "last": []}
    batch = [*before[position], edge, *after[position]]
    assert scan_many(batch) == _one_by_one(batch)
    assert scan_many(batch).keys() >= ({len(before[position])} if scan(edge) else set())


PIECES = [
    *"'\"`<>/%&#(){}[];|$*=!?@:.-_ \n\t\r\\",
    "--",
    "/*",
    " or ",
    "1",
    "::",
    "http://",
    "localhost",
    "select ",
    "union ",
    "cat ",
    "whoami",
    "sleep(",
    "${",
    "{{",
    "onload=",
    "<script>",
    "__proto__",
    "a",
    "ö",
    "\x00",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), max_size=10))
def test_random_batches_as_one_by_one(batch):
    assert scan_many(batch) == _one_by_one(batch)


def test_long_and_encoded_texts_go_one_by_one():
    long = "word " * (LONG // 5 + 1)
    assert not _batch.simple(long, LONG)
    for text in ("a%27b", "a&lt;", "a\\x27", "line\nbreak", "tab\there", "é"):
        assert not _batch.simple(text, LONG), text
    assert _batch.simple("plain text, 42 words.", LONG)
    assert _batch.routed(["ok", "a%27b", "fine", "é"], LONG) == [1, 3]


def _walk(items: Any, inside: str | None = None) -> list[tuple[str, Any]]:
    """(construct, op) for every op under a possessive repeat, an atomic group or a negative
    look-around, and every ``\\A``/``\\Z``/``^``/``$`` anchor."""
    found = []
    for op, av in items:
        if op is sre_constants.AT:
            found.append(("anchor", av))
        if inside is not None:
            found.append((inside, (op, av)))
        kind = inside
        if op is sre_constants.POSSESSIVE_REPEAT or op is sre_constants.ATOMIC_GROUP:
            kind = "possessive"
        elif op is sre_constants.ASSERT_NOT:
            kind = "negative"
        for sub in av if isinstance(av, (list, tuple)) else ():
            if isinstance(sub, sre_parse.SubPattern):
                found.extend(_walk(sub.data, kind))
            elif isinstance(sub, list):
                for alt in sub:
                    if isinstance(alt, sre_parse.SubPattern):
                        found.extend(_walk(alt.data, kind))
    return found


def _matches_newline(op: Any, av: Any) -> bool:
    if op is sre_constants.NOT_LITERAL:
        return av != ord("\n")
    if op is sre_constants.ANY:
        return False  # "." is no line break without DOTALL
    if op is sre_constants.IN:
        negate = any(o is sre_constants.NEGATE for o, _ in av)
        has = any(
            (o is sre_constants.LITERAL and a == ord("\n"))
            or (o is sre_constants.RANGE and a[0] <= ord("\n") <= a[1])
            or (
                o is sre_constants.CATEGORY
                and a
                in (
                    sre_constants.CATEGORY_SPACE,
                    sre_constants.CATEGORY_NOT_DIGIT,
                    sre_constants.CATEGORY_NOT_WORD,
                )
            )
            for o, a in av
        )
        return has != negate
    return op is sre_constants.LITERAL and av == ord("\n")


def test_no_plain_mark_reads_a_line_break_where_the_text_ends():
    """The argument of ``_batch``: in the plain marks that a simple text can start, nothing under
    a possessive repeat, an atomic group or a negative look-around can match a line break, and
    the only anchors are ``$`` (MULTILINE: the end of each text) and word boundaries."""
    for rules in _routes._ALL.plain._by_char.values():
        for patterns in rules.values():
            for pattern in patterns:
                if pattern[0] not in _routes._PRINTABLE_FIRST:
                    continue
                for kind, item in _walk(sre_parse.parse(pattern).data):
                    if kind == "anchor":
                        assert item in (
                            sre_constants.AT_END,
                            sre_constants.AT_BOUNDARY,
                            sre_constants.AT_NON_BOUNDARY,
                        ), pattern
                    else:
                        assert not _matches_newline(*item), (pattern, kind, item)


def _ops(items: Any) -> list[tuple[Any, Any]]:
    """Every op of a parsed pattern, nested ones included."""
    out = []
    for op, av in items:
        out.append((op, av))
        for sub in av if isinstance(av, (list, tuple)) else ():
            if isinstance(sub, sre_parse.SubPattern):
                out.extend(_ops(sub.data))
            elif isinstance(sub, list):
                for alt in sub:
                    if isinstance(alt, sre_parse.SubPattern):
                        out.extend(_ops(alt.data))
    return out


def test_head_marks_of_a_batch_match_no_line_break():
    """The argument of ``_batch`` for head marks: tried at the start of every text, each stays
    within its text, so it sees what it sees of the text alone, and in linear time."""
    _, heads = _batch._regexes()
    assert heads.pattern.startswith(_batch.SEP)  # the line break a text starts after
    assert not [
        item for item in _ops(sre_parse.parse(heads.pattern[1:]).data) if _matches_newline(*item)
    ]
    assert _matches_newline(*sre_parse.parse(r"[\s)]").data[0])  # the check can fail
    assert not _matches_newline(*sre_parse.parse(_batch._one_line(r"[^=<>\s]")).data[0])


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        (r"[\w\s]*+'", ["ab cd'", "abc", "'"]),
        (r"\s*+(?:<\S?|\S<)\s*$", ["<", " <a ", "a<", "<ab", "x"]),
        (r"x[^=<>]*+[=<>]", ["x a=", "xa", "x<"]),
        (r"(?=[\s\S]*--\s*$)\d", ["1 --", "1 -- ", "1--x"]),
    ],
)
def test_one_line_matches_as_the_pattern_on_simple_texts(pattern, texts):
    one = re.compile(_batch._one_line(pattern))
    for text in texts:
        assert bool(one.match(text)) == bool(re.match(pattern, text)), text
        assert not one.match("\n" + text)


_PLAIN = re.compile(r"\bzq\w*\d")
# Texts of a batch that would make a mark read on through the texts after it, at every start:
# repeats of spaces and word characters at the head, a look-ahead to the end, a long number.
HOSTILE = ["where a b c d e f ", "1 a b c d e f ", "abc def ghi ", "' ", "1" * 16 + " "]


@pytest.mark.parametrize("unit", HOSTILE)
def test_batch_is_linear_on_many_long_texts(unit):
    """256 texts of 2 KB (half a megabyte) routed together stay within a fixed multiple of a
    plain regex pass over the same bytes, as one text of that size does."""
    text = (unit * (LONG // len(unit) + 1))[:LONG]
    batch = [text] * 256
    joined = _batch.SEP.join(batch)
    start = time.perf_counter()
    _batch.routed(batch, LONG)
    spent = time.perf_counter() - start
    plain = min(_seconds(_PLAIN.search, joined) for _ in range(2))
    assert spent < 200 * plain, f"{spent:.2f}s vs plain scan {plain:.3f}s"


def _seconds(func: Any, text: str) -> float:
    start = time.perf_counter()
    func(text)
    return time.perf_counter() - start


def _needs_other(pattern: str) -> bool:
    """Every match of ``pattern`` holds a character outside ``NAME_CHARS``: some part of it
    that must match (not optional, not a look-around) matches only such characters, read from
    the parse tree of the ``re`` module."""
    c = sre_constants
    names = frozenset(map(ord, _batch.NAME_CHARS))

    def chars_other(items: Any) -> bool:
        for op, arg in items:
            if op is c.LITERAL:
                if arg in names:
                    return False
            elif op is c.RANGE:
                if any(arg[0] <= n <= arg[1] for n in names):
                    return False
            elif not (op is c.CATEGORY and arg is c.CATEGORY_SPACE):
                return False  # NEGATE, another category (\w, \d, \S)
        return True

    def needs(seq: Any) -> bool:
        repeats = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
        for op, arg in seq:
            if (
                (op is c.LITERAL and arg not in names)
                or (op is c.IN and chars_other(arg))
                or (op is c.BRANCH and all(needs(alt) for alt in arg[1]))
                or (op is c.SUBPATTERN and needs(arg[3]))
                or (op is c.ATOMIC_GROUP and needs(arg))
                or (op in repeats and arg[0] >= 1 and needs(arg[2]))
            ):
                return True
        return False

    return needs(sre_parse.parse(pattern))


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\s*+@", False),  # "@" is a name's
        (r"\s*+limit\s++\d", True),  # a space
        (r"[\w.]*['\"]", True),  # a quote, after any run of name characters
        (r"(?:or|&&)\s", True),
        (r"(?:or|and)", False),
        (r"x(?=\s)", False),  # a look-ahead proves nothing here
        (r"x[^=]", False),  # a negated class can be a name character
        (r"\)?y", False),  # optional
        (r"(?:a|b)\)++", True),
        (r"[ab\s]", False),
        (r"[\s<>]", True),
    ],
)
def test_needs_other_reads_what_a_match_must_hold(pattern, needs):
    assert _needs_other(pattern) is needs


HEADS = [p for ps in _routes.HEAD_MARKS.values() for p in ps]


@pytest.mark.parametrize("head", HEADS)
def test_each_head_mark_a_name_cannot_match_needs_another_character(head):
    """The batch router tries a head mark that is not a ``NameHead`` only on texts with a
    character outside ``NAME_CHARS``: each must need one, and a ``NameHead`` is one that the
    check cannot prove needs one (else it should not be tried on every text)."""
    assert _needs_other(_batch._one_line(head)) is not isinstance(head, _routes.NameHead)


def test_the_command_names_wait_for_a_text_with_another_character():
    names = [p for p in HEADS if isinstance(p, _routes.NameHead)]
    assert 2 <= len(names) <= 5
    assert not any("whoami" in p or "hostname" in p for p in names)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_batch.NAME_CHARS, max_size=24), st.sampled_from(HEADS))
def test_a_name_matches_no_head_mark_but_the_name_heads(name, head):
    if not isinstance(head, _routes.NameHead):
        assert re.match(_batch._one_line(head), name) is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=_batch.NAME_CHARS, max_size=12),
            st.sampled_from(["1 or 1", "' or '1'='1", "id;", "cat /etc/passwd", "<", " or 1=1"]),
            st.text(alphabet=_batch.NAME_CHARS + " '\"()<;|&#=*", max_size=12),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_batches_of_names_and_others_as_one_by_one(batch):
    assert scan_many(batch) == _one_by_one(batch)

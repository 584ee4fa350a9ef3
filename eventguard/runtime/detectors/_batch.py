"""Batch routing: which of many short texts need ``scan``, found in one pass over them all.

An event carries tens of short fields (ids, names, header values: a dozen characters each), and
most carry no mark at all. Routing them one at a time pays a dozen regex and substring calls
per field, whatever its length. ``routed`` joins the *simple* texts (printable ASCII that
decoding leaves as it is, not longer than ``LONG``) with line breaks, lower-cases them once and
looks for each kind of mark of ``_routes`` once over the whole, mapping every position found
back to its text. Only the texts with a mark, and the texts that are not simple, go through
``scan``; the others are clean, as ``scan`` would have said.

Why the joined text shows every mark a simple text shows alone (no simple text has a line
break, so a line break is exactly where a text ends):

- plain marks: their one regex is compiled with ``re.MULTILINE``, so ``$`` still matches where
  a text ends; no plain mark has a negative look-around, a possessive repeat or an atomic group
  over a class with a line break in it, so reading a line break instead of the end changes no
  match (``test_batch_routing`` checks the table for it); the marks that start with a character
  no simple text has (a line break, a control or non-ASCII character) are left out;
- gate marks: the same regexes, tried when their needle is in the joined text;
- call marks: from each ``(`` and the name before it, which a line break ends;
- Back marks: their reversed regexes in the joined texts reversed (no text is cut, as none
  holds the separator);
- head marks: one regex, each mark after a line break, so it is tried at the start of every
  text, and rewritten so that nothing in it matches a line break (``_one_line``): each attempt
  reads its own text only, and ``$`` is its end.

A match that starts in one text and runs on into the next only sends one text more to ``scan``,
which then decides exactly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from . import _routes

SEP = "\n"
# What makes an ASCII text not simple: a control character (the separator aside: it is counted
# apart) or one that decoding may change (percent, backslash and ampersand escapes). Deleted
# from the text's bytes by ``bytes.translate``, a table look-up per byte in C: a regex class
# costs the engine several times more per character.
_NOT_SIMPLE = bytes([*range(0x0A), *range(0x0B, 0x20), *b"%&\\", 0x7F])


def _printable_plain(text: str) -> bool:
    """``text`` is ASCII, and holds none of ``_NOT_SIMPLE``."""
    if not text.isascii():
        return False
    data = text.encode("ascii")
    return len(data.translate(None, _NOT_SIMPLE)) == len(data)


def _head_marks() -> re.Pattern[str]:
    """The head marks, each right after a line break (searched in the joined texts with a line
    break before the first: the regex engine then jumps from one line break to the next in C,
    where ``^`` would be tried at every position), kept within its text (``_one_line``) and
    with ``$`` at its end (MULTILINE).

    Most texts of an event are names: ids, ARNs, host names, addresses, of ``NAME_CHARS``
    alone. The head marks a name cannot match (all but the ``NameHead`` ones: each needs a
    space, a quote, a bracket or an operator) are tried behind a look-ahead that reads on to
    the first other character of the text, so a name leaves them all at once."""
    heads = [p for ps in _routes.HEAD_MARKS.values() for p in ps]
    anywhere = [_one_line(p) for p in heads if isinstance(p, _routes.NameHead)]
    other = [_one_line(p) for p in heads if not isinstance(p, _routes.NameHead)]
    alternatives = [_alternation(anywhere)] if anywhere else []
    if other:
        name = re.escape(NAME_CHARS)
        alternatives.append(f"(?=[{name}]*+[^{name}\n])(?:{_alternation(other)})")
    return re.compile(f"{SEP}(?:{'|'.join(alternatives)})", re.MULTILINE)


def _alternation(patterns: list[str]) -> str:
    """``patterns`` as one alternation. The marks that start with the same possessive run of
    spaces share it: the run is read once, and the alternatives after it each start with a
    literal the engine tests at once."""
    spaces = _one_line(r"\s*+")
    shared = [p[len(spaces) :] for p in patterns if p.startswith(spaces)]
    heads = [p for p in patterns if not p.startswith(spaces)]
    if shared:
        heads.append(spaces + "(?:" + "|".join(f"(?:{p})" for p in shared) + ")")
    return "|".join(f"(?:{p})" for p in heads)


# The characters of a name, lower-cased as the batch is.
NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_.:/@-"


_SPACE_BUT_NEWLINE = "\\t\\x0b\\x0c\\r "


def _one_line(pattern: str) -> str:
    """``pattern`` with nothing in it that matches a line break: ``\\s`` as the other ASCII
    spaces, negated classes without the line break. It matches the same in a text without line
    breaks (a simple text is printable ASCII), and in the joined texts it stays in its own:
    head marks start with repeats of spaces and word characters, which would otherwise read on
    through every text after theirs, at every start, quadratic in the batch."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            pair = pattern[i : i + 2]
            if pair == "\\s":
                out.append(_SPACE_BUT_NEWLINE if in_class else f"[{_SPACE_BUT_NEWLINE}]")
            else:
                out.append(pair)
            i += 2
            continue
        if not in_class and c == "[":
            in_class = True
            negated = pattern.startswith("[^", i)
            out.append("[^" if negated else "[")
            i += 2 if negated else 1
            continue
        if in_class and c == "]":
            in_class = False
            out.append("\\n]" if negated else "]")
        else:
            out.append(c)
        i += 1
    return "".join(out)


# Compiled on first use, as the routing table's own regexes (an import is a cold start).
_compiled: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def _regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    global _compiled
    if _compiled is None:
        _compiled = (_routes._ALL.plain.any, _head_marks())
    return _compiled


# Every gate: its needle, its marks, and whether they all start with the needle.
_GATES = tuple(
    (needle, group, group.starts_with(needle))
    for needle, group in (*_routes._ALL.char_gates, *_routes._ALL.word_gates)
)


def simple(text: str, limit: int) -> bool:
    """``text`` is printable ASCII that decoding leaves as it is, at most ``limit`` long."""
    return len(text) <= limit and SEP not in text and _printable_plain(text)


def routed(texts: Sequence[str], limit: int) -> list[int]:
    """Indexes (ascending) of the texts that ``scan`` must read: every text that is not simple
    (or longer than ``limit``), and every simple text with a mark."""
    joined = SEP.join(texts)
    n = len(texts)
    if (
        _printable_plain(joined)
        and joined.count(SEP) == n - 1
        and max(map(len, texts), default=0) <= limit
    ):
        chosen: Sequence[int] = range(n)
        out: set[int] = set()
    else:
        chosen = [i for i, t in enumerate(texts) if simple(t, limit)]
        out = set(range(n)).difference(chosen)
        joined = SEP.join(texts[i] for i in chosen)
    if chosen:
        for k in _marked(joined.lower(), [len(texts[i]) for i in chosen]):
            out.add(chosen[k])
    return sorted(out)


def _marked(low: str, lengths: list[int]) -> set[int]:
    """Positions (in ``lengths``) of the texts of ``low`` (joined with ``SEP``) with a mark."""
    plain, heads = _regexes()
    starts = [0] * len(lengths)
    at = 0
    for k, size in enumerate(lengths):
        starts[k] = at
        at += size + 1
    found: set[int] = set()
    _each_text(plain, low, starts, found)
    marks = _routes._ALL
    for needle, group, starts_with_needle in _GATES:
        if needle not in low:
            continue
        if starts_with_needle:  # the regex engine finds the needle itself, in C
            _each_text(group.any, low, starts, found)
        else:
            _with_needle(group.any, needle, low, starts, found)
    if "(" in low:
        found.update(bisect_right(starts, pos) - 1 for pos, _ in marks.calls_in(low, 1 << 62))
    back = marks.back.present(low)
    if back is not None:
        _each_text_backwards(back, low[::-1], starts, found)
    # in SEP + low, the line break before text k stands at starts[k]
    _each_text(heads, SEP + low, starts, found)
    return found


def _each_text(rx: re.Pattern[str], low: str, starts: list[int], found: set[int]) -> None:
    """Add to ``found`` each text of ``low`` in which a match of ``rx`` starts: one search per
    such text, each starting at the next text."""
    m = rx.search(low)
    last = len(starts) - 1
    while m is not None:
        k = bisect_right(starts, m.start()) - 1
        found.add(k)
        if k == last:
            return
        m = rx.search(low, starts[k + 1])


def _each_text_backwards(rx: re.Pattern[str], rev: str, starts: list[int], found: set[int]) -> None:
    """``_each_text`` for Back marks: ``rx`` (reversed marks) searched in ``rev``, the joined
    texts reversed, from the last text to the first; a match starts at the last character of
    a mark."""
    last = len(rev) - 1
    m = rx.search(rev)
    while m is not None:
        k = bisect_right(starts, last - m.start()) - 1
        found.add(k)
        if k == 0:
            return
        m = rx.search(rev, last - starts[k] + 1)  # from the line break before text k


def _with_needle(
    rx: re.Pattern[str], needle: str, low: str, starts: list[int], found: set[int]
) -> None:
    """Add to ``found`` each text of ``low`` that holds ``needle`` and a match of ``rx`` (a
    gate's marks, each of which contains ``needle``): ``rx`` reads only those texts, as ``route``
    tries a gate's marks only on a text that holds its needle. Searched over the whole batch, a
    gate whose marks start before their needle (``union ... select``, ``[a-z]+=``) would be
    tried at every letter of every text for one text's sake. A line break ends each text, and
    no needle holds one."""
    last = len(starts) - 1
    at = low.find(needle)
    while at >= 0:
        k = bisect_right(starts, at) - 1
        end = starts[k + 1] - 1 if k < last else len(low)
        if k not in found and rx.search(low, starts[k], end) is not None:
            found.add(k)
        if k == last:
            return
        at = low.find(needle, starts[k + 1])

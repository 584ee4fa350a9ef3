"""Floor benchmark: what the parts ``detectors.scan`` is made of cost on their own, printed as JSON.

    python bench/bench_floor.py [--shared ../shared] [--rounds 5]

Issue 4 asks for 20 MB/s on benign text and a p99 under 200 us for a 4 KB field. This script
shows how far the building blocks of any stdlib-only router reach on the same text, measured in
one run with the variants alternated (the machine is shared: only ratios inside a run count):

- ``lines_mb_per_s``: one call per benign line of the corpus (as ``bench_detectors``), for
  ``normalize`` (``_normalize.views`` alone), ``plain_marks`` (and one search of the one regex
  of the plain marks: the least a router does, looking at each character once),
  ``plain_marks_and_words`` (and the substring tests of the gate words), and ``scan`` (the
  whole: every kind of mark, then the detectors routed to);
- ``field_4kb_p99_us``: the same four on 4 KB fields of joined benign lines;
- ``ns_per_char``: primitives of the regex engine and of ``str`` over 1 MB of benign text:
  a regex led by a literal, one led by a class of two characters that never occur (the regex
  engine tests every character against the class), the plain-mark regex, a substring test of an
  absent word, ``str.lower``;
- ``compiled_set`` (only where the ``re2`` module of google-re2 is importable; the runtime never
  imports it, it is stdlib-only): every mark of the routing table (look-arounds dropped, so it
  finds a superset) in one RE2 ``Set``, matched once per text: what a compiled multi-pattern
  matcher would cost the router. Run it from any environment that has google-re2, e.g.
  ``python3 -m venv /tmp/re2 && /tmp/re2/bin/pip install google-re2 &&
  /tmp/re2/bin/python bench/bench_floor.py --shared ../shared``.

Every figure is CPU time of this process (``time.process_time``), best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventguard.runtime import detectors  # noqa: E402
from eventguard.runtime.detectors import _normalize, _routes  # noqa: E402

# CPU time of this process: on a shared machine the wall clock of a short call mostly measures
# the run queue (a p99 of wall times is the scheduler's), while the question here is what the
# parts cost.
_clock = time.process_time


def _load(shared: str | None) -> list[str]:
    path = Path(shared) / "corpus" / "dev.jsonl" if shared else None
    if path is None or not path.exists():
        path = ROOT / "tests" / "data" / "corpus_sample.jsonl"
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r["payload"] for r in rows if r["class"] == "benign"]


def _fresh(text: str) -> str:
    """A copy that is not the cached object, so each call pays for its normalization."""
    return (" " + text)[1:]


def _variants() -> dict[str, Callable[[str], object]]:
    plain = _routes._ALL.plain.any
    words = _routes._WORD_NEEDLES

    def plain_marks(text: str) -> object:
        return plain.search(_normalize.views(text).low)

    def plain_marks_and_words(text: str) -> object:
        low = _normalize.views(text).low
        return plain.search(low), any(map(low.__contains__, words))

    return {
        "normalize": _normalize.views,
        "plain_marks": plain_marks,
        "plain_marks_and_words": plain_marks_and_words,
        "scan": detectors.scan,
    }


def _lines(texts: list[str], rounds: int) -> dict[str, float]:
    size = sum(len(t.encode("utf-8")) for t in texts)
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, fn in _variants().items():
            copies = [_fresh(t) for t in texts]
            start = _clock()
            for text in copies:
                fn(text)
            elapsed = _clock() - start
            best[name] = min(best.get(name, elapsed), elapsed)
    return {name: round(size / seconds / 1e6, 2) for name, seconds in best.items()}


def _fields_4kb(benign: list[str], count: int) -> list[str]:
    fields, buf, size = [], [], 0
    for text in benign * 2:
        buf.append(text)
        size += len(text) + 1
        if size >= 4096:
            fields.append(" ".join(buf)[:4096])
            buf, size = [], 0
            if len(fields) == count:
                break
    return fields


def _p99_4kb(fields: list[str], rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name, fn in _variants().items():
            for text in fields:
                copy = _fresh(text)
                start = _clock()
                fn(copy)
                times.setdefault(name, []).append((_clock() - start) * 1e6)
    out = {}
    for name, values in times.items():
        values.sort()
        out[name] = round(values[min(len(values) - 1, int(len(values) * 0.99))], 1)
    return out


_LOOK_AROUND = re.compile(r"\(\?<?[=!]")


def _without_look_arounds(pattern: str) -> str:
    """``pattern`` in RE2's syntax, a superset: look-arounds dropped, possessive repeats and
    atomic groups made plain, ``\\uXXXX`` written ``\\x{XXXX}``."""
    out, i = [], 0
    while i < len(pattern):
        m = _LOOK_AROUND.match(pattern, i)
        if m:  # skip to the parenthesis that closes it
            depth, i = 1, m.end()
            while depth:
                c = pattern[i]
                if c == "\\":
                    i += 1
                elif c == "[":
                    i = pattern.index("]", i + 2 if pattern.startswith("[^]", i) else i + 1)
                    while pattern[i - 1] == "\\":
                        i = pattern.index("]", i + 1)
                depth += (c == "(") - (c == ")")
                i += 1
            continue
        if pattern.startswith("(?>", i):
            out.append("(?:")
            i += 3
        elif pattern.startswith("\\u", i):
            out.append("\\x{" + pattern[i + 2 : i + 6] + "}")
            i += 6
        elif pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern[i] == "+" and i and pattern[i - 1] in "*+?}" and pattern[i - 2 : i] != "\\+":
            i += 1  # possessive: plain
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def _compiled_set(benign: list[str], fields: list[str], rounds: int) -> dict[str, object]:
    """The routing table's marks in one RE2 Set (see the module docstring), when re2 is there."""
    try:
        import re2  # type: ignore[import-not-found]
    except ImportError:
        return {"available": False}
    patterns: list[str] = []
    for marks in _routes.MARKS.values():
        for mark in marks:
            if isinstance(mark, str):
                patterns.append(mark)
            elif isinstance(mark, (_routes.Gate, _routes.Back)):
                patterns.append(mark.pattern)
            elif isinstance(mark, _routes.Call):
                patterns.append("(?:" + "|".join(map(re.escape, mark)) + r")\s*\(")
    patterns += ["^" + p for ps in _routes.HEAD_MARKS.values() for p in ps]
    options = re2.Options()
    options.max_mem = 256 << 20
    matcher = re2.Set.SearchSet(options)
    for pattern in patterns:
        matcher.Add(_without_look_arounds(pattern))
    matcher.Compile()
    for text in (*benign, *fields):  # steady state: RE2 builds its automaton's states lazily
        matcher.Match(text.lower())
    size = sum(len(t.encode("utf-8")) for t in benign)
    best = float("inf")
    for _ in range(rounds):
        start = _clock()
        for text in benign:
            matcher.Match(text.lower())
        best = min(best, _clock() - start)
    times = []
    for _ in range(max(1, rounds // 2)):
        for text in fields:
            start = _clock()
            matcher.Match(text.lower())
            times.append((_clock() - start) * 1e6)
    times.sort()
    return {
        "available": True,
        "patterns": len(patterns),
        "lines_mb_per_s": round(size / best / 1e6, 2),
        "field_4kb_p99_us": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
    }


def _primitives(text: str, rounds: int) -> dict[str, float]:
    literal, klass = re.compile("\x01x"), re.compile("[\x01\x02]x")
    plain = _routes._ALL.plain.any
    cases: dict[str, Callable[[], object]] = {
        "regex_led_by_a_literal": lambda: literal.search(text),
        "regex_led_by_a_class": lambda: klass.search(text),
        "plain_mark_regex_all_matches": lambda: plain.findall(text),
        "substring_test_absent_word": lambda: "waitfor" in text,
        "lower": text.lower,
    }
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, fn in cases.items():
            start = _clock()
            fn()
            elapsed = _clock() - start
            best[name] = min(best.get(name, elapsed), elapsed)
    return {name: round(seconds * 1e9 / len(text), 2) for name, seconds in best.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", help="folder holding corpus/dev.jsonl")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    benign = _load(args.shared)
    fields = _fields_4kb(benign, 300)
    for text in (*benign, *fields):  # steady state: detectors imported, regexes compiled
        detectors.scan(text)
    megabyte = _normalize.views(" ".join(benign)[: 1 << 20]).low
    result = {
        "benign_lines": len(benign),
        "lines_mb_per_s": _lines(benign, args.rounds),
        "field_4kb_p99_us": _p99_4kb(fields, max(1, args.rounds // 2)),
        "ns_per_char": _primitives(megabyte, args.rounds),
        "compiled_set": _compiled_set(benign, fields, args.rounds),
        "targets": {"benign_mb_per_s": 20, "field_4kb_p99_us": 200},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

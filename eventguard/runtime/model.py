"""Values the runtime hands around: a detector's Match, a Finding, and the Verdict of one event.

All are frozen dataclasses with slots: cheap to build on the hot path, safe to share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Rule ids that are not detectors (detectors' ids live in their modules).
UNEXPECTED_SOURCE = "unexpected_source"
LIMIT_EXCEEDED = "limit_exceeded"
INTERNAL_ERROR = "internal_error"
UNEXPECTED_FLOW = "unexpected_flow"


@dataclass(frozen=True, slots=True)
class Match:
    """What a detector found in one string: the offset span and a short description."""

    start: int
    end: int
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule firing on one field.

    ``path`` is the JSON path of the field with its decoding chain
    (``Records[0].kinesis.data<base64><json>.comment``); ``excerpt`` is short and redacted;
    ``record`` is the index of the batch record the field belongs to, or None.
    """

    path: str
    rule: str
    excerpt: str
    record: int | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "rule": self.rule, "excerpt": self.excerpt}
        if self.record is not None:
            out["record"] = self.record
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of inspecting one event.

    ``source`` is a source type id; ``blocked`` says whether the policy blocks the event (for a
    batch source: whether any record is blocked); ``blocked_records`` holds the indexes of the
    batch records to hold back, empty for sources that are not batches.
    """

    source: str
    findings: list[Finding] = field(default_factory=list)
    blocked: bool = False
    blocked_records: frozenset[int] = frozenset()
    dropped: int = 0  # findings past the per-record / per-event caps, counted but not kept

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

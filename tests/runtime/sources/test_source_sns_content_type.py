"""An SNS message's content-type attribute declares how it is decoded, as an SQS message's does:
an XML document is read as its parts (not as HTML), broken XML raw. Both for SNS to Lambda and
for an SNS notification carried in an SQS body."""

from __future__ import annotations

import json

import pytest

from eventguard.runtime import inspect

SNS = "sns/sam-cli--Sns.json"
SNS_IN_SQS = "sqs/own--sns-in-sqs.json"
SOAP = (
    '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
    '<soap:Header><link rel="self" href="https://example.com/orders/7"/></soap:Header>'
    '<soap:Body><m:Reorder xmlns:m="https://example.com/orders"><m:Item>{item}</m:Item>'
    "</m:Reorder></soap:Body></soap:Envelope>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    '<title>Orders</title><link href="https://example.com/feed" rel="self"/><entry>'
    '<title>Order 7 shipped</title><link href="https://example.com/orders/7"/>'
    "<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id><updated>2024-01-01T00:00:00Z</updated>"
    '<summary type="text">{summary}</summary></entry></feed>'
)
SVG_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">'
    '<title>cart</title><path d="M7 18c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2z" fill="none"'
    ' stroke="currentColor"/></svg>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<order><item>&xxe;</item></order>"
)
SCRIPT = "&lt;script&gt;alert(document.cookie)&lt;/script&gt;"
MESSAGE = "Records[0].Sns.Message"
ITEM_PATH = f"{MESSAGE}<xml>.soap:Envelope/soap:Body/m:Reorder/m:Item"
WELL_FORMED = {
    "soap": (SOAP.format(item="Apples"), "application/soap+xml; charset=utf-8"),
    "atom": (ATOM.format(summary="Two boxes"), "application/atom+xml"),
    "svg icon": (SVG_ICON, "image/svg+xml"),
}


def _typed(name: str, value: str, kind: str = "String") -> dict:
    return {name: {"Type": kind, "Value": value}}


def _notification(kit, message: str, attributes: dict | None = None) -> dict:
    event = kit.load(SNS)
    event["Records"][0]["Sns"]["Message"] = message
    event["Records"][0]["Sns"]["MessageAttributes"] = attributes or {}
    return event


def _in_sqs(kit, message: str, attributes: dict | None = None) -> dict:
    event = kit.load(SNS_IN_SQS)
    envelope = json.loads(event["Records"][0]["body"])
    envelope["Message"] = message
    envelope["MessageAttributes"] = attributes or {}
    event["Records"][0]["body"] = json.dumps(envelope)
    return event


@pytest.mark.parametrize("kind", WELL_FORMED)
def test_a_well_formed_document_declared_xml_gives_no_finding(kit, kind) -> None:
    message, media = WELL_FORMED[kind]
    assert inspect(_notification(kit, message)).rules, "undeclared markup is read as HTML"
    assert inspect(_notification(kit, message, _typed("contentType", media))).findings == []


@pytest.mark.parametrize("name", ["contentType", "Content-Type", "content_type", "CONTENT-TYPE"])
def test_a_declared_document_is_read_as_its_parts(kit, name) -> None:
    event = _notification(kit, SOAP.format(item="Apples"), _typed(name, "text/xml"))
    paths = [f.path for f in kit.fields(event)]
    assert ITEM_PATH in paths and MESSAGE not in paths


def test_an_xss_in_an_element_of_a_declared_document_is_found_at_the_element(kit) -> None:
    event = _notification(kit, SOAP.format(item=SCRIPT), _typed("contentType", "application/xml"))
    found = {(f.rule, f.path) for f in inspect(event).findings}
    assert ("xss", ITEM_PATH) in found
    assert all(path.startswith(ITEM_PATH) for _, path in found)


def test_an_xxe_doctype_in_a_declared_document_is_found(kit) -> None:
    event = _notification(kit, XXE, _typed("contentType", "application/xml"))
    assert ("xxe", f"{MESSAGE}<xml>.doctype") in {(f.rule, f.path) for f in inspect(event).findings}


def test_broken_xml_declared_is_still_read_raw(kit) -> None:
    message = "<order><item>unclosed <script>alert(document.cookie)</script>"
    event = _notification(kit, message, _typed("contentType", "application/xml"))
    assert ("xss", MESSAGE) in {(f.rule, f.path) for f in inspect(event).findings}


def test_undeclared_markup_is_read_raw_as_before(kit) -> None:
    event = _notification(kit, SOAP.format(item="Apples"), _typed("format", "text/xml"))
    assert MESSAGE in [f.path for f in kit.fields(event)]
    assert [(f.rule, f.path) for f in inspect(event).findings] == [("xss", MESSAGE)]


def test_rejects_a_binary_attribute_as_a_declaration(kit) -> None:
    # A Binary attribute's value is base64: never a media type, even when it spells "xml".
    attributes = _typed("contentType", "dGV4dC94bWw=xml", "Binary")
    event = _notification(kit, SOAP.format(item="Apples"), attributes)
    assert ("xss", MESSAGE) in {(f.rule, f.path) for f in inspect(event).findings}


def test_each_record_is_read_as_its_own_attributes_declare(kit) -> None:
    event = _notification(kit, SOAP.format(item="Apples"), _typed("contentType", "text/xml"))
    second = json.loads(json.dumps(event["Records"][0]))
    second["Sns"]["MessageAttributes"] = {}
    event["Records"].append(second)
    paths = [f.path for f in kit.fields(event)]
    assert MESSAGE not in paths and "Records[1].Sns.Message" in paths


def test_a_json_message_declared_json_is_decoded(kit) -> None:
    event = _notification(kit, '{"note": "x"}', _typed("Content-Type", "application/json"))
    assert f"{MESSAGE}<json>.note" in [f.path for f in kit.fields(event)]


# An SNS notification in an SQS body (a subscription without raw delivery): its attributes
# declare its message as they do for SNS to Lambda.
ENVELOPE_MESSAGE = "Records[0].body<json>.Message"


@pytest.mark.parametrize("kind", WELL_FORMED)
def test_in_sqs_a_well_formed_document_declared_xml_gives_no_finding(kit, kind) -> None:
    message, media = WELL_FORMED[kind]
    assert inspect(_in_sqs(kit, message)).rules, "undeclared markup is read as HTML"
    assert inspect(_in_sqs(kit, message, _typed("Content-Type", media))).findings == []


def test_in_sqs_an_xss_in_a_declared_document_is_found_at_the_element(kit) -> None:
    message = ATOM.format(summary=SCRIPT)
    verdict = inspect(_in_sqs(kit, message, _typed("contentType", "application/atom+xml")))
    summary = f"{ENVELOPE_MESSAGE}<xml>.feed/entry/summary"
    assert ("xss", summary, 0) in {(f.rule, f.path, f.record) for f in verdict.findings}
    assert all(f.path.startswith(summary) for f in verdict.findings)


def test_in_sqs_an_xxe_doctype_is_found_and_broken_xml_is_read_raw(kit) -> None:
    declared = _typed("contentType", "application/xml")
    rules = {(f.rule, f.path) for f in inspect(_in_sqs(kit, XXE, declared)).findings}
    assert ("xxe", f"{ENVELOPE_MESSAGE}<xml>.doctype") in rules
    broken = "<order><item>unclosed <script>alert(document.cookie)</script>"
    rules = {(f.rule, f.path) for f in inspect(_in_sqs(kit, broken, declared)).findings}
    assert ("xss", ENVELOPE_MESSAGE) in rules


def test_in_sqs_undeclared_markup_is_read_raw_as_before(kit) -> None:
    event = _in_sqs(kit, SOAP.format(item="Apples"), _typed("contentType", "x", "Binary"))
    assert ("xss", ENVELOPE_MESSAGE) in {(f.rule, f.path) for f in inspect(event).findings}

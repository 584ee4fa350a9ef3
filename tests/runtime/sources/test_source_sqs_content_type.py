"""An SQS message's content-type attribute declares how its body is decoded, as an HTTP body's
Content-Type does: an XML document is read as its parts (not as HTML), broken XML raw."""

from __future__ import annotations

import pytest

from eventguard.runtime import inspect

SQS = "sqs/sam-cli--Sqs.json"
SOAP = (
    '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
    '<soap:Header><link rel="self" href="https://example.com/orders/7"/></soap:Header>'
    '<soap:Body><m:Reorder xmlns:m="https://example.com/orders"><m:Item>{item}</m:Item>'
    "</m:Reorder></soap:Body></soap:Envelope>"
)
ITEM_PATH = "Records[0].body<xml>.soap:Envelope/soap:Body/m:Reorder/m:Item"


def _message(kit, body: str, attributes: dict | None = None) -> dict:
    event = kit.load(SQS)
    event["Records"][0]["body"] = body
    event["Records"][0]["messageAttributes"] = attributes or {}
    return event


def _typed(name: str, value: str) -> dict:
    return {name: {"stringValue": value, "stringListValues": [], "dataType": "String"}}


@pytest.mark.parametrize("name", ["contentType", "Content-Type", "content_type", "CONTENTTYPE"])
def test_an_xml_document_declared_by_attribute_is_read_as_its_parts(kit, name) -> None:
    event = _message(kit, SOAP.format(item="Apples"), _typed(name, "application/soap+xml"))
    assert inspect(event).findings == []
    paths = [f.path for f in kit.fields(event)]
    assert ITEM_PATH in paths and "Records[0].body" not in paths


def test_an_attack_in_a_declared_document_is_found_at_its_element(kit) -> None:
    body = SOAP.format(item="Apples' OR '1'='1")
    verdict = inspect(_message(kit, body, _typed("contentType", "text/xml; charset=utf-8")))
    assert [(f.rule, f.path, f.record) for f in verdict.findings] == [("sqli", ITEM_PATH, 0)]


def test_undeclared_markup_is_read_raw_as_before(kit) -> None:
    event = _message(kit, SOAP.format(item="Apples"))
    assert "Records[0].body" in [f.path for f in kit.fields(event)]


def test_broken_xml_declared_is_still_read_raw(kit) -> None:
    body = "<order><item>unclosed <script>alert(document.cookie)</script>"
    verdict = inspect(_message(kit, body, _typed("contentType", "application/xml")))
    assert "xss" in verdict.rules


def test_a_json_body_declared_json_is_decoded_and_other_attributes_are_ignored(kit) -> None:
    attributes = {**_typed("contentType", "application/json"), **_typed("format", "text/xml")}
    event = _message(kit, '{"note": "x"}', attributes)
    assert "Records[0].body<json>.note" in [f.path for f in kit.fields(event)]
    binary = {"contentType": {"binaryValue": "YXBwbGljYXRpb24veG1s", "dataType": "Binary"}}
    event = _message(kit, SOAP.format(item="Apples"), binary)
    assert "Records[0].body" in [f.path for f in kit.fields(event)]

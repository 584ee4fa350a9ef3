"""``xmltext.document``: one well-formed XML document or DecodeError, and the markup that acts.

Its parts replace a body's raw text, so every way of not being one well-formed document must
raise (the caller then reads the raw text), and every start tag that acts must be kept.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from eventguard.runtime import limits
from eventguard.runtime.decoders import xmltext
from eventguard.runtime.errors import DecodeError, LimitExceeded

NOT_WELL_FORMED = [
    ("no root", "   "),
    ("only a declaration", '<?xml version="1.0"?>'),
    ("text before the root", "hello <a/>"),
    ("text after the root", "<a/> and more"),
    ("two roots", "<a/><b/>"),
    ("element left open", "<a><b></b>"),
    ("end tag of no open element", "<a></a></b>"),
    ("tags closed out of order", "<a><b></a></b>"),
    ("end tag name differs in case", "<a></A>"),
    ("unquoted attribute", "<a b=1/>"),
    ("attribute without value", "<input disabled/>"),
    ("attributes run together", '<a b="1"c="2"/>'),
    ("attribute given twice", '<a href="/x" href="javascript:go()"/>'),
    ("lt in an attribute value", '<a t="<b>"/>'),
    ("bare ampersand", "<a>fish & chips</a>"),
    ("bare ampersand in an attribute", '<a href="/?x=1&y=2"/>'),
    ("undeclared entity", "<a>&nbsp;</a>"),
    ("unterminated comment", "<a><!-- note </a>"),
    ("unterminated cdata", "<a><![CDATA[ x </a>"),
    ("cdata outside the root", "<![CDATA[x]]><a/>"),
    ("unterminated processing instruction", "<?xml version='1.0'<a/>"),
    ("declaration after the root started", '<a><!DOCTYPE a SYSTEM "x"></a>'),
    ("two doctypes", "<!DOCTYPE a><!DOCTYPE a><a/>"),
    ("unterminated doctype", "<!DOCTYPE a [<!ENTITY e 'x'>"),
    ("other declaration at top level", "<!ENTITY e 'x'><a/>"),
    ("tag without a name", "< a/>"),
    ("tag never closed", '<a href="x"'),
]


@pytest.mark.parametrize(("case", "text"), NOT_WELL_FORMED, ids=[c[0] for c in NOT_WELL_FORMED])
def test_rejects_what_is_not_one_well_formed_document(case: str, text: str) -> None:
    with pytest.raises(DecodeError):
        xmltext.document(text)


WELL_FORMED = [
    ("gt in an attribute value", '<a t="x > y"/>', "a@t", "x > y"),
    ("single-quoted attribute", "<a t='it\"s'/>", "a@t", 'it"s'),
    ("character references", "<a>&#60;b&#x3e; &amp; &quot;</a>", "a", '<b> & "'),
    ("byte order mark", "\ufeff<a>x</a>", "a", "x"),
    ("comment and instruction after the root", "<a>x</a><!-- end --><?pi y?>\n", "a", "x"),
    ("cdata", "<a><![CDATA[x < y && z]]></a>", "a", "x < y && z"),
    ("declared entity", '<!DOCTYPE a [<!ENTITY e "v">]><a>&e;</a>', "a", "&e;"),
    ("spaces inside tags", '<a  t = "1" ></a >', "a@t", "1"),
    ("non-ascii names", "<straße nº='1'>x</straße>", "straße@nº", "1"),
]


@pytest.mark.parametrize(
    ("case", "text", "key", "value"), WELL_FORMED, ids=[c[0] for c in WELL_FORMED]
)
def test_reads_well_formed_documents(case: str, text: str, key: str, value: str) -> None:
    assert xmltext.document(text)[key] == value


def test_parts_are_those_the_lenient_reader_finds() -> None:
    doc = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<r id="7"><item sku="A-1">Tea &amp; cake</item><item sku="B-2">Jam</item></r>'
    )
    assert xmltext.document(doc) == xmltext.decode(doc)


def test_element_text_is_what_a_parser_hands_over() -> None:
    """Whitespace kept and line ends normalized, as a parser does: a value that opens with a
    line break and a header is the CRLF injection it would be."""
    doc = "<r><a>\r\nLocation: /x\r</a><b> two  words </b><c>&#13;&#10;</c></r>"
    assert xmltext.document(doc) == {
        "r/a": "\nLocation: /x\n",
        "r/b": " two  words ",
        "r/c": "\r\n",
    }


def tags(text: str) -> dict[str, str]:
    return {k: v for k, v in xmltext.document(text).items() if k.endswith("#tag")}


ACTING = [
    ("script", "<svg><script>go()</script></svg>", "svg/script#tag", "<script"),
    (
        "prefixed script",
        '<x xmlns:h="http://www.w3.org/1999/xhtml"><h:script/></x>',
        "x/h:script#tag",
        "<h:script/",
    ),
    (
        "upper-case iframe",
        '<p><IFRAME SRC="https://a.example/"></IFRAME></p>',
        "p/IFRAME#tag",
        '<IFRAME SRC="https://a.example/"',
    ),
    ("object", '<p><object data="x.swf"/></p>', "p/object#tag", '<object data="x.swf"/'),
    ("embed", '<p><embed src="x.swf"/></p>', "p/embed#tag", '<embed src="x.swf"/'),
    (
        "base",
        '<html><base href="https://a.example/"/></html>',
        "html/base#tag",
        '<base href="https://a.example/"/',
    ),
    (
        "svg handler element",
        '<svg><handler type="text/javascript">go()</handler></svg>',
        "svg/handler#tag",
        '<handler type="text/javascript"',
    ),
    ("load handler", '<svg onload="go()"/>', "svg#tag", '<svg onload="go()"/'),
    (
        "handler in mixed case",
        '<g><image OnError="go()"/></g>',
        "g/image#tag",
        '<image OnError="go()"/',
    ),
    ("svg 1.1 handler", '<svg onSVGLoad="go()"/>', "svg#tag", '<svg onSVGLoad="go()"/'),
    ("prefixed handler", '<g><a x:onclick="go()"/></g>', "g/a#tag", '<a x:onclick="go()"/'),
    (
        "animation sets a handler",
        '<rect><set attributeName="onclick" to="go()"/></rect>',
        "rect/set#tag",
        '<set attributeName="onclick" to="go()"/',
    ),
    (
        "xinclude",
        '<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="a.xml"/></r>',
        "r/xi:include#tag",
        '<xi:include href="a.xml"/',
    ),
    (
        "xinclude under another prefix",
        '<r xmlns:inc="http://www.w3.org/2001/XInclude"><inc:include href="a.xml"/></r>',
        "r/inc:include#tag",
        '<inc:include href="a.xml"/',
    ),
    (
        "xslt by default namespace",
        '<stylesheet xmlns="http://www.w3.org/1999/XSL/Transform"><template match="/"/></stylesheet>',
        "stylesheet/template#tag",
        '<template match="/"/',
    ),
    (
        "xsl prefix left unbound",
        '<xsl:transform><xsl:value-of select="1"/></xsl:transform>',
        "xsl:transform/xsl:value-of#tag",
        '<xsl:value-of select="1"/',
    ),
]


@pytest.mark.parametrize(("case", "text", "key", "tag"), ACTING, ids=[c[0] for c in ACTING])
def test_keeps_the_start_tag_of_markup_that_acts(case: str, text: str, key: str, tag: str) -> None:
    assert tags(text)[key] == tag


QUIET = [
    ("atom link", '<feed><link rel="alternate" href="https://a.example/"/></feed>'),
    ("svg shapes and style", '<svg><style>.a{fill:red}</style><path d="M0 0h9"/></svg>'),
    ("foreignObject with text", "<svg><foreignObject><div>label</div></foreignObject></svg>"),
    (
        "attribute names that start with on but name no event",
        '<user online="true" onhold="no" onboarding="done"/>',
    ),
    ("handler name as a value outside animation", '<field name="onclick" type="string"/>'),
    ("xslt namespace left undeclared in a sibling", '<r><a xmlns:t="urn:x"><t:template/></a></r>'),
]


@pytest.mark.parametrize(("case", "text"), QUIET, ids=[c[0] for c in QUIET])
def test_markup_that_does_not_act_keeps_no_tag(case: str, text: str) -> None:
    assert tags(text) == {}


def test_a_default_namespace_ends_with_its_element() -> None:
    doc = '<r><s xmlns="http://www.w3.org/1999/XSL/Transform"><o/></s><template/></r>'
    assert list(tags(doc)) == ["r/s#tag", "r/s/o#tag"]


def test_rejects_deep_documents_with_the_nesting_limit() -> None:
    with pytest.raises(LimitExceeded):
        xmltext.document("<a>" * (limits.MAX_NESTING_DEPTH + 2) + "</a>" * 80)


def test_rejects_documents_with_too_many_items() -> None:
    with pytest.raises(LimitExceeded):
        xmltext.document("<r>" + '<a x="1"/>' * (limits.MAX_XML_ITEMS + 1) + "</r>")


def test_hostile_shapes_take_time_linear_in_their_size() -> None:
    """Long runs of attributes, references and open tags cost no more per character than an
    ordinary document of the same size (a pattern that backtracks would)."""
    size = 400_000
    plain = "<r>" + "<i>value</i>" * (size // 12) + "</r>"
    hostile = [
        "<a" + ' b="1"' * (size // 6),  # a tag never closed
        "<a " + "b=" * (size // 2),  # unquoted, repeated
        "<r>" + "&amp;" * (size // 5) + "&x</r>",  # references, then a bare one
        "<r>" + "<i t='x>y'>" * (size // 12) + "</r>",  # open tags until the limit
    ]

    def seconds(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            with contextlib.suppress(DecodeError, LimitExceeded):
                xmltext.document(text)
            best = min(best, time.perf_counter() - started)
        return best

    base = seconds(plain)
    for text in hostile:
        assert seconds(text) < 10 * base + 0.05

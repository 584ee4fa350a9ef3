"""Words a detector and the routing table (``_routes``) both read: command names, SQL function
names, markup tags, MongoDB operators, wide line breaks.

They live here, not in their detectors, so that the routing table is built without importing
(and compiling the regexes of) any detector: a detector module is loaded the first time a text
is routed to it. Each detector imports its words back under its own names (``cmdi._STRONG`` is
``CMDI_STRONG``).
"""

from __future__ import annotations

# cmdi ---------------------------------------------------------------------------------------

# Commands that are not English words: after a separator they are a command.
CMDI_STRONG = (
    r"(?:whoami|uname|ifconfig|ipconfig|wget|curl|ncat|netcat|nc|bash|sh|zsh|ksh|csh|tcsh|dash"
    r"|powershell|pwsh|cmd|cmd\.exe|certutil|bitsadmin|nslookup|systeminfo|tasklist|taskkill"
    r"|id|ls|pwd|dir|chmod|chown|mkfifo|telnet|xterm|nohup|netstat|ps|crontab|useradd"
    r"|passwd|rm|wmic|reg|regsvr32|rundll32|mshta|cscript|wscript|sc|schtasks|perl|python\d?"
    r"|php|ruby|node|lua|awk|gawk|sed|base64|xxd|uname|hostname|env|printenv|getent|traceroute"
    r"|tracert|arp|route|dig|host|gcc|cc|tftp|ftp|scp|ssh|socat|busybox|sudo|su|nmap|nping"
    r"|ping|sleep|timeout|echo|cat|type|more|less|head|tail|find|grep|kill|killall|touch|cp|mv"
    r"|net|set|shutdown|reboot|halt|exec|eval|print|expr|uptime|w|who|last|lsof|ifup|mail"
    r"|chmod|file|strings|od|tac|nl|sort|uniq|wc|tee|dd|openssl|vi|vim|ex|start|call|del|copy"
    r"|ver|vol|cd|tar|zip|unzip|gzip|nslookup|jrunscript|osascript|netsh|sysinfo|which|whereis"
    r"|printf|xargs)"
)

# Commands that are also English words need shell-shaped arguments.
CMDI_WORDS = {
    "sleep": r"\d",
    "timeout": r"/?\d",
    "ping": r"-|\d|[\w-]+\.\w",
    "echo": r"\S",
    "cat": r"[/.~$\\*]|\w+\.\w+",
    "type": r"[a-z]:|[\\/.%]",
    "more": r"[a-z]:|[\\/.]",
    "less": r"[/.]",
    "head": r"-|/",
    "tail": r"-|/",
    "find": r"[/.]\s|/|-",
    "grep": r"-|\S+\s+/",
    "kill": r"-|\d",
    "killall": r"\S",
    "touch": r"[/.~]|\w+\.\w",
    "cp": r"[/.~-]",
    "mv": r"[/.~-]",
    "net": r"(?:user|view|localgroup|share|use|group|start|stop|config|session|accounts)\b",
    "set": r"/|\w+=",
    "shutdown": r"$|[-/]",
    "reboot": r"$|-",
    "halt": r"-",
    "exec": r"\S",
    "eval": r"\S",
    "print": r"['\"]",
    "expr": r"\d|\$",
    "w": r"-",
    "who": r"am\s?i\b(?!\s?[?!,.])|-",  # "Who am I?" asks
    "last": r"-",
    "file": r"[/.]",
    "strings": r"[/.-]",
    # a program, a switch, or a URL scheme (https:, ms-settings:x): "start requestid: 1" is the
    # first line Lambda logs for every invocation
    "start": r"[a-z]+\.exe|/|\w+:(?!\s)",
    "call": r"[:\\/]",
    "del": r"[a-z]:|[\\/.-]",
    "copy": r"[a-z]:|[\\/.-]",
    "ver": r"/",
    "vol": r"[a-z]:",
    "cd": r"[/.~\\]",
    "dir": r"$|[a-z]:|[\\/.-]",
    "host": r"[\w-]+\.\w|-",
    "mail": r"-|\S+@",
    "sort": r"[/.-]",
    "od": r"-",
    "nl": r"[/.]",
    "tac": r"[/.]",
    "wc": r"-",
    "tee": r"[/.-]",
    "dd": r"if=|of=",
    "vi": r"[/.]",
    "ex": r"[/.-]",
    "su": r"$|-|root\b",
    "sc": r"(?:query|create|config|start|stop)\b",
    "reg": r"(?:query|add|delete|save|export)\b",
    "route": r"$|print\b|add\b|-",
    "arp": r"$|-",
    "uniq": r"[/.-]",
    "sort ": r"[/.-]",
    "zip": r"-|\S+\.zip",
    "tar": r"-|[a-z]*f\s",
    "node": r"-e\b|\S+\.js",
    "php": r"-r\b|\S+\.php",
    "perl": r"-e\b|\S+\.pl",
    "ruby": r"-e\b|\S+\.rb",
    "lua": r"-e\b|\S+\.lua",
    "python": r"-c\b|\S+\.py",
    "awk": r"['\"{]",
    "gawk": r"['\"{]",
    "sed": r"-|['\"]",
    "find ": r"/",
    "gcc": r"\S+\.c\b|-",
    "cc": r"\S+\.c\b|-",
    "ftp": r"\S",
    "ssh": r"\S+@|-",
    "scp": r"\S",
    "tftp": r"-|\S+\s+(?:get|put)\b",
    "id": r"$|[;|&)`'\"]|-",
    "ls": r"$|-|/|[;|&)`'\"]",
    "ps": r"$|-|aux\b|[;|&`]",
    "env": r"$|[;|&`]",
    "pwd": r"$|[;|&`'\"]",
    "cmd": r"/c\b|\.exe|$",
    "sh": r"-|$|[;|&`]|/",
    "rm": r"-|/",
    "uptime": r"$|[;|&`]",
    "hostname": r"$|[;|&`]",
    "passwd": r"$|\w",
    "which": r"[a-z][\w-]*\s*$",
    "whereis": r"[a-z][\w-]*\s*$",
}

# PowerShell's verbs: a cmdlet is Verb-Noun (``Get-Process``, ``Invoke-WebRequest``).
CMDI_CMDLET_VERBS = (
    "get|set|invoke|new|start|stop|remove|add|out|write|import|export|convertto|convertfrom"
    "|test|restart|enable|disable|select|where|foreach|copy|move|clear|register|expand"
)

# The strong commands that are not also in CMDI_WORDS.
CMDI_STRONG_ONLY = "|".join(
    name
    for name in CMDI_STRONG[3:-1].split("|")
    if name.replace("\\", "").removesuffix("d?") not in CMDI_WORDS
)

# sqli ---------------------------------------------------------------------------------------

SQLI_TIME_FUNCTIONS = frozenset(
    [
        "sleep",
        "benchmark",
        "pg_sleep",
        "randomblob",
        "dbms_lock.sleep",
        "dbms_pipe.receive_message",
        "extractvalue",
        "updatexml",
        "load_file",
        "make_set",
        "exp",
        "geometrycollection",
        "polygon",
        "multipoint",
        "name_const",
        "gtid_subset",
        "json_keys",
    ]
)

SQLI_TIME_PACKAGES = ("utl_inaddr.", "utl_http.", "ctxsys.")

SQLI_NO_ARG_FUNCTIONS = frozenset(
    [
        "user",
        "version",
        "database",
        "current_user",
        "schema",
        "system_user",
        "session_user",
        "connection_id",
        "last_insert_id",
    ]
)

SQLI_WRAPPING_FUNCTIONS = frozenset(
    [
        "concat",
        "concat_ws",
        "group_concat",
        "unhex",
        "char",
        "chr",
        "cast",
        "convert",
        "substring",
        "ascii",
        "hex",
    ]
)

# xss ----------------------------------------------------------------------------------------

XSS_MARKUP_TAGS = (
    r"(?:script|iframe|frame|frameset|object|embed|applet|svg|math|base|link|meta|style|form"
    r"|isindex|xml|import|handler|listener|animate\w*|set|image|img|body|html|head|video|audio"
    r"|source|input|textarea|details|marquee|keygen|button|template|portal|xss|layer|ilayer"
    r"|bgsound|plaintext|xmp|noscript|noembed|event-source|foreignobject|use|feimage|vmlframe"
    r"|svg:\w+|html:\w+|xsl:\w+|[a-z]+:[a-z]+)"
)

# crlf ---------------------------------------------------------------------------------------

# Characters above U+00FF whose low byte is LF or CR (U+010A, U+010D, ..., U+560A, ...).
CRLF_WIDE_BREAKS = "".join(chr(hi << 8 | lo) for hi in range(1, 256) for lo in (0x0A, 0x0D))
# Line breaks as detectors see them in lower-cased text: the Unicode line separators that
# str.splitlines(), JavaScript and some header writers split on (NEL, U+2028, U+2029), and the
# lower-case forms of the wide breaks (U+010A becomes U+010B when lower-cased, and "%c4%8a"
# arrives as U+010A).
CRLF_UNICODE_BREAKS = "\x85\u2028\u2029" + "".join(
    sorted({c.lower() for c in CRLF_WIDE_BREAKS} - set(CRLF_WIDE_BREAKS))
)

# nosqli -------------------------------------------------------------------------------------

NOSQLI_OPS = (
    r"(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|type"
    r"|size|all|mod|text|jsonschema|function|accumulator|lookup|comment|options|search)"
)

# Functions that hand their argument to a shell (PHP, Python, Node, Ruby, Perl): cmdi reads a
# quoted command line passed to them, and routes a text to cmdi on a call of one.
CMDI_SHELL_FUNCTIONS = (
    "system",
    "eval",  # a shell's eval, or a language's handed a command line ("eval('sleep 5')")
    "exec",
    "execsync",
    "passthru",
    "shell_exec",
    "popen",
    "proc_open",
    "pcntl_exec",
    "spawn",
    "spawnsync",
    "getoutput",
    "check_output",
    "check_call",
)

# PHP functions that call a function named by a string argument (code_injection, and its
# route marks): ``array_map('system', ...)``, ``usort($a, 'assert')``.
CODE_PHP_CALLBACKS = (
    "array_map",
    "array_filter",
    "array_walk",
    "array_walk_recursive",
    "array_reduce",
    "usort",
    "uasort",
    "uksort",
    "register_shutdown_function",
    "register_tick_function",
    "forward_static_call",
    "forward_static_call_array",
    "iterator_apply",
    "ob_start",
    "set_error_handler",
    "set_exception_handler",
    "preg_replace_callback",
)

# path_traversal, ssrf ------------------------------------------------------------------------

# What follows "file:/" in a stack trace's source position (Node's and Chrome's frames:
# "at f (file:///var/task/index.mjs:12:7)"): a path that ends in a line and a column. No file
# read or fetch ends so, and every Node.js Lambda function's error log line holds one.
FILE_URL_SOURCE_POSITION = r"/{0,2}[^\s()'\"<>]{1,1024}?:\d{1,7}:\d{1,7}(?![\w:./])"

"""Routing: which detectors a text needs, from the marks their detections cannot do without.

``MARKS`` is the one table that says which marks route to which detector. A mark is a regex on
the decoded, lower-cased text (``Views.low``) that every detection of its detector leaves: read
off the detector's own patterns (the literal a shape starts with, or a token it must contain),
loosened wherever the detector reads a rewritten view of the text:

- sqli reads ``sql_view`` (whitespace runs collapsed, comments folded): its marks allow ``\\s*``
  where the detector allows ``\\s?``, and ``/*`` (and, in multi-line text, ``--`` and ``#``) are
  marks of their own, since folding a comment joins what stands around it;
- cmdi reads ``shell_view`` (``${IFS}``/``$1`` removed, ``w'h'o``, ``c\\at`` joined, ``\\n``
  read as a newline): each of these rewrites is a mark of its own;
- path_traversal reads ``path_view`` (backslashes as slashes, stray UTF-8 bytes as slashes or
  nothing): a backslash or a stray byte routes the text when ``path_view`` shows a path mark;
- detectors that read ``Views.raw`` (base64 and binary serialization streams, base64 dot-dot
  paths) find their marks in the lower-cased raw text, scanned as well when decoding changed it.

Speed. Letters are most of any text, so a regex whose marks may start with a letter tries them
at almost every position. Marks are therefore written in four kinds:

- a plain string starts with punctuation or a digit (a word written from its punctuation uses a
  look-behind: ``\\.(?<=os\\.)``); all of them form one regex, so the regex engine skips in C to
  the few characters that can start a mark and tries only the marks of that character;
- ``Gate(needle, pattern)``: a mark that starts with a letter and contains ``needle`` (one
  punctuation character, or a word): tried only when ``needle`` is in the text (a substring
  test in C);
- ``Call(*names)``: a call of one of ``names`` (name, optional whitespace, ``(``), found from
  each ``(`` of the text by the word just before it;
- ``Back(pattern)``: a mark that starts with a letter and ends with punctuation
  (``on[a-z]{3,40}\\s?=``): its regex reversed, searched in the reversed text, where the
  regex engine stops only at that punctuation.

``HEAD_MARKS`` are marks of shapes anchored at the start of the text (a value that *is* a
command line or starts with a SQL operator); ``WIDE_MARKS`` are non-ASCII character classes,
looked for only in non-ASCII text. sql_view reads control characters as spaces, so in a text
with control characters sqli's marks are also looked for with them read so. A test checks, on
the corpus and on random text, that a detector that fires on its own always fires under
``scan``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from typing import NamedTuple

from . import _vocab


class Gate(NamedTuple):
    """A mark tried only when ``needle`` is a substring of the text."""

    needle: str
    pattern: str


class Call(tuple[str, ...]):
    """A call of one of these functions: the name, optional whitespace, ``(``. Found from each
    ``(`` of the text by the word just before it (``sleep  (``, ``os.system(``), which costs a
    substring search per parenthesis instead of a regex attempt at every letter."""

    def __new__(cls, *names: str) -> Call:
        return super().__new__(cls, names)


class Back(NamedTuple):
    """A mark that starts with a letter and ends with punctuation (its last atom a literal or
    a class of punctuation characters): found from its last character backwards, as the
    reversed regex matched on the reversed text, so the regex engine stops only at those
    characters instead of trying a letter-first regex at every letter."""

    pattern: str


Mark = str | Gate | Call | Back


class NameHead(str):
    """A head mark that a name can match: a text of letters, digits and ``_.:/@-`` alone (an
    id, an ARN, a host name). The batch router tries the other head marks only on texts that
    hold another character, as each needs one (``test_batch_routing`` proves it of them)."""

    __slots__ = ()


def reverse(pattern: str) -> str:
    """A regex for the reversed strings of ``pattern``: the strings ``pattern`` matches, read
    backwards. For the syntax of marks: literals, escapes, classes, groups, alternation and
    repeats (a lazy or possessive repeat is read as greedy, which matches the same strings or
    more: a mark may only route more). No anchors or look-arounds (``ValueError``)."""
    out, end = _reversed_alternation(pattern, 0)
    if end != len(pattern):
        raise ValueError(f"unbalanced ')' in {pattern!r}")
    return out


def _reversed_alternation(p: str, i: int) -> tuple[str, int]:
    branches: list[list[str]] = [[]]
    while i < len(p) and p[i] != ")":
        if p[i] == "|":
            branches.append([])
            i += 1
            continue
        atom, i = _reversed_atom(p, i)
        repeat, i = _repeat(p, i)
        branches[-1].append(atom + repeat)
    return "|".join("".join(reversed(b)) for b in branches), i


def _reversed_atom(p: str, i: int) -> tuple[str, int]:
    c = p[i]
    if c == "\\":
        nxt = p[i + 1]
        if nxt in "AZ":
            raise ValueError(f"anchor in {p!r}")
        size = {"x": 4, "u": 6}.get(nxt, 2)
        return p[i : i + size], i + size
    if c == "[":
        j = i + 1
        j += p.startswith("^", j)
        j += p.startswith("]", j)
        while p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return p[i : j + 1], j + 1
    if c == "(":
        if p.startswith("(?:", i):
            j = i + 3
        elif p.startswith("(?", i):
            raise ValueError(f"look-around or flag in {p!r}")
        else:
            j = i + 1
        inner, j = _reversed_alternation(p, j)
        if j >= len(p):
            raise ValueError(f"unbalanced '(' in {p!r}")
        return "(?:" + inner + ")", j + 1
    if c in "^$*+?{":
        raise ValueError(f"{c!r} at {i} of {p!r}")
    return c, i + 1


_REPEAT = re.compile(r"[*+?]|\{\d*(?:,\d*)?\}")


def _repeat(p: str, i: int) -> tuple[str, int]:
    m = _REPEAT.match(p, i)
    if m is None:
        return "", i
    end = m.end()
    if end < len(p) and p[end] in "?+":  # lazy or possessive: read as greedy
        end += 1
    return m.group(0), end


def _back_marks(pattern: str) -> list[str]:
    """The reversed regexes of a ``Back`` mark, one per character its last atom allows (a
    literal or a class of literal characters), each starting with that character."""
    rev = reverse(pattern)
    first, end = _reversed_atom(rev, 0)
    chars = first[1:-1] if first.startswith("[") else first
    if chars.startswith("\\") and len(chars) == 2:
        chars = chars[1]
    if _repeat(rev, end)[0] or not chars or any(c.isalnum() or c in "\\^-]" for c in chars):
        raise ValueError(f"Back mark {pattern!r} must end with one punctuation character")
    return [re.escape(c) + rev[end:] for c in chars]


def _each(words: str | tuple[str, ...], rest: str) -> tuple[str, ...]:
    """One pattern per word (``words`` as a tuple or a ``|``-separated string), each followed by
    ``rest``: every pattern then starts with a literal, not a group."""
    if isinstance(words, str):
        words = tuple(words.split("|"))
    return tuple(word + rest for word in words)


def _behind(punct: str, words: tuple[str, ...] | str, rest: str = "", space: bool = False) -> str:
    """A mark written from its punctuation ``punct`` (a literal character): one of ``words``
    (literal strings; with ``space``, optionally followed by one whitespace character) just
    before it, then ``rest``."""
    if isinstance(words, str):
        words = tuple(words.split("|"))
    lit = re.escape(punct)
    gaps = ("", r"\s") if space else ("",)
    behind = "|".join(f"(?<={re.escape(w)}{gap}{lit})" for w in words for gap in gaps)
    return f"{lit}(?:{behind}){rest}"


def _trie(words: tuple[str, ...] | frozenset[str]) -> str:
    """A regex matching exactly the literal ``words``, factored by their first characters: the
    regex engine then tries one branch per character instead of every word."""
    rest: dict[str, list[str]] = {}
    for word in words:
        rest.setdefault(word[:1], []).append(word[1:])
    optional = "" in rest
    rest.pop("", None)
    alts = "|".join(re.escape(c) + _trie(tuple(r)) for c, r in sorted(rest.items()))
    if not alts:
        return ""
    return f"(?:{alts})?" if optional else f"(?:{alts})"


_SQL_OPERAND_WORDS = _trie(
    _each(
        "or|and|xor|div|rlike|regexp|like|sounds|is|not|select|having|group|order|limit|procedure"
        "|into|where|waitfor|exec|declare|insert|update|delete|drop|benchmark|sleep",
        "",
    )
)
# After a quote (and closing parentheses), what a string break-out needs to speak SQL.
_SQL_AFTER_QUOTE = (
    rf"[\s)]*(?:{_SQL_OPERAND_WORDS}\b|&&|\|\||(?:<=>|!=|[=<>^/%|])[-+*/|^&=<>!~%]{{0,2}}\s*['\"`]"
    r"|--(?:\s|$|-|\+)|/\*|%00|\x00|#\s*$|;\s*(?:--|#|/\*|[a-z]))"
)
_SQL_FUNCTIONS = tuple(sorted(re.escape(name) for name in _vocab.SQLI_TIME_FUNCTIONS))
_SQL_PACKAGES = tuple(sorted(p.rstrip(".") for p in _vocab.SQLI_TIME_PACKAGES))
_BOOL_NUMBER = r"\s*\(?\s*[-+]?\d+\s*\)?\s*[=<>!]"
# the same ending in its comparison (``!=``, ``!<`` included): a Back mark
_BOOL_NUMBER_COMPARED = r"\s*\(?\s*[-+]?\d+\s*\)?\s*!?[=<>]"
# How sqli's ``_OPERAND`` can start: a quote, a number, a variable, a parenthesis, a call or a
# SQL word.
_SQL_OPERAND_START = (
    r"(?:['\"`\d@(+~!-]|[a-z_]\w*\s*\(|(?:true|false|null|not|exists|select|sleep|benchmark"
    r"|pg_sleep|ascii|substr\w*|mid|char|chr|length|len|count|if|case|user|version|database"
    r"|current_user|rand|x?or|and)\b)"
)

# Command names of cmdi (its strong commands and the words that need arguments), as words.
_COMMANDS = frozenset(
    re.findall(r"[a-z_]+", name)[0]
    for name in (*_vocab.CMDI_STRONG[3:-1].split("|"), *_vocab.CMDI_WORDS)
)
_STRONG_COMMANDS = frozenset(
    re.findall(r"[a-z_]+", n)[0] for n in _vocab.CMDI_STRONG_ONLY.split("|")
)
# Words of cmdi's _WORDS that make a command line with no argument ("$" among their arguments).
_ENDING_WORDS = frozenset(
    word.strip() for word, args in _vocab.CMDI_WORDS.items() if "$" in args.split("|")
)
# Separators after which cmdi's ``_SEPARATED`` looks for a command (a path or a command name),
# one alternative per separator so that each starts with a literal.
_CMD_AFTER = rf"\s?(?:sudo\s|\\)?\s?(?:/|{_trie(_COMMANDS)}(?![a-z_]))"
_CMD_SEPARATORS = (";", "\n", "`", r"\|\|?", "&&?", r"\$\(", r"\$\{")

_PATH_SENSITIVE_DIRS = (
    r"/(?:etc|proc|sys|dev|root|boot|s?bin|private|library|system|win|inetpub|program|xampp"
    r"|wamp|apache|php|mysql|documents|nginx|httpd|www|web|meta-inf|var/|usr/|home/|users/)"
)
_PATH_FILES = (
    r"/(?:\.|master\.|passwd|shadow|config|wp-config|web\.config|php\.ini|my\.|httpd\.conf|id_"
    r"|authorized_keys|known_hosts|sysprep|unattend|wpsettings|ntuser|sam)"
)
# What path_traversal accepts between "etc"/"windows" and a system file (``_JUNK_SEP``,
# ``_JUNK``), ASCII part: a mark written from that character.
_PATH_JUNK = "%^?./\\\t\n\r\x0b\x0c"
# (a request line's target is read possessively: a run of non-spaces ends where a space starts)
_CRLF_HEADER = (
    r"(?=(?:0[ad])?\s?(?:[a-z][\w-]*\s?:|http/|<[a-z!]|[a-z]{3,8}\s+\S{1,2048}+\s+http/))"
)
_XSS_DOT_OBJECTS = (
    ("document", r"\s?(?:cookie|domain|write|location|body|forms|createelement)"),
    ("window", r"\s?(?:location|open|name)"),
    ("fromcharcode", ""),
)

# Marks of shapes that detectors read on the raw text (``Views.raw``), lower-cased: also looked
# for in the raw text when decoding changed it.
RAW_MARKS: dict[str, tuple[Mark, ...]] = {
    "path_traversal": (
        # split-nibble percent encoding ("%2%e" for a dot), before decoding took "%fe" of "%2%fe"
        "%[0-9a-f]%[0-9a-f]",
        # base64 of a dot-dot path
        _behind("4", "li|ly"),
        _behind("5", "li"),
        _behind("9", "li"),
        _behind("2", "l", "v0"),
    ),
    # binary and base64 serialization streams
    "deserialization": (
        _behind("0", "ro", "ab"),
        _behind("4", "h", "siaaaaaaaa"),
        Gate("gasv", "gasv"),
        Gate("gaj", "gaj[a-z]"),
        Gate("bah", "bah[v1tld]o"),  # Ruby Marshal: an object in base64
        _behind("/", "aaeaaad", "////"),
        "/wey",  # a ViewState holding a BinaryFormatter object
        "\x80[\x02-\x05][\x95(]",
        "\xac\xed\x00\x05",
        "\x04\x08",
    ),
    # a tag in US-ASCII with the high bit set ("¼script¾"), which compatibility forms undo
    "xss": ("\xbc[a-z/!]",),
}

# detector id -> its marks (see the module docstring for the three kinds).
MARKS: dict[str, tuple[Mark, ...]] = {
    "sqli": (
        Gate("select", r"union(?:[\s+]*(?:all|distinct))*[\s(+]*select"),
        # gated by the word: as plain marks, every digit of a text would try them
        *(Gate("union", rf"{re.escape(c)}\s*union") for c in "0123456789)'\"`"),
        *(q + _SQL_AFTER_QUOTE for q in ("'", '"', "`")),
        Call(
            *_vocab.SQLI_TIME_FUNCTIONS,
            *_vocab.SQLI_NO_ARG_FUNCTIONS,
            *_vocab.SQLI_WRAPPING_FUNCTIONS,
            "exec",
            "execute",
            "having",
        ),
        _behind("_", "utl", r"(?:inaddr|http)\."),
        Gate("sys", r"sys\.(?<=ctxsys\.)"),
        *(
            # from the first digit of a number only (the detector wants no word character or
            # dot before it): each run of digits is read once
            rf"{d}(?<![\d.]{d})[\d.]*+[\s)]*(?:or|and|xor|div|&&|\|\||rlike|regexp|like|sounds\s*like|not|is)"
            rf"\s*{_SQL_OPERAND_START}"
            for d in "0123456789"
        ),
        *(Back(op + _BOOL_NUMBER_COMPARED) for op in ("and", "or", "xor")),
        *("&&" + _BOOL_NUMBER, r"\|\|" + _BOOL_NUMBER),
        r";\s*(?:select|insert|update|delete|truncate|drop|create|alter|exec|declare|shutdown"
        r"|waitfor|set\s*@|begin|grant|load_file|copy|if|while|do|call|load)",
        Gate("waitfor", "waitfor"),
        "@@",
        _behind("_", "information", "schema"),
        _behind("_", "pg", "(?:catalog|shadow)"),
        _behind("_", "all|user", "tables"),
        _behind("_", "dba", "users"),
        _behind("_", "sqlite", "master"),
        _behind("_", "xp|sp"),
        Gate("sys", r"sys(?:objects|columns|users|databases)"),
        _behind(".", "mysql", "user"),
        # each from its "file" (a gate whose marks start with their needle is searched for the
        # needle in C; "outfile" first would try its marks at every "o", "d" and "i")
        Gate("file", "file(?:(?<=outfile)|(?<=dumpfile)|(?<=infile))"),
        Gate("select", r"select\b"),
        Gate("insert", r"insert\s+into"),
        Gate("=", r"update\s+[\w.`\"\[\]]+\s+set"),
        Gate("delete", r"delete\s"),
        Gate("exec", r"exec(?:ute)?\s+master\."),
        Gate("case", r"case\s+(?:\S+\s+)?when\s"),
        Gate("drop", r"drop\s+(?:table|database|schema|view|procedure|function|user|index)\s"),
        Gate("order", r"order\s+by\s+\d"),
        Gate("create", r"create\s+(?:table|user|function|procedure)\s"),
        r"/\*",  # a folded comment joins what stands around it
    ),
    "nosqli": (
        rf"\${_vocab.NOSQLI_OPS}\b",
        r"'\s?(?:;|&&|\|\|)",
        r"\"\s?(?:;|&&|\|\|)",
        "&&",
        r"\|\|",
        r";\s?return",
        _behind(".", "this|db"),
        Gate(";", r"new\s+date\s?\(\s?\)\s?;"),
        Gate("{", r"do\s?\{"),
    ),
    "cmdi": (
        *(sep + _CMD_AFTER for sep in _CMD_SEPARATORS),
        *(q + rf"\s?{_trie(_STRONG_COMMANDS)}(?![a-z_])" for q in "'\""),
        "/dev/(?:tcp|udp)/",
        ">&",
        r">\s?/(?:dev|tmp|var|etc)/",
        r"<\s?/etc/",
        r"<&\d",
        r"\(\)\s?\{",
        Back(r"exec\s+\d+<>"),
        r"<!--\s?#\s?exec",
        # cmdi's _OBFUSCATED: brace expansion, a variable's substring, a glob path, a cmdlet
        rf"\{{{_vocab.CMDI_STRONG}\s?,",
        r"\$\{[a-z_]\w*:\d+:\d+\}",
        r"/[a-z?]{0,3}\?[a-z?]{0,3}/",
        *(sep + rf"\s?(?:{_vocab.CMDI_CMDLET_VERBS})-[a-z]" for sep in _CMD_SEPARATORS),
        Call(*_vocab.CMDI_SHELL_FUNCTIONS),
        # rewrites of shell_view: ${IFS}, $1, $@ removed; \n read as a newline; w'h'o, c\at
        r"\$(?:\{?ifs|@|\*|\{?\d\}?(?!\d))",
        r"\\[nr]",
        r"'(?<=[a-z]')'(?=[a-z])",
        r"\"(?<=[a-z]\")\"(?=[a-z])",
        r"\\(?<=[a-z]\\)(?=[a-z])",
        r"'(?<=[a-z]')[a-z]+['\"](?=[a-z])",
        r"\"(?<=[a-z]\")[a-z]+['\"](?=[a-z])",
    ),
    "code_injection": (
        r"<!--\s?#",
        "<esi:",
        r"__(?:import|builtins|globals|subclasses|mro|bases|class|init|code|loader|getattribute"
        r"|reduce)__",
        r"<\?(?:php|=)",
        r"\$\{",
        Gate("constructor", r"constructor\s?\.\s?constructor"),
        _behind(".", "os", "(?:system|popen|exec|spawn|fork|kill|remove|unlink)"),
        _behind(".", "subprocess"),
        _behind(".", "process", "(?:mainmodule|binding|dlopen|kill|exit|env)"),
        _behind(".", "process", r"\s?start"),
        _behind("]", "process", r"\s?::"),
        _behind(".", "open3"),
        # PHP: a request value called, or handed to a variable function
        r"\$_(?:get|post|request|cookie|server|files)\s?\[",
        r"\$[a-z_]\w*\s?\(\s?\$_",
        "%x[({\\[<|]",  # Ruby's command literal
        _behind("-", "invoke", "expression"),
        r"\|\s?iex\b",
        _behind(".", "global", "process"),
        _behind("[", "global|globalthis|process", "\\s?['\"`]", space=True),
        _behind(".", "reflect", "(?:construct|apply)"),
        _behind(".", "module", "require"),
        _behind(".", "runtime", "getruntime"),
        _behind(".", "java", r"lang\."),
        _behind("_", "child", "process"),
        Call(
            *_each(
                "eval|exec|execfile|compile|require|function|processbuilder|system|shell_exec"
                "|passthru|proc_open|popen|pcntl_exec|assert|call_user_func|create_function"
                "|preg_replace|phpinfo|file_get_contents|file_put_contents|fopen|readfile|include"
                "|include_once|require_once|base64_decode|str_rot13|gzinflate|hexdec",
                "",
            ),
            *_vocab.CODE_PHP_CALLBACKS,
            "open",
            "send",
            "const_get",
            "iex",
            "downloadstring",
            "downloadfile",
        ),
        Gate("script", "scriptenginemanager"),
    ),
    "path_traversal": (
        "%[0-9a-f]%[0-9a-f]",  # split-nibble percent encoding, as decoding leaves it
        # from the first dot of a run only, each run read once
        r"\.(?<!\.\.)\.++(?:[;:]?[/\\\x00]|[%^\x00-\x1f\x7f-\uffff]|0x|2f|5c|\?(?:[/\\%]|0x))",
        r"/\.\.",
        _PATH_SENSITIVE_DIRS,
        _PATH_FILES,
        _behind(".", "access|error", "log"),
        _behind("_", "access|error", "log"),
        _behind("/", "proc"),
        _behind(".", "boot|win|system|php", "ini"),
        _behind("/", "windows|winnt|web-inf"),
        r"\.ht(?:access|passwd)",
        r"\.ssh/",
        r"\.bash_history",
        r"\.aws/",
        r"\.env",
        _behind(".", "wp-config", "php"),
        _behind(".", "my", "(?:cnf|ini)"),
        _behind(".", "httpd", "conf"),
        _behind("/", "repair", "sam"),
        _behind("/", "system32", "config"),
        *(
            _behind(":", scheme, "//")
            for scheme in (
                "php",
                "zip",
                "phar",
                "expect",
                "glob",
                "compress.zlib",
                "compress.bzip2",
                "zlib",
                "ogg",
                "rar",
                "input",
            )
        ),
        _behind(":", "data"),
        _behind(":", "file", "/"),
        r"\?[.?](?=[%/^\x00-\x1f\x7f-\uffff]|0x)",
        r"\.\?(?=[%/^\x00-\x1f\x7f-\uffff]|0x)",
        "0x2e0x2e",
        "%2e%2e",
        *(_behind(c, "etc|windows") for c in _PATH_JUNK),
        _behind("0", "etc|windows", "x"),
        _behind("\x7f", "etc|windows"),
        r"\\\.",  # dots escaped with backslashes
        *RAW_MARKS["path_traversal"],
        "\x00",
    ),
    "xss": (
        r"<[a-z!/?]",
        rf"<\s(?:{_vocab.XSS_MARKUP_TAGS})",
        "-->",
        Back(r"on[a-z]{3,40}\s?="),
        r"\.innerhtml",
        "-moz-binding",
        "@import",
        Call(
            "alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "expression", "fetch"
        ),
        _behind(")", "alert|prompt|confirm|eval|settimeout|setinterval", r"\s?[(`]"),
        _behind("`", "alert|prompt|confirm|eval|settimeout|setinterval", space=True),
        r"=\s?(?:alert|prompt|confirm)\b\s?[,;]",
        *(Gate(obj, rf"{obj}\s?\.{rest}") for obj, rest in _XSS_DOT_OBJECTS),
        Gate("\\", r"expression\s?\\"),
        Gate("behavior", r"behavior\s?:"),
        Back(r"location\s?="),
        _behind("[", "top|self", space=True),
        Gate("xmlhttp", "xmlhttprequest"),
        Gate("=", "xmlns"),
        Gate("=", r"data(?:src|fld|formatas)"),
        "\xbc",
        # a script URL, also split by whitespace (browsers skip it; control characters route
        # every detector)
        _behind(":", "data"),
        Gate("script", "s" + "".join(rf"[\s\x00-\x1f]*{c}" for c in "cript:")),
        Gate("script", "d" + "".join(rf"[\s\x00-\x1f]*{c}" for c in "ata:")),
    ),
    "ssti": (
        r"\{[{%]",
        r"\{(?:php|literal|system|exec|passthru|shell_exec|eval|include|fetch|math)\b",
        # Smarty: {$x.y}, {$x|m}, {/if}, {if f(, {Class::m(
        r"\{\$[a-z_]\w{0,64}\s?(?:\.|\||->|\[)",
        r"\{/(?:if|foreach|section|while|php|literal|capture|block|function|strip|for)\}",
        r"\{(?:if|elseif|while)\s",
        r"\{[a-z_]\w{0,64}::",
        r"\$\{",
        r"#\{",
        r"\*\{",
        r"@\{",
        "<#[a-z]",
        "<%",
        r"\[#",
        r"\[\[",
        r"@\(",
        r"@system\.",
        r"@[a-z_][\w.]{0,128}@[a-z_]\w{0,64}\s?\(",  # OGNL static call
        r"\?new",
        r"\?api",
        _behind(".", "freemarker"),
        r"#(?:set|foreach|if|elseif|macro|parse|include|evaluate|define)\s?\(",
        r"\$[a-z_]\w*\.",
    ),
    "xxe": (
        "<!",
        "<\x00!",  # UTF-16 read as bytes
        r"\+adw-\s?!",  # UTF-7
        "<xi:",
        "<xsl:",
        _behind(":", "xmlns", "xi"),
        Gate("xinclude", "xinclude"),
        _behind("-", "unparsed", "text"),
    ),
    "ssrf": (
        _behind(
            ":",
            "gopher|dict|file|ldap|ldaps|tftp|jar|netdoc|sftp|expect|ogg|phar|rmi|mailto|telnet"
            "|smb|redis|mysql|postgres|mongodb|memcache|memcached|fastcgi|imap|pop3|smtp",
        ),
        _behind("2", "ssh", r"[\w.]*:"),
        _behind(":", "http|https|ftp|ftps|ws|wss", r"\s?[/\\]", space=True),
        Gate("localhost", "localhost"),
        _behind(".", "metadata"),
        _behind("-", "instance", "data"),
        r"169\.254\.169\.254",
        r"100\.100\.100\.200",
        # a bare IPv6 loopback or any-address starts a value or follows a quote, a space, "=",
        # "@", "(" or "[" (``_BARE``); in a URL the scheme routes it
        "::(?<![^\\s\"'=@(\\[]::)",
        _behind(":", "fd00", "ec2::254"),
        "0:0:0:0:0:0:0:1",
        # a scheme-relative URL to an address (``//127.0.0.1/``)
        r"//(?=[\[\d])",
    ),
    "ldapi": (
        r"\*\s?(?:\(|\)\s?[()])",
        r"\)\s?\(",
        r"\(\s?[|&!]",
        r"\(\s?[a-z0-9][\w.;-]{0,64}(?::[\w.]{1,64}){0,2}\s?[~<>:]?=[^()]{0,64}\*",
        "\\)\\s?\x00",  # a filter closed before a NUL
    ),
    "crlf": ("\r" + _CRLF_HEADER, "\n" + _CRLF_HEADER, r"\\[rn]"),
    "proto_pollution": ("__proto__", Gate("prototype", "prototype")),
    "deserialization": (
        r"!!(?:python/|ruby/|java|com\.|org\.)",
        "!ruby/",
        _behind(":", "tag", "yaml"),
        _behind("0", "aced", "005"),
        r"_\$\$nd_func",
        Gate("objectdata", "objectdataprovider"),
        _behind(".", "beans", "(?:xmldecoder|eventhandler)"),
        r"<(?:object\s+class|void\s|dynamic-proxy)",
        r'\[ ?"(?:java|javax|com|org|net|ch|sun|oracle)\.',
        '"\\$type"',
        r'"@(?:type|class)"\s?:\s?"\s?\[?[a-z_$][\w$]{0,64}\.',
        '__type"',
        _behind(".", "system", r"windows\.data\."),
        _behind(":", "o|c", r"\+?\d{1,4}:\""),
        _behind(":", "a", r"\+?\d{1,6}:\{"),
        _behind("\n", "cos|cposix|cnt|csubprocess|c__builtin__|cbuiltins|ccommands|cpty|csocket"),
        r"\(s'",
        Gate("cpickle", "cpickle"),
        _behind(".", "pickle", "load"),
        _behind(".", "yaml"),
        *RAW_MARKS["deserialization"],
    ),
    "log4shell": (
        r"\$\{",
        _behind(":", "jndi", space=True),
    ),
}

# Shapes anchored at the start of the text, matched at position 0 only.
HEAD_MARKS: dict[str, tuple[str, ...]] = {
    # Possessive repeats: at the start of a megabyte of spaces, each is read once.
    "sqli": (
        # _QUOTE_OPERATOR
        r"[\w\s]*+['\"`][\s)]*+(?:[-+*/|^&=<>!~%]{1,3}\s*+(?:\d|[(@]|[a-z_]\w*\s*\()"
        r"|[=<>!|^][-+*/|^&=<>!~%]{0,2}\s*+['\"`])",
        # _balanced: one plain value (at most 64 characters, so prose is not read on), a
        # quote, then an operator
        r"\s*+[\w.@-]{0,64}+\s*+['\"][\s)]*+(?:[-+*/|^&=<>!~%]"
        r"|(?:or|and|xor|div|mod|like|rlike|regexp|sounds|is|in|between)\b)",
        NameHead(r"\s*+@"),  # _VAR_COMMENT
        # _LEADING_BOOL
        r"\s*+['\"`]?\s*+\)++\s*+(?:or|and|xor|&&|\|\|)\s",
        rf"\s*+(?:or|and|xor|&&|\|\|)\s++{_SQL_OPERAND_START}",
        r"\s*+(?:or|and|xor)\s++[\w.@]++\s*+(?:[=<>!]|like|is|in|between|rlike|regexp|not)",
        r"\s*+(?:having|where|procedure)\s[^=<>]*+[=<>]",
        r"\s*+limit\s++\d",
        # _EXPR_COMMENT: a value that is an expression ending in a comment
        NameHead(r"[\s(]*+(?:'|\"|@|\d|select|binary|cos|not|-)(?=[\s\S]*(?:--|#|/\*)\s*$)"),
        # _NUMBER_START
        NameHead(
            r"[-+(\s]*+\d[\w.]*[\s)]*+(?:--|#|/\*|[-+*/]\s*+\d+\s*+(?:--|#|/\*)|having|group"
            r"|order|limit|procedure|into|select|waitfor|rlike|regexp|div|for)"
        ),
    ),
    # _LEADING, _LEADING_TOOL: a program path, or a command name (maybe with a version or
    # ".exe") followed by its arguments or the end: a value that is a path or starts with a
    # word like "host" is not a command line (the path written from its "/", so that the
    # engine leaves it at any other first character; apart, as a name can match it)
    "cmdi": (
        NameHead(r"\s?['\")]*\s?/(?:usr/(?:local/)?)?s?bin/"),
        rf"\s?['\")]*\s?{_trie(_COMMANDS)}(?:\d*|\.exe)(?:\s|[;|&)`])",
        # a word that may end a command line ("hostname", "reboot") and ends the text: after a
        # quote or a bracket only, as one word alone is a word (cmdi's _ONE_WORD)
        rf"\s?['\")]+\s?{_trie(_ENDING_WORDS)}\s?$",
    ),
    # a lone (encoded) angle bracket; the end as "\s*$", which gives a trailing line break back
    # (a batch of texts joined with line breaks then reads it as the end of this one)
    "xss": (r"\s*+(?:<\S?|\S<)\s*$",),
}

# Non-ASCII characters that a detector's view turns into syntax.
WIDE_MARKS: dict[str, tuple[str, ...]] = {
    # etc<junk>passwd: from the word, which the regex engine finds by its literal search (from
    # the non-ASCII character, every one of them in a text would be tried)
    "path_traversal": ("etc[\x7f-\uffff]", "windows[\x7f-\uffff]"),
    "crlf": (
        "[" + re.escape(_vocab.CRLF_WIDE_BREAKS + _vocab.CRLF_UNICODE_BREAKS) + "]" + _CRLF_HEADER,
    ),
}
# Marks that count only when the text has a line break (sqli folds line comments then).
NEWLINE_MARKS: dict[str, tuple[str, ...]] = {"sqli": ("--", "#")}
# Characters that path_view rewrites: when present, path marks are looked for in path_view.
_PATH_REWRITES = re.compile("[\\\\\x01-\x08\x0e-\x1f\x80-\xbf\xc0\xc1\xe0\xe1\xf0\xf8\xfc\u0304]")
CONTROL = "[\x00-\x08\x0e-\x1f]"

ALL = frozenset(MARKS)

_Entries = dict[str, tuple[tuple[re.Pattern[str], str], ...]]


def _first_char(pattern: str) -> str:
    """The literal character ``pattern`` starts with."""
    return pattern[1] if pattern[0] == "\\" else pattern[0]


# Prose puts a full stop before a space, a quote or a bracket; no mark starting with "." has
# one of those right after it, so the regex engine need not try the marks of "." there.
_GUARDS = {".": "(?=[^\\s\"',)!;])"}
# The characters of printable ASCII text.
_PRINTABLE_FIRST = frozenset(chr(c) for c in range(0x20, 0x7F))


def _rest(pattern: str) -> str:
    """``pattern`` without its first (literal) character."""
    return pattern[2:] if pattern[0] == "\\" else pattern[1:]


# The look-behinds ``_behind`` writes after a mark's punctuation, ``(?:(?<=os\.)|(?<=db\.))``,
# and the body of each: literal characters and escapes only (so its width is its atom count).
_BEHINDS = re.compile(r"\(\?:((?:\(\?<=(?:[^()\[\]{}*+?|.^$\\]|\\.)+\)\|?)+)\)")
_BEHIND_BODY = re.compile(r"\(\?<=((?:[^()\[\]{}*+?|.^$\\]|\\.)+)\)")
_ATOM = re.compile(r"\\.|.", re.DOTALL)


def _any_behind(bodies: list[str]) -> str:
    """A regex that matches where one of the look-behind ``bodies`` ends: one look-behind per
    width (each must be fixed-width), its bodies as alternatives the engine rejects by their
    first character."""
    by_width: dict[int, list[str]] = {}
    for body in dict.fromkeys(bodies):
        by_width.setdefault(len(_ATOM.findall(body)), []).append(body)
    return "|".join(f"(?<={'|'.join(group)})" for _, group in sorted(by_width.items()))


# One literal character (an escaped punctuation or a plain one) that no quantifier follows,
# and a group of literal words.
_WORDS = re.compile(r"\(\?:([a-z0-9]+(?:\|[a-z0-9]+)*)\)(?![*+?{])")
_LITERAL_ATOM = re.compile(r"(?:\\[^\w\s]|[^\\()\[\]{}|*+?.^$])(?![*+?{])")


def _alternatives(rests: list[str]) -> str:
    """The marks of one first character (without it) as one alternation, written so that the
    engine leaves each at a glance where it cannot match: an alternative that starts with a
    literal or a class is skipped by one comparison, one that starts with a look-behind costs
    a jump into the engine's matcher, hundreds of instructions at every place the character
    stands (every ``.`` of a host name, every ``:`` of an ARN).

    - A mark whose look-behinds (``_behind``) are followed by a literal starts with that
      literal instead, the look-behinds reaching one character further: ``(?<=etc0)x`` is
      ``x(?<=etc0x)``; followed by a group of words, it is one such mark per word.
    - The others (followed by a repeat, a class, a group) are tried behind one guard that
      merges their look-behinds by width, so most places leave them all at once.

    Each alternative keeps its own look-behinds: the alternation matches exactly where the
    marks do."""
    behind: list[str] = []
    bodies: list[str] = []
    others: list[str] = []
    for rest in rests:
        m = _BEHINDS.match(rest)
        if m is None:
            others.append(rest)
            continue
        found = _BEHIND_BODY.findall(m.group(1))
        words = _WORDS.match(rest, m.end())
        heads = [rest[m.end() :]]
        if words is not None:  # one alternative per word: (?<=os\.)(?:system|popen)
            heads = [w + rest[words.end() :] for w in words.group(1).split("|")]
        literals = [_LITERAL_ATOM.match(head) for head in heads]
        if all(literals):
            for head, literal in zip(heads, literals, strict=True):
                atom = literal.group(0)  # type: ignore[union-attr]
                behinds = "|".join(f"(?<={b}{atom})" for b in found)
                others.append(f"{atom}(?:{behinds}){head[len(atom) :]}")
        else:
            behind.append(rest)
            bodies.extend(found)
    if len(behind) > 1:
        others.insert(0, f"(?:{_any_behind(bodies)})(?:{'|'.join(behind)})")
    else:
        others[:0] = behind
    return "|".join(others)


def _union(by_char: dict[str, dict[str, list[str]]], flags: int = 0) -> re.Pattern[str]:
    """One regex for marks grouped by first character and detector: one branch per
    character, so the regex engine tries a character's marks only where it stands. No marks:
    a regex that never matches."""
    if not by_char:
        return re.compile("(?!)")
    return re.compile(
        "|".join(
            re.escape(c)
            + _GUARDS.get(c, "")
            + "(?:"
            + _alternatives([_rest(p) for ps in rules.values() for p in ps])
            + ")"
            for c, rules in by_char.items()
        ),
        flags,
    )


PLACES = 32  # mark places a group confirms one by one before it looks for each detector


class _Group:
    """Marks tried together: one regex over all of them (found in C by their first characters),
    and per first character the marks (with their detector) to confirm at a found position.

    Each regex is compiled on first use: compiling all of them costs hundreds of milliseconds,
    which an import (a Lambda cold start) would pay for marks most functions never meet."""

    def __init__(self, marks: list[tuple[str, str]], flags: int = 0) -> None:
        self._flags = flags  # of the regex of every mark
        by_char: dict[str, dict[str, list[str]]] = {}
        for pattern, rule in marks:
            by_char.setdefault(_first_char(pattern), {}).setdefault(rule, []).append(pattern)
        self._by_char = by_char
        self._any: re.Pattern[str] | None = None
        self._entries: _Entries = {}
        # per detector, one regex for all its marks: once a text has a mark, the detectors
        # still missing are each looked for once, not mark by mark
        per_rule: dict[str, dict[str, dict[str, list[str]]]] = {}
        for c, rules in by_char.items():
            for rule, ps in rules.items():
                per_rule.setdefault(rule, {}).setdefault(c, {})[rule] = ps
        self._per_rule = per_rule
        self._rule_rx: dict[str, re.Pattern[str]] = {}
        self._alone: dict[str, re.Pattern[str]] = {}

    def present(self, text: str) -> re.Pattern[str] | None:
        """The regex of the marks that can start in ``text``: None when it holds none of their
        first characters, the marks of that character alone when it holds one (the regex
        engine then finds the character by its fast literal search, where the group's regex
        tests every character against a set), else the group's. For groups of few first
        characters that most texts lack (line breaks, control and non-ASCII characters):
        a substring test per character, in C."""
        held = [c for c in self._by_char if c in text]
        if not held:
            return None
        if len(held) > 1:
            return self.any
        rx = self._alone.get(held[0])
        if rx is None:
            rx = self._alone[held[0]] = _union({held[0]: self._by_char[held[0]]}, self._flags)
        return rx

    def starts_with(self, word: str) -> bool:
        """Every mark of the group starts with the letters and digits ``word``: the regex of
        the group then has it as a literal prefix, which the regex engine searches for in C."""
        return word.isalnum() and all(
            p.startswith(word)
            for rules in self._by_char.values()
            for ps in rules.values()
            for p in ps
        )

    @property
    def any(self) -> re.Pattern[str]:
        """The regex of every mark of the group."""
        rx = self._any
        if rx is None:
            rx = self._any = _union(self._by_char, self._flags)
        return rx

    def entries(self, char: str) -> tuple[tuple[re.Pattern[str], str], ...]:
        """Per detector, one regex for its marks that start with ``char``."""
        found = self._entries.get(char)
        if found is None:
            rules = self._by_char.get(char, {})
            found = tuple((re.compile("|".join(ps)), rule) for rule, ps in rules.items())
            self._entries[char] = found
        return found

    def rules_in(
        self,
        text: str,
        found: set[str],
        first: re.Match[str] | None = None,
        any_mark: re.Pattern[str] | None = None,
    ) -> None:
        """Add to ``found`` the detectors with a mark in ``text``: from the places where a
        mark stands (each confirmed by the marks of its first character), as few as most texts
        have; past ``PLACES`` of them, each detector still missing is looked for once (one
        pass over the text per detector, which a long text with few marks would pay in
        full). ``first``: the group regex's first match in ``text``, when the caller has it;
        ``any_mark``: the regex to find places with (``present``), else the group's."""
        any_mark, entries = any_mark or self.any, self.entries
        m = any_mark.search(text) if first is None else first
        for _ in range(PLACES):
            if m is None:
                return
            pos = m.start()
            for rx, rule in entries(text[pos]):
                if rule not in found and rx.match(text, pos):
                    found.add(rule)
            m = any_mark.search(text, pos + 1)
        if m is None:
            return
        compiled = self._rule_rx
        for rule, chars in self._per_rule.items():
            if rule in found:
                continue
            union = compiled.get(rule)
            if union is None:
                union = compiled[rule] = _union(chars)
            if union.search(text) is not None:
                found.add(rule)

    def scan(
        self,
        text: str,
        limit: int,
        end: int = -1,
        skip: Set[str] = frozenset(),
        any_mark: re.Pattern[str] | None = None,
    ) -> Iterator[tuple[int, str]]:
        """(position, detector id) of the marks in ``text`` (starting before ``end``, if given),
        at most ``limit`` positions; marks of the detectors in ``skip`` are not confirmed.
        ``any_mark``: the regex to find places with (``present``), else the group's."""
        any_mark, entries = any_mark or self.any, self.entries
        end = len(text) if end < 0 else end
        m = any_mark.search(text, 0, end)
        count = 0
        while m is not None and count < limit:
            pos = m.start()
            count += 1
            for rx, rule in entries(text[pos]):
                if rule not in skip and rx.match(text, pos):
                    yield pos, rule
            m = any_mark.search(text, pos + 1, end)


_NAME_BEFORE = re.compile(r"[\w.]+$")


class _MarkSet:
    """The marks of some detectors, ready to scan: plain marks in one regex, gated marks per
    needle, call marks from the parentheses."""

    def __init__(self, table: dict[str, tuple[Mark, ...]]) -> None:
        plain: list[tuple[str, str]] = []
        gated: dict[str, list[tuple[str, str]]] = {}
        calls: dict[str, set[str]] = {}
        back: list[tuple[str, str]] = []
        for rule, marks in table.items():
            for mark in marks:
                if isinstance(mark, Call):
                    calls.setdefault(rule, set()).update(mark)
                elif isinstance(mark, Back):
                    back.extend((p, rule) for p in _back_marks(mark.pattern))
                elif isinstance(mark, Gate):
                    gated.setdefault(mark.needle, []).append((mark.pattern, rule))
                else:
                    plain.append((mark, rule))
        # Plain marks that printable ASCII text can start, and the others (a line break, a
        # control or non-ASCII character first): most texts need only the first regex. It is
        # compiled with MULTILINE, so that in texts joined by line breaks (``_batch``) ``$``
        # still matches where each ends; on one text MULTILINE can only find more.
        printable = [(p, rule) for p, rule in plain if _first_char(p) in _PRINTABLE_FIRST]
        self.plain = _Group(printable, re.MULTILINE)
        self.plain_other = _Group([m for m in plain if m not in printable])
        self.char_gates = tuple((n, _Group(g)) for n, g in gated.items() if len(n) == 1)
        chars = "".join(n for n, _ in self.char_gates)
        self.any_gate_char = re.compile("[" + re.escape(chars) + "]") if chars else None
        self.word_gates = tuple((n, _Group(g)) for n, g in gated.items() if len(n) > 1)
        self.calls = tuple((rule, tuple(sorted(names))) for rule, names in calls.items())
        # Back marks, reversed: searched in the reversed text (``back_in``)
        self.back = _Group(back)

    def back_in(self, low: str, limit: int) -> Iterator[tuple[int, str]]:
        """(position of the last character, detector id) of each Back mark of ``low``."""
        rx = self.back.present(low)
        if rx is not None:
            last = len(low) - 1
            for pos, rule in self.back.scan(low[::-1], limit, any_mark=rx):
                yield last - pos, rule

    def scan(self, low: str, limit: int) -> Iterator[tuple[int, str]]:
        yield from self.plain.scan(low, limit)
        yield from self.back_in(low, limit)
        if not (low.isascii() and low.isprintable()):
            other = self.plain_other.present(low)
            if other is not None:
                yield from self.plain_other.scan(low, limit, any_mark=other)
        if self.calls and "(" in low:
            yield from self.calls_in(low, limit)
        if self.any_gate_char is not None and self.any_gate_char.search(low):
            for needle, group in self.char_gates:
                if needle in low:
                    yield from group.scan(low, limit)
        for needle, group in self.word_gates:
            if needle in low:
                yield from group.scan(low, limit)

    def calls_in(self, low: str, limit: int) -> Iterator[tuple[int, str]]:
        """(start of the name, detector id) for each ``name\\s*(`` of a ``Call`` mark: from
        each ``(`` (a C substring search), back over whitespace to the name's last character
        (``[\\w.]``), as a regex for that character would find it only by stopping at every
        letter of the text."""
        count = 0
        paren = low.find("(")
        while paren >= 0 and count < limit:
            end = paren  # just after the name's last character
            while end and low[end - 1].isspace():
                end -= 1
            last = low[end - 1] if end else "("
            if last.isalnum() or last in "_.":
                count += 1
                m = _NAME_BEFORE.search(low, max(0, end - 64), end)
                if m is not None:
                    name = m.group(0)
                    for rule, names in self.calls:
                        if name.endswith(names) or (
                            rule == "code_injection" and "call_user" in name
                        ):
                            yield m.start(), rule
            paren = low.find("(", paren + 1)


_ALL = _MarkSet(MARKS)
_RAW = _MarkSet(RAW_MARKS)
# sql_view reads control characters as spaces: sqli's marks are also looked for with them so.
_SQLI = _MarkSet({"sqli": MARKS["sqli"]})
_CONTROL_AS_SPACE = str.maketrans(dict.fromkeys([*range(0x09), *range(0x0E, 0x20)], " "))
_NEWLINE = _Group([(p, rule) for rule, ps in NEWLINE_MARKS.items() for p in ps])
_PATH = _MarkSet({"path_traversal": MARKS["path_traversal"]})
_HEADS = tuple((re.compile(p), rule) for rule, ps in HEAD_MARKS.items() for p in ps)
_ANY_HEAD = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in _HEADS))
_WIDES = tuple((re.compile(p), rule) for rule, ps in WIDE_MARKS.items() for p in ps)
_CONTROL = re.compile(CONTROL)


def _heads(low: str) -> Iterator[tuple[int, str]]:
    if _ANY_HEAD.match(low):
        for rx, rule in _HEADS:
            if rx.match(low):
                yield 0, rule


def marks(low: str, raw_low: str | None = None, limit: int = 1 << 30) -> Iterator[tuple[int, str]]:
    """(position, detector id) for every mark of ``low`` (the lower-cased decoded text); with
    ``raw_low`` (the lower-cased raw text, when decoding changed it) its marks too. Positions
    are offsets in the text they were found in; each kind of mark yields at most ``limit``."""
    yield from _ALL.scan(low, limit)
    if raw_low is not None:
        yield from _RAW.scan(raw_low, limit)
    yield from _heads(low)
    yield from _lines_and_wides(low, limit)
    yield from _rewrites(low, limit)


_NO_LIMIT = 1 << 62


def _lines_and_wides(low: str, limit: int) -> Iterator[tuple[int, str]]:
    """Marks of line comments (sqli) and of non-ASCII characters."""
    last_line = low.rfind("\n")
    if last_line > 0:  # sql_view folds the comments of every line but the last
        yield from _NEWLINE.scan(low, limit, last_line)
    if not low.isascii():
        for rx, rule in _WIDES:
            for count, m in enumerate(rx.finditer(low)):
                if count >= limit:
                    break
                yield m.start(), rule


def _rewrites(low: str, limit: int) -> Iterator[tuple[int, str]]:
    """Marks of what path_view and sql_view rewrite: stray bytes and backslashes (path),
    control characters (sqli). Each rewritten character is looked at in a region around it
    (``REGION`` characters either side): a mark that reaches farther than that over
    rewritten text is not looked for."""
    controls = _has_controls(low)
    if controls or not low.isascii() or "\\" in low:
        for start, end, chars in _regions(low, _PATH_REWRITES, limit):
            # path_traversal is loaded on the first text with such a character, not with the
            # table
            from .path_traversal import path_view

            if any(_PATH.scan(path_view(low[start:end]), 1)):
                yield from ((pos, "path_traversal") for pos in chars)
    if not controls:
        return
    for start, end, _chars in _regions(low, _CONTROL, limit):
        spaced = low[start:end].translate(_CONTROL_AS_SPACE)  # same length: positions hold
        yield from ((start + pos, rule) for pos, rule in _SQLI.scan(spaced, limit))
        if start == 0:
            yield from ((pos, rule) for pos, rule in _heads(spaced) if rule == "sqli")


# The ASCII characters that are not printable and not CONTROL.
_SPACES_AND_DELETE = ("\t", "\n", "\r", "\x0b", "\x0c", "\x7f")


def _has_controls(low: str) -> bool:
    """``_CONTROL.search(low) is not None``; in ASCII text from substring tests and
    replacements (C loops over bytes) instead of a class test per character."""
    if low.isprintable():
        return False
    if not low.isascii():
        return next(_where(low, _CONTROL), -1) >= 0
    for c in _SPACES_AND_DELETE:
        if c in low:
            low = low.replace(c, " ")
    return not low.isprintable()


REGION = 256

# Per one-character class of ``_where``, its Latin-1 members as a byte table (1 a member, 0
# another byte), derived from the class itself.
_BYTE_MEMBERS = {
    rx: bytes(1 if rx.fullmatch(chr(b)) else 0 for b in range(256))
    for rx in (_PATH_REWRITES, _CONTROL)
}


def _where(low: str, chars: re.Pattern[str]) -> Iterator[int]:
    """The positions of the characters the one-character class ``chars`` finds in ``low``, in
    order. In a text of Latin-1 characters (each one byte of ``low.encode("latin-1")``, at
    the same position) a byte translation marks the members and C byte searches find them,
    about 1.5 ns a character where the regex tests each character against the class (about
    6 ns in a non-ASCII text); any other text is left to the regex."""
    try:
        data = low.encode("latin-1")
    except UnicodeEncodeError:
        yield from (m.start() for m in chars.finditer(low))
        return
    members = data.translate(_BYTE_MEMBERS[chars])
    pos = members.find(1)
    while pos >= 0:
        yield pos
        pos = members.find(1, pos + 1)


def _regions(low: str, chars: re.Pattern[str], limit: int) -> Iterator[tuple[int, int, list[int]]]:
    """Merged regions of ``low`` around the characters ``chars`` finds, with their positions."""
    start = end = -1
    found: list[int] = []
    for count, pos in enumerate(_where(low, chars)):
        if count >= limit:
            break
        if found and pos - REGION <= end:
            end = min(len(low), pos + REGION)
            found.append(pos)
            continue
        if found:
            yield start, end, found
        start, end, found = max(0, pos - REGION), min(len(low), pos + REGION), [pos]
    if found:
        yield start, end, found


# The characters that gate a mark or end a Back mark, and the parenthesis (calls).
_PUNCT_EXTRAS = "".join(n for n, _ in _ALL.char_gates) + "".join(_ALL.back._by_char) + "(\\"
# Characters after which marks() has more to look at than the plain marks: gate characters,
# control characters, what path_view rewrites, a parenthesis (calls).
_EXTRAS = re.compile(
    "["
    + re.escape(_PUNCT_EXTRAS)
    + "\x00-\x08\x0e-\x1f\x80-\xbf\xc0\xc1\xe0\xe1\xf0\xf8\xfc\u0304]"
)
_WORD_NEEDLES = tuple(n for n, _ in _ALL.word_gates)
# The characters after which route() looks further than the plain marks: in printable ASCII
# text (no line break, control or non-ASCII character) that has none of them and no plain mark,
# only the gate words and the head marks remain to look for.
_GATE_CHARS = re.compile("[" + re.escape(_PUNCT_EXTRAS) + "]")


def route(low: str, raw_low: str | None = None) -> set[str]:
    """The ids of the detectors that ``low`` (and ``raw_low``) carry a mark of: what ``marks``
    finds, with each kind of mark looked for only after its cheap pre-check passed."""
    found: set[str] = set()
    printable = low.isascii() and low.isprintable()
    first = _ALL.plain.any.search(low)  # the first plain mark: rules_in goes on from it
    if printable and first is None and _GATE_CHARS.search(low) is None:
        _words_heads_raw(low, raw_low, found)  # all that such a text can have
        return found
    if first is not None:
        _ALL.plain.rules_in(low, found, first)
    if not printable:
        other = _ALL.plain_other.present(low)
        if other is not None and (first := other.search(low)) is not None:
            _ALL.plain_other.rules_in(low, found, first, other)
    if _EXTRAS.search(low) is not None:
        if "(" in low:
            found.update(rule for _, rule in _ALL.calls_in(low, _NO_LIMIT))
        for needle, group in _ALL.char_gates:
            if needle in low:
                group.rules_in(low, found)
        back = _ALL.back.present(low)
        if back is not None:
            _ALL.back.rules_in(low[::-1], found, None, back)
        found.update(rule for _, rule in _rewrites(low, _NO_LIMIT))
    if "\n" in low or not low.isascii():
        found.update(rule for _, rule in _lines_and_wides(low, _NO_LIMIT))
    _words_heads_raw(low, raw_low, found)
    return found


def _words_heads_raw(low: str, raw_low: str | None, found: set[str]) -> None:
    """Add to ``found`` the detectors of the gate words, the head marks and the raw marks."""
    if any(map(low.__contains__, _WORD_NEEDLES)):
        for needle, group in _ALL.word_gates:
            if needle in low:
                group.rules_in(low, found)
    if _ANY_HEAD.match(low) is not None:
        found.update(rule for _, rule in _heads(low))
    if raw_low is not None:
        found.update(rule for _, rule in _RAW.scan(raw_low, _NO_LIMIT))

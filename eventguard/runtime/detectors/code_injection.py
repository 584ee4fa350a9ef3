"""Code injection (CWE-94): Python, Node.js and PHP code, and server-side includes, in a value.

What it catches
    - Python: ``__import__(``, ``os.system(``/``os.popen(``, ``subprocess.*(``, ``eval(``,
      ``exec(``, ``compile(``, dunder walks (``__class__.__mro__``, ``__subclasses__``,
      ``__globals__``, ``__builtins__``);
    - Node.js: ``require('child_process')``, ``process.mainModule`` (also
      ``process['mainModule']``), ``process.binding(``, ``Reflect.construct(Function, ...)``,
      ``Function('return ...')``, ``.constructor.constructor(``, ``child_process.exec``;
    - PHP: ``system(``, ``shell_exec(``, ``passthru(``, ``proc_open(``, ``assert(``,
      ``call_user_func(``, ``<?php``, ``${@phpinfo()}``, ``preg_replace('/.*/e'``;
    - Server-side includes and edge-side includes: ``<!--#exec cmd="..." -->``,
      ``<!--#include virtual=...-->``, ``<esi:include src=...>``.

Why
    A function that evaluates a string (eval, template engines, SSI processors) runs whatever
    that string says. The calls above are the vocabulary of such payloads and do not occur in
    prose: "eval" or "system" as words are fine, ``system('id')`` is not.

Examples
    ``__import__('os').system('id')``, ``require('child_process').exec('ls')``,
    ``<!--#exec cmd="ls" -->``, ``eval(compile('...','x','exec'))``, ``;system('cat x');``.

References
    CWE-94, CWE-95, CWE-97; OWASP Code Injection; PayloadsAllTheThings "Server Side Include
    Injection".
"""

from __future__ import annotations

import re

from ..model import Match
from . import _vocab
from ._normalize import Views, hit, leftmost, match_at, views, words

ID = "code_injection"
CWE = "CWE-94"

_CALL_ARGS = r"\s?\(\s?(?:['\"`$]|\w+\s?\(|\)|\$)"
# A call written with a space before its parenthesis after a prose word ("our system ('Atlas')
# is down") is prose, not code: code calls such a function at the start of a value or after
# punctuation (``;system ('id')``), or the call is complete and code goes on after it
# (``system ('id');``, ``?>``, a method call on its result).
_CLOSED_CALL = (
    r"\s?(?:'[^'()]{0,256}'|\"[^\"()]{0,256}\"|`[^`()]{0,256}`|\$\w+)"
    r"\s?\)\s?(?:;|\?>|\.\s?[a-z_]\w*\s?\()"
)


def _call(name: str) -> str:
    """``name``, optional whitespace, ``(``: with whitespace, only where code can call it (see
    ``_CLOSED_CALL``). A ``name`` that is a pattern (``call_user_func\\w*``) keeps the plain
    form."""
    if not name.isidentifier():
        return name + r"\s?\("
    return rf"{name}\s?\((?:(?<=\S\()|(?<![a-z]\s{name}\s\()|(?={_CLOSED_CALL}))"


def _call_args(name: str) -> str:
    """``_call(name)`` followed by what starts an argument of code (``_CALL_ARGS``)."""
    return _call(name) + _CALL_ARGS.removeprefix(r"\s?\(")


# Every alternative starts with a literal (``words`` puts the word boundary after the first
# letter), so the regex engine skips in C to the few letters that can start one.
_MARKUP = (
    r"<!--\s?#\s?(?:exec|include|echo|set|config|printenv|fsize|flastmod|if|elif|else|endif)\b"
    r"|<esi:(?:include|vars|debug|assign|eval|choose|when|otherwise|try|attempt|except|inline"
    r"|remove|comment)\b"
)
# A dunder name that walks objects: read as an attribute, key or argument (``.__class__``,
# ``['__globals__']``, ``getattr(__builtins__,``) or followed by one (``__init__.__globals__``,
# ``__subclasses__()``); a module file (``__init__.py``) or a word of prose ("the __init__
# method") is no walk.
_DUNDER_NAMES = (
    r"(?:builtins|globals|subclasses|mro|bases|class|init|code|loader|getattribute|reduce)__"
)
_DUNDER = (
    rf"__import__\s?\(|__(?:(?<=[.'\"\[(,=]__){_DUNDER_NAMES}"
    rf"|{_DUNDER_NAMES}\s?[.\[(](?!pyc?\b))"
)
_PHP_TAG = r"<\?(?:php\b|=)"
_DOLLAR_CALL = r"\$\{\s?@?\s?[a-z_]\w*\s?\("
_DOT_CONSTRUCTOR = r"\.\s?constructor\s?\.\s?constructor\s?\("
# PHP: a request value called as a function (``$_GET['f']($_GET['a'])``) or handed to a
# variable function (``$f($_POST['c'])``): a web shell's one line.
_PHP_REQUEST = r"\$_(?:get|post|request|cookie|server|files)\b"
_REQUEST_CALL = rf"{_PHP_REQUEST}\s?\[[^\]]{{0,64}}\]\s?\(|\$[a-z_]\w{{0,64}}\s?\(\s?{_PHP_REQUEST}"
# Ruby's %x() command literal, after a delimiter (printf's "%x" is followed by no bracket).
_RUBY_COMMAND = r"%x(?<![\w%]%x)[({\[<|]\s?[a-z/$.]"
# The PHP functions that run commands or code, handed by name to a function that calls it
# (``_vocab.CODE_PHP_CALLBACKS``): ``array_map('system', ...)``, ``usort($a, 'assert')``.
_PHP_COMMANDS = (
    r"(?:system|exec|shell_exec|passthru|assert|popen|proc_open|pcntl_exec|phpinfo|eval"
    r"|create_function)"
)
_WORDS = (
    r"os\.(?:system|popen|exec\w*|spawn\w*|fork|kill|remove|unlink)\s?\(",
    r"subprocess\.(?:call|run|popen|check_output|check_call|getoutput|getstatusoutput)\s?\(",
    *(
        _call(name) + r"\s?(?:['\"`]|\$\w|\w+\s?\(|base64|atob|request|chr\(|string\.fromcharcode"
        r"|[\w.]+\s?\)\s?$)"
        for name in (
            "eval",
            "exec",
            "compile",
            "execfile",
            "instance_eval",
            "class_eval",
            "module_eval",
            "instance_exec",
        )
    ),
    *(
        rf"{name}\s?\([^()]{{0,128}}?['\"]{_PHP_COMMANDS}['\"]\s?[,)]"
        for name in _vocab.CODE_PHP_CALLBACKS
    ),
    # Ruby: a pipe opened as a file (``open('|id')``), a method sent by name, Kernel fetched
    # by name, Open3
    r"open\s?\(\s?['\"]\s?\|",
    r"send\s?\(\s?[:'\"](?:system|exec|spawn|eval|instance_eval|class_eval|syscall|open|`)",
    r"const_get\s?\(\s?[:'\"](?:kernel|io|process|open3|file)\b",
    r"open3\.(?:popen\w*|capture\w*|pipeline\w*)\s?\(",
    # .NET: Process.Start, also as PowerShell writes it ([System.Diagnostics.Process]::Start)
    r"process\]?\s?(?:\.|::)\s?start\s?\(\s?(?:['\"@$]|new\b)",
    # PowerShell: a string evaluated, a script downloaded
    r"invoke-expression\b",
    r"iex\s?(?:['\"$]|\(\s?(?:new-object|\[|\$|['\"(]|iwr\b|irm\b|invoke-))",
    r"downloadstring\s?\(",
    r"downloadfile\s?\(",
    r"child_process\b",
    r"process\.(?:mainmodule|binding|dlopen|kill|exit|env)\b",
    r"require\s?\(\s?['\"`](?:child_process|fs|net|vm|os|http)['\"`]",
    r"constructor\s?\.\s?constructor\s?\(",
    r"new\s+function\s?\(\s?['\"`]",
    r"function\s?\(\s?['\"`]return\b",
    r"global\.process\b",
    # the same reached with brackets (``global['process']['mainModule']``) or through Reflect
    r"global\s?\[\s?['\"`]process['\"`]",
    r"globalthis\s?\[\s?['\"`]process['\"`]",
    r"process\s?\[\s?['\"`](?:mainmodule|binding|dlopen)['\"`]",
    r"reflect\.(?:construct|apply)\s?\(\s?function\b",
    r"module\.require\b",
    *(
        _call_args(name)
        for name in (
            "system",
            "shell_exec",
            "passthru",
            "proc_open",
            "popen",
            "pcntl_exec",
            "assert",
            r"call_user_func\w*",
            "create_function",
            "preg_replace",
            "phpinfo",
            "file_get_contents",
            "file_put_contents",
            "fopen",
            "readfile",
            "include",
            "require",
            "include_once",
            "require_once",
            "base64_decode",
            "str_rot13",
            "gzinflate",
            "hexdec",
        )
    ),
    # not when it only asks for the machine's resources ("getRuntime().availableProcessors()
    # returns 2 here"): exec, load or halt is what an injected expression calls
    r"runtime\.getruntime\(\)(?!\s?\.\s?(?:availableprocessors|totalmemory|freememory|maxmemory)"
    r"\s?\(\s?\))",
    r"java\.lang\.(?:runtime|processbuilder|system)\b",
    r"processbuilder\s?\(",
    r"scriptenginemanager\b",
)
_PATTERN = re.compile(
    rf"{_MARKUP}|{_DUNDER}|{_PHP_TAG}|{_DOLLAR_CALL}|{_DOT_CONSTRUCTOR}|{_REQUEST_CALL}"
    rf"|{_RUBY_COMMAND}|" + words(*_WORDS)
)
# _PATTERN in pieces that start with a literal, each behind a cheap test that every match of it
# passes; the leftmost start found is where _PATTERN matches. A word's boundary is a look-behind
# after its leading name, so that the piece starts with the name. A call ``name\s?(`` runs only
# when a word ending in that name stands before a "(" (found in one pass over the reversed text:
# the regex engine jumps between "(" in C); the others when a substring they hold is there.
_NAME = re.compile(r"[a-z0-9_]+")
_BEFORE_PAREN = re.compile(r"\(\s?(\w+)")


def _word_piece(word: str) -> tuple[str, bool, re.Pattern[str]]:
    """The literal a match of ``words(word)`` starts with (for a call of it: reversed, after a
    space, as it stands in the reversed words before a "("), whether it is such a call, and the
    pattern of it that starts with its leading name."""
    name = _NAME.match(word)
    assert name
    rest = word[name.end() :]
    literal = name.group(0) + ("." if rest.startswith(r"\.") else "")
    piece = re.compile(rf"{name.group(0)}(?<![0-9a-z_]{name.group(0)}){rest}")
    if rest.startswith(r"\s?\("):
        return " " + literal[::-1], True, piece
    return literal, False, piece


_WORD_PIECES = tuple(map(_word_piece, _WORDS))
_PIECES = (
    ("<", re.compile(_MARKUP + "|" + _PHP_TAG)),
    ("__", re.compile(_DUNDER)),
    ("${", re.compile(_DOLLAR_CALL)),
    ("$", re.compile(_REQUEST_CALL)),
    ("%x", re.compile(_RUBY_COMMAND)),
    ("constructor", re.compile(_DOT_CONSTRUCTOR)),
    *((needle, rx) for needle, call, rx in _WORD_PIECES if not call),
)
_CALL_PIECES = tuple((needle, rx) for needle, call, rx in _WORD_PIECES if call)


# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (
    "(",
    "<!--",
    "<esi:",
    "__",
    "child_process",
    "process.",
    "<?",
    "java.lang",
    "global.",
    "module.",
    "scriptengine",
    "${",
    "%x",
    "invoke-expression",
    "global",
    "process",
)


def _search(low: str) -> re.Match[str] | None:
    """``_PATTERN.search(low)``."""
    best = leftmost(low, _PIECES)
    if "(" in low:
        called = " " + " ".join(_BEFORE_PAREN.findall(low[::-1]))  # words before "(", reversed
        best = leftmost(called, _CALL_PIECES, best, target=low)
    return match_at(_PATTERN, low, best)


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not (
        "(" in low
        or "<!--" in low
        or "<esi:" in low
        or "__" in low
        or "child_process" in low
        or "process." in low
        or "<?" in low
        or "java.lang" in low
        or "global." in low
        or "module." in low
        or "scriptengine" in low
        or "${" in low
        or "%x" in low
        or "invoke-expression" in low
        or ("[" in low and ("process" in low or "global" in low))
    ):  # any_in(low, NEEDLES), written out (the last as a "[" and a word before it)
        return None
    m = _search(low)
    if m:
        return hit(v, m.start(), m.end(), "code evaluation: " + m.group(0)[:24])
    return None


def detect(text: str) -> Match | None:
    """The first code injection shape in ``text``, or None."""
    return detect_views(views(text))

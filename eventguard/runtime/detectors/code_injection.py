"""Code injection (CWE-94): Python, Node.js and PHP code, and server-side includes, in a value.

What it catches
    - Python: ``__import__(``, ``os.system(``/``os.popen(``, ``subprocess.*(``, ``eval(``,
      ``exec(``, ``compile(``, dunder walks (``__class__.__mro__``, ``__subclasses__``,
      ``__globals__``, ``__builtins__``);
    - Node.js: ``require('child_process')``, ``process.mainModule``, ``process.binding(``,
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
from ._normalize import Views, any_in, hit, views, words

ID = "code_injection"
CWE = "CWE-94"

_CALL_ARGS = r"\s?\(\s?(?:['\"`$]|\w+\s?\(|\)|\$)"
# Every alternative starts with a literal (``words`` puts the word boundary after the first
# letter), so the regex engine skips in C to the few letters that can start one.
_PATTERN = re.compile(
    r"<!--\s?#\s?(?:exec|include|echo|set|config|printenv|fsize|flastmod|if|elif|else|endif)\b"
    r"|<esi:(?:include|vars|debug|assign|eval|choose|when|otherwise|try|attempt|except|inline"
    r"|remove|comment)\b"
    r"|__import__\s?\(|__(?:builtins|globals|subclasses|mro|bases|class|init|code|loader"
    r"|getattribute|reduce)__\b"
    r"|<\?(?:php\b|=)|\$\{\s?@?\s?[a-z_]\w*\s?\(|\.\s?constructor\s?\.\s?constructor\s?\(|"
    + words(
        r"os\.(?:system|popen|exec\w*|spawn\w*|fork|kill|remove|unlink)\s?\(",
        r"subprocess\.(?:call|run|popen|check_output|check_call|getoutput|getstatusoutput)\s?\(",
        *(
            rf"{name}\s?\(\s?(?:['\"`]|\w+\s?\(|base64|atob|request|chr\(|string\.fromcharcode"
            r"|[\w.]+\s?\)\s?$)"
            for name in ("eval", "exec", "compile", "execfile")
        ),
        r"child_process\b",
        r"process\.(?:mainmodule|binding|dlopen|kill|exit|env)\b",
        r"require\s?\(\s?['\"`](?:child_process|fs|net|vm|os|http)['\"`]",
        r"constructor\s?\.\s?constructor\s?\(",
        r"new\s+function\s?\(\s?['\"`]",
        r"function\s?\(\s?['\"`]return\b",
        r"global\.process\b",
        r"module\.require\b",
        *(
            name + _CALL_ARGS
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
        r"runtime\.getruntime\(\)",
        r"java\.lang\.(?:runtime|processbuilder|system)\b",
        r"processbuilder\s?\(",
        r"scriptenginemanager\b",
    )
)
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
)


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    m = _PATTERN.search(low)
    if m:
        return hit(v, m.start(), m.end(), "code evaluation: " + m.group(0)[:24])
    return None


def detect(text: str) -> Match | None:
    """The first code injection shape in ``text``, or None."""
    return detect_views(views(text))

"""OS command injection (CWE-78): shell syntax that starts a command of the attacker's choice.

What it catches
    Read on a shell view of the text (decoded, lower-cased, ``${IFS}``/``$IFS$9`` read as a
    space, quote-splitting such as ``w'h'o'am'i`` or ``c\\at`` and empty ``$@`` removed):

    - a separator (``;``, ``|``, ``||``, ``&``, ``&&``, newline) or a substitution (``$(``,
      backtick) followed by a known command, optionally with a path (``;/usr/bin/id``,
      ``| nc 10.0.0.1 4444``, ``&& ping -c 10 host``, ``\\n cat /etc/passwd``);
    - a value that is itself a command line of a well-known shell or network tool
      (``perl -e '...'``, ``sleep 5``, ``which curl``);
    - redirections and devices used by reverse shells (``>& /dev/tcp/...``, ``2>&1``,
      ``> /tmp/x``, ``0<&196``);
    - Shellshock function definitions (``() { :;};``);
    - shell expansions that stand for what a filter forbids: brace expansion running a command
      (``{cat,/etc/passwd}``), a variable's substring for a character (``${PATH:0:1}``), glob
      wildcards for a path (``/???/??t``); PowerShell cmdlets after a separator
      (``| Get-Process``, ``; Invoke-WebRequest http://...``);
    - a quoted command line handed to a function that runs a shell (``system('id')``,
      ``os.popen("cat /etc/passwd")``, ``exec('ls')``) and server-side include
      ``<!--#exec cmd=...-->``.

Why
    English has semicolons and ampersands too ("milk & eggs; sleep well"): a separator alone is
    not an attack. A separator followed by a command name that only makes sense to a shell
    (``whoami``, ``uname``, ``wget``), or by an ambiguous word with shell-shaped arguments
    (``sleep 10``, ``type c:\\boot.ini``, ``net user``), is.

Examples
    ``; cat /etc/passwd``, ``$(whoami)``, ``` `id` ```, ``a|ping${IFS}-c${IFS}3${IFS}x``,
    ``& net user hacker P@ss /add``, ``() { :;}; /bin/bash -c id``.

References
    CWE-78; OWASP Command Injection Defense Cheat Sheet; PayloadsAllTheThings
    "Command Injection"; commix.
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, hit, views
from ._vocab import CMDI_CMDLET_VERBS as _CMDLET_VERBS
from ._vocab import CMDI_SHELL_FUNCTIONS as _SHELL_FUNCTIONS
from ._vocab import CMDI_STRONG as _STRONG
from ._vocab import CMDI_STRONG_ONLY as _STRONG_ONLY
from ._vocab import CMDI_WORDS as _WORDS

ID = "cmdi"
CWE = "CWE-78"


def _args(word: str, args: str) -> str:
    """``word`` followed by its shell-shaped arguments; ``$`` as one of ``args``: or nothing at
    all (a ``$`` inside a character class, as in cat's ``[/.~$]``, is an argument's first
    character, not the end: "cat & mouse" is no command)."""
    word = re.escape(word.strip())
    if "$" not in args.split("|"):
        return rf"{word}\s(?:{args})"
    rest = args.replace("$|", "").replace("|$", "")
    return rf"{word}(?:\s(?:{rest})|\s?(?:$|[;|&)`\n]))"


_ARGS = "|".join(_args(word, args) for word, args in _WORDS.items())
_WORD_NAMES = "|".join(w.strip() for w in _WORDS)


def _by_first_letter(alternatives: list[str]) -> str:
    """The alternation of ``alternatives`` (each starting with a letter), grouped by that letter
    in a first-seen order, each group keeping their order. Words with different first letters
    never match at the same position, so the alternation matches the same, and the regex engine
    tests one letter per group instead of every word at every position it tries."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        assert alternative[0].isalpha()
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


# _STRONG_ONLY and _ARGS (kept for the prefilter) grouped by first letter, for the patterns below.
_STRONG_ONLY_GROUPED = _by_first_letter(_STRONG_ONLY.split("|"))
_ARGS_GROUPED = _by_first_letter([_args(word, args) for word, args in _WORDS.items()])
# A command word right before a comma is no command (the shell would run "base64,"): it is a
# data URL's parameter (``data:image/png;base64,...``) or a list ("; curl, wget").
_COMMAND = (
    r"(?:(?:/usr|/usr/local)?/s?bin/)?"
    rf"(?:(?:{_STRONG_ONLY_GROUPED})\b\s?(?:$|[^\s,])|(?:{_ARGS_GROUPED}))"
)

# A newline ends a cmd.exe command line (cmd reads one line and drops the rest), so after a
# newline only a POSIX shell runs what follows, and the words that are commands only to cmd.exe
# (``copy``, ``del``, ``set NAME=...``, ``type c:\...``) are no command there: they start the
# lines of Dockerfiles ("COPY . ."), MySQL logs ("SET timestamp=...") and notes.
_CMD_EXE_ONLY = r"(?:copy|del|ver|vol|call|start|set|type)\b"
# The spaces are possessive (``\s?+``): giving one back could only put a space where a command
# or "sudo" must start, so the engine need not try the command again without it.
_SEPARATED = re.compile(
    rf"(?:;|\n(?!\s?{_CMD_EXE_ONLY})|`|\|\|?|&&?|\$\(|\$\{{)\s?+(?:sudo\s|\\)?\s?+(?=[a-z/])"
    rf"(?:{_COMMAND})"
)
# A value that is a whole command line says more than the same words after a separator: the
# separator is the break-out, a leading word is only the start of the value. Words that also
# start product names, titles and searches ("Echo Dot (5th Gen)", "Eval board for STM32", "Net
# user manual and guide", "sleep 8 hours") need their own syntax there: echo shell syntax after
# it (a substitution, a variable, a redirection, a pipe, a separator) or an option; eval a quoted
# or substituted argument; net a subcommand with at most the two words it takes (``net user
# NAME PASS``) before the end, or a switch or a UNC path; sleep a duration ending the command.
_LEADING_ARGS = {
    **_WORDS,
    "echo": r"[^\n]{0,256}?[$`<>|;&]|-[ne]{1,3}\s",
    "eval": r"['\"$`]",
    "net": "(?:" + _WORDS["net"].removesuffix(r"\b") + r")(?:(?:\s+\S+){0,2}\s*$"
    r"|[^\n]{0,256}?(?:\s/[a-z]|\\\\))",
    "sleep": r"\d+(?:\.\d+)?[smhd]?(?=\s?(?:$|[;|&`)#\n]))",
}
_LEADING_GROUPED = _by_first_letter([_args(word, args) for word, args in _LEADING_ARGS.items()])
_LEADING = re.compile(
    rf"^\s?['\")]*\s?(?:{_LEADING_GROUPED}|(?:/usr|/usr/local)?/s?bin/[a-z]{{2,}})"
)
_NOT_WORDS = "|".join(w.strip() for w in _WORDS)
# A tool followed by three words is a command line ("netsh firewall set opmode"), unless the
# first of them makes it an English sentence ("wget is not installed").
_PROSE_WORD = (
    r"(?:is|are|was|were|isn|wasn|not|the|a|an|and|or|to|of|in|on|for|with|it|this|that|has"
    r"|have|can|does|did|will|would|should|could|may|might|be|been|my|your|our|its|you|we|i)\b"
)
_LEADING_TOOL = re.compile(
    rf"^\s?['\")]*\s?(?:{_STRONG_ONLY_GROUPED})\s+"
    rf"(?:-{{1,2}}[a-z]|/[a-z]|\S*://|(?!{_PROSE_WORD})[a-z]+\s+[a-z]+\s+\w)"
)
_QUOTED_TOOL = re.compile(rf"['\"]\s?(?:{_STRONG_ONLY_GROUPED})\b(?:\s*$|\s+-[a-z]|\s*['\"])")
_SUBSTITUTION = re.compile(rf"\$\(\s?+{_COMMAND}|`\s?+{_COMMAND}[^`]{{0,256}}`")
_REDIRECT = re.compile(
    r"/dev/(?:tcp|udp)/|>&\s?\d|>\s?/(?:dev|tmp|var|etc)/|<\s?/etc/|<&\d{2,}"
    r"|\(\)\s?\{\s?:\s?;\s?\}\s?;|exec\s+\d+<>"
)
# Shell syntax that only a shell reads, each an evasion of a filter on spaces, slashes or
# command names: brace expansion running a command (``{cat,/etc/passwd}``), a substring of a
# variable standing for a character (``${PATH:0:1}`` is "/"), a path spelled with glob
# wildcards (``/???/??t``, after a space, a separator or at the start, not inside a URL), and
# a PowerShell cmdlet (Verb-Noun) after a separator, ending the value or followed by a
# parameter, a pipe or a path (``| Get-Process``, ``; Invoke-WebRequest http://...``).
_OBFUSCATED = re.compile(
    rf"\{{(?:{_STRONG})\s?,\s?(?:[-/.~$\\\d]|https?:)"
    r"|\$\{[a-z_]\w*:\d+:\d+\}"
    r"|/(?<![^\s;|&`(]/)[a-z?]{0,3}\?[a-z?]{0,3}/[a-z?*]{0,15}[?*]"
    rf"|(?:[;|&`\n]|\$\()\s?(?:{_CMDLET_VERBS})-[a-z]{{2,32}}"
    r"(?=\s?$|\s+-[a-z]|\s?[|;&)]|\s+['\"]?(?:https?:|[a-z]:\\|/|\\\\))"
)
_OBFUSCATED_STARTS = ("{", "${", "/", ";", "|", "&", "`", "\n", "$(")
_IFS = re.compile(r"\$\{ifs\}|\$ifs\$\d|\$ifs\b|\$\{ifs%\?\?\}|\$@|\$\*|\$\{?\d\}?")
_SPLIT = re.compile(r"''(?<=[a-z]'')(?=[a-z])|\"\"(?<=[a-z]\"\")(?=[a-z])|\\(?<=[a-z]\\)(?=[a-z])")
# A word split by two or more single quotes (``w'h'o'am'i``); one quote is an apostrophe.
# Possessive repeats and the word-start look-behind keep it linear.
_QUOTED_WORD = re.compile(r"(?<![a-z'\"])[a-z]++(?:['\"][a-z]++){2,}")


# Literal-first test for the rewrite above: a quote inside a word, letters, another quote; one
# pattern per quote, so that each starts with a literal the regex engine finds at C speed.
_TWO_QUOTES_IN_A_WORD = re.compile(r"['\"](?<=[a-z]['\"])[a-z]++['\"](?=[a-z])")
_TWO_QUOTES_AFTER = tuple(
    (quote, re.compile(rf"{quote}(?<=[a-z]{quote})[a-z]++['\"](?=[a-z])")) for quote in "'\""
)


def _unquote(m: re.Match[str]) -> str:
    return m.group(0).replace("'", "").replace('"', "")


_ONE_WORD = re.compile(r"\s*[a-z]+\s*$")
# A value that is a sentence, not a command line: words with a comma or ending in a full stop,
# question or exclamation mark, and nothing of a shell (no metacharacter, path or option):
# "Echo Park, Los Angeles", "Sleep 8h, drink 2L water", "Exec team meeting at 3pm."
_SENTENCE = re.compile(
    r"[A-Za-z][a-z]*\s(?![^\n]*\s-{1,2}[a-z])[^;|&`$<>\\/{}\n]*(?:,\s|[.!?]\s*$)"
)
# A value that starts like a command line (checked with ``match``: only position 0).
_START = re.compile(rf"\s?['\")]*\s?(?:/|{_STRONG}\b|{_NOT_WORDS}\b)")
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (";", "|", "&", "`", "\n", "$", "/dev/", ">", "<", "()", "\\n", "\\r", "'", '"')


def shell_view(low: str) -> str:
    """``${IFS}`` as a space, quote splitting and backslash splitting undone."""
    if "$" in low:
        low = _IFS.sub(lambda m: " " if "ifs" in m.group(0) else "", low)
    if "\\" in low and ("\\n" in low or "\\r" in low):
        low = low.replace("\\n", "\n").replace("\\r", "\n")
    if "''" in low or '""' in low or "\\" in low:  # what _SPLIT needs
        low = _SPLIT.sub("", low)
    if any(quote in low and rx.search(low) for quote, rx in _TWO_QUOTES_AFTER):
        low = _QUOTED_WORD.sub(_unquote, low)
    return low.replace("\t", " ")


# What the matches of each searched pattern start with (none: it matches at the start only). A
# search tries a pattern at every position whose character can start a match; below, the
# positions where one of these strings stands are found with C substring searches and the
# pattern is matched there, in order (the first match is the search's match).
_SEPARATED_STARTS = (";", "\n", "`", "|", "&", "$(", "${")
_SUBSTITUTION_STARTS = ("$(", "`")
_REDIRECT_STARTS = ("/dev/", ">", "<", "()", "exec")
_QUOTED_TOOL_STARTS = ("'", '"')
# Beyond one position in this many characters (and at least a few), a plain search (which
# tests each character against the set of first characters, a few ns each) is cheaper than
# matching at each position (a fraction of a microsecond each).
_CHARS_PER_START = 64
_SHORT = 512


def _search(rx: re.Pattern[str], marks: tuple[str, ...], text: str) -> re.Match[str] | None:
    """``rx.search(text)`` for a pattern whose matches start with one of ``marks``."""
    if not marks:
        return rx.match(text)
    if len(text) < _SHORT:  # a search costs less than finding the positions
        return rx.search(text)
    count = 0
    for mark in marks:
        if mark in text:
            count += text.count(mark)
    if count == 0:
        return None
    if count > 8 and count > len(text) // _CHARS_PER_START:
        return rx.search(text)
    starts: list[int] = []
    for mark in marks:
        at = text.find(mark)
        while at >= 0:
            starts.append(at)
            at = text.find(mark, at + 1)
    for at in sorted(starts):
        m = rx.match(text, at)
        if m:
            return m
    return None


# A function that hands its argument to a shell (PHP, Python, Node, Ruby, Perl), called with a
# quoted command line: the argument is shell syntax whatever code injection ran it
# (``system('cat /etc/passwd')``, ``os.popen("id")``); also a server-side include's exec.
_SHELL_FUNCTION = re.compile(rf"(?<![\w$])(?:{'|'.join(_SHELL_FUNCTIONS)})\s?$")
_SHELL_ARGUMENT = re.compile(rf"\(\s?\[?\s?['\"`]\s?(?:/[a-z]|(?:{_STRONG}|{_NOT_WORDS})(?![\w-]))")
_SSI_EXEC = re.compile(r"<!--\s?#\s?exec\s+(?:cmd|cgi)\s?=")
MAX_CALLS = 32


def _shell_call(sh: str) -> tuple[int, int] | None:
    """The span of the first call of a shell function with a quoted command, or None."""
    at = sh.find("(")
    for _ in range(MAX_CALLS):
        if at < 0:
            return None
        name = _SHELL_FUNCTION.search(sh, max(0, at - 24), at)
        arg = _SHELL_ARGUMENT.match(sh, at) if name else None
        if name and arg:
            return name.start(), arg.end()
        at = sh.find("(", at + 1)
    return None


def _has_needle(low: str) -> bool:
    """``any_in(low, NEEDLES)``, written out (a generator costs more than the tests)."""
    return (
        ";" in low
        or "|" in low
        or "&" in low
        or "`" in low
        or "\n" in low
        or "$" in low
        or "/dev/" in low
        or ">" in low
        or "<" in low
        or "()" in low
        or "\\n" in low
        or "\\r" in low
        or "'" in low
        or '"' in low
    )


def detect_views(v: Views) -> Match | None:
    low = v.low
    checks: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = (
        (_LEADING, (), "command line"),
        (_LEADING_TOOL, (), "command line of a shell tool"),
        (_QUOTED_TOOL, _QUOTED_TOOL_STARTS, "quoted command"),
    )
    if _has_needle(low):
        checks = (
            (_SEPARATED, _SEPARATED_STARTS, "command after a shell separator"),
            (_SUBSTITUTION, _SUBSTITUTION_STARTS, "command substitution"),
            (_REDIRECT, _REDIRECT_STARTS, "shell redirection or device"),
            (_OBFUSCATED, _OBFUSCATED_STARTS, "shell expansion or cmdlet"),
            *checks,
        )
    elif not _START.match(low):
        return None
    sh = shell_view(low)
    if "(" in sh:
        span = _shell_call(sh)
        if span:
            return hit(v, span[0], span[1], "command line handed to a shell function")
    if "<!--" in sh:
        m = _SSI_EXEC.search(sh)
        if m:
            return hit(v, m.start(), m.end(), "server-side include exec")
    for rx, starts, detail in checks:
        m = _search(rx, starts, sh)
        if m:
            if rx is _LEADING and _ONE_WORD.match(sh):
                continue  # a value that is one word ("id", "env") is a word, not a command line
            if (rx is _LEADING or rx is _LEADING_TOOL) and _SENTENCE.match(v.text):
                continue
            return hit(v, m.start(), m.end(), detail)
    return None


def detect(text: str) -> Match | None:
    """The first command injection shape in ``text``, or None."""
    return detect_views(views(text))

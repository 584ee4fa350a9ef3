"""SQL injection (CWE-89): a value that leaves its string or number context and speaks SQL.

What it catches
    The shapes an injected fragment must take to change a query, read on a SQL view of the text
    (decoded, lower-cased, ``/* */`` comments and MySQL ``/*!50000 */`` version comments folded
    into spaces, line comments ended by a newline folded too):

    - ``UNION [ALL|DISTINCT] SELECT`` (``1 union/**/select``, ``UnIoN%0bSeLeCt``);
    - a quote that breaks out of a string (an odd-numbered quote) followed by SQL: a boolean
      operator and an operand (``' or 1=1--``, ``') or ('x')=('x``, ``'XOR'``), a comment that
      truncates the rest (``admin'--``, ``admin' #``), a clause (``' union``, ``' order by 3``,
      ``' having``) or a statement separator;
    - a value that closes its string, writes an expression and opens a string again for the
      query's own closing quote (``aa' / +1 < '3``, ``1'*null or '1``, ``A' - 'B``): what lies
      between its first and last quote reads as SQL operators and operands, starting and
      ending with an operator;
    - a number context followed by a boolean comparison (``1 and 1=1``, ``-1 or 2>1``);
    - stacked queries: ``;`` then a statement (``; drop table users``, ``; exec xp_cmdshell``,
      ``; if exists (``, ``; call p(``, ``; load data infile``);
    - time- and error-based functions (``sleep(5)``, ``benchmark(``, ``waitfor delay '0:0:5'``,
      ``pg_sleep``, ``extractvalue(``, ``updatexml(``), called where a query takes an operand
      (not after a word of prose: "remove the sleep(1) from the loop"), and system objects
      (``@@version``, ``information_schema``, ``xp_cmdshell``, ``load_file(``, ``into outfile``);
    - whole statements (``select a,b from t``, ``insert into t values``, ``drop table t``).

Why
    Words alone are not SQL: "select a delivery slot", "O'Brien", "order by phone", "-- Mark
    Twain" are ordinary text. The rules above need a context break-out or SQL's own grammar
    (operators, parentheses, comments, statement shapes), which English sentences lack.

Examples
    ``' or ''='``, ``1' and sleep(5)#``, ``-1 union select 1,version()--``,
    ``1;waitfor delay '0:0:10'--``, ``admin'/*``.

References
    CWE-89; OWASP SQL Injection Prevention Cheat Sheet; libinjection (Nick Galbreath);
    PayloadsAllTheThings "SQL Injection".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Match
from ._normalize import Views, any_in, hit, positions, views, words
from ._vocab import SQLI_NO_ARG_FUNCTIONS as _NO_ARG_FUNCTIONS
from ._vocab import SQLI_TIME_FUNCTIONS as _TIME_FUNCTIONS
from ._vocab import SQLI_TIME_PACKAGES as _TIME_PACKAGES
from ._vocab import SQLI_WRAPPING_FUNCTIONS as _WRAPPING_FUNCTIONS

ID = "sqli"
CWE = "CWE-89"

# Whitespace other than a plain space (one character class: scanned in C), then runs of spaces
# (a literal prefix): two cheap passes instead of one substitution per space of the text.
_ODD_SPACE = re.compile(
    "[\x00-\x08\t\n\r\x0b\x0c\x0e-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
_SPACES = re.compile(r"  +")

# Operand of a boolean expression: a short quoted string, a number, a variable, a function call,
# a parenthesis, or a SQL literal word.
_CALL = r"[a-z_]\w{0,32}\s?\([^()]{0,64}\)?"
_OPERAND = (
    r"(?:'[^']{0,64}'|\"[^\"]{0,64}\"|`[^`]{0,64}`|[-+~!]?\d[\w.]{0,32}|@@?\w{1,32}|\("
    rf"|{_CALL}"
    r"|(?:true|false|null|not|exists|select|sleep|benchmark|pg_sleep|ascii|substr\w*|mid"
    r"|char|chr|length|len|count|if|case|user|version|database|current_user|rand|x?or|and)\b)"
)
_BOOL = r"(?:or|and|xor|div|&&|\|\||rlike|regexp|like|sounds\s?like|not|is)"
_QBOOL = (
    r"(?:or|and|xor|div|&&|\|\||rlike|regexp|like|sounds\s?like"
    r"|is\s+(?:not\s+)?(?:null|true|false|unknown)|not\s+(?:like|rlike|regexp|in|between))"
)
_EQUALITY = (
    r"(?:=|<>|!=|<=>|<=|>=|<|>|\blike\b|\bis\b|\bin\b|\bbetween\b|\brlike\b|\bregexp\b"
    r"|\bnot\s+(?:like|between|in|regexp|rlike)\b)"
)
_COMPARE = (
    r"(?:=|<>|!=|<=>|<=|>=|<|>|\blike\b|\bis\b|\bin\b|\bbetween\b|\brlike\b|\bregexp\b"
    r"|-|\+|\*|/|\^|&|\||\bnot\s+(?:like|in|between|regexp|rlike)\b)"
)

_UNION = re.compile(
    # "+" is a space in a form-encoded value (``1+union+select+1``)
    r"u(?<![a-z_]u)nion(?:[\s+]*(?:all|distinct))*[\s(+]*select(?!ed\b|ion|or|s\b|ing)"
    # a bare UNION right after a value, cut off by a comment or the end: probing for columns
    r"|u(?:(?<=[\d)'\"`]u)|(?<=[\d)'\"`]\su))nion(?:\s?all)?\s?(?:$|--|#|/\*|\(|;)"
)
# Boolean-based blind injection: a boolean operator and a comparison of two numbers.
_BLIND = re.compile(
    words(
        *(
            rf"{op}\s*\(?\s*[-+]?\d+\s*\)?\s*(?:=|<>|!=|<=|>=|<|>)\s*\(?\s*[-+]?\d+"
            for op in ("and", "or", "xor")
        )
    )
    + r"|(?:&&|\|\|)\s*\(?\s*[-+]?\d+\s*\)?\s*(?:=|<>|!=|<=|>=|<|>)\s*\(?\s*[-+]?\d+"
)
# A lone variable cut off by a comment: ``@version --``.
_VAR_COMMENT = re.compile(r"^\s?@@?\w+\s*(?:--|#|/\*)")
# After an operator between quotes (``'or'``, ``' <= '``): two words of prose, with a sentence's
# punctuation or a call's closing parenthesis before them or not, say the quotes are quotation
# marks or a string in code ("she wrote 'or' in the margin", "should it be `>=` instead of `>`?
# An order placed at midnight...", "decorators like @app.route("/") register handlers").
_PROSE_WORD = r"(?!(?:true|false|not|null|select|sleep|exists|x?or|and|like)\b)[a-z]{2,32}"
_PROSE_AFTER = (
    rf"(?!\)?[?.,!:]?\s{{1,8}}{_PROSE_WORD}[?.,!:]?\s{{1,8}}[a-z]{{2}}"
    r"|,\s?['\"`])"  # an item of a list of quoted tokens ("unexpected token '<', "<!doctype")
)
# A quote (the break-out), closing parentheses, then SQL.
_AFTER_QUOTE = re.compile(
    r"['\"`]\s?\)*\s?(?:"
    rf"{_QBOOL}\s?{_OPERAND}\s?(?:{_COMPARE}|$|--|#|/\*|;|\)|\(|select\b|sleep\b|not\b|exists\b"
    r"|true\b|false\b|null\b)"
    rf"|{_QBOOL}\s?\("  # ' and (select ...
    rf"|{_QBOOL}\s?[\w.@`]{{1,64}}\s?{_EQUALITY}"  # ' or userid like , ' or x=x
    r"|(?:or|xor|div|rlike|regexp|not\s+(?:like|rlike|regexp)|sounds\s+like|\|\||&&|<=>"
    r"|(?:[=<>^/%|]|!=)[-+*/|^&=<>!~%]{0,2})\s?['\"`]"  # 'or' , ' <= '
    # ... unless words of prose follow
    rf"{_PROSE_AFTER}"
    r"|(?:--(?:\s|$|-|\+)|/\*|%00|\x00)|#\s*$"  # ' -- , ' /* , ' #
    r"|;\s*(?:--|#|/\*|select|insert|update|delete|drop|exec|declare|shutdown|waitfor|create"
    r"|alter|truncate|set|begin|if)\b"
    r"|[\s)](?:select|having|group\s?by|order\s?by|limit|procedure|into|where|waitfor"
    r"|exec|execute|declare|insert|update|delete|drop|benchmark|sleep|rlike|regexp)\b"
    r")"
)
# At the start of the value: a short prefix, the break-out, an operator and an operand.
_QUOTE_OPERATOR = re.compile(
    r"^[\w\s]{0,20}['\"`]\s?\)*\s?(?:[-+*/|^&=<>!~%]{1,3}\s?(?:\d|[(@]|[a-z_]\w*\s?\()"
    rf"|[=<>!|^][-+*/|^&=<>!~%]{{0,2}}\s?['\"`]{_PROSE_AFTER})"
)
_NUMBER_BOOL = re.compile(
    "|".join(
        rf"{d}(?<![\w.]{d})[\d.]*\s?\)*\s?{_BOOL}\s?\(*\s?{_OPERAND}\s?\)*\s?{_EQUALITY}"
        for d in "0123456789"
    )
)
_LEADING_BOOL = re.compile(
    rf"^\s?(?:['\"`]?\s?\)+\s?)?(?:or|and|xor|&&|\|\|)\s{_OPERAND}\s?\)*\s?{_COMPARE}"
    r"|^\s?['\"`]?\s?\)+\s?(?:or|and|xor|&&|\|\|)\s"
    r"|^\s?(?:having|where|procedure\s+analyse)\s[^=<>]{0,64}?(?:=|<|>)"
    rf"|^\s?(?:or|and|xor)\s+[\w.@]{{1,64}}\s?{_EQUALITY}\s?[\w'\".@]{{1,64}}\s*(?:$|--|#|/\*)"
    r"|^\s?limit\s+\d+\s*(?:,\s*\d+\s*)?(?:$|--|#|/\*|;)"
)
_NUMBER_START = re.compile(
    r"^\s?[-+(]*\s?\d[\w.]*\s?\)*\s?(?:"
    r"(?:--|#|/\*)"
    r"|[-+*/]\s?\d+\s?(?:--|#|/\*)"
    r"|(?:having|group\s?by|order\s?by|limit|procedure|into|select|waitfor|rlike|regexp"
    r"|div|for\s?update)\b\s?[^\s]"
    r")"
)
_OBJECT_KINDS = r"(?:table|database|schema|user|login|view|procedure|function|index|trigger)\b"
_STACKED = re.compile(
    r";\s?(?:select\s|insert\s+into\b|update\s+\w+\s+set\b|delete\s+from\b|truncate\s"
    rf"|drop\s+{_OBJECT_KINDS}|create\s+{_OBJECT_KINDS}|alter\s+{_OBJECT_KINDS}"
    r"|exec(?:ute)?\s?(?:\(|@|xp_|sp_|master\.|immediate\b)|declare\s?@|shutdown\b"
    r"|waitfor\s|set\s+@|begin\b|grant\s|load_file|copy\s"
    # T-SQL and MySQL control statements, procedure calls, bulk loads, a bare drop
    r"|if\s+(?:not\s+)?exists\s?\(|do\s?\(\s?[\w@]+\s?[=<>]"
    r"|while\s+[\w@()]+\s?(?:=|<>|!=|<|>)\s?[\w@()]+\s+(?:begin|shutdown|exec|waitfor|select)\b"
    r"|call\s+[\w.]+\s?\(\s?[@'\"\d)]|load\s+(?:data|xml)\b[^;]{0,64}\binfile\b"
    r"|drop\s+[\w.`\[\]]+\s?(?:--|#|/\*))"
)
# Function calls are found from their parenthesis: each "(" (at most MAX_CALLS) is checked for
# the name just before it and the arguments just after it, so prose full of ordinary words
# costs one ``str.find`` per parenthesis instead of a regex attempt at every letter.
MAX_CALLS = 64
_CALL_NAME = re.compile(r"(?<![\w.])[a-z_][\w.]{0,48}\s?$")
_TIME_ARGS = re.compile(r"\s?[\d('\"@-]")
_NO_ARGS = re.compile(r"\s?\)")
_WRAPPED_ARGS = re.compile(r"\s?(?:0x[0-9a-f]|@@|\(\s?select\b|char\(|chr\()")
_WAITFOR = re.compile(r"waitfor\s+(?:delay|time)\s?['\"\d]")
_OBJECTS = re.compile(
    r"@@[a-z_]\w*|"
    + words(
        r"information_schema\b",
        r"sysobjects\b",
        r"syscolumns\b",
        r"sysusers\b",
        r"sysdatabases\b",
        r"pg_catalog\b",
        r"pg_shadow\b",
        r"all_tables\b",
        r"user_tables\b",
        r"dba_users\b",
        r"mysql\.user\b",
        r"sqlite_master\b",
        r"msysobjects\b",
        r"xp_\w*cmdshell",
        r"sp_(?:executesql|password|oacreate|makewebtask|addsrvrolemember|configure)\b",
        r"into\s+(?:out|dump)file\b",
    )
)


# In a query a function call is an operand: it starts the value, or follows an operator, a
# parenthesis, a comma, a quote or a keyword (``1 and sleep(5)``, ``'||pg_sleep(5)``, ``where
# extractvalue(``). After a word that is no SQL keyword it is named in prose ("do we need the
# `sleep(2)` in the test?", "check the version() it prints"), which no query parses.
_KEYWORDS_BEFORE_CALL = (
    "and or xor not select from where having by if then else elseif when case return returns"
    " do call exec execute values set into union all distinct like rlike regexp between in is"
    " div mod on limit offset as procedure analyse waitfor begin declare while print"
)
_SQL_BEFORE_CALL = frozenset(_KEYWORDS_BEFORE_CALL.split())
_WORD_BEFORE = re.compile(r"(?<![\w@.$])([a-z]+)\s?`?$")


def _named_in_prose(sql: str, start: int) -> bool:
    """Whether the call whose name starts at ``start`` follows a word that is no SQL keyword."""
    m = _WORD_BEFORE.search(sql, max(0, start - 40), start)
    return m is not None and m.group(1) not in _SQL_BEFORE_CALL


def _suspicious_call(sql: str) -> tuple[int, int, str] | None:
    """The first call of a time-based, error-based or information function, from the
    parentheses of ``sql`` (bounded by MAX_CALLS), unless prose names it."""
    pos = sql.find("(")
    for _ in range(MAX_CALLS):
        if pos < 0:
            return None
        m = _CALL_NAME.search(sql, max(0, pos - 50), pos)
        if m and _named_in_prose(sql, m.start()):
            m = None
        if m:
            name = m.group(0).rstrip()
            if (name in _TIME_FUNCTIONS or name.startswith(_TIME_PACKAGES)) and _TIME_ARGS.match(
                sql, pos + 1
            ):
                return m.start(), pos + 1, "time- or error-based SQL function"
            if name in _NO_ARG_FUNCTIONS and _NO_ARGS.match(sql, pos + 1):
                return m.start(), pos + 2, "SQL information function"
            if name in _WRAPPING_FUNCTIONS and _WRAPPED_ARGS.match(sql, pos + 1):
                return m.start(), pos + 1, "SQL function over an encoded or nested value"
        pos = sql.find("(", pos + 1)
    return None


_COLUMN = r"[\w.`\"\[\]]+"


def _keyword_first(keyword: str, alternatives: tuple[str, ...]) -> str:
    """``words(*alternatives)`` for alternatives that all start with ``keyword``, written
    ``keyword(?<![0-9a-z_]keyword)(?:rest|rest...)``: the same matches, but the pattern starts
    with the whole keyword, which the regex engine looks for as a literal (``words`` puts the
    boundary after the first letter, and a choice of alternatives has no literal prefix at
    all: the engine then tries the pattern at every occurrence of that letter)."""
    assert all(alt.startswith(keyword) for alt in alternatives)
    rests = "|".join(alt[len(keyword) :] for alt in alternatives)
    return f"{keyword}(?<![0-9a-z_]{keyword})(?:{rests})"


# SQL statements, one regex per leading keyword: each starts with its literal keyword (found by
# the regex engine like ``str.find``) and runs only when the keyword is in the text.
_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        keyword,
        re.compile(
            _keyword_first(keyword, alternatives)
            if keyword[0].isalpha()
            else "|".join(alternatives)
        ),
    )
    for keyword, alternatives in (
        (
            "select",
            (
                r"select\s+(?:distinct\s+|top\s+\d+\s+|all\s+)?[-+~]?(?:\*|[\w.@`\"\[\]]+\s?"
                r"(?:,|\(|\bas\b)|\d|null\b|@|\(|'|\"|0x)[^;]{0,200}?\bfrom\s+[\w.`\"\[\]@(]",
                r"select\s+(?:[\w.@]+\s?,\s?){1,64}[\w.@]+\s*(?:--|#|/\*|;|$)",
                # a call (no space before its parenthesis: "select all (ctrl+a)," is prose)
                r"select\s+[\w.]+\([^()]{0,64}\)\s*(?:;|--|#|$|,|from\b)",
                r"select\s+(?:[\w.]*[_@.][\w.@]*|@@?\w+)\s*(?:;|--|#|/\*|$)",
                r"select\s?\(\s?select\b",
            ),
        ),
        ("insert", (rf"insert\s+into\s+{_COLUMN}\s?(?:\(|values\b|select\b)",)),
        ("update", (rf"update\s+{_COLUMN}\s+set\s+{_COLUMN}\s?=",)),
        ("delete", (rf"delete\s+(?:\w+\s+){{0,3}}from\s+{_COLUMN}\s?(?:where\b|;|--|#|$)",)),
        ("load", (r"load\s+(?:xml|data)\s+(?:local\s+)?infile\b",)),
        ("exec", (r"exec(?:ute)?\s?\(\s?@", r"exec(?:ute)?\s+(?:xp_|sp_|master\.)")),
        ("having", (r"having\s+\(", r"having\s?\(\s?select\b")),
        (
            "case",
            (r"case\s+\S{1,32}\s+when\s+.{1,64}?\s+then\s", r"case\s+when\s+.{1,64}?\s+then\s"),
        ),
        (
            "drop",
            # the object's name ends the statement ("drop table users--"), not a sentence
            (
                r"drop\s+(?:table|database|schema|view|procedure|function|user|index)\s+"
                r"(?:if\s+exists\s+)?[\w.`\"\[\]]{1,128}\s*(?:;|--|#|/\*|$|,|\)|cascade\b"
                r"|purge\b|restrict\b)",
            ),
        ),
        ("order", (r"order\s+by\s+\d+\s*(?:--|#|/\*|;|$|,|asc\b|desc\b|\))",)),
        ("create", (r"create\s+(?:table|user|function|procedure)\s+[\w.`\"]+\s?\(",)),
        ("(", (r"\(\s?select\s+(?:\d|@|'|\"|\*|\(|[\w.]+\s?\(|[\w.]+\s+from\b)",)),
        ("union", (r"union\s?\(\s?select\b",)),
        ("and", (r"and\s?\(\s?select\b",)),
        ("or", (r"or\s?\(\s?select\b",)),
        ("where", (r"where\s?\(\s?select\b",)),
    )
)
# A whole value that is a SQL expression ending in a comment: `` ( 1 OR 1 )  --``.
_EXPR_COMMENT = re.compile(
    r"^[\s(]*(?:'[^']{0,32}'|\"[^\"]{0,32}\"|@\w+|\d+|select|binary|cos|not|-)[\w\s()'\"@,*+\-=<>|&^!]{0,200}"
    r"(?:--|#|/\*)\s*$"
)
_SQL_WORDS = re.compile(
    r"\b(?:select|union|or|and|xor|binary|cos|sin|not|null|in|is|like|between|having)\b"
)


# Substrings the patterns above need (cheap tests before each regex).
_DIGITS = tuple("0123456789")
_OBJECT_NEEDLES = (
    "@@",
    "schema",
    "sys",
    "pg_",
    "_tables",
    "dba_",
    "mysql.",
    "sqlite",
    "xp_",
    "sp_",
    "outfile",
    "dumpfile",
)


# Below SHORT characters a plain regex scan costs less than looking for marks first: the
# patterns and the view are then used as they are.
SHORT = 128


def _fold_comments(text: str) -> str:
    """``/* */`` and ``/*!50000 */`` comments to a space; an unclosed one ends the text."""
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("/*", pos)
        if start < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:start])
        end = text.find("*/", start + 2)
        inner = text[start + 2 : end if end >= 0 else len(text)]
        if inner.startswith("!"):  # MySQL version comment: its content is executed
            out.append(" " + inner[1:].lstrip("0123456789") + " ")
        else:
            out.append(" /**/ " if end < 0 else " ")
        if end < 0:
            break
        pos = end + 2
    return "".join(out)


MAX_COMMENTS = 64


def _cut_comments(text: str, mark: str) -> str:
    """Each line of ``text`` cut at its first ``mark``: a ``str.find`` per mark and per line
    end (at most MAX_COMMENTS marks, then one regex substitution)."""
    pieces = []
    start = 0
    pos = text.find(mark)
    for _ in range(MAX_COMMENTS):
        if pos < 0:
            pieces.append(text[start:])
            return "".join(pieces)
        pieces.append(text[start:pos])
        start = text.find("\n", pos)
        if start < 0:
            return "".join(pieces)
        pos = text.find(mark, start)
    pieces.append(re.sub(re.escape(mark) + "[^\n]*", "", text[start:]))
    return "".join(pieces)


def _fold_line_comments(text: str) -> str:
    """A ``--`` or ``#`` comment that a newline ends is whitespace to SQL (``1--\\nunion``):
    each line but the last is cut at its first comment mark (cutting at the first ``--``, then
    at the first ``#`` of what is left, is cutting at the first of both), then the lines are
    joined with spaces."""
    head, _, last = text.rpartition("\n")
    if "--" in head:
        head = _cut_comments(head, "--")
    if "#" in head:
        head = _cut_comments(head, "#")
    return head.replace("\n", " ") + " " + last


# ``_ODD_SPACE`` split in two: the characters outside ASCII (each found by a C substring
# search) and the ASCII controls other than tab, newline and carriage return (deleted from an
# ASCII copy of the text by ``bytes.translate``: a length change tells that one is there).
_WIDE_SPACES = tuple(c for c in map(chr, range(0x80, 0x3001)) if _ODD_SPACE.match(c))
_RARE_CONTROLS = bytes(c for c in range(0x20) if chr(c) not in "\t\n\r")


def _collapse_spaces(text: str) -> str:
    """``_ODD_SPACE`` to spaces and runs of spaces to one, as two regex substitutions would do,
    but with ``str.replace`` and C substring searches when only tab, newline and carriage
    return need replacing (the common case: one regex pass over a character class costs ten
    substring searches)."""
    if not text.isascii() and any(c in text for c in _WIDE_SPACES):
        return _SPACES.sub(" ", _ODD_SPACE.sub(" ", text))
    ascii_copy = text.encode("ascii", "replace")
    if len(ascii_copy.translate(None, _RARE_CONTROLS)) != len(ascii_copy):
        return _SPACES.sub(" ", _ODD_SPACE.sub(" ", text))
    for control in "\n\t\r":
        if control in text:
            text = text.replace(control, " ")
    return _squeeze(text)


MAX_RUNS = 64
_SPACE_RUN = re.compile(" *")


def _squeeze(text: str) -> str:
    """``_SPACES.sub(" ", text)``: runs of spaces found with ``str.find`` (a regex scan for a
    literal that starts with a space, the commonest character, costs several times more), at
    most MAX_RUNS of them, then the substitution for the rest."""
    pos = text.find("  ")
    if pos < 0:
        return text
    pieces = []
    start = 0
    for _ in range(MAX_RUNS):
        pieces.append(text[start : pos + 1])
        run = _SPACE_RUN.match(text, pos)
        start = run.end() if run else pos + 2  # " *" always matches
        pos = text.find("  ", start)
        if pos < 0:
            pieces.append(text[start:])
            return "".join(pieces)
    pieces.append(_SPACES.sub(" ", text[start:]))
    return "".join(pieces)


def sql_view(low: str) -> str:
    """Comments folded, whitespace collapsed to single spaces. In the result ``\\s`` matches
    only a space, and never two in a row: the patterns below rely on it."""
    text = low
    if "/*" in text:
        text = _fold_comments(text)
    if "\n" in text and ("--" in text or "#" in text):
        text = _fold_line_comments(text)
    if len(text) < SHORT:
        return _SPACES.sub(" ", _ODD_SPACE.sub(" ", text))
    return _collapse_spaces(text)


def _breakout(text: str, pos: int) -> bool:
    """The quote at ``pos`` opens no string of the value itself: it is the first, third, ...
    quote of its kind, so it closes the query's string (the break-out)."""
    return text.count(text[pos], 0, pos) % 2 == 0


# Marks every SQL shape above needs; text without any of them is not examined further.
NEEDLES = (
    "'",
    '"',
    "`",
    "--",
    "#",
    "/*",
    ";",
    "(",
    "@",
    "=",
    "<",
    ">",
    "union",
    "select",
    "having",
    "where",
    "limit",
    "procedure",
    "order",
    "case",
    "|",
    "&",
    " or",
    " and",
    "xor",
    "drop",
    "insert",
    "delete",
    "update",
    "into",
    "waitfor",
    "\x00",
)


# Finders: each returns what ``rx.search(sql)`` returns for one of the patterns above, but
# runs that pattern only after a cheap necessary condition holds (C substring searches, regexes
# that start with one literal, a few positions of a rare character), and then from ``lo``, a
# position no match starts before. Patterns whose alternatives start with common letters or
# digits cost a regex attempt at nearly every character; the conditions below cost about one
# ``str.find`` each on text without SQL.


def _union(sql: str) -> re.Match[str] | None:
    if len(sql) < SHORT:
        return _UNION.search(sql)
    lo = sql.find("union")  # both alternatives spell "union"
    return None if lo < 0 else _UNION.search(sql, lo)


# ``_AFTER_QUOTE`` with its quote fixed and each alternative cut after its first word or sign
# (``\s?\)*\s?`` widened to ``[ )]*``: the SQL view has no other whitespace).
_QUOTE_HEADS = (
    r"[ )]*+(?:or|and|xor|div|&|\||rlike|regexp|like|sounds|is |not |[-=<>^/%!#;\x00]|select"
    r"|having|group|limit|procedure|into|where|waitfor|exec|declare|insert|update|delete"
    r"|drop|benchmark|sleep)"
)
_QUOTE_FILTERS = tuple((q, re.compile(re.escape(q) + _QUOTE_HEADS)) for q in "'\"`")


MAX_QUOTES = 64


def _after_quote(sql: str) -> re.Match[str] | None:
    """The first quote that breaks out of a string and goes on in SQL: the loop over the
    matches of ``_AFTER_QUOTE``, tried only at the quotes that a filter lets through."""
    if len(sql) < SHORT:
        return _first_breakout(_AFTER_QUOTE.finditer(sql))
    starts: list[int] = []
    for quote, rx in _QUOTE_FILTERS:
        if quote in sql:
            for n, f in enumerate(rx.finditer(sql)):
                if n >= MAX_QUOTES:  # too many to try one by one: the plain loop
                    return _first_breakout(_AFTER_QUOTE.finditer(sql))
                starts.append(f.start())
    starts.sort()
    return _first_breakout(_AFTER_QUOTE.match(sql, start) for start in starts)


def _first_breakout(matches: Iterable[re.Match[str] | None]) -> re.Match[str] | None:
    """The first of ``matches`` (in text order, the first 32 that do not overlap an earlier
    one) whose quote is a break-out."""
    count = 0
    end = 0
    for m in matches:
        if m is None or m.start() < end:
            continue
        if count >= 32:
            break
        count += 1
        end = m.end()
        # a quote right after sentence punctuation closes a quotation in prose
        if m.start() and m.string[m.start() - 1] in ".!?,;:":
            continue
        if _breakout(m.string, m.start()):
            return m
    return None


# A value that closes its string, speaks an expression, and opens a string again for the
# query's own closing quote: ``aa' / +1 < '3``, ``1'*null or '1``, ``A' - 'B``. The first quote
# of the value closes the query's string (the string is then the left operand) and the last one
# opens a string (the right operand), so what lies between must read as operators and operands
# of SQL: a binary operator first, and one last (before its right operand). Outside the quotes
# stands at most one plain value (a word, a number) on each side, touching them: the whole value
# is the expression. Prose quotes the other way round ("the 'or' operator": a space outside, a
# word inside), and an apostrophe is followed by the rest of its word ("don't like it's" starts
# with "t", an operand).
_EXPRESSION_TOKEN = re.compile(
    r" ?(?:(?P<number>\d[\w.]*)|(?P<null>\\n)"
    r"|(?P<word>[a-z_$][\w$]*(?: ?\. ?[a-z_$`][\w$`]*)*|`[^`]{0,64}`)"
    r"|(?P<string>'[^']{0,64}'|\"[^\"]{0,64}\")"
    r"|(?P<operator><=>|<>|!=|<=|>=|&&|\|\||[-+*/%^&|=<>!~])|(?P<open>\()|(?P<close>\))|(?P<comma>,))"
)
_BINARY_WORDS = frozenset(
    ("or", "and", "xor", "div", "mod", "like", "rlike", "regexp", "is", "in", "between")
)
_NEGATABLE = frozenset(("like", "rlike", "regexp", "in", "between"))
_SOUNDS_LIKE = re.compile(r" ?like\b")
_UNARY_OPERATORS = frozenset("-+!~")
_PLAIN_VALUE = re.compile(r" ?[\w.@-]{0,64} ?")  # one word, number or address
MAX_EXPRESSION = 256


def _operands(expr: str) -> int:
    """How many operands ``expr`` has, when it reads as a binary operator, then operands and
    operators in turn (unary operators, parentheses, calls and ``not`` as SQL allows them), and
    ends where an operand is due; else -1."""
    pos, due, depth, operands = 0, False, 0, 0  # due: an operand comes next
    negated = False  # "not" in an operator's place: "not like", "not in", "not between"
    while pos < len(expr):
        m = _EXPRESSION_TOKEN.match(expr, pos)
        if m is None:
            return -1 if expr[pos:].strip() else (operands if due and not depth else -1)
        pos = m.end()
        kind = m.lastgroup
        lexeme = m.group(0).strip()
        was_negated, negated = negated, False
        if kind == "word" and (lexeme in _BINARY_WORDS or lexeme == "sounds"):
            if due and not (was_negated and lexeme in _NEGATABLE):
                return -1
            if lexeme == "sounds":
                like = _SOUNDS_LIKE.match(expr, pos)
                if like is None:
                    return -1
                pos = like.end()
            due = True
        elif kind == "word" and lexeme in ("not", "binary"):
            if not due and lexeme == "binary":
                return -1
            negated = not due  # else a unary ("is not null", "= not 1", "binary 'a'")
            due = True
        elif kind == "operator":
            if due and lexeme not in _UNARY_OPERATORS:
                return -1
            due = True
        elif kind == "open" or kind == "comma":
            if not due and kind == "open":
                return -1
            if kind == "comma" and (due or not depth):
                return -1
            depth += kind == "open"
            due = True
        elif kind == "close":
            if due or (not depth and operands):
                return -1
            depth = max(0, depth - 1)
        else:  # an operand: a number, \N, a name (maybe called), a string
            if not due:
                return -1
            operands += 1
            due = False
            call = _EXPRESSION_TOKEN.match(expr, pos) if kind == "word" else None
            if call is not None and call.lastgroup == "open":
                pos, depth, due = call.end(), depth + 1, True
                empty = _EXPRESSION_TOKEN.match(expr, pos)
                if empty is not None and empty.lastgroup == "close":
                    pos, depth, due = empty.end(), depth - 1, False
    return operands if due and not depth else -1


def _balanced(sql: str) -> tuple[int, int] | None:
    """The span from the first to the last quote of a value that closes its string, speaks an
    expression and opens a string again (see ``_EXPRESSION_TOKEN``), or None."""
    for quote in "'\"":
        first = sql.find(quote)
        last = sql.rfind(quote)
        if first < 0 or last <= first or last - first > MAX_EXPRESSION:
            continue
        before, after = sql[:first], sql[last + 1 :]
        if not (_PLAIN_VALUE.fullmatch(before) and _PLAIN_VALUE.fullmatch(after)):
            continue
        if (before.endswith(" ") and before.strip()) or (after.startswith(" ") and after.strip()):
            continue  # quotes that touch a word inside and a space outside quote the word
        operands = _operands(sql[first + 1 : last])
        # a lone operator between the quotes ('*', "mod") needs a value on both sides
        if operands > 0 or (operands == 0 and before.strip() and after.strip()):
            return first, last + 1
    return None


MAX_ANCHORS = 32  # candidate starts tried one by one before falling back to a plain scan

# ``_NUMBER_BOOL`` read on an ASCII copy of the SQL view where every digit is "0" (one literal:
# the regex engine jumps between digits in C) and every other character outside ASCII is "?".
_ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_NUMBER_BOOL_HEAD = re.compile(
    rb"0(?<![a-z0-9_.]0)[0.]*+ ?\)*+ ?(?:or|and|xor|div|&&|\|\||rlike|regexp|like|sounds|not|is)"
)
# A character outside ASCII inside a number: it may be a digit of another script (``\d``).
_WIDE_IN_NUMBER = re.compile(rb"\?(?<=[0.]\?)")


def _ascii_digits(sql: str) -> bytes:
    """``sql`` as ASCII bytes, position for position: digits "0", other non-ASCII "?"."""
    if "?" in sql:
        sql = sql.replace("?", "\x7f")
    return sql.encode("ascii", "replace").translate(_ZERO_DIGITS)


def _number_bool(sql: str) -> re.Match[str] | None:
    """``_NUMBER_BOOL.search(sql)``, tried only at the numbers followed by a boolean word."""
    if len(sql) < SHORT:
        return _NUMBER_BOOL.search(sql) if any_in(sql, _DIGITS) else None
    digits = _ascii_digits(sql)
    if _WIDE_IN_NUMBER.search(digits):
        return _NUMBER_BOOL.search(sql)
    for count, f in enumerate(_NUMBER_BOOL_HEAD.finditer(digits)):
        if count >= MAX_ANCHORS:  # too many to try one by one: the plain scan from here
            return _NUMBER_BOOL.search(sql, f.start())
        m = _NUMBER_BOOL.match(sql, f.start())
        if m:
            return m
    return None


# ``_BLIND`` from its comparison: each "=", "<" or ">" (at most MAX_ANCHORS of each, found with
# ``str.find``) right after a number and at most three of " " and ")".
_NUMBER_BEFORE = re.compile(r"(?:(?<=\d)|(?<=\d[ )])|(?<=\d[ )]{2})|(?<=\d[ )]{3}))")
_OPERAND_CHARS = frozenset(" ()+-")


def _blind(sql: str) -> re.Match[str] | None:
    """``_BLIND.search(sql)``. Between the operator of a match and its comparison there are only
    operand characters (spaces, parentheses, signs, digits) and the operator ends with a letter
    or "&" or "|": so the operator ends where the run of operand characters before the
    comparison starts, and the match starts 2 or 3 characters earlier. Matches come in the order
    of their comparisons, so the comparisons are tried in text order."""
    if len(sql) < SHORT:
        return _BLIND.search(sql) if any_in(sql, ("=", "<", ">")) else None
    signs: list[int] = []
    for sign in "=<>":
        places = positions(sql, sign, MAX_ANCHORS)
        if places is None:  # too many to check one by one
            return _BLIND.search(sql)
        signs += places
    previous = -1
    for pos in sorted(signs):
        found = None
        for at in (pos - 1, pos):  # "!=", "<=", "<>" start one character earlier
            if at > 0 and _NUMBER_BEFORE.match(sql, at):
                run = at
                while run > 0 and (sql[run - 1] in _OPERAND_CHARS or sql[run - 1].isdecimal()):
                    run -= 1
                    if at - run > 64:  # a long run: the plain scan after the previous sign
                        return _BLIND.search(sql, previous + 1)
                for start in (run - 3, run - 2):
                    m = _BLIND.match(sql, start) if start >= 0 else None
                    if m and (found is None or m.start() < found.start()):
                        found = m
        if found:
            return found
        previous = pos
    return None


# ``_OBJECTS``: each alternative has a mark that a C search finds, at most 11 characters after
# the start of the alternative: "@@", an underscore after its prefix, "mysql.user", "sys..."
# (preceded by "m" in ``msysobjects``) and "into outfile" or "into dumpfile".
_UNDERSCORE_OBJECTS = re.compile(
    r"_(?:(?<=information_)schema|(?<=pg_)(?:catalog|shadow)|(?<=all_|ser_)tables"
    r"|(?<=dba_)users|(?<=sqlite_)master|(?<=[xs]p_))"
)
_SYS_OBJECTS = re.compile(r"sys(?:objects|columns|users|databases)")
_INTO_FILE = re.compile(r"into (?:out|dump)file")


def _objects(sql: str) -> re.Match[str] | None:
    if len(sql) < SHORT:
        return _OBJECTS.search(sql) if any_in(sql, _OBJECT_NEEDLES) else None
    marks = []
    if "@" in sql:
        marks.append(sql.find("@@"))
    if "_" in sql:
        f = _UNDERSCORE_OBJECTS.search(sql)
        marks.append(max(0, f.start() - 11) if f else -1)
    marks.append(sql.find("mysql.user"))
    if "sys" in sql:
        f = _SYS_OBJECTS.search(sql)
        marks.append(max(0, f.start() - 1) if f else -1)
    if "file" in sql:
        f = _INTO_FILE.search(sql)
        marks.append(f.start() if f else -1)
    found = [m for m in marks if m != -1]
    return _OBJECTS.search(sql, min(found)) if found else None


# Necessary substrings of each statement pattern (after the keyword itself).
_STATEMENT_MARKS = {
    "update": ("=",),
    "having": ("(",),
    "create": ("(",),
    "order": ("order by",),
    "load": ("infile",),
    "case": (" when ",),
    "(": ("select",),
    "union": ("select",),
    "and": ("select",),
    "or": ("select",),
    "where": ("select",),
}


def _statement(sql: str) -> re.Match[str] | None:
    if len(sql) < SHORT:
        for keyword, rx in _STATEMENTS:
            if keyword in sql:
                m = rx.search(sql)
                if m:
                    return m
        return None
    has_select = "select" in sql
    for keyword, rx in _STATEMENTS:
        marks = _STATEMENT_MARKS.get(keyword, ())
        if marks == ("select",) or keyword == "select":
            if not has_select:
                continue
        elif marks and marks[0] not in sql:
            continue
        if keyword == "select" or keyword in sql:
            m = rx.search(sql)
            if m:
                return m
    return None


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    sql = sql_view(low)
    m = _union(sql)
    if m:
        return hit(v, m.start(), m.end(), "UNION SELECT")
    m = _after_quote(sql)
    if m:
        return hit(v, m.start(), m.end(), "string break-out followed by SQL")
    m = _QUOTE_OPERATOR.search(sql)
    if m:
        return hit(v, m.start(), m.end(), "string break-out followed by an operator")
    span = _balanced(sql) if "'" in sql or '"' in sql else None
    if span:
        return hit(v, span[0], span[1], "string closed, expression, string reopened")
    call = _suspicious_call(sql) if "(" in sql else None
    if call:
        return hit(v, call[0], call[1], call[2])
    m = _NUMBER_START.search(sql)
    if m:
        return hit(v, m.start(), m.end(), "number context followed by SQL")
    m = _number_bool(sql)
    if m:
        return hit(v, m.start(), m.end(), "boolean comparison after a number")
    m = _LEADING_BOOL.search(sql)
    if m:
        return hit(v, m.start(), m.end(), "value starts with a boolean operator")
    m = _blind(sql)
    if m:
        return hit(v, m.start(), m.end(), "boolean comparison of numbers")
    m = _VAR_COMMENT.search(sql) if "@" in sql else None
    if m:
        return hit(v, m.start(), m.end(), "variable truncated by a comment")
    m = _STACKED.search(sql) if ";" in sql else None
    if m:
        return hit(v, m.start(), m.end(), "stacked query")
    m = _WAITFOR.search(sql) if "waitfor" in sql else None
    if m:
        return hit(v, m.start(), m.end(), "time-based SQL delay")
    m = _objects(sql)
    if m:
        return hit(v, m.start(), m.end(), "SQL system object or function")
    m = _statement(sql)
    if m:
        return hit(v, m.start(), m.end(), "SQL statement")
    m = _EXPR_COMMENT.search(sql)
    if (m and _SQL_WORDS.search(m.group(0))) or (m and "(" in m.group(0)):
        return hit(v, m.start(), m.end(), "SQL expression truncated by a comment")
    return None


def detect(text: str) -> Match | None:
    """The first SQL injection shape in ``text``, or None."""
    return detect_views(views(text))

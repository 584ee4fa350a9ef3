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
    - a number context followed by a boolean comparison (``1 and 1=1``, ``-1 or 2>1``);
    - stacked queries: ``;`` then a statement (``; drop table users``, ``; exec xp_cmdshell``);
    - time- and error-based functions (``sleep(5)``, ``benchmark(``, ``waitfor delay '0:0:5'``,
      ``pg_sleep``, ``extractvalue(``, ``updatexml(``) and system objects (``@@version``,
      ``information_schema``, ``xp_cmdshell``, ``load_file(``, ``into outfile``);
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

from ..model import Match
from ._normalize import Views, any_in, hit, views, words

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
    r"u(?<![a-z_]u)nion(?:\s*(?:all|distinct))*[\s(]*select(?!ed\b|ion|or|s\b|ing)"
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
# A quote (the break-out), closing parentheses, then SQL.
_AFTER_QUOTE = re.compile(
    r"['\"`]\s?\)*\s?(?:"
    rf"{_QBOOL}\s?{_OPERAND}\s?(?:{_COMPARE}|$|--|#|/\*|;|\)|\(|select\b|sleep\b|not\b|exists\b"
    r"|true\b|false\b|null\b)"
    rf"|{_QBOOL}\s?\("  # ' and (select ...
    rf"|{_QBOOL}\s?[\w.@`]{{1,64}}\s?{_EQUALITY}"  # ' or userid like , ' or x=x
    r"|(?:or|xor|div|rlike|regexp|not\s+(?:like|rlike|regexp)|sounds\s+like|\|\||&&|<=>"
    r"|(?:[=<>^/%|]|!=)[-+*/|^&=<>!~%]{0,2})\s?['\"`]"  # 'or' , ' <= '
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
    r"|[=<>!|^][-+*/|^&=<>!~%]{0,2}\s?['\"`])"
)
_NUMBER_BOOL = re.compile(
    "|".join(
        rf"{d}(?<![\w.]{d})[\d.]*\s?\)*\s?{_BOOL}\s?{_OPERAND}\s?\)*\s?{_EQUALITY}"
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
    r"|waitfor\s|set\s+@|begin\b|grant\s|load_file|copy\s)"
)
# Function calls are found from their parenthesis: each "(" (at most MAX_CALLS) is checked for
# the name just before it and the arguments just after it, so prose full of ordinary words
# costs one ``str.find`` per parenthesis instead of a regex attempt at every letter.
MAX_CALLS = 64
_CALL_NAME = re.compile(r"(?<![\w.])[a-z_][\w.]{0,48}\s?$")
_TIME_FUNCTIONS = frozenset(
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
_TIME_PACKAGES = ("utl_inaddr.", "utl_http.", "ctxsys.")
_TIME_ARGS = re.compile(r"\s?[\d('\"@-]")
_NO_ARG_FUNCTIONS = frozenset(
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
_NO_ARGS = re.compile(r"\s?\)")
_WRAPPING_FUNCTIONS = frozenset(
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


def _suspicious_call(sql: str) -> tuple[int, int, str] | None:
    """The first call of a time-based, error-based or information function, from the
    parentheses of ``sql`` (bounded by MAX_CALLS)."""
    pos = sql.find("(")
    for _ in range(MAX_CALLS):
        if pos < 0:
            return None
        m = _CALL_NAME.search(sql, max(0, pos - 50), pos)
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
# SQL statements, one regex per leading keyword: each starts with its literal keyword (found by
# the regex engine like ``str.find``) and runs only when the keyword is in the text.
_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (keyword, re.compile(words(*alternatives) if keyword[0].isalpha() else "|".join(alternatives)))
    for keyword, alternatives in (
        (
            "select",
            (
                r"select\s+(?:distinct\s+|top\s+\d+\s+|all\s+)?[-+~]?(?:\*|[\w.@`\"\[\]]+\s?"
                r"(?:,|\(|\bas\b)|\d|null\b|@|\(|'|\"|0x)[^;]{0,200}?\bfrom\s+[\w.`\"\[\]@(]",
                r"select\s+(?:[\w.@]+\s?,\s?){1,64}[\w.@]+\s*(?:--|#|/\*|;|$)",
                r"select\s+[\w.]+\s?\([^()]{0,64}\)\s*(?:;|--|#|$|,|from\b)",
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
        ("drop", (r"drop\s+(?:table|database|schema|view|procedure|function|user|index)\s+",)),
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


def _fold_line_comments(text: str) -> str:
    """A ``--`` or ``#`` comment that a newline ends is whitespace to SQL (``1--\\nunion``)."""
    lines = text.split("\n")
    for i in range(len(lines) - 1):
        line = lines[i]
        cut = [p for p in (line.find("--"), line.find("#")) if p >= 0]
        if cut:
            lines[i] = line[: min(cut)]
    return " ".join(lines)


def sql_view(low: str) -> str:
    """Comments folded, whitespace collapsed to single spaces."""
    text = low
    if "/*" in text:
        text = _fold_comments(text)
    if "\n" in text and ("--" in text or "#" in text):
        text = _fold_line_comments(text)
    return _SPACES.sub(" ", _ODD_SPACE.sub(" ", text))


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


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    sql = sql_view(low)
    m = _UNION.search(sql)
    if m:
        return hit(v, m.start(), m.end(), "UNION SELECT")
    for count, m in enumerate(_AFTER_QUOTE.finditer(sql)):
        if count >= 32:
            break
        # a quote right after sentence punctuation closes a quotation in prose
        if m.start() and sql[m.start() - 1] in ".!?,;:":
            continue
        if _breakout(sql, m.start()):
            return hit(v, m.start(), m.end(), "string break-out followed by SQL")
    m = _QUOTE_OPERATOR.search(sql)
    if m:
        return hit(v, m.start(), m.end(), "string break-out followed by an operator")
    call = _suspicious_call(sql) if "(" in sql else None
    if call:
        return hit(v, call[0], call[1], call[2])
    for rx, needles, detail in (
        (_NUMBER_START, (), "number context followed by SQL"),
        (_NUMBER_BOOL, _DIGITS, "boolean comparison after a number"),
        (_LEADING_BOOL, (), "value starts with a boolean operator"),
        (_BLIND, ("=", "<", ">"), "boolean comparison of numbers"),
        (_VAR_COMMENT, ("@",), "variable truncated by a comment"),
        (_STACKED, (";",), "stacked query"),
        (_WAITFOR, ("waitfor",), "time-based SQL delay"),
        (_OBJECTS, _OBJECT_NEEDLES, "SQL system object or function"),
    ):
        if needles and not any_in(sql, needles):
            continue
        m = rx.search(sql)
        if m:
            return hit(v, m.start(), m.end(), detail)
    for keyword, rx in _STATEMENTS:
        if keyword in sql:
            m = rx.search(sql)
            if m:
                return hit(v, m.start(), m.end(), "SQL statement")
    m = _EXPR_COMMENT.search(sql)
    if (m and _SQL_WORDS.search(m.group(0))) or (m and "(" in m.group(0)):
        return hit(v, m.start(), m.end(), "SQL expression truncated by a comment")
    return None


def detect(text: str) -> Match | None:
    """The first SQL injection shape in ``text``, or None."""
    return detect_views(views(text))

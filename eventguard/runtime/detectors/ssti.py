"""Server-side template injection (CWE-1336): template syntax of the common engines.

What it catches
    - Jinja2/Twig/Nunjucks/Handlebars/Mustache expressions ``{{ ... }}`` whose content is an
      expression (operators, attribute access, calls, filters, subscripts: ``{{7*7}}``,
      ``{{config.items()}}``, ``{{''.__class__}}``, ``{{_self.env}}``) and statements
      ``{% for %}``, ``{% set %}``, ``{% import %}``...; Handlebars helpers ``{{#with ...}}``;
    - FreeMarker ``${...}``, ``<#assign``, ``[#assign``, ``?new()``; Velocity ``#set(``,
      ``#foreach``, ``$class.inspect``; Java EL/SpEL/Thymeleaf ``${...}``, ``#{...}``,
      ``*{...}``, ``__${...}__``, a method called on a string literal (``${"x".execute()}``);
      FreeMarker's ``?api.`` (a method of the Java object behind a value; ``?api=1`` is a
      URL's query); Twig hash literals inside an expression; OGNL static calls
      ``@java.lang.Runtime@exit(``;
      Ruby ERB and JSP ``<%= ... %>``; Smarty ``{php}``, ``{system(...)}``,
      ``{$smarty.version}``, ``{if system('id')}{/if}``, ``{Class::method(``; Mako ``<% %>``;
      Elixir ``<%= %>``.

Why
    A value concatenated into a template source becomes code. Plain braces in prose are rare;
    these delimiters with an expression inside are template syntax, not text. A bare
    ``{{name}}`` placeholder is left alone, and so is a ``${name}`` inside text (unless it is the
    whole value, a probe); ``{{name.attr}}`` or ``{{7*7}}`` is not. Nor are the ``${...}`` of
    configuration tools, which no engine evaluates: ``${NAME:-default}``, ``${AWS::Region}``,
    ``${server.port:8080}`` (a Log4j lookup such as ``${env:NAME}`` still counts).

Examples
    ``{{7*'7'}}``, ``${T(java.lang.Runtime).getRuntime().exec('id')}``,
    ``<%= system('id') %>``, ``#set($x=1)``, ``{% import os %}``,
    ``<#assign ex="freemarker.template.utility.Execute"?new()>``.

References
    CWE-1336; James Kettle, "Server-Side Template Injection" (PortSwigger, 2015);
    PayloadsAllTheThings "Server Side Template Injection".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, any_in, hit, leftmost, match_at, views

ID = "ssti"
CWE = "CWE-1336"

# An expression: not a bare name (``{{first_name}}`` is a placeholder; ``{{_self}}`` and
# ``{{__class__}}`` are caught by name), with an operator, a call, an attribute or a subscript.
_EXPR = r"(?!\s?[a-z_]\w{0,64}\s?\}\})[^{}]{0,512}?[-+*/%.()\[\]|'\"_~!<>=#:]"
# A hash literal inside an expression (Twig ``{{ {'id':'shell_exec'}|map('call_user_func') }}``):
# braces with a key and a colon, which a triple-stash placeholder ``{{{name}}}`` lacks.
_NESTED_HASH = r"\{\{[^{}]{0,256}\{[^{}:]{0,128}:[^{}]{0,128}\}[^{}]{0,256}\}\}"
# A method called on a string literal in an expression language (Groovy, EL, SpEL):
# ``${"calc.exe".execute()}``, ``${"".getClass().forName(...)}``.
_LITERAL_CALL = r"\{\s?(?:\"[^\"\n]{0,128}\"|'[^'\n]{0,128}')\s?\.\s?[a-z_]\w*\s?\("
# An expression language that opens on Java (SpEL, EL, Groovy): a type reference
# (``${T(java.lang.Runtime)``), a constructor of a package-qualified class (``${ new
# groovy.lang.GroovyClassLoader(``) or an annotation (``${ @ASTTest(``), however long or nested
# the rest. A JavaScript template literal's ``${new Date()}`` names no package.
_JAVA_EL = (
    r"\{\s?(?:t\s?\(\s?[a-z_]\w{0,64}(?:\.\w{1,64}){1,8}\s?\)|new\s+[a-z_]\w{0,64}(?:\.\w{1,64}){1,8}\s?\("
    r"|@[a-z_]\w{0,64}(?:\.\w{1,64}){0,8}\s?\()"
)
# Smarty: a variable with an attribute, a modifier or a subscript (``{$smarty.version}``,
# ``{$x|escape}``), a closing block tag (``{/if}``), a condition that calls (``{if system(``),
# a static call (``{Smarty_Internal_Write_File::writeFile(``).
_SMARTY_BLOCKS = r"(?:if|foreach|section|while|php|literal|capture|block|function|strip|for)"
_SMARTY = (
    r"\{\$[a-z_]\w{0,64}\s?(?:\.|\||->|\[)|\{/" + _SMARTY_BLOCKS + r"\}"
    r"|\{(?:if|elseif|while)\s[^{}]{0,256}\(|\{[a-z_]\w{0,64}::[a-z_]\w{0,64}\s?\("
)
# ``${name}`` is how shells, JavaScript template literals and many mail-merge tools write a
# placeholder ("Hello ${name}, welcome back"), as ``{{name}}`` is for Jinja: inside text it is
# left alone. Sent alone, it is a probe for an engine that evaluates it.
_DOLLAR_NAME_ALONE = r"\$(?:(?<=^\$)|(?<=^\s\$))\{\s?[a-z_]\w{0,64}\s?\}\s?$"
# Razor (ASP.NET): an explicit expression that calls a dotted name (``@(System.IO.File.
# ReadAllText("x"))``), or an implicit one on a .NET namespace that runs or reads
# (``@System.Diagnostics.Process.Start(``). An e-mail "@(company)" calls nothing.
_RAZOR = (
    r"@\(\s?[a-z_]\w{0,64}(?:\.[a-z_]\w{0,64}){1,8}\s?\("
    r"|@system\.(?:diagnostics|io|reflection|net|environment|runtime|activator)\."
)
# ``${...}`` that no template engine reads as an expression, written by the tools developers
# configure: a shell or Compose default (``${POSTGRES_PASSWORD:-example}``: ``:-``, ``:=``,
# ``:+``, ``:?`` after a name), a CloudFormation pseudo parameter (``${AWS::StackName}``: a
# scoped name), a Spring placeholder with its default (``${server.port:8080}``). A name that
# Log4j looks up (``${env:AWS_SECRET_ACCESS_KEY}``, ``${lower:j}``) is none of them.
_LOG4J_LOOKUPS = (
    r"(?:base64|bundle|ctx|date|docker|env|event|java|jndi|jvmrunargs|k8s|log4j|lower|upper"
    r"|main|map|marker|sd|spring|sys|web)"
)
_PLACEHOLDER = (
    r"(?!(?<=\$\{)\s?(?:[a-z_][\w.]{0,64}(?::[-=+?][^{}\n$`]{0,128}|::[a-z_]\w{0,64}\s?)"
    rf"|(?!{_LOG4J_LOOKUPS}\s?:)[a-z_][\w.]{{0,64}}:[\w./ -]{{0,128}})\}})"
)
_PATTERN = re.compile(
    rf"\{{\{{{_EXPR}[^{{}}]{{0,512}}?\}}\}}"  # {{ expr }}
    r"|\{\{\s?[#/>^!&]?\s?(?:this|self|config|request|settings|app|range|lipsum|cycler|joiner"
    r"|namespace|url_for|get_flashed_messages|g|session|_self|dump|with|each|lookup|log|if"
    r"|unless|else|constructor|__\w+)\b"
    r"|\{%-?\s?(?:for|if|set|block|import|include|extends|macro|raw|print|debug|from|call|filter"
    r"|with|autoescape|embed|use|sandbox|verbatim|do|endfor|endif|endblock|php|load|csrf_token"
    r"|spaceless)\b"
    # ${7*7} #{x.y}
    rf"|[$#*@]\{{(?!\s?\"){_PLACEHOLDER}[^{{}}\n]{{0,256}}?(?:[-+*/%.()\[\]'\"?:`]|\bclass\b)"
    r"[^{}\n]{0,256}?\}"
    r"|[#*@]\{\s?[a-z_]\w{0,64}\s?\}"  # #{x}
    rf"|{_DOLLAR_NAME_ALONE}"  # ${x} as the whole value
    r"|__\$\{|<#(?:assign|import|include|list|if|macro|function|setting|attempt|global|local)\b"
    r"|\[#(?:assign|import|include|list|if)\b|\?new\s?\(|\?api\b|\bfreemarker\.template\."
    r"|#(?:set|foreach|if|elseif|macro|parse|include|evaluate|define)\s?\("
    r"|\$(?:class|request|response|session|application|springmacrorequestcontext|jsontool)\."
    r"|<%[=\-#]?[^%]{0,512}?%>"
    r"|\{(?:php|literal|system|exec|passthru|shell_exec|eval|include|fetch|math)\b[^}]{0,256}\}"
    r"|\{\{\s?\d+\s?[-+*/]\s?\d+\s?\}\}|\$\{\{"
    rf"|{_SMARTY}"
    r"|[$#*@]\{\s*\}|\{\{\s*\}\}|\[\[\s*\]\]|\[\[[^\[\]]{0,256}[.(*+][^\[\]]{0,256}\]\]"
    r"|@\([^()]{0,64}[-+*/][^()]{0,64}\)|\{%-?\s?[a-z_]\w*\b[^%]{0,256}%\}"
    rf"|{_RAZOR}"
    r"|\$[a-z_]\w*\.[a-z_]\w*\s?\(|\$\{\s?[a-z_]\w*\s?=[^=]"
    rf"|{_NESTED_HASH}|[$#]{_LITERAL_CALL}|[$#*]{_JAVA_EL}"
)
# _PATTERN's alternatives grouped by the literal they start with ("[$#*@]" written as four
# literals, the word boundary of "freemarker" as a look-behind at its end), in their order. A
# group runs only when its first character is in the text (a memchr test); the leftmost start
# a group finds is where _PATTERN matches.
_BRACE_EXPR = r"\{(?!\s?\")[^{}\n]{0,256}?(?:[-+*/%.()\[\]'\"?:`]|\bclass\b)[^{}\n]{0,256}?\}"
_BRACE_NAME = r"\{\s?[a-z_]\w{0,64}\s?\}"
_BRACE_EMPTY = r"\{\s*\}"
_PARTS = tuple(
    (needle, re.compile(pattern))
    for needle, pattern in (
        (
            "{",
            rf"\{{\{{{_EXPR}[^{{}}]{{0,512}}?\}}\}}"
            r"|\{\{\s?[#/>^!&]?\s?(?:this|self|config|request|settings|app|range|lipsum|cycler"
            r"|joiner|namespace|url_for|get_flashed_messages|g|session|_self|dump|with|each|lookup"
            r"|log|if|unless|else|constructor|__\w+)\b"
            r"|\{%-?\s?(?:for|if|set|block|import|include|extends|macro|raw|print|debug|from|call"
            r"|filter|with|autoescape|embed|use|sandbox|verbatim|do|endfor|endif|endblock|php|load"
            r"|csrf_token|spaceless)\b"
            r"|\{(?:php|literal|system|exec|passthru|shell_exec|eval|include|fetch|math)\b[^}]{0,256}\}"
            r"|\{\{\s?\d+\s?[-+*/]\s?\d+\s?\}\}|\{\{\s*\}\}|\{%-?\s?[a-z_]\w*\b[^%]{0,256}%\}"
            rf"|{_SMARTY}"
            rf"|{_NESTED_HASH}",
        ),
        (
            "$",
            rf"\$\{{{_PLACEHOLDER}{_BRACE_EXPR[2:]}|{_DOLLAR_NAME_ALONE}"
            r"|\$(?:class|request|response|session|application|springmacrorequestcontext|jsontool)\."
            rf"|\$\{{\{{|\${_BRACE_EMPTY}|\$[a-z_]\w*\.[a-z_]\w*\s?\(|\$\{{\s?[a-z_]\w*\s?=[^=]"
            rf"|\${_LITERAL_CALL}|\${_JAVA_EL}",
        ),
        (
            "#",
            rf"#{_BRACE_EXPR}|#{_BRACE_NAME}|#{_JAVA_EL}"
            r"|#(?:set|foreach|if|elseif|macro|parse|include|evaluate|define)\s?\("
            rf"|#{_BRACE_EMPTY}|#{_LITERAL_CALL}",
        ),
        ("*", rf"\*{_BRACE_EXPR}|\*{_BRACE_NAME}|\*{_BRACE_EMPTY}|\*{_JAVA_EL}"),
        (
            "@",
            rf"@{_BRACE_EXPR}|@{_BRACE_NAME}|@{_BRACE_EMPTY}"
            r"|@\([^()]{0,64}[-+*/][^()]{0,64}\)"
            rf"|{_RAZOR}",
        ),
        ("__${", r"__\$\{"),
        (
            "<",
            r"<#(?:assign|import|include|list|if|macro|function|setting|attempt|global|local)\b"
            r"|<%[=\-#]?[^%]{0,512}?%>",
        ),
        (
            "[",
            r"\[#(?:assign|import|include|list|if)\b|\[\[\s*\]\]"
            r"|\[\[[^\[\]]{0,256}[.(*+][^\[\]]{0,256}\]\]",
        ),
        ("?", r"\?new\s?\(|\?api\s?\."),
        ("freemarker", r"freemarker\.template\.(?<!\wfreemarker\.template\.)"),
    )
)
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (
    "{",
    "}",
    "<%",
    "<#",
    "[#",
    "[[",
    "@(",
    "@system.",
    "#set",
    "#foreach",
    "#if",
    "#elseif",
    "#macro",
    "#parse",
    "#include",
    "#evaluate",
    "#define",
    "?new",
    "?api",
    "$class.",
    "$request.",
    "$response.",
    "$session.",
    "$application.",
    "$springmacrorequestcontext.",
    "$jsontool.",
)


def _search(low: str) -> re.Match[str] | None:
    """``_PATTERN.search(low)``."""
    return match_at(_PATTERN, low, leftmost(low, _PARTS))


# An OGNL (Struts) static method call, ``@java.lang.Runtime@getRuntime()``: a class name (with
# its package) between two at signs, then a call, which an e-mail address never makes.
_OGNL_STATIC = re.compile(r"@[a-z_][\w.]{0,128}@[a-z_]\w{0,64}\s?\(")


# Velocity and other Java engines: Java reflection on a template variable
# (``$x.getClass().forName("java.lang.Runtime")``), which no placeholder does.
_REFLECTION = re.compile(
    r"\$[a-z_]\w{0,64}\.(?:getclass|forname|getruntime|getmethod|getdeclared\w*|newinstance"
    r"|invoke|getclassloader|classloader)\b"
)


def detect_views(v: Views) -> Match | None:
    low = v.low
    m = _search(low)
    if m and any_in(low, NEEDLES):  # as before: only a text that holds one of NEEDLES
        return hit(v, m.start(), m.end(), "template expression")
    m = _REFLECTION.search(low) if "$" in low else None
    if m:
        return hit(v, m.start(), m.end(), "Java reflection on a template variable")
    m = _OGNL_STATIC.search(low) if "@" in low else None
    if m:
        return hit(v, m.start(), m.end(), "OGNL static method call")
    return None


def detect(text: str) -> Match | None:
    """The first template injection shape in ``text``, or None."""
    return detect_views(views(text))

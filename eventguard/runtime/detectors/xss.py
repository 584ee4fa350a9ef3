"""Cross-site scripting (CWE-79): HTML or JavaScript that a browser would run.

What it catches
    Read on the decoded text (URL, HTML entities such as ``&#x3c;`` or ``&lt``, JS escapes
    ``\\u003c``, fullwidth ``＜``), with control characters that browsers skip inside a URL
    scheme (``java&#x09;script:``) removed for the scheme check:

    - script-capable tags: ``<script``, ``<iframe``, ``<object``, ``<embed``, ``<svg``,
      ``<math``, ``<base``, ``<link``, ``<meta``, ``<style``, ``<form``, ``<applet``, ...;
    - any tag (or an attribute that breaks out of one) carrying an event handler
      (``<img src=x onerror=...>``, ``" autofocus onfocus=alert(1) x="``);
    - ``javascript:``, ``vbscript:`` and ``data:text/html`` URLs, also split by whitespace,
      control characters or entities;
    - CSS expressions (``expression(``, ``-moz-binding``, ``behavior:``), also behind CSS escapes
      in a style (``background:\\75rl(\\6a avascript:...)``), and JavaScript sinks
      in a script context (``alert(``/``prompt(``/``confirm(`` after a quote or a tag,
      ``document.cookie``, ``String.fromCharCode``, ``.innerHTML=``).

Why
    A value reflected into a page becomes markup. Prose has "<3" and "a < b", not a tag name
    right after ``<`` followed by attributes, nor ``on...=`` handlers.

Examples
    ``<script>alert(1)</script>``, ``<svg/onload=alert(1)>``, ``"><img src=x onerror=prompt(1)>``,
    ``<a href="jav&#x09;ascript:alert(1)">``, ``%3Cscript%3E``, ``＜script＞``.

References
    CWE-79; OWASP XSS Filter Evasion Cheat Sheet; PortSwigger XSS cheat sheet; html5sec.org.
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, any_in, hit, leftmost, make, match_at, views, words
from ._vocab import XSS_MARKUP_TAGS as _MARKUP_TAGS

ID = "xss"
CWE = "CWE-79"

_TAGS = (
    r"(?:script|iframe|frame|frameset|object|embed|applet|svg|math|base|link|meta|style|form"
    r"|isindex|xml|import|handler|listener|animate\w*|set|image|img|body|html|video|audio"
    r"|source|input|textarea|details|marquee|keygen|button|select|option|template|portal"
    r"|xss|layer|ilayer|bgsound|blink|plaintext|xmp|noscript|noembed|comment|a|div|span|table"
    r"|td|tr|th|p|iframe|object|event-source|x|foreignobject|use|feimage|vmlframe|frame"
    r"|br|bdo|h\d|ul|li|ol|dl|dt|q|b|i|u|s|var|font|center|label|legend|fieldset|area|map"
    r"|menu|menuitem|dialog|canvas|picture|track|output|meter|progress|datalist|title|head"
    r"|article|section|nav|aside|header|footer|main|abbr|acronym|address|cite|code|kbd|samp"
    r"|tt|em|strong|small|big|sub|sup|strike|del|ins|pre|blockquote|hr|caption|col|colgroup"
    r"|tbody|thead|tfoot|embed|param|wbr|ruby|rt|rp|mark|time|data|slot|shadow|content"
    r"|element|image2|html:\w+|svg:\w+|[a-z]+:[a-z]+)"
)
# Not <comment>: IE's element hides markup but runs nothing (the vectors that use it carry their
# own handler or script), and it is an ordinary element name in XML bodies.
_DANGEROUS_TAG = re.compile(
    r"</?(?:script|iframe|frame|frameset|object|embed|applet|svg|math|base|link|meta"
    r"|style|form|isindex|import|handler|listener|xss|layer|ilayer|bgsound|xml|portal"
    r"|event-source|vmlframe|template|noscript|plaintext|xmp|animate|set|foreignobject)"
    r"(?=[\s/>\x00-\x1f]|$)"
)
_HANDLER_DELIMS = r"\s\"'/;`<>(\x00-\x1f"
_HANDLER = re.compile(rf"(?:^|[{_HANDLER_DELIMS}])on[a-z]{{3,40}}\s?=")
# _HANDLER found at its "on" (a literal prefix); the match starts one character earlier, at the
# delimiter, unless "on" starts the text.
_HANDLER_ON = re.compile(rf"on(?<![^{_HANDLER_DELIMS}]on)[a-z]{{3,40}}\s?=")
# A data URL of a raster image is a picture, not a document: rich-text editors inline pasted
# images as ``<img src="data:image/png;base64,...">``, and no browser runs script from one
# (SVG can, and stays suspect).
_NOT_RASTER = r"(?!:\s?image/(?:png|jpe?g|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)[;,])"
_TAG_WITH_ATTR = re.compile(
    rf"<{_TAGS}[\s/\x00-\x1f][^<>]{{0,512}}?(?:\bon[a-z]{{3,40}}\s?=|\b(?:src|href|data|action"
    r"|formaction|background|dynsrc|lowsrc|xlink:href|style|poster|code|codebase|values|to"
    rf"|from|by|attributename)\s?=\s?['\"`]?\s?(?:[a-z]{{2,12}}script|data{_NOT_RASTER}|&#|\\"
    r"|[^\s>]{0,64}expression\s?\())"
)
_DATA_TYPES = (
    r"(?:text/html|image/svg|application/(?:x-)?(?:javascript|ecmascript|xhtml|x-shockwave))"
)
_SCHEME = re.compile(rf"(?:java|vb|live|mocha|ecma)script:|data:\s?{_DATA_TYPES}")
# Whether _SCHEME matches, with patterns that start with a literal.
_SCHEME_SCRIPT = re.compile(
    r"script:(?:(?<=javascript:)|(?<=vbscript:)|(?<=livescript:)|(?<=mochascript:)"
    r"|(?<=ecmascript:))"
)
_SCHEME_DATA = re.compile(rf"data:\s?{_DATA_TYPES}")
# A sink called with a space before its parenthesis is prose when a word stands before it or
# words follow the parenthesis it closes ("the eval (annual review) is", "Fetch ('go get') the
# ball"); code has none of them (``alert (1)``, ``;confirm (document.domain)//``).
_SPACED_PROSE = r"(?<![a-z]\s{name}\s[(`])(?![^()]{{0,64}}\)\s+[a-z])"
_SINK_WORDS = (
    *(
        (name, rf"{name}(?:[(`]|\s[(`]{_SPACED_PROSE.format(name=name)})")
        for name in ("alert", "prompt", "confirm", "eval", "settimeout", "setinterval")
    ),
    ("document", r"document\s?\.\s?(?:cookie|domain|write|location|body|forms|createelement)\b"),
    ("window", r"window\s?\.\s?(?:location|open|name)\b"),
    ("fromcharcode", r"string\s?\.\s?fromcharcode\b"),
    ("expression", r"expression\s?(?:\(|\\0{0,4}28)"),
    ("behavior", r"behavior\s?:"),
    ("location", r"location\s?="),
    ("top", r"top\s?\["),
    ("self", r"self\s?\["),
    ("xmlhttprequest", r"xmlhttprequest\b"),
    ("fetch", rf"fetch(?:\(|\s\({_SPACED_PROSE.format(name='fetch')})"),
)
_SINK = re.compile(
    r"\.innerhtml\s?=|-moz-binding|@import\b|" + words(*(word for _, word in _SINK_WORDS))
)


def _word_first(word: str) -> str:
    """``words(word)`` with the word boundary as a look-behind after the leading name, so that
    the pattern starts with that name: a literal prefix the regex engine finds at C speed."""
    name = re.match(r"[a-z]+", word)
    assert name
    return f"{name.group(0)}(?<![0-9a-z_]{name.group(0)}){word[name.end() :]}"


# _SINK in pieces, each behind a substring every match of it holds.
# Sink words that stand right before one of "(`[=" (after at most one space): they run only when
# a word ending in that name stands before such a character (see ``_words_before``).
_SINK_BEFORE = (
    "alert",
    "prompt",
    "confirm",
    "eval",
    "settimeout",
    "setinterval",
    "fetch",
    "top",
    "self",
    "location",
)
_SINK_PARTS = (
    ("innerhtml", re.compile(r"\.innerhtml\s?=")),
    ("-moz-binding", re.compile(r"-moz-binding")),
    ("@import", re.compile(r"@import\b")),
    *(
        (needle, re.compile(_word_first(word)))
        for needle, word in _SINK_WORDS
        if needle not in _SINK_BEFORE
    ),
)
_SINK_BEFORE_PARTS = tuple(
    (" " + needle[::-1], re.compile(_word_first(word)))
    for needle, word in _SINK_WORDS
    if needle in _SINK_BEFORE
)
# The word before each "(", "`", "[" or "=" (and one optional space), found in the reversed text
# (each pattern starts with a literal the regex engine finds at C speed).
_BEFORE = tuple((mark, re.compile(rf"{re.escape(mark)}\s?(\w+)")) for mark in "(`[=")


def _words_before(low: str) -> str:
    """The words before the characters of _BEFORE, reversed, each after a space."""
    reverse = low[::-1]
    return " " + " ".join(" ".join(rx.findall(reverse)) for mark, rx in _BEFORE if mark in low)


# Whether the text without control characters and spaces holds "script:" or "data:": the
# letters with only such characters between them (a pattern that starts with a literal).
_GAP = r"[\x00-\x20]*"
_SPREAD_SCRIPT = re.compile(_GAP.join("script:"))
_SPREAD_DATA = re.compile(_GAP.join("data:"))
# Markup in general: a complete tag, a closing tag, a known element name, comments and
# processing instructions that browsers and XML parsers act on.
_MARKUP_TAG = rf"</?\s?{_MARKUP_TAGS}(?=[\s/>]|$)|<!--"
_XMLNS = (
    r"(?::\w+)?\s?=\s?['\"]?(?:http://www\.w3\.org/(?:1999/xhtml|2000/svg|1999/xlink"
    r"|1999/xsl|tr/wd-xsl)|urn:schemas-microsoft-com)"
)
_DATA_ATTRIBUTE = r"(?:src|fld|formatas)\s?="
# A comment's end breaks out of a comment into markup; between two words ("review --> ship",
# a build log's "---> Running in 3f2e") it is an arrow.
_COMMENT_END = r"-->(?!\s[a-z0-9])"
_MARKUP = re.compile(
    rf"{_MARKUP_TAG}|{_COMMENT_END}|<!\[|<\?xml[-:]|\bxmlns{_XMLNS}|\bdata{_DATA_ATTRIBUTE}"
)
# _MARKUP in pieces that start with a literal, each behind a substring its matches hold.
_MARKUP_PARTS = (
    ("<", re.compile(rf"{_MARKUP_TAG}|<!\[|<\?xml[-:]")),
    ("-->", re.compile(_COMMENT_END)),
    ("xmlns", re.compile(rf"xmlns(?<!\wxmlns){_XMLNS}")),
    ("data", re.compile(rf"data(?<!\wdata){_DATA_ATTRIBUTE}")),
)
_ALERT = re.compile(
    r"(?<![\w])(?:alert|prompt|confirm)\)?[(`]|=\s?(?:alert|prompt|confirm)\b\s?[,;]"
)
_ALERT_PARTS = (
    *(
        (name, re.compile(rf"{name}(?<!\w{name})\)?[(`]"))
        for name in ("alert", "prompt", "confirm")
    ),
    ("=", re.compile(r"=\s?(?:alert|prompt|confirm)\b\s?[,;]")),
)
# US-ASCII with the high bit set (IE 6): \xbc and \xbe are < and >.
_SEVEN_BIT = str.maketrans({"\xbc": "<", "\xbe": ">", "\xa2": '"', "\xa7": "'"})
_ENCODED_LT = re.compile(r"&(?:#0*60|#x0*3c|lt);?|\\(?:x3c|u003c|074|u\{3c\})|%3c", re.IGNORECASE)
# Substrings every alternative of _SINK needs.
_SINK_NEEDLES = (
    "alert",
    "prompt",
    "confirm",
    "eval",
    "settimeout",
    "setinterval",
    "document.",
    "document .",
    "window.",
    "window .",
    "innerhtml",
    "fromcharcode",
    "expression(",
    "expression (",
    "expression\\",
    "-moz-binding",
    "behavior:",
    "behavior :",
    "@import",
    "location=",
    "location =",
    "top[",
    "top [",
    "self[",
    "self [",
    "xmlhttprequest",
    "fetch(",
    "fetch (",
)
_CONTROL = re.compile(r"[\x00-\x20]+")
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (
    "<",
    "script",
    "data:",
    "xmlns",
    "datasrc",
    "datafld",
    "formatas",
    "-->",
    "alert",
    "prompt",
    "confirm",
    "=",
    "document",
    "window",
    "fromcharcode",
    "expression",
    "binding",
    "behavior",
    "@import",
    "top",
    "self",
    "xmlhttprequest",
    "fetch",
    "eval",
    "settimeout",
    "setinterval",
    "\xbc",
)


def _sink(low: str) -> re.Match[str] | None:
    """``_SINK.search(low)``."""
    start = leftmost(low, _SINK_PARTS)
    if "(" in low or "`" in low or "[" in low or "=" in low:
        start = leftmost(_words_before(low), _SINK_BEFORE_PARTS, start, low)
    return match_at(_SINK, low, start)


def _has_needle(low: str) -> bool:
    """``any_in(low, NEEDLES)``, written out (a generator costs more than the tests)."""
    return (
        "<" in low
        or "=" in low
        or "script" in low
        or "data:" in low
        or "xmlns" in low
        or "datasrc" in low
        or "datafld" in low
        or "formatas" in low
        or "-->" in low
        or "alert" in low
        or "prompt" in low
        or "confirm" in low
        or "document" in low
        or "window" in low
        or "fromcharcode" in low
        or "expression" in low
        or "binding" in low
        or "behavior" in low
        or "@import" in low
        or "top" in low
        or "self" in low
        or "xmlhttprequest" in low
        or "fetch" in low
        or "eval" in low
        or "settimeout" in low
        or "setinterval" in low
        or "\xbc" in low
    )


# CSS escapes (``\6a``, ``\000075``, doubled as ``\\3c`` inside a quoted value) hide a script
# URL, an expression or markup in a style from the checks below; a text with a style is read
# again with them decoded, once.
_CSS_ESCAPE = re.compile(r"\\{1,2}([0-9a-f]{1,6})[ \t\n\r\f]?")


def _css_character(m: re.Match[str]) -> str:
    value = int(m.group(1), 16)
    return chr(value) if 0 < value < 0x110000 and not 0xD800 <= value < 0xE000 else "\ufffd"


def detect_views(v: Views) -> Match | None:
    m = _detect(v)
    low = v.low
    if m is None and "\\" in low and "style" in low and _CSS_ESCAPE.search(low):
        found = _detect(make(_CSS_ESCAPE.sub(_css_character, low)))
        if found is not None:
            return Match(0, min(len(v.raw), 32), f"{found.detail} (CSS escapes)")
    return m


def _detect(v: Views) -> Match | None:
    low = v.low
    if not _has_needle(low):
        return None
    if "<" in low:
        m = _DANGEROUS_TAG.search(low)
        if m:
            return hit(v, m.start(), m.end(), "script-capable tag")
        m = _TAG_WITH_ATTR.search(low)
        if m:
            return hit(v, m.start(), m.end(), "tag with active attribute")
    if "=" in low and "on" in low:
        m = _HANDLER_ON.search(low)
        if m:
            return hit(v, max(0, m.start() - 1), m.end(), "event handler attribute")
    m = _sink(low)
    if m and any_in(low, _SINK_NEEDLES):  # as before: only the spellings in _SINK_NEEDLES
        return hit(v, m.start(), m.end(), "JavaScript sink")
    if "alert" in low or "prompt" in low or "confirm" in low:
        m = match_at(_ALERT, low, leftmost(low, _ALERT_PARTS))
        if m:
            return hit(v, m.start(), m.end(), "JavaScript dialog call")
    m = match_at(_MARKUP, low, leftmost(low, _MARKUP_PARTS))
    if m:
        return hit(v, m.start(), m.end(), "HTML markup")
    # on the raw text: compatibility normalization has made "1⁄4" of "¼" in the decoded one
    if "\xbc" in v.raw:
        seven_bit = v.raw.lower().translate(_SEVEN_BIT)  # same length: raw offsets hold
        m = _DANGEROUS_TAG.search(seven_bit)
        if m:
            return Match(m.start(), m.end(), "tag in 7-bit-stripped encoding")
    if v.changed and len(low.strip()) <= 2 and "<" in low:  # a lone encoded "<": a probe
        m = _ENCODED_LT.search(v.raw)
        if m:
            return Match(m.start(), m.end(), "encoded angle bracket")
    if ("script" in low or "data:" in low) and (
        _SPREAD_SCRIPT.search(low) or _SPREAD_DATA.search(low)
    ):
        compact = _CONTROL.sub("", low)
        if ("script:" in compact and _SCHEME_SCRIPT.search(compact)) or (
            "data:" in compact and _SCHEME_DATA.search(compact)
        ):
            return hit(v, 0, min(len(v.raw), 16), "script URL")
    return None


def detect(text: str) -> Match | None:
    """The first cross-site scripting shape in ``text``, or None."""
    return detect_views(views(text))

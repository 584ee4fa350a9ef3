"""Insecure deserialization (CWE-502): serialized objects of languages that run code on load.

What it catches
    - Python: pickle opcodes (``cos\\nsystem\\n``, ``c__builtin__``, protocol headers
      ``\\x80\\x04\\x95``, base64 ``gASV``), PyYAML tags (``!!python/object/apply:``,
      ``!!python/name:``);
    - Java: serialization stream magic ``aced0005`` (hex) and ``rO0AB`` (base64), SnakeYAML
      and XStream gadget names (``!!javax.script.ScriptEngineManager``,
      ``java.beans.XMLDecoder``);
    - PHP: ``O:8:"stdClass":1:{``, ``a:2:{s:...``, ``C:`` custom objects;
    - Ruby: YAML tags ``!ruby/object:``, ``!ruby/hash:``, Marshal header ``\\x04\\x08``;
    - .NET: ``BinaryFormatter`` base64 ``AAEAAAD/////``, Json.NET ``"$type":"...,..."``,
      ``ObjectDataProvider``; Node ``node-serialize`` ``_$$ND_FUNC$$_``.

Why
    These formats rebuild arbitrary objects and call their methods while loading: whoever
    writes the bytes chooses the code. Their markers have no meaning in ordinary text.

Examples
    ``!!python/object/apply:os.system ["id"]``, ``rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA``,
    ``O:4:"User":1:{s:5:"admin";b:1;}``,
    ``{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework"}``.

References
    CWE-502; OWASP Deserialization Cheat Sheet; ysoserial, ysoserial.net, phpggc;
    PayloadsAllTheThings "Insecure Deserialization".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, any_in, hit, views

ID = "deserialization"
CWE = "CWE-502"

_RAW = re.compile(
    r"rO0AB|\bH4sIAAAAAAAA|\bAAEAAAD/////|\bgASV|\bgAJ[a-zA-Z]|\x80[\x02-\x05][\x95(]"
    r"|\xac\xed\x00\x05|\x04\x08[\[{o:I]"
)
_LOW = re.compile(
    r"!!python/|tag:yaml\.org,2002:python/|!ruby/|!!ruby/|!!javax?\.|!!com\.|!!org\."
    r"|\baced0005|_\$\$nd_func\$\$_|\bobjectdataprovider\b|\bjava\.beans\.xmldecoder\b"
    r"|\"\$type\"\s?:\s?\"[\w.`\[\]]+,\s?[\w.]+|\b__type\"\s?:|\bsystem\.windows\.data\."
    r"|(?:^|[\s\"';{(])[oc]:\d{1,4}:\"[\w\\]{1,256}\":\d{1,4}:\{"
    r"|(?:^|[\s\"';{(])a:\d{1,6}:\{(?:[sibdnoa]:|\})"
    r"|(?:^|\n)c(?:os|posix|nt|subprocess|__builtin__|builtins|commands|pty|socket)\n\w+\n"
    r"|\bcos\nsystem\b|\(s'[^']{0,256}'\ntr\.|\bcpickle\b|\bpickle\.loads?\s?\("
    r"|\byaml\.(?:unsafe_)?load\s?\("
)
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = (
    "!!",
    "!ruby",
    "ro0ab",
    "aaeaaad",
    "gasv",
    "gaj",
    "h4siaaaa",
    "aced0005",
    "_$$nd",
    "objectdataprovider",
    "xmldecoder",
    "$type",
    "__type",
    ":{",
    "cos\n",
    "cposix\n",
    "cnt\n",
    "csubprocess\n",
    "c__builtin__\n",
    "cbuiltins\n",
    "ccommands\n",
    "cpty\n",
    "csocket\n",
    "(s'",
    "\x80",
    "\xac",
    "\x04",
    "pickle",
    "yaml.",
    "windows.data",
)


def detect_views(v: Views) -> Match | None:
    if not any_in(v.low, NEEDLES):
        return None
    m = _RAW.search(v.raw)
    if m:
        return Match(m.start(), m.end(), "serialized object stream")
    m = _LOW.search(v.low)
    if m:
        return hit(v, m.start(), m.end(), "serialized object marker")
    return None


def detect(text: str) -> Match | None:
    """The first serialized-object marker in ``text``, or None."""
    return detect_views(views(text))

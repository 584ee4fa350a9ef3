"""Unpickling: ``pickle`` may only load allow-listed classes (``pickle.find_class``).

Unpickling runs whatever callable the data names (``os.system``, ``builtins.eval``): an
attacker's pickle is code execution. Plain values (dict, list, str, numbers) need no class and
always load; ``unpickle.classes`` lists ``module.Name`` or ``module.*``; a few value classes
(datetime, Decimal, set, OrderedDict) are always allowed (``rules.SAFE_PICKLE_CLASSES``).
"""

from __future__ import annotations

from typing import Any

from .rules import Rules, Violation, plain

ID = "unpickle"
EVENTS = ("pickle.find_class",)


def check(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
    if len(args) < 2:
        return None
    module, name = plain(args[0]), plain(args[1])
    if module is None or name is None:
        return None
    allowed = policy.pickle_classes
    if f"{module}.{name}" in allowed or f"{module}.*" in allowed:
        return None
    return Violation(ID, f"{module}.{name}"[:200], "class is not in the unpickle allow-list")

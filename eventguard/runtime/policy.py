"""The policy document the constructs write at synth and the runtime reads at cold start.

It travels as compact JSON in the environment variable ``EVENTGUARD_POLICY``, so what the audit
reviews in the template is exactly what runs. Unknown keys are an error, never ignored.

    {"v": 1, "function": "Shop/Orders", "mode": "block", "failure_mode": "closed",
     "triggers": [{"source": "sqs", "id": "arn:aws:sqs:...:orders", "fifo": false}],
     "rules": {"xss": "alert"}, "behavior": {...}, "flow": {...}}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ._value import Frozen
from .errors import PolicyError

ENV_VAR = "EVENTGUARD_POLICY"
MODES = ("block", "alert")
FAILURE_MODES = ("closed", "open")
RULE_LEVELS = ("block", "alert", "off")
_KEYS = {"v", "function", "mode", "failure_mode", "triggers", "rules", "behavior", "flow"}
_TRIGGER_KEYS = {"source", "id", "fifo", "stage", "name", "pattern"}


class Trigger(Frozen):
    """A declared entry point: its source type id and the id/ARN of the resource it comes from.

    ``pattern`` is an EventBridge rule's event pattern as canonical JSON text (sorted keys, no
    spaces; a string keeps the trigger hashable), or empty when the policy gives none.
    """

    __slots__ = __match_args__ = ("source", "id", "fifo", "stage", "name", "pattern")
    source: str
    id: str
    fifo: bool
    stage: str
    name: str
    pattern: str

    def __init__(
        self,
        source: str,
        id: str = "",
        fifo: bool = False,
        stage: str = "",
        name: str = "",
        pattern: str = "",
    ) -> None:
        init = object.__setattr__
        init(self, "source", source)
        init(self, "id", id)
        init(self, "fifo", fifo)
        init(self, "stage", stage)
        init(self, "name", name)
        init(self, "pattern", pattern)


class Policy(Frozen):
    """The effective policy of one function. ``rules`` maps a rule id to block, alert or off."""

    __slots__ = __match_args__ = (
        "function",
        "mode",
        "failure_mode",
        "triggers",
        "rules",
        "behavior",
        "flow",
    )
    function: str
    mode: str
    failure_mode: str
    triggers: tuple[Trigger, ...]
    rules: Mapping[str, str]
    behavior: Mapping[str, Any]
    flow: Mapping[str, Any]

    def __init__(
        self,
        function: str = "",
        mode: str = "block",
        failure_mode: str = "closed",
        triggers: tuple[Trigger, ...] = (),
        rules: Mapping[str, str] | None = None,  # None: empty (a new read-only mapping)
        behavior: Mapping[str, Any] | None = None,
        flow: Mapping[str, Any] | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "function", function)
        init(self, "mode", mode)
        init(self, "failure_mode", failure_mode)
        init(self, "triggers", triggers)
        init(self, "rules", MappingProxyType({}) if rules is None else rules)
        init(self, "behavior", MappingProxyType({}) if behavior is None else behavior)
        init(self, "flow", MappingProxyType({}) if flow is None else flow)

    def level(self, rule: str) -> str:
        """The level of a rule: its own if set, else block in block mode, alert in alert mode."""
        level = self.rules.get(rule, "block")
        if level == "block" and self.mode == "alert":
            return "alert"
        return level

    def declares(self, source: str) -> bool:
        return any(t.source == source for t in self.triggers)


DEFAULT = Policy()


def _choice(doc: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    value = doc.get(key, default)
    if value not in choices:
        raise PolicyError(f"policy key {key!r} is {value!r}; expected one of {', '.join(choices)}")
    return str(value)


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _pattern(value: Any) -> str:
    """A trigger's event pattern as canonical JSON text ("" for none); the matcher parses it
    when an event needs it, so a pattern it cannot match only leaves the origin unverified."""
    if value is None:
        return ""
    if not isinstance(value, Mapping):
        raise PolicyError(f"a trigger's 'pattern' must be a JSON object: {value!r:.80}")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def from_dict(doc: Mapping[str, Any]) -> Policy:
    """Build a Policy from its JSON document, rejecting unknown keys and values."""
    if not isinstance(doc, Mapping):
        raise PolicyError("the policy document must be a JSON object")
    unknown = set(doc) - _KEYS
    if unknown:
        raise PolicyError(f"unknown policy keys: {', '.join(sorted(unknown))}")
    triggers = []
    for raw in doc.get("triggers", ()):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("source"), str):
            raise PolicyError(f"a trigger must be an object with a 'source': {raw!r}")
        bad = set(raw) - _TRIGGER_KEYS
        if bad:
            raise PolicyError(f"unknown trigger keys: {', '.join(sorted(bad))}")
        triggers.append(
            Trigger(
                source=raw["source"],
                id=str(raw.get("id", "")),
                fifo=bool(raw.get("fifo", False)),
                stage=str(raw.get("stage", "")),
                name=str(raw.get("name", "")),
                pattern=_pattern(raw.get("pattern")),
            )
        )
    rules = doc.get("rules", {})
    if not isinstance(rules, Mapping) or any(v not in RULE_LEVELS for v in rules.values()):
        raise PolicyError(f"policy 'rules' maps rule ids to one of {', '.join(RULE_LEVELS)}")
    return Policy(
        function=str(doc.get("function", "")),
        mode=_choice(doc, "mode", MODES, "block"),
        failure_mode=_choice(doc, "failure_mode", FAILURE_MODES, "closed"),
        triggers=tuple(triggers),
        rules=_freeze(rules),
        behavior=_freeze(doc.get("behavior", {})),
        flow=_freeze(doc.get("flow", {})),
    )


def from_json(text: str) -> Policy:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise PolicyError(f"{ENV_VAR} is not valid JSON: {exc}") from None
    return from_dict(doc)


def from_env(environ: Mapping[str, str]) -> Policy:
    """The policy from the environment; a function without one is a deployment error."""
    text = environ.get(ENV_VAR)
    if not text:
        raise PolicyError(f"{ENV_VAR} is not set: deploy the function with SecureFunction")
    return from_json(text)

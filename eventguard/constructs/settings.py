"""The effective policy settings of one SecureFunction: app-wide context, then the function's props.

The app-wide policy lives in ``cdk.json`` under the context key ``eventguard``::

    "eventguard": {
      "mode": "block",                      # block | alert            (default block)
      "failure_mode": "closed",             # closed | open            (default closed)
      "rules": {"xss": "alert"},            # rule id -> block | alert | off
      "public": {"Shop/Orders": "the storefront's anonymous order form"}
    }

``public`` names the functions (by construct path) whose entry points are meant to be public,
each with the reason a reviewer reads (10 characters or more). A SecureFunction's own props
override all of it. Every unknown key or value fails at synth with a message that names the
function, the bad key and the valid ones. Pure Python: no aws_cdk import, tested without jsii.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..runtime.model import INTERNAL_ERROR, LIMIT_EXCEEDED, UNEXPECTED_FLOW, UNEXPECTED_SOURCE
from ..runtime.policy import FAILURE_MODES, MODES, RULE_LEVELS

CONTEXT_KEY = "eventguard"
CONTEXT_KEYS = ("mode", "failure_mode", "rules", "public")
MIN_REASON = 10  # the audit's EventGuard-PublicEntryPoint accepts reasons of 10 characters up

# The detector rule ids of DESIGN.md plus the rule ids the runtime itself reports.
DETECTOR_RULES = (
    "sqli", "nosqli", "cmdi", "code_injection", "path_traversal", "xss", "ssti", "xxe", "ssrf",
    "ldapi", "crlf", "proto_pollution", "deserialization", "log4shell",
)  # fmt: skip
RULE_IDS = (*DETECTOR_RULES, UNEXPECTED_SOURCE, LIMIT_EXCEEDED, INTERNAL_ERROR, UNEXPECTED_FLOW)


class SettingsError(ValueError):
    """A policy setting is wrong; the message names the construct path and the fix."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the constructs write into one function's policy document."""

    mode: str = "block"
    failure_mode: str = "closed"
    rules: Mapping[str, str] = field(default_factory=dict)
    public_reason: str | None = None


def _suggest(value: str, valid: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, valid, n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def _choice(path: str, where: str, value: Any, valid: tuple[str, ...]) -> str:
    if value not in valid:
        hint = _suggest(str(value), valid)
        raise SettingsError(f"{path}: {where} is {value!r}; {hint}use one of: {', '.join(valid)}")
    return str(value)


def check_rules(path: str, where: str, rules: Any) -> dict[str, str]:
    """Rule id -> level, each checked against the known rule ids and levels."""
    if rules is None:
        return {}
    if not isinstance(rules, Mapping):
        raise SettingsError(
            f"{path}: {where} must map rule ids to a level, e.g. {{'xss': 'alert'}}; got {rules!r}"
        )
    checked: dict[str, str] = {}
    for rule, level in rules.items():
        if rule not in RULE_IDS:
            hint = _suggest(str(rule), RULE_IDS)
            raise SettingsError(
                f"{path}: {where} names unknown rule {rule!r}; {hint}"
                f"rule ids are: {', '.join(RULE_IDS)}"
            )
        checked[str(rule)] = _choice(path, f"{where}[{rule!r}]", level, RULE_LEVELS)
    return checked


def check_context(path: str, context: Any) -> Mapping[str, Any]:
    """The ``eventguard`` context object, every key and value checked."""
    where = f"cdk.json context {CONTEXT_KEY!r}"
    if context is None:
        return {}
    if not isinstance(context, Mapping):
        raise SettingsError(f"{path}: {where} must be an object; got {context!r}")
    for key in context:
        if key not in CONTEXT_KEYS:
            hint = _suggest(str(key), CONTEXT_KEYS)
            raise SettingsError(
                f"{path}: {where} has unknown key {key!r}; {hint}"
                f"valid keys: {', '.join(CONTEXT_KEYS)}"
            )
    if "mode" in context:
        _choice(path, f"{where} key 'mode'", context["mode"], MODES)
    if "failure_mode" in context:
        _choice(path, f"{where} key 'failure_mode'", context["failure_mode"], FAILURE_MODES)
    check_rules(path, f"{where} key 'rules'", context.get("rules"))
    public = context.get("public", {})
    if not isinstance(public, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v.strip()) >= MIN_REASON
        for k, v in public.items()
    ):
        raise SettingsError(
            f"{path}: {where} key 'public' must map construct paths to a reason of "
            f"{MIN_REASON} characters or more, "
            f"e.g. {{'Shop/Orders': 'anonymous order form'}}; got {public!r}"
        )
    return context


def effective(
    path: str,
    context: Any,
    *,
    mode: str | None = None,
    failure_mode: str | None = None,
    rules: Mapping[str, str] | None = None,
    public_reason: str | None = None,
) -> Settings:
    """Props override the app-wide context, which overrides the defaults (block, closed)."""
    ctx = check_context(path, context)
    if mode is not None:
        _choice(path, "mode", mode, MODES)
    if failure_mode is not None:
        _choice(path, "failure_mode", failure_mode, FAILURE_MODES)
    own_rules = check_rules(path, "rules", rules)
    short = not isinstance(public_reason, str) or len(public_reason.strip()) < MIN_REASON
    if public_reason is not None and short:
        raise SettingsError(
            f"{path}: public_reason is {public_reason!r}; say why this entry point is public in "
            f"{MIN_REASON} characters or more, or leave it unset to keep the entry point private"
        )
    return Settings(
        mode=mode or str(ctx.get("mode", "block")),
        failure_mode=failure_mode or str(ctx.get("failure_mode", "closed")),
        rules={**dict(ctx.get("rules") or {}), **own_rules},
        public_reason=public_reason or (ctx.get("public") or {}).get(path),
    )

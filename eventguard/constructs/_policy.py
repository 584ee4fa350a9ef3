"""The ``EVENTGUARD_POLICY`` environment variable: rendered lazily, size-checked at synth.

The document is produced when the template is rendered, so triggers added after the function
was created are in it; ``Stack.to_json_string`` turns the ARNs in it into ``Fn::Join`` so they
resolve at deploy. Lambda caps all environment variables of a function at 4 KB together: the
check estimates every unresolved token (an ARN, a name) at ``TOKEN_ESTIMATE`` bytes.

A trigger may declare an optional value that is read only when the policy is rendered (an
EventBridge rule's event pattern, which can change after the trigger is bound): a ``Deferred``.
It is left out when it cannot be used, or when the environment would not fit 4 KB with it
(largest first); either way the origin stays unverified, as without it, and ``PolicyNotes``
warns at synth, naming what was left out and why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import jsii
from aws_cdk import Annotations, IStableStringProducer, Stack
from constructs import Construct, IValidation

ENV_LIMIT_BYTES = 4 * 1024
TOKEN_ESTIMATE = 100  # bytes an ARN or a resource name takes once deployed (upper estimate)
_TOKEN = re.compile(r"\$\{Token\[[^\]]*\]\}")

Document = Callable[[], Mapping[str, Any]]
NOTE_ID = "eventguard:policy-value-left-out"  # acknowledge with Annotations.acknowledge_warning


class Deferred:
    """An optional policy value computed when the policy is rendered; a warning names it by
    ``label`` and says ``consequence`` when it is left out."""

    label = ""
    consequence = "the runtime does without it"

    def resolve(self) -> tuple[Any, str]:
        """The JSON value, or None and why it is left out ("" to leave it out silently)."""
        raise NotImplementedError


def estimated_size(text: str) -> int:
    """UTF-8 bytes of ``text`` once its tokens are resolved (each estimated)."""
    tokens = len(_TOKEN.findall(text))
    return len(_TOKEN.sub("", text).encode("utf-8")) + tokens * TOKEN_ESTIMATE


def env_size(environment: Mapping[str, str]) -> int:
    """Estimated size Lambda counts against its 4 KB limit: every key and value."""
    return sum(estimated_size(k) + estimated_size(v) for k, v in environment.items())


@jsii.implements(IStableStringProducer)
class PolicyJson:
    """Produces the compact policy JSON (tokens rendered as Fn::Join by the stack)."""

    def __init__(self, scope: Construct, document: Document) -> None:
        self._scope = scope
        self._document = document

    def produce(self) -> str | None:
        return Stack.of(self._scope).to_json_string(dict(self._document()))


@jsii.implements(IValidation)
class EnvSizeCheck:
    """Fails synth when the environment, policy included, would exceed Lambda's 4 KB."""

    def __init__(
        self, path: str, environment: Callable[[], Mapping[str, str]], document: Document
    ) -> None:
        self._path = path
        self._environment = environment
        self._document = document

    def validate(self) -> list[str]:
        policy = json.dumps(dict(self._document()), separators=(",", ":"))
        env = {**self._environment(), "EVENTGUARD_POLICY": policy}
        size = env_size(env)
        if size <= ENV_LIMIT_BYTES:
            return []
        return [
            f"{self._path}: environment variables would take about {size} bytes "
            f"(the policy alone {estimated_size(policy)}), over Lambda's {ENV_LIMIT_BYTES}-byte "
            "limit; declare fewer triggers or rule overrides on this function (split it), or "
            "move large settings out of its environment"
        ]


@jsii.implements(IValidation)
class PolicyNotes:
    """Warns once per note (what the policy left out, and why) on ``scope``; never fails."""

    def __init__(self, scope: Construct, notes: Callable[[], list[str]]) -> None:
        self._scope = scope
        self._notes = notes
        self._added: set[str] = set()

    def validate(self) -> list[str]:
        for note in self._notes():
            if note not in self._added:
                self._added.add(note)
                Annotations.of(self._scope).add_warning_v2(NOTE_ID, note)
        return []

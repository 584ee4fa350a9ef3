"""CDK constructs: ``SecureFunction`` and its ``triggers``.

from eventguard.constructs import SecureFunction, triggers

fn = SecureFunction(self, "Fulfilment", code=Code.from_asset("src"), handler="work.handler",
                    triggers=[triggers.Sqs(queue)])
"""

from __future__ import annotations

from . import triggers
from .behavior import BehaviorPolicy
from .flow import enable_flow
from .function import SecureFunction
from .settings import Settings, SettingsError

__all__ = [
    "BehaviorPolicy",
    "SecureFunction",
    "Settings",
    "SettingsError",
    "enable_flow",
    "triggers",
]

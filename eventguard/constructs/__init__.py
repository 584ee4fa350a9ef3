"""CDK constructs: ``SecureFunction`` and its ``triggers``.

from eventguard.constructs import SecureFunction, triggers

fn = SecureFunction(self, "Fulfilment", code=Code.from_asset("src"), handler="work.handler",
                    triggers=[triggers.Sqs(queue)])
"""

from __future__ import annotations

from . import triggers
from .function import SecureFunction
from .settings import Settings, SettingsError

__all__ = ["SecureFunction", "Settings", "SettingsError", "triggers"]

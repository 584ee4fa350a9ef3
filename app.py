#!/usr/bin/env python3
"""The example app: the shop backend, audited at synth (``npx cdk synth`` / ``make synth``)."""

from __future__ import annotations

from aws_cdk import App, AspectPriority, Aspects

from eventguard.aspects import EntryPointAudit
from examples.shop.stack import ShopStack


def build(app: App) -> ShopStack:
    """The shop stack in ``app``, with the entry-point audit on the whole app."""
    stack = ShopStack(app, "Shop", description="eventguard example: a guarded shop backend")
    Aspects.of(app).add(EntryPointAudit(), priority=AspectPriority.READONLY)
    return stack


if __name__ == "__main__":
    application = App()
    build(application)
    application.synth()

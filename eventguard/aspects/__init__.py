"""The eventguard audit: every entry point of the synthesized app, and the function it reaches.

``engine`` (pure, no aws_cdk) runs the ``rules`` on template dicts; the CDK adapters
(``EntryPointAudit``, ``suppress``, ``declare_public``, ``EventGuardNagPack``) import aws_cdk and
are exported lazily, so that ``eventguard audit`` starts fast::

    from eventguard.aspects import EntryPointAudit, suppress
    Aspects.of(app).add(EntryPointAudit(), priority=AspectPriority.READONLY)
"""

from __future__ import annotations

from typing import Any

_LAZY = {
    "EntryPointAudit": "synth",
    "AuditPlugin": "synth",
    "audit_app": "synth",
    "suppress": "suppressions",
    "declare_public": "suppressions",
    "EventGuardNagPack": "nag",
}

__all__ = ["AuditPlugin", "EntryPointAudit", "EventGuardNagPack", "declare_public", "suppress"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

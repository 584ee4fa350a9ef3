"""eventguard: every entry point of a serverless app guarded by default, declared in AWS CDK.

This module holds the version only. It imports no subpackage, because the Lambda layer ships
``eventguard/runtime`` without the CDK parts.
"""

from __future__ import annotations

__version__ = "0.1.0"

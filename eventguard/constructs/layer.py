"""The eventguard runtime as a Lambda layer: one ``AWS::Lambda::LayerVersion`` per stack.

Lambda unpacks a layer under ``/opt`` and puts ``/opt/python`` on ``sys.path``, so the layer
holds ``python/eventguard/__init__.py`` and ``python/eventguard/runtime/**``: exactly the
standard-library-only part of the package, never the CDK parts. The files come from the
installed package itself (``importlib.resources``), so what is deployed is what was installed,
and they are copied by a local bundler: no Docker.
"""

from __future__ import annotations

import importlib.resources
import shutil
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from .. import __version__

LAYER_ID = "EventguardRuntimeLayer"
DESCRIPTION = f"eventguard runtime {__version__}: in-function event inspection (stdlib only)"
RUNTIMES = ("PYTHON_3_11", "PYTHON_3_12", "PYTHON_3_13")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


def package_dir() -> Path:
    """The installed ``eventguard`` package directory (a wheel's, or the source tree's)."""
    return Path(str(importlib.resources.files("eventguard")))


def copy_runtime(package: Path, output_dir: Path) -> None:
    """Write the layer's content: ``python/eventguard/{__init__.py, runtime/**}``."""
    target = output_dir / "python" / "eventguard"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(package / "__init__.py", target / "__init__.py")
    shutil.copytree(package / "runtime", target / "runtime", ignore=_IGNORE, dirs_exist_ok=True)


@jsii.implements(ILocalBundling)
class _RuntimeBundler:
    """Bundles the layer by copying files in this process, so no Docker image is ever pulled."""

    def __init__(self, package: Path) -> None:
        self._package = package

    def try_bundle(self, output_dir: str, *args: Any, **kwargs: Any) -> bool:
        copy_runtime(self._package, Path(output_dir))
        return True


def runtime_layer(scope: Construct) -> lambda_.ILayerVersion:
    """The stack's runtime layer, created on first use and shared by its SecureFunctions."""
    stack = Stack.of(scope)
    existing = stack.node.try_find_child(LAYER_ID)
    if existing is not None:
        return existing  # type: ignore[return-value]
    package = package_dir()
    code = lambda_.Code.from_asset(
        str(package / "runtime"),
        # The hash is the bundled output's, so it changes exactly when the layer's files do.
        asset_hash_type=AssetHashType.OUTPUT,
        exclude=["**/__pycache__", "*.pyc"],
        bundling=BundlingOptions(
            # Required by the API but never pulled: the local bundler always succeeds.
            image=DockerImage.from_registry("none"),
            local=_RuntimeBundler(package),
        ),
    )
    return lambda_.LayerVersion(
        stack,
        LAYER_ID,
        code=code,
        description=DESCRIPTION,
        compatible_runtimes=[getattr(lambda_.Runtime, name) for name in RUNTIMES],
    )

"""The runtime layer: its content in the cloud assembly, and that it comes from the installed
package (a wheel carries the runtime; SecureFunction reads it from there, not from the source
tree)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _layer_asset(cdk_out: Path) -> Path:
    template = json.loads((cdk_out / "Shop.template.json").read_text())
    (layer,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::LayerVersion"
    ]
    return cdk_out / layer["Metadata"]["aws:asset:path"]


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_layer_asset_holds_the_runtime_and_nothing_else(shop_cdk_out: Path) -> None:
    files = _files(_layer_asset(shop_cdk_out))
    runtime_sources = {
        f"python/eventguard/runtime/{p.relative_to(ROOT / 'eventguard' / 'runtime').as_posix()}"
        for p in (ROOT / "eventguard" / "runtime").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert files == {"python/eventguard/__init__.py"} | runtime_sources | {
        f for f in files if f.startswith("python/eventguard/runtime/") and not f.endswith(".py")
    }
    assert "python/eventguard/runtime/wrapper.py" in files
    assert not any("__pycache__" in f or f.endswith(".pyc") for f in files)
    assert not any(
        f.startswith(("python/eventguard/constructs", "python/eventguard/aspects")) for f in files
    )


def test_layer_hash_ignores_bytecode(tmp_path: Path) -> None:
    """Importing the runtime locally (which writes __pycache__) must not change the layer."""
    from eventguard.constructs.layer import copy_runtime, package_dir

    package = tmp_path / "eventguard"
    copy_runtime(package_dir(), tmp_path / "first")
    source = tmp_path / "first" / "python" / "eventguard"
    (source / "runtime" / "__pycache__").mkdir()
    (source / "runtime" / "__pycache__" / "wrapper.cpython-311.pyc").write_bytes(b"x")
    copy_runtime(source, tmp_path / "second")
    assert _files(tmp_path / "second") == _files(tmp_path / "first") - {
        "python/eventguard/runtime/__pycache__/wrapper.cpython-311.pyc"
    }
    assert not package.exists()


@pytest.mark.slow
def test_wheel_carries_the_runtime_and_the_layer_is_built_from_the_installed_package(
    tmp_path: Path,
) -> None:
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("eventguard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "eventguard/runtime/wrapper.py" in names
    assert "eventguard/constructs/layer.py" in names
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    # From an unrelated directory, with only the installed copy importable: the layer's source
    # must be the installed package.
    probe = (
        "import eventguard.constructs.layer as l, json; "
        "print(json.dumps([str(l.package_dir()), l.__file__]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    package, module = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(package) == site / "eventguard"
    assert Path(module).is_relative_to(site)


def test_layer_is_shared_not_duplicated(shop: Any) -> None:
    from eventguard.constructs.layer import LAYER_ID

    layers = [c for c in shop.stack.node.children if c.node.id == LAYER_ID]
    assert len(layers) == 1

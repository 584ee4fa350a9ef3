"""The README's snippet is a file the tests synthesize, so the documentation cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_opens_with_the_two_setup_commands() -> None:
    text = (ROOT / "README.md").read_text()
    getting_started = text.split("## Getting started", 1)[1]
    assert "make synth" in getting_started and "make test" in getting_started


def test_readme_snippet_is_the_quickstart_file() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert (ROOT / "examples/quickstart/stack.py").read_text() in blocks


def test_quickstart_synthesizes_a_guarded_function(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from aws_cdk.assertions import Template

    monkeypatch.chdir(ROOT)
    quickstart = importlib.import_module("examples.quickstart.stack")
    stack = quickstart.app.node.find_child("Quickstart")
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Lambda::Function", {"Handler": "eventguard.runtime.wrapper.handler"}
    )
    template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping", {"FunctionResponseTypes": ["ReportBatchItemFailures"]}
    )

"""Every rule module keeps the contract of eventguard.aspects.rules."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from eventguard.aspects.model import Assembly
from eventguard.aspects.rules import BY_NAME, RULES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.NAME)
def test_rule_module_contract(rule):
    assert rule.NAME.startswith("EventGuard-") and BY_NAME[rule.NAME] is rule
    assert rule.LEVEL in ("error", "warning")
    assert rule.INFO.endswith(".") and "\n" not in rule.INFO
    assert len(rule.EXPLANATION) > 80
    assert list(inspect.signature(rule.check).parameters) == ["resource", "template"]
    # a guard clause returning NOT_APPLICABLE among the first two statements
    body = ast.parse(textwrap.dedent(inspect.getsource(rule.check))).body[0].body
    guards = [
        s
        for s in body[:2]
        if isinstance(s, ast.If)
        and any(
            isinstance(n, ast.Return)
            and isinstance(n.value, ast.Name)
            and n.value.id == "NOT_APPLICABLE"
            for n in ast.walk(s)
        )
    ]
    assert guards, f"{rule.NAME}: check() must open with a guard clause"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.NAME)
def test_rule_is_not_applicable_to_an_unrelated_resource(rule):
    app = Assembly.from_templates({"S": {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}})
    template = app.templates[0]
    assert rule.check(template.resources["Topic"], template).status == "not_applicable"


def test_rule_ids_are_unique():
    assert len({r.NAME for r in RULES}) == len(RULES)

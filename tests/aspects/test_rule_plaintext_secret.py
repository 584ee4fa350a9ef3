from __future__ import annotations

import pytest

from eventguard.aspects.rules import plaintext_secret as rule


def env(**variables):
    return {"Environment": {"Variables": variables}}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_PASSWORD", "hunter2hunter2"),  # by name
        ("STRIPE", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),  # known format
        ("AWS_KEY", "AKIAIOSFODNN7EXAMPLE"),  # access key id
        ("SETTING", "q8F3kz9LmP2xV7nB4wR6tY1uH5jD0sA"),  # high entropy
        ("DATABASE", "postgres://admin:s3cr3tpass@db.internal:5432/app"),  # password in URL
    ],
)
def test_fails_plaintext_secret(check, t, name, value):
    result = check(rule, t.base(t.plain_function(**env(**{name: value}))), "Fn")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_PASSWORD", {"Ref": "Secret"}),  # a token
        ("DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:db"),  # a reference
        ("API_TOKEN", "{{resolve:secretsmanager:db:SecretString:password}}"),  # dynamic reference
        ("TABLE_NAME", "orders"),
        ("LOG_LEVEL", "INFO"),
        ("GREETING", "hello world this is a long sentence"),
        ("API_KEY_PARAMETER", "/prod/api-key"),
    ],
)
def test_references_and_plain_values_are_compliant(check, t, name, value):
    assert check(rule, t.base(t.plain_function(**env(**{name: value}))), "Fn").status == "compliant"


def test_eventguard_policy_is_not_a_secret(check, t):
    assert check(rule, t.base(), "Fn").status == "compliant"


def test_not_applicable_to_a_queue(check, t):
    assert check(rule, t.base(), "Queue").status == "not_applicable"


def test_entropy():
    assert rule.entropy("aaaa") == 0.0
    assert rule.entropy("q8F3kz9LmP2xV7nB4wR6tY1uH5jD0sA") > 4.0

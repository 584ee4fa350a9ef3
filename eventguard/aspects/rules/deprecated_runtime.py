"""A function on a Lambda runtime past its deprecation date: no more security patches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..model import Resource, Template
from ..resolve import render
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-DeprecatedRuntime"
LEVEL = "error"
INFO = "A Lambda function uses a deprecated runtime."
EXPLANATION = (
    "AWS stops applying security patches to a runtime at its deprecation date, and later "
    "blocks updates. Move the function to a supported runtime (for Python, "
    "aws_lambda.Runtime.PYTHON_3_12 or later)."
)
# deprecation dates from the AWS Lambda runtimes page
DEPRECATED: Mapping[str, dt.date] = {
    "python2.7": dt.date(2021, 7, 15),
    "python3.6": dt.date(2022, 7, 18),
    "python3.7": dt.date(2023, 12, 4),
    "python3.8": dt.date(2024, 10, 14),
    "python3.9": dt.date(2025, 12, 15),
    "python3.10": dt.date(2026, 10, 31),
    "nodejs": dt.date(2016, 10, 31),
    "nodejs4.3": dt.date(2020, 3, 5),
    "nodejs4.3-edge": dt.date(2019, 4, 30),
    "nodejs6.10": dt.date(2019, 8, 12),
    "nodejs8.10": dt.date(2020, 3, 6),
    "nodejs10.x": dt.date(2021, 7, 30),
    "nodejs12.x": dt.date(2023, 3, 31),
    "nodejs14.x": dt.date(2023, 12, 4),
    "nodejs16.x": dt.date(2024, 6, 12),
    "nodejs18.x": dt.date(2025, 9, 1),
    "nodejs20.x": dt.date(2026, 4, 30),
    "java8": dt.date(2024, 1, 8),
    "java8.al2": dt.date(2026, 6, 30),
    "java11": dt.date(2026, 6, 30),
    "dotnetcore1.0": dt.date(2019, 7, 30),
    "dotnetcore2.0": dt.date(2019, 5, 30),
    "dotnetcore2.1": dt.date(2022, 1, 5),
    "dotnetcore3.1": dt.date(2023, 4, 3),
    "dotnet5.0": dt.date(2022, 5, 10),
    "dotnet6": dt.date(2024, 12, 20),
    "dotnet7": dt.date(2024, 5, 14),
    "dotnet8": dt.date(2026, 11, 10),
    "go1.x": dt.date(2024, 1, 8),
    "ruby2.5": dt.date(2021, 7, 30),
    "ruby2.7": dt.date(2023, 12, 7),
    "ruby3.2": dt.date(2026, 3, 31),
    "provided": dt.date(2024, 1, 8),
}


def today() -> dt.date:
    """The date the audit runs (a function so tests can fix it)."""
    return dt.datetime.now(dt.UTC).date()


def check(resource: Resource, template: Template) -> Result:
    if resource.type not in ("AWS::Lambda::Function", "AWS::Serverless::Function"):
        return NOT_APPLICABLE
    value = resource.prop("Runtime")
    if value is None:
        return NOT_APPLICABLE  # container image functions have no managed runtime
    runtime = render(value, template)
    if runtime is None:
        return fail(
            Violation(
                "unresolved:runtime", f"{resource.path}: the runtime {value!r} cannot be resolved"
            )
        )
    deprecated = DEPRECATED.get(runtime)
    if deprecated is not None and deprecated <= today():
        return fail(
            Violation(runtime, f"{resource.path} runs on {runtime}, deprecated since {deprecated}")
        )
    return fail()

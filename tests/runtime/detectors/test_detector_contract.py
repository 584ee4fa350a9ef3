"""Contract of every registered detector, generated from ``DETECTORS``."""

from __future__ import annotations

import re

import pytest

from eventguard.runtime import detectors
from eventguard.runtime.detectors import REGISTRY, all_detectors, scan
from eventguard.runtime.model import Match

DETECTORS = all_detectors()

# The rule ids of DESIGN.md ("Rule ids (detectors)"): detectors may not add or rename one.
DESIGN_RULE_IDS = [
    "sqli",
    "nosqli",
    "cmdi",
    "code_injection",
    "path_traversal",
    "xss",
    "ssti",
    "xxe",
    "ssrf",
    "ldapi",
    "crlf",
    "proto_pollution",
    "deserialization",
    "log4shell",
]

STDLIB_NAMES = {"json", "gzip", "logging", "re", "html", "string", "types", "ast", "code", "xml"}


def test_registry_holds_exactly_the_design_rule_ids():
    assert sorted(d.ID for d in DETECTORS) == sorted(DESIGN_RULE_IDS)


def test_registry_names_each_detector_by_its_module_and_id() -> None:
    """One table: a registered name is the detector's module and its rule id."""
    assert [d.ID for d in DETECTORS] == list(REGISTRY)
    assert [d.__name__ for d in DETECTORS] == [f"{detectors.__name__}.{r}" for r in REGISTRY]
    assert detectors.DETECTORS == DETECTORS  # the tuple, for older callers


@pytest.mark.parametrize("module", DETECTORS, ids=lambda m: m.ID)
def test_module_is_named_after_its_rule_and_no_stdlib_module(module):
    name = module.__name__.rsplit(".", 1)[-1]
    assert name == module.ID and name not in STDLIB_NAMES


@pytest.mark.parametrize("module", DETECTORS, ids=lambda m: m.ID)
def test_cwe_is_a_cwe_id(module):
    assert re.fullmatch(r"CWE-\d+", module.CWE)


@pytest.mark.parametrize("module", DETECTORS, ids=lambda m: m.ID)
def test_docstring_documents_what_why_examples_references(module):
    doc = module.__doc__ or ""
    assert all(section in doc for section in ("What it catches", "Why", "Examples", "References"))


@pytest.mark.parametrize("module", DETECTORS, ids=lambda m: m.ID)
def test_detect_returns_a_match_inside_the_text_or_none(module):
    results = [module.detect(t) for t in ("", "hello world", "'; <x> ${a} ../ %00 $(b)")]
    assert all(r is None or (isinstance(r, Match) and 0 <= r.start <= r.end) for r in results)


@pytest.mark.parametrize("module", DETECTORS, ids=lambda m: m.ID)
def test_detect_is_pure(module):
    text = "x' or 1=1-- <script>${jndi:ldap://a}</script> ../../etc/passwd"
    assert module.detect(text) == module.detect(text)


def test_scan_reports_rule_ids_with_matches():
    hits = scan("1' or '1'='1")
    assert hits and all(rule in DESIGN_RULE_IDS and isinstance(m, Match) for rule, m in hits)


def test_scan_of_plain_text_is_empty():
    assert scan("Just a friendly note about lunch tomorrow.") == []

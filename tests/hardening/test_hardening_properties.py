"""Property-based tests (hypothesis) over ``inspect`` and the wrapper with mutated real events of
every source: no exception escapes, every verdict keeps its contract, nothing in a batch is lost,
inspection is deterministic and never changes the event.

The mutations are those of ``bench/fuzz.py`` (large inputs left to the fuzzer), their choices
drawn by hypothesis so that a failure shrinks to a small reproducer.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventguard.runtime import inspect, sources, wrapper
from eventguard.runtime.policy import Policy, Trigger

CI = bool(os.environ.get("CI"))
SETTINGS = settings(
    max_examples=40 if CI else 80,
    deadline=None,
    derandomize=CI,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(scope="module")
def mutator(fuzz, seeds):
    mutator = fuzz.Mutator(seeds)
    mutator.big_odds = 0  # MB-sized inputs are the fuzzer's job (and test_limits_*)
    return mutator


@pytest.fixture(scope="module")
def harness(fuzz):
    harness = fuzz.Harness()
    yield harness
    wrapper.reset()


def _mutated(fuzz, mutator, data) -> tuple[str, Any]:
    chooser = fuzz.BytesChooser(data.draw(st.binary(min_size=0, max_size=256), label="choices"))
    seed, event = mutator.mutate(chooser)
    return seed, event


@SETTINGS
@given(data=st.data())
def test_inspect_keeps_its_contract_on_mutated_events(fuzz, mutator, harness, data):
    _seed, event = _mutated(fuzz, mutator, data)
    verdict = inspect(event)
    harness.check_verdict(event, verdict)


@SETTINGS
@given(data=st.data())
def test_wrapper_raises_nothing_and_loses_nothing_on_mutated_events(fuzz, mutator, harness, data):
    _seed, event = _mutated(fuzz, mutator, data)
    harness.configure()
    harness.run(event)  # raises on an escaped exception, a broken contract or a lost record


@SETTINGS
@given(data=st.data())
def test_inspect_is_deterministic_and_leaves_the_event_unchanged(fuzz, mutator, data):
    _seed, event = _mutated(fuzz, mutator, data)
    before = fuzz.dump(event)
    first = inspect(event)
    assert fuzz.dump(event) == before
    assert inspect(event).to_dict() == first.to_dict()


JSON_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=60
)  # surrogates included
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | JSON_TEXT,
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(JSON_TEXT, children, max_size=6)
    ),
    max_leaves=40,
)


@SETTINGS
@given(event=JSON_VALUES)
def test_inspect_keeps_its_contract_on_arbitrary_json(harness, event):
    verdict = inspect(event)
    harness.check_verdict(event, verdict)


@SETTINGS
@given(event=JSON_VALUES)
def test_wrapper_keeps_its_contract_on_arbitrary_json(harness, event):
    harness.configure()
    harness.run(event)


@SETTINGS
@given(
    label=st.sampled_from(sorted(sources.BY_ID)),
    value=JSON_VALUES,
    data=st.data(),
)
def test_arbitrary_values_in_every_sources_fields(fuzz, seeds, harness, label, value, data):
    """Any JSON value in place of any node of a real event of each source."""
    own = [event for name, event in seeds if f"/{label}/" in f"/{name}" or name.startswith(label)]
    if not own:
        own = [event for _, event in seeds]
    event = fuzz.copy(data.draw(st.sampled_from(own), label="seed"))
    spots = fuzz.locations(event)
    if spots:
        container, key = data.draw(st.sampled_from(spots), label="spot")
        container[key] = value
    harness.configure()
    harness.run(event)


@SETTINGS
@given(data=st.data())
def test_attack_survives_any_failure_mode_as_a_finding(fuzz, mutator, data):
    """Open or closed, block or alert: the same findings; only ``blocked`` differs."""
    _seed, event = _mutated(fuzz, mutator, data)
    verdicts = {
        (mode, failure): inspect(event, policy=Policy(mode=mode, failure_mode=failure))
        for mode in ("block", "alert")
        for failure in ("closed", "open")
    }
    findings = {key: [f.to_dict() for f in v.findings] for key, v in verdicts.items()}
    assert len({repr(f) for f in findings.values()}) == 1
    assert not verdicts["alert", "closed"].blocked and not verdicts["alert", "open"].blocked
    if verdicts["block", "open"].blocked:
        assert verdicts["block", "closed"].blocked


@SETTINGS
@given(data=st.data(), origin=st.text(max_size=80), other=st.sampled_from(sorted(sources.BY_ID)))
def test_declared_triggers_keep_the_contract_on_mutated_events(
    fuzz, mutator, harness, data, origin, other
):
    """With triggers declared, every source's ``origins`` runs on hostile shapes too."""
    _seed, event = _mutated(fuzz, mutator, data)
    own = sources.identify(event).ID
    policy = Policy(triggers=(Trigger(source=own, id=origin), Trigger(source=other, id="")))
    verdict = inspect(event, policy=policy)
    harness.check_verdict(event, verdict)
    undeclared = inspect(event, policy=Policy(triggers=(Trigger(source="__none__"),)))
    assert "unexpected_source" in undeclared.rules and undeclared.blocked


def test_every_seed_goes_through_inspect_and_the_wrapper(seeds, harness):
    failures = []
    for name, event in seeds:
        try:
            harness.configure()
            harness.run(event)
        except Exception as exc:
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    assert failures == []

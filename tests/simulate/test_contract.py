"""One contract every registered strategy passes (as Axelrod's strategies do).

For every strategy of the registry (built-in and entry-point plug-ins) and a composed
one per acceptance condition: seeded determinism (the same seed gives the same trace;
a strategy declared deterministic gives the same trace for any seed), it never offers or
accepts an outcome that breaks its own red lines or reservation (the protocol raises
:class:`StrategyError` if it does, and the test checks the trace itself too), and its
metadata is truthful (declared parameters accepted with their defaults, unknown ones
refused, a name that round-trips through the registry).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import deal_scenario_documents, examples

from detente.errors import DetenteError
from detente.scenario.checked import Scenario
from detente.simulate.arena import prepare
from detente.simulate.simulation import simulate
from detente.simulate.strategies.base import FAMILIES
from detente.simulate.strategies.registry import conditions, info, make, parse, strategies

SPECS = [*strategies(), *(f"linear+{c}" for c in conditions())]


@pytest.mark.parametrize("name", sorted(strategies()))
def test_metadata_is_truthful(name: str) -> None:
    i = strategies()[name]
    assert i.name == name and i.family in FAMILIES
    assert i.summary and i.source
    neg = make(name)
    assert neg.info is i
    assert neg.params == i.defaults()
    for p in i.parameters:
        assert type(p.default) in (int, float, str, bool)
        assert parse(f"{name}:{p.name}={p.default}").text == name  # defaults are left out
    with pytest.raises(DetenteError, match="has no parameter"):
        parse(f"{name}:no_such_parameter=1")


@pytest.mark.parametrize("name", sorted(conditions()))
def test_conditions_compose(name: str) -> None:
    sp = parse(f"boulware+{name}")
    assert info(sp).family == "composed"
    assert parse(sp.text) == sp


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    deal_scenario_documents(max_parties=3, max_outcomes=120),
    st.sampled_from(SPECS),
    st.integers(0, 2**20),
    st.integers(1, 30),
)
def test_every_strategy_keeps_the_contract(
    doc: dict[str, object], spec: str, seed: int, n: int
) -> None:
    doc.pop("_conditions")
    s = Scenario.from_data(doc)
    a = prepare(s)
    me = a.parties[0]
    strategies_ = {me: spec}
    r1 = simulate(s, strategies=strategies_, steps=n, seed=seed, with_metrics=False)
    r2 = simulate(s, strategies=strategies_, steps=n, seed=seed, with_metrics=False)
    t1 = [(x.step, x.party, x.action, x.terms) for x in r1.trace]
    assert t1 == [(x.step, x.party, x.action, x.terms) for x in r2.trace]
    if info(spec).deterministic:
        r3 = simulate(s, strategies=strategies_, steps=n, seed=seed + 1, with_metrics=False)
        assert t1 == [(x.step, x.party, x.action, x.terms) for x in r3.trace]
    for x in r1.trace:
        if x.party == me and x.terms is not None:
            assert a.feasible[0, a.encode(dict(x.terms))], f"{spec} {x.action} a forbidden text"

"""Properties of SAO with time-based strategies (issue 12), against a brute-force oracle."""

from __future__ import annotations

import json
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.simulate.sao_oracle import oracle_sao
from tests.strategies import deal_scenario_documents, examples

from detente.report.json.simulation import simulation_document
from detente.scenario.checked import Scenario
from detente.simulate import lookup
from detente.simulate.simulation import simulate
from detente.simulate.strategies import time_based

TIME_BASED = st.sampled_from(["boulware", "linear", "conceder"])


@st.composite
def cases(draw: st.DrawFn) -> tuple[Scenario, dict[str, str], int]:
    doc = draw(deal_scenario_documents(max_parties=3, max_outcomes=200))
    doc.pop("_conditions")
    s = Scenario.from_data(doc)
    strategies = {p: draw(TIME_BASED) for p in doc["positions"]}  # type: ignore[union-attr]
    return s, strategies, draw(st.integers(1, 15))


SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(cases(), st.sampled_from([None, 1, 3]))
def test_matches_the_brute_force_oracle(
    case: tuple[Scenario, dict[str, str], int], band: int | None
) -> None:
    """Also with the lazily sorted band grown from 1 or 3 outcomes, one look-up per step
    (by default these small spaces are sorted whole, by one look-up for 256 steps)."""
    s, strategies, n = case
    with (
        mock.patch.object(lookup, "MIN_BAND", band or lookup.MIN_BAND),
        mock.patch.object(time_based, "BLOCK", 1 if band else time_based.BLOCK),
    ):
        r = simulate(s, strategies=strategies, steps=n, with_metrics=False)
    o = oracle_sao(s, strategies, n)
    from detente.simulate.arena import prepare

    a = prepare(s)
    got = [(x.step, x.party, x.action, a.encode(dict(x.terms)) if x.terms else -1) for x in r.trace]
    want = o.trace
    assert got == want
    assert r.steps == o.steps
    if o.agreement is None:
        assert r.agreement is None
    else:
        assert r.agreement is not None
        assert (r.agreement.outcome, r.agreement.step) == (o.agreement, o.agreement_step)


@SETTINGS
@given(cases())
def test_offers_never_rise_and_agreements_are_acceptable(
    case: tuple[Scenario, dict[str, str], int],
) -> None:
    s, strategies, n = case
    r = simulate(s, strategies=strategies, steps=n, with_metrics=False)
    from detente.simulate.arena import prepare

    a = prepare(s)
    k = len(a.parties)
    off = r.offers
    assert len(off.step) <= k * n
    for j in range(k):
        mine = off.utilities[off.party == j, j]
        assert np.all(np.diff(mine) <= 0), "a time-based party's offers rose"
        assert all(a.feasible[j, off.outcome[off.party == j]])
    if r.agreement is not None:
        x = r.agreement.outcome
        assert all(a.feasible[:, x]), "agreement breaks a red line or reservation"
        for j, p in enumerate(a.parties):
            res = float(s.document.positions[p].reservation.value)
            assert a.utilities[j, x] >= res


@settings(max_examples=examples(20), deadline=None)
@given(cases(), st.integers(0, 2**31), st.sampled_from(["random", "linear", "random:p=0.9"]))
def test_same_seed_same_json(
    case: tuple[Scenario, dict[str, str], int], seed: int, other: str
) -> None:
    s, strategies, n = case
    first = next(iter(strategies))
    strategies = {**strategies, first: other}
    one = simulation_document(simulate(s, strategies=strategies, steps=n, seed=seed))
    two = simulation_document(simulate(s, strategies=strategies, steps=n, seed=seed))
    assert json.dumps(one) == json.dumps(two)

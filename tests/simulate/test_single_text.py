"""The mediated single text (issue 12): hand-checked runs and the hill-voter property."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.simulate.scenarios import three_by_three
from tests.strategies import deal_scenario_documents, examples

from detente.errors import DetenteError
from detente.scenario.checked import Scenario
from detente.simulate.arena import prepare
from detente.simulate.simulation import simulate


def _with_proposal(doc: dict[str, object], terms: dict[str, str]) -> dict[str, object]:
    return {**doc, "proposals": [{"id": "open", "by": ["A"], "terms": terms}]}


def test_scan_from_a_proposal_by_hand() -> None:
    # base a2b0 (A 0.30, B 0.40). The scan proposes one-issue changes in order:
    # a: a0, a1 (values after a2, wrapping), then b: b1, b2.
    # a0b0: A 1.00 >= 0.30 but B 0.00 < 0.40 -> rejected (B objects to a)
    # a1b0: A 0.72 >= 0.30, B 0.12 < 0.40 -> rejected
    # a2b1: A 0.15 < 0.30 -> rejected (A objects to b)
    # a2b2: A 0.00 -> rejected; a full pass with nothing accepted: converged.
    doc = _with_proposal(three_by_three(), {"a": "a2", "b": "b0"})
    r = simulate(
        Scenario.from_data(doc), protocol="single-text", mediator="scan", start="open", steps=20
    )
    texts = [
        "".join(str(v) for v in a.terms.values())
        for a in r.trace
        if a.action == "propose" and a.terms
    ]
    assert texts == ["a0b0", "a1b0", "a2b1", "a2b2"]
    votes = [(a.step, a.party, a.action, a.objection) for a in r.trace if a.action != "propose"]
    assert votes == [
        (0, "A", "accept", None),
        (0, "B", "reject", "a"),
        (1, "A", "accept", None),
        (1, "B", "reject", "a"),
        (2, "A", "reject", "b"),
        (2, "B", "accept", None),
        (3, "A", "reject", "b"),
        (3, "B", "accept", None),
    ]
    assert r.reason == "converged" and r.steps == 4
    # the base a2b0 keeps everyone's (empty) red lines and zero reservations: ratified
    assert r.agreement is not None and r.agreement.terms == {"a": "a2", "b": "b0"}
    assert r.mediator is None  # the scenario has no party with role mediator


def test_scan_climbs_when_both_gain() -> None:
    # base a0b0 (A 1.0, B 0.0): any change lowers A, so nothing is ever accepted.
    # base a1b1 (A 0.57, B 0.54): a2b1 (0.15, 0.82) no; a0b1 (0.85, 0.42) no;
    # a1b2 (0.42, 0.72) no; a1b0 (0.72, 0.12) no -> converged at a1b1.
    doc = _with_proposal(three_by_three(), {"a": "a1", "b": "b1"})
    r = simulate(
        Scenario.from_data(doc), protocol="single-text", mediator="scan", start="open", steps=20
    )
    assert r.agreement is not None and r.agreement.terms == {"a": "a1", "b": "b1"}
    assert r.steps == 4


def test_rational_voters_refuse_red_lines_and_no_agreement_without_zopa() -> None:
    # A's reservation 0.9 leaves a0b0 (B: 0.0) as A's only acceptable outcome and B's
    # reservation 0.5 excludes it: no ZOPA, so no ratified agreement whatever the texts.
    doc = three_by_three(reservation_a=0.9, reservation_b=0.5)
    r = simulate(
        Scenario.from_data(doc),
        protocol="single-text",
        mediator="flip",
        strategies={"A": "rational", "B": "rational"},
        steps=50,
        seed=4,
    )
    assert r.agreement is None
    assert r.final_text is not None


def test_bridge_mediator_proposes_the_bridge_deal_first() -> None:
    doc = _with_proposal(
        three_by_three(reservation_a=0.9, reservation_b=0.5), {"a": "a2", "b": "b2"}
    )
    s = Scenario.from_data(doc)
    r = simulate(s, protocol="single-text", mediator="bridge", start="open", steps=5)
    first = next(a for a in r.trace if a.action == "propose")
    from detente.gaps.analysis import analyze_gaps

    b = analyze_gaps(s).bridges[0]
    assert b.nash is not None
    assert first.terms == dict(b.nash.terms)
    assert any("cheapest bridge" in n for n in r.notes)


def test_bad_mediator_and_voter() -> None:
    s = Scenario.from_data(three_by_three())
    with pytest.raises(DetenteError, match="unknown mediator 'flop'"):
        simulate(s, protocol="single-text", mediator="flop")
    with pytest.raises(DetenteError, match="not a party with role mediator"):
        simulate(s, protocol="single-text", mediator="qatar=scan")
    with pytest.raises(DetenteError, match="unknown voter 'boulware'"):
        simulate(s, protocol="single-text", strategies={"A": "boulware"})
    with pytest.raises(DetenteError, match="neither 'random' nor a proposal"):
        simulate(s, protocol="single-text", start="p9")


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    deal_scenario_documents(max_parties=3, max_outcomes=200),
    st.sampled_from(["flip", "scan", "anneal", "bridge"]),
    st.integers(0, 1000),
    st.integers(1, 40),
)
def test_hill_voters_never_lose(doc: dict[str, object], mediator: str, seed: int, n: int) -> None:
    doc.pop("_conditions")
    s = Scenario.from_data(doc)
    r = simulate(s, protocol="single-text", mediator=mediator, seed=seed, steps=n)
    a = prepare(s)
    # the accepted texts in order: every text all parties accepted
    accepted = []
    for step in sorted({x.step for x in r.trace}):
        acts = [x for x in r.trace if x.step == step]
        prop = [x for x in acts if x.action == "propose"]
        if prop and all(x.action == "accept" for x in acts if x.action != "propose"):
            assert prop[0].terms is not None
            accepted.append(a.encode(dict(prop[0].terms)))
    if accepted:
        u = a.utilities[:, accepted]
        assert np.all(np.diff(u, axis=1) >= 0), "a hill voter's utility of the text fell"
    if r.agreement is not None:
        assert a.feasible[:, r.agreement.outcome].all()
    again = simulate(s, protocol="single-text", mediator=mediator, seed=seed, steps=n)
    assert [(x.step, x.party, x.action, x.terms) for x in again.trace] == [
        (x.step, x.party, x.action, x.terms) for x in r.trace
    ]

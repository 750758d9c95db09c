"""Discounting in the single text (issue 12): hand-computed runs and two properties."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import deal_scenario_documents, examples

from detente.scenario.checked import Scenario
from detente.simulate.arena import prepare
from detente.simulate.protocol import relative_time
from detente.simulate.simulation import simulate


def _line(*, reservation_a: float = 0.5) -> dict[str, Any]:
    # one issue x0..x3; A: 0, 0.6, 0.8, 1 (reservation 0.5); B: 0.1, 1, 0.5, 0
    # (reservation 0.3). The opening text x0 is unacceptable to both.
    def pos(values: list[float], r: float) -> dict[str, Any]:
        opts = {f"x{j}": v for j, v in enumerate(values)}
        return {"priorities": {"x": {"weight": 1.0, "values": opts}}, "reservation": r}

    return {
        "id": "line",
        "title": "One issue",
        "parties": [
            {"id": "A", "name": "Party A", "role": "party"},
            {"id": "B", "name": "Party B", "role": "party"},
        ],
        "issues": [{"id": "x", "kind": "choice", "options": ["x0", "x1", "x2", "x3"]}],
        "positions": {"A": pos([0, 0.6, 0.8, 1], reservation_a), "B": pos([0.1, 1, 0.5, 0], 0.3)},
        "proposals": [{"id": "open", "by": ["A"], "terms": {"x": "x0"}}],
    }


def _run(voters: dict[str, str], discounts: dict[str, float] | None) -> Any:
    return simulate(
        Scenario.from_data(_line()),
        protocol="single-text",
        mediator="scan",
        start="open",
        strategies=voters,
        steps=9,  # round r at t = (r + 1) / 10
        discounts=discounts,
    )


def _texts(r: Any) -> list[str]:
    return [a.terms["x"] for a in r.trace if a.action == "propose"]


def test_a_rational_voter_holds_out_for_a_text_worth_its_wait_by_hand() -> None:
    rational = {"A": "rational", "B": "rational"}
    # undiscounted: round 0 proposes x1 (A 0.6 >= 0.5, B 1 >= 0.3; both bases
    # unacceptable): accepted. The scan then tries x3, x0, x2 from x1: B rejects each
    # (x3 and x0 below its reservation, x2 worse than x1): converged on x1, step 0.
    plain = _run(rational, None)
    assert _texts(plain) == ["x1", "x3", "x0", "x2"]
    assert plain.agreement is not None and plain.agreement.terms == {"x": "x1"}
    assert plain.agreement.step == 0
    # A discounts by 0.1. Round 0 (t = 0.1): x1 is worth 0.6 * 0.1**0.1 = 0.4766 < 0.5:
    # A rejects. Round 1 (t = 0.2): x2 is worth 0.8 * 0.1**0.2 = 0.5048 >= 0.5 and B's
    # 0.5 >= 0.3: accepted. From x2 the scan tries x1 (A: 0.6 * 0.1**0.3 = 0.3007:
    # rejected), x3 (1 * 0.1**0.4 = 0.3981: rejected; B 0 too), x0: converged on x2,
    # ratified at t = 0.2 (0.5048 >= 0.5).
    late = _run(rational, {"A": 0.1})
    assert _texts(late) == ["x1", "x2", "x1", "x3", "x0"]
    votes = [(a.step, a.party, a.action) for a in late.trace if a.action != "propose"]
    assert votes[:4] == [(0, "A", "reject"), (0, "B", "accept"), (1, "A", "accept"),
                         (1, "B", "accept")]  # fmt: skip
    assert late.agreement is not None and late.agreement.terms == {"x": "x2"}
    assert late.agreement.step == 1


def test_the_ratification_reads_the_discounted_utility_by_hand() -> None:
    hill = {"A": "hill", "B": "hill"}
    # hill voters accept x1 in round 0 and nothing after (as above); undiscounted x1
    # keeps A's reservation (0.6 >= 0.5) and is ratified. With A's factor 0.1 it is
    # worth 0.6 * 0.1**0.1 = 0.4766 < 0.5 at its time t = 0.1: no agreement.
    plain = _run(hill, None)
    late = _run(hill, {"A": 0.1})
    assert _texts(plain) == _texts(late) == ["x1", "x3", "x0", "x2"]
    assert plain.agreement is not None and late.agreement is None
    assert late.final_text is not None and late.final_text == {"x": "x1"}


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    deal_scenario_documents(max_parties=3, max_outcomes=200),
    st.sampled_from(["flip", "scan", "anneal", "bridge"]),
    st.sampled_from(["hill", "anneal", "rational"]),
    st.integers(0, 1000),
    st.integers(1, 30),
    st.floats(0.05, 1.0),
)
def test_discounting_semantics(
    doc: dict[str, Any], mediator: str, voter: str, seed: int, n: int, d: float
) -> None:
    doc.pop("_conditions")
    s = Scenario.from_data(doc)
    a = prepare(s)
    voters = dict.fromkeys(a.parties, voter)

    def run(discounts: dict[str, float] | None) -> Any:
        return simulate(s, protocol="single-text", mediator=mediator, seed=seed, steps=n,
                        strategies=voters, discounts=discounts, with_metrics=False)  # fmt: skip

    def trace(r: Any) -> list[tuple[Any, ...]]:
        return [(x.step, x.party, x.action, x.terms) for x in r.trace]

    plain = run(None)
    ones = run(dict.fromkeys(a.parties, 1.0))
    assert trace(ones) == trace(plain) and ones.agreement == plain.agreement
    r = run(dict.fromkeys(a.parties, d))
    res = a.reservations
    for x in r.trace:
        if x.action == "accept" and voter == "rational":
            i = a.parties.index(x.party)
            o = a.encode(dict(x.terms))
            assert d ** relative_time(x.step, n) * a.utilities[i, o] >= res[i]
            assert a.feasible[i, o]
    if r.agreement is not None:
        o = r.agreement.outcome
        t = relative_time(r.agreement.step, n)
        assert a.feasible[:, o].all()
        assert all(d**t * a.utilities[i, o] >= res[i] for i in range(len(a.parties)))

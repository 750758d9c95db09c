"""SAO traces computed by hand (issue 12): the 3x3 scenario, every pair of the three
time-based strategies, a three-party case, red lines and reservations.

Levels for N = 4 (t = 1/5 .. 4/5), before the 1e-4 tolerance, on a [0, 1] range:
boulware 0.9984 0.9744 0.8704 0.5904; linear 0.8 0.6 0.4 0.2; conceder 0.3313 0.2047
0.1199 0.0543. The utility tables are in ``scenarios.py``.
"""

from __future__ import annotations

import pytest
from tests.simulate.scenarios import three_by_three

from detente.scenario.checked import Scenario
from detente.simulate.arena import prepare
from detente.simulate.simulation import simulate


def _trace(r: object) -> list[tuple[int, str, str, str]]:
    return [
        (a.step, a.party, a.action, "".join(str(v) for v in a.terms.values()) if a.terms else "")
        for a in r.trace  # type: ignore[attr-defined]
    ]


# (A's strategy, B's strategy): the trace and the agreement (terms, step) or None
PAIRS = {
    ("boulware", "boulware"): (
        "A a0b0, B a2b2 | A a0b0, B a2b2 | A a0b0, B a2b2 | A a0b2, B accept",
        ("a0b2", 3),
    ),
    ("boulware", "linear"): (
        "A a0b0, B a2b1 | A a0b0, B a0b2 | A a0b0, B a2b0 | A a0b2, B accept",
        ("a0b2", 3),
    ),
    ("boulware", "conceder"): (
        "A a0b0, B a2b0 | A a0b0, B a2b0 | A a0b0, B a1b0 | A accept",
        ("a1b0", 3),
    ),
    ("linear", "boulware"): (
        "A a0b1, B a2b2 | A a0b2, B a2b2 | A a1b2, B a2b2 | A a2b0, B a0b2",
        None,
    ),
    # step 1: B's level is exactly 0.6 = u_B(a0b2); the 1e-4 tolerance makes it accept
    ("linear", "linear"): ("A a0b1, B a2b1 | A a0b2, B accept", ("a0b2", 1)),
    ("linear", "conceder"): ("A a0b1, B accept", ("a0b1", 0)),
    ("conceder", "boulware"): (
        "A a1b2, B a2b2 | A a2b0, B a2b2 | A a2b1, B a2b2 | A a2b1, B accept",
        ("a2b1", 3),
    ),
    ("conceder", "linear"): ("A a1b2, B a2b1 | A a2b0, B a0b2 | A accept", ("a0b2", 2)),
    ("conceder", "conceder"): ("A a1b2, B accept", ("a1b2", 0)),
}


def _expected(table: str, accepted: str | None) -> list[tuple[int, str, str, str]]:
    out = []
    standing = ""
    for step, turns in enumerate(table.split("|")):
        for turn in turns.split(","):
            party, what = turn.split()
            if what == "accept":
                out.append((step, party, "accept", standing))
            else:
                standing = what
                out.append((step, party, "offer", what))
    return out


@pytest.mark.parametrize(("a", "b"), sorted(PAIRS))
def test_two_party_traces(a: str, b: str) -> None:
    table, agreed = PAIRS[(a, b)]
    r = simulate(Scenario.from_data(three_by_three()), strategies={"A": a, "B": b}, steps=4)
    assert _trace(r) == _expected(table, None)
    if agreed is None:
        assert r.agreement is None
        assert (r.steps, r.reason) == (4, "deadline")
    else:
        assert r.agreement is not None
        _terms, step = agreed
        assert ("".join(str(v) for v in r.agreement.terms.values()), r.agreement.step) == agreed
        assert r.steps == step + 1 and r.reason == "agreement"


def test_two_party_agreement_utilities() -> None:
    r = simulate(
        Scenario.from_data(three_by_three()), strategies={"A": "linear", "B": "linear"}, steps=4
    )
    assert r.agreement is not None
    assert r.agreement.utilities == pytest.approx({"A": 0.7, "B": 0.6})


def test_three_parties_linear_wraps_into_the_next_step() -> None:
    # C's utilities are rescaled by 0.95; a1b0 and a2b2 tie for C at 0.6316 and the
    # lowest index (a1b0) is offered at step 1. C's offer a0b2 at step 2 is accepted by
    # A and B at step 3: the acceptances wrap into the next step.
    r = simulate(
        Scenario.from_data(three_by_three(third=True)),
        strategies={"A": "linear", "B": "linear", "C": "linear"},
        steps=4,
    )
    assert _trace(r) == [
        (0, "A", "offer", "a0b1"),
        (0, "B", "offer", "a2b1"),
        (0, "C", "offer", "a1b2"),
        (1, "A", "offer", "a0b2"),
        (1, "B", "accept", "a0b2"),
        (1, "C", "offer", "a1b0"),
        (2, "A", "accept", "a1b0"),
        (2, "B", "offer", "a2b0"),
        (2, "C", "offer", "a0b2"),
        (3, "A", "accept", "a0b2"),
        (3, "B", "accept", "a0b2"),
    ]
    assert r.agreement is not None and r.agreement.step == 3 and r.steps == 4


def test_three_parties_mixed_one_acceptance_is_not_enough() -> None:
    # C accepts B's offers at steps 1 and 2, but A (boulware) rejects them each time
    r = simulate(
        Scenario.from_data(three_by_three(third=True)),
        strategies={"A": "boulware", "B": "linear", "C": "conceder"},
        steps=4,
    )
    assert _trace(r) == [
        (0, "A", "offer", "a0b0"),
        (0, "B", "offer", "a2b1"),
        (0, "C", "offer", "a0b2"),
        (1, "A", "offer", "a0b0"),
        (1, "B", "offer", "a0b2"),
        (1, "C", "accept", "a0b2"),
        (2, "A", "offer", "a0b0"),
        (2, "B", "offer", "a2b0"),
        (2, "C", "accept", "a2b0"),
        (3, "A", "offer", "a0b2"),
        (3, "B", "accept", "a0b2"),
        (3, "C", "accept", "a0b2"),
    ]


def test_red_line_and_reservation_respected() -> None:
    # A will not have b2 and wants at least 0.5: its feasible outcomes are a0b0 1.0,
    # a0b1 0.85, a1b0 0.72, a1b1 0.57, and its level runs from 0.5 to 1.
    # At step 2 B offers a0b2, worth 0.7 >= A's level 0.6999, but it breaks A's red
    # line: A rejects it.
    doc = three_by_three(reservation_a=0.5, red_lines_a=("b != 'b2'",))
    r = simulate(Scenario.from_data(doc), strategies={"A": "linear", "B": "linear"}, steps=4)
    assert _trace(r) == [
        (0, "A", "offer", "a0b0"),
        (0, "B", "offer", "a2b1"),
        (1, "A", "offer", "a0b1"),
        (1, "B", "offer", "a0b2"),
        (2, "A", "offer", "a1b0"),
        (2, "B", "offer", "a2b0"),
        (3, "A", "offer", "a1b0"),
        (3, "B", "offer", "a2b0"),
    ]
    assert r.agreement is None


def test_party_that_can_offer_nothing_ends() -> None:
    doc = three_by_three(reservation_a=0.5, red_lines_a=("a == 'a2'",))  # best left 0.3
    r = simulate(Scenario.from_data(doc), strategies={"A": "linear", "B": "linear"}, steps=4)
    assert _trace(r) == [(0, "A", "end", "")]
    assert (r.agreement, r.steps, r.reason) == (None, 1, "ended")


def test_own_deadline_ends_the_negotiation() -> None:
    r = simulate(
        Scenario.from_data(three_by_three()),
        strategies={"A": "boulware", "B": "boulware"},
        steps=4,
        deadlines={"B": 2},
    )
    # B reads its time on N = 2 (t = 1/3, 2/3) and leaves at step 2
    assert [a.action for a in r.trace][-1] == "end"
    assert r.trace[-1].party == "B" and r.trace[-1].step == 2
    assert r.reason == "ended" and r.steps == 3


@pytest.mark.parametrize("spec", ["hardliner+ac_const:c=0.4", "hardliner+ac_time:t=0.5"])
def test_acceptance_conditions_replace_the_strategy_s_own(spec: str) -> None:
    # The hardliner offers a0b0 throughout and alone accepts only 1.0: never here.
    # B (linear) offers a2b1 (u_A 0.15) at step 0 and a0b2 (u_A 0.70) at step 1.
    # With AC_const(0.4) A accepts a0b2 at step 2 (0.70 >= 0.4; 0.15 was not);
    # with AC_time(0.5) it accepts whatever stands at t >= 0.5: step 2 (t = 0.6).
    s = Scenario.from_data(three_by_three())
    r = simulate(s, strategies={"A": spec, "B": "linear"}, steps=4)
    assert _trace(r) == _expected("A a0b0, B a2b1 | A a0b0, B a0b2 | A accept", None)
    assert r.agreement is not None and r.agreement.step == 2
    plain = simulate(s, strategies={"A": "hardliner", "B": "linear"}, steps=4)
    assert plain.agreement is None


def test_shared_levels_give_the_traces_of_levels_computed_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the same strategies on two scenarios whose parties have other utility ranges (b's
    # reservation moves its umin), in alternation: shared levels must never leak across
    from detente.simulate.strategies import time_based

    # the shared run also reuses each scenario's arena, whose parties then memoise the
    # offers of the shared levels (as in a tournament); the other prepares it afresh
    docs = [three_by_three(), {**three_by_three(reservation_b=0.5), "id": "other"}]
    scenarios = [Scenario.from_data(d) for d in docs]
    arenas = [prepare(s) for s in scenarios]
    runs = [(j, pair) for pair in PAIRS for j in range(len(docs))] * 2

    def traces(reuse: bool) -> list[list[tuple[int, str, str, str]]]:
        time_based._LEVELS.clear()
        return [
            _trace(
                simulate(
                    scenarios[j],
                    strategies={"A": pair[0], "B": pair[1]},
                    steps=4,
                    arena=arenas[j] if reuse else None,
                )
            )
            for j, pair in runs
        ]

    shared = traces(reuse=True)
    assert time_based._LEVELS  # the levels were shared
    assert all(a.sorted[0].memo and a.sorted[1].memo for a in arenas)  # and their offers
    monkeypatch.setattr(time_based.TimeBased, "pure_aspiration", False)
    for cls in time_based.TimeBased.__subclasses__():
        monkeypatch.setattr(cls, "pure_aspiration", False)
    assert traces(reuse=False) == shared
    assert not time_based._LEVELS


def test_ac_next_with_a_margin_by_hand() -> None:
    # linear levels at t = 0.2, 0.4: A 0.7999, 0.5999 -> offers a0b1 (0.85), a0b2 (0.70);
    # B 0.7999 -> a2b1 (0.82). At step 1 A faces a2b1 (A 0.15): AC_next(1, 0.6) holds,
    # 0.15 + 0.6 >= 0.70 (its next bid), where the linear level (0.5999) would refuse.
    s = Scenario.from_data(three_by_three())
    r = simulate(s, strategies={"A": "linear+ac_next:b=0.6", "B": "linear"}, steps=4)
    assert _trace(r) == _expected("A a0b1, B a2b1 | A accept", None)
    assert r.agreement is not None and r.agreement.step == 1


def test_ac_combi_accepts_late_only_the_best_offer_yet_by_hand() -> None:
    # a hardliner A (always a0b0) against linear B, whose offers are worth to A 0.15
    # (a2b1, t = 0.2), 0.70 (a0b2, t = 0.4), 0.30 (a2b0, t = 0.6 and 0.8). A faces them
    # one step later. AC_time(0.7) accepts a2b0 at step 3 (t = 0.8); AC_combi(0.7) does
    # not: 0.30 is below the best offer received before (0.70), and AC_next never holds
    # (A's next bid is worth 1): no agreement.
    s = Scenario.from_data(three_by_three())
    plain = simulate(s, strategies={"A": "hardliner+ac_time:t=0.7", "B": "linear"}, steps=4)
    assert plain.agreement is not None and plain.agreement.step == 3
    assert plain.agreement.terms == {"a": "a2", "b": "b0"}
    combi = simulate(s, strategies={"A": "hardliner+ac_combi:t=0.7", "B": "linear"}, steps=4)
    assert _trace(combi) == _expected(
        "A a0b0, B a2b1 | A a0b0, B a0b2 | A a0b0, B a2b0 | A a0b0, B a2b0", None
    )
    assert combi.agreement is None

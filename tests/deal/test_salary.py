"""The salary example (tests/data/salary.yaml), checked against figures worked by hand.

Union: raw = 0.6 r/10 + 0.3 t_u + 0.1 remote, t_u = .2/1/.6 (one/two/three years);
worst 0.06, best 1.0, so u_union = (raw - 0.06)/0.94. Firm: raw = 0.7 (10 - r)/10 +
0.3 t_f, t_f = .5/.7/1; worst 0.15, best 1.0, u_firm = (raw - 0.15)/0.85.
Union accepts r >= 3 and raw >= 0.436; firm accepts (r <= 5 or three years) and raw >= 0.405.
ZOPA by hand: two years r in 3..5 (6 outcomes); three years r in 3..8 remote or 5..8
not remote (10); one year only r = 5 remote (1): 17 outcomes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.deal.analysis import DealAnalysis, analyze_deal
from detente.scenario import load

SALARY = Path(__file__).parent.parent / "data" / "salary.yaml"


@pytest.fixture(scope="module")
def result() -> DealAnalysis:
    return analyze_deal(load(SALARY))


def test_space_and_acceptability(result: DealAnalysis) -> None:
    assert result.space.size == 11 * 3 * 2
    assert result.zopa.size == 17
    union, firm = result.zopa.parties
    assert union.acceptable == 16 + 14 + 10  # two / three / one year
    assert union.red_line_failures == {"min-raise": 3 * 3 * 2}  # raise 0..2
    assert firm.acceptable == 12 + 18 + 12
    assert firm.red_line_failures == {"cap": 5 * 2 * 2}  # raise 6..10, one or two years


def test_solutions(result: DealAnalysis) -> None:
    s = result.solutions
    four_two = {"raise": 4, "term": "two_years", "remote": True}
    for sol in (s.nash, s.kalai_smorodinsky, s.egalitarian):
        assert sol is not None and not sol.tied
        assert sol.terms == four_two
        assert sol.utilities["union"] == pytest.approx(0.58 / 0.94)
        assert sol.utilities["firm"] == pytest.approx(0.48 / 0.85)
    assert s.nash is not None and s.kalai_smorodinsky is not None and s.egalitarian is not None
    assert s.nash.value == pytest.approx((0.58 / 0.94 - 0.4) * (0.48 / 0.85 - 0.3))
    # KS ideal: union 0.70/0.94 (raise 8, three years, remote), firm 0.64/0.85
    ks = min((0.58 / 0.94 - 0.4) / (0.70 / 0.94 - 0.4), (0.48 / 0.85 - 0.3) / (0.64 / 0.85 - 0.3))
    assert s.kalai_smorodinsky.value == pytest.approx(ks)
    assert s.egalitarian.value == pytest.approx(0.58 / 0.94 - 0.4)
    assert s.utilitarian is not None
    assert s.utilitarian.terms == {"raise": 3, "term": "two_years", "remote": True}
    assert s.utilitarian.value == pytest.approx(0.52 / 0.94 + 0.55 / 0.85)


def test_frontiers(result: DealAnalysis) -> None:
    zopa_front = [result.terms(c) for c in result.frontier.codes]
    assert [(t["raise"], t["term"]) for t in zopa_front] == [
        (8, "three_years"),
        (5, "two_years"),
        (4, "two_years"),
        (3, "two_years"),
        (4, "three_years"),
        (3, "three_years"),
    ]
    assert all(t["remote"] is True for t in zopa_front)
    # whole space: raise 10..0 at two years, then raise 1 and 0 at three years
    whole = [(t["raise"], t["term"]) for t in map(result.terms, result.frontier_all.codes)]
    assert whole == [(r, "two_years") for r in range(10, -1, -1)] + [
        (1, "three_years"),
        (0, "three_years"),
    ]
    assert result.frontier_all.counts == (1,) * 13


def test_proposal(result: DealAnalysis) -> None:
    (p1,) = result.proposals
    assert p1.utilities is not None
    assert p1.utilities[0] == pytest.approx(0.70 / 0.94)
    assert p1.utilities[1] == pytest.approx(0.34 / 0.85)
    assert p1.acceptable_to == ("union",)
    assert p1.violations == {"union": (), "firm": ("cap",)}
    assert p1.dominated_by is None  # raise 6, two years, remote is on the frontier


def test_dominated_proposal_gets_an_improvement() -> None:
    text = SALARY.read_text().replace(
        "terms: {raise: 6, term: two_years, remote: true}",
        "terms: {raise: 4, term: two_years, remote: false}",
    )
    from detente.scenario import loads

    a = analyze_deal(loads(text, "salary-variant.yaml"))
    imp = a.proposals[0].dominated_by
    assert imp is not None
    # only remote work differs: union +0.1/0.94, firm indifferent
    assert imp.changes == {"remote": (False, True)}
    assert imp.gains[0] == pytest.approx(0.1 / 0.94)
    assert imp.gains[1] == pytest.approx(0.0)
    assert imp.acceptable_to == ("union", "firm")


def test_limit_is_refused_when_enumeration_is_forced() -> None:
    from detente.errors import LimitError

    with pytest.raises(LimitError, match=r"66 outcomes.*limit of 10"):
        analyze_deal(load(SALARY), limit=10, engine="enum")


def test_auto_falls_back_to_the_solver_beyond_the_limit() -> None:
    # salary's 'cap' red line spans two issues, so the merge path does not apply
    a = analyze_deal(load(SALARY), limit=10)
    assert a.method == "solver"
    assert "exceed the enumeration limit of 10" in a.notes[0]
    assert a.zopa.size == 17
    nash = a.solutions.nash
    assert nash is not None
    assert nash.terms == {"raise": 4, "term": "two_years", "remote": True}

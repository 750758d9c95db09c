"""Hand-computed CP-SAT back-end cases (random ones: tests/backends/test_contract.py)."""

from __future__ import annotations

from itertools import combinations

import pytest

from detente.backends.masks import EnumBackend
from detente.backends.solver import SolverBackend
from detente.backends.tabulation import MAX_TABULATED
from detente.gaps.analysis import analyze_gaps, choose_backend
from detente.scenario.loader import loads
from detente.space.demands import demands

# The solver and enumeration back ends are both checked against the brute-force oracle,
# question by question, in tests/backends/test_contract.py.


BIG = """
id: big
title: a large integer range (utilities through piecewise-linear segments)
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: amount, kind: integer, range: [0, 2000000]}
  - {id: years, kind: integer, range: [1, 5]}
derived:
  - {id: total, expr: amount * years}
positions:
  a:
    red_lines: [{id: floor, rule: "total >= 3000000", firmness: 4}]
    priorities: {amount: {weight: 1, values: [[0, 0], [1000000, 0.8], [2000000, 1]]}}
    reservation: 0.5
  b:
    red_lines: [{id: cap, rule: "amount <= 500000", firmness: 6}]
    priorities: {amount: {weight: 1, values: decreasing}}
    reservation: 0.2
"""


def test_solver_on_a_space_too_large_to_enumerate() -> None:
    s = loads(BIG)
    dems = demands(s)
    solver = SolverBackend(s, dems)
    keys = [d.key for d in dems]
    # total >= 3e6 needs amount >= 600000 (5 years) and u_a >= 0.5 needs amount >= 625000:
    # b's cap (amount <= 500000) forbids both
    w, core = solver.solve(frozenset(range(len(dems))))
    assert w is None
    assert {keys[j] for j in core} in ({"a/floor", "b/cap"}, {"a/reservation", "b/cap"})
    deal = solver.deal(
        frozenset([keys.index("a/floor"), keys.index("a/reservation")]), "egalitarian"
    )
    assert deal is not None and deal.terms["amount"] >= 625_000
    # egalitarian with only the cap kept: u_a(x) - 0 vs u_b(x) - 0; u_a = 0.8x/1e6 below 1e6
    # and u_b = 1 - x/2e6, equal at x = 1e6/1.3 = 769230.77 > cap, so the cap binds
    keep = frozenset([keys.index("b/cap")])
    eg = solver.deal(keep, "egalitarian")
    assert eg is not None and eg.terms["amount"] == 500_000
    assert eg.value == pytest.approx(0.4, abs=1e-5)


def test_auto_engine_picks_solver_for_large_spaces() -> None:
    # auto tabulates up to MAX_TABULATED outcomes: 5 years x 5,000,000 amounts just fit,
    # one amount more does not (a wider range only costs utility tables for witnesses)
    assert MAX_TABULATED == 5 * 5_000_000
    at_limit = loads(BIG.replace("range: [0, 2000000]", "range: [0, 4999999]"))
    assert choose_backend(at_limit, 4) == "enum"
    s = loads(BIG.replace("range: [0, 2000000]", "range: [0, 5000000]"))
    assert choose_backend(s, 4) == "solver"
    result = analyze_gaps(s, engine="auto")
    assert result.engine == "solver"
    assert {frozenset(g.keys) for g in result.gaps} == {
        frozenset({"a/floor", "b/cap"}),
        frozenset({"a/reservation", "b/cap"}),
    }
    assert [(b.keys, b.cost) for b in result.bridges] == [
        (("b/cap",), 6),
        (("a/floor", "a/reservation"), 9),
    ]
    assert result.bridges_complete


DERIVED = """
id: derived
title: red lines through derived quantities, and an issue only a utility reads
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: amount, kind: integer, range: [0, 20]}
  - {id: years, kind: integer, range: [1, 5]}
  - {id: venue, kind: choice, options: [cairo, geneva, online]}
  - {id: public, kind: boolean}
derived:
  - {id: total, expr: amount * years}
  - {id: large, expr: total >= 40}
positions:
  a:
    red_lines: [{id: floor, rule: "large or years == 1", firmness: 4}]
    priorities: {amount: {weight: 1, values: increasing}}
    reservation: 0.5
  b:
    red_lines: [{id: cap, rule: "amount <= 12", firmness: 6}]
    priorities:
      amount: {weight: 1, values: decreasing}
      venue: {weight: 1, values: {cairo: 1, geneva: 0.5, online: 0}}
    reservation: 0.2
"""


def test_solver_counts_like_enumeration_for_every_demand_set() -> None:
    # the solver counts over the issues the kept demands read, times the other issues'
    # sizes: red lines read issues through derived quantities, reservations through
    # utilities, and 'public' no demand reads
    s = loads(DERIVED)
    dems = demands(s)
    solver, enum = SolverBackend(s, dems), EnumBackend.of(s, dems)
    for r in range(len(dems) + 1):
        for keep in map(frozenset, combinations(range(len(dems)), r)):
            assert solver.count(keep, 10**6) == enum.count(keep, 10**6), keep
    assert solver.count(frozenset(), 10**6) == (21 * 5 * 3 * 2, True)


def test_witness_satisfies_everything_when_zopa_open() -> None:
    s = loads(BIG.replace("amount <= 500000", "amount <= 900000"))
    dems = demands(s)
    w, _ = SolverBackend(s, dems).solve(frozenset(range(len(dems))))
    assert w is not None and w.satisfied == frozenset(range(len(dems)))
    assert 625_000 <= int(w.terms["amount"]) <= 900_000
    assert int(w.terms["amount"]) * int(w.terms["years"]) >= 3_000_000

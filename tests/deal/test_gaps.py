"""Gaps (MUS) on hand-computed cases, both back ends.

Random scenarios against the brute-force oracle, for every back end, are in the back-end
contract test (tests/backends/test_contract.py).
"""

from __future__ import annotations

from detente.backends.masks import EnumBackend
from detente.backends.solver import SolverBackend
from detente.gaps.mus import enumerate_gaps, shrink
from detente.scenario.loader import loads

SALARY_CLASH = """
id: clash
title: clash
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: raise, kind: integer, range: [0, 10]}
  - {id: remote, kind: boolean}
positions:
  a:
    red_lines:
      - {id: high, rule: "raise >= 6"}
      - {id: home, rule: "remote == true"}
    priorities: {raise: {weight: 1, values: increasing}}
  b:
    red_lines:
      - {id: low, rule: "raise <= 4"}
      - {id: office, rule: "remote == false or raise <= 2"}
    priorities: {raise: {weight: 1, values: decreasing}}
"""


def test_hand_computed_gaps() -> None:
    # high vs low; high + home + office (office needs remote false or raise <= 2)
    s = loads(SALARY_CLASH)
    from detente.space.demands import demands

    dems = demands(s, red_lines_only=True)
    keys = [d.key for d in dems]
    for engine in (EnumBackend.of(s, dems), SolverBackend(s, dems)):
        found = {frozenset(keys[j] for j in m) for m in enumerate_gaps(engine).muses}
        assert found == {
            frozenset({"a/high", "b/low"}),
            frozenset({"a/high", "a/home", "b/office"}),
        }


def test_shrink_returns_a_minimal_subset() -> None:
    s = loads(SALARY_CLASH)
    from detente.space.demands import demands

    dems = demands(s, red_lines_only=True)
    engine = EnumBackend.of(s, dems)
    mus = shrink(engine, frozenset(range(len(dems))))
    assert engine.solve(mus)[0] is None
    assert all(engine.solve(mus - {j})[0] is not None for j in mus)

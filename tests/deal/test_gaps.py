"""Gaps (MUS) equal a brute-force oracle on random scenarios, for both engines."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from deal.gap_oracle import brute_muses, sat_matrix, scenario_demands
from detente.backends.masks import EnumBackend
from detente.backends.solver import SolverBackend
from detente.gaps.mus import enumerate_gaps, shrink
from detente.scenario.loader import loads
from strategies import gap_scenario_documents

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(gap_scenario_documents())
def test_enum_gaps_equal_brute_force(doc: dict[str, Any]) -> None:
    s, dems = scenario_demands(doc)
    sat, _ = sat_matrix(doc, dems)
    result = enumerate_gaps(EnumBackend.of(s, dems), limit=10_000)
    assert result.complete
    assert set(result.muses) == brute_muses(sat)
    assert len(set(result.muses)) == len(result.muses)
    assert (result.witness is None) == bool(brute_muses(sat))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gap_scenario_documents(max_parties=2))
def test_solver_gaps_equal_brute_force(doc: dict[str, Any]) -> None:
    s, dems = scenario_demands(doc)
    sat, _ = sat_matrix(doc, dems)
    result = enumerate_gaps(SolverBackend(s, dems), limit=10_000)
    assert result.complete
    assert set(result.muses) == brute_muses(sat)
    if result.witness is not None:  # the witness really satisfies every demand
        assert result.witness.satisfied == frozenset(range(len(dems)))


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

"""Near misses: hand-computed weighted violations, both engines."""

from __future__ import annotations

import pytest

from detente.backends.masks import EnumBackend
from detente.backends.solver import SolverBackend
from detente.gaps.near_miss import near_misses
from detente.scenario.loader import loads
from detente.space.demands import demands

DOC = """
id: nm
title: near misses
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: raise, kind: integer, range: [0, 10]}
positions:
  a:
    red_lines: [{id: high, rule: "raise >= 7", firmness: 3}]
    priorities: {raise: {weight: 1, values: increasing}}
    reservation: {value: 0.5, firmness: 2}
  b:
    red_lines: [{id: low, rule: "raise <= 5", firmness: absolute}]
    priorities: {raise: {weight: 1, values: decreasing}}
    reservation: {value: 0.6, firmness: 10}
"""


@pytest.mark.parametrize("cls", [EnumBackend, SolverBackend])
def test_hand_computed_near_misses(cls: type) -> None:
    s = loads(DOC)
    engine = EnumBackend.of(s, demands(s)) if cls is EnumBackend else cls(s, demands(s))
    got = near_misses(engine, 3)
    # b's line is absolute: raise <= 5, so a/high (3) is always violated. u_a = r/10,
    # u_b = 1 - r/10. raise=4: a short 0.1 (cost 0.2), b fine -> 3.2; raise=5: a fine,
    # b short 0.1 (cost 1.0) -> 4.0; raise <= 3 violates only a/high and a/reservation
    # too but with more shortfall (raise=4 is the best of that violation set).
    assert [round(m.score, 6) for m in got] == [3.2, 4.0]
    assert got[0].violated == ("a/high", "a/reservation") and got[0].terms == {"raise": 4}
    assert got[1].violated == ("a/high", "b/reservation") and got[1].terms == {"raise": 5}
    assert got[1].shortfalls == {"b": pytest.approx(0.1)}

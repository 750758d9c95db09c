"""Bridges (MCS) on a hand-computed case, both back ends: sets, cost order, ZOPA sizes.

Random scenarios against the brute-force oracle (with the hitting-set duality of
Reiter 1987), for every back end, are in the back-end contract test
(tests/backends/test_contract.py).
"""

from __future__ import annotations

import pytest

from deal.test_gaps import SALARY_CLASH
from detente.backends.masks import EnumBackend
from detente.backends.solver import SolverBackend
from detente.gaps.bridges import enumerate_bridges
from detente.scenario.loader import loads
from detente.space.demands import demands


@pytest.mark.parametrize("cls", [EnumBackend, SolverBackend])
def test_hand_computed_bridges(cls: type) -> None:
    # gaps {high, low} and {high, home, office} (firmness 5 each): the bridges are their
    # minimal hitting sets, {high} (cost 5), then {home, low} and {low, office} (10 each)
    s = loads(SALARY_CLASH)
    dems = demands(s, red_lines_only=True)
    engine = EnumBackend.of(s, dems) if cls is EnumBackend else cls(s, dems)
    result = enumerate_bridges(engine, count_cap=10_000)
    assert result.complete
    got = {(tuple(sorted(b.keys)), b.cost, b.zopa_size) for b in result.bridges}
    # relax high: raise <= 2 with remote (3 outcomes); relax home + low: raise >= 6 in the
    # office (5); relax low + office: raise >= 6 from home (5)
    assert got == {
        (("a/high",), 5, 3),
        (("a/home", "b/low"), 10, 5),
        (("b/low", "b/office"), 10, 5),
    }
    assert [b.cost for b in result.bridges] == [5, 10, 10]
    assert all(b.zopa_exact for b in result.bridges)

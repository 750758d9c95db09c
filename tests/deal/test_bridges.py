"""Bridges (MCS): brute-force equality, cost order, ZOPA sizes and hitting-set duality."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings

from deal.gap_oracle import (
    brute_mcses,
    brute_muses,
    minimal_hitting_sets,
    sat_matrix,
    scenario_demands,
)
from detente.backends.masks import EnumBackend
from detente.backends.solver import SolverBackend
from detente.gaps.bridges import enumerate_bridges
from strategies import gap_scenario_documents

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(gap_scenario_documents())
def test_enum_bridges_equal_brute_force(doc: dict[str, Any]) -> None:
    s, dems = scenario_demands(doc)
    sat, _ = sat_matrix(doc, dems)
    engine = EnumBackend.of(s, dems)
    result = enumerate_bridges(engine, limit=10_000)
    found = [frozenset(dems.index(d) for d in b.relax) for b in result.bridges]
    everything = frozenset(range(len(dems)))
    if engine.solve(everything)[0] is not None:
        assert found == []  # nothing to bridge
        return
    assert result.complete
    assert set(found) == brute_mcses(sat, dems)
    costs = [b.cost for b in result.bridges]
    assert costs == sorted(costs)
    for b, relax in zip(result.bridges, found, strict=True):
        keep = sorted(everything - relax)
        assert b.zopa_exact
        assert b.zopa_size == int(sat[:, keep].all(axis=1).sum())
        assert b.cost == sum(int(dems[j].firmness) for j in relax)


@SETTINGS
@given(gap_scenario_documents())
def test_hitting_set_duality(doc: dict[str, Any]) -> None:
    # every MCS hits every MUS's relaxable part, and the MCSes are exactly the minimal
    # hitting sets of those parts (Reiter 1987), checked against brute force
    s, dems = scenario_demands(doc)
    sat, _ = sat_matrix(doc, dems)
    muses = brute_muses(sat)
    soft = [j for j, d in enumerate(dems) if d.relaxable]
    engine = EnumBackend.of(s, dems)
    if not muses:
        return
    found = {
        frozenset(dems.index(d) for d in b.relax)
        for b in enumerate_bridges(engine, limit=10_000).bridges
    }
    parts = [m & frozenset(soft) for m in muses]
    for mcs in found:
        assert all(mcs & p for p in parts)
    assert found == minimal_hitting_sets(parts, soft)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gap_scenario_documents(max_parties=2))
def test_solver_bridges_equal_enum(doc: dict[str, Any]) -> None:
    s, dems = scenario_demands(doc)
    a = enumerate_bridges(EnumBackend.of(s, dems), limit=10_000)
    b = enumerate_bridges(SolverBackend(s, dems), limit=10_000, count_cap=10_000)
    assert {x.keys for x in a.bridges} == {x.keys for x in b.bridges}
    assert [x.cost for x in a.bridges] == [x.cost for x in b.bridges]
    for x in b.bridges:
        y = next(y for y in a.bridges if y.keys == x.keys)
        assert x.zopa_size == y.zopa_size and x.zopa_exact
        for kind in ("nash", "egalitarian"):
            dx, dy = getattr(x, kind), getattr(y, kind)
            assert (dx is None) == (dy is None)
            if dx is not None:
                assert np.isclose(dx.value, dy.value, atol=1e-4)

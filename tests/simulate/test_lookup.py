"""The level lookup (sorted utilities + binary search) against a brute-force scan."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import examples

from detente.simulate.lookup import sort_feasible

GRID = st.sampled_from([0.0, 0.125, 0.25, 0.5, 0.5, 0.75, 0.999999999999, 1.0])


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(st.tuples(GRID, st.booleans()), min_size=1, max_size=40),
    st.lists(st.floats(-0.2, 1.2, allow_nan=False), min_size=1, max_size=8),
)
def test_at_least_is_the_worst_outcome_at_or_above(
    rows: list[tuple[float, bool]], levels: list[float]
) -> None:
    u = np.array([r[0] for r in rows])
    ok = np.array([r[1] for r in rows])
    s = sort_feasible(u, ok)
    feasible = [x for x in range(len(u)) if ok[x]]
    assert len(s) == len(feasible)
    assert list(s.values) == sorted(u[feasible].tolist())
    if not feasible:
        return
    best = min(feasible, key=lambda x: (-u[x], x))
    assert s.best == best
    for level in levels:
        above = [x for x in feasible if u[x] >= level]
        want = min(above, key=lambda x: (u[x], x)) if above else best
        assert s.at_least(level) == want
    assert s.at_least_many(levels).tolist() == [s.at_least(x) for x in levels]
    for level in levels:  # the nearest bid: equal distances go up, equal utilities low
        want = min(feasible, key=lambda x: (abs(u[x] - level), u[x] < level, x))
        got = s.nearest(level)
        assert abs(u[got] - level) == abs(u[want] - level)

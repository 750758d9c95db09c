"""The level lookup (sorted lazily + binary search) against a brute-force scan."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import examples

from detente.simulate.lookup import sort_feasible

GRID = st.integers(0, 16).map(lambda i: i / 16) | st.sampled_from([0.999999999999, 0.5])
LEVELS = (
    st.floats(-0.2, 1.2, allow_nan=False)
    | st.integers(-2, 18).map(lambda i: i / 16)
    | st.sampled_from([0.999999999999, math.inf, -math.inf, math.nan])
)
QUERY = st.sampled_from(
    ["at_least", "many", "nearest", "negmas", "rank", "value_at", "outcome_at", "best"]
)


def _want_at_least(u: np.ndarray, feasible: list[int], level: float) -> int:
    best = min(feasible, key=lambda x: (-u[x], x))
    above = [x for x in feasible if u[x] >= level]
    return min(above, key=lambda x: (u[x], x)) if above else best


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.tuples(GRID, st.booleans()), min_size=1, max_size=40),
    st.lists(st.tuples(QUERY, LEVELS, st.integers(-50, 50)), min_size=1, max_size=12),
    st.sampled_from([1, 2, 3, 4096]),
)
def test_every_query_answers_as_a_full_sort(
    rows: list[tuple[float, bool]], queries: list[tuple[str, float, int]], band: int
) -> None:
    """Queries in any order, the band grown by each: always the answer of a full sort."""
    u = np.array([r[0] for r in rows])
    ok = np.array([r[1] for r in rows])
    s = sort_feasible(u, ok, min_band=band)
    feasible = [x for x in range(len(u)) if ok[x]]
    assert len(s) == len(feasible)
    if not feasible:
        assert s.values.tolist() == []
        return
    full = sorted(feasible, key=lambda x: (u[x], x))
    for kind, level, pos in queries:
        if kind == "at_least":
            assert s.at_least(level) == _want_at_least(u, feasible, level)
        elif kind == "many":
            levels = [level, level - 0.3, level + 0.1]
            assert s.at_least_many(levels).tolist() == [
                _want_at_least(u, feasible, x) for x in levels
            ]
        elif kind == "nearest" and not math.isnan(level):
            best = min(feasible, key=lambda x: (-u[x], x))
            above = [x for x in feasible if u[x] >= level]
            j = full.index(min(above, key=lambda x: (u[x], x))) if above else len(full)
            if j >= len(full):
                want = best
            elif j > 0 and level - u[full[j - 1]] < u[full[j]] - level:
                want = min(x for x in feasible if u[x] == u[full[j - 1]])
            else:
                want = full[j]
            assert s.nearest(level) == want
        elif kind == "negmas" and not math.isnan(level):
            assert s.at_least_negmas(level) == _negmas(u, full, level)
        elif kind == "rank":
            assert s.rank_at_least(level) == sum(1 for x in full if u[x] < level or level != level)
        elif kind in ("value_at", "outcome_at") and -len(full) <= pos < len(full):
            if kind == "value_at":
                assert s.value_at(pos) == u[full[pos]]
            else:
                assert s.outcome_at(pos) == full[pos]
        elif kind == "best":
            assert s.best == full[-1 - sum(1 for x in full if u[x] == u[full[-1]]) + 1]
        assert s.sorted_count <= len(full)
    assert s.values.tolist() == [u[x] for x in full]
    assert s.order.tolist() == full
    assert s.sorted_count == len(full)


def _negmas(u: np.ndarray, full: list[int], level: float, slack: float = 1e-6) -> int:
    """NegMAS 0.16's slack lookup over the whole sorted order, by its definition.

    The outcome at or above ``level`` nearest to it, unless an outcome within ``slack``
    below the level is strictly nearer: then the nearest of those (the lowest on ties).
    """
    v = [float(u[x]) for x in full]
    n = len(v)
    i = min(int(np.searchsorted(v, level, "left")), n - 1)
    bd = abs(v[i] - level)
    below = [j for j in range(n) if level - slack <= v[j] < level]
    best = full[int(np.searchsorted(v, v[-1], "left"))]
    if below:
        j = min(below, key=lambda k: (abs(v[k] - level), k))
        if abs(v[j] - level) < bd:
            return full[j]
    if i == n - 1 and v[i] < level:
        return best
    return full[i]


def test_the_negmas_lookup_takes_the_nearest_outcome_within_the_slack() -> None:
    # two outcomes just below the level, one above: NegMAS 0.16 offers the nearest one
    # (benchmarks/negmas_sao_oracle.py: offer for offer on 240 scenarios in this mode)
    u = np.array([0.5 - 8e-7, 0.5 - 3e-7, 0.5 + 9e-7, 0.9])
    s = sort_feasible(u, np.ones(4, dtype=np.bool_))
    assert s.at_least_negmas(0.5) == 1
    assert s.at_least(0.5) == 2  # the pinned rule: the lowest at or above the level
    far = np.array([0.5 - 8e-7, 0.5 + 1e-7, 0.9])  # nearer above: the pinned choice
    assert sort_feasible(far, np.ones(3, dtype=np.bool_)).at_least_negmas(0.5) == 1


def test_the_first_offer_sorts_only_the_top() -> None:
    """On 10^5 outcomes, a query near the top sorts a band, not the space."""
    rng = np.random.default_rng(0)
    u = np.round(rng.random(100_000), 12)
    ok = np.ones(len(u), dtype=np.bool_)
    s = sort_feasible(u, ok)
    top = float(np.sort(u)[-10])
    got = s.at_least(top)
    assert u[got] == top
    assert s.sorted_count < 20_000
    assert s.at_least(0.25) == min(np.flatnonzero(u >= 0.25), key=lambda x: (u[x], x))
    assert s.sorted_count < len(u)
    assert s.order.tolist() == sorted(range(len(u)), key=lambda x: (u[x], x))


def test_pickles_in_any_state() -> None:
    u = np.round(np.random.default_rng(1).random(5_000), 12)
    ok = u > 0.1
    s = sort_feasible(u, ok, min_band=8)
    before = pickle.loads(pickle.dumps(s))
    s.at_least(0.7)
    after = pickle.loads(pickle.dumps(s))
    for x in (before, after):
        assert x.at_least(0.3) == s.at_least(0.3)
        assert x.order.tolist() == s.order.tolist()


@pytest.mark.parametrize("grain", [7, 100, 10**6, 10**12, 0])  # many ties .. none; 0: dense
@pytest.mark.parametrize("band", [1, 5, 64])
def test_random_spaces_with_ties_against_a_full_sort(grain: int, band: int) -> None:
    """Seeded spaces of up to 3,000 outcomes, levels at, just above and just below
    utilities, asked in descending or random order: every answer is the full sort's."""
    for seed in range(6):
        rng = np.random.default_rng([seed, grain, band])
        n = int(rng.integers(1, 3000))
        if grain:
            u = np.round(np.round(rng.random(n) * grain) / grain, 12)
        else:  # utilities 10**-12 apart
            u = np.round((5 * 10**11 + rng.integers(0, 300, n)) / 1e12, 12)
        ok = rng.random(n) < (0.05, 0.5, 1.0)[seed % 3]
        s = sort_feasible(u, ok, min_band=band)
        idx = np.flatnonzero(ok)
        if len(idx) == 0:
            assert len(s) == 0
            continue
        full = idx[np.lexsort((idx, u[idx]))]
        v = u[full]
        best = int(full[np.searchsorted(v, v[-1], "left")])
        picks = u[rng.integers(0, n, 30)]
        levels = np.concatenate((picks, np.nextafter(picks, 2.0), np.nextafter(picks, -1.0)))
        # descending (as a conceding party asks) or in a random order
        asked = np.sort(levels)[::-1] if seed % 2 else rng.permutation(levels)
        for level in asked:
            j = int(np.searchsorted(v, level, "left"))
            assert s.at_least(float(level)) == (int(full[j]) if j < len(full) else best)
            assert s.rank_at_least(float(level)) == j
            p = int(rng.integers(0, len(full)))
            if seed % 2 == 0:
                assert s.outcome_at(p) == int(full[p]) and s.value_at(p) == v[p]
        assert s.order.tolist() == full.tolist()


def test_threads_sharing_one_lookup_get_the_full_sorts_answers() -> None:
    """A Dask worker's threads share an arena: concurrent growth stays consistent."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(5)
    u = np.round(np.round(rng.random(200_000) * 10**5) / 10**5, 12)
    ok = rng.random(len(u)) < 0.7
    idx = np.flatnonzero(ok)
    full = idx[np.lexsort((idx, u[idx]))]
    v = u[full]
    best = full[np.searchsorted(v, v[-1], "left")]
    s = sort_feasible(u, ok, min_band=16)
    levels = np.sort(rng.random(400))[::-1]

    def ask(k: int) -> bool:
        mine = levels[k::8]
        got = s.at_least_many(mine)
        j = np.searchsorted(v, mine, "left")
        want = np.where(j < len(full), full[np.minimum(j, len(full) - 1)], best)
        return bool((got == want).all())

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(ask, range(8)))
    assert s.order.tolist() == full.tolist()

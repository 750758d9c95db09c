"""Skyline algorithms against a brute-force definition of Pareto dominance."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deal.pairwise import dominated
from detente.deal.frontier import FrontierBuilder
from detente.space.dominance import pareto_mask


def brute_mask(u: np.ndarray) -> np.ndarray:
    """x is kept unless some y has y >= x everywhere and y > x somewhere (every pair)."""
    return ~dominated(u)


def matrices(max_rows: int = 120) -> st.SearchStrategy[np.ndarray]:
    """Small-grid utility matrices (1-5 parties): many ties and near-ties."""
    return st.integers(1, 5).flatmap(
        lambda k: hnp.arrays(
            np.int64, st.tuples(st.integers(0, max_rows), st.just(k)), elements=st.integers(0, 6)
        ).map(lambda a: a / 6.0)
    )


@settings(max_examples=300, deadline=None)
@given(matrices())
def test_pareto_mask_is_the_definition(u: np.ndarray) -> None:
    assert np.array_equal(pareto_mask(u), brute_mask(u))


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 4), st.integers(0, 2**32 - 1))
def test_large_random_sets_match_block_definition(k: int, seed: int) -> None:
    # big enough to exercise the grid and pivot filters (>= 64 rows) and D&C levels
    rng = np.random.default_rng(seed)
    u = np.round(rng.integers(0, 40, (700, k)) / 40 + rng.random((700, 1)) * 0.0, 12)
    if seed % 2:  # opposed interests: points near a plane, large frontier
        u = np.round(np.abs(1 - u.sum(axis=1, keepdims=True) / k + u - u.mean()), 6)
    expected = brute_mask(u)  # the pairwise definition, independent of the kernel
    assert np.array_equal(pareto_mask(u), expected)


@settings(max_examples=150, deadline=None)
@given(matrices(80), st.integers(1, 30), st.integers(1, 4))
def test_builder_streaming_equals_one_shot(u: np.ndarray, step: int, tie_limit: int) -> None:
    codes = np.arange(len(u), dtype=np.int64).reshape(-1, 1)
    one = FrontierBuilder(u.shape[1], 1, tie_limit)
    one.add(u, codes)
    many = FrontierBuilder(u.shape[1], 1, tie_limit)
    for s in range(0, len(u), step):
        many.add(u[s : s + step], codes[s : s + step])
    a, b = one.result(), many.result()
    assert np.array_equal(a.utilities, b.utilities)
    assert a.counts == b.counts
    assert all(np.array_equal(x, y) for x, y in zip(a.ties, b.ties, strict=True))
    mask = brute_mask(u)
    assert sum(a.counts) == int(mask.sum())
    # ties: the earliest outcomes with that vector, representative first
    for vec, ties, count in zip(a.utilities, a.ties, a.counts, strict=True):
        same = np.flatnonzero(np.all(u == vec, axis=1))
        assert count == len(same)
        assert list(ties[:, 0]) == list(same[:tie_limit])

"""The dominance kernel's row order and grouping against np.lexsort and row comparison.

``lex_desc`` and ``group_rows`` sort large inputs by packed integer rank keys; these
must give exactly the permutation a stable ``np.lexsort`` on the negated columns gives,
whatever the ties (-0.0 and 0.0 are equal), NaN, or key width (re-ranking when the next
column would overflow 63 bits).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.space.dominance import group_rows, lex_desc


def _lexsort_desc(v: np.ndarray) -> np.ndarray:
    return np.lexsort(tuple(-v[:, j] for j in range(v.shape[1] - 1, -1, -1)))


def _groups(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(v)
    order = _lexsort_desc(v)
    sv = v[order]
    new = np.ones(n, dtype=np.bool_)
    new[1:] = np.any(sv[1:] != sv[:-1], axis=1)
    gid = np.empty(n, dtype=np.int64)
    gid[order] = np.cumsum(new) - 1
    return order, np.flatnonzero(new), gid


def _matrix(seed: int, n: int, k: int, kind: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == 0:  # distinct values: the widest keys, re-ranked from three columns on
        return rng.random((n, k))
    v = rng.integers(-3, 4, (n, k)).astype(np.float64)  # many equal rows
    if kind >= 2:
        zero = v == 0
        v[zero] = np.where(rng.random(int(zero.sum())) < 0.5, 0.0, -0.0)
    if kind == 3:
        v[rng.random((n, k)) < 0.02] = np.nan
    return v


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(200, 2500), st.integers(1, 5), st.integers(0, 3))
def test_order_and_groups_are_lexsorts(seed: int, n: int, k: int, kind: int) -> None:
    v = _matrix(seed, n, k, kind)
    assert np.array_equal(lex_desc(v), _lexsort_desc(v))
    for got, want in zip(group_rows(v), _groups(v), strict=True):
        assert np.array_equal(got, want)

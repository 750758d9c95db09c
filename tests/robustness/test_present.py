"""The (pattern, failing parties) table against a per-draw, per-row oracle."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from detente.robustness.model import thresholds
from detente.robustness.present import present_table


def _oracle(pattern: np.ndarray, us: list[np.ndarray], r: np.ndarray) -> np.ndarray:
    """present[s, P, f] straight from its definition, one draw and row at a time."""
    k = len(us)
    t = thresholds(r)
    s_n, n = us[0].shape
    out = np.zeros((s_n, int(pattern.max()) + 1, 1 << k), dtype=np.bool_)
    for s in range(s_n):
        for row in range(n):
            f = sum(1 << i for i in range(k) if us[i][s, row] < t[s, i])
            out[s, pattern[row], f] = True
    return out


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6, 7])  # 7: more than a one-hot word holds
def test_present_table_is_its_definition(k: int) -> None:
    rng = np.random.default_rng(k)
    n, s_n = 40, 9
    pattern = np.sort(rng.integers(0, 5, n))
    pattern = np.unique(pattern, return_inverse=True)[1].reshape(-1)  # every pattern used
    # utilities on a coarse grid, so some sit exactly at a reservation
    us = [np.round(rng.random((s_n, n)) * 8) / 8 for _ in range(k)]
    r = np.round(rng.random((s_n, k)) * 8) / 8
    got = present_table(SimpleNamespace(pattern=pattern), us, SimpleNamespace(reservation=r))
    want = _oracle(pattern, us, r)
    assert got.dtype == np.bool_ and got.shape == want.shape
    assert np.array_equal(got, want)

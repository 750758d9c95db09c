"""Pareto dominance by comparing every pair of rows: the definition, vectorised.

The oracle the deal tests check the dominance kernel against (it uses no detente code).
Pairs are compared one column at a time on (n, m) boolean matrices: the same pairwise
definition as ``np.all(by[None] >= u[:, None], axis=2)``, without numpy's slow reduction
over a short last axis.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]


def dominance_matrix(u: npt.NDArray[np.float64], by: npt.NDArray[np.float64]) -> BoolArray:
    """``out[i, j]``: row ``j`` of ``by`` >= row ``i`` of ``u`` everywhere, > somewhere."""
    n, m = len(u), len(by)
    ge = np.ones((n, m), dtype=np.bool_)
    gt = np.zeros((n, m), dtype=np.bool_)
    for j in range(u.shape[1]):
        a, b = by[None, :, j], u[:, None, j]
        ge &= a >= b
        gt |= a > b
    out: BoolArray = ge & gt
    return out


def dominated(u: npt.NDArray[np.float64], by: npt.NDArray[np.float64] | None = None) -> BoolArray:
    """Rows of ``u`` that some row of ``by`` (default: of ``u``) Pareto-dominates."""
    out: BoolArray = dominance_matrix(u, u if by is None else by).any(axis=1)
    return out

"""A deterministic, evenly spread sample of a space's outcomes (for plots).

Outcome indices are taken at evenly spaced positions of the mixed-radix numbering
(:class:`~detente.space.outcomes.OutcomeSpace`), so the same space always gives the same
sample and small spaces are returned whole. No random state is involved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.space.demands import acceptable
from detente.space.outcomes import OutcomeSpace

__all__ = ["OutcomeSample", "sample_outcomes"]

_MAX_INDEX = 1 << 62


@dataclass(frozen=True)
class OutcomeSample:
    """Sampled outcomes: codes (n, n_issues), utilities (n, k), ZOPA membership (n,).

    ``acceptable[r, j]`` says whether outcome ``r`` is acceptable to party ``j`` (its red
    lines hold and its utility reaches its reservation); ``in_zopa`` is its row-wise all.
    """

    codes: npt.NDArray[np.int64]
    utilities: npt.NDArray[np.float64]
    in_zopa: npt.NDArray[np.bool_]
    complete: bool
    acceptable: npt.NDArray[np.bool_]


def sample_outcomes(space: OutcomeSpace, max_points: int = 20_000) -> OutcomeSample:
    """Up to ``max_points`` outcomes of ``space`` spread evenly over its numbering.

    Spaces too large to number with 64-bit integers give an empty sample.
    """
    k, n_issues = len(space.parties), len(space.issues)
    if space.size > _MAX_INDEX or max_points < 1:
        return OutcomeSample(
            np.zeros((0, n_issues), np.int64),
            np.zeros((0, k)),
            np.zeros(0, np.bool_),
            False,
            np.zeros((0, k), np.bool_),
        )
    if space.size <= max_points:
        idx = np.arange(space.size, dtype=np.int64)
    else:
        idx = np.unique(np.linspace(0, space.size - 1, max_points).astype(np.int64))
    chunk = space.chunk_of_codes(space.codes_of(idx))
    u = space.utility_matrix(chunk)
    acc = acceptable(space, chunk, utility=u)
    by_party = np.zeros((chunk.n, k), dtype=np.bool_)
    for j, p in enumerate(space.parties):
        by_party[:, j] = acc[p]
    zopa: npt.NDArray[np.bool_] = np.all(by_party, axis=1)
    return OutcomeSample(chunk.codes(space.issues), u, zopa, len(idx) == space.size, by_party)

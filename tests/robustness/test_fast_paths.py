"""The robustness fixed-cost fast paths give what the plain computations give."""

from __future__ import annotations

import numpy as np
import pytest

from detente.robustness.model import _first_of_each


def _reference(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, first, counts = np.unique(rows, axis=0, return_index=True, return_counts=True)
    order = np.argsort(first)
    return first[order], counts[order]


@pytest.mark.parametrize(
    ("n", "spans"),
    [
        (1, [1]),
        (500, [2, 3, 1, 5]),
        (2000, [7, 2, 2, 2, 2, 2, 2, 40]),
        (300, [2**40, 2**30]),  # too wide to pack: the plain path
        (400, [-3, 4, 100]),  # negative codes shift to zero
    ],
)
def test_first_of_each_matches_unique_rows(n: int, spans: list[int]) -> None:
    rng = np.random.default_rng(n)
    rows = np.stack(
        [rng.integers(min(0, s), abs(s), size=n) if s != 1 else np.zeros(n, np.int64)
         for s in spans],
        axis=1,
    ).astype(np.int64)  # fmt: skip
    first, counts = _first_of_each(rows)
    order = np.argsort(first)
    ref_first, ref_counts = _reference(rows)
    np.testing.assert_array_equal(first[order], ref_first)
    np.testing.assert_array_equal(counts[order], ref_counts)
    assert counts.sum() == n

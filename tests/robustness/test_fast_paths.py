"""The robustness fixed-cost fast paths give what the plain computations give."""

from __future__ import annotations

import numpy as np
import pytest
from tests.robustness.conftest import PRISONERS

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


def test_a_searched_radius_is_remembered_by_content_not_identity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import detente
    from detente.conflict.analysis import analyze_conflict
    from detente.robustness import gmcr

    calls = []
    real = gmcr.analyze_stability
    monkeypatch.setattr(gmcr, "analyze_stability", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(gmcr, "_FOUND", {})
    text = PRISONERS
    keys = ["nash:1"]
    first = gmcr.search_radii(analyze_conflict(detente.loads(text, "pd.yaml")), keys, 3)
    searched = len(calls)
    assert searched > 0
    again = gmcr.search_radii(analyze_conflict(detente.loads(text, "pd.yaml")), keys, 3)
    assert again == first and len(calls) == searched  # the same conflict, compiled again
    # another ranking of p1's (NN now its best state) is another search, another radius
    before, after = '["NY"], ["YY"], ["NN"], ["YN"]', '["NN"], ["NY"], ["YY"], ["YN"]'
    other = PRISONERS.replace(before, after, 1)
    moved = gmcr.search_radii(analyze_conflict(detente.loads(other, "pd.yaml")), keys, 3)
    assert len(calls) > searched
    fresh = gmcr._search(analyze_conflict(detente.loads(other, "pd.yaml")).stability, keys, 3)
    assert {k: (f.distance, f.changes) for k, f in moved.items() if f is not None} == {
        k: (float(d), {f"conflict.preferences.{dm}": float(d)}) for k, (d, dm) in fresh.items()
    }
    assert moved != first


@pytest.mark.parametrize("name", ["cuban-missile-crisis", "elmira", "double-move-sanction"])
def test_skipped_analyses_change_no_radius(name: str) -> None:
    import detente
    from detente.conflict.analysis import analyze_conflict
    from detente.robustness import gmcr

    st = analyze_conflict(detente.load(f"tests/data/conflicts/{name}.yaml")).stability
    keys = [f"{c}:{s}" for c in ("nash", "gmr", "smr", "seq") for s in st.equilibria(c)]
    pruned = gmcr._search(st, keys, 2)
    real = st.equilibrium_mask
    # no key counts as a standing equilibrium: every candidate ranking is analysed
    st.__dict__["equilibrium_mask"] = lambda concept: np.zeros_like(real(concept))
    try:
        plain = gmcr._search(st, keys, 2)
    finally:
        del st.__dict__["equilibrium_mask"]
    assert pruned == plain

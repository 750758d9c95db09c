"""The one tie rule: every suggested deal is undominated within the set it is chosen from."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.space.bargaining import KINDS, make_deal, objective, optimal_rows


def test_egalitarian_is_leximin_not_a_dominated_tie() -> None:
    # issue 9's case: the same minimum (0.583), one point better for two parties
    u = np.array([[0.583, 0.623, 0.715], [0.583, 0.700, 0.788]])
    d = np.zeros(3)
    rows = optimal_rows("egalitarian", u, d)
    assert rows.tolist() == [1]
    deal = make_deal("egalitarian", u, d, ("a", "b", "c"), lambda r: [{"x": int(i)} for i in r])
    assert deal is not None and deal.terms == {"x": 1} and len(deal.points) == 1


def test_leximin_breaks_ties_on_the_second_smallest_gain() -> None:
    u = np.array([[0.2, 0.9, 0.3], [0.2, 0.4, 0.35], [0.1, 1.0, 1.0]])
    d = np.zeros(3)
    # both first rows have minimum 0.2; sorted gains (0.2, 0.3, 0.9) beat (0.2, 0.35, 0.4)?
    # no: leximin compares the second smallest, 0.3 < 0.35, so row 1 wins
    assert optimal_rows("egalitarian", u, d).tolist() == [1]


vectors = st.lists(
    st.tuples(*[st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])] * 3), min_size=1, max_size=25
)


@settings(max_examples=300, deadline=None)
@given(vectors, st.sampled_from(KINDS), st.sampled_from([0.0, 0.25]))
def test_every_kind_is_optimal_and_undominated_against_brute_force(
    rows: list[tuple[float, float, float]], kind: str, r: float
) -> None:
    u = np.array(rows, dtype=np.float64)
    d = np.full(3, r)
    best = optimal_rows(kind, u, d)  # type: ignore[arg-type]
    values = objective(kind, u, d)  # type: ignore[arg-type]
    top = values.max()
    for i in best:
        assert values[i] >= top - 1e-9 * max(abs(top), 1e-300)
        # undominated within the whole set (not only among the ties)
        dominated = np.all(u >= u[i], axis=1) & np.any(u > u[i], axis=1)
        assert not dominated.any()
    # every optimal, undominated vector is reported (ties are information)
    tied = {tuple(u[i]) for i in range(len(u)) if values[i] >= top - 1e-9 * max(abs(top), 1e-300)}
    undominated = {
        v for v in tied if not any(all(w >= v) and any(w > v) for w in map(np.array, tied))
    }
    if kind in ("nash", "utilitarian"):
        assert {tuple(u[i]) for i in best} == undominated
    else:
        assert {tuple(u[i]) for i in best} <= undominated

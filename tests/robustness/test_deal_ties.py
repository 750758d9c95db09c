"""The batched tie rule of ``deal_values`` against the per-draw code it replaced.

``_reference`` is the former ``deal_values`` verbatim (a Python loop body per undecided
draw: candidate mask, ``canon``, ``optimal_rows``, labels); the batched version must give
the same label strings and ``opened`` flags on every input: synthetic utilities built to
tie (exact ties, near-ties either side of the tolerances, indifferent parties, reservations
equal to utilities, 1-4 parties) and random small scenarios through ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.robustness.conftest import compiled_with_draws
from tests.strategies import deal_scenario_documents, examples

from detente.robustness import conclusions
from detente.robustness.conclusions import (
    _BAND,
    NONE,
    _row_label,
    _undominated,
    deal_values,
    evaluate,
)
from detente.robustness.model import Params, canon, thresholds
from detente.space.bargaining import optimal_rows


def _reference(
    model: Any, us: Sequence[np.ndarray], p: Params, kind: str, rows: np.ndarray
) -> tuple[list[str], np.ndarray]:
    s_n = p.n
    if not rows.size:
        return [NONE] * s_n, np.zeros(s_n, dtype=np.bool_)
    r = p.reservation
    obj = us[0] - r[:, 0:1]
    tmp = np.empty_like(obj)
    if kind == "nash":
        np.maximum(obj, 0.0, out=obj)
    for i in range(1, len(us)):
        np.subtract(us[i], r[:, i : i + 1], out=tmp)
        if kind == "nash":
            np.maximum(tmp, 0.0, out=tmp)
            obj *= tmp
        else:
            np.minimum(obj, tmp, out=obj)
    arg = obj.argmax(axis=1)
    at = np.arange(s_n)
    best = obj[at, arg]
    obj[at, arg] = -np.inf
    runner_up = obj.max(axis=1)
    obj[at, arg] = best
    wide = np.where(runner_up >= best - _BAND * np.abs(best), 2, 1)
    t = thresholds(r)
    out: list[str] = []
    opened = best > 0
    for s in range(s_n):
        if best[s] > 0 and wide[s] == 1:
            out.append(_row_label(model, int(rows[arg[s]])))
            continue
        ok = np.ones(rows.size, dtype=np.bool_)
        for i, u in enumerate(us):
            ok &= u[s] >= t[s, i]
        if best[s] > 0:
            ok &= obj[s] >= best[s] - _BAND * abs(best[s])
        cand = np.flatnonzero(ok)
        if not cand.size:
            out.append(NONE)
            continue
        opened[s] = True
        uu = canon(np.stack([u[s, cand] for u in us], axis=1))
        keep = optimal_rows(kind, uu, r[s])  # type: ignore[arg-type]
        vec = uu[keep]
        first = np.ones(len(keep), bool)
        first[1:] = np.any(vec[1:] != vec[:-1], axis=1)
        labels = []
        for j in np.flatnonzero(first):
            same = cand[np.all(uu == vec[j], axis=1)]
            labels.append(_row_label(model, int(rows[same.min()])))
        out.append(" | ".join(labels))
    return out, np.asarray(opened)


MODEL = SimpleNamespace(terms=lambda row: {"x": row})
BASES = (0.0, 0.1, 0.25, 0.3, 0.5, 0.7, 1.0)
# exact ties, canonical ties (below 1e-12), near-ties inside TIE_RTOL, inside _BAND, clear
NUDGES = (0.0, 0.0, 3e-13, -3e-13, 7e-13, 1e-11, 2e-10, -2e-10, 3e-9, 5e-8, -5e-8, 1e-6, 0.01)


@st.composite
def tie_inputs(draw: st.DrawFn) -> tuple[list[np.ndarray], Params, np.ndarray]:
    k = draw(st.integers(1, 4))
    s_n = draw(st.integers(1, 6))
    n = draw(st.integers(0, 9))
    bases = draw(st.lists(st.sampled_from(BASES), min_size=1, max_size=3, unique=True))
    nudges = draw(st.lists(st.sampled_from(NUDGES), min_size=1, max_size=3, unique=True))
    cells = np.add.outer(np.array(bases), np.array(nudges)).reshape(-1)
    pick = st.lists(st.integers(0, len(cells) - 1), min_size=s_n * n, max_size=s_n * n)
    us = []
    for _ in range(k):
        u = cells[np.asarray(draw(pick), dtype=np.int64)].reshape(s_n, n)
        if draw(st.integers(0, 3)) == 0:  # an indifferent party
            u = np.repeat(u[:, :1], n, axis=1) if n else u
        us.append(u.astype(np.float64))
    r = np.empty((s_n, k))
    for s in range(s_n):
        for i in range(k):
            if n and draw(st.booleans()):  # a reservation equal to (near) some utility
                r[s, i] = us[i][s, draw(st.integers(0, n - 1))] + draw(st.sampled_from(nudges))
            else:
                r[s, i] = draw(st.sampled_from((0.0, 0.2, 0.3, 0.5, -0.1)))
    rows = np.sort(
        np.asarray(draw(st.lists(st.integers(0, 40), min_size=n, max_size=n, unique=True)))
    ).astype(np.int64)
    z = np.zeros((s_n, 0))
    return us, Params((), (), (), r, z, np.zeros((s_n, k))), rows


@settings(max_examples=examples(150), deadline=None)
@given(inp=tie_inputs(), kind=st.sampled_from(["nash", "egalitarian"]), block=st.integers(1, 9))
def test_batched_tie_rule_equals_the_per_draw_rule(
    inp: tuple[list[np.ndarray], Params, np.ndarray], kind: str, block: int
) -> None:
    us, p, rows = inp
    want = _reference(MODEL, [u.copy() for u in us], p, kind, rows)
    with (
        mock.patch.object(conclusions, "_TIE_ROWS", block if block < 9 else 1 << 16),
        mock.patch.object(conclusions, "_BIG_TIE", 4096 if block % 2 else 3),
    ):
        got = deal_values(MODEL, us, p, kind, rows)  # type: ignore[arg-type]
    assert got[0] == want[0]
    assert got[1].tolist() == want[1].tolist()


def test_ties_are_ordered_by_sum_then_lexicographically_then_first_row() -> None:
    # Nash products (r = 0) 0.25, 0.25, 0.1, 0.25 (0.5 + 3e-13 is 0.5 canonically) and
    # 0.25 + 2e-10, the optimum, which ties the 0.25s (8e-10 < TIE_RTOL relative) and
    # dominates (0.25, 1). Survivors by sum: (0.25 + 2e-10, 1), then (0.5, 0.5), labelled
    # by its first row; without the last row, (0.25, 1) (sum 1.25) comes first
    u0 = np.array([[0.5, 0.25, 0.1, 0.5, 0.25 + 2e-10]])
    u1 = np.array([[0.5, 1.0, 1.0, 0.5 + 3e-13, 1.0]])
    p = Params((), (), (), np.zeros((1, 2)), np.zeros((1, 0)), np.zeros((1, 2)))
    rows = np.array([4, 5, 6, 7, 8], dtype=np.int64)
    labels, opened = deal_values(MODEL, [u0, u1], p, "nash", rows)  # type: ignore[arg-type]
    assert labels == ["x=8 | x=4"] and opened.tolist() == [True]
    labels, _ = deal_values(MODEL, [u0[:, :4], u1[:, :4]], p, "nash", rows[:4])  # type: ignore[arg-type]
    assert labels == ["x=5 | x=4"]
    assert _reference(MODEL, [u0[:, :4], u1[:, :4]], p, "nash", rows[:4])[0] == labels


@settings(max_examples=examples(100), deadline=None)
@example(
    k=3, data=[(0, [3, 0, 0, 0]), (0, [2, 2, 2, 0]), (0, [3, 0, 1, 0]), (1, [1, 1, 1, 0])], big=4096
)
@given(
    k=st.integers(1, 4),
    data=st.lists(st.tuples(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=4,
                                                       max_size=4)), max_size=40),
    big=st.sampled_from([2, 5, 4096]),
)  # fmt: skip
def test_segmented_skyline_is_the_skyline_of_each_segment(
    k: int, data: list[tuple[int, list[int]]], big: int
) -> None:
    seg = np.sort(np.array([g for g, _ in data], dtype=np.int64))
    u = np.array([v[:k] for _, v in data], dtype=np.float64).reshape(len(data), k) / 3
    with mock.patch.object(conclusions, "_BIG_TIE", big):
        got = _undominated([u[:, j] for j in range(k)], seg)
    for i in range(len(u)):
        same = u[seg == seg[i]]
        dominated = np.any(np.all(same >= u[i], axis=1) & np.any(same > u[i], axis=1))
        assert got[i] == (not dominated)


def test_ties_are_within_tie_rtol_of_the_optimum() -> None:
    # incomparable vectors whose Nash products are 2e-9 apart relative (past TIE_RTOL,
    # inside _BAND: decided by the tie rule) or 6e-10 (tied); egalitarian leximin alike
    # on its second level
    u0 = np.array([[0.5 + 2e-9, 0.5, 0.4], [0.5 + 8e-10, 0.5, 0.4]])
    u1 = np.array([[0.5, 0.5 + 1e-9, 0.4], [0.5, 0.5 + 5e-10, 0.4]])
    p = Params((), (), (), np.zeros((2, 2)), np.zeros((2, 0)), np.zeros((2, 2)))
    rows = np.array([0, 1, 2], dtype=np.int64)
    got = deal_values(MODEL, [u0, u1], p, "nash", rows)  # type: ignore[arg-type]
    assert got[0] == ["x=0", "x=0 | x=1"] == _reference(MODEL, [u0, u1], p, "nash", rows)[0]
    u0 = np.array([[0.5 + 3.5e-9, 0.5 - 2.5e-9, 0.4], [0.5 + 8e-10, 0.5 - 5e-10, 0.4]])
    u1 = np.array([[0.5 - 2.5e-9, 0.5 + 2.5e-9, 0.4], [0.5 - 5e-10, 0.5 + 5e-10, 0.4]])
    got = deal_values(MODEL, [u0, u1], p, "egalitarian", rows)  # type: ignore[arg-type]
    want = _reference(MODEL, [u0, u1], p, "egalitarian", rows)[0]
    assert got[0] == want == ["x=0", "x=0 | x=1"]


def test_one_party_keeps_the_largest_of_near_tied_utilities() -> None:
    # 0.5 +- 2e-10 tie (4e-10 relative < TIE_RTOL) and are distinct canonically: the
    # larger dominates; 0.5 + 3e-13 is 0.5 canonically, so its first row labels it
    u = np.array([[0.5 - 2e-10, 0.5 + 2e-10, 0.5 + 2e-10, 0.4], [0.5, 0.5 + 3e-13, 0.4, 0.3]])
    p = Params((), (), (), np.zeros((2, 1)), np.zeros((2, 0)), np.zeros((2, 1)))
    rows = np.array([0, 1, 2, 3], dtype=np.int64)
    for kind in ("nash", "egalitarian"):
        got = deal_values(MODEL, [u], p, kind, rows)  # type: ignore[arg-type]
        assert got[0] == ["x=1", "x=0"] == _reference(MODEL, [u], p, kind, rows)[0]


def test_a_party_indifferent_at_its_reservation_ties_every_row() -> None:
    # every Nash product is 0: the deal is the undominated rows of the others, by sum
    rng = np.random.default_rng(3)
    u0 = rng.choice([0.2, 0.4, 0.6, 0.8], size=(50, 300))
    u1 = rng.choice([0.2, 0.4, 0.6, 0.8], size=(50, 300))
    u2 = np.full((50, 300), 0.5)
    r = np.tile([0.1, 0.1, 0.5], (50, 1))
    p = Params((), (), (), r, np.zeros((50, 0)), np.zeros((50, 3)))
    rows = np.arange(300, dtype=np.int64) * 2
    for kind in ("nash", "egalitarian"):
        want = _reference(MODEL, [u0, u1, u2], p, kind, rows)
        got = deal_values(MODEL, [u0, u1, u2], p, kind, rows)  # type: ignore[arg-type]
        assert got[0] == want[0] and got[1].tolist() == want[1].tolist()
    assert all(v.startswith("x=") for v in got[0])


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(doc=deal_scenario_documents(min_parties=1, max_parties=4, max_outcomes=60),
       seed=st.integers(0, 99))  # fmt: skip
def test_scenarios_evaluate_as_with_the_per_draw_rule(doc: dict[str, Any], seed: int) -> None:
    _, _, model, cs, draws = compiled_with_draws(doc, seed, 40)
    got = evaluate(model, cs, draws)
    with mock.patch.object(conclusions, "deal_values", _reference):
        want = evaluate(model, cs, draws)
    assert np.array_equal(got.holds, want.holds)
    assert got.values == want.values


@st.composite
def tied_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """1-4 parties on 1-2 choice issues, grid values (exact ties, indifferent parties),
    reservations on the grid (equal to utilities), one or two numbers varied."""
    n_issues = draw(st.integers(1, 2))
    issues = [
        {
            "id": f"i{j}",
            "kind": "choice",
            "options": [f"o{m}" for m in range(draw(st.integers(2, 3)))],
        }
        for j in range(n_issues)
    ]
    k = draw(st.integers(1, 4))
    grid = st.sampled_from([0.0, 0.5, 1.0])
    positions: dict[str, Any] = {}
    for i in range(k):
        flat = draw(st.booleans()) and draw(st.booleans())  # indifferent between all outcomes
        prios = {}
        for issue in issues:
            level = draw(grid)
            values = {o: level if flat else draw(grid) for o in issue["options"]}
            prios[issue["id"]] = {"weight": float(draw(st.integers(1, 2))), "values": values}
        positions[f"p{i}"] = {"priorities": prios, "reservation": draw(st.sampled_from([0.0, 0.5]))}
    varied = draw(st.lists(st.sampled_from(
        [f"p{i}.reservation" for i in range(k)] + [f"p{i}.weight.i0" for i in range(k)]
    ), min_size=1, max_size=2, unique=True))  # fmt: skip
    unc = [
        {"of": a, "range": [0.0, 0.6] if a.endswith("reservation") else [1.0, 2.0]} for a in varied
    ]
    return {"id": "t", "title": "t", "parties": [{"id": f"p{i}", "name": f"P{i}"} for i in range(k)],
            "issues": issues, "positions": positions, "uncertainty": unc}  # fmt: skip


@settings(max_examples=examples(20), deadline=None)
@given(doc=tied_scenarios(), seed=st.integers(0, 99))
def test_tied_scenarios_evaluate_as_with_the_per_draw_rule(doc: dict[str, Any], seed: int) -> None:
    test_scenarios_evaluate_as_with_the_per_draw_rule.hypothesis.inner_test(doc, seed)  # type: ignore[attr-defined]

"""Chunked enumeration (blocks, frontier candidates, ZOPA sample) equals brute force exactly."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import integers, sampled, sampled_list

from deal.pairwise import dominated
from detente.deal.enumeration import block_candidates, block_plan, block_utilities, enumerate_space
from detente.deal.frontier import FrontierPoints
from detente.scenario.loader import load_data
from detente.space.demands import acceptable
from detente.space.outcomes import OutcomeSpace
from strategies import deal_conditions, render_condition

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# values and weights whose sums (0.1 + 0.2 against 0.3) tie only up to float rounding
VALUES = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.5, 1.0]
GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@st.composite
def scenarios(draw: st.DrawFn, max_outcomes: int = 600) -> dict[str, Any]:
    """1-5 issues, 2-4 parties, near-tie values, cross-issue red lines, reservations."""
    issues: list[dict[str, Any]] = []
    size = 1
    for i in range(draw(integers(1, 5))):
        kind = draw(sampled("choice", "boolean", "integer"))
        if kind == "choice":
            n = draw(integers(1, 5))
            issue: dict[str, Any] = {
                "id": f"i{i}",
                "kind": kind,
                "options": [f"o{j}" for j in range(n)],
            }
        elif kind == "boolean":
            n, issue = 2, {"id": f"i{i}", "kind": kind}
        else:
            lo, n = draw(integers(-2, 3)), draw(integers(1, 6))
            issue = {"id": f"i{i}", "kind": kind, "range": [lo, lo + n - 1]}
        if size * n > max_outcomes:
            break
        size *= n
        issues.append(issue)
    parties = [f"p{j}" for j in range(draw(integers(2, 4)))]
    positions: dict[str, Any] = {}
    for p in parties:
        pri: dict[str, Any] = {}
        for issue in issues:
            if issue["kind"] == "integer":
                vals: Any = draw(sampled("increasing", "decreasing"))
            else:
                opts = issue["options"] if issue["kind"] == "choice" else ["true", "false"]
                vals = {o: draw(sampled_list(VALUES)) for o in opts}
            pri[issue["id"]] = {"weight": draw(sampled_list(WEIGHTS)), "values": vals}
        if sum(v["weight"] for v in pri.values()) == 0:
            pri[issues[0]["id"]]["weight"] = 1.0
        conds = [draw(deal_conditions(issues)) for _ in range(draw(integers(0, 2)))]
        positions[p] = {
            "priorities": pri,
            "red_lines": [
                {"id": f"r{j}", "rule": render_condition(c)} for j, c in enumerate(conds)
            ],
            "reservation": draw(sampled(0.0, 0.0, 0.2, 0.4, 0.5)),
        }
    return {
        "id": "random",
        "title": "random scenario",
        "parties": [{"id": p, "name": p} for p in parties],
        "issues": issues,
        "positions": positions,
    }


def _space(doc: dict[str, Any]) -> OutcomeSpace:
    return OutcomeSpace(load_data(doc, "random.json"))


def _frontier(u: Any, rows: Any, tie_limit: int) -> list[tuple[Any, ...]]:
    """(utilities, count, first ties) per frontier point, by pairwise comparison."""
    undominated = ~dominated(u)
    out: dict[tuple[float, ...], list[tuple[int, ...]]] = {}
    for vec, codes in zip(u[undominated], rows[undominated], strict=True):
        out.setdefault(tuple(vec), []).append(tuple(codes))  # rows are in outcome order
    return sorted(((v, len(c), c[:tie_limit]) for v, c in out.items()), reverse=True)


def _points(f: FrontierPoints) -> list[tuple[Any, ...]]:
    return [
        (tuple(v), c, [tuple(t) for t in ties])
        for v, c, ties in zip(f.utilities, f.counts, f.ties, strict=True)
    ]


@SETTINGS
@given(scenarios(), st.sampled_from([1, 2, 3, 7, 64, 10**6]), st.sampled_from([1, 3, 10]))
def test_enumeration_equals_brute_force(doc: dict[str, Any], chunk_size: int, ties: int) -> None:
    space = _space(doc)
    index = np.arange(space.size, dtype=np.int64)
    rows = space.codes_of(index)
    chunk = space.chunk_of_codes(rows)
    u = space.utility_matrix(chunk)
    masks = space.red_line_masks(chunk)
    acc = acceptable(space, chunk, utility=u)
    zopa = np.all(np.stack([acc[p] for p in space.parties]), axis=0)

    got, inside, whole = enumerate_space(
        space, chunk_size=chunk_size, tie_limit=ties, sample_size=4
    )
    assert got.size == int(zopa.sum())
    for j, pa in enumerate(got.parties):
        assert pa.acceptable == int(acc[pa.party].sum())
        assert pa.below_reservation == int((u[:, j] < space.reservations[j]).sum())
        for rl, fails in pa.red_line_failures.items():
            assert fails == int((~masks[(pa.party, rl)]).sum())
    # the sample: the 4 ZOPA outcomes of smallest index * GOLDEN mod 2**64, in index order
    keys = index[zopa].astype(np.uint64) * GOLDEN
    chosen = np.sort(index[zopa][np.argsort(keys)[:4]])
    assert np.array_equal(got.sample, rows[chosen].reshape(-1, len(space.issues)))
    assert np.array_equal(got.sample_utilities, u[chosen].reshape(-1, len(space.parties)))
    assert _points(whole) == _frontier(u, rows, ties)
    assert _points(inside) == _frontier(u[zopa], rows[zopa], ties)


@SETTINGS
@given(scenarios(), st.sampled_from([1, 2, 5, 12, 60, 10**6]))
def test_block_utilities_are_bit_identical(doc: dict[str, Any], chunk_size: int) -> None:
    space = _space(doc)
    plan = block_plan(space, chunk_size)
    if plan is None:  # the last issue alone exceeds a chunk: plain chunks
        assert space.radices[-1] > chunk_size
        return
    assert plan.size <= chunk_size and plan.blocks * plan.size == space.size
    for first in range(0, plan.blocks, plan.per_chunk):
        count = min(plan.per_chunk, plan.blocks - first)
        start, n = first * plan.size, count * plan.size
        want = space.utility_matrix(
            space.chunk_of_codes(space.codes_of(np.arange(start, start + n)))
        )
        got = block_utilities(space, plan, first, count).T
        assert got.shape == want.shape
        assert np.array_equal(got.view(np.int64), want.view(np.int64))  # bits, not just ==


@SETTINGS
@given(scenarios(max_outcomes=3000), st.data())
def test_range_codes_equal_codes_of(doc: dict[str, Any], data: st.DataObject) -> None:
    space = _space(doc)
    start = data.draw(st.integers(0, space.size - 1))
    n = data.draw(st.integers(0, space.size - start))
    want = space.codes_of(np.arange(start, start + n))
    got = space.chunk_of_range(start, n)
    for k, iid in enumerate(space.issues):
        assert np.array_equal(got.columns[iid], want[:, k])


@SETTINGS
@given(scenarios())
def test_block_candidates_keep_every_frontier_outcome(doc: dict[str, Any]) -> None:
    space = _space(doc)
    inner = len(space.issues)  # one block: the whole space
    cand = block_candidates(space, inner)
    u = space.utility_matrix(space.chunk_of_codes(space.codes_of(np.arange(space.size))))
    undominated = np.flatnonzero(~dominated(u))
    assert set(undominated.tolist()) <= set(cand.tolist())
    assert np.all(np.diff(cand) > 0)


def test_candidates_prune_dominated_outcomes() -> None:
    """One issue, two parties: the option worse for both is never a candidate."""
    doc = {
        "id": "x",
        "title": "x",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [{"id": "i", "kind": "choice", "options": ["lo", "mid", "hi"]}],
        "positions": {
            "a": {"priorities": {"i": {"weight": 1, "values": {"lo": 0, "mid": 0.5, "hi": 1}}}},
            "b": {"priorities": {"i": {"weight": 1, "values": {"lo": 0, "mid": 1, "hi": 0.5}}}},
        },
    }
    assert block_candidates(_space(doc), 1).tolist() == [1, 2]

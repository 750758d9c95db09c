"""The additive merge frontier equals a brute-force enumeration, on random scenarios."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import integers, sampled, sampled_list

from deal.pairwise import dominated
from detente.deal.frontier import FrontierPoints
from detente.deal.merge import additive_frontier
from detente.scenario.loader import load_data
from detente.space.demands import acceptable
from detente.space.dominance import _covered_dc, covered
from detente.space.outcomes import OutcomeSpace

# values and weights chosen so that sums such as 0.1 + 0.2 vs 0.3 create float near-ties
VALUES = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.5, 1.0]


@cache
def _integer_values(lo: int, hi: int) -> st.SearchStrategy[Any]:
    """Values of an integer issue: monotone, or a curve of two points (built once)."""
    return st.one_of(
        sampled("increasing", "decreasing"),
        st.lists(sampled_list(VALUES), min_size=2, max_size=2).map(
            lambda v: [[lo, v[0]], [hi + 1, v[1]]]
        ),
    )


@st.composite
def additive_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A random scenario: 1-4 issues, 2-4 parties, unary red lines, reservations."""
    issues: list[dict[str, Any]] = []
    for i in range(draw(integers(1, 4))):
        kind = draw(sampled("choice", "boolean", "integer"))
        if kind == "choice":
            n = draw(integers(1, 4))
            issues.append({"id": f"i{i}", "kind": "choice", "options": [f"o{j}" for j in range(n)]})
        elif kind == "boolean":
            issues.append({"id": f"i{i}", "kind": "boolean"})
        else:
            lo = draw(integers(-2, 3))
            issues.append(
                {"id": f"i{i}", "kind": "integer", "range": [lo, lo + draw(integers(0, 4))]}
            )
    parties = [f"p{j}" for j in range(draw(integers(2, 4)))]
    positions: dict[str, Any] = {}
    for p in parties:
        pri: dict[str, Any] = {}
        for issue in issues:
            w = draw(sampled_list(WEIGHTS))
            if issue["kind"] == "integer":
                lo, hi = issue["range"]
                vals: Any = draw(_integer_values(lo, hi))
            else:
                opts = issue["options"] if issue["kind"] == "choice" else ["true", "false"]
                vals = {o: draw(sampled_list(VALUES)) for o in opts}
            pri[issue["id"]] = {"weight": w, "values": vals}
        if sum(v["weight"] for v in pri.values()) == 0:
            pri[issues[0]["id"]]["weight"] = 1.0
        red = []
        for r in range(draw(integers(0, 2))):
            issue = draw(st.sampled_from(issues))
            red.append({"id": f"r{r}", "rule": draw(_unary_rule(issue))})
        positions[p] = {
            "priorities": pri,
            "red_lines": red,
            "reservation": draw(sampled(0.0, 0.0, 0.2, 0.4, 0.5)),
        }
    return {
        "id": "random",
        "title": "random additive scenario",
        "parties": [{"id": p, "name": p} for p in parties],
        "issues": issues,
        "positions": positions,
    }


@st.composite
def _unary_rule(draw: st.DrawFn, issue: dict[str, Any]) -> str:
    iid = issue["id"]
    if issue["kind"] == "boolean":
        return draw(sampled(iid, f"not {iid}", f"{iid} == true"))
    if issue["kind"] == "choice":
        o = draw(sampled_list(issue["options"]))
        return draw(sampled_list([f"{iid} != '{o}'", f"{iid} == '{o}'", f"{iid} in ['{o}']"]))
    lo, hi = issue["range"]
    x = draw(integers(lo, hi))
    return draw(sampled(f"{iid} >= {x}", f"{iid} <= {x}", f"{iid} * 2 != {x}"))


def brute_force(space: OutcomeSpace, zopa: bool, tie_limit: int) -> list[tuple[Any, ...]]:
    """(utilities, count, ties) per frontier point, by enumerating with itertools."""
    rows = np.array(
        list(itertools.product(*(space.issue_codes(k) for k in range(len(space.issues))))),
        dtype=np.int64,
    ).reshape(-1, len(space.issues))
    chunk = space.chunk_of_codes(rows)
    u = space.utility_matrix(chunk)
    if zopa:
        ok = np.all(np.stack(list(acceptable(space, chunk, utility=u).values())), axis=0)
        rows, u = rows[ok], u[ok]
    undominated = ~dominated(u)
    out: dict[tuple[float, ...], list[tuple[int, ...]]] = {}
    for vec, codes in zip(u[undominated], rows[undominated], strict=True):
        out.setdefault(tuple(vec), []).append(tuple(codes))  # enumeration order = index order
    return sorted(((v, len(c), c[:tie_limit]) for v, c in out.items()), reverse=True)


def as_points(f: FrontierPoints) -> list[tuple[Any, ...]]:
    return [
        (tuple(v), c, [tuple(t) for t in ties])
        for v, c, ties in zip(f.utilities, f.counts, f.ties, strict=True)
    ]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(additive_scenarios(), st.booleans(), st.sampled_from([1, 2, 10]))
def test_merge_equals_enumeration(data: dict[str, Any], zopa: bool, tie_limit: int) -> None:
    space = OutcomeSpace(load_data(data))
    got = additive_frontier(space, zopa=zopa, tie_limit=tie_limit)
    assert got is not None
    assert got.method == "additive-merge"
    want = brute_force(space, zopa, tie_limit)
    assert as_points(got) == want
    assert [tuple(c) for c in got.codes] == [w[2][0] for w in want]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda k: st.tuples(
            st.lists(st.lists(st.integers(0, 3), min_size=k, max_size=k), min_size=1, max_size=30),
            st.lists(st.lists(st.integers(0, 3), min_size=k, max_size=k), min_size=1, max_size=30),
        )
    )
)
def test_covered_matches_pairwise(pair: tuple[list[list[int]], list[list[int]]]) -> None:
    data = np.array(pair[0], dtype=np.float64)
    queries = np.array(pair[1], dtype=np.float64)
    want = np.all(data[None, :, :] >= queries[:, None, :], axis=2).any(axis=1)
    assert np.array_equal(covered(data, queries), want)
    if queries.shape[1] >= 3:
        assert np.array_equal(_covered_dc(data, queries), want)

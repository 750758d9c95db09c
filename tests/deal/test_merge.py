"""Hand-checked cases of the additive merge frontier, and where it must decline."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from detente.deal.frontier import FrontierBuilder
from detente.deal.merge import additive_frontier
from detente.scenario.loader import loads
from detente.space.dominance import _covered_dc, covered
from detente.space.outcomes import OutcomeSpace

SALARY = (Path(__file__).parents[1] / "data" / "salary.yaml").read_text()
UNARY_SALARY = SALARY.replace("raise <= 5 or term == 'three_years'", "raise <= 5")


def space(text: str) -> OutcomeSpace:
    return OutcomeSpace(loads(text))


def terms(sp: OutcomeSpace, codes: np.ndarray) -> list[tuple[object, ...]]:
    return [tuple(sp.terms(c).values()) for c in codes]


def test_salary_whole_space_by_hand() -> None:
    # union: 0.6 raise/10 + 0.3 term + 0.1 remote, worst 0.06, best 1; firm: 0.7 (10-raise)/10
    # + 0.3 term, worst 0.15, best 1. Remote true is free for the union, so every point has it;
    # two years beats one year for both; three years only pays at raises 0 and 1.
    sp = space(SALARY)
    f = additive_frontier(sp, zopa=False)
    assert f is not None
    got = terms(sp, f.codes)
    want = [(r, "two_years", True) for r in range(10, -1, -1)]
    want += [(1, "three_years", True), (0, "three_years", True)]
    assert got == want
    assert f.counts == (1,) * 13
    assert f.utilities[0, 0] == 1.0
    assert f.utilities[0, 1] == pytest.approx((0.3 * 0.7 - 0.15) / 0.85)
    assert f.utilities[-1, 0] == pytest.approx((0.3 * 0.6 + 0.1 - 0.06) / 0.94)


def test_salary_zopa_with_unary_red_lines_by_hand() -> None:
    # raise in [3, 5]; (5, three years) ties (3, two years) for the union and loses for the firm
    sp = space(UNARY_SALARY)
    f = additive_frontier(sp, zopa=True)
    assert f is not None
    assert terms(sp, f.codes) == [
        (5, "two_years", True),
        (4, "two_years", True),
        (3, "two_years", True),
        (4, "three_years", True),
        (3, "three_years", True),
    ]
    stricter = space(UNARY_SALARY.replace("reservation: 0.4", "reservation: 0.5"))
    g = additive_frontier(stricter, zopa=True)
    assert g is not None
    assert terms(stricter, g.codes) == [
        (5, "two_years", True),
        (4, "two_years", True),
        (3, "two_years", True),
    ]


def test_declines_cross_issue_and_derived_red_lines() -> None:
    assert additive_frontier(space(SALARY), zopa=True) is None
    derived = UNARY_SALARY.replace(
        "positions:", "derived:\n  - {id: double, expr: 'raise * 2'}\npositions:"
    ).replace('rule: "raise >= 3"', 'rule: "double >= 6"')
    assert additive_frontier(space(derived), zopa=True) is None
    assert additive_frontier(space(derived), zopa=False) is not None  # red lines unused


def test_empty_zopa() -> None:
    clash = UNARY_SALARY.replace("raise <= 5", "raise <= 2")
    f = additive_frontier(space(clash), zopa=True)
    assert f is not None and len(f) == 0 and f.counts == ()
    never = UNARY_SALARY.replace("raise <= 5", "1 == 2")
    g = additive_frontier(space(never), zopa=True)
    assert g is not None and len(g) == 0


def test_ties_counted_beyond_int64() -> None:
    # 63 boolean issues nobody cares about: every outcome ties at (1, 1)
    issues = "\n".join(f"  - {{id: b{i}, kind: boolean}}" for i in range(63))
    text = f"""
id: many
title: many ties
parties: [{{id: a, name: A}}, {{id: b, name: B}}]
issues:
  - {{id: x, kind: integer, range: [0, 3]}}
{issues}
positions:
  a: {{priorities: {{x: {{weight: 1, values: increasing}}}}}}
  b: {{priorities: {{x: {{weight: 1, values: increasing}}}}}}
"""
    f = additive_frontier(space(text), zopa=False, tie_limit=3)
    assert f is not None
    assert f.counts == (2**63,)
    assert f.codes.tolist() == [[3] + [0] * 63]
    assert f.ties[0].tolist() == [[3] + [0] * 63, [3] + [0] * 62 + [1], [3] + [0] * 61 + [1, 0]]


@pytest.mark.parametrize(("n_parties", "n_issues"), [(3, 5), (4, 4)])
def test_many_parties_match_chunked_enumeration(n_parties: int, n_issues: int) -> None:
    rng = np.random.default_rng(n_parties)
    opts = ", ".join(f"o{j}" for j in range(6))
    issues = "\n".join(
        f"  - {{id: i{i}, kind: choice, options: [{opts}]}}" for i in range(n_issues)
    )

    def pri() -> str:
        items = [
            f"i{i}: {{weight: {rng.integers(1, 9)}, values: {{"
            + ", ".join(f"o{j}: {rng.integers(0, 11) / 10}" for j in range(6))
            + "}}"
            for i in range(n_issues)
        ]
        return "{" + ", ".join(items) + "}"

    parties = ", ".join(f"{{id: p{j}, name: P{j}}}" for j in range(n_parties))
    positions = "\n".join(f"  p{j}: {{priorities: {pri()}}}" for j in range(n_parties))
    text = (
        f"id: many\ntitle: many\nparties: [{parties}]\nissues:\n{issues}\npositions:\n{positions}\n"
    )
    sp = space(text)
    f = additive_frontier(sp, zopa=False)
    assert f is not None
    fb = FrontierBuilder(n_parties, n_issues)
    for ch in sp.chunks(1000):
        fb.add(sp.utility_matrix(ch), ch.codes(sp.issues))
    e = fb.result()
    assert len(f) > 20
    assert np.array_equal(f.utilities, e.utilities)
    assert f.counts == e.counts
    assert all(np.array_equal(a, b) for a, b in zip(f.ties, e.ties, strict=True))


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_covered_on_larger_inputs(k: int) -> None:
    rng = np.random.default_rng(k)
    top = 400 if k == 2 else 40 if k == 3 else 12  # keep some queries uncovered
    data = rng.integers(0, top, size=(700, k)).astype(np.float64)
    queries = rng.integers(0, top, size=(500, k)).astype(np.float64)
    want = np.all(data[None, :, :] >= queries[:, None, :], axis=2).any(axis=1)
    assert 0 < want.sum() < len(want)
    assert np.array_equal(covered(data, queries), want)
    if k >= 3:  # the divide-and-conquer path (used above the pairwise budget)
        assert np.array_equal(_covered_dc(data, queries), want)


def test_float_near_tie_is_a_tie() -> None:
    # a: 0.1 + 0.2 on (p, p) and 0.3 + 0.0 on (q, q): equal in exact arithmetic, 1e-16 apart
    # in floats, so the (p, p) partial sum "dominates" the (q, q) one by rounding noise.
    # Canonical utilities tie them; the merge must not prune (q, q) on that noise.
    text = """
id: near-tie
title: near tie
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: x, kind: choice, options: [p, q]}
  - {id: y, kind: choice, options: [p, q]}
positions:
  a: {priorities: {x: {weight: 1, values: {p: 0.1, q: 0.3}}, y: {weight: 1, values: {p: 0.2, q: 0.0}}}}
  b: {priorities: {x: {weight: 1, values: {p: 1, q: 0}}, y: {weight: 1, values: {p: 0, q: 1}}}}
"""
    sp = space(text)
    ua = sp.utilities["a"]
    t0, t1 = ua.issue_table(0, sp.issue_codes(0)), ua.issue_table(1, sp.issue_codes(1))
    assert ua.offset + t0[0] + t1[0] != ua.offset + t0[1] + t1[1]  # the noise is real
    f = additive_frontier(sp, zopa=False)
    assert f is not None
    assert f.counts == (1, 2, 1)
    assert f.ties[1].tolist() == [[0, 0], [1, 1]]
    assert f.utilities[1].tolist() == pytest.approx([0.5, 0.5])


def test_a_huge_tie_limit_allocates_only_what_the_ties_need() -> None:
    # one frontier point shared by 3^5 = 243 outcomes; a limit of 10^9 must not size
    # the tie tables by the limit (that would need terabytes), only by the ties
    doc = {
        "id": "ties",
        "title": "ties",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [{"id": f"i{k}", "kind": "choice", "options": ["x", "y", "z"]} for k in range(6)],
        "positions": {
            "a": {"priorities": {"i0": {"weight": 1, "values": {"x": 1.0}}}},
            "b": {"priorities": {"i0": {"weight": 1, "values": {"y": 1.0}}}},
        },
    }
    space = OutcomeSpace(loads(json.dumps(doc)))
    small = additive_frontier(space, zopa=False, tie_limit=243)
    huge = additive_frontier(space, zopa=False, tie_limit=10**9)
    assert small is not None and huge is not None
    assert list(huge.counts) == [243, 243]  # i0 = x (best for a), i0 = y (best for b)
    assert [len(t) for t in huge.ties] == [243, 243]
    assert [np.asarray(t).tolist() for t in huge.ties] == [
        np.asarray(t).tolist() for t in small.ties
    ]

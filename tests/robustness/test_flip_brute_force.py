"""Exact reservation flips against a brute-force grid search, on random small scenarios.

The oracle enumerates the space with :class:`~detente.space.outcomes.OutcomeSpace`
(utilities and red-line masks of the point analysis, not the robustness model) and
tries every reservation vector on a grid within the ranges: the smallest L-inf move on
the grid that reverses "some outcome meets every demand" can be no smaller than the
exact distance, and is within one grid step of it.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from tests.strategies import deal_scenario_documents, examples

from detente.robustness.analysis import analyze_robustness
from detente.scenario.checked import Scenario
from detente.space.outcomes import OutcomeSpace

STEP = 0.02


def _brute(s: Scenario, ranges: dict[str, tuple[float, float]]) -> float | None:
    space = OutcomeSpace(s)
    ch = next(space.chunks(10**6))
    u = space.utility_matrix(ch)
    ok = np.ones(ch.n, dtype=np.bool_)
    for m in space.red_line_masks(ch).values():
        ok &= m
    u = u[ok]
    r0 = space.reservations
    axes = []
    for j, p in enumerate(space.parties):
        lo, hi = ranges.get(p, (r0[j], r0[j]))
        axes.append(np.unique(np.append(np.arange(lo, hi + 1e-12, STEP), r0[j])))
    holds0 = bool(len(u)) and bool((u >= r0).all(axis=1).any())
    best = None
    for r in itertools.product(*axes):
        rv = np.array(r)
        now = bool(len(u)) and bool((u >= rv).all(axis=1).any())
        if now != holds0:
            d = float(np.abs(rv - r0).max())
            best = d if best is None else min(best, d)
    return best


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(doc=deal_scenario_documents(max_parties=2, max_outcomes=60))
def test_exact_zopa_flip_matches_the_grid(doc: dict[str, Any]) -> None:
    doc.pop("_conditions", None)
    s = Scenario.from_data(doc)
    ranges = {}
    entries = []
    for p in s.bargainers:
        r = s.positions[p].reservation.value
        lo, hi = max(0.0, r - 0.2), min(1.0, r + 0.2)
        ranges[p] = (lo, hi)
        entries.append({"of": f"{p}.reservation", "range": [lo, hi]})
    doc = {**doc, "uncertainty": entries}
    s = Scenario.from_data(doc)
    res = analyze_robustness(s, draws=50, seed=0, intervals=False)
    z = next(c for c in res.conclusions if c.id == "zopa-nonempty")
    brute = _brute(s, ranges)
    if z.assumption_free:
        assert brute is None
        return
    if z.flip is None:
        assert brute is None
        return
    assert brute is not None
    assert brute >= z.flip.distance - 1e-9
    assert brute <= z.flip.distance + STEP + 1e-9


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(doc=deal_scenario_documents(max_parties=3, max_outcomes=60))
def test_linear_verdicts_agree_with_the_draws(doc: dict[str, Any]) -> None:
    doc.pop("_conditions", None)
    base = Scenario.from_data(doc)
    entries: list[dict[str, Any]] = []
    for p in base.bargainers:
        pos = base.positions[p]
        r = pos.reservation.value
        entries.append({"of": f"{p}.reservation", "range": [max(0.0, r - 0.2), min(1.0, r + 0.2)]})
        for iid, pr in pos.priorities.items():
            if pr.weight > 0:
                entries.append(
                    {"of": f"{p}.weight.{iid}", "range": [pr.weight / 2, pr.weight * 1.5]}
                )
    s = Scenario.from_data({**doc, "uncertainty": entries})
    res = analyze_robustness(s, draws=400, seed=1, intervals=False)
    z = next(c for c in res.conclusions if c.id == "zopa-nonempty")
    if z.verdict == "never":
        assert z.support == 0.0
    elif z.verdict == "necessarily":
        assert z.support == 1.0
    elif z.verdict == "possibly":
        assert z.support > 0.0 or not z.holds  # a box point opens it (closed form)
        assert z.support < 1.0 or z.holds

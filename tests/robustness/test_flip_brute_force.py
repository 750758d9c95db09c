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
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import deal_scenario_documents, examples

from detente.robustness.analysis import analyze_robustness
from detente.scenario.checked import Scenario
from detente.space.outcomes import OutcomeSpace

STEP = 0.02
# the tests read flips, verdicts and supports, not the deals' confidence factors: few
# confidence draws (the same code path; the default 1,000 per value was 20-30 % of a run)
CONF = {"confidence_draws": 10}


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
    res = analyze_robustness(s, draws=50, seed=0, intervals=False, **CONF)
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


def _boxed(doc: dict[str, Any], reservation: float, w_lo: float, w_hi: float) -> Scenario:
    """``doc`` with every reservation varied by +/- ``reservation`` (within [0, 1]) and
    every positive weight w over [w_lo w, w_hi w]."""
    doc.pop("_conditions", None)
    base = Scenario.from_data(doc)
    entries: list[dict[str, Any]] = []
    for p in base.bargainers:
        pos = base.positions[p]
        r = pos.reservation.value
        entries.append(
            {
                "of": f"{p}.reservation",
                "range": [max(0.0, r - reservation), min(1.0, r + reservation)],
            }
        )
        for iid, pr in pos.priorities.items():
            if pr.weight > 0:
                entries.append(
                    {"of": f"{p}.weight.{iid}", "range": [pr.weight * w_lo, pr.weight * w_hi]}
                )
    return Scenario.from_data({**doc, "uncertainty": entries})


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(doc=deal_scenario_documents(max_parties=3, max_outcomes=60))
def test_linear_verdicts_agree_with_the_draws(doc: dict[str, Any]) -> None:
    s = _boxed(doc, 0.2, 0.5, 1.5)
    res = analyze_robustness(s, draws=400, seed=1, intervals=False, **CONF)
    z = next(c for c in res.conclusions if c.id == "zopa-nonempty")
    if z.verdict == "never":
        assert z.support == 0.0
    elif z.verdict == "necessarily":
        assert z.support == 1.0
    elif z.verdict == "possibly":
        assert z.support > 0.0 or not z.holds  # a box point opens it (closed form)
        assert z.support < 1.0 or z.holds


def _gap_holds_at(s: Scenario, keys: tuple[str, ...], point: dict[str, float]) -> bool:
    """Whether the demands ``keys`` are a minimal conflict with the numbers of ``point``.

    Independent of the robustness model: the point analysis' space with the scenario
    rewritten to the point (weights and reservations), every outcome enumerated.
    """
    doc = s.document.model_dump(mode="json", exclude_none=True, by_alias=True)
    for addr, x in point.items():
        party, what, *rest = addr.split(".")
        pos = doc["positions"][party]
        if what == "reservation":
            pos["reservation"] = x if not isinstance(pos["reservation"], dict) else {
                **pos["reservation"], "value": x}  # fmt: skip
        else:
            pos["priorities"][rest[0]]["weight"] = x
    t = Scenario.from_data(doc)
    space = OutcomeSpace(t)
    ch = next(space.chunks(10**6))
    u = space.utility_matrix(ch)
    masks = space.red_line_masks(ch)

    def met(ks: tuple[str, ...]) -> bool:
        ok = np.ones(ch.n, dtype=np.bool_)
        for k in ks:
            party, rid = k.split("/")
            if rid == "reservation":
                j = space.parties.index(party)
                ok &= u[:, j] >= space.reservations[j]
            else:
                ok &= masks[(party, rid)]
        return bool(ok.any())

    return not met(keys) and all(met(tuple(k for k in keys if k != d)) for d in keys)


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(doc=deal_scenario_documents(max_parties=2, max_outcomes=60), seed=st.integers(0, 99))
def test_a_necessary_gap_holds_at_every_corner_and_draw(doc: dict[str, Any], seed: int) -> None:
    s = _boxed(doc, 0.3, 0.3, 1.7)
    # few draws: a gap that fails somewhere in the ranges often holds in all of them, so
    # "necessarily" must come from the closed form, not from the draws
    res = analyze_robustness(s, draws=5, seed=seed, intervals=False, **CONF)
    rng = np.random.default_rng(seed)
    varied = res.varied
    for c in res.conclusions:
        if c.kind != "gap" or c.verdict != "necessarily" or c.assumption_free:
            continue
        keys = tuple(c.id.removeprefix("gap:").split("+"))
        corners = list(itertools.product(*[(v["lo"], v["hi"]) for v in varied]))
        if len(corners) > 64:
            corners = [tuple(rng.choice([v["lo"], v["hi"]]) for v in varied) for _ in range(64)]
        inner = [tuple(rng.uniform(v["lo"], v["hi"]) for v in varied) for _ in range(16)]
        for pt in corners + inner:
            point = {v["of"]: float(x) for v, x in zip(varied, pt, strict=True)}
            assert _gap_holds_at(s, keys, point), (c.id, point)


HAND = """\
id: hand-gap
title: Three demands that clash only together (illustrative)
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: x, kind: integer, range: [0, 10]}
positions:
  a:
    priorities: {x: {weight: 1.0, values: increasing}}
    reservation: RES
  b:
    red_lines: [{id: not-five, rule: "x != 5", firmness: 3}]
    priorities: {x: {weight: 1.0, values: decreasing}}
    reservation: 0.5
uncertainty:
  - {of: a.reservation, range: [RANGE]}
"""


@pytest.mark.parametrize(
    ("res", "lo_hi", "verdict"),
    [
        # u_a = x/10, u_b = 1 - x/10: only x = 5 meets both reservations whatever a's in
        # [0.42, 0.48], and b's red line forbids it; each two of the three demands can
        # hold at every point (x = 5, 6, 4): a minimal conflict throughout
        ("0.45", "0.42, 0.48", "necessarily"),
        # above 0.5 a's reservation clashes with b's on its own: the three are then no
        # longer a minimal conflict, although they are one at the estimate
        ("0.5", "0.45, 0.55", None),
        # down at 0.4, x = 4 meets all three: the conflict opens inside the ranges
        ("0.5", "0.4, 0.5", None),
    ],
)
def test_a_gap_whose_part_clashes_inside_the_ranges_is_not_necessary(
    res: str, lo_hi: str, verdict: str | None
) -> None:
    from detente.analysis.composite import analyze
    from detente.robustness.build import build_conclusions
    from detente.robustness.exact import linear_verdict
    from detente.robustness.model import compile_model
    from detente.scenario.uncertainty_checks import resolve_uncertainty

    s = Scenario.from_data(yaml.safe_load(HAND.replace("RES", res).replace("RANGE", lo_hi)))
    unc = resolve_uncertainty(s.document)
    model = compile_model(s, unc)
    cs = build_conclusions(model, analyze(s), unc)
    gap = next(c for c in cs.conclusions if c.kind == "gap")
    assert set(gap.keys) == {"a/reservation", "b/not-five", "b/reservation"}
    assert linear_verdict(model, unc, gap, 1.0)[0] == verdict

"""Analytic cases: uniform reservation support, exact flip distances, Wilson, 1/2 each."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from tests.robustness.conftest import analytic

import detente
from detente.analysis.composite import analyze
from detente.robustness.analysis import analyze_robustness
from detente.robustness.apply import apply_draw
from detente.robustness.results import wilson
from detente.scenario.checked import Scenario


def _zopa(r: object) -> object:
    return next(c for c in r.conclusions if c.id == "zopa-nonempty")  # type: ignore[attr-defined]


@pytest.mark.parametrize("estimate", [0.6, 0.8])
def test_uniform_reservation_support_is_m_minus_lo_over_hi_minus_lo(estimate: float) -> None:
    # r ~ U[0.5, 0.9] against m = 0.7: a deal in (0.7 - 0.5) / (0.9 - 0.5) = 1/2 of draws
    r = analyze_robustness(analytic(estimate), draws=20_000, seed=3, intervals=False)
    z = _zopa(r)
    assert abs(z.support - 0.5) < 0.02
    assert z.ci[0] < 0.5 < z.ci[1]
    assert z.verdict == "possibly"


@pytest.mark.parametrize(("estimate", "holds"), [(0.8, False), (0.62, True)])
def test_flip_distance_is_m_minus_r_and_exact(estimate: float, holds: bool) -> None:
    s = analytic(estimate)
    r = analyze_robustness(s, draws=1000, seed=0, intervals=False)
    z = _zopa(r)
    assert z.holds is holds
    assert z.flip is not None and z.flip.exact
    assert z.flip.distance == pytest.approx(abs(0.7 - estimate), abs=1e-8)
    ((address, value),) = z.flip.changes.items()
    assert address == "a.reservation"

    def deal_with(x: float) -> bool:
        doc = apply_draw(s.document, {"a.reservation": x})
        a = analyze(Scenario.from_document(doc))
        assert a.deal is not None
        return not a.deal.zopa.empty

    assert deal_with(value) is not holds  # the reported change reverses it
    assert deal_with(estimate + 0.99 * (value - estimate)) is holds  # 0.99 of it does not


def test_the_stability_interval_of_the_reservation_is_exact_to_1e6() -> None:
    r = analyze_robustness(analytic(0.6), draws=200, seed=0)
    (iv,) = _zopa(r).intervals
    assert iv.lo == 0.5 and iv.hi == pytest.approx(0.7, abs=1e-6)
    assert _zopa(r).critical is iv


def test_wilson_interval() -> None:
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = wilson(50, 100)
    assert (lo, hi) == (pytest.approx(0.4038, abs=1e-4), pytest.approx(0.5962, abs=1e-4))


TWO = textwrap.dedent(
    """\
    id: two
    title: Two alternatives, values uniform (illustrative)
    parties: [{id: a, name: A}, {id: b, name: B}]
    issues:
      - {id: pick, kind: choice, options: [o1, o2]}
    positions:
      a:
        priorities: {pick: {weight: 1.0, values: {o1: 0.5, o2: 0.4}}}
        reservation: 0.0
      b:
        priorities: {pick: {weight: 1.0, values: {o1: 0.3, o2: 0.3}}}
        reservation: 0.0
    uncertainty:
      - {of: a.value.pick.o1, range: [0.0, 1.0]}
      - {of: a.value.pick.o2, range: [0.0, 1.0]}
    """
)


def test_two_alternatives_under_uniform_values_have_acceptability_one_half() -> None:
    r = analyze_robustness(detente.loads(TWO, "two.yaml"), draws=20_000, seed=5, intervals=False)
    nash = next(c for c in r.conclusions if c.id == "nash-deal")
    assert nash.acceptability is not None
    shares = {v.value: v.share for v in nash.acceptability}
    assert set(shares) == {"pick=o1", "pick=o2"}
    assert all(abs(x - 0.5) < 0.015 for x in shares.values())
    # SMAA central vector: o1 wins where its value is the larger one
    central = {v.value: v.central for v in nash.acceptability}
    assert central["pick=o1"]["a.value.pick.o1"] > central["pick=o1"]["a.value.pick.o2"]
    assert np.isclose(central["pick=o1"]["a.value.pick.o1"], 2 / 3, atol=0.02)


THREE = textwrap.dedent(
    """\
    id: three
    title: Three alternatives on two criteria, weights uniform on the simplex (illustrative)
    parties: [{id: a, name: A}]
    issues:
      - {id: x, kind: choice, options: [A, B, C]}
      - {id: y, kind: choice, options: [A, B, C]}
    positions:
      a:
        red_lines:
          - {id: same, rule: "(x == 'A' and y == 'A') or (x == 'B' and y == 'B') or (x == 'C' and y == 'C')"}
        priorities:
          x: {weight: 0.5, values: {A: 1.0, B: 0.0, C: 0.6}}
          y: {weight: 0.5, values: {A: 0.0, B: 1.0, C: 0.6}}
        reservation: 0.0
    uncertainty:
      - {of: a.weights, dirichlet: 2}
    """
)


def test_smaa2_three_alternatives_hand_computed() -> None:
    # u = t*v_x + (1-t)*v_y with t = w_x uniform on [0, 1] (Dirichlet(1, 1)):
    # A = t wins for t > 0.6, B = 1 - t for t < 0.4, C = 0.6 between: 0.4, 0.4, 0.2;
    # central weights (0.8, 0.2), (0.2, 0.8), (0.5, 0.5); confidence factors 1
    r = analyze_robustness(detente.loads(THREE, "three.yaml"), draws=40_000, seed=2,
                           intervals=False)  # fmt: skip
    nash = next(c for c in r.conclusions if c.id == "nash-deal")
    assert nash.acceptability is not None
    got = {v.value.split(",")[0]: v for v in nash.acceptability}
    want = {"x=A": (0.4, 0.8), "x=B": (0.4, 0.2), "x=C": (0.2, 0.5)}
    assert set(got) == set(want)
    for key, (share, wx) in want.items():
        v = got[key]
        assert abs(v.share - share) < 0.01, key
        assert abs(v.central["a.weight.x"] - wx) < 0.01, key
        assert abs(v.central["a.weight.x"] + v.central["a.weight.y"] - 1.0) < 1e-9
        assert v.confidence == 1.0

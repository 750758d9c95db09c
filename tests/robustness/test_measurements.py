"""Stochastic measurements in the uncertainty section: normal, lognormal and ``scale``."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import detente
from detente.errors import ScenarioError
from detente.report.json.robustness import robustness_document
from detente.robustness.analysis import analyze_robustness
from detente.robustness.sampling import draw_chunk
from detente.scenario.uncertainty import UncertaintyEntry
from detente.scenario.uncertainty_checks import load_uncertainty, resolve_uncertainty

# one party, one issue with two options: the deal is the option of higher value
BASE = textwrap.dedent(
    """\
    id: m
    title: m
    parties: [{id: a, name: A}]
    issues:
      - {id: y, kind: choice, options: [o1, o2]}
    positions:
      a:
        priorities:
          y: {weight: 1.0, values: {o1: 0.5, o2: 0.4}}
        reservation: 0.0
    uncertainty:
    """
)
FIRST = BASE.count("\n") + 1  # the line of the first entry
TWO = "  - {of: a.value.y.o1, normal: [5, 1], scale: [0, 10]}\n" \
      "  - {of: a.value.y.o2, normal: [4, 1.5], scale: [0, 10]}\n"  # fmt: skip
Z999 = 3.2905267314919255  # standard normal quantile of 0.9995


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _ks_normal(x: np.ndarray, mean: float, sd: float) -> bool:
    """One-sample Kolmogorov-Smirnov against N(mean, sd) at alpha 0.01 (D < 1.628 / sqrt n)."""
    x = np.sort(x)
    n = len(x)
    cdf = np.array([_phi((v - mean) / sd) for v in x])
    d = max((np.arange(1, n + 1) / n - cdf).max(), (cdf - np.arange(n) / n).max())
    return bool(d < 1.628 / math.sqrt(n))


# P(value of o1 > value of o2): the difference is N(0.1, 0.1^2 + 0.15^2)
P_O1 = _phi(0.1 / math.hypot(0.1, 0.15))


def _load(entries: str) -> detente.Scenario:
    return detente.loads(BASE + entries, "m.yaml")


def _problem(entries: str) -> tuple[int, str, str]:
    with pytest.raises(ScenarioError) as err:
        _load(entries)
    (p,) = err.value.problems
    assert p.file == "m.yaml"
    return p.line or 0, p.message, p.hint or ""


def test_a_normal_measurement_resolves_to_values_with_its_central_interval() -> None:
    (o1, o2) = resolve_uncertainty(_load(TWO).document).varied
    assert (o1.distribution, o1.estimate, o1.scale, o1.measurement) == (
        "normal", 0.5, (0.0, 10.0), (5.0, 1.0),
    )  # fmt: skip
    z = Z999
    assert (o1.lo, o1.hi) == pytest.approx(((5 - z) / 10, (5 + z) / 10), abs=1e-12)
    assert o1.measured and not o1.bounded and o2.measured


def test_measured_ranges_map_through_the_scale_lower_is_better() -> None:
    u = resolve_uncertainty(_load(
        "  - {of: a.value.y.o1, range: [4, 6], scale: [10, 0]}\n"
        "  - {of: a.value.y.o2, triangular: [5, 6, 8], scale: [10, 0]}\n"
    ).document)  # fmt: skip
    r, t = u.varied
    assert (r.distribution, r.lo, r.hi, r.measurement) == ("uniform", 0.4, 0.6, (4.0, 6.0))
    assert (t.distribution, t.lo, t.mode, t.hi) == pytest.approx(("triangular", 0.2, 0.4, 0.5))
    assert r.measured and r.bounded
    (wide,) = resolve_uncertainty(_load(
        "  - {of: a.value.y.o1, range: [4, 6], scale: [4.5, 5.5]}\n").document).varied  # fmt: skip
    assert (wide.lo, wide.hi) == (-0.5, 1.5)  # beyond [0, 1]: extrapolated, not refused


def test_a_lognormal_is_checked_at_its_median() -> None:
    mu = 0.086
    value = round((math.exp(mu) - 0.98) / (1.23 - 0.98), 3)
    src = (BASE.replace("o1: 0.5", f"o1: {value}")
           + f"  - {{of: a.value.y.o1, lognormal: [{mu}, 0.056], scale: [0.98, 1.23]}}\n")  # fmt: skip
    (v,) = resolve_uncertainty(detente.loads(src, "m.yaml").document).varied
    lo, hi = (math.exp(mu + s * Z999 * 0.056) for s in (-1, 1))
    assert (v.lo, v.hi) == pytest.approx(((lo - 0.98) / 0.25, (hi - 0.98) / 0.25))
    with pytest.raises(ScenarioError, match="at the median of this lognormal"):
        detente.loads(src.replace(f"o1: {value}", "o1: 0.5"), "m.yaml")


@pytest.mark.parametrize(
    ("entries", "offset", "message", "hint"),
    [
        ("  - {of: a.value.y.o1, normal: [5, 1]}\n", 0, "give 'scale: [worst, best]'", ""),
        ("  - {of: a.value.y.o1, normal: [5, -1], scale: [0, 10]}\n", 0, "must be >= 0", ""),
        ("  - {of: a.value.y.o1, lognormal: [0, -0.1], scale: [0, 10]}\n", 0, "sigma", ""),
        ("  - {of: a.value.y.o1, normal: [5, 1], scale: [3, 3]}\n", 0, "must differ", ""),
        ("  - {of: a.weights, dirichlet: 2, scale: [0, 1]}\n", 0, "not with 'dirichlet'", ""),
        ("  - {of: a.reservation, normal: [0.1, 0.01], scale: [0, 1]}\n", 0,
         "a.reservation is a reservation", "range or triangular"),
        ("  - {of: a.weight.y, lognormal: [0, 0.1], scale: [0, 1]}\n", 0,
         "a.weight.y is a weight", "range or triangular"),
        ("  - {of: a.reservation, range: [0, 0.2], scale: [0, 1]}\n", 0, "'scale' describes", ""),
        ("  - {of: a.value.y.o1, normal: [6, 1], scale: [0, 10]}\n", 0,
         "not the value 0.6 at the median", "o1: 0.600"),
        ("  - {of: a.value.y.o1, range: [6, 8], scale: [0, 10]}\n", 0,
         "do not contain the stated value 0.5", "move the range"),
        ("  - {of: a.value.y.o1, normal: [5, 1], scale: [0, 10]}\n"
         "  - {of: a.value.y.o2, normal: [4, 1], scale: [0, 20]}\n", 1,
         "differs from the scale [0, 10] of entry 0", "same scale"),
    ],
)  # fmt: skip
def test_refusals_are_located_with_a_hint(
    entries: str, offset: int, message: str, hint: str
) -> None:
    line, msg, got = _problem(entries)
    assert line == FIRST + offset
    assert message in msg
    assert hint in got


def test_draws_are_the_mapped_measurements_unclipped_and_prefix_stable() -> None:
    u = resolve_uncertainty(_load(
        "  - {of: a.value.y.o1, normal: [5, 1], scale: [4.5, 5.5]}\n"
        "  - {of: a.value.y.o2, normal: [4.9, 0], scale: [4.5, 5.5]}\n"
    ).document)  # fmt: skip
    d = draw_chunk(u.varied, 3, 0, 1000)
    assert np.array_equal(d[:100], draw_chunk(u.varied, 3, 0, 100))
    x = 4.5 + d[:, 0]  # back to the measurement
    assert _ks_normal(x, 5, 1)
    assert d[:, 0].min() < 0 and d[:, 0].max() > 1  # extrapolated, as JSMAA, not clipped
    assert np.all(d[:, 1] == pytest.approx(0.4))  # sd 0: a fixed measurement


def test_lognormal_draws_have_a_normal_log() -> None:
    src = (BASE.replace("o1: 0.5", "o1: 0.447")
           + "  - {of: a.value.y.o1, lognormal: [0.086, 0.056], scale: [0.9765, 1.2301]}\n")  # fmt: skip
    u = resolve_uncertainty(detente.loads(src, "m.yaml").document)
    d = draw_chunk(u.varied, 0, 0, 1000)[:, 0]
    logs = np.log(0.9765 + d * (1.2301 - 0.9765))
    assert _ks_normal(logs, 0.086, 0.056)


def test_acceptability_and_confidence_draw_the_measurements() -> None:
    """Two options measured with normals: both descriptors are P(o1 best), analytically.

    The confidence factor holds the preference numbers (here: none) at the central
    vector and redraws the measurements, as SMAA-2 does; holding the measured values at
    their central vector too would give o1 a confidence of 1.
    """
    r = analyze_robustness(_load(TWO), draws=4000, seed=1, confidence_draws=4000)
    nash = next(c for c in r.conclusions if c.id == "nash-deal")
    assert nash.acceptability is not None
    by = {v.value: v for v in nash.acceptability}
    o1 = by["y=o1"]
    se = math.sqrt(P_O1 * (1 - P_O1) / 4000)
    assert abs(o1.share - P_O1) < 4 * se
    assert o1.confidence is not None and abs(o1.confidence - P_O1) < 4 * se * math.sqrt(2)
    assert by["y=o2"].confidence == pytest.approx(1 - o1.confidence)
    assert any("unbounded" in n for n in r.notes)
    for i in nash.intervals:  # searched over the central 99.9 % interval, never exact
        v = next(x for x in r.varied if x["of"] == i.address)
        assert i.range == (v["lo"], v["hi"]) and not i.exact
    doc = robustness_document(r)
    (first, _) = doc["varied"]
    assert (first["distribution"], first["scale"], first["measurement"]) == (
        "normal", [0.0, 10.0], [5.0, 1.0],
    )  # fmt: skip
    json.dumps(doc)


@given(
    worst=st.floats(-100, 100), span=st.floats(0.01, 100), down=st.booleans(),
    mean=st.floats(-100, 100), sd=st.floats(0, 10),
)  # fmt: skip
def test_the_scale_is_linear_and_the_central_interval_is_around_the_median(
    worst: float, span: float, down: bool, mean: float, sd: float
) -> None:
    best = worst - span if down else worst + span
    e = UncertaintyEntry(of="a.value.y.o1", normal=(mean, sd), scale=(worst, best))
    assert e.to_value(worst) == 0.0
    assert e.to_value(best) == pytest.approx(1.0)
    median = e.median
    assert median is not None and median == pytest.approx((mean - worst) / (best - worst))
    bounds = e.value_bounds()
    assert bounds is not None
    lo, hi = bounds
    tol = 1e-9 * (1 + abs(median))
    assert lo <= median + tol and median <= hi + tol
    assert hi - lo == pytest.approx(2 * Z999 * sd / span, rel=1e-9, abs=1e-9)


def test_a_fixed_measurement_off_its_stated_value_is_no_step_towards_a_flip() -> None:
    """sd 0 draws the median's value, 0.0003 from the stated one: a zero-width column."""
    from detente.analysis.composite import analyze
    from detente.robustness.build import build_conclusions
    from detente.robustness.model import compile_model
    from detente.robustness.runner import stats_of

    s = _load("  - {of: a.value.y.o1, normal: [5, 1], scale: [0, 10]}\n"
              "  - {of: a.value.y.o2, normal: [4.003, 0], scale: [0, 10]}\n")  # fmt: skip
    u = resolve_uncertainty(s.document)
    model = compile_model(s, u)
    cs = build_conclusions(model, analyze(s), u)
    d = draw_chunk(u.varied, 0, 0, 1000)
    st_ = stats_of(model, cs, u, d)
    j = cs.index("nash-deal")
    o1 = u.varied[0]
    flipped = d[:, 0] < d[:, 1]  # o2 wins
    want = (np.abs(d[flipped, 0] - o1.estimate) / (o1.hi - o1.lo)).min()
    assert st_.flip[j][0] == pytest.approx(want)


def test_an_uncertainty_file_with_measurements_is_checked_there(tmp_path: Path) -> None:
    s = _load("")
    good = tmp_path / "u.yaml"
    good.write_text("uncertainty:\n" + TWO)
    (e, _) = load_uncertainty(good, s.document)
    assert e.normal == (5, 1) and e.scale == (0, 10)
    bad = tmp_path / "bad.yaml"
    bad.write_text("uncertainty:\n  - of: a.value.y.o1\n    normal: [6, 1]\n    scale: [0, 10]\n")
    with pytest.raises(ScenarioError) as err:
        load_uncertainty(bad, s.document)
    (p,) = err.value.problems
    assert (p.file, p.line) == (str(bad), 3) and "at the median" in p.message

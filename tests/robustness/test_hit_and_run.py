"""Hit-and-run for weight orders that rejection cannot meet (issue 10, item 1).

Two regimes. Where both samplers work (acceptance 15-35 %), hit-and-run (forced) and
rejection draw the same distribution: two-sample Kolmogorov-Smirnov on every column at
alpha = 0.01 (fixed seeds: 10,000 draws each) and means within 1.5 % of the column's range
(about 3.7 standard errors of the difference for a uniform column); the same test on hit-and-run told to ignore the triangular densities fails it.
Far below 0.1 % (8 weights in one full chain: 1/8! = 0.0025 %), the run picks
hit-and-run, every draw meets the orders, draws are reproducible and prefix-stable, and
the marginals are those of the order statistics of 8 uniforms on [lo, hi]: mean
lo + (hi - lo) i / 9 for the i-th smallest (within 0.006, about 4 standard errors, at
10,000 draws) and standard deviation (hi - lo) sqrt(i (9 - i) / (81 * 10)) (within 3 %).
"""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

import detente
from detente.errors import DetenteError, ScenarioError
from detente.report.json.robustness import robustness_document
from detente.robustness import analyze_robustness
from detente.robustness.hit_and_run import chains, constrained_set
from detente.robustness.results import RobustnessResult
from detente.robustness.sampling import (
    CHUNK,
    HIT_AND_RUN,
    REJECTION,
    draw_constrained,
    hit_and_run_stream,
    n_streams,
    sampler,
)
from detente.scenario.uncertainty_checks import Varied

ALPHA = 0.01
MEAN_TOL = 0.015  # of the column's range (hi - lo)


def _ks(a: np.ndarray, b: np.ndarray) -> float:
    """Asymptotic two-sample KS p-value (Smirnov), so the tests need no scipy."""
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    d = np.abs(
        np.searchsorted(a, grid, side="right") / len(a)
        - np.searchsorted(b, grid, side="right") / len(b)
    ).max()
    en = math.sqrt(len(a) * len(b) / (len(a) + len(b)))
    lam = (en + 0.12 + 0.11 / en) * d
    p = 2 * sum((-1) ** (j - 1) * math.exp(-2 * j * j * lam * lam) for j in range(1, 101))
    return float(min(1.0, max(0.0, p)))


def _run(varied, orders, seed, method, chunks=10):
    return np.concatenate(
        [draw_constrained(varied, orders, seed, k, CHUNK, method=method)[0] for k in range(chunks)]
    )


def _w(name: str, est: float, lo: float, hi: float, **kw) -> Varied:
    return Varied(f"a.weight.{name}", "weight", "a", est, lo, hi, **kw)


# uniform and triangular weights in one chain, with a reservation no order involves
TRI = (
    _w("x1", 0.6, 0.2, 0.8),
    _w("x2", 0.5, 0.1, 0.9, distribution="triangular", mode=0.5),
    _w("x3", 0.4, 0.1, 0.7),
    _w("x4", 0.2, 0.0, 0.6, distribution="triangular", mode=0.2),
    Varied("a.reservation", "reservation", "a", 0.5, 0.3, 0.7),
)
TRI_ORDERS = ((("a.weight.x1", 0.6), ("a.weight.x2", 0.5), ("a.weight.x3", 0.4),
               ("a.weight.x4", 0.2)),)  # fmt: skip
# a Dirichlet group ordered, with a whole-number firmness no order involves
_D = (0.4, 0.3, 0.2, 0.1)
DIR = (
    *(
        Varied(f"b.weight.y{j}", "weight", "b", w, 0.0, 1.0, "dirichlet", group="b", kappa=20.0)
        for j, w in enumerate(_D)
    ),
    Varied("b.firmness.r", "firmness", "b", 5.0, 3.0, 7.0),
)
DIR_ORDERS = (tuple((f"b.weight.y{j}", w) for j, w in enumerate(_D)),)
# eight uniform weights in one full chain: 1/8! of the candidates meet it
LO, HI = 0.1, 0.9
CHAIN = tuple(_w(f"i{j}", 0.5, LO, HI) for j in range(8))
CHAIN_ORDERS = (tuple((f"a.weight.i{j}", 0.5) for j in range(8)),)


@pytest.mark.parametrize(
    ("varied", "orders", "lo", "hi"),
    [(TRI, TRI_ORDERS, 0.10, 0.20), (DIR, DIR_ORDERS, 0.25, 0.45)],
    ids=["uniform-triangular", "dirichlet"],
)
def test_hit_and_run_matches_rejection_where_both_work(varied, orders, lo, hi) -> None:
    _, drawn, accepted = draw_constrained(varied, orders, 1, 0, CHUNK, method=REJECTION)
    assert lo < accepted / drawn < hi
    assert sampler(varied, orders, 1) == REJECTION  # above the threshold: rejection
    rej = _run(varied, orders, 1, REJECTION)
    har = _run(varied, orders, 2, HIT_AND_RUN)
    col = {v.address: j for j, v in enumerate(varied)}
    for order in orders:
        idx = [col[a] for a, _ in order]
        assert (np.diff(har[:, idx], axis=1) <= 0).all()
    for j, v in enumerate(varied):
        assert _ks(rej[:, j], har[:, j]) > ALPHA, v.address
        assert abs(rej[:, j].mean() - har[:, j].mean()) < MEAN_TOL * (v.hi - v.lo), v.address
    if DIR is varied:  # the group keeps its sum; firmness stays whole
        assert np.allclose(har[:, :4].sum(axis=1), 1.0, atol=1e-9)
        assert np.array_equal(har[:, 4], np.rint(har[:, 4]))


def test_the_comparison_can_fail() -> None:
    """Hit-and-run that ignores the triangular densities (uniform on the chord) fails."""
    poly = constrained_set(TRI, TRI_ORDERS)
    wrong = dataclasses.replace(poly, tri=np.full_like(poly.tri, np.nan))
    seeds = [np.random.SeedSequence(3, spawn_key=(k, 9, 0)) for k in range(10)]
    har = np.concatenate([chains(wrong, [s], CHUNK, CHUNK) for s in seeds])
    rej = _run(TRI, TRI_ORDERS, 1, REJECTION)
    worst = min(_ks(rej[:, j], har[:, j]) for j in range(4))
    assert worst < ALPHA


def test_a_full_chain_of_eight_weights_by_hit_and_run() -> None:
    assert sampler(CHAIN, CHAIN_ORDERS, 0) == HIT_AND_RUN
    chunks = [draw_constrained(CHAIN, CHAIN_ORDERS, 0, k, CHUNK, method=None) for k in range(10)]
    d = np.concatenate([c[0] for c in chunks])
    assert (np.diff(d, axis=1) <= 0).all()  # every draw meets the order
    assert ((d >= LO) & (d <= HI)).all()
    for j in range(8):  # column j is the (8 - j)-th smallest of 8 uniforms
        i = 8 - j
        mean = LO + (HI - LO) * i / 9
        sd = (HI - LO) * math.sqrt(i * (9 - i) / (81 * 10))
        assert abs(d[:, j].mean() - mean) < 0.006, j
        assert abs(d[:, j].std() / sd - 1) < 0.03, j
    _, drawn, accepted = chunks[0]  # chunk 0 of the run (not drawn again)
    assert drawn == CHUNK and accepted / drawn < 0.001  # what rejection would have had


def test_hit_and_run_draws_are_reproducible_and_prefix_stable() -> None:
    full = draw_constrained(CHAIN, CHAIN_ORDERS, 4, 2, CHUNK)[0]
    assert np.array_equal(full, draw_constrained(CHAIN, CHAIN_ORDERS, 4, 2, CHUNK)[0])
    short = draw_constrained(CHAIN, CHAIN_ORDERS, 4, 2, 137)[0]
    assert np.array_equal(full[:137], short)
    longer = draw_constrained(CHAIN, CHAIN_ORDERS, 4, 2, CHUNK + 300)[0]
    assert np.array_equal(longer[:CHUNK], full)
    assert not np.array_equal(draw_constrained(CHAIN, CHAIN_ORDERS, 4, 3, 137)[0], short)
    assert not np.array_equal(draw_constrained(CHAIN, CHAIN_ORDERS, 5, 2, 137)[0], short)
    # the free columns keep their own streams: the same as without the orders
    mixed = (*CHAIN, Varied("a.reservation", "reservation", "a", 0.5, 0.3, 0.7))
    with_orders = draw_constrained(mixed, CHAIN_ORDERS, 4, 2, 50)[0]
    assert np.array_equal(with_orders[:, 8], draw_constrained(mixed, (), 4, 2, 50)[0][:, 8])
    assert hit_and_run_stream(mixed) == n_streams(mixed) + 1  # after the swaps' stream


_DOC = """\
id: t
title: t
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
ISSUES
positions:
  a:
    priorities:
WEIGHTS
    reservation: 0.3
  b:
    priorities:
      i0: {weight: 1.0, values: decreasing}
    reservation: 0.3
uncertainty:
  - {of: a.reservation, range: [0.2, 0.4]}
RANGES
ORDERS
"""


def _scenario(orders: str) -> detente.Scenario:
    issues = "\n".join(f"  - {{id: i{j}, kind: integer, range: [0, 1]}}" for j in range(8))
    weights = "\n".join(f"      i{j}: {{weight: 0.5, values: increasing}}" for j in range(8))
    ranges = "\n".join(f"  - {{of: a.weight.i{j}, range: [{LO}, {HI}]}}" for j in range(8))
    text = (
        _DOC.replace("ISSUES", issues)
        .replace("WEIGHTS", weights)
        .replace("RANGES", ranges)
        .replace("ORDERS", orders)
    )
    return detente.loads(text, "t.yaml")


FULL_CHAIN = "  - {of: a.weights, order: [i0, i1, i2, i3, i4, i5, i6, i7]}"


@pytest.fixture(scope="module")
def chain_run() -> RobustnessResult:
    """The full chain's run (2,500 draws: a short last chunk), read by two tests."""
    return analyze_robustness(_scenario(FULL_CHAIN), draws=2500, seed=4, intervals=False)


def test_a_run_whose_orders_reject_almost_everything_completes(chain_run: RobustnessResult) -> None:
    s = _scenario(FULL_CHAIN)
    r = chain_run
    assert r.completed == 2500
    assert r.acceptance is not None and r.acceptance < 0.001
    assert robustness_document(r)["acceptance"] == pytest.approx(r.acceptance, abs=1e-6)
    assert r.sampler == robustness_document(r)["sampler"] == HIT_AND_RUN
    assert any("met by hit-and-run" in n for n in r.notes)
    pair = analyze_robustness(_scenario("  - {of: a.weights, order: [i0, i1]}"), draws=CHUNK,
                              seed=3, intervals=False)  # fmt: skip
    assert pair.sampler == REJECTION
    again = analyze_robustness(s, draws=2500, seed=4, intervals=False)
    assert [c.support for c in again.conclusions] == [c.support for c in r.conclusions]


def test_orders_with_no_room_are_refused_with_the_orders_named() -> None:
    # orders going round in a circle are refused when the file loads, with their line
    with pytest.raises(ScenarioError, match="'i1' both above and below 'i0'"):
        _scenario("  - {of: a.weights, order: [i0, i1]}\n  - {of: a.weights, order: [i1, i0]}")
    pinned = (_w("x", 0.5, 0.2, 0.8), _w("y", 0.5, 0.2, 0.8))
    orders = ((("a.weight.x", 0.5), ("a.weight.z", 0.8), ("a.weight.y", 0.5)),)
    with pytest.raises(DetenteError, match="no room to move"):
        draw_constrained(pinned, orders, 0, 0, 10, method=HIT_AND_RUN)


@pytest.mark.slow
def test_hit_and_run_on_a_dask_cluster_gives_identical_json(
    chain_run: RobustnessResult, dask_cluster: str
) -> None:
    # the shared cluster (tests/dask_cluster.py): --workers K is test_reproducible's
    dask = analyze_robustness(
        _scenario(FULL_CHAIN), draws=2500, seed=4, intervals=False, address=dask_cluster
    )
    assert json.dumps(robustness_document(chain_run)) == json.dumps(robustness_document(dask))

"""Same seed, any chunking or back end: identical draws, statistics and JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

import detente
from detente.analysis.composite import analyze
from detente.report.json.robustness import robustness_document
from detente.robustness.analysis import analyze_robustness
from detente.robustness.build import build_conclusions
from detente.robustness.conclusions import ConclusionSet
from detente.robustness.model import Compiled, compile_model
from detente.robustness.runner import merge, run_chunk, run_chunks, stats_of
from detente.robustness.sampling import CHUNK, draw_chunk
from detente.scenario.uncertainty_checks import Uncertainty, resolve_uncertainty


def test_draws_are_seeded_per_chunk_and_a_short_chunk_is_a_prefix(cairo: detente.Scenario) -> None:
    unc = resolve_uncertainty(cairo.document)
    full = draw_chunk(unc.varied, 11, 3, CHUNK)
    short = draw_chunk(unc.varied, 11, 3, 137)
    assert np.array_equal(full[:137], short)
    assert not np.array_equal(draw_chunk(unc.varied, 11, 4, 137), short)
    assert not np.array_equal(draw_chunk(unc.varied, 12, 3, 137), short)
    for j, v in enumerate(unc.varied):
        assert full[:, j].min() >= v.lo and full[:, j].max() <= v.hi


@pytest.fixture(scope="module")
def compiled(cairo: detente.Scenario) -> tuple[Uncertainty, Compiled, ConclusionSet]:
    """Cairo's uncertainty, compiled model and conclusions (read-only)."""
    unc = resolve_uncertainty(cairo.document)
    model = compile_model(cairo, unc)
    return unc, model, build_conclusions(model, analyze(cairo), unc)


def test_a_short_run_is_a_prefix_of_a_long_one(
    compiled: tuple[Uncertainty, Compiled, ConclusionSet],
) -> None:
    unc, model, cs = compiled
    short, _ = run_chunks(model, cs, unc, draws=1500, seed=2)
    long_draws = np.concatenate([draw_chunk(unc.varied, 2, k, CHUNK) for k in range(2)])
    prefix = stats_of(model, cs, unc, long_draws[:1500])
    first = run_chunk(model, cs, unc, 2, 0, CHUNK)
    rest = stats_of(model, cs, unc, long_draws[CHUNK:1500])
    assert np.array_equal(short.holds, prefix.holds)
    assert short.values == prefix.values
    merged = merge([first, rest])
    assert np.array_equal(merged.holds, short.holds) and merged.values == short.values
    for j in short.sums:
        for v in short.sums[j]:
            assert np.array_equal(short.sums[j][v], merged.sums[j][v])


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_json(cairo: detente.Scenario) -> None:
    pytest.importorskip("distributed")
    local = analyze_robustness(cairo, draws=2500, seed=4, intervals=False)
    dask = analyze_robustness(cairo, draws=2500, seed=4, intervals=False, workers=2)
    assert json.dumps(robustness_document(local)) == json.dumps(robustness_document(dask))


def test_ctrl_c_stops_cleanly_with_the_draws_done(
    cairo: detente.Scenario, compiled: tuple[Uncertainty, Compiled, ConclusionSet]
) -> None:
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if done >= 2 * CHUNK:
            raise KeyboardInterrupt

    # supports and notes are read, not confidence factors: few confidence draws
    r = analyze_robustness(cairo, draws=5000, seed=1, intervals=False, progress=progress,
                           confidence_draws=10)  # fmt: skip
    assert r.interrupted and r.completed == 2 * CHUNK and r.draws == 5000
    assert any("interrupted: 2,000 of 5,000 draws" in n for n in r.notes)
    # the supports are those of the first two chunks' draws: their statistics straight
    # from the runner (a whole second analysis would add only what is not compared here)
    unc, model, cs = compiled
    full, _ = run_chunks(model, cs, unc, draws=2 * CHUNK, seed=1)
    assert full.n == 2 * CHUNK
    assert [c.id for c in r.conclusions] == [c.id for c in cs.conclusions]
    assert [c.support for c in r.conclusions] == [int(h) / full.n for h in full.holds]


def test_weight_orders_by_rejection_keep_the_prefix_and_report_acceptance() -> None:
    from tests.robustness.test_uncertainty_section import BASE

    from detente.robustness.sampling import draw_constrained

    s = detente.loads(
        BASE + "uncertainty:\n  - {of: a.weight.x, range: [0.2, 0.8]}\n"
        "  - {of: a.weight.y, range: [0.2, 0.8]}\n  - {of: a.weights, order: [x, y]}\n",
        "t.yaml",
    )
    unc = resolve_uncertainty(s.document)
    long, drawn, accepted = draw_constrained(unc.varied, unc.orders, 5, 0, CHUNK)
    short, _, _ = draw_constrained(unc.varied, unc.orders, 5, 0, 300)
    assert np.array_equal(long[:300], short)
    assert (long[:, 0] >= long[:, 1]).all()
    assert 0.45 < accepted / drawn < 0.55  # P(x >= y) = 1/2 for two iid uniforms
    r = analyze_robustness(s, draws=2000, seed=5, intervals=False, confidence_draws=10)
    assert r.acceptance is not None and 0.45 < r.acceptance < 0.55
    assert robustness_document(r)["acceptance"] == pytest.approx(r.acceptance, abs=1e-6)

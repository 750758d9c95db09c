"""Shared fixtures of the robustness tests: small scenarios with known answers, the
Cairo example and its robustness run (read by several modules), a running Dask cluster."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from tests import dask_cluster as shared

import detente
from detente.analysis.composite import analyze
from detente.robustness.build import build_conclusions
from detente.robustness.conclusions import ConclusionSet
from detente.robustness.model import Compiled, compile_model
from detente.robustness.results import RobustnessResult
from detente.robustness.sampling import draw_chunk
from detente.scenario.checked import Scenario
from detente.scenario.uncertainty_checks import Uncertainty, resolve_uncertainty

# the prisoner's dilemma, p1's ranking on one line (tests replace it)
PRISONERS = textwrap.dedent(
    """\
    id: pd
    title: Prisoner's dilemma (illustrative)
    parties: [{id: p1, name: P1}, {id: p2, name: P2}]
    conflict:
      decision_makers:
        - {party: p1, options: [c1]}
        - {party: p2, options: [c2]}
      preferences:
        p1: {ranking: [["NY"], ["YY"], ["NN"], ["YN"]]}
        p2: {ranking: [["YN"], ["YY"], ["NN"], ["NY"]]}
    """
)

ANALYTIC = textwrap.dedent(
    """\
    id: analytic
    title: One reservation against the largest acceptable utility (illustrative)
    parties: [{id: a, name: A}, {id: b, name: B}]
    issues:
      - {id: x, kind: integer, range: [0, 10]}
    positions:
      a:
        red_lines: [{id: cap, rule: "x <= 7", firmness: 5}]
        priorities: {x: {weight: 1.0, values: increasing}}
        reservation: RES
      b:
        priorities: {x: {weight: 1.0, values: decreasing}}
        reservation: 0.0
    uncertainty:
      - {of: a.reservation, range: [0.5, 0.9]}
    """
)


def analytic(reservation: float) -> detente.Scenario:
    """a accepts x <= 7 with u_a = x/10 >= r: the largest acceptable utility m is 0.7."""
    return detente.loads(ANALYTIC.replace("RES", str(reservation)), "analytic.yaml")


def compiled_with_draws(
    doc: dict[str, Any], seed: int, n: int
) -> tuple[Scenario, Uncertainty, Compiled, ConclusionSet, np.ndarray]:
    """A generated document checked and compiled under the default uncertainty, its
    conclusions, and ``n + 1`` draws: the estimates first, then chunk 0 of ``seed``."""
    doc.pop("_conditions", None)
    s = Scenario.from_data(doc)
    unc = resolve_uncertainty(s.document)
    model = compile_model(s, unc)
    cs = build_conclusions(model, analyze(s, amendments=False), unc)
    draws = np.concatenate(
        [np.array([[v.estimate for v in unc.varied]]), draw_chunk(unc.varied, seed, 0, n)]
    )
    return s, unc, model, cs, draws


@pytest.fixture(scope="session")
def cairo() -> Scenario:
    """The Cairo example (checked scenarios are frozen: tests only read it)."""
    return detente.load(detente.__path__[0] + "/examples/cairo-2024-05.yaml")


@pytest.fixture(scope="session")
def cairo_robustness(cairo: Scenario) -> RobustnessResult:
    """Cairo's robustness at 3,000 draws (seed 0), computed once for the tests that read
    it (test_cairo, test_flips): the result is frozen."""
    from detente.robustness.analysis import analyze_robustness

    return analyze_robustness(cairo, draws=3000, seed=0)


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[str]:
    """A running Dask scheduler and two workers on loopback (tests/dask_cluster.py)."""
    with shared.running() as address:
        yield address

"""Shared fixtures of the robustness tests: small scenarios with known answers."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

import detente
from detente.analysis.composite import analyze
from detente.robustness.build import build_conclusions
from detente.robustness.conclusions import ConclusionSet
from detente.robustness.model import Compiled, compile_model
from detente.robustness.sampling import draw_chunk
from detente.scenario.checked import Scenario
from detente.scenario.uncertainty_checks import Uncertainty, resolve_uncertainty

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

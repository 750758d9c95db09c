"""The vectorised evaluation of a draw agrees with the point analysis on that draw."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import detente
from detente.analysis.composite import analyze
from detente.robustness.apply import apply_draw
from detente.robustness.build import build_conclusions
from detente.robustness.conclusions import NONE, ConclusionSet, evaluate
from detente.robustness.model import compile_model
from detente.robustness.sampling import draw_chunk
from detente.scenario.checked import Scenario
from detente.scenario.uncertainty_checks import resolve_uncertainty

EXAMPLES = sorted((Path(detente.__file__).parent / "examples").glob("*.yaml"))


def _label(terms: dict[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in terms.items())


def _expected(s: Scenario) -> dict[str, object]:
    a = analyze(s)
    assert a.deal is not None
    out: dict[str, object] = {"zopa-nonempty": not a.deal.zopa.empty}
    for kind in ("nash", "egalitarian"):
        deal = getattr(a.deal.solutions, kind)
        out[f"{kind}-deal"] = (
            NONE if deal is None else " | ".join(_label(p.terms) for p in deal.points)
        )
    if a.gaps is not None and a.gaps.bridges:
        cheapest = min(b.cost for b in a.gaps.bridges)
        out["cheapest-bridge"] = " | ".join(
            sorted("+".join(sorted(b.keys)) for b in a.gaps.bridges if b.cost == cheapest)
        )
    elif not a.deal.zopa.empty:
        out["cheapest-bridge"] = NONE
    for g in a.gaps.gaps if a.gaps is not None else ():
        out["gap:" + "+".join(sorted(g.keys))] = True
    return out


def _observed(
    cs: ConclusionSet, holds: np.ndarray, values: dict[int, list[str]]
) -> dict[str, object]:
    out: dict[str, object] = {}
    for j, c in enumerate(cs.conclusions):
        if c.kind == "equilibrium":
            continue
        out[c.id] = values[j][0] if c.categorical else bool(holds[j])
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_draw_at_the_estimates_reproduces_analyze(path: Path) -> None:
    s = detente.load(path)
    unc = resolve_uncertainty(s.document)
    model = compile_model(s, unc)
    cs = build_conclusions(model, analyze(s), unc)
    est = np.array([[v.estimate for v in unc.varied]])
    b = evaluate(model, cs, est)
    got = _observed(cs, b.holds[0], {j: v for j, v in b.values.items()})
    want = _expected(s)
    for key, value in want.items():
        assert got[key] == value, key


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_random_draws_agree_with_analyze_on_the_changed_document(path: Path) -> None:
    s = detente.load(path)
    unc = resolve_uncertainty(s.document)
    model = compile_model(s, unc)
    cs = build_conclusions(model, analyze(s), unc)
    draws = draw_chunk(unc.varied, 7, 0, 4)
    b = evaluate(model, cs, draws)
    for r in range(len(draws)):
        doc = apply_draw(s.document, dict(zip(unc.addresses, draws[r], strict=True)))
        want = _expected(Scenario.from_document(doc))
        got = _observed(cs, b.holds[r], {j: [v[r]] for j, v in b.values.items()})
        for key in ("zopa-nonempty", "nash-deal", "egalitarian-deal", "cheapest-bridge"):
            if key in want:
                assert got[key] == want[key], (r, key)
        # a gap of the estimates holds in the draw exactly when analyze still finds it
        for key, holds in got.items():
            if key.startswith("gap:"):
                assert holds == (key in want), (r, key)

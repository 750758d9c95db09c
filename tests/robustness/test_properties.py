"""Property: on random small scenarios, a random draw evaluated by the vectorised model
agrees with the point analysis (``analyze``) run on the document with the draw written in.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.robustness.conftest import compiled_with_draws
from tests.strategies import deal_scenario_documents, examples

from detente.analysis.composite import analyze
from detente.robustness.apply import apply_draw
from detente.robustness.conclusions import NONE, evaluate
from detente.scenario.checked import Scenario


def _label(terms: dict[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in terms.items())


def _point(s: Scenario) -> dict[str, object]:
    a = analyze(s, amendments=False)
    assert a.deal is not None
    out: dict[str, object] = {"zopa-nonempty": not a.deal.zopa.empty}
    for kind in ("nash", "egalitarian"):
        deal = getattr(a.deal.solutions, kind)
        out[f"{kind}-deal"] = (
            NONE if deal is None else " | ".join(_label(p.terms) for p in deal.points)
        )
    if a.gaps is not None and a.gaps.bridges and a.gaps.bridges_complete:
        best = min(b.cost for b in a.gaps.bridges)
        out["cheapest-bridge"] = " | ".join(
            sorted("+".join(sorted(b.keys)) for b in a.gaps.bridges if b.cost == best)
        )
    elif not a.deal.zopa.empty:
        out["cheapest-bridge"] = NONE
    out["gaps"] = (
        {"gap:" + "+".join(sorted(g.keys)) for g in a.gaps.gaps}
        if a.gaps is not None and a.gaps.gaps_complete
        else None
    )
    return out


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(doc=deal_scenario_documents(max_parties=3, max_outcomes=120), seed=st.integers(0, 99))
def test_draws_agree_with_the_point_analysis(doc: dict[str, Any], seed: int) -> None:
    s, unc, model, cs, draws = compiled_with_draws(doc, seed, 2)
    b = evaluate(model, cs, draws)
    for r in range(len(draws)):
        moved = Scenario.from_document(
            apply_draw(s.document, dict(zip(unc.addresses, draws[r], strict=True)))
        )
        want = _point(moved)
        for j, c in enumerate(cs.conclusions):
            if c.kind in ("zopa", "deal", "bridge") and c.id in want:
                got = b.values[j][r] if c.categorical else bool(b.holds[r, j])
                assert got == want[c.id], (r, c.id)
            elif c.kind == "gap" and want["gaps"] is not None:
                assert bool(b.holds[r, j]) == (c.id in want["gaps"]), (r, c.id)  # type: ignore[operator]

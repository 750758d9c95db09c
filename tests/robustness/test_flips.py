"""Flip distances: the reported change reverses the conclusion, a smaller one does not."""

from __future__ import annotations

import numpy as np
import pytest

from detente.analysis.composite import analyze
from detente.robustness.apply import apply_draw
from detente.robustness.results import RobustnessResult
from detente.scenario.checked import Scenario


@pytest.fixture(scope="module")
def run(cairo_robustness: RobustnessResult) -> RobustnessResult:
    """Test_cairo's run (3,000 draws, seed 0; tests/robustness/conftest.py), not one of
    its own: the flips are exact, and the nearest reversing draw is one of the draws."""
    return cairo_robustness


def _cheapest(s: Scenario) -> set[str]:
    a = analyze(s)
    assert a.gaps is not None
    best = min(b.cost for b in a.gaps.bridges)
    return {"+".join(sorted(b.keys)) for b in a.gaps.bridges if b.cost == best}


def test_the_firmness_flip_of_the_cheapest_bridge_is_exact(
    cairo: Scenario, run: RobustnessResult
) -> None:
    c = next(c for c in run.conclusions if c.id == "cheapest-bridge")
    assert c.flip is not None and c.flip.exact and c.flip.moves == "firmness"
    assert _cheapest(cairo) == {c.value}
    moved = Scenario.from_document(apply_draw(cairo.document, c.flip.changes))
    assert _cheapest(moved) != {c.value}  # the change reverses it
    est = {v["of"]: v["estimate"] for v in run.varied}
    for step in range(1, int(c.flip.distance)):  # any smaller whole move does not
        smaller = {
            a: est[a] + np.sign(x - est[a]) * min(step, abs(x - est[a]))
            for a, x in c.flip.changes.items()
        }
        kept = Scenario.from_document(apply_draw(cairo.document, smaller))
        assert _cheapest(kept) == {c.value}


def test_reservation_flips_of_gaps_reverse_them(cairo: Scenario, run: RobustnessResult) -> None:
    checked = 0
    for c in run.conclusions:
        if c.kind != "gap" or c.flip is None:
            continue
        keys = tuple(c.id.removeprefix("gap:").split("+"))
        moved = Scenario.from_document(apply_draw(cairo.document, c.flip.changes))
        a = analyze(moved)
        assert a.gaps is not None
        assert keys not in {tuple(sorted(g.keys)) for g in a.gaps.gaps}, c.id
        checked += 1
        if c.flip.distance < 1e-6:
            continue  # a knife edge: the gap holds only on the boundary, any move reverses it
        est = {v["of"]: v["estimate"] for v in run.varied}
        part = {k: est[k] + 0.99 * (x - est[k]) for k, x in c.flip.changes.items()}
        kept = analyze(Scenario.from_document(apply_draw(cairo.document, part)))
        assert kept.gaps is not None
        assert keys in {tuple(sorted(g.keys)) for g in kept.gaps.gaps}, c.id
    assert checked >= 3


def test_nearest_reversing_draws_reverse(cairo: Scenario, run: RobustnessResult) -> None:
    c = next(c for c in run.conclusions if c.id == "cheapest-bridge")
    assert c.nearest_draw is not None and not c.nearest_draw.exact
    assert len(c.nearest_draw.changes) < len(run.varied)  # shrunk to the numbers that matter
    moved = Scenario.from_document(apply_draw(cairo.document, c.nearest_draw.changes))
    assert _cheapest(moved) != {c.value}

"""The Cairo example end to end: what is assumption-free, what is fragile, and how far."""

from __future__ import annotations

import pytest

from detente.analysis.composite import analyze
from detente.report.json.robustness import robustness_document
from detente.robustness.apply import apply_draw
from detente.robustness.results import ConclusionResult, RobustnessResult
from detente.scenario.checked import Scenario

VETO = "gap:hamas/choose-prisoners-without-veto+israel/veto-on-prisoner-selection"
CEASEFIRE = "gap:hamas/commitment-beyond-six-weeks+israel/no-permanent-ceasefire"


@pytest.fixture(scope="module")
def run(cairo_robustness: RobustnessResult) -> RobustnessResult:
    """3,000 draws, seed 0 (tests/robustness/conftest.py: shared with test_flips)."""
    return cairo_robustness


def _c(r: RobustnessResult, cid: str) -> ConclusionResult:
    return next(c for c in r.conclusions if c.id == cid)


def test_no_deal_whatever_the_numbers(run: RobustnessResult) -> None:
    z = _c(run, "zopa-nonempty")
    assert not z.holds and z.assumption_free and z.verdict == "never" and z.support == 0.0
    for cid in ("nash-deal", "egalitarian-deal"):
        assert _c(run, cid).value == "none" and _c(run, cid).assumption_free


def test_the_red_line_clashes_are_assumption_free(run: RobustnessResult) -> None:
    for cid in (VETO, CEASEFIRE):
        c = _c(run, cid)
        assert c.assumption_free and c.verdict == "necessarily" and c.support == 1.0
        assert c.flip is None and c.intervals and all(i.share == 1.0 for i in c.intervals)
    assert "(reported)" in _c(run, VETO).text
    assert "assumed: hamas/commitment-beyond-six-weeks" in _c(run, CEASEFIRE).text


def test_gaps_with_reservations_hinge_on_one_number(run: RobustnessResult) -> None:
    g = _c(
        run, "gap:hamas/reservation+israel/no-permanent-ceasefire+israel/veto-on-prisoner-selection"
    )
    assert 0.35 < g.support < 0.55 and g.verdict == "possibly"
    assert g.flip is not None and g.flip.exact
    assert g.flip.distance == pytest.approx(0.05)
    assert g.flip.changes == {"hamas.reservation": pytest.approx(0.55)}
    assert g.critical is not None


def test_json_changes_reverse_as_printed(cairo: Scenario, run: RobustnessResult) -> None:
    doc = robustness_document(run)
    for c in doc["conclusions"]:
        if c["kind"] != "gap" or c["assumption_free"]:
            continue
        keys = tuple(c["id"].removeprefix("gap:").split("+"))
        for flip in (c["flip"], c["nearest_draw"]):
            if flip is None:
                continue
            moved = analyze(Scenario.from_document(apply_draw(cairo.document, flip["changes"])))
            assert moved.gaps is not None
            assert keys not in {tuple(sorted(x.keys)) for x in moved.gaps.gaps}, c["id"]


def test_the_cheapest_bridge_is_fragile_and_its_rivals_are_listed(run: RobustnessResult) -> None:
    b = _c(run, "cheapest-bridge")
    assert b.value == "hamas/choose-prisoners-without-veto+israel/no-permanent-ceasefire"
    assert b.acceptability is not None and len(b.acceptability) >= 4
    assert b.acceptability[0].value == b.value
    assert abs(b.acceptability[0].share - b.support) < 1e-12
    assert sum(v.count for v in b.acceptability) == run.completed
    assert all(v.confidence is not None for v in b.acceptability[:4])

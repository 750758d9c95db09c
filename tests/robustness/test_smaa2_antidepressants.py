"""The published SMAA-2 example: the antidepressant benefit-risk model, to its tolerances.

Tervonen, van Valkenhoef, Buskens, Hillege & Postmus (2011), Statistics in Medicine
30(12):1419-1428, as JSMAA's ``SMAA2SimulationTest.testCorrectResultsWithBRModel``
states it: re-encoded as data in tests/data/robustness/smaa2-antidepressants.yaml (see
its header), stated results in the sibling ``.expected.yaml``. One decision-making
party, six criteria as choice issues over the four drugs, red lines leaving the four
same-drug outcomes, weights uniform on the simplex: the Nash deal is the drug ranked
first, so its acceptability, central vector and confidence factor are SMAA-2's
first-rank acceptability, central weight vector and confidence factor. 10,000 draws as
in the paper (about 1 s), and 10,000 for each confidence factor as SMAA-2 does (our
default is 1,000). Ranks 2-4 are not tested: detente reports the deal, rank 1 only.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import detente
from detente.robustness.analysis import analyze_robustness
from detente.robustness.results import RobustnessResult, Value
from detente.scenario.checked import Scenario

DATA = Path(__file__).resolve().parents[1] / "data" / "robustness"
CRITERIA = ("efficacy", "diarrhea", "dizziness", "headache", "insomnia", "nausea")
DRUGS = ("fluoxetine", "paroxetine", "sertraline", "venlafaxine")
Z95 = 1.96  # JSMAA's scale: the union of the measurements' mean +/- 1.96 sd


@pytest.fixture(scope="module")
def model() -> Scenario:
    return detente.load(DATA / "smaa2-antidepressants.yaml")


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    out: dict[str, Any] = YAML(typ="safe").load(DATA / "smaa2-antidepressants.expected.yaml")
    return out


@pytest.fixture(scope="module")
def run(model: Scenario, expected: dict[str, Any]) -> RobustnessResult:
    n = expected["iterations"]
    return analyze_robustness(model, draws=n, seed=0, intervals=False, confidence_draws=n)


@pytest.fixture(scope="module")
def drugs(run: RobustnessResult) -> dict[str, Value]:
    nash = next(c for c in run.conclusions if c.id == "nash-deal")
    assert nash.acceptability is not None
    out = {}
    for v in nash.acceptability:
        terms = dict(t.split("=") for t in v.value.split(", "))
        assert set(terms) == set(CRITERIA) and len(set(terms.values())) == 1  # same drug
        out[terms["efficacy"]] = v
    assert set(out) == set(DRUGS)
    return out


def test_the_scales_are_the_union_of_the_central_95_percent_intervals(
    model: Scenario, expected: dict[str, Any]
) -> None:
    entries = [e for e in model.document.uncertainty or () if e.scale is not None]
    tol = expected["scale"]["tolerance"]
    for crit in CRITERIA:
        mine = [e for e in entries if e.of.split(".")[2] == crit]
        assert len(mine) == len(DRUGS)
        ends = []
        for e in mine:
            m, sd = e.normal or e.lognormal or (0.0, 0.0)
            lo, hi = m - Z95 * sd, m + Z95 * sd
            ends += [math.exp(lo), math.exp(hi)] if e.lognormal is not None else [lo, hi]
        scale = mine[0].scale
        assert scale is not None
        assert sorted(scale) == pytest.approx([min(ends), max(ends)], abs=1e-4)
        assert (scale[0] < scale[1]) == (crit == "efficacy")  # efficacy: higher is better
        stated = expected["scale"][crit]
        assert sorted(scale) == pytest.approx(stated, abs=tol["efficacy" if crit == "efficacy"
                                                              else "other"])  # fmt: skip


def test_first_rank_acceptabilities(drugs: dict[str, Value], expected: dict[str, Any]) -> None:
    tol = expected["acceptability"]["tolerance"]
    assert sum(v.share for v in drugs.values()) == pytest.approx(1.0)
    for drug, v in drugs.items():
        assert v.share == pytest.approx(expected["acceptability"][drug][0], abs=tol), drug


def test_central_weight_vectors(drugs: dict[str, Value], expected: dict[str, Any]) -> None:
    """Ours is in the stated weights' units (their sum, 6): SMAA-2's is on the simplex."""
    tol = expected["central_weights"]["tolerance"]
    for drug, v in drugs.items():
        w = [v.central[f"regulator.weight.{c}"] for c in CRITERIA]
        assert sum(w) == pytest.approx(6.0)
        got = [x / sum(w) for x in w]
        assert got == pytest.approx(expected["central_weights"][drug], abs=tol), drug


def test_confidence_factors(drugs: dict[str, Value], expected: dict[str, Any]) -> None:
    tol = expected["confidence"]["tolerance"]
    for drug, v in drugs.items():
        assert v.confidence is not None
        assert v.confidence == pytest.approx(expected["confidence"][drug], abs=tol), drug


def test_at_the_estimates_the_deal_is_the_best_drug_at_equal_weights(
    model: Scenario, run: RobustnessResult
) -> None:
    pos = model.document.positions["regulator"].priorities
    values = {c: dict(pos[c].values) for c in CRITERIA}  # type: ignore[arg-type]
    total = {d: sum(values[c][d] for c in CRITERIA) for d in DRUGS}
    best = max(total, key=total.__getitem__)
    nash = next(c for c in run.conclusions if c.id == "nash-deal")
    assert nash.value == ", ".join(f"{c}={best}" for c in CRITERIA)

"""Candidate amendments, end to end on the Cairo example and on a hand-made case."""

from __future__ import annotations

import pytest

from detente.cli.app import bundled_example
from detente.gaps.analysis import analyze_gaps
from detente.report.json.gaps import gaps_to_dict
from detente.report.text.gaps import gaps_text
from detente.scenario import load
from detente.scenario.loader import loads

CEASEFIRE = frozenset({"israel/no-permanent-ceasefire", "hamas/commitment-beyond-six-weeks"})
VETO = frozenset({"israel/veto-on-prisoner-selection", "hamas/choose-prisoners-without-veto"})


@pytest.mark.parametrize("engine", ["enum", "solver"])
def test_cairo_red_lines_clash_and_sustainable_calm_bridges_the_ceasefire_gap(engine: str) -> None:
    s = load(bundled_example())
    a = analyze_gaps(s, engine=engine, red_lines_only=True)  # type: ignore[arg-type]
    assert a.zopa_empty
    # the reported red lines clash pairwise: cease-fire permanence and the prisoner veto
    assert {frozenset(g.keys) for g in a.gaps} == {CEASEFIRE, VETO}
    assert a.gaps_complete
    veto = next(g for g in a.gaps if frozenset(g.keys) == VETO)
    assert {d.basis for d in veto.demands} == {"reported"}
    # cheapest bridge: Hamas's veto demand (firmness 6) + Hamas's commitment (8) = 14
    assert a.bridges[0].cost == 14
    # the sustainable calm wording resolves the cease-fire gap; the veto still blocks
    (am,) = a.amendments
    assert am.adopted == ("sustainable-calm-wording",)
    assert [frozenset(g.keys) for g in am.resolved] == [CEASEFIRE]
    assert [frozenset(g.keys) for g in am.remaining] == [VETO]
    assert not am.opens_zopa


def test_cairo_text_and_json_say_so() -> None:
    s = load(bundled_example())
    a = analyze_gaps(s, engine="enum")
    text = gaps_text(a, s)
    assert text.startswith("No outcome satisfies all red lines and reservations.")
    assert "Cheapest bridge (cost 15)" in text
    assert "Amendment 'sustainable-calm-wording' does not open a deal" in text
    assert "Still blocking: Israel 'Israel keeps a veto" in text
    data = gaps_to_dict(a)
    assert {
        "red_lines": ["israel/no-permanent-ceasefire", "hamas/commitment-beyond-six-weeks"],
        "parties": ["israel", "hamas"],
        "assumed": ["hamas/commitment-beyond-six-weeks"],
    } in data["gaps"]
    assert data["bridges"][0]["relax"] == [
        "israel/no-permanent-ceasefire",
        "hamas/choose-prisoners-without-veto",
    ]
    assert data["bridges"][0]["zopa_size"] == 143
    assert data["amendments"][0]["remaining_gaps"] == [{"red_lines": sorted(VETO, reverse=True)}]


OPENS = """
id: opens
title: an amendment that opens a deal
parties: [{id: a, name: A}, {id: b, name: B}]
issues:
  - {id: clause, kind: choice, options: [strict, loose, middle]}
positions:
  a:
    red_lines: [{id: not-loose, rule: "clause != 'loose'"}]
    priorities: {clause: {weight: 1, values: {strict: 1, middle: 0.5}}}
  b:
    red_lines: [{id: not-strict, rule: "clause != 'strict'"}]
    priorities: {clause: {weight: 1, values: {loose: 1, middle: 0.5}}}
amendments:
  - {id: middle-ground, adds: {clause: [middle]}}
"""


@pytest.mark.parametrize("engine", ["enum", "solver"])
def test_amendment_that_opens_a_deal(engine: str) -> None:
    a = analyze_gaps(loads(OPENS), engine=engine)  # type: ignore[arg-type]
    assert [g.keys for g in a.gaps] == [("a/not-loose", "b/not-strict")]
    (am,) = a.amendments
    assert am.opens_zopa and am.zopa_size == 1 and am.zopa_exact
    assert am.egalitarian is not None and am.egalitarian.terms == {"clause": "middle"}
    assert am.nash is not None and am.nash.value == pytest.approx(0.25)
    assert am.remaining == ()

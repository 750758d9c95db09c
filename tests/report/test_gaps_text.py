"""Gap and bridge text: each demand introduced once, brief references, wrapped lines."""

from __future__ import annotations

import pytest

from detente.gaps.analysis import GapAnalysis, analyze_gaps
from detente.report.text.gaps import demand_keys, gaps_text, text_width
from detente.scenario import Scenario


@pytest.fixture(scope="module")
def gaps(cairo: Scenario) -> GapAnalysis:
    return analyze_gaps(cairo, engine="enum")


@pytest.mark.parametrize("width", [80, 140])
def test_cairo_gap_text_introduces_each_demand_once(
    cairo: Scenario, gaps: GapAnalysis, width: int
) -> None:
    text = gaps_text(gaps, cairo, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    flat = " ".join(text.split())
    keys = demand_keys(gaps)
    assert list(keys.values()) == [f"D{i}" for i in range(1, len(keys) + 1)]
    for d in gaps.demands:
        if d.key in keys:
            assert flat.count(f"[{keys[d.key]}] ") >= 1
    # the provenance of a demand is spelled out once, in the key list
    assert flat.count("unnamed news report (source article), 9 May 2024") == 3
    assert flat.count("30 Nov 2023") == 1
    veto, choose = (
        keys["israel/veto-on-prisoner-selection"],
        keys["hamas/choose-prisoners-without-veto"],
    )
    assert (
        f"(1) Israel 'Israel keeps a veto over which prisoners are freed' [{veto}] against "
        f"Hamas 'Hamas chooses the prisoners without an Israeli veto' [{choose}]." in flat
    )
    assert "6 minimal conflicts" in flat
    assert "Cheapest bridge (cost 15)" in flat and "opens 143 outcomes" in flat
    assert "the egalitarian deal would then be" in flat
    assert "resolves conflicts (2), (3), (4), (5) and (6)" in flat


def test_width_is_bounded() -> None:
    assert text_width(20) == 60 and text_width(400) == 140 and text_width(100) == 100


def test_each_conflict_says_which_assumptions_it_rests_on(
    cairo: Scenario, gaps: GapAnalysis
) -> None:
    flat = " ".join(gaps_text(gaps, cairo, width=140).split())
    keys = demand_keys(gaps)
    for i, g in enumerate(gaps.gaps, 1):
        start = flat.index(f"({i}) ")
        end = flat.index(".]", start)
        note = flat[start:end]
        assumed = [keys[d.key] for d in g.demands if d.basis == "assumed"]
        if assumed:
            assert f"[Rests on assumptions: {', '.join(assumed)}" in note
        else:
            assert "[Rests on reported demands only" in note
    # the veto clash is between two reported red lines; the cease-fire clash is not
    assert any(all(d.basis == "reported" for d in g.demands) for g in gaps.gaps)
    assert any(any(d.basis == "assumed" for d in g.demands) for g in gaps.gaps)

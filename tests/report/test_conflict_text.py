"""``detente stability`` text: fits 80 columns, names options by their labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.conflict import analyze_stability, compile_conflict
from detente.conflict.status_quo import status_quo_analysis
from detente.report.text.conflict import conflict_text
from detente.scenario import Scenario, load

from .conftest import DATA

FILES = sorted((DATA / "conflicts").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fits_80_columns(path: Path) -> None:
    s = load(path)
    res = analyze_stability(compile_conflict(s))
    text = conflict_text(res, s, status_quo_analysis(res), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_cairo_notes_use_names_and_option_labels(cairo: Scenario) -> None:
    res = analyze_stability(compile_conflict(cairo))
    text = conflict_text(res, cairo, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    flat = " ".join(text.split())
    assert (
        "Israel would gain by taking 'Launch the full-scale Rafah operation' (state 2), but "
        "United States would answer by taking 'Suspend the specific weapons shipments' "
        "(state 8), which Israel likes no better than state 1 (SEQ)." in flat
    )
    assert "united_states moves to" not in flat
    assert "suspend_weapons: Suspend the specific weapons shipments (United States)" in flat


def test_narrow_tableau_is_split_into_blocks(cairo: Scenario) -> None:
    res = analyze_stability(compile_conflict(cairo))
    text = conflict_text(res, cairo, width=60)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 60
    heads = [line.split() for line in lines if line.startswith(" ") and line.split()[0] == "1"]
    heads += [line.split() for line in lines if line.startswith(" ") and line.split()[0] == "10"]
    states = [int(x) for h in heads for x in h if x.isdigit()]
    assert len(heads) == 2 and states == list(range(1, 13))

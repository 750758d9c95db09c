"""A sanction that needs one decision maker to move twice, non-consecutively (3 DMs)."""

from __future__ import annotations

from pathlib import Path

import pytest

import detente
from detente.conflict.model import compile_conflict
from detente.conflict.stability import analyze_stability

DATA = Path(__file__).parent.parent / "data" / "conflicts"


@pytest.mark.parametrize("concept", ["gmr", "smr", "seq"])
def test_only_sanction_needs_b_twice(concept: str) -> None:
    result = analyze_stability(compile_conflict(detente.load(DATA / "double-move-sanction.yaml")))
    pats = result.conflict.patterns()
    assert not result.is_stable("a", "NNNN", "nash")
    assert result.is_stable("a", "NNNN", concept)  # type: ignore[arg-type]
    cert = result.certificate("a", "NNNN", concept)  # type: ignore[arg-type]
    (check,) = cert.improvements
    assert pats[check.improvement - 1] == "YNNN"
    assert [m.dm for m in check.path] == ["b", "c", "b"]
    assert pats[check.path[-1].to - 1] == "YNYY"


def test_one_move_per_opponent_would_miss_it() -> None:
    # with c unable to follow b (drop c's option), no sanction is left: a's improvement
    # stands, which is what a "each opponent moves once" engine reports with c present
    scenario = detente.load(DATA / "double-move-sanction.yaml")
    result = analyze_stability(compile_conflict(scenario, fix={"c_acts": False}))
    assert not result.is_stable("a", "NNN", "gmr")

"""``detente plot-conflict``: grid layout, legible labels, hover, one-way arrows, legend."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.conflict import analyze_stability, compile_conflict
from detente.conflict.stability import StabilityAnalysis
from detente.report.plots.conflict import conflict_figure, grid_layout, moves_of, shade
from detente.scenario import Scenario, load

from .conftest import DATA

CONFLICTS = [*sorted((DATA / "conflicts").glob("*.yaml")), DATA / "prisoners-dilemma.yaml"]


def _analysis(path: Path) -> tuple[Scenario, StabilityAnalysis]:
    s = load(path)
    return s, analyze_stability(compile_conflict(s))


def _luminance(hex_colour: str) -> float:
    named = {"white": "#ffffff", "black": "#000000"}
    h = named.get(hex_colour, hex_colour).lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("n", range(5))
def test_every_shade_keeps_its_label_legible(n: int) -> None:
    fill, ink = shade(n)
    assert _contrast(fill, ink) >= 4.5  # WCAG AA for normal text


@pytest.mark.parametrize("path", CONFLICTS, ids=lambda p: p.stem)
def test_each_decision_maker_moves_along_one_axis(path: Path) -> None:
    _, res = _analysis(path)
    cc = res.conflict
    grid = grid_layout(cc)
    cells = list(zip(grid.x, grid.y, strict=True))
    assert len(set(cells)) == cc.n_states  # no two states share a cell
    axis = {d: 0 for d in grid.columns} | {d: 1 for d in grid.rows}
    for dm, edges in moves_of(cc).items():
        for a, b, _ in edges:
            (xa, ya), (xb, yb) = cells[a - 1], cells[b - 1]
            if axis[dm] == 0:
                assert ya == yb and xa != xb
            else:
                assert xa == xb and ya != yb


def test_cairo_figure_hover_arrows_and_legend(cairo: Scenario) -> None:
    res = analyze_stability(compile_conflict(cairo))
    fig = conflict_figure(res, cairo)
    names = [t.name for t in fig.data]
    assert "not an equilibrium" in names
    assert "equilibrium: Nash, GMR, SMR, SEQ" in names
    assert "one-way moves by Israel (irreversible)" in names  # rafah_operation is forward
    assert "status quo (state 1)" in names
    one_way = sum(1 for e in moves_of(res.conflict)["israel"] if not e[2])
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert one_way > 0 and len(arrows) == one_way
    for t in fig.data:
        if t.mode == "markers+text":
            assert _contrast(t.marker.color, t.textfont.color) >= 4.5
    hover = {
        int(h.split("</b>")[0].split()[-1]): h
        for t in fig.data
        if t.mode == "markers+text"
        for h in t.hovertext
    }
    assert len(hover) == res.conflict.n_states
    h8 = hover[8]
    assert "YNNY" in h8
    assert "Y  Launch the full-scale Rafah operation (Israel)" in h8
    assert "N  Accept the proposed deal (Israel)" in h8
    assert "United States: Nash, GMR, SMR, SEQ" in h8
    assert "equilibrium under Nash, GMR, SMR, SEQ" in h8


def test_elmira_labels_shown_for_every_state() -> None:
    s, res = _analysis(DATA / "conflicts" / "elmira.yaml")
    fig = conflict_figure(res, s)
    labels = sorted(int(x) for t in fig.data if t.mode == "markers+text" for x in t.text)
    assert labels == list(range(1, 13))
    assert "moves by Local government" in [t.name for t in fig.data]

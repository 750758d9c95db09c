"""Interactive Plotly page of a deal analysis' utility space (``detente plot``).

Two parties: one scatter of (a deterministic sample of) the outcomes, the ZOPA
highlighted, both Pareto frontiers, reservation lines, proposals and the bargaining
solutions, each labelled. Three or more parties: the same, as pairwise panels (one
per pair of parties). The page embeds plotly.js, so it works offline.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.deal.analysis import DealAnalysis
from detente.deal.sampling import sample_outcomes

__all__ = ["plot_html", "figure", "MAX_POINTS"]

MAX_POINTS = 20_000

_LABELS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai-Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}
_SYMBOLS = {
    "nash": "star",
    "kalai_smorodinsky": "diamond",
    "egalitarian": "square",
    "utilitarian": "triangle-up",
}


def _hover(a: DealAnalysis, codes: npt.NDArray[np.int64]) -> list[str]:
    return ["<br>".join(f"{k}={v}" for k, v in a.terms(c).items()) for c in codes]


def figure(a: DealAnalysis, *, max_points: int = MAX_POINTS) -> Any:
    """The plotly Figure (see module docstring)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    k = len(a.parties)
    pairs = list(combinations(range(k), 2)) if k >= 2 else []
    if not pairs:
        fig = go.Figure()
        fig.update_layout(title=f"{a.title}: fewer than two parties, nothing to plot")
        return fig
    cols = min(3, len(pairs))
    rows = (len(pairs) + cols - 1) // cols
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[f"{a.parties[i]} vs {a.parties[j]}" for i, j in pairs]
        if len(pairs) > 1
        else None,
    )
    sample = sample_outcomes(a.space, max_points)
    hover_all = _hover(a, sample.codes)
    first = True
    for n, (i, j) in enumerate(pairs):
        r, c = n // cols + 1, n % cols + 1

        def add(trace: Any, *, _r: int = r, _c: int = c) -> None:
            fig.add_trace(trace, row=_r, col=_c)

        out = ~sample.in_zopa
        for mask, name, color in (
            (out, "outcomes", "#bbbbbb"),
            (sample.in_zopa, "ZOPA", "#2ca02c"),
        ):
            add(
                go.Scattergl(
                    x=sample.utilities[mask, i],
                    y=sample.utilities[mask, j],
                    mode="markers",
                    marker={"size": 4, "color": color, "opacity": 0.6},
                    name=name + ("" if sample.complete else " (sample)"),
                    text=[h for h, m in zip(hover_all, mask, strict=True) if m],
                    hoverinfo="text+x+y",
                    legendgroup=name,
                    showlegend=first,
                )
            )
        for f, name, color in (
            (a.frontier_all, "Pareto frontier (whole space)", "#1f77b4"),
            (a.frontier, "Pareto frontier (ZOPA)", "#d62728"),
        ):
            if len(f) == 0:
                continue
            order = np.lexsort((f.utilities[:, j], f.utilities[:, i]))
            add(
                go.Scatter(
                    x=f.utilities[order, i],
                    y=f.utilities[order, j],
                    mode="markers+lines" if k == 2 else "markers",
                    line={"color": color, "shape": "hv"},
                    marker={"size": 7, "color": color},
                    name=name,
                    text=_hover(a, f.codes[order]),
                    hoverinfo="text+x+y",
                    legendgroup=name,
                    showlegend=first,
                )
            )
        for name, s in a.solutions.items():
            if s is None:
                continue
            add(
                go.Scatter(
                    x=[s.utilities[i]],
                    y=[s.utilities[j]],
                    mode="markers+text",
                    marker={"size": 14, "symbol": _SYMBOLS[name], "color": "black"},
                    text=[_LABELS[name]],
                    textposition="top right",
                    name=_LABELS[name],
                    hovertext=_hover(a, s.codes[None, :]),
                    legendgroup=name,
                    showlegend=first,
                )
            )
        for p in a.proposals:
            if p.u_min is None or p.u_max is None:
                continue
            x = [(p.u_min[i] + p.u_max[i]) / 2]
            y = [(p.u_min[j] + p.u_max[j]) / 2]
            add(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="markers+text",
                    marker={"size": 12, "symbol": "x", "color": "#ff7f0e"},
                    error_x={"type": "data", "array": [(p.u_max[i] - p.u_min[i]) / 2]},
                    error_y={"type": "data", "array": [(p.u_max[j] - p.u_min[j]) / 2]},
                    text=[p.id],
                    textposition="bottom right",
                    name=f"proposal {p.id}",
                    legendgroup=f"proposal {p.id}",
                    showlegend=first,
                )
            )
        fig.add_vline(x=float(a.reservations[i]), line_dash="dash", line_color="gray", row=r, col=c)
        fig.add_hline(y=float(a.reservations[j]), line_dash="dash", line_color="gray", row=r, col=c)
        fig.update_xaxes(title_text=f"u {a.parties[i]}", range=[-0.05, 1.05], row=r, col=c)
        fig.update_yaxes(title_text=f"u {a.parties[j]}", range=[-0.05, 1.05], row=r, col=c)
        first = False
    fig.update_layout(
        title=f"{a.title}: utility space ({a.space.size:,} outcomes; dashed lines = reservation values)",
        height=520 * rows,
        template="plotly_white",
    )
    return fig


def plot_html(a: DealAnalysis, *, max_points: int = MAX_POINTS) -> str:
    """A self-contained HTML page (plotly.js embedded) of :func:`figure`."""
    html: str = figure(a, max_points=max_points).to_html(include_plotlyjs=True, full_html=True)
    return html

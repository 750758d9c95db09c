"""The state graph of a conflict as a self-contained Plotly figure.

Feasible states sit on a circle (hover: Y/N options and stability per decision maker);
each decision maker's unilateral moves are drawn in its own colour (one-way moves, from
irreversible options, carry an arrow head); equilibria are highlighted by the strongest
set of concepts they satisfy. Rendering only; the caller writes the file.
"""

from __future__ import annotations

import math
from typing import Any

from detente.conflict.moves import MoveStructure, neighbours
from detente.conflict.stability import CONCEPTS, StabilityAnalysis
from detente.errors import LimitError
from detente.scenario.model import Scenario

__all__ = ["conflict_figure", "PLOT_MAX_STATES"]

PLOT_MAX_STATES = 256
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def conflict_figure(result: StabilityAnalysis, scenario: Scenario | None = None) -> Any:
    """A :class:`plotly.graph_objects.Figure` of the state graph."""
    import plotly.graph_objects as go

    cc = result.conflict
    n = cc.n_states
    if n > PLOT_MAX_STATES:
        raise LimitError(
            f"{n:,} states are too many to draw (limit {PLOT_MAX_STATES}); hold some options "
            "fixed (--without a decision maker) or use 'detente stability' for the table"
        )
    pats = cc.patterns()
    angle = [2 * math.pi * k / n for k in range(n)]
    xs = [math.cos(a) for a in angle]
    ys = [math.sin(a) for a in angle]
    fig = go.Figure()
    arrows: list[dict[str, Any]] = []
    for di, d in enumerate(cc.decision_makers):
        ms = MoveStructure.of(cc, d)
        colour = _COLOURS[di % len(_COLOURS)]
        ex: list[float | None] = []
        ey: list[float | None] = []
        for k, code in enumerate(cc.codes):
            for t in neighbours(cc, ms, int(code)):
                j = int(cc.state_id(int(t))) - 1
                back = int(code) in set(int(x) for x in neighbours(cc, ms, int(t)))
                if back and j < k:
                    continue  # two-way move already drawn
                ex += [xs[k], xs[j], None]
                ey += [ys[k], ys[j], None]
                if not back:
                    arrows.append(
                        dict(
                            x=xs[j],
                            y=ys[j],
                            ax=xs[k],
                            ay=ys[k],
                            xref="x",
                            yref="y",
                            axref="x",
                            ayref="y",
                            showarrow=True,
                            arrowhead=2,
                            arrowcolor=colour,
                            opacity=0.6,
                        )
                    )
        name = d.party if scenario is None else _name(scenario, d.party)
        fig.add_trace(
            go.Scatter(
                x=ex,
                y=ey,
                mode="lines",
                name=f"moves by {name}",
                line=dict(color=colour, width=1.5),
                hoverinfo="skip",
                opacity=0.6,
            )
        )
    eq = {c: result.equilibrium_mask(c) for c in CONCEPTS}
    labels, colours, sizes, hover = [], [], [], []
    for k in range(n):
        concepts = [c.upper() for c in CONCEPTS if eq[c][k]]
        stab = "<br>".join(
            f"{dm}: "
            + (" ".join(c.upper() for c in CONCEPTS if result.stable[dm][c][k]) or "unstable")
            for dm in result.dm_ids
        )
        hover.append(
            f"state {k + 1}: {pats[k]}<br>{stab}"
            + (f"<br><b>equilibrium: {', '.join(concepts)}</b>" if concepts else "")
        )
        labels.append(str(k + 1))
        colours.append("#111111" if eq["nash"][k] else "#555555" if concepts else "#dddddd")
        sizes.append(26 if concepts else 18)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=labels,
            name="states",
            textfont=dict(color="white"),
            hovertext=hover,
            hoverinfo="text",
            marker=dict(size=sizes, color=colours, line=dict(width=1, color="#000")),
        )
    )
    if len(arrows) <= 400:
        fig.update_layout(annotations=arrows)
    title = scenario.title if scenario is not None else "Conflict"
    fig.update_layout(
        title=f"{title}: state graph (black = Nash equilibrium, grey = equilibrium under another concept)",
        xaxis=dict(visible=False),
        yaxis=dict(visible=False, scaleanchor="x"),
        plot_bgcolor="white",
        showlegend=True,
        height=720,
    )
    return fig


def _name(scenario: Scenario, pid: str) -> str:
    try:
        return scenario.party(pid).name
    except StopIteration:
        return pid

"""The state graph of a conflict as a self-contained Plotly figure.

Layout: states sit on a grid whose columns are the option sub-vectors of some decision
makers and whose rows are those of the others (:func:`grid_layout`), so each decision
maker's unilateral moves are horizontal or vertical; moves between non-adjacent cells are
drawn as arcs so that they do not run through other states. Each decision maker's moves
have their own colour; one-way moves (irreversible options) are dashed with an arrow
head. Nodes are shaded by the set of concepts under which the state is an equilibrium
(legend), labels stay legible on every shade, the status quo is ringed, and hovering a
state shows its Y/N vector with option names and, per decision maker, the concepts under
which it is stable. Rendering only; the caller writes the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.conflict.model import CompiledConflict
from detente.conflict.moves import MoveStructure, neighbours
from detente.conflict.stability import CONCEPTS, StabilityAnalysis
from detente.errors import LimitError
from detente.scenario.checked import Scenario

__all__ = [
    "conflict_figure",
    "grid_layout",
    "GridLayout",
    "moves_of",
    "shade",
    "PLOT_MAX_STATES",
]

PLOT_MAX_STATES = 256
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
_LABEL = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ"}
# fill by number of concepts under which the state is an equilibrium (0..4)
_FILLS = ("#ffffff", "#dedede", "#b4b4b4", "#555555", "#111111")
_STATUS_QUO = "#ff7f0e"
_NODE = 30  # marker diameter, px


@dataclass(frozen=True)
class GridLayout:
    """Grid position of every feasible state (index ``k`` = state ``k + 1``).

    ``columns`` / ``rows`` name the decision makers whose option sub-vectors number the
    columns / rows; ``x_ticks`` / ``y_ticks`` describe each column / row.
    """

    x: tuple[int, ...]
    y: tuple[int, ...]
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    x_ticks: tuple[str, ...]
    y_ticks: tuple[str, ...]


def grid_layout(cc: CompiledConflict) -> GridLayout:
    """Place states so that every decision maker moves along one axis.

    Each decision maker's feasible sub-states (its option bits) are numbered; the
    decision makers are split into two groups with products of sub-state counts as
    equal as possible (largest first, each to the smaller side); a state's column is
    the mixed-radix number of the first group's sub-states, its row that of the second.
    A unilateral move changes one decision maker's digit only, hence one coordinate.
    """
    dms = cc.decision_makers
    subs = [((cc.codes >> d.lo) & (d.size - 1)).astype(np.int64) for d in dms]
    values = [np.unique(s) for s in subs]
    digits = [np.searchsorted(v, s) for v, s in zip(values, subs, strict=True)]
    side: dict[int, int] = {}
    prod = [1, 1]
    for i in sorted(range(len(dms)), key=lambda i: (-len(values[i]), i)):
        g = 0 if prod[0] <= prod[1] else 1
        side[i] = g
        prod[g] *= len(values[i])

    def number(group: list[int]) -> tuple[np.ndarray[Any, np.dtype[np.int64]], list[str]]:
        pos = np.zeros(cc.n_states, dtype=np.int64)
        for i in group:
            pos = pos * len(values[i]) + digits[i]
        ticks = []
        for p in range(int(np.prod([len(values[i]) for i in group])) if group else 1):
            parts, rest = [], p
            for i in reversed(group):
                v = int(values[i][rest % len(values[i])])
                rest //= len(values[i])
                taken = [o for j, o in enumerate(dms[i].options) if v >> j & 1]
                parts.append(f"{dms[i].party}: {'+'.join(taken) or '-'}")
            ticks.append("<br>".join(reversed(parts)))
        return pos, ticks

    xs_group = [i for i in range(len(dms)) if side[i] == 0]
    ys_group = [i for i in range(len(dms)) if side[i] == 1]
    x, xt = number(xs_group)
    y, yt = number(ys_group)
    return GridLayout(
        tuple(int(v) for v in x),
        tuple(int(v) for v in y),
        tuple(dms[i].party for i in xs_group),
        tuple(dms[i].party for i in ys_group),
        tuple(xt),
        tuple(yt),
    )


def moves_of(cc: CompiledConflict) -> dict[str, list[tuple[int, int, bool]]]:
    """Per decision maker, its moves as (from state, to state, two-way?).

    A two-way move is listed once (from the lower state id).
    """
    out: dict[str, list[tuple[int, int, bool]]] = {}
    for d in cc.decision_makers:
        ms = MoveStructure.of(cc, d)
        edges: list[tuple[int, int, bool]] = []
        for k, code in enumerate(cc.codes):
            for t in neighbours(cc, ms, int(code)):
                j = int(cc.state_id(int(t))) - 1
                back = int(code) in {int(x) for x in neighbours(cc, ms, int(t))}
                if back and j < k:
                    continue
                edges.append((k + 1, j + 1, back))
        out[d.party] = edges
    return out


def shade(n_concepts: int) -> tuple[str, str]:
    """Fill and label colour of a node that is an equilibrium under ``n_concepts`` concepts."""
    return _FILLS[n_concepts], "white" if n_concepts >= 3 else "black"


def _name(scenario: Scenario | None, pid: str) -> str:
    return pid if scenario is None else scenario.party_name(pid)


def _curve(
    x0: float, y0: float, x1: float, y1: float, bend: float
) -> tuple[list[float], list[float]]:
    """Points of a straight segment (adjacent cells) or a quadratic arc bulging by ``bend``."""
    dist = abs(x1 - x0) + abs(y1 - y0)
    if dist <= 1 or bend == 0:
        return [x0, x1], [y0, y1]
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    # perpendicular to the move, proportional to its length
    cx = mx + (0 if x0 != x1 else bend * 0.18 * dist)
    cy = my + (0 if y0 != y1 else bend * 0.18 * dist)
    t = np.linspace(0, 1, 21)
    px = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    py = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return [float(v) for v in px], [float(v) for v in py]


def _hover(
    result: StabilityAnalysis, scenario: Scenario | None, k: int, pattern: str, eq: Sequence[str]
) -> str:
    cc = result.conflict
    labels = {o.id: (o.label or o.id) for dm in cc.source.decision_makers for o in dm.options}
    lines = [f"<b>state {k + 1}</b>: {pattern}"]
    for d in cc.decision_makers:
        for j, o in enumerate(d.options):
            lines.append(f"{pattern[d.lo + j]}  {labels[o]} ({_name(scenario, d.party)})")
    lines.append("stable for:")
    for dm in result.dm_ids:
        ok = [_LABEL[c] for c in CONCEPTS if result.stable[dm][c][k]]
        lines.append(f"  {_name(scenario, dm)}: {', '.join(ok) if ok else 'no concept'}")
    lines.append(
        f"<b>equilibrium under {', '.join(_LABEL[c] for c in eq)}</b>"
        if eq
        else "not an equilibrium"
    )
    return "<br>".join(lines)


def _category(eq: Sequence[str]) -> str:
    if not eq:
        return "not an equilibrium"
    return "equilibrium: " + ", ".join(_LABEL[c] for c in eq)


def conflict_figure(result: StabilityAnalysis, scenario: Scenario | None = None) -> Any:
    """A :class:`plotly.graph_objects.Figure` of the state graph (see module docstring)."""
    import plotly.graph_objects as go

    cc = result.conflict
    n = cc.n_states
    if n > PLOT_MAX_STATES:
        raise LimitError(
            f"{n:,} states are too many to draw (limit {PLOT_MAX_STATES}); hold some options "
            "fixed (--without a decision maker) or use 'detente stability' for the table"
        )
    grid = grid_layout(cc)
    xs = [float(v) for v in grid.x]
    ys = [-float(v) for v in grid.y]  # first row at the top
    pats = cc.patterns()
    fig = go.Figure()
    arrows: list[dict[str, Any]] = []
    for di, (dm, edges) in enumerate(moves_of(cc).items()):
        colour = _COLOURS[di % len(_COLOURS)]
        name = _name(scenario, dm)
        bend = 1.0 if di % 2 == 0 else -1.0
        for two_way in (True, False):
            ex: list[float | None] = []
            ey: list[float | None] = []
            for a, b, back in edges:
                if back != two_way:
                    continue
                px, py = _curve(xs[a - 1], ys[a - 1], xs[b - 1], ys[b - 1], bend)
                ex += [*px, None]
                ey += [*py, None]
                if not back:
                    arrows.append(
                        {
                            "x": px[-1],
                            "y": py[-1],
                            # the tail stays clear of the source node
                            "ax": px[-4] if len(px) > 2 else px[0] + 0.6 * (px[1] - px[0]),
                            "ay": py[-4] if len(py) > 2 else py[0] + 0.6 * (py[1] - py[0]),
                            "xref": "x",
                            "yref": "y",
                            "axref": "x",
                            "ayref": "y",
                            "showarrow": True,
                            "arrowhead": 2,
                            "arrowsize": 1.4,
                            "arrowwidth": 1.5,
                            "arrowcolor": colour,
                            "standoff": _NODE / 2 + 1,
                            "text": "",
                        }
                    )
            if not ex:
                continue
            fig.add_trace(
                go.Scatter(
                    x=ex,
                    y=ey,
                    mode="lines",
                    name=f"moves by {name}"
                    if two_way
                    else f"one-way moves by {name} (irreversible)",
                    line={"color": colour, "width": 2, "dash": "solid" if two_way else "dash"},
                    hoverinfo="skip",
                    opacity=0.75,
                    legendgroup=f"moves {dm}",
                )
            )
    eq_sets = [[c for c in CONCEPTS if result.equilibrium_mask(c)[k]] for k in range(n)]
    order = sorted({tuple(e) for e in eq_sets}, key=lambda e: (-len(e), e))
    for cat in order:
        members = [k for k in range(n) if tuple(eq_sets[k]) == cat]
        fill, ink = shade(len(cat))
        fig.add_trace(
            go.Scatter(
                x=[xs[k] for k in members],
                y=[ys[k] for k in members],
                mode="markers+text",
                text=[str(k + 1) for k in members],
                textfont={"color": ink, "size": 13},
                name=_category(cat),
                hovertext=[_hover(result, scenario, k, pats[k], cat) for k in members],
                hoverinfo="text",
                marker={"size": _NODE, "color": fill, "line": {"width": 1.5, "color": "#222"}},
            )
        )
    sq = cc.status_quo_code
    if sq is not None and bool(cc.feasible[sq]):
        k = int(cc.state_id(sq)) - 1
        fig.add_trace(
            go.Scatter(
                x=[xs[k]],
                y=[ys[k]],
                mode="markers",
                name=f"status quo (state {k + 1})",
                hoverinfo="skip",
                marker={
                    "size": _NODE + 12,
                    "color": "rgba(0,0,0,0)",
                    "line": {"width": 3, "color": _STATUS_QUO},
                },
            )
        )
    if len(arrows) <= 600:
        fig.update_layout(annotations=arrows)
    title = scenario.title if scenario is not None else "Conflict"
    cols_by = ", ".join(_name(scenario, d) for d in grid.columns) or "-"
    rows_by = ", ".join(_name(scenario, d) for d in grid.rows) or "-"
    width_cells, height_cells = max(grid.x) + 1, max(grid.y) + 1
    # column labels stack one line per decision maker on the columns: make room above the
    # plot for them, and slant them when they are wider than a column (about 900 px wide)
    lines = max((tick.count("<br>") + 1 for tick in grid.x_ticks), default=1)
    longest = max((max(len(s) for s in tick.split("<br>")) for tick in grid.x_ticks), default=0)
    slant = longest * 6.5 > 900 / max(width_cells, 1)
    top = 150 + 16 * lines + (int(longest * 4) if slant else 0)
    fig.update_layout(
        title={
            "text": f"{title}: state graph ({n} states)<br><sup>columns: options of {cols_by}; "
            f"rows: options of {rows_by}; each decision maker moves along one direction; "
            "hover a state for its options and stability</sup>"
        },
        xaxis={
            "tickvals": list(range(width_cells)),
            "ticktext": list(grid.x_ticks),
            "side": "top",
            "tickangle": -30 if slant else 0,
            "showgrid": False,
            "zeroline": False,
            "range": [-0.6, width_cells - 0.4],
        },
        yaxis={
            "tickvals": [-v for v in range(height_cells)],
            "ticktext": list(grid.y_ticks),
            "showgrid": False,
            "zeroline": False,
            "scaleanchor": "x",
            "range": [-height_cells + 0.4, 0.6],
        },
        plot_bgcolor="white",
        showlegend=True,
        legend={"itemsizing": "constant"},
        height=max(560, 150 * height_cells + 220),
        margin={"t": top},
    )
    return fig

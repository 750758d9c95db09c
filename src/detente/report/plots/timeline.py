"""The talks over time as one Plotly figure (a JSON-ready dict; no plotly import needed).

One panel per bargaining party: the utility to that party of each proposal, on the day
it was made or accepted, one line per series (the party that made or accepted it, or a
mediator's drafts; :mod:`detente.timeline.curves`), hover giving the distances to the
Pareto frontier and to the Nash point. Below, on the same dated axis: the model's
changes and the reported events as points (hover: what happened, basis and source),
and bands for the days with no ZOPA (red, with the number of minimal conflicts) and
with one (green, with its size). Rendering only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from detente.timeline.analysis import Day, Timeline
from detente.timeline.curves import ConcessionCurves

__all__ = ["timeline_figure"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "<br>".join(textwrap.wrap(text, width)) or text


def _bands(t: Timeline) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    days = [d for d in t.days if d.date is not None]
    dates = [d.date for d in days if d.date is not None]
    if not dates:
        return [], []
    shapes: list[dict[str, Any]] = []
    notes: list[tuple[Day, str]] = []
    ends = [*dates[1:], dates[-1] + dt.timedelta(days=1)]
    for d, end in zip(days, ends, strict=True):
        s = d.analysis.summary
        if s.zopa_empty is None:
            continue
        colour = "rgba(214,39,40,0.10)" if s.zopa_empty else "rgba(44,160,44,0.10)"
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": d.date.isoformat() if d.date else None,
                "x1": end.isoformat(),
                "y0": 0,
                "y1": 1,
                "fillcolor": colour,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        label = (
            f"no ZOPA: {len(s.gaps)} gap{'s' if len(s.gaps) != 1 else ''}"
            if s.zopa_empty
            else f"ZOPA {s.zopa_size:,}"
        )
        notes.append((d, label))
    annotations = []
    prev = None
    for d, label in notes:
        if label != prev:
            annotations.append(
                {
                    "x": d.date.isoformat() if d.date else None,
                    "y": 1.0,
                    "xref": "x",
                    "yref": "paper",
                    "text": label,
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "font": {"size": 11, "color": "#444"},
                }
            )
        prev = label
    return shapes, annotations


def _moves(days: list[Day], kind: str) -> dict[str, Any]:
    xs, ys, texts, colours = [], [], [], []
    row = 1 if kind == "model" else 0
    for d in days:
        items = d.changes if kind == "model" else d.context
        for j, c in enumerate(items):
            xs.append(c.date.isoformat())
            ys.append(row + 0.12 * (j % 4))
            src = f", {c.source}" if c.source else ""
            texts.append(_wrap(f"{c.date.isoformat()}: {c.text} ({c.basis}{src})"))
            colours.append("#1b2f66" if kind == "model" and d.changed else "#9aa3b5")
    return {
        "type": "scatter",
        "mode": "markers",
        "x": xs,
        "y": ys,
        "text": texts,
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {
            "size": 11 if kind == "model" else 8,
            "symbol": "diamond" if kind == "model" else "circle",
            "color": colours,
        },
        "name": "changes to the model (dark: changed the analysis)"
        if kind == "model"
        else "reported events (context)",
        "xaxis": "x",
        "yaxis": "y",
    }


def timeline_figure(t: Timeline, curves: ConcessionCurves) -> dict[str, Any]:
    """The figure (see the module docstring) as a Plotly JSON dict."""
    parties = list(curves.parties)
    s = t.start.scenario
    n = len(parties)
    gap = 0.04
    bottom = 0.22 if n else 1.0
    height = (1 - bottom - gap * n) / n if n else 0
    layout: dict[str, Any] = {
        "title": {"text": f"{t.title}: the talks over time"},
        "height": 260 + 240 * n,
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.08},
        "margin": {"l": 70, "r": 30, "t": 80, "b": 60},
        "xaxis": {"type": "date", "anchor": "y", "title": {"text": "date"}},
        "yaxis": {
            "domain": [0, bottom],
            "range": [-0.4, 1.8],
            "tickvals": [0, 1],
            "ticktext": ["events", "model"],
            "fixedrange": True,
        },
    }
    traces: list[dict[str, Any]] = []
    days = list(t.days)
    traces.append(_moves(days, "context"))
    traces.append(_moves(days, "model"))
    series = curves.series()
    for i, p in enumerate(parties):
        axis = f"y{i + 2}"
        lo = bottom + gap + (n - 1 - i) * (height + gap)  # the first party on top
        layout[f"yaxis{i + 2}"] = {
            "domain": [lo, lo + height],
            "range": [-0.05, 1.05],
            "title": {"text": f"utility to {s.party_name(p)}"},
        }
        for k, (name, pts) in enumerate(series.items()):
            roles = {x.role for x in pts}
            label = s.party_name(name) + (
                " (mediator's drafts)" if roles == {"draft"} else " (made or accepted)"
            )
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": [x.date.isoformat() for x in pts],
                    "y": [x.utilities[p] for x in pts],
                    "text": [
                        _wrap(
                            f"{x.proposal} ({x.role} by {s.party_name(x.series)}); "
                            f"distance to the Pareto frontier "
                            f"{'n/a' if x.frontier_distance is None else f'{x.frontier_distance:.3f}'}"
                            f", to the Nash point "
                            f"{'n/a (no ZOPA)' if x.nash_distance is None else f'{x.nash_distance:.3f}'}"
                        )
                        for x in pts
                    ],
                    "hovertemplate": "%{text}<br>utility %{y:.3f}<extra>" + label + "</extra>",
                    "name": label,
                    "legendgroup": name,
                    "showlegend": i == 0,
                    "marker": {"size": 10, "color": _COLOURS[k % len(_COLOURS)]},
                    "line": {"color": _COLOURS[k % len(_COLOURS)], "shape": "hv"},
                    "xaxis": "x",
                    "yaxis": axis,
                }
            )
    dates = [d.date for d in t.days if d.date is not None]
    if dates and (dates[-1] - dates[0]).days > 21:  # open on the last week; zoom out for more
        last = dates[-1]
        layout["xaxis"]["range"] = [
            (last - dt.timedelta(days=6, hours=12)).isoformat(),
            (last + dt.timedelta(days=1, hours=12)).isoformat(),
        ]
        layout["xaxis"]["title"] = {"text": "date (the last week; zoom out for earlier moves)"}
    shapes, annotations = _bands(t)
    layout["shapes"] = shapes
    layout["annotations"] = annotations
    return {"data": traces, "layout": layout}

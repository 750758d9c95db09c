"""Plotly figures of a simulated negotiation: the offer history and the utility space.

Left, one panel per party: that party's utility of every offer (SAO) or proposed text
(single text) over the steps, one line per proposer, the agreement marked. Right, the
utility space of the first two parties: the Pareto frontier of the whole space and of
the ZOPA, every offer as a point coloured by its proposer, the Nash point and the
agreement. Figures are plain JSON-ready dicts (no Plotly import); rendering only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from detente.report.page import Section, esc, figure_block, figure_page
from detente.simulate.results import Simulation

__all__ = ["simulation_figure", "simulation_html", "simulation_section"]

COLOURS = ("#1b2f66", "#c0392b", "#1c7c3a", "#9a6a00", "#6c3483", "#117a8b")


def _proposers(sim: Simulation) -> list[tuple[int, str]]:
    if sim.method == "sao":
        return list(enumerate(sim.parties))
    return [(-1, sim.mediator or "mediator")]


def simulation_figure(sim: Simulation) -> dict[str, Any]:
    """The figure (module docstring) as a Plotly JSON dict."""
    k = len(sim.parties)
    off = sim.offers
    data: list[dict[str, Any]] = []
    rows = k
    ag = sim.agreement
    for i, p in enumerate(sim.parties):
        axis = "" if i == 0 else str(i + 1)
        for c, (j, who) in enumerate(_proposers(sim)):
            mine = off.party == j
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": off.step[mine].tolist(),
                    "y": np.round(off.utilities[mine, i], 6).tolist(),
                    "name": f"offers by {who}",
                    "legendgroup": who,
                    "showlegend": i == 0,
                    "line": {"color": COLOURS[c % len(COLOURS)], "width": 1.5},
                    "marker": {"size": 4},
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                    "hovertemplate": f"step %{{x}}<br>{p}'s utility %{{y:.3f}}<extra>{who}</extra>",
                }
            )
        if ag is not None:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [ag.step],
                    "y": [round(float(ag.utilities[p]), 6)],
                    "name": "agreement",
                    "legendgroup": "agreement",
                    "showlegend": i == 0,
                    "marker": {"symbol": "star", "size": 14, "color": "#e67e22"},
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                }
            )
    space_axis = str(k + 1)
    ref = sim.reference
    if ref is not None and len(ref.frontier_all):
        f = ref.frontier_all[np.argsort(ref.frontier_all[:, 0])]
        data.append(_line(f, "Pareto frontier (all outcomes)", "#999999", space_axis, "dot"))
    if ref is not None and len(ref.frontier):
        f = ref.frontier[np.argsort(ref.frontier[:, 0])]
        data.append(_line(f, "Pareto frontier (ZOPA)", "#1c7c3a", space_axis, "solid"))
    for c, (j, who) in enumerate(_proposers(sim)):
        mine = off.party == j
        if k >= 2:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": np.round(off.utilities[mine, 0], 6).tolist(),
                    "y": np.round(off.utilities[mine, 1], 6).tolist(),
                    "name": f"offers by {who}",
                    "legendgroup": who,
                    "showlegend": False,
                    "marker": {"color": COLOURS[c % len(COLOURS)], "size": 6, "opacity": 0.6},
                    "xaxis": f"x{space_axis}",
                    "yaxis": f"y{space_axis}",
                }
            )
    if ref is not None and ref.nash is not None and k >= 2:
        v = [float(ref.nash.utilities[p]) for p in sim.parties[:2]]
        data.append(_point(v, "Nash point", "#6c3483", "diamond", space_axis))
    if ag is not None and k >= 2:
        v = [float(ag.utilities[p]) for p in sim.parties[:2]]
        data.append(_point(v, "agreement", "#e67e22", "star", space_axis, legend=False))
    layout: dict[str, Any] = {
        "title": {
            "text": f"{sim.title}: {'SAO' if sim.method == 'sao' else 'single text'}, "
            + (f"agreement at step {ag.step}" if ag else "no agreement")
        },
        "height": max(420, 230 * rows),
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.22 if rows <= 2 else -0.12},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 90},
    }
    gap = 0.08
    h = (1.0 - gap * (rows - 1)) / rows
    for i, p in enumerate(sim.parties):
        axis = "" if i == 0 else str(i + 1)
        top = 1.0 - i * (h + gap)
        layout[f"xaxis{axis}"] = {
            "domain": [0.0, 0.52],
            "anchor": f"y{axis}",
            "title": {"text": "step"} if i == rows - 1 else {},
        }
        layout[f"yaxis{axis}"] = {
            "domain": [top - h, top],
            "anchor": f"x{axis}",
            "range": [-0.02, 1.02],
            "title": {"text": f"{p}'s utility"},
        }
    if k >= 2:
        layout[f"xaxis{space_axis}"] = {
            "domain": [0.6, 1.0],
            "anchor": f"y{space_axis}",
            "range": [-0.02, 1.02],
            "title": {"text": f"{sim.parties[0]}'s utility"},
        }
        layout[f"yaxis{space_axis}"] = {
            "domain": [0.0, 1.0] if rows == 1 else [max(0.0, 1.0 - 2 * h - gap), 1.0],
            "anchor": f"x{space_axis}",
            "range": [-0.02, 1.02],
            "title": {"text": f"{sim.parties[1]}'s utility"},
        }
    return {"data": data, "layout": layout}


def _line(pts: Any, name: str, colour: str, axis: str, dash: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "x": np.round(pts[:, 0], 6).tolist(),
        "y": np.round(pts[:, 1], 6).tolist(),
        "name": name,
        "line": {"color": colour, "dash": dash, "width": 1.5},
        "marker": {"size": 4},
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
    }


def _point(
    v: list[float], name: str, colour: str, symbol: str, axis: str, legend: bool = True
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers",
        "x": [round(v[0], 6)],
        "y": [round(v[1], 6)],
        "name": name,
        "showlegend": legend,
        "marker": {"symbol": symbol, "size": 14, "color": colour, "line": {"width": 1}},
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
    }


def simulation_html(sim: Simulation) -> str:
    """A self-contained HTML page of :func:`simulation_figure` (``detente plot-simulation``)."""
    note = "Offer history by party (left) and the offers in utility space (right)."
    return figure_page(f"{sim.title}: negotiation played out", simulation_figure(sim), note=note)


def simulation_section(
    sim: Simulation, text: str, *, plots: bool = True, key: str = "simulation", title: str = ""
) -> Section:
    """A report section: the text summary and, with ``plots``, the figure."""
    body = f'<pre style="white-space: pre-wrap">{esc(text)}</pre>'
    figures: dict[str, Any] = {}
    if plots:
        fid = f"{key}-figure"
        body = figure_block(fid, "Offers over time and in utility space.") + body
        figures[fid] = simulation_figure(sim)
    return Section(key, title or "Negotiation played out", body, figures)

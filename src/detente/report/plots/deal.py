"""Interactive Plotly page of a deal analysis' utility space (``detente plot``).

Two parties: one scatter of (a deterministic sample of) the outcomes, coloured by who
accepts them (every party: the ZOPA; one party only, one colour per party; no party),
both Pareto frontiers, reservation lines, proposals (a proposal with open issues is drawn
as the cloud of its completions) and the bargaining solutions; solutions that coincide
share one marker and one label ("Nash, Kalai-Smorodinsky, egalitarian"). An empty ZOPA
is stated on the figure. Three or more parties: the same, as pairwise panels (one per
pair of parties). Labels are boxed and placed so that they do not overlap each other.
The page embeds plotly.js, so it works offline. Rendering only: the acceptability of the
plotted outcomes comes from :func:`detente.space.sampling.sample_outcomes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.deal.analysis import DealAnalysis
from detente.deal.scoring import ProposalScore
from detente.space.bargaining import Deal
from detente.space.dominance import pareto_mask
from detente.space.sampling import sample_outcomes

__all__ = [
    "plot_html",
    "figure",
    "acceptability_groups",
    "solution_groups",
    "MAX_POINTS",
    "COMPLETION_POINTS",
    "NO_ZOPA",
]

MAX_POINTS = 20_000
MAX_POINTS_PANELS = 3_000  # outcomes drawn per panel with three or more parties
COMPLETION_POINTS = 2_000  # completions of an open proposal drawn at most
SHORT_NAME = 20  # longer party names are replaced by ids in panels of 3+ parties
NO_ZOPA = "No zone of possible agreement: no outcome is acceptable to every party"

LABELS = {
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
_ZOPA_COLOUR = "#2ca02c"
_NONE_COLOUR = "#c7c7c7"
_SOME_COLOUR = "#bcbd22"
_PARTY_COLOURS = ("#4c8fd6", "#e8a33d", "#9467bd", "#8c564b", "#e377c2", "#17becf")
_FRONTIER_ALL = "#1b2f66"
_FRONTIER_ZOPA = "#d62728"
_PROPOSAL = "#c51b7d"
_PROPOSAL_SYMBOLS = ("x", "cross", "diamond", "hourglass", "bowtie", "triangle-down")
_BOX = {"bgcolor": "rgba(255,255,255,0.9)", "borderpad": 3, "font": {"size": 12}}

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Group:
    """Sampled outcomes sharing one acceptability pattern: legend name, mask, colour."""

    name: str
    mask: BoolArray
    colour: str


def acceptability_groups(names: Sequence[str], acceptable: BoolArray) -> list[Group]:
    """Partition outcomes by which parties accept them, drawing order (bottom first).

    ``acceptable[r, j]``: outcome ``r`` is acceptable to party ``j``. Groups: no party;
    exactly one party (one per party, "acceptable to Israel only"); some but not all
    parties (three or more parties); every party (the ZOPA). Empty groups are left out.
    """
    k = len(names)
    n_ok = acceptable.sum(axis=1) if k else np.zeros(len(acceptable), dtype=np.int64)
    groups = [Group("acceptable to no party", n_ok == 0, _NONE_COLOUR)]
    if k > 1:
        for j, name in enumerate(names):
            only = (n_ok == 1) & acceptable[:, j]
            groups.append(
                Group(f"acceptable to {name} only", only, _PARTY_COLOURS[j % len(_PARTY_COLOURS)])
            )
    if k > 2:
        groups.append(
            Group("acceptable to some parties, not all", (n_ok > 1) & (n_ok < k), _SOME_COLOUR)
        )
    if k:
        groups.append(Group("acceptable to every party (ZOPA)", n_ok == k, _ZOPA_COLOUR))
    return [g for g in groups if g.mask.any()]


def solution_groups(
    points: dict[str, FloatArray], axes: tuple[int, ...], *, decimals: int = 9
) -> list[tuple[tuple[str, ...], FloatArray]]:
    """Solutions that coincide on ``axes`` (to ``decimals`` places), in first-seen order.

    ``points`` maps a solution name to its utility vector; each group is the names
    sharing one point and that point.
    """
    found: dict[tuple[float, ...], list[str]] = {}
    where: dict[tuple[float, ...], FloatArray] = {}
    for name, u in points.items():
        key = tuple(round(float(u[i]), decimals) for i in axes)
        found.setdefault(key, []).append(name)
        where.setdefault(key, u)
    return [(tuple(names), where[key]) for key, names in found.items()]


@dataclass
class _Labeller:
    """Places boxed labels near points, overlapping neither each other nor those points.

    Uses an approximate pixel geometry of one panel.
    """

    width_px: float
    height_px: float
    taken: list[tuple[float, float, float, float]]

    _OFFSETS = ((45, -40), (45, 40), (-45, -40), (-45, 40), (80, -75), (-80, -75), (80, 75))

    def place(self, x: float, y: float, text: str, prefer_below: bool = False) -> tuple[int, int]:
        lines = text.split("<br>")
        w = 7.0 * max(len(line) for line in lines) + 10
        h = 17.0 * len(lines) + 6
        px, py = (x + 0.05) / 1.1 * self.width_px, (1.05 - y) / 1.1 * self.height_px
        offsets = self._OFFSETS[1::2] + self._OFFSETS[::2] if prefer_below else self._OFFSETS
        best = offsets[0]
        for ax, ay in offsets:
            cx = px + ax + (w / 2 if ax > 0 else -w / 2)
            box = (cx - w / 2, py + ay - h / 2, cx + w / 2, py + ay + h / 2)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= self.width_px
            clash = any(
                box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3]
                for t in self.taken
            )
            if inside and not clash:
                best = (ax, ay)
                break
        ax, ay = best
        cx = px + ax + (w / 2 if ax > 0 else -w / 2)
        self.taken.append((cx - w / 2, py + ay - h / 2, cx + w / 2, py + ay + h / 2))
        return ax, ay


def _hover(a: DealAnalysis, codes: npt.NDArray[np.int64]) -> list[str]:
    """Each outcome's terms as ``issue=value`` lines (display values)."""
    sc = a.space.scenario
    terms = a.terms_of(codes)
    if not terms or not terms[0]:
        return ["" for _ in terms]
    # issue by issue, each distinct value formatted once (a sample repeats few values;
    # per-outcome display_terms dicts were most of the deal figure's time)
    columns: list[list[str]] = []
    for k in terms[0]:
        shown: dict[object, str] = {}
        column = []
        for t in terms:
            v = t[k]
            text = shown.get(v)
            if text is None:
                text = shown[v] = f"{k}={sc.display_value(k, v)}"
            column.append(text)
        columns.append(column)
    return ["<br>".join(row) for row in zip(*columns, strict=True)]


def _name(a: DealAnalysis, pid: str, short: bool = False) -> str:
    """The party's name; its id instead when ``short`` and the name is long (panels)."""
    name = a.space.scenario.party_name(pid)
    return pid if short and len(name) > SHORT_NAME else name


def _legend_name(p: ProposalScore) -> str:
    return p.id if p.id.lower().startswith("proposal") else f"proposal {p.id}"


def _proposal_label(p: ProposalScore) -> str:
    if not p.open_issues:
        return p.id
    return f"{p.id}<br>{', '.join(p.open_issues)} open: {p.completions:,} completions"


def _completions(a: DealAnalysis, p: ProposalScore) -> tuple[FloatArray, list[str]]:
    """Utilities and hover text of (an even sample of) an open proposal's completions."""
    sub = a.space.restrict({iid: [v] for iid, v in p.terms.items()})
    s = sample_outcomes(sub, COMPLETION_POINTS)
    hover = ["<br>".join(f"{k}={v}" for k, v in sub.terms(c).items()) for c in s.codes]
    return s.utilities, hover


def figure(a: DealAnalysis, *, max_points: int = MAX_POINTS) -> Any:
    """The plotly Figure (see module docstring)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    k = len(a.parties)
    names = [_name(a, p, short=k > 2) for p in a.parties]
    pairs = list(combinations(range(k), 2)) if k >= 2 else []
    if not pairs:
        fig = go.Figure()
        fig.update_layout(title=f"{a.title}: fewer than two parties, nothing to plot")
        return fig
    cols = min(2 if len(pairs) <= 4 else 3, len(pairs))
    rows = (len(pairs) + cols - 1) // cols
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[f"{names[i]} vs {names[j]}" for i, j in pairs] if len(pairs) > 1 else None,
        horizontal_spacing=0.08,
        vertical_spacing=0.12,
    )
    height = 680 if k == 2 else 470 * rows + 80
    if k > 2:  # each outcome is drawn once per panel: a smaller sample keeps files small
        max_points = min(max_points, MAX_POINTS_PANELS)
    sample = sample_outcomes(a.space, max_points)
    groups = acceptability_groups(names, sample.acceptable)
    dot = 7 if len(sample.codes) <= 2_000 else 4  # few points: make them visible
    terms_hover = _hover(a, sample.codes)
    who = [
        "acceptable to: " + (", ".join(n for n, ok in zip(names, row, strict=True) if ok) or "none")
        for row in sample.acceptable
    ]
    hover_all = [f"{t}<br><i>{w}</i>" for t, w in zip(terms_hover, who, strict=True)]
    completions = {
        p.id: _completions(a, p)
        for p in a.proposals
        if p.evaluated and p.open_issues and p.completions > 1
    }
    solved: dict[str, Deal] = {n: s for n, s in a.solutions.items() if s is not None}
    sols: dict[str, FloatArray] = {n: s.utility_vector for n, s in solved.items()}
    shown: set[str] = set()
    annotations: list[dict[str, Any]] = []

    def legend(name: str) -> bool:
        first = name not in shown
        shown.add(name)
        return first

    for n, (i, j) in enumerate(pairs):
        r, c = n // cols + 1, n % cols + 1
        axis = "" if n == 0 else str(n + 1)
        labeller = _Labeller(1000 / cols, (height - 160) / rows, [])

        def add(trace: Any, *, _r: int = r, _c: int = c) -> None:
            fig.add_trace(trace, row=_r, col=_c)

        for g in groups:
            add(
                go.Scattergl(
                    x=sample.utilities[g.mask, i],
                    y=sample.utilities[g.mask, j],
                    mode="markers",
                    marker={"size": dot, "color": g.colour, "opacity": 0.7},
                    name=g.name,
                    text=[h for h, m in zip(hover_all, g.mask, strict=True) if m],
                    hoverinfo="text+x+y",
                    legendgroup=g.name,
                    showlegend=legend(g.name),
                )
            )
        for f, name, colour in (
            (a.frontier_all, "Pareto frontier (whole space)", _FRONTIER_ALL),
            (a.frontier, "Pareto frontier (ZOPA)", _FRONTIER_ZOPA),
        ):
            if len(f) == 0:
                continue
            hover = _hover(a, f.codes)
            if k == 2:
                order = np.lexsort((f.utilities[:, j], f.utilities[:, i]))
                add(
                    go.Scattergl(
                        x=f.utilities[order, i],
                        y=f.utilities[order, j],
                        mode="markers+lines",
                        line={"color": colour, "shape": "hv", "width": 1.5},
                        marker={"size": 5, "color": colour},
                        name=name,
                        text=[hover[o] for o in order],
                        hoverinfo="text+x+y",
                        legendgroup=name,
                        showlegend=legend(name),
                    )
                )
                continue
            # three or more parties: the frontier of this pair is exactly the pairwise
            # frontier of the projected k-party frontier (a point maximal in the pair is
            # weakly dominated only by points equal on the pair); the other k-party
            # frontier points are drawn apart, as what they are
            pair = f.utilities[:, [i, j]]
            on_pair = pareto_mask(pair)
            rows_pair = np.flatnonzero(on_pair)
            order = rows_pair[np.lexsort((pair[rows_pair, 1], pair[rows_pair, 0]))]
            rest = np.flatnonzero(~on_pair)
            if len(rest):
                rest_name = f"{name}: on the {k}-party frontier only"
                add(
                    go.Scattergl(
                        x=f.utilities[rest, i],
                        y=f.utilities[rest, j],
                        mode="markers",
                        marker={"size": 3, "color": "#9aa8c7", "opacity": 0.7},
                        name=rest_name,
                        text=[hover[o] for o in rest],
                        hoverinfo="text+x+y",
                        legendgroup=rest_name,
                        showlegend=legend(rest_name),
                    )
                )
            pair_name = f"{name}: frontier of this pair"
            add(  # drawn last: on top of the other frontier points
                go.Scattergl(
                    x=f.utilities[order, i],
                    y=f.utilities[order, j],
                    mode="markers+lines",
                    line={"color": colour, "shape": "hv", "width": 1.5},
                    marker={"size": 6, "color": colour},
                    name=pair_name,
                    text=[hover[o] for o in order],
                    hoverinfo="text+x+y",
                    legendgroup=pair_name,
                    showlegend=legend(pair_name),
                )
            )
        for n_p, p in enumerate(a.proposals):
            if p.u_min is None or p.u_max is None:
                continue
            label = _proposal_label(p)
            group = _legend_name(p)
            if p.id in completions:
                u, hov = completions[p.id]
                x, y = u[:, i], u[:, j]
                lo, hi = p.u_min, p.u_max
                add(  # the range of each party's utility over the completions
                    go.Scattergl(
                        x=[lo[i], hi[i], hi[i], lo[i], lo[i]],
                        y=[lo[j], lo[j], hi[j], hi[j], lo[j]],
                        mode="lines",
                        fill="toself",
                        fillcolor="rgba(197,27,125,0.15)",
                        line={"color": _PROPOSAL, "width": 1},
                        hoverinfo="skip",
                        legendgroup=group,
                        showlegend=False,
                    )
                )
                add(
                    go.Scattergl(
                        x=x,
                        y=y,
                        mode="markers",
                        marker={
                            "size": 9,
                            "color": _PROPOSAL,
                            "line": {"color": "white", "width": 1},
                        },
                        name=f"{group} (its {p.completions:,} completions)",
                        text=hov,
                        hoverinfo="text+x+y",
                        legendgroup=group,
                        showlegend=legend(group),
                    )
                )
                px, py = float(np.median(x)), float(np.max(y))
            else:
                px, py = float(p.u_min[i]), float(p.u_min[j])
                add(
                    go.Scattergl(
                        x=[px],
                        y=[py],
                        mode="markers",
                        marker={
                            "size": 13,
                            "symbol": _PROPOSAL_SYMBOLS[n_p % len(_PROPOSAL_SYMBOLS)],
                            "color": _PROPOSAL,
                        },
                        name=group,
                        legendgroup=group,
                        showlegend=legend(group),
                    )
                )
            ax, ay = labeller.place(px, py, label, prefer_below=True)
            annotations.append(_label(label, px, py, ax, ay, axis, _PROPOSAL))
        for names_, u in sorted(solution_groups(sols, (i, j)), key=lambda g: (-g[1][j], g[1][i])):
            label = ", ".join(LABELS[s] for s in names_)
            sx, sy = float(u[i]), float(u[j])
            add(
                go.Scattergl(
                    x=[sx],
                    y=[sy],
                    mode="markers",
                    marker={
                        "size": 14,
                        "symbol": _SYMBOLS[names_[0]],
                        "color": "black",
                        "line": {"color": "white", "width": 1},
                    },
                    name=label,
                    hovertext=_hover(a, a.space.codes_from_terms(solved[names_[0]].terms)[None, :]),
                    legendgroup=label,
                    showlegend=legend(label),
                )
            )
            ax, ay = labeller.place(sx, sy, label)
            annotations.append(_label(label, sx, sy, ax, ay, axis, "black"))
        fig.add_vline(x=float(a.reservations[i]), line_dash="dash", line_color="gray", row=r, col=c)
        fig.add_hline(y=float(a.reservations[j]), line_dash="dash", line_color="gray", row=r, col=c)
        fig.update_xaxes(title_text=f"utility to {names[i]}", range=[-0.05, 1.05], row=r, col=c)
        fig.update_yaxes(title_text=f"utility to {names[j]}", range=[-0.05, 1.05], row=r, col=c)
    fig.add_trace(
        go.Scattergl(
            x=[None],
            y=[None],
            mode="lines",
            line={"dash": "dash", "color": "gray"},
            name="reservation values",
        )
    )
    if a.zopa.empty:
        annotations.append(
            {
                "text": f"<b>{NO_ZOPA}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": 1.0 if len(pairs) > 1 else 0.5,
                "xanchor": "right" if len(pairs) > 1 else "center",
                "y": 1.0,
                "yanchor": "bottom",
                "yshift": 48 if len(pairs) > 1 else 6,
                "showarrow": False,
                "bordercolor": _FRONTIER_ZOPA,
                "borderwidth": 1.5,
                "font": {"color": _FRONTIER_ZOPA, "size": 14},
                "bgcolor": "rgba(255,255,255,0.95)",
                "borderpad": 4,
            }
        )
    fig.update_layout(annotations=list(fig.layout.annotations) + annotations)
    drawn = (
        ""
        if sample.complete
        else f"; {len(sample.codes):,} drawn, evenly spread (every frontier point is drawn)"
    )
    fig.update_layout(
        title={
            "text": f"{a.title}: utility space<br><sup>{a.space.size:,} outcomes{drawn}; "
            "hover a point for its terms</sup>"
        },
        height=height,
        margin={"t": 170 if len(pairs) > 1 else 130},
        template="plotly_white",
        legend=_legend_place(rows, cols, len(pairs)),
    )
    return fig


def _legend_place(rows: int, cols: int, panels: int) -> dict[str, Any]:
    """In the empty last cell of the panel grid when there is one, else to the right."""
    if rows * cols > panels:
        x0 = 1 - (rows * cols - panels) / cols + 0.06
        return {"itemsizing": "constant", "x": x0, "y": 1 / rows - 0.06, "yanchor": "top"}
    return {"itemsizing": "constant"}


def _label(
    text: str, x: float, y: float, ax: int, ay: int, axis: str, colour: str
) -> dict[str, Any]:
    return {
        "text": text,
        "x": x,
        "y": y,
        "xref": f"x{axis}",
        "yref": f"y{axis}",
        "ax": ax,
        "ay": ay,
        "showarrow": True,
        "arrowhead": 0,
        "arrowwidth": 1,
        "arrowcolor": colour,
        "bordercolor": colour,
        "borderwidth": 1,
        "xanchor": "left" if ax > 0 else "right",
        "align": "left",
        **_BOX,
        "font": {"size": 12, "color": colour},
    }


def plot_html(a: DealAnalysis, *, max_points: int = MAX_POINTS) -> str:
    """A self-contained HTML page (plotly.js embedded, compressed) of :func:`figure`."""
    import json

    from detente.report.page import figure_page

    fig = figure(a, max_points=max_points)
    return figure_page(f"{a.title}: utility space", json.loads(fig.to_json()))

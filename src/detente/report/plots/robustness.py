"""Robustness figures as JSON-ready Plotly dicts (no plotly import needed).

- :func:`tornado_figure`: per conclusion that some number can reverse, the
  one-at-a-time stability interval of each varied number that can reverse it alone,
  as a bar over the number's range scaled to [0, 1] (0 = the range's low end), the
  estimate marked; the narrowest interval (the most critical number) on top.
- :func:`acceptability_figure`: per categorical conclusion (cheapest bridge, deals),
  the share of draws giving each value (SMAA acceptability), with its confidence
  factor in the hover.

Rendering only.
"""

from __future__ import annotations

import textwrap
from typing import Any

from detente.robustness.results import ConclusionResult, RobustnessResult

__all__ = ["acceptability_figure", "tornado_figure"]

_SHOWN = 8  # bars per conclusion


def _wrap(text: str, width: int = 60) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _short(cid: str, width: int = 48) -> str:
    return cid if len(cid) <= width else cid[: width - 1] + "…"


def tornado_figure(r: RobustnessResult) -> dict[str, Any] | None:
    """The tornado of one-at-a-time intervals (module docstring); None when flat."""
    rows: list[tuple[str, ConclusionResult, Any]] = []
    for c in r.conclusions:
        moving = sorted(
            (i for i in c.intervals if i.share < 1.0 - 1e-12), key=lambda i: (-i.share, i.address)
        )[-_SHOWN:]
        for i in moving:
            rows.append((f"{_short(c.id)} | {i.address}", c, i))
    if not rows:
        return None
    labels = [x[0] for x in rows]
    base, width, est, hover = [], [], [], []
    for _, c, i in rows:
        lo_r, hi_r = i.range
        span = hi_r - lo_r if hi_r > lo_r else 1.0
        base.append((i.lo - lo_r) / span)
        width.append((i.hi - i.lo) / span)
        est.append((i.estimate - lo_r) / span)
        hover.append(
            _wrap(f"{c.id}: holds as at the estimates for {i.address} in [{i.lo:.4g}, "
                  f"{i.hi:.4g}] of its range [{lo_r:.4g}, {hi_r:.4g}] "
                  f"({100 * i.share:.1f} %), estimate {i.estimate:.4g}")
        )  # fmt: skip
    height = max(320, 26 * len(rows) + 140)
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": width,
                "base": base,
                "marker": {"color": "#1b2f66"},
                "name": "holds (others at estimates)",
                "hovertext": hover,
                "hoverinfo": "text",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "y": labels,
                "x": est,
                "name": "estimate",
                "marker": {
                    "symbol": "line-ns-open",
                    "size": 16,
                    "color": "#d62728",
                    "line": {"width": 3},
                },
                "hoverinfo": "skip",
            },
        ],
        "layout": {
            "title": {"text": "Tornado: where each conclusion holds, one number at a time"},
            "barmode": "overlay",
            "height": height,
            "margin": {"l": 420, "r": 30, "t": 60, "b": 50},
            "xaxis": {
                "title": {"text": "position within the number's range (0 = low, 1 = high)"},
                "range": [0, 1],
            },
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "legend": {"orientation": "h", "y": -0.15},
        },
    }


def acceptability_figure(r: RobustnessResult) -> dict[str, Any] | None:
    """SMAA acceptability of every categorical conclusion's values (module docstring)."""
    data = []
    for c in r.conclusions:
        if not c.acceptability or c.assumption_free:
            continue
        vals = c.acceptability[:_SHOWN]
        data.append(
            {
                "type": "bar", "name": c.id,
                "x": [100 * v.share for v in vals],
                "y": [_short(f"{c.id}: {v.value}", 90) for v in vals],
                "orientation": "h",
                "hovertext": [
                    _wrap(f"{c.id} = {v.value}: {100 * v.share:.1f} % of draws"
                          + ("" if v.confidence is None else
                             f"; confidence factor {100 * v.confidence:.1f} %"))
                    for v in vals
                ],
                "hoverinfo": "text",
            }
        )  # fmt: skip
    if not data:
        return None
    n = sum(len(d["y"]) for d in data)
    return {
        "data": data,
        "layout": {
            "title": {"text": f"Acceptability over {r.completed:,} draws (SMAA-2)"},
            "height": max(300, 28 * n + 140),
            "margin": {"l": 520, "r": 30, "t": 60, "b": 50},
            "xaxis": {"title": {"text": "% of draws"}, "range": [0, 100]},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "showlegend": False,
        },
    }

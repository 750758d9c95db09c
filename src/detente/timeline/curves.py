"""Concession curves: the history of offers, each against the frontier and the Nash point.

After Inspire's history of offers (Kersten & Noronha, 1999): for each party, every
proposal it made (``by``) or accepted (a reported ``accepted`` response), on the day it
did so, with the utility it gives every party that day, its Euclidean distance in
utility space to the nearest point of the whole space's Pareto frontier (0 on the
frontier) and to the Nash bargaining point of that day's ZOPA (None when the ZOPA is
empty). A mediator's drafts (proposals ``by`` a mediator) form their own series. A
proposal that leaves issues open is placed at the middle of each party's utility range
over its completions (``u_min`` and ``u_max`` are kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from detente.results import frozen_mapping
from detente.timeline.analysis import Day, Timeline

__all__ = ["ConcessionCurves", "CurvePoint", "concession_curves"]

Role = Literal["made", "accepted", "draft"]


@dataclass(frozen=True)
class CurvePoint:
    """One proposal in one series: who (``series``), how (``role``), when, and its scores."""

    series: str
    role: Role
    proposal: str
    date: dt.date
    utilities: Mapping[str, float]
    u_min: Mapping[str, float]
    u_max: Mapping[str, float]
    frontier_distance: float | None
    nash_distance: float | None


@dataclass(frozen=True, eq=False)
class ConcessionCurves:
    """Every series of a timeline's proposals (see the module docstring), in date order."""

    scenario: str
    method: Literal["concession-curves"]
    exact: bool
    parameters: Mapping[str, object]
    notes: tuple[str, ...]
    parties: tuple[str, ...]
    points: tuple[CurvePoint, ...]

    def series(self) -> dict[str, list[CurvePoint]]:
        """The points by series (party or mediator), each in date order."""
        out: dict[str, list[CurvePoint]] = {}
        for p in self.points:
            out.setdefault(p.series, []).append(p)
        return out


def _point(day: Day, pid: str, series: str, role: Role, date: dt.date) -> CurvePoint | None:
    deal = day.analysis.deal
    if deal is None:
        return None
    score = next((p for p in deal.proposals if p.id == pid), None)
    if score is None or score.u_min is None or score.u_max is None:
        return None
    parties = deal.parties
    u = (np.asarray(score.u_min) + np.asarray(score.u_max)) / 2
    front = deal.frontier_all.utilities
    fd = float(np.sqrt(((front - u) ** 2).sum(axis=1)).min()) if len(front) else None
    nash = deal.solutions.nash
    nd = None
    if nash is not None:
        nu = np.array([nash.utilities[p] for p in parties])
        nd = float(np.sqrt(((nu - u) ** 2).sum()))
    return CurvePoint(
        series,
        role,
        pid,
        date,
        frozen_mapping({p: float(x) for p, x in zip(parties, u, strict=True)}),
        frozen_mapping({p: float(x) for p, x in zip(parties, score.u_min, strict=True)}),
        frozen_mapping({p: float(x) for p, x in zip(parties, score.u_max, strict=True)}),
        fd,
        nd,
    )


def concession_curves(t: Timeline) -> ConcessionCurves:
    """Each party's and mediator's proposals over the timeline ``t`` (module docstring).

    A point is scored on the day of the move (the proposal's ``date`` for ``made`` and
    ``draft``, the response's ``date`` for ``accepted``; undated: the start).
    """
    doc = t.start.scenario.history.document if t.start.scenario.history else None
    doc = doc if doc is not None else t.start.scenario.document
    roles = {p.id: p.role for p in doc.parties}
    points: list[CurvePoint] = []
    for prop in doc.proposals:
        moves: list[tuple[str, Role, dt.date | None]] = [
            (b, "draft" if roles.get(b) == "mediator" else "made", prop.date) for b in prop.by
        ]
        moves += [(r.party, "accepted", r.date) for r in prop.responses if r.response == "accepted"]
        for who, role, when in moves:
            day = t.on(when) if when is not None else t.start
            pt = _point(day, prop.id, who, role, when or (day.date or dt.date.min))
            if pt is not None:
                points.append(pt)
    points.sort(key=lambda p: (p.date, p.series, p.proposal))
    parties = next(
        (d.analysis.deal.parties for d in (t.start, *t.days) if d.analysis.deal is not None), ()
    )
    return ConcessionCurves(
        scenario=t.scenario,
        method="concession-curves",
        exact=t.exact,
        parameters=frozen_mapping({}),
        notes=(),
        parties=tuple(parties),
        points=tuple(points),
    )

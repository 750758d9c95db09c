"""Outcome metrics of a negotiation, measured against the deal engine's exact answers.

Conventions (they differ between tools, so they are stated):

- the *point* of a negotiation is the agreement's utility vector, or, without an
  agreement, the disagreement point d = the reservations (0 for a relaxed one). This is
  NegMAS's convention (a failed negotiation scores each party's reserved value);
  GENIUS's default reservation is 0, so there a failure scores 0 unless the domain sets
  one;
- ``gains`` are u_i - r_i (0 for every party without an agreement); ``welfare`` is the
  sum of the point's utilities;
- distances are Euclidean, in utility space, from the point to the nearest point of the
  Pareto frontier of the ZOPA (the acceptable deals: ``frontier`` in
  :class:`~detente.deal.analysis.DealAnalysis`), to the Nash point and to the
  Kalai-Smorodinsky point (Kalai & Smorodinsky 1975: max min_i (u_i - d_i) / (ideal_i -
  d_i); not the Kalai 1977 egalitarian point, which NegMAS's ``kalai_points`` returns);
  all three are None when the ZOPA is empty (there is no acceptable deal to be near);
- ``on_frontier``: the agreement's vector is a vector of that frontier (False without
  an agreement);
- ``discounted``: u_i * delta_i**t at the agreement's relative time t, for parties with
  a discount factor below 1.

The reference points come from :func:`detente.deal.analysis.analyze_deal` on the same
(relaxed) scenario and amendments, exactly: the frontier is enumerated, not sampled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.results import read_only

if TYPE_CHECKING:
    from detente.scenario.checked import Scenario
    from detente.space.bargaining import Deal

__all__ = ["Metrics", "Reference", "metric_columns", "metrics", "reference"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Reference:
    """What a negotiation's outcome is measured against (from the deal engine)."""

    parties: tuple[str, ...]
    reservations: FloatArray
    frontier: FloatArray  # (m, k) distinct vectors of the ZOPA's Pareto frontier
    frontier_all: FloatArray  # (m', k) of the whole space
    nash: Deal | None
    kalai_smorodinsky: Deal | None
    egalitarian: Deal | None
    zopa_size: int | None

    @property
    def zopa_empty(self) -> bool:
        """True when no outcome is acceptable to every party."""
        return len(self.frontier) == 0

    def vector(self, deal: Deal | None) -> FloatArray | None:
        """A deal's utility vector in party order (None for no deal)."""
        if deal is None:
            return None
        return np.array([deal.utilities[p] for p in self.parties], dtype=np.float64)


def reference(scenario: Scenario, *, unlock: Iterable[str] | bool = ()) -> Reference:
    """The :class:`Reference` of a (relaxed) scenario with amendments ``unlock``."""
    from detente.deal.analysis import analyze_deal  # the deal engine loads only when measuring

    d = analyze_deal(scenario, unlock=unlock, engine="enum")
    s = d.solutions
    return Reference(
        parties=d.parties,
        reservations=read_only(d.space.reservations.copy()),
        frontier=read_only(np.array(d.frontier.utilities, dtype=np.float64)),
        frontier_all=read_only(np.array(d.frontier_all.utilities, dtype=np.float64)),
        nash=s.nash,
        kalai_smorodinsky=s.kalai_smorodinsky,
        egalitarian=s.egalitarian,
        zopa_size=d.zopa.size,
    )


@dataclass(frozen=True)
class Metrics:
    """One negotiation's outcome measured (module docstring for the conventions)."""

    agreement: bool
    steps: int
    utilities: Mapping[str, float]
    gains: Mapping[str, float]
    welfare: float
    distance_frontier: float | None
    distance_nash: float | None
    distance_kalai_smorodinsky: float | None
    on_frontier: bool
    discounted: Mapping[str, float] | None = None


def _nearest(points: FloatArray, targets: FloatArray) -> FloatArray:
    """Per row of ``points`` (n, k), the distance to the nearest row of ``targets``."""
    if len(targets) == 0:
        return np.full(len(points), np.nan)
    out = np.full(len(points), np.inf)
    for start in range(0, len(targets), 4096):  # bounded memory for long frontiers
        t = targets[start : start + 4096]
        d = np.sqrt(((points[:, None, :] - t[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        out = np.minimum(out, d)
    return out


def metric_columns(
    ref: Reference, points: FloatArray, agreed: npt.ArrayLike
) -> dict[str, FloatArray]:
    """Vectorised metrics of many negotiations of one scenario.

    ``points`` (n, k) holds agreement utilities (rows without agreement are ignored and
    replaced by the disagreement point); ``agreed`` (n,) says which rows agreed. Returns
    columns ``point`` (n, k), ``gains`` (n, k), ``welfare``, ``distance_frontier``,
    ``distance_nash``, ``distance_kalai_smorodinsky`` (NaN when the ZOPA is empty) and
    ``on_frontier`` (0/1).
    """
    ok = np.asarray(agreed, dtype=np.bool_)
    d = ref.reservations
    pts = np.where(ok[:, None], np.asarray(points, dtype=np.float64), d[None, :])
    gains = np.where(ok[:, None], pts - d[None, :], 0.0)
    out: dict[str, FloatArray] = {"point": pts, "gains": gains, "welfare": pts.sum(axis=1)}
    out["distance_frontier"] = _nearest(pts, ref.frontier)
    for key, deal in (("nash", ref.nash), ("kalai_smorodinsky", ref.kalai_smorodinsky)):
        v = ref.vector(deal)
        out[f"distance_{key}"] = (
            np.full(len(pts), np.nan)
            if v is None
            else np.sqrt(((pts - v[None, :]) ** 2).sum(axis=1))
        )
    on = np.zeros(len(pts), dtype=np.float64)
    if len(ref.frontier) and ok.any():
        hit = (pts[ok][:, None, :] == ref.frontier[None, :, :]).all(axis=2).any(axis=1)
        on[ok] = hit
    out["on_frontier"] = on
    return out


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 12)


def metrics(
    ref: Reference,
    utilities: FloatArray | None,
    steps: int,
    *,
    time: float | None = None,
    discounts: Mapping[str, float] | None = None,
) -> Metrics:
    """The :class:`Metrics` of one negotiation (``utilities`` None: no agreement).

    ``time`` is the agreement's relative time, used with ``discounts`` (party ->
    factor).
    """
    k = len(ref.parties)
    agreed = utilities is not None
    pts = (
        np.zeros((1, k)) if utilities is None else np.asarray(utilities, dtype=np.float64)[None, :]
    )
    c = metric_columns(ref, pts, [agreed])
    parties = ref.parties
    point = c["point"][0]
    disc = None
    if agreed and time is not None and discounts and any(v != 1.0 for v in discounts.values()):
        disc = {
            p: round(float(point[i]) * float(discounts.get(p, 1.0)) ** time, 12)
            for i, p in enumerate(parties)
        }
    return Metrics(
        agreement=agreed,
        steps=steps,
        utilities={p: round(float(point[i]), 12) for i, p in enumerate(parties)},
        gains={p: round(float(c["gains"][0, i]), 12) for i, p in enumerate(parties)},
        welfare=round(float(c["welfare"][0]), 12),
        distance_frontier=_opt(c["distance_frontier"][0]),
        distance_nash=_opt(c["distance_nash"][0]),
        distance_kalai_smorodinsky=_opt(c["distance_kalai_smorodinsky"][0]),
        on_frontier=bool(c["on_frontier"][0]),
        discounted=disc,
    )

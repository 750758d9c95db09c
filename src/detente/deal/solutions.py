"""Bargaining solutions on the ZOPA: Nash, Kalai-Smorodinsky, egalitarian, utilitarian.

Definitions (DESIGN.md, "Deal model"), for parties i with utility u_i and reservation
value r_i, over the ZOPA:

- Nash (1950): maximise prod_i (u_i(x) - r_i);
- Kalai-Smorodinsky (1975): maximise min_i (u_i - r_i)/(ideal_i - r_i), with ideal_i the
  best u_i in the ZOPA (a party whose ideal equals its reservation scores 1: the whole
  ZOPA gives it exactly its ideal), ties broken toward the Pareto frontier;
- egalitarian (Kalai 1977): maximise min_i (u_i - r_i);
- utilitarian: maximise sum_i u_i.

Every objective is non-decreasing in each u_i and every ZOPA outcome is weakly dominated
by a point of the ZOPA's Pareto frontier, so an optimum always lies on that frontier;
the functions here therefore take :class:`~detente.deal.frontier.FrontierPoints` of the
ZOPA and report *every* frontier point that attains the optimum (ties are reported,
never hidden; optima that another optimum dominates are not listed, which is the
"toward the frontier" tie-break). Objective values within ``TIE_RTOL`` (relative) of the
optimum count as ties, so floating-point noise in products cannot split a tie.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.deal.frontier import FrontierPoints

__all__ = [
    "Solution",
    "Solutions",
    "SOLUTION_NAMES",
    "TIE_RTOL",
    "nash",
    "kalai_smorodinsky",
    "egalitarian",
    "utilitarian",
    "solve",
]

TIE_RTOL = 1e-9
SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Solution:
    """One bargaining solution and its evidence.

    ``rows`` index the frontier points attaining the optimum (primary first: highest
    utility sum, then lexicographically best); ``utilities``/``codes`` are the primary
    point's; ``n_outcomes`` counts every outcome (ties included) reaching an optimum.
    """

    name: str
    value: float
    utilities: FloatArray
    codes: IntArray
    rows: tuple[int, ...]
    n_outcomes: int

    @property
    def tied(self) -> bool:
        return len(self.rows) > 1 or self.n_outcomes > 1


@dataclass(frozen=True)
class Solutions:
    """The four solutions (None each when the ZOPA is empty)."""

    nash: Solution | None
    kalai_smorodinsky: Solution | None
    egalitarian: Solution | None
    utilitarian: Solution | None
    ideal: FloatArray | None

    def items(self) -> list[tuple[str, Solution | None]]:
        return [(n, getattr(self, n)) for n in SOLUTION_NAMES]


def _argmax(name: str, f: FrontierPoints, score: FloatArray) -> Solution | None:
    if len(f) == 0:
        return None
    best = float(score.max())
    tol = TIE_RTOL * max(abs(best), 1e-300)
    hits = np.flatnonzero(score >= best - tol)
    sums = f.utilities[hits].sum(axis=1)
    # f is sorted lexicographically best-first, so the stable sort keeps that order
    hits = hits[np.argsort(-sums, kind="stable")]
    j = int(hits[0])
    return Solution(
        name=name,
        value=best,
        utilities=f.utilities[j],
        codes=f.codes[j],
        rows=tuple(int(h) for h in hits),
        n_outcomes=sum(f.counts[int(h)] for h in hits),
    )


def nash(f: FrontierPoints, r: FloatArray) -> Solution | None:
    """Nash bargaining point: argmax of prod_i (u_i - r_i) over the ZOPA frontier."""
    return _argmax("nash", f, np.prod(f.utilities - r, axis=1))


def kalai_smorodinsky(f: FrontierPoints, r: FloatArray) -> Solution | None:
    """Kalai-Smorodinsky point: argmax of min_i (u_i - r_i)/(ideal_i - r_i)."""
    if len(f) == 0:
        return None
    ideal = f.utilities.max(axis=0)
    span = ideal - r
    safe = np.where(span > 0, span, 1.0)
    ratio = np.where(span > 0, (f.utilities - r) / safe, 1.0)
    return _argmax("kalai_smorodinsky", f, ratio.min(axis=1))


def egalitarian(f: FrontierPoints, r: FloatArray) -> Solution | None:
    """Egalitarian point: argmax of min_i (u_i - r_i)."""
    return _argmax("egalitarian", f, (f.utilities - r).min(axis=1))


def utilitarian(f: FrontierPoints, r: FloatArray) -> Solution | None:
    """Utilitarian point: argmax of sum_i u_i."""
    return _argmax("utilitarian", f, f.utilities.sum(axis=1))


_ALL: dict[str, Callable[[FrontierPoints, FloatArray], Solution | None]] = {
    "nash": nash,
    "kalai_smorodinsky": kalai_smorodinsky,
    "egalitarian": egalitarian,
    "utilitarian": utilitarian,
}


def solve(zopa_frontier: FrontierPoints, reservations: FloatArray) -> Solutions:
    """All four solutions from the ZOPA's Pareto frontier and the reservation values."""
    r = np.asarray(reservations, dtype=np.float64)
    ideal = zopa_frontier.utilities.max(axis=0) if len(zopa_frontier) else None
    return Solutions(
        **{name: fn(zopa_frontier, r) for name, fn in _ALL.items()},
        ideal=ideal,
    )

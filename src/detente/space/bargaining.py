"""Bargaining objectives, the one tie rule, and the one result type for a bargaining point.

Definitions (DESIGN.md, "Deal model"), for utilities u_i over a set of outcomes and a
disagreement point d (the reservations r_i, or 0 for a relaxed reservation):

- Nash (1950): maximise prod_i max(u_i - d_i, 0);
- Kalai-Smorodinsky (1975): maximise min_i (u_i - d_i)/(ideal_i - d_i), ideal_i the best
  u_i in the set (a party whose ideal equals d_i scores 1: every outcome gives it its
  ideal);
- egalitarian (Kalai 1977): maximise min_i (u_i - d_i), refined to *leximin*: among the
  maximisers of the minimum, maximise the second smallest gain, and so on (Sen 1970;
  Moulin 1988, ch. 2);
- utilitarian: maximise sum_i u_i.

The tie rule, the same on every path (frontier of an enumeration, the gap engines,
CP-SAT answers re-checked in floats): (1) outcomes whose objective is within
:data:`TIE_RTOL` (relative) of the optimum tie, so float noise cannot split a tie;
(2) for the max-min objectives (egalitarian, Kalai-Smorodinsky) ties are refined
leximin, level by level with the same tolerance; (3) of what remains, only the
undominated outcomes are kept (every objective is non-decreasing in each u_i, so an
outcome that dominates a tied one is itself tied: what survives is undominated in the
whole set); (4) the primary point is the one with the largest utility sum, then
lexicographically best, then first in the input order. Every surviving utility vector
is reported, with how many outcomes reach it: ties are information, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.space.dominance import pareto_mask

__all__ = [
    "KINDS",
    "TIE_RTOL",
    "Deal",
    "DealPoint",
    "Kind",
    "make_deal",
    "objective",
    "optimal_rows",
]

Kind = Literal["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]
KINDS: tuple[Kind, ...] = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
TIE_RTOL = 1e-9

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Terms = dict[str, str | int | bool]


def _ratios(u: FloatArray, d: FloatArray, ideal: FloatArray) -> FloatArray:
    span = ideal - d
    safe = np.where(span > 0, span, 1.0)
    out: FloatArray = np.where(span > 0, (u - d) / safe, 1.0)
    return out


def _criteria(kind: Kind, u: FloatArray, d: FloatArray, ideal: FloatArray | None) -> FloatArray:
    """Per row, the values whose minimum the max-min objectives maximise."""
    if kind == "kalai_smorodinsky":
        return _ratios(u, d, u.max(axis=0) if ideal is None else ideal)
    return u - d


def objective(
    kind: Kind, u: npt.ArrayLike, d: npt.ArrayLike, *, ideal: FloatArray | None = None
) -> FloatArray:
    """The objective of ``kind`` for utility rows ``u`` (n, k) and disagreement point ``d``.

    ``ideal`` (Kalai-Smorodinsky only) defaults to the best utility of each party over
    the rows given.
    """
    uu = np.asarray(u, dtype=np.float64).reshape(-1, np.shape(d)[0] if np.ndim(d) else 1)
    dd = np.asarray(d, dtype=np.float64)
    if kind == "utilitarian":
        return np.asarray(uu.sum(axis=1), dtype=np.float64)
    if kind == "nash":
        return np.asarray(np.prod(np.maximum(uu - dd, 0.0), axis=1), dtype=np.float64)
    crit = _criteria(kind, uu, dd, ideal)
    if crit.shape[1] == 0:
        return np.zeros(len(uu))
    return np.asarray(crit.min(axis=1), dtype=np.float64)


def _near_best(values: FloatArray) -> npt.NDArray[np.bool_]:
    best = float(values.max())
    return np.asarray(values >= best - TIE_RTOL * max(abs(best), 1e-300))


def optimal_rows(
    kind: Kind, u: npt.ArrayLike, d: npt.ArrayLike, *, ideal: FloatArray | None = None
) -> IntArray:
    """Rows of ``u`` that are optimal under the tie rule (module docstring), primary first.

    Rows with equal utility vectors are adjacent (in input order); the first row is the
    primary point's first outcome. Empty when ``u`` has no rows.
    """
    uu = np.asarray(u, dtype=np.float64)
    dd = np.asarray(d, dtype=np.float64)
    if len(uu) == 0:
        return np.zeros(0, dtype=np.int64)
    if kind == "kalai_smorodinsky" and ideal is None:
        ideal = uu.max(axis=0)
    rows = np.flatnonzero(_near_best(objective(kind, uu, dd, ideal=ideal))).astype(np.int64)
    if kind in ("egalitarian", "kalai_smorodinsky") and uu.shape[1] > 1:
        crit = np.sort(_criteria(kind, uu[rows], dd, ideal), axis=1)
        alive = np.ones(len(rows), dtype=np.bool_)
        for j in range(1, crit.shape[1]):  # leximin: the next smallest, among the tied
            alive &= _near_best(np.where(alive, crit[:, j], -np.inf))
        rows = rows[alive]
    rows = rows[pareto_mask(uu[rows])]
    sub = uu[rows]
    keys = (rows, *(-sub[:, j] for j in range(sub.shape[1] - 1, -1, -1)), -sub.sum(axis=1))
    return rows[np.lexsort(keys)]


@dataclass(frozen=True)
class DealPoint:
    """One optimal utility vector: an outcome reaching it, and how many do.

    ``ties`` lists outcomes sharing the vector (the representative first), up to the
    analysis' tie limit; ``count`` counts them all.
    """

    terms: Terms
    utilities: Mapping[str, float]
    count: int = 1
    ties: tuple[Terms, ...] = ()


@dataclass(frozen=True, eq=False)
class Deal:
    """A bargaining point over a set of outcomes, with its ties and how it was found.

    ``points`` holds every optimal, undominated utility vector (the primary first);
    ``value`` is the objective of the primary point in exact float arithmetic;
    ``optimal`` says the back end proved optimality (CP-SAT: optimal for utilities
    rounded to its scale, see :mod:`detente.backends.solver`); ``method`` how it was
    computed.
    """

    kind: Kind
    value: float
    points: tuple[DealPoint, ...]
    optimal: bool = True
    method: str = "enumeration"
    parties: tuple[str, ...] = field(default=())

    @property
    def terms(self) -> Terms:
        """Terms of the primary point's first outcome."""
        return self.points[0].terms

    @property
    def utilities(self) -> Mapping[str, float]:
        """Utilities of the primary point, by party."""
        return self.points[0].utilities

    @property
    def utility_vector(self) -> FloatArray:
        """The primary point's utilities as a read-only array, in party order."""
        out = np.array([self.utilities[p] for p in self.utilities], dtype=np.float64)
        out.flags.writeable = False
        return out

    @property
    def count(self) -> int:
        """Outcomes reaching an optimal utility vector, ties included."""
        return sum(p.count for p in self.points)

    @property
    def tied(self) -> bool:
        """Whether more than one outcome is optimal."""
        return len(self.points) > 1 or self.count > 1


def make_deal(
    kind: Kind,
    u: FloatArray,
    d: FloatArray,
    parties: Sequence[str],
    terms_of: Callable[[IntArray], list[Terms]],
    *,
    counts: Sequence[int] | None = None,
    ties_of: Callable[[int], tuple[Terms, ...]] | None = None,
    ideal: FloatArray | None = None,
    optimal: bool = True,
    method: str = "enumeration",
    tie_limit: int = 10,
) -> Deal | None:
    """The ``kind`` deal over rows ``u`` (None when there are none), by the tie rule.

    ``terms_of(rows)`` gives the terms of rows; ``counts[r]`` how many outcomes row ``r``
    stands for (distinct frontier vectors; 1 each by default, rows with equal vectors
    then form one point); ``ties_of(r)`` the tied outcomes of row ``r`` when it stands
    for several.
    """
    if len(u) == 0:
        return None
    if kind == "kalai_smorodinsky" and ideal is None:
        ideal = u.max(axis=0)
    rows = optimal_rows(kind, u, d, ideal=ideal)
    sub = u[rows]
    new = np.ones(len(rows), dtype=np.bool_)
    if len(rows) > 1:
        new[1:] = np.any(sub[1:] != sub[:-1], axis=1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(rows))
    shown = np.concatenate(
        [rows[s : min(e, s + tie_limit)] for s, e in zip(starts, ends, strict=True)]
    )
    labels = dict(zip(shown.tolist(), terms_of(shown), strict=True))
    points = []
    for s, e in zip(starts, ends, strict=True):
        r = int(rows[s])
        vec = {p: float(x) for p, x in zip(parties, u[r], strict=True)}
        if counts is not None:
            n = int(sum(counts[int(x)] for x in rows[s:e]))
            ties = ties_of(r) if ties_of is not None and n > 1 else ()
        else:
            n = int(e - s)
            ties = tuple(labels[int(x)] for x in rows[s : min(e, s + tie_limit)]) if n > 1 else ()
        points.append(DealPoint(labels[r], vec, n, ties))
    value = float(objective(kind, u[rows[:1]], d, ideal=ideal)[0])
    return Deal(kind, value, tuple(points), optimal, method, tuple(parties))

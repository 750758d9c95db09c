"""Rows grouped by utility vector, for the frontiers of a timeline's frames.

The days of a frame (:mod:`detente.timeline.frames`) ask for the frontier of the whole
space and of their ZOPAs, subsets of one set of rows: grouping the rows once lets each
frontier follow from the groups its subset reaches.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from detente.deal.frontier import FrontierPoints
from detente.space.dominance import group_rows, skyline_distinct

__all__ = ["Vectors"]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Vectors:
    """Rows grouped by utility vector, once; the frontier of any subset from the groups.

    :class:`~detente.deal.frontier.FrontierBuilder` fed rows in order keeps the distinct
    undominated vectors, sorted lexicographically descending, with each one's count and
    its earliest ``tie_limit`` rows: the same as keeping the undominated vectors among
    those the subset reaches, which needs no sort of the subset's rows (group ids are
    in that order already, and rows within a group ascending).
    """

    def __init__(self, u: FloatArray) -> None:
        order, starts, vid = group_rows(u)
        self.u = u
        self.order = order  # rows by group, ascending within a group
        self.vid = vid
        self.sorted_vid = vid[order]
        self.distinct = u[order[starts]]

    def frontier(
        self,
        inside: BoolArray | None,
        tie_limit: int,
        k: int,
        n_issues: int,
        decode: Callable[[IntArray], IntArray],
    ) -> FrontierPoints:
        """The frontier of the rows ``inside`` (None: every row), codes from ``decode``."""
        n = len(self.distinct)
        counts = np.bincount(self.vid if inside is None else self.vid[inside], minlength=n)
        present = np.flatnonzero(counts)
        if len(present) == 0:
            return FrontierPoints.empty(k, n_issues)
        on = present[skyline_distinct(self.distinct[present])]  # ascending: lex descending
        hit = np.zeros(n, dtype=np.bool_)
        hit[on] = True
        take = hit[self.sorted_vid]
        if inside is not None:
            take &= inside[self.order]
        g, rows = self.sorted_vid[take], self.order[take]
        first = np.searchsorted(g, g, side="left")
        cap = (np.arange(len(g)) - first) < tie_limit
        g, rows = g[cap], rows[cap]
        picked = np.sort(rows)
        codes = decode(picked).reshape(-1, n_issues)[np.searchsorted(picked, rows)]
        bounds = np.append(np.searchsorted(g, on, side="left"), len(g))
        ties = tuple(codes[bounds[j] : bounds[j + 1]] for j in range(len(on)))
        return FrontierPoints(
            utilities=self.distinct[on],
            codes=np.stack([t[0] for t in ties]),
            counts=tuple(int(c) for c in counts[on]),
            ties=ties,
            tie_limit=tie_limit,
        )

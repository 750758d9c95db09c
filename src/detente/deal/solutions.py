"""Bargaining solutions on the ZOPA: Nash, Kalai-Smorodinsky, egalitarian, utilitarian.

Definitions and the tie rule are those of :mod:`detente.space.bargaining` (one module
for every path). Every objective is non-decreasing in each u_i and every ZOPA outcome
is weakly dominated by a point of the ZOPA's Pareto frontier, so an optimum always lies
on that frontier: the solutions are chosen among the frontier's distinct vectors
(:class:`~detente.deal.frontier.FrontierPoints`), with the reservations as the
disagreement point and each vector's outcome count and tied outcomes carried over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.deal.frontier import FrontierPoints
from detente.space.bargaining import KINDS, Deal, Kind, Terms, make_deal

__all__ = ["SOLUTION_NAMES", "Solutions", "solve"]

SOLUTION_NAMES = KINDS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Solutions:
    """The four solutions (None each when the ZOPA is empty), and the ZOPA's ideal point."""

    nash: Deal | None
    kalai_smorodinsky: Deal | None
    egalitarian: Deal | None
    utilitarian: Deal | None
    ideal: FloatArray | None

    def items(self) -> list[tuple[Kind, Deal | None]]:
        """(name, deal) pairs of the four solutions, in :data:`SOLUTION_NAMES` order."""
        return [(n, getattr(self, n)) for n in SOLUTION_NAMES]


def solve(
    zopa_frontier: FrontierPoints,
    reservations: FloatArray,
    parties: Sequence[str],
    terms: Callable[[IntArray], list[Terms]],
    *,
    method: str = "enumeration",
) -> Solutions:
    """All four solutions from the ZOPA's Pareto frontier and the reservation values.

    ``terms(codes)`` turns rows of issue codes into scenario-file terms.
    """
    f = zopa_frontier
    r = np.asarray(reservations, dtype=np.float64)
    ideal = f.utilities.max(axis=0) if len(f) else None

    def deal(kind: Kind) -> Deal | None:
        return make_deal(
            kind,
            f.utilities,
            r,
            parties,
            lambda rows: terms(f.codes[rows]),
            counts=f.counts,
            ties_of=lambda row: tuple(terms(f.ties[row])),
            ideal=ideal,
            method=method,
            tie_limit=f.tie_limit,
        )

    if ideal is not None:
        ideal = ideal.copy()
        ideal.flags.writeable = False
    return Solutions(
        nash=deal("nash"),
        kalai_smorodinsky=deal("kalai_smorodinsky"),
        egalitarian=deal("egalitarian"),
        utilitarian=deal("utilitarian"),
        ideal=ideal,
    )

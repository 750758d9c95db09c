"""The seam between the gap analyses and the back ends that answer their questions.

Gaps (MUS), bridges (MCS), near misses and deals are computed by generic algorithms
(:mod:`detente.gaps`) that ask a :class:`Backend` a few questions about sets of demands:
is this set satisfiable (and by which outcome), or which part of it is not; which
cheapest set of relaxable demands, not containing any already found, can be dropped so
the rest holds; how many outcomes satisfy a set; which outcome satisfying a set is the
Nash / egalitarian / utilitarian deal. Two back ends answer them:
:class:`detente.backends.masks.EnumBackend` over a tabulation of every outcome and
:class:`detente.backends.solver.SolverBackend` with CP-SAT.

Vocabulary: the *engine* is what a user chooses (:data:`Engine`: ``auto``, ``enum``,
``merge`` or ``solver``); a *back end* is the object that answers; a result's
``method`` says which path actually ran. This module holds the protocol, the result
types the back ends share and the exact (float) evaluation of single outcomes that both
use to certify what they return.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from detente.space.bargaining import Deal, Kind, make_deal
from detente.space.demands import RESERVATION, Demand, disagreement, satisfaction
from detente.space.outcomes import OutcomeSpace, Terms

__all__ = ["Backend", "DealKind", "Engine", "Evaluator", "NearMiss", "Witness"]

Engine = Literal["auto", "enum", "merge", "solver"]
"""The back end a user asks for: ``auto`` (chosen by size), ``enum`` (enumeration and
tabulation), ``merge`` (the additive merge path of the deal analysis) or ``solver``
(CP-SAT). Gap questions have no merge path: there ``merge`` means ``auto``."""

DealKind = Literal["nash", "egalitarian", "utilitarian"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Witness:
    """An outcome, its exact utilities and the demands (indices) it satisfies."""

    terms: Terms
    utilities: dict[str, float]
    satisfied: frozenset[int]


@dataclass(frozen=True)
class NearMiss:
    """An outcome that misses the ZOPA by little: what it violates and by how much.

    ``score`` = sum of the firmness of every violated red line + sum over parties of
    firmness x shortfall, shortfall = max(0, r_i - u_i) (see :mod:`detente.gaps.near_miss`).
    """

    terms: Terms
    utilities: dict[str, float]
    violated: tuple[str, ...]
    shortfalls: dict[str, float]
    score: float


class Backend(Protocol):
    """What the gap algorithms ask of a back end (indices refer to :attr:`demands`)."""

    name: str
    demands: tuple[Demand, ...]

    def solve(self, keep: frozenset[int]) -> tuple[Witness | None, frozenset[int]]:
        """(witness, empty) if ``keep`` is satisfiable, else (None, an unsat core of keep)."""
        ...

    def cheapest_correction(
        self, blocked: Sequence[frozenset[int]]
    ) -> tuple[frozenset[int], Witness] | None:
        """The cheapest correction set: relaxable demands whose removal leaves the rest satisfiable.

        The set contains no set of ``blocked`` (corrections found before); it comes with
        an outcome satisfying the rest. None if there is none.
        """
        ...

    def count(self, keep: frozenset[int], cap: int) -> tuple[int, bool]:
        """(number of outcomes satisfying ``keep``, exact?); inexact means 'at least'."""
        ...

    def deal(self, keep: frozenset[int], kind: DealKind) -> Deal | None:
        """The ``kind`` deal over outcomes satisfying ``keep``; None if there are none.

        Chosen by the one tie rule of :mod:`detente.space.bargaining` (undominated among
        those outcomes), with the relaxed reservations' disagreement point at 0.
        """
        ...

    def near_misses(self, k: int) -> tuple[NearMiss, ...]:
        """Up to ``k`` near misses, best first, one per distinct set of violations."""
        ...


class Evaluator:
    """Exact evaluation of outcomes against demands, shared by both back ends.

    Uses :func:`~detente.space.demands.satisfaction` (canonical utilities, u >= r tested
    exactly as the ZOPA analysis tests it), so a witness is acceptable here exactly when
    it is in the ZOPA that ``detente analyze`` reports.
    """

    def __init__(self, space: OutcomeSpace, demands: Sequence[Demand]) -> None:
        self.space = space
        self.demands = tuple(demands)
        self.parties = space.parties

    def matrix(self, codes: npt.ArrayLike) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
        """(satisfied (n, D) bool, utilities (n, k)) for rows of issue codes."""
        return satisfaction(self.space, self.space.chunk_of_codes(codes), self.demands)

    def witness(self, codes: npt.ArrayLike) -> Witness:
        """The exact witness of one outcome given by its codes."""
        row = np.asarray(codes, dtype=np.int64).reshape(1, -1)
        sat, u = self.matrix(row)
        return Witness(
            self.space.terms(row[0]),
            {p: float(u[0, j]) for j, p in enumerate(self.parties)},
            frozenset(int(j) for j in np.flatnonzero(sat[0])),
        )

    def deal(
        self,
        kind: Kind,
        codes: npt.ArrayLike,
        keep: Iterable[int],
        *,
        optimal: bool,
        method: str,
    ) -> Deal:
        """The deal of outcomes given by rows of codes (one, or several tied candidates)."""
        rows = np.asarray(codes, dtype=np.int64).reshape(-1, len(self.space.issues))
        _, u = self.matrix(rows)
        d = disagreement(self.demands, self.parties, keep)
        deal = make_deal(
            kind,
            u,
            d,
            self.parties,
            lambda r: self.space.terms_of(rows[r]),
            optimal=optimal,
            method=method,
        )
        assert deal is not None
        return deal

    def near_miss(self, codes: npt.ArrayLike) -> NearMiss:
        """The near-miss record of one outcome: its violations, shortfalls and score."""
        w = self.witness(codes)
        violated: list[str] = []
        short: dict[str, float] = {}
        score = 0.0
        for j, dem in enumerate(self.demands):
            if dem.kind == RESERVATION:
                gap = max(0.0, dem.value - w.utilities[dem.party])
                if j not in w.satisfied:
                    violated.append(dem.key)
                    short[dem.party] = gap
                    score += dem.cost * gap
            elif j not in w.satisfied:
                violated.append(dem.key)
                score += dem.cost
        return NearMiss(w.terms, w.utilities, tuple(violated), short, score)

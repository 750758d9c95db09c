"""The seam between gap analyses and the two engines that answer their questions.

Gaps (MUS), bridges (MCS), near misses and deals are computed by generic algorithms
(:mod:`detente.gaps.mus`, :mod:`detente.gaps.bridges`) that ask an *engine* a few
questions about sets of demands: is this set satisfiable (and by which outcome), or which
part of it is not; which cheapest set of relaxable demands, not containing any already
found, can be dropped so the rest holds; how many outcomes satisfy a set; which outcome
satisfying a set is the Nash / egalitarian / utilitarian deal. Two engines answer them:
:class:`detente.backends.masks.EnumEngine` over the enumerated space and
:class:`detente.backends.solver.SolverEngine` with CP-SAT. This module holds the protocol,
the result types they share and the exact (float) evaluation of single outcomes that
both engines use to certify what they return.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from detente.space.demands import RESERVATION, Demand
from detente.space.outcomes import Chunk, OutcomeSpace, Terms

__all__ = [
    "DealKind",
    "Witness",
    "Deal",
    "NearMiss",
    "Engine",
    "Evaluator",
    "disagreement",
    "deal_value",
]

DealKind = Literal["nash", "egalitarian", "utilitarian"]


@dataclass(frozen=True)
class Witness:
    """An outcome, its exact utilities and the demands (indices) it satisfies."""

    terms: Terms
    utilities: dict[str, float]
    satisfied: frozenset[int]


@dataclass(frozen=True)
class Deal:
    """A bargaining solution over the outcomes that satisfy a set of demands.

    ``value`` is the objective recomputed in exact float arithmetic: the Nash product
    prod_i max(u_i - d_i, 0), the egalitarian min_i (u_i - d_i) or the utilitarian
    sum_i u_i, where d_i is the party's reservation if that demand is kept, else 0.
    ``optimal`` says the engine proved optimality (for the solver: optimal for utilities
    rounded to 1/scale per issue, see :mod:`detente.backends.solver`).
    """

    kind: DealKind
    terms: Terms
    utilities: dict[str, float]
    value: float
    optimal: bool
    method: str


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


class Engine(Protocol):
    """What the gap algorithms ask of an engine (indices refer to :attr:`demands`)."""

    name: str
    demands: tuple[Demand, ...]

    def solve(self, keep: frozenset[int]) -> tuple[Witness | None, frozenset[int]]:
        """(witness, empty) if ``keep`` is satisfiable, else (None, an unsat core of keep)."""
        ...

    def cheapest_correction(
        self, blocked: Sequence[frozenset[int]]
    ) -> tuple[frozenset[int], Witness] | None:
        """Cheapest relaxable set containing no set of ``blocked`` whose removal leaves a
        satisfiable rest, with an outcome satisfying the rest; None if there is none."""
        ...

    def count(self, keep: frozenset[int], cap: int) -> tuple[int, bool]:
        """(number of outcomes satisfying ``keep``, exact?); inexact means 'at least'."""
        ...

    def deal(self, keep: frozenset[int], kind: DealKind) -> Deal | None:
        """The ``kind`` deal over outcomes satisfying ``keep``; None if there are none."""
        ...

    def near_misses(self, k: int) -> tuple[NearMiss, ...]:
        """Up to ``k`` near misses, best first, one per distinct set of violations."""
        ...


def disagreement(
    demands: Sequence[Demand], parties: Sequence[str], keep: Iterable[int]
) -> np.ndarray:
    """d_i = r_i when party i's reservation is among the kept demands, else 0."""
    kept = {demands[j].party for j in keep if demands[j].kind == RESERVATION}
    res = {d.party: d.value for d in demands if d.kind == RESERVATION}
    return np.array([res.get(p, 0.0) if p in kept else 0.0 for p in parties], dtype=np.float64)


def deal_value(kind: DealKind, u: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Objective of ``kind`` for utility rows ``u`` (n, k) and disagreement point ``d``."""
    if kind == "utilitarian":
        return np.asarray(u.sum(axis=1), dtype=np.float64)
    gain = u - d
    if kind == "egalitarian":
        return np.asarray(gain.min(axis=1), dtype=np.float64) if u.shape[1] else np.zeros(len(u))
    return np.asarray(np.prod(np.maximum(gain, 0.0), axis=1), dtype=np.float64)


class Evaluator:
    """Exact evaluation of outcomes against demands, shared by both engines.

    Uses :class:`~detente.space.outcomes.OutcomeSpace` (canonical utilities, u >= r tested
    exactly as the ZOPA analysis tests it), so a witness is acceptable here exactly when
    it is in the ZOPA that ``detente analyze`` reports.
    """

    def __init__(self, space: OutcomeSpace, demands: Sequence[Demand]) -> None:
        self.space = space
        self.demands = tuple(demands)
        self.parties = space.parties
        self._res_col = {p: j for j, p in enumerate(space.parties)}

    def matrix(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(satisfied (n, D) bool, utilities (n, k)) for rows of issue codes."""
        chunk = self.space.chunk_of_codes(codes)
        return self.chunk_matrix(chunk)

    def chunk_matrix(self, chunk: Chunk) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`matrix` for a :class:`~detente.space.outcomes.Chunk`."""
        masks = self.space.red_line_masks(chunk)
        u = self.space.utility_matrix(chunk)
        sat = np.empty((chunk.n, len(self.demands)), dtype=np.bool_)
        for j, dem in enumerate(self.demands):
            if dem.kind == RESERVATION:
                sat[:, j] = u[:, self._res_col[dem.party]] >= dem.value
            else:
                sat[:, j] = masks[(dem.party, dem.id)]
        return sat, u

    def witness(self, codes: np.ndarray) -> Witness:
        """The exact witness of one outcome given by its codes."""
        row = np.asarray(codes, dtype=np.int64).reshape(1, -1)
        sat, u = self.matrix(row)
        return Witness(
            self.space.terms(row[0]),
            {p: float(u[0, j]) for j, p in enumerate(self.parties)},
            frozenset(int(j) for j in np.flatnonzero(sat[0])),
        )

    def deal(
        self, kind: DealKind, codes: np.ndarray, keep: Iterable[int], *, optimal: bool, method: str
    ) -> Deal:
        w = self.witness(codes)
        u = np.array([[w.utilities[p] for p in self.parties]])
        d = disagreement(self.demands, self.parties, keep)
        return Deal(kind, w.terms, w.utilities, float(deal_value(kind, u, d)[0]), optimal, method)

    def near_miss(self, codes: np.ndarray) -> NearMiss:
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

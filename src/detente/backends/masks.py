"""The enumeration back end: gap questions answered over a tabulation of every outcome.

A :class:`~detente.backends.tabulation.Tabulation` holds every outcome's utilities and
demand pattern. :class:`EnumBackend` is the view of one space (the base, or the base
with some amendments adopted): the patterns of the outcomes in it. A set S of demands is
satisfiable iff some pattern contains S; the maximal satisfiable subsets are the maximal
patterns, so a minimal correction set is the violated set of a pattern (Liffiton &
Sakallah 2008, "Algorithms for computing minimal unsatisfiable subsets of constraints",
J. Autom. Reasoning 40). Every question is a numpy operation over the pattern matrix
(MUS/MCS checks) or over the tabulated rows (counts, deals, near misses): no loop per
outcome. This back end is exact and is the oracle the CP-SAT back end is tested against.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from detente.backends.base import DealKind, Evaluator, NearMiss, Witness
from detente.backends.tabulation import Tabulation, TabulationBuilder
from detente.scenario.checked import Scenario
from detente.space.bargaining import Deal, make_deal
from detente.space.demands import RESERVATION, Demand, disagreement

__all__ = ["EnumBackend"]

BoolArray = npt.NDArray[np.bool_]


class EnumBackend:
    """Answers the gap questions over the outcomes of one space of a tabulation.

    Parameters
    ----------
    tabulation:
        Every outcome's utilities and demand pattern.
    adopted:
        Amendments adopted beyond the tabulation's base space (their options join).
    """

    name = "enum"

    def __init__(self, tabulation: Tabulation, adopted: Sequence[str] = ()) -> None:
        self.tab = tabulation
        self.demands = tabulation.demands
        self.space = tabulation.full
        self.evaluator = Evaluator(self.space, self.demands)
        self.available = tabulation.available(adopted)
        self.patterns = tabulation.patterns[self.available]
        self.first = tabulation.first[self.available]
        self.counts = tabulation.counts[self.available]
        self.cost = np.array([d.cost for d in self.demands], dtype=np.int64)
        self.hard = np.array([not d.relaxable for d in self.demands], dtype=np.bool_)
        self._last_rows: tuple[frozenset[int], npt.NDArray[np.int64]] | None = None

    @classmethod
    def of(
        cls, scenario: Scenario, demands: Sequence[Demand], adopted: Sequence[str] = ()
    ) -> EnumBackend:
        """A back end over its own tabulation of ``scenario``'s space with ``adopted``."""
        return cls(TabulationBuilder(scenario, demands, adopted).finish())

    def _ok_patterns(self, keep: frozenset[int]) -> BoolArray:
        idx = np.array(sorted(keep), dtype=np.int64)
        return np.asarray(self.patterns[:, idx].all(axis=1))

    def _witness(self, row: int) -> Witness:
        return self.evaluator.witness(self.tab.codes([row])[0])

    def solve(self, keep: frozenset[int]) -> tuple[Witness | None, frozenset[int]]:
        """(witness, empty) if a pattern contains ``keep``, else (None, ``keep`` as its core)."""
        ok = self._ok_patterns(keep)
        if ok.any():
            return self._witness(int(self.first[ok].min())), frozenset()
        return None, keep  # no cheaper core than the set itself; MARCO shrinks it

    def cheapest_correction(
        self, blocked: Sequence[frozenset[int]]
    ) -> tuple[frozenset[int], Witness] | None:
        """The violated set of the cheapest allowed pattern: a minimal correction set.

        Allowed: violates no hard demand and contains no set of ``blocked``; ties go to the
        pattern met earliest in row order. None if no pattern is allowed.
        """
        violated = ~self.patterns
        valid = ~(violated & self.hard).any(axis=1)
        for c in blocked:
            valid &= ~violated[:, np.array(sorted(c), dtype=np.int64)].all(axis=1)
        if not valid.any():
            return None
        cost = violated.astype(np.int64) @ self.cost
        cand = np.flatnonzero(valid)
        # cheapest first; among equal costs the pattern met earliest in row order
        best = cand[np.lexsort((self.first[cand], cost[cand]))[0]]
        relax = frozenset(int(j) for j in np.flatnonzero(violated[best]))
        return relax, self._witness(int(self.first[best]))

    def count(self, keep: frozenset[int], cap: int) -> tuple[int, bool]:
        """(number of outcomes satisfying ``keep``, True): always exact, ``cap`` unused."""
        return int(self.counts[self._ok_patterns(keep)].sum()), True

    def _rows(self, keep: frozenset[int]) -> npt.NDArray[np.int64]:
        # each bridge asks for its deals of every kind in turn: one scan of the rows each
        if self._last_rows is not None and self._last_rows[0] == keep:
            return self._last_rows[1]
        ok = np.zeros(len(self.tab.patterns), dtype=np.bool_)
        ok[np.flatnonzero(self.available)[self._ok_patterns(keep)]] = True
        rows = np.flatnonzero(ok[self.tab.inverse])
        rows.setflags(write=False)
        self._last_rows = (keep, rows)
        return rows

    def deal(self, keep: frozenset[int], kind: DealKind) -> Deal | None:
        """The ``kind`` deal over the tabulated outcomes satisfying ``keep``; None if none do."""
        rows = self._rows(keep)
        if len(rows) == 0:
            return None
        d = disagreement(self.demands, self.space.parties, keep)
        return make_deal(
            kind,
            np.asarray(self.tab.u[rows]),
            d,
            self.space.parties,
            lambda r: self.space.terms_of(self.tab.codes(rows[r])),
        )

    def near_misses(self, k: int) -> tuple[NearMiss, ...]:
        """Up to ``k`` near misses, best first: the best outcome of each violation pattern."""
        tab = self.tab
        violated = ~tab.patterns
        res = np.array([d.kind == RESERVATION for d in self.demands], dtype=np.bool_)
        base = violated.astype(np.float64) @ np.where(res, 0.0, self.cost.astype(np.float64))
        allowed = self.available & ~(violated & self.hard).any(axis=1) & violated.any(axis=1)
        rows = np.flatnonzero(allowed[tab.inverse])
        if len(rows) == 0:
            return ()
        score = base[tab.inverse[rows]]
        # one near miss per set of violated demands (patterns differ by locked options too)
        pats = np.unique(tab.patterns, axis=0, return_inverse=True)[1].reshape(-1)[
            tab.inverse[rows]
        ]
        for dem in self.demands:
            if dem.kind == RESERVATION:
                col = self.space.parties.index(dem.party)
                # one column, then the rows: a 2-D fancy index is 8x slower at 10^7 rows
                score = score + dem.cost * np.maximum(0.0, dem.value - tab.u[:, col][rows])
        # best outcome of each violation pattern (least score, then first row), then the
        # patterns by score: grouped minima in one pass each, no sort of every outcome
        n_pats = int(pats.max()) + 1
        best = np.full(n_pats, np.inf)
        np.minimum.at(best, pats, score)
        at_best = np.flatnonzero(score == best[pats])
        first = np.full(n_pats, len(rows), dtype=np.int64)
        np.minimum.at(first, pats[at_best], at_best)
        heads = first[first < len(rows)]
        heads = heads[np.lexsort((rows[heads], score[heads]))][:k]
        return tuple(self.evaluator.near_miss(tab.codes([rows[h]])[0]) for h in heads)

"""The enumeration engine: demand-satisfaction masks over every outcome of the space.

Every outcome of the (small) space is enumerated in chunks (:class:`OutcomeSpace`) and
turned into a row of booleans, one per demand (red line holds; u_i >= r_i). Identical
rows are merged into *patterns* with their counts. A set S of demands is satisfiable iff
some pattern contains S; the maximal satisfiable subsets are the maximal patterns, so a
minimal correction set is the violated set of a pattern (Liffiton & Sakallah 2008,
"Algorithms for computing minimal unsatisfiable subsets of constraints", J. Autom.
Reasoning 40). All questions are answered by numpy operations over the pattern matrix
(MUS/MCS checks) or over all outcomes (counts, deals, near misses): no loop per outcome.

This engine is exact and serves as the oracle the CP-SAT engine is tested against.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detente.backends.base import (
    Deal,
    DealKind,
    Evaluator,
    NearMiss,
    Witness,
    deal_value,
    disagreement,
)
from detente.errors import LimitError
from detente.scenario.checked import Scenario
from detente.space.demands import RESERVATION, Demand
from detente.space.outcomes import OutcomeSpace

__all__ = ["EnumEngine", "MAX_CELLS", "MAX_OUTCOMES"]

MAX_OUTCOMES = 2_000_000  # outcomes the enumeration engine accepts
MAX_CELLS = 50_000_000  # outcomes x demands held in memory (bytes of the mask matrix)


class EnumEngine:
    """Answers the gap questions by enumerating every outcome (see module docstring).

    Parameters
    ----------
    scenario, demands:
        The scenario and the demands analysed (:func:`detente.space.demands.demands`).
    unlocked:
        Amendments adopted (their options join the space).
    """

    name = "enum"

    def __init__(
        self, scenario: Scenario, demands: Sequence[Demand], unlocked: Sequence[str] = ()
    ) -> None:
        self.demands = tuple(demands)
        self.space = OutcomeSpace(scenario, tuple(unlocked))
        n, nd = self.space.size, len(self.demands)
        if n > MAX_OUTCOMES or n * max(nd, 1) > MAX_CELLS:
            raise LimitError(
                f"the space holds {n:,} outcomes x {nd} demands, more than the enumeration "
                f"engine's limit ({MAX_OUTCOMES:,} outcomes, {MAX_CELLS:,} cells); "
                "use --engine solver"
            )
        self.evaluator = Evaluator(self.space, self.demands)
        sats, us = [], []
        for chunk in self.space.chunks():
            sat, u = self.evaluator.chunk_matrix(chunk)
            sats.append(sat)
            us.append(u)
        k = len(self.space.parties)
        self.sat = np.concatenate(sats) if sats else np.zeros((0, nd), dtype=np.bool_)
        self.u = np.concatenate(us) if us else np.zeros((0, k))
        packed = np.packbits(self.sat, axis=1)
        uniq, first, inverse, counts = np.unique(
            packed, axis=0, return_index=True, return_inverse=True, return_counts=True
        )
        self.patterns = np.unpackbits(uniq, axis=1, count=nd).astype(np.bool_)
        self.first = first
        self.inverse = inverse.reshape(-1)
        self.counts = counts
        self.cost = np.array([d.cost for d in self.demands], dtype=np.int64)
        self.hard = np.array([not d.relaxable for d in self.demands], dtype=np.bool_)

    def _ok_patterns(self, keep: frozenset[int]) -> np.ndarray:
        idx = np.array(sorted(keep), dtype=np.int64)
        return np.asarray(self.patterns[:, idx].all(axis=1))

    def _witness(self, outcome: int) -> Witness:
        codes = self.space.codes_of([outcome])[0]
        return self.evaluator.witness(codes)

    def solve(self, keep: frozenset[int]) -> tuple[Witness | None, frozenset[int]]:
        ok = self._ok_patterns(keep)
        if ok.any():
            return self._witness(int(self.first[ok].min())), frozenset()
        return None, keep  # no cheaper core than the set itself; MARCO shrinks it

    def cheapest_correction(
        self, blocked: Sequence[frozenset[int]]
    ) -> tuple[frozenset[int], Witness] | None:
        violated = ~self.patterns
        valid = ~(violated & self.hard).any(axis=1)
        for c in blocked:
            valid &= ~violated[:, np.array(sorted(c), dtype=np.int64)].all(axis=1)
        if not valid.any():
            return None
        cost = violated.astype(np.int64) @ self.cost
        cand = np.flatnonzero(valid)
        # cheapest first; among equal costs the pattern met earliest in enumeration order
        best = cand[np.lexsort((self.first[cand], cost[cand]))[0]]
        relax = frozenset(int(j) for j in np.flatnonzero(violated[best]))
        return relax, self._witness(int(self.first[best]))

    def count(self, keep: frozenset[int], cap: int) -> tuple[int, bool]:
        return int(self.counts[self._ok_patterns(keep)].sum()), True

    def deal(self, keep: frozenset[int], kind: DealKind) -> Deal | None:
        ok = self._ok_patterns(keep)[self.inverse]
        if not ok.any():
            return None
        rows = np.flatnonzero(ok)
        d = disagreement(self.demands, self.space.parties, keep)
        values = deal_value(kind, self.u[rows], d)
        best = int(rows[int(np.argmax(values))])  # first maximiser in enumeration order
        codes = self.space.codes_of([best])[0]
        return self.evaluator.deal(kind, codes, keep, optimal=True, method="enumeration")

    def near_misses(self, k: int) -> tuple[NearMiss, ...]:
        violated = ~self.sat
        score = violated.astype(np.float64) @ np.where(
            [d.kind == RESERVATION for d in self.demands], 0.0, self.cost.astype(np.float64)
        )
        for dem in self.demands:
            if dem.kind == RESERVATION:
                col = self.space.parties.index(dem.party)
                score += dem.cost * np.maximum(0.0, dem.value - self.u[:, col])
        allowed = ~(violated & self.hard).any(axis=1) & violated.any(axis=1)
        rows = np.flatnonzero(allowed)
        if len(rows) == 0:
            return ()
        # best outcome of each violation pattern, then patterns by score
        order = rows[np.lexsort((rows, score[rows], self.inverse[rows]))]
        pats = self.inverse[order]
        heads = order[np.r_[True, pats[1:] != pats[:-1]]]
        heads = heads[np.lexsort((heads, score[heads]))][:k]
        return tuple(self.evaluator.near_miss(self.space.codes_of([h])[0]) for h in heads)
